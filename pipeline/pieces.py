"""Long documents (a whole OCR'd yearbook) annotated in pieces, in bounded memory.

A document longer than `PIECE_CHARS` is cut at paragraph breaks (a blank line preferred; inside a
paragraph longer than a piece, at a sentence end) and each piece runs through the pipeline on its own
spaCy `Doc`. What a reader carries from one part of a document to the next goes along
(`doc._.carried`): the document's reference date, found once over the whole text; the reading
context of the dates (the year, month and day told last); and where a piece was cut (its first line is
no title, and its cut edges hold no publication stamp). The pieces' rows are then put back together with offsets, sentence,
paragraph and entry numbers, and mention and date ids of the whole document. The names earlier pieces
found go along too (each distinct name once, with how often it was found; no offsets): short references (`商会`, `卫主席`) and canonical names may point
to them, as they would within one `Doc`; a piece does not see the names of the pieces after it.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from pipeline import stages
from pipeline.dates import Context
from pipeline.mentions import Mention
from pipeline.reference_date import find_reference_date
from pipeline.segment import segment_text

if TYPE_CHECKING:
    from spacy.language import Language

# Characters of clean text per piece: well below spaCy's `max_length` (1,000,000), large enough that a
# yearbook section stays whole, small enough that a piece's Doc and model features stay in memory.
PIECE_CHARS = 200_000
SENTENCE_END = re.compile(r"[。！？!?；;]")


@dataclass
class Annotations:
    """A whole document's annotations, as one `Doc` of it would carry them."""
    knowledge: str | None = None  # the knowledge packs it was read with
    reference_date: dict | None = None
    sentences: list[dict] = field(default_factory=list)
    dates: list[dict] = field(default_factory=list)
    mentions: list[dict] = field(default_factory=list)
    roles: list[dict] = field(default_factory=list)
    org_parts: list[dict] = field(default_factory=list)
    events: list[dict] = field(default_factory=list)


def piece_bounds(text: str, limit: int = PIECE_CHARS) -> list[tuple[int, int]]:
    """(start, end) of consecutive pieces of at most `limit` characters covering `text`."""
    bounds, start = [], 0
    while len(text) - start > limit:
        cut = _cut(text[start:start + limit])
        bounds.append((start, start + cut))
        start += cut
    bounds.append((start, len(text)))
    return bounds


def _cut(window: str) -> int:
    """Where to end a piece in its window: after the last blank line in its second half, else the last
    line break, else the last sentence end, else at the window's end (one line of no sentences)."""
    half = len(window) // 2
    blank = window.rfind("\n\n", half)
    if blank >= 0:
        return blank + 2
    line = window.rfind("\n", half)
    if line >= 0:
        return line + 1
    ends = [m.end() for m in SENTENCE_END.finditer(window, half)]
    return ends[-1] if ends else len(window)


def annotate(nlp: Language, text: str, metadata_date: dict | None = None,
             limit: int = PIECE_CHARS) -> Annotations:
    """The pipeline's annotations of a clean text: one `Doc` when it is short, pieces when it is long."""
    bounds = piece_bounds(text, limit)
    carried: dict = {}
    if len(bounds) > 1:
        packs = nlp.get_pipe(stages.KNOWLEDGE).packs
        knowledge = packs.choose(text)  # one choice for all the pieces
        chosen = packs.knowledge(knowledge)
        reference = find_reference_date(text, segment_text(text, knowledge=chosen), metadata_date, chosen)
        carried = {"reference": reference, "date_context": Context(reference), "earlier_mentions": Counter(),
                   "knowledge": knowledge}
    whole = Annotations()
    for number, (start, end) in enumerate(bounds):
        doc = nlp.make_doc(text[start:end])
        doc.user_data[stages.TEXT_KEY] = text[start:end]
        doc._.metadata_date = metadata_date
        doc._.carried = dict(carried, continues=number > 0, continued=number < len(bounds) - 1) if carried else None
        doc = nlp(doc)
        whole.reference_date, whole.knowledge = doc._.reference_date, doc._.knowledge
        if carried:
            carried["earlier_mentions"].update(Mention(-1, -1, m["label"], m["source"], m["text"])
                                               for m in doc._.mentions if m["source"] != "short_reference")
        _append(whole, doc, start)
    return whole


def _append(whole: Annotations, doc: object, base: int) -> None:
    """Add one piece's rows, renumbered into the whole document."""
    sentence_shift, mention_shift, date_shift = len(whole.sentences), len(whole.mentions), len(whole.dates)
    paragraph_shift = whole.sentences[-1]["paragraph"] + 1 if whole.sentences else 0
    entry_shift = max((s["entry"] for s in whole.sentences if s["entry"] is not None), default=-1) + 1

    def sentence_id(value: int | None) -> int | None:
        return None if value is None else value + sentence_shift

    whole.sentences += [dict(s, sentence_id=s["sentence_id"] + sentence_shift, start=s["start"] + base,
                             end=s["end"] + base, paragraph=s["paragraph"] + paragraph_shift,
                             entry=None if s["entry"] is None else s["entry"] + entry_shift)
                        for s in doc._.sentences]
    whole.dates += [dict(d, start=d["start"] + base, end=d["end"] + base, sentence_id=sentence_id(d["sentence_id"]))
                    for d in doc._.dates]
    whole.mentions += [dict(m, start=m["start"] + base, end=m["end"] + base) for m in doc._.mentions]
    whole.roles += [dict(r, sentence_id=sentence_id(r["sentence_id"])) for r in doc._.roles or []]
    known_parts = {(q["part"], q["whole"]) for q in whole.org_parts}  # each part once, where first named
    whole.org_parts += [dict(p, sentence_id=sentence_id(p["sentence_id"])) for p in doc._.org_parts or []
                        if (p["part"], p["whole"]) not in known_parts]
    for event in doc._.events:
        who = dict(event["who"], mention_id=f"m{int(event['who']['mention_id'][1:]) + mention_shift}")
        when = event["when"]
        if when is not None and when.get("date_id") is not None:
            when = dict(when, date_id=f"d{int(when['date_id'][1:]) + date_shift}")
        whole.events.append(dict(event, sentence_id=sentence_id(event["sentence_id"]), who=who, when=when))
