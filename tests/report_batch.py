"""A generated run of N documents (invented text, fixed seed), written as an output folder: what the
report tests and `bench/report_bench.py` render at scale without running the pipeline."""
from __future__ import annotations

import json
import random
from pathlib import Path

from pipeline.output import entity_id

PEOPLE = ["周立平", "郑海涛", "韩志远", "吴建华", "孙明远", "李红霞", "陈志刚", "王晓燕", "刘德明", "赵敏"]
ORGS = ["滨江市电子商会", "城南工业协会", "东湖区总工会", "青禾市茶叶协会", "远山市汽配商会"]
ACTIONS = [("出席", "ATTEND"), ("讲话", "SPEAK"), ("主持", "PRESIDE")]


def _document(n: int, rng: random.Random) -> tuple[str, list[dict], list[dict], list[dict], list[dict]]:
    """One document's text and rows: a few sentences, each an organisation's meeting and people at it."""
    lines, sentences, entities, dates, events = [], [], [], [], []
    pos, doc_id = 0, f"doc{n:05d}"
    for s in range(rng.randint(3, 8)):
        month, day = rng.randint(1, 12), rng.randint(1, 28)
        year = 1986 if rng.random() < 0.002 else 2023  # the odd misdated event, as real runs have
        org, person = rng.choice(ORGS), rng.choice(PEOPLE)
        verb, action = rng.choice(ACTIONS)
        date_text = f"{month}月{day}日"
        line = f"{date_text}，{org}召开会员大会，{person}{verb}会议。"
        start = pos
        sentences.append({"doc_id": doc_id, "sentence_id": s, "start": start, "end": start + len(line), "kind": "sentence"})
        value = f"{year}-{month:02d}-{day:02d}"
        dates.append({"doc_id": doc_id, "date_id": f"{doc_id}:d{s}", "text": date_text, "start": start,
                      "end": start + len(date_text), "value_start": value, "value_end": value, "granularity": "day",
                      "anchor": "reference_date", "sentence_id": s})
        for name, label in ((org, "ORG"), (person, "PERSON")):
            offset = start + line.index(name)
            entities.append({"doc_id": doc_id, "mention_id": f"{doc_id}:m{len(entities)}", "text": name, "label": label,
                             "start": offset, "end": offset + len(name), "sentence_id": s, "canonical": name,
                             "entity_id": entity_id(label, name), "source": "model"})
        when = {"text": date_text, "start": value, "end": value, "granularity": "day", "date_id": f"{doc_id}:d{s}"}
        for who, label, act in ((org, "ORG", "ORGANIZE"), (person, "PERSON", action)):
            events.append({"doc_id": doc_id, "event_id": f"{doc_id}:e{len(events)}", "sentence_id": s,
                           "who": {"text": who, "label": label, "canonical": who, "title": None, "affiliation": None,
                                   "entity_id": entity_id(label, who)},
                           "action": act, "trigger": verb, "what": "会员大会", "where": None, "when": when,
                           "evidence": line, "confidence": 0.9})
        lines.append(line)
        pos += len(line) + 1
    return "\n".join(lines), sentences, entities, dates, events


def write_batch(out: Path, count: int, seed: int = 7) -> Path:
    """Write an output folder of `count` generated documents into `out`."""
    rng = random.Random(seed)
    tables: dict[str, list[dict]] = {name: [] for name in ("documents", "sentences", "entities", "dates", "events")}
    (out / "clean").mkdir(parents=True)
    index: dict[str, dict] = {}
    for n in range(count):
        text, sentences, entities, dates, events = _document(n, rng)
        doc_id = f"doc{n:05d}"
        (out / "clean" / f"{doc_id}.txt").write_text(text, encoding="utf-8")
        tables["documents"].append({"doc_id": doc_id, "source": f"raw/{doc_id}.txt", "sha256": "0" * 64,
                                    "encoding": "utf-8", "repairs": [], "reference_date": None, "status": "ok",
                                    "error": None})
        for name, rows in (("sentences", sentences), ("entities", entities), ("dates", dates), ("events", events)):
            tables[name] += rows
        for m in entities:
            entry = index.setdefault(m["entity_id"], {"entity_id": m["entity_id"], "label": m["label"],
                                                      "canonical": m["canonical"], "aliases": [], "mentions": 0,
                                                      "documents": []})
            entry["mentions"] += 1
            if doc_id not in entry["documents"]:
                entry["documents"].append(doc_id)
    tables["entity_index"] = list(index.values())
    for name, rows in tables.items():
        (out / f"{name}.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows),
                                           encoding="utf-8")
    return out
