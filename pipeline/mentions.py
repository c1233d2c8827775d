"""A PERSON / ORG / LOC mention as the NER rules and the model propose it."""
from __future__ import annotations

from dataclasses import dataclass

HAN_FIRST, HAN_LAST = "\u4e00", "\u9fff"  # the CJK Unified Ideographs block: one definition of a Han character
HAN = f"{HAN_FIRST}-{HAN_LAST}"  # for character classes: f"[{HAN}]"
HAN_EXTENDED = HAN + "\u3400-\u4dbf"  # with CJK Extension A, for repairing raw text


def is_han(char: str) -> bool:
    return HAN_FIRST <= char <= HAN_LAST


COUNT_DIGIT = "[0-9一二两三四五六七八九十]"  # one digit of a count (`3位`, `三省`)


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    label: str
    source: str  # model | title_rule | head_rule | gazetteer | short_reference | same_name | …
    text: str
