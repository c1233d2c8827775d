"""Data files that carry the pipeline's knowledge (lexicons, patterns, label maps)."""
from __future__ import annotations

from pathlib import Path

RESOURCES = Path(__file__).parent


def resource_path(name: str) -> Path:
    return RESOURCES / name
