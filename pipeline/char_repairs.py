"""Character repairs of stage 1: mojibake, pinyin reading aids, traditional characters and variants,
odd spaces, markdown and OCR's confusable characters. Each is a function from `Traced` to `Traced`;
those that need knowledge take the base pack's (the repairs run before a document's packs are chosen)."""
from __future__ import annotations

import functools
import re
from typing import Callable

import ftfy
import opencc

from pipeline.knowledge import Knowledge, alternation, per_knowledge
from pipeline.mentions import HAN_EXTENDED as HAN
from pipeline.mentions import is_han
from pipeline.plausibility import plausibility
from pipeline.traced import Traced

Repair = Callable[[Traced], Traced]


def _round_trip(text: str, wrong: str, right: str) -> str | None:
    """Undo `bytes.decode(wrong)` of text that was really `right`; None if impossible.

    A U+FFFD left by `errors='replace'` stands for lost bytes: it becomes one
    invalid byte, so the characters around it whose bytes survived still decode
    and the damaged one comes out as U+FFFD again.
    """
    try:
        if "\ufffd" not in text:
            return text.encode(wrong).decode(right)
        data = b"".join(b"\xff" if piece == "\ufffd" else piece.encode(wrong)
                        for piece in re.split("(\ufffd)", text) if piece)
        return re.sub("\ufffd+", "\ufffd", data.decode(right, errors="replace"))
    except (UnicodeEncodeError, UnicodeDecodeError):
        return None


# (codec the text was wrongly read with, codec it really was, repair name)
ROUND_TRIPS = (
    ("gbk", "utf-8", "gbk_mojibake"),
    ("gb18030", "utf-8", "gbk_mojibake"),
    ("latin-1", "gb18030", "latin1_mojibake"),
    ("cp1252", "gb18030", "latin1_mojibake"),
    ("latin-1", "big5", "latin1_mojibake"),
    ("cp1252", "big5", "latin1_mojibake"),
    ("latin-1", "utf-8", "utf8_mojibake"),
    ("cp1252", "utf-8", "utf8_mojibake"),
)
MARGIN = 0.25
MIN_PLAUSIBLE = 0.5


def _best_round_trip(segment: str) -> tuple[str, str] | None:
    if len(segment.strip()) < 2:
        return None  # too little evidence: a lone NBSP pair "decodes" to a Han character
    # Characters already lost (U+FFFD) say nothing about which reading is right.
    before = plausibility(segment.replace("\ufffd", ""))
    best = None
    for wrong, right, name in ROUND_TRIPS:
        fixed = _round_trip(segment, wrong, right)
        if fixed and fixed != segment:
            after = plausibility(fixed.replace("\ufffd", ""))
            gain = after - before
            if after > MIN_PLAUSIBLE and gain > MARGIN and (best is None or gain > best[0]):
                best = (gain, fixed, name)
    return (best[1], best[2]) if best else None


def fix_mojibake(traced: Traced) -> Traced:
    """Re-decode lines that are mojibake (UTF-8 read as GBK, GBK read as latin-1, ...).

    ftfy handles the Latin-script cases; the Chinese round trips are tried per
    line and kept only when the result is clearly more plausible Chinese.
    Lines with U+FFFD (bytes lost to `errors='replace'`) are repaired around
    the replacement characters, recovering every character whose bytes survive.
    """
    def fix_line(match: re.Match[str]) -> str:
        line = match.group(0)
        if plausibility(line) > 0.7:
            return line
        fixed = _best_round_trip(line)
        if not fixed:
            return line
        fix_line.names.add(fixed[1])  # type: ignore[attr-defined]
        return fixed[0]

    fix_line.names = set()  # type: ignore[attr-defined]
    result = traced.sub(r"[^\n]+", fix_line, name="mojibake")
    names = sorted(fix_line.names)  # type: ignore[attr-defined]
    if result.text != traced.text:
        result.applied = traced.applied + names
    fixed = ftfy.fix_encoding(result.text)
    if fixed != result.text and plausibility(fixed) >= plausibility(result.text):
        result = result.replace_all(fixed, "ftfy_mojibake")
    return result


@per_knowledge
def _pinyin_pattern(knowledge: Knowledge) -> re.Pattern[str]:
    syllables = knowledge.words("pinyin_syllables.txt")
    toned = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü"
    # A syllable with a tone mark, a syllable with a tone number, or a listed
    # toneless syllable (neutral tone) -- always directly after a Han character.
    marked = rf"[a-z{toned}]*[{toned}][a-z{toned}]*"
    plain = alternation(syllables)
    annotation = rf"[(（]\s*(?:{marked}|(?:{plain})[1-5]?)\s*[)）]"
    return re.compile(rf"(?<=[{HAN}])(?:{annotation})+")


def remove_pinyin(traced: Traced, knowledge: Knowledge) -> Traced:
    """Drop inline pinyin reading aids: 協(xié)會 -> 協會; keeps real parentheses."""
    return traced.sub(_pinyin_pattern(knowledge), "", name="pinyin_annotations")


@functools.lru_cache(maxsize=1)
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s.json")


def traditional_share(text: str) -> float:
    """Share of Han characters that OpenCC t2s would change."""
    converted = _t2s().convert(text)
    if converted == text:
        return 0.0
    han = sum(1 for c in text if is_han(c))
    changed = sum(a != b for a, b in zip(text, converted)) if len(converted) == len(text) else han
    return changed / han if han else 0.0


def to_simplified(traced: Traced) -> Traced:
    """Convert traditional documents (or strongly traditional lines) to simplified."""
    document_is_traditional = traditional_share(traced.text) >= 0.05

    def convert(match: re.Match[str]) -> str:
        line = match.group(0)
        if document_is_traditional or traditional_share(line) >= 0.2:
            return _t2s().convert(line)
        return line

    return traced.sub(r"[^\n]+", convert, name="traditional_to_simplified")


def normalise_variants(traced: Traced, knowledge: Knowledge) -> Traced:
    """Variant characters t2s leaves alone (`陜西` -> `陕西`)."""
    table = knowledge.yaml("variant_chars.yaml")
    return traced.sub(f"[{''.join(table)}]", lambda m: table[m.group(0)], name="variant_characters")


def normalise_spaces(traced: Traced) -> Traced:
    """NBSP and ideographic spaces become plain spaces; trailing spaces go."""
    result = traced.sub("[\u00a0\u3000\u2002\u2003\u200b\ufeff]", lambda m: "" if m.group(0) in "\u200b\ufeff" else " ",
                        name="whitespace")
    result = result.sub(r"[ \t]+(?=\n|$)|(?<=\n)[ \t]+|^[ \t]+", "", name="whitespace")
    # A space inside a Chinese-numeral month (`十 一月`) or between a year and its month (`一九九九年 一月`)
    # is OCR's, in any document.
    return result.sub(r"(?<=[一二三四五六七八九十〇])[ \t]+(?=[一二三四五六七八九十〇]*月)|(?<=[0-9〇零○一二三四五六七八九]年)"
                      r"[ \t]+(?=(?:1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])月)", "", name="ocr_spacing")


# A two-character item padded to the width of three (`王　平`, `会　长：`), as typeset name lists and
# forms align them: one Han character, one or two spaces, one Han character, alone between separators.
PADDED_PAIR = re.compile(rf"(?m)(?:^|(?<=[、，,：:；;（( ]))([{HAN}]) {{1,2}}([{HAN}])(?=$|[、，,：:；;）) ])")


def join_padded_pairs(traced: Traced) -> Traced:
    """Close the padding inside two-character items of lists and forms, and inside the same pair
    wherever else the document writes it padded (`王 平作了报告` after `副会长：王 平、…`)."""
    pairs = {m.group(1) + m.group(2) for m in PADDED_PAIR.finditer(traced.text)}
    if not pairs:
        return traced
    anywhere = "|".join(f"(?<={re.escape(a)}) {{1,2}}(?={re.escape(b)})" for a, b in sorted(pairs))
    return traced.sub(anywhere, "", name="padding_spaces")


def remove_markdown(traced: Traced) -> Traced:
    """Drop markdown emphasis (`**10日**`) left by OCR-to-markdown tools."""
    return traced.sub(r"\*\*(?=\S)|(?<=\S)\*\*|__(?=\S)|(?<=\S)__", "", name="markdown")


@per_knowledge
def _confusables(knowledge: Knowledge) -> list[tuple[re.Pattern[str], str]]:
    rules = knowledge.yaml("ocr_confusables.yaml")
    return [(re.compile(f"(?<={r['before']}){re.escape(r['wrong'])}(?={r['after']})"), r["right"]) for r in rules]


def fix_confusables(traced: Traced, knowledge: Knowledge) -> Traced:
    """Characters OCR misreads in context (`—` for `一` in `—行`), as `ocr_confusables.yaml` lists them."""
    for pattern, right in _confusables(knowledge):
        traced = traced.sub(pattern, right, name="ocr_confusables")
    return traced
