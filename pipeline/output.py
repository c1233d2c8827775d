"""Stage 6, writers: the output folder described in docs/output.md.

Rows stream into temporary files inside the output folder; `close()` moves
each into place with an atomic rename, so an interrupted run leaves the
previous outputs whole. Ids are stable: `<doc_id>:m<N>` in text order, and an
`entity_id` derived from label and canonical name, the same in every
document and every run.
"""
from __future__ import annotations

import bisect
import hashlib
import json
import os
import shutil
import tempfile
from collections import defaultdict
from collections.abc import Collection
from pathlib import Path
from typing import IO

from pipeline.document import Document
from pipeline.run_state import MANIFEST

TABLES = ("documents", "sentences", "entities", "dates", "events", "relations")


def dumps(row: dict) -> str:
    return json.dumps(row, ensure_ascii=False, separators=(", ", ": ")) + "\n"


def entity_id(label: str, canonical: str) -> str:
    return "E" + hashlib.sha1(f"{label}\t{canonical}".encode("utf-8")).hexdigest()[:12]


def document_rows(document: Document, organising: Collection[str] = ()) -> dict[str, list[dict]]:
    """All output rows of one document, with the spec's ids; `organising`: the actions whose participant
    organises the event (`relation: organises` in the knowledge's action table)."""
    doc_id = document.doc_id
    rows: dict[str, list[dict]] = {name: [] for name in TABLES}
    rows["documents"].append(document.record())
    if document.status != "ok":
        return rows
    starts = [s["start"] for s in document.sentences]

    def sentence_of(offset: int) -> int | None:
        index = bisect.bisect_right(starts, offset) - 1
        sentence = document.sentences[index] if index >= 0 else None
        return sentence["sentence_id"] if sentence and offset < sentence["end"] else None

    for s in document.sentences:
        rows["sentences"].append({"doc_id": doc_id, "sentence_id": s["sentence_id"], "start": s["start"],
                                  "end": s["end"], "kind": s["kind"]})
    for n, m in enumerate(document.mentions):
        # raw_start/raw_end: where the mention is in the original file's decoded text.
        raw_start, raw_end = document.offsets[m["start"]], document.offsets[m["end"] - 1] + 1
        rows["entities"].append({"doc_id": doc_id, "mention_id": f"{doc_id}:m{n}", "text": m["text"],
                                 "label": m["label"], "start": m["start"], "end": m["end"],
                                 "sentence_id": sentence_of(m["start"]), "canonical": m["canonical"],
                                 "entity_id": entity_id(m["label"], m["canonical"]), "source": m["source"],
                                 "raw_start": raw_start, "raw_end": raw_end})
    for n, d in enumerate(document.dates):
        rows["dates"].append({"doc_id": doc_id, "date_id": f"{doc_id}:d{n}", **d})
    for n, e in enumerate(document.events):
        who = dict(e["who"], mention_id=f"{doc_id}:{e['who']['mention_id']}",
                   entity_id=entity_id(e["who"]["label"], e["who"]["canonical"]))
        when = dict(e["when"], date_id=f"{doc_id}:{e['when']['date_id']}") if e["when"] else None
        rows["events"].append({"doc_id": doc_id, "event_id": f"{doc_id}:e{n}", **e, "who": who, "when": when})
    rows["relations"] = (title_relations(doc_id, document.roles, document.dates)
                         + part_of_relations(doc_id, document.org_parts, document.dates)
                         + organises(doc_id, rows["events"], organising))
    return rows


def _first_dates(dates: list[dict]) -> dict[int, str]:
    """The first date of each sentence, which dates what the sentence says."""
    first_date: dict[int, str] = {}
    for d in dates:
        if d.get("sentence_id") is not None:
            first_date.setdefault(d["sentence_id"], d["value_start"])
    return first_date


def part_of_relations(doc_id: str, org_parts: list[dict], dates: list[dict]) -> list[dict]:
    """part_of rows from the relation stage: a named branch or department -> its parent organisation."""
    first_date = _first_dates(dates)
    return [{"doc_id": doc_id, "relation": "part_of", "subject": p["part"], "subject_id": entity_id("ORG", p["part"]),
             "object": p["whole"], "organisation": None, "date": first_date.get(p["sentence_id"]),
             "evidence": p["sentence_id"]} for p in org_parts]


def title_relations(doc_id: str, roles: list[dict], dates: list[dict]) -> list[dict]:
    """holds_title rows from the relation stage, dated by the first date of the sentence they stand in."""
    first_date = _first_dates(dates)
    return [{"doc_id": doc_id, "relation": "holds_title", "subject": r["person"],
             "subject_id": entity_id("PERSON", r["person"]), "object": r["title"], "organisation": r["organisation"],
             "former": r["former"], "date": first_date.get(r["sentence_id"]), "evidence": r["sentence_id"]}
            for r in roles]


def organises(doc_id: str, events: list[dict], organising: Collection[str]) -> list[dict]:
    """organises rows derived from events of the organising actions: organisation -> the event it holds."""
    found: dict[tuple, dict] = {}
    for event in events:
        who, when = event["who"], event["when"]
        if event["action"] in organising and event.get("what"):
            key = (who["canonical"], event["what"])
            found.setdefault(key, {"doc_id": doc_id, "relation": "organises", "subject": who["canonical"],
                                   "subject_id": who["entity_id"], "object": event["what"], "organisation": None,
                                   "date": when["start"] if when else None, "evidence_event": event["event_id"]})
    return list(found.values())


def previous_rows(out: Path) -> dict[str, dict[str, list[dict]]]:
    """The rows an earlier run wrote, by doc_id and table (for `--resume`)."""
    rows: dict[str, dict[str, list[dict]]] = defaultdict(lambda: {name: [] for name in TABLES})
    for name in TABLES:
        path = out / f"{name}.jsonl"
        if path.exists():
            with path.open(encoding="utf-8") as handle:
                for line in handle:
                    if line.strip():
                        row = json.loads(line)
                        rows[row["doc_id"]][name].append(row)
    return rows


class OutputWriter:
    """Streams rows to temporary files; `close()` publishes them atomically."""

    def __init__(self, out: Path) -> None:
        self.out = out
        out.mkdir(parents=True, exist_ok=True)
        for stale in out.glob(".partial-*"):  # left by a killed run (the caller holds the folder's lock)
            shutil.rmtree(stale, ignore_errors=True)
        self.tmp = Path(tempfile.mkdtemp(prefix=".partial-", dir=out))
        (self.tmp / "clean").mkdir()
        self.files: dict[str, IO[str]] = {
            name: (self.tmp / f"{name}.jsonl").open("w", encoding="utf-8", newline="\n") for name in TABLES}
        self.index: dict[str, dict] = {}
        self.index_docs: dict[str, set[str]] = defaultdict(set)
        self.hashes: dict[str, str] = {}

    def add_rows(self, rows: dict[str, list[dict]], text: str | None) -> dict[str, int]:
        """One document's rows, and its clean text when it was read (`status: ok`)."""
        record = rows["documents"][0]
        self.hashes[record["doc_id"]] = record["sha256"]
        if text is not None:
            (self.tmp / "clean" / f"{record['doc_id']}.txt").write_text(text, encoding="utf-8", newline="")
        for name, table in rows.items():
            self.files[name].writelines(dumps(r) for r in table)
        for row in rows["entities"]:
            entry = self.index.setdefault(row["entity_id"], {"entity_id": row["entity_id"], "label": row["label"],
                                                             "canonical": row["canonical"], "aliases": set(),
                                                             "mentions": 0})
            entry["mentions"] += 1
            if row["text"] != row["canonical"]:
                entry["aliases"].add(row["text"])
            self.index_docs[row["entity_id"]].add(row["doc_id"])
        return {name: len(table) for name, table in rows.items()}

    def close(self) -> None:
        for handle in self.files.values():
            handle.close()
        with (self.tmp / "entity_index.jsonl").open("w", encoding="utf-8", newline="\n") as handle:
            for key in sorted(self.index, key=lambda k: (self.index[k]["label"], self.index[k]["canonical"])):
                entry = dict(self.index[key], aliases=sorted(self.index[key]["aliases"]),
                             documents=sorted(self.index_docs[key]))
                handle.write(dumps(entry))
        clean = self.out / "clean"
        if clean.exists():  # moved aside first, so `clean/` is never half written
            os.replace(clean, self.tmp / "old-clean")
        os.replace(self.tmp / "clean", clean)
        for name in TABLES + ("entity_index",):
            os.replace(self.tmp / f"{name}.jsonl", self.out / f"{name}.jsonl")
        if (self.tmp / MANIFEST).exists():
            os.replace(self.tmp / MANIFEST, self.out / MANIFEST)
        shutil.rmtree(self.tmp, ignore_errors=True)

    def abort(self) -> None:
        for handle in self.files.values():
            handle.close()
        shutil.rmtree(self.tmp, ignore_errors=True)
