"""The base knowledge pack: the data files that carry the pipeline's knowledge (see `pipeline.knowledge`)."""
from __future__ import annotations

from pathlib import Path

RESOURCES = Path(__file__).parent
