"""Data files that carry the pipeline's knowledge (lexicons, patterns, label maps)."""
from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import yaml

RESOURCES = Path(__file__).parent


def resource_path(name: str) -> Path:
    return RESOURCES / name


def words(name: str) -> list[str]:
    """The whitespace-separated words of a list file, without its `#` comment lines."""
    text = resource_path(name).read_text(encoding="utf-8")
    return [w for line in text.splitlines() if not line.startswith("#") for w in line.split()]


@functools.lru_cache(maxsize=None)
def load_yaml(name: str) -> Any:
    """A knowledge file, parsed once per process (callers must not modify the result)."""
    return yaml.safe_load(resource_path(name).read_text(encoding="utf-8"))
