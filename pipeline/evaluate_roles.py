"""Roles scores (docs/output.md, "Scores"): who holds which post, against a gold `roles.jsonl`.

Relaxed on distinct `(doc_id, person, title)`, strict on `(doc_id, person, title, organisation)`.
A predicted name (the `subject` or `organisation` of a `holds_title` row in `relations.jsonl`) matches
a gold name when it is the gold entity's `text` or one of its `aliases` in that document. Like
`evaluate`, this reads files only.
"""
from __future__ import annotations

import json
import re
from collections import defaultdict
from pathlib import Path
from types import NoneType
from typing import Any

from pipeline.gold_files import GoldFormatError

ROLE_FIELDS: dict[str, tuple[type, ...]] = {"doc_id": (str,), "person": (str,), "title": (str,),
                                            "organisation": (str, NoneType), "former": (bool,)}


def _norm(value: str | None) -> str | None:
    return None if value is None else re.sub(r"[\s*]", "", value)


def load_roles(gold_dir: Path) -> list[dict] | None:
    """The gold roles, or None when the gold set has none; GoldFormatError naming every bad line."""
    path = gold_dir / "roles.jsonl"
    if not path.is_file():
        return None
    rows, problems = [], []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as error:
            problems.append(f"roles.jsonl:{number}: invalid JSON ({error.msg})")
            continue
        bad = [key for key, types in ROLE_FIELDS.items() if not isinstance(row.get(key, ...), types)]
        if bad:
            problems.append(f"roles.jsonl:{number}: {', '.join(bad)} missing or of the wrong type")
        else:
            rows.append(row)
    if problems:
        raise GoldFormatError(problems)
    return rows


def _gold_names(entities: list[dict]) -> dict[str, dict[str, str]]:
    """Per document: every accepted name (text and aliases, normalised) -> the gold entity's text."""
    names: dict[str, dict[str, str]] = defaultdict(dict)
    for row in entities:
        for name in (row["text"], *row.get("aliases", [])):
            names[row["doc_id"]].setdefault(_norm(name), _norm(row["text"]))
    return names


def _counts(gold: set, pred: set) -> dict[str, Any]:
    tp = len(gold & pred)
    precision = tp / len(pred) if pred else 0.0
    recall = tp / len(gold) if gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "tp": tp, "fp": len(pred) - tp, "fn": len(gold) - tp}


def score_roles(roles: list[dict], entities: list[dict], out_dir: Path, doc_ids: set[str]) -> dict[str, Any]:
    """{"micro": {"relaxed", "strict"}, "documents": {doc_id: {...}}} over the gold's documents `doc_ids`."""
    names = _gold_names(entities)
    path = out_dir / "relations.jsonl"
    relations = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()] \
        if path.is_file() else []

    def name(doc_id: str, value: str | None) -> str | None:
        value = _norm(value)
        return names[doc_id].get(value, value) if value is not None else None

    gold: dict[str, set] = defaultdict(set)
    for row in roles:
        gold[row["doc_id"]].add((_norm(row["person"]), _norm(row["title"]), _norm(row["organisation"])))
    pred: dict[str, set] = defaultdict(set)
    for row in relations:
        if row.get("relation") == "holds_title" and row.get("doc_id") in doc_ids:
            doc_id = row["doc_id"]
            pred[doc_id].add((name(doc_id, row.get("subject")), _norm(row.get("object")),
                              name(doc_id, row.get("organisation"))))
    documents, totals = {}, {"relaxed": [set(), set()], "strict": [set(), set()]}
    for doc_id in sorted(doc_ids):
        strict_gold, strict_pred = ({(doc_id, *k) for k in keys} for keys in (gold[doc_id], pred[doc_id]))
        relaxed_gold, relaxed_pred = ({key[:3] for key in keys} for keys in (strict_gold, strict_pred))
        documents[doc_id] = {"relaxed": _counts(relaxed_gold, relaxed_pred), "strict": _counts(strict_gold, strict_pred)}
        for kind, (g, p) in (("relaxed", (relaxed_gold, relaxed_pred)), ("strict", (strict_gold, strict_pred))):
            totals[kind][0] |= g
            totals[kind][1] |= p
    return {"micro": {kind: _counts(g, p) for kind, (g, p) in totals.items()}, "documents": documents}
