"""Stage 1, encoding repair: raw bytes in, clean simplified UTF-8 text out.

`repair_bytes(data)` returns a `RepairedText`: the clean text, the codec it
was decoded with, the names of the repairs that changed something, and an
offset map from every clean character back to its index in the decoded raw
text, so any entity can be found in the original file. Each repair is a small
function from `Traced` to `Traced` (`pipeline.char_repairs`, `pipeline.layout_repairs`); decoding is
`pipeline.decoding`. The knowledge (boilerplate lines, OCR confusables, pinyin syllables, variant
characters) is the base pack's.
"""
from __future__ import annotations

import functools
import unicodedata
from dataclasses import dataclass, field
from typing import Sequence

from pipeline.char_repairs import (
    Repair,
    fix_confusables,
    fix_mojibake,
    join_padded_pairs,
    normalise_spaces,
    normalise_variants,
    remove_markdown,
    remove_pinyin,
    to_simplified,
)
from pipeline.decoding import decode
from pipeline.knowledge import Knowledge, load_knowledge
from pipeline.layout_repairs import (
    join_broken_lines,
    join_wrapped_lines,
    looks_ocr_spaced,
    ocr_spacing,
    remove_boilerplate,
    remove_page_furniture,
)
from pipeline.markup import remove_markup
from pipeline.traced import Traced


@dataclass
class RepairedText:
    text: str
    encoding: str
    repairs: list[str]
    offsets: Sequence[int]  # an int64 array (see traced.Traced)
    raw_text: str
    lost_chars: int = 0
    notes: list[str] = field(default_factory=list)
    input_format: str = "text"  # what the file was: text, html, mhtml, pdf, docx (see `readers`)
    reader: str = "zhie"  # what extracted the text from it
    metadata_date: dict | None = None  # {"value", "source"}: the date the file's metadata carries


def repair_text(raw: str, encoding: str = "utf-8", laid_out: bool = False,
                knowledge: Knowledge | None = None) -> RepairedText:
    """Run every repair on decoded text; see `repair_bytes`. `laid_out`: the text comes from a page
    layout (a PDF), so its lines are hard-wrapped for sure and a few full lines show the width.
    `knowledge`: the base pack's by default (a document's packs are chosen from its repaired text)."""
    knowledge = knowledge or load_knowledge()
    traced = Traced.identity(raw)
    if not unicodedata.is_normalized("NFC", raw):
        traced = traced.sub(r"[^\n]+", lambda m: unicodedata.normalize("NFC", m.group(0)), name="unicode_nfc")
    traced = traced.sub("\r\n?", "\n", name="line_endings")
    traced = traced.sub("\x00", "", name="nul_bytes")
    ocr = looks_ocr_spaced(traced.text, knowledge)
    # Markdown goes before pinyin: `協**(xié)` only shows its reading aid once the `**` is gone.
    steps: list[Repair] = [fix_mojibake, remove_markup, remove_markdown,
                           functools.partial(remove_pinyin, knowledge=knowledge), to_simplified,
                           functools.partial(normalise_variants, knowledge=knowledge), normalise_spaces,
                           # In a text OCR spaced character by character every pair looks padded: `ocr_spacing` does it.
                           *([] if ocr else [join_padded_pairs]), functools.partial(remove_boilerplate, knowledge=knowledge),
                           remove_page_furniture, functools.partial(join_wrapped_lines, min_full=3 if laid_out else 6)]
    for step in steps:
        traced = step(traced)
    if ocr:
        traced = join_broken_lines(ocr_spacing(traced))
    traced = fix_confusables(traced, knowledge)
    traced = traced.sub(r"\n{3,}", "\n\n", name="whitespace").strip()
    lost = traced.text.count("\ufffd")
    return RepairedText(traced.text, encoding, traced.repairs(), traced.offsets, raw, lost_chars=lost)


def repair_bytes(data: bytes) -> RepairedText:
    """Decode and repair raw bytes: the whole of stage 1."""
    text, encoding = decode(data)
    return repair_text(text, encoding)
