"""Readers for the public labelled corpora in ../shared/corpora.

Each reader yields `LabelledText(text, spans)` with spans mapped to
PERSON/ORG/LOC through `resources/ner_labels.yaml` (None: a type the pipeline
does not extract).
"""
from __future__ import annotations

import json
import random
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from pipeline.knowledge import load_knowledge

LABEL_MAPS: dict[str, dict[str, str | None]] = load_knowledge().yaml("ner_labels.yaml")


@dataclass(frozen=True)
class LabelledText:
    text: str
    spans: tuple[tuple[int, int, str | None], ...]


def _spans_from_tags(tags: list[str], scheme: str) -> list[tuple[int, int, str]]:
    """Turn BIO or BMES tags into (start, end, raw_label) spans."""
    spans: list[tuple[int, int, str]] = []
    start, label = None, None
    for i, tag in enumerate(tags + ["O"]):
        prefix, _, name = tag.partition("-")
        begins = prefix in ("B", "S") or (prefix in ("I", "M", "E") and name != label)
        if start is not None and (prefix == "O" or begins):
            spans.append((start, i, label))
            start, label = None, None
        if begins:
            start, label = i, name
        if prefix in ("E", "S") and start is not None:
            spans.append((start, i + 1, label))
            start, label = None, None
    return spans


def read_char_columns(path: Path, corpus: str, scheme: str = "BIO") -> Iterator[LabelledText]:
    """Read one-character-per-line files (MSRA, People's Daily, Weibo, Resume)."""
    mapping = LABEL_MAPS[corpus]
    chars: list[str] = []
    tags: list[str] = []
    with path.open(encoding="utf-8") as handle:
        for line in list(handle) + [""]:
            parts = line.split()
            if len(parts) >= 2:
                # Weibo appends a segmentation digit to each character ("科0").
                char = parts[0][0] if corpus == "weibo" else parts[0]
                chars.append(char)
                tags.append(parts[-1])
                continue
            if chars:
                spans = tuple((s, e, mapping.get(lab)) for s, e, lab in _spans_from_tags(tags, scheme))
                yield LabelledText("".join(chars), spans)
                chars, tags = [], []


def read_cluener(path: Path) -> Iterator[LabelledText]:
    mapping = LABEL_MAPS["cluener"]
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            spans = []
            for raw_label, names in row.get("label", {}).items():
                for offsets in names.values():
                    for start, end in offsets:
                        spans.append((start, end + 1, mapping.get(raw_label)))
            yield LabelledText(row["text"], tuple(sorted(spans)))


def msra_train(corpora: Path) -> list[LabelledText]:
    files = sorted((corpora / "msra_ner").glob("msra_train_bio.part*"))
    return [item for f in files for item in read_char_columns(f, "msra")]


def msra_test(corpora: Path) -> list[LabelledText]:
    return list(read_char_columns(corpora / "msra_ner" / "msra_test_bio", "msra"))


def split_dev(items: list[LabelledText], n_dev: int, seed: int) -> tuple[list[LabelledText], list[LabelledText]]:
    """Shuffle with a fixed seed and carve a dev set (MSRA has none)."""
    order = list(range(len(items)))
    random.Random(seed).shuffle(order)
    dev = {i for i in order[:n_dev]}
    return [x for i, x in enumerate(items) if i not in dev], [items[i] for i in sorted(dev)]


def read_conllu_words(path: Path) -> Iterator[list[str]]:
    """Word lists of a CoNLL-U file (multiword-token ranges skipped)."""
    words: list[str] = []
    with path.open(encoding="utf-8") as handle:
        for line in list(handle) + [""]:
            line = line.rstrip("\n")
            if not line:
                if words:
                    yield words
                words = []
            elif not line.startswith("#"):
                cols = line.split("\t")
                if cols[0].isdigit():
                    words.append(cols[1])


def read_weibo_words(path: Path) -> Iterator[list[str]]:
    """Word lists of Weibo NER: each character carries its position in its word (科0 技1)."""
    words: list[str] = []
    with path.open(encoding="utf-8") as handle:
        for line in list(handle) + [""]:
            parts = line.split()
            if not parts:
                if words:
                    yield words
                words = []
                continue
            token = parts[0]
            char, position = token[0], token[1:]
            if position == "0" or not words:
                words.append(char)
            else:
                words[-1] += char
