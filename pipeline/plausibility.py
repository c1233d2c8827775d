"""How much a text reads like ordinary Chinese: what decoding and the mojibake repair choose by."""
from __future__ import annotations

import functools
import unicodedata

from pipeline.mentions import is_han

# Lead-byte ranges of the frequent-character levels: GB2312 level 1, Big5 level 1.
FREQUENT_LEAD_BYTES = {"gb2312": (0xB0, 0xD7), "big5": (0xA4, 0xC6)}


@functools.lru_cache(maxsize=1)
def common_han() -> frozenset[str]:
    """The ~5,400 most frequent Han characters: GB2312 level 1 plus Big5 level 1."""
    chars = set()
    for codec, (first, last) in FREQUENT_LEAD_BYTES.items():
        for cp in range(0x4E00, 0xA000):
            try:
                if first <= chr(cp).encode(codec)[0] <= last:
                    chars.add(chr(cp))
            except UnicodeEncodeError:
                continue
    return frozenset(chars)


@functools.lru_cache(maxsize=1)
def _ordinary_deleter() -> dict[int, None]:
    """A translate table deleting the characters of ordinary Chinese text (a fast path)."""
    ordinary = set(common_han()) | {chr(c) for c in range(32, 127)} | set("\n\t，。、；：？！“”‘’（）《》【】—…·")
    return {ord(c): None for c in ordinary}


def plausibility(text: str) -> float:
    """Score how much `text` reads like normal Chinese (higher is better), per character."""
    if not text:
        return 0.0
    if not text.translate(_ordinary_deleter()):
        return sum(1.0 if ord(c) > 127 else 0.5 for c in text) / len(text)
    common = common_han()
    score = 0.0
    for char in text:
        if char in common:
            score += 1.0
        elif char.isascii():
            score += 0.5 if char.isprintable() or char in "\n\r\t" else -2.0
        elif "\u3000" <= char <= "\u303f" or "\uff00" <= char <= "\uffef" or char in "“”‘’—…·":
            score += 0.8
        elif is_han(char):
            score -= 0.3  # rare Han: typical of GBK/UTF-8 mojibake
        elif char == "\ufffd" or unicodedata.category(char) in ("Co", "Cc", "Cn"):
            score -= 3.0
        else:
            score -= 1.0  # Latin-1 letters, box drawing: typical of latin-1 mojibake
    return score / len(text)
