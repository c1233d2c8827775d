"""Labelled sentences of the genre, from gold entity files and the clean texts they were labelled on.

The project's gold lists each document's entities once (`text`, `label`, `aliases`), without
offsets. Every occurrence of a listed form in the document's clean text is taken as a mention of
that entity, the longest form first where forms overlap (`青禾市商会` before `商会`), and the text is
cut into the pieces the NER model reads (`pipeline.ner.CHUNK`). A reader's label applies to each
occurrence of a name: in these documents a name almost never stands for something else.
"""
from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

from pipeline.corpora import LabelledText
from pipeline.ner import CHUNK


def gold_forms(entities_file: Path, doc_ids: set[str] | None = None) -> dict[str, dict[str, str]]:
    """For each document, every written form of its gold entities with the entity's label (PERSON/ORG/LOC)."""
    forms: dict[str, dict[str, str]] = defaultdict(dict)
    with entities_file.open(encoding="utf-8") as handle:
        for line in handle:
            if not line.strip():
                continue
            row = json.loads(line)
            if doc_ids is not None and row["doc_id"] not in doc_ids:
                continue
            for form in (row["text"], *row.get("aliases", [])):
                forms[row["doc_id"]].setdefault(form, row["label"])
    return dict(forms)


def mention_spans(text: str, forms: dict[str, str]) -> list[tuple[int, int, str]]:
    """Every occurrence of a form in `text`, longest forms first, none overlapping another."""
    taken = [False] * len(text)
    spans = []
    for form in sorted(forms, key=len, reverse=True):
        start = text.find(form)
        while start >= 0:
            end = start + len(form)
            if not any(taken[start:end]):
                taken[start:end] = [True] * len(form)
                spans.append((start, end, forms[form]))
            start = text.find(form, start + 1)
    return sorted(spans)


def labelled_pieces(text: str, forms: dict[str, str]) -> list[LabelledText]:
    """The text's pieces as the NER model reads them, each with the gold mentions inside it."""
    spans = mention_spans(text, forms)
    pieces = []
    for chunk in CHUNK.finditer(text):
        if not chunk.group(0).strip():
            continue
        start, end = chunk.span()
        inside = tuple((s - start, e - start, label) for s, e, label in spans if start <= s and e <= end)
        pieces.append(LabelledText(chunk.group(0), inside))
    return pieces


def genre_sentences(entities_file: Path, raw_folder: Path, doc_ids: set[str] | None = None) -> list[LabelledText]:
    """The labelled pieces of every document of `entities_file` (or of `doc_ids` only), read from its source
    in `raw_folder` (`<doc_id>.*`) and repaired as the pipeline repairs it (`pipeline.read`)."""
    from pipeline import read

    sources = {path.stem: path for path in raw_folder.iterdir() if path.is_file()}
    pieces: list[LabelledText] = []
    for doc_id, forms in sorted(gold_forms(entities_file, doc_ids).items()):
        if doc_id not in sources:
            raise FileNotFoundError(f"{raw_folder}: no source for gold document {doc_id}")
        pieces += labelled_pieces(read(sources[doc_id]).text, forms)
    return pieces
