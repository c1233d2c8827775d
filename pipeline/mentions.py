"""A PERSON / ORG / LOC mention as the NER rules and the model propose it."""
from __future__ import annotations

from dataclasses import dataclass

HAN = "\u4e00-\u9fff"


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    label: str
    source: str  # model | title_rule | head_rule | gazetteer | short_reference
    text: str
