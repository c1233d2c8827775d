"""Agreement between two independent labellings of the same documents, by the spec's scores.

    python bench/gold_agreement.py data/real/gold data/real/gold_second [--json]

The second folder is read as if it were a pipeline's output (each entity's `text` as its
canonical, each event's `who` as its who.canonical) and scored against the first with the
scorer `zhie eval` uses, over the documents the second labelling covers. Entity aliases
of the second labelling are not used, so the figure is a lower bound on agreement.
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

from pipeline.evaluate import score
from pipeline.gold_files import load_gold, only_documents


def as_predictions(gold: dict[str, list[dict]]) -> dict[str, list[dict]]:
    """A gold set in the shape `score` expects of predictions."""
    entities = [{"doc_id": row["doc_id"], "label": row["label"], "canonical": row["text"]}
                for row in gold["entities"]]
    dates = [{"doc_id": row["doc_id"], "text": row["text"], "value_start": row["start"],
              "value_end": row["end"]} for row in gold["dates"]]
    events = [{"doc_id": row["doc_id"], "who": {"canonical": row["who"]}, "action": row["action"],
               "when": None if row["start"] is None else {"start": row["start"], "end": row["end"]},
               "what": row.get("what"), "where": row.get("where")} for row in gold["events"]]
    return {"entities": entities, "dates": dates, "events": events}


def agreement(first: Path, second: Path) -> dict:
    """The spec's scores of labelling `second` against labelling `first`, on `second`'s documents."""
    second_gold = load_gold(second)
    doc_ids = {row["doc_id"] for rows in second_gold.values() for row in rows}
    return score(only_documents(load_gold(first), doc_ids), as_predictions(second_gold))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("first", type=Path)
    parser.add_argument("second", type=Path)
    parser.add_argument("--json", action="store_true", help="print all scores as JSON")
    args = parser.parse_args()
    scores = agreement(args.first, args.second)
    if args.json:
        print(json.dumps(scores, ensure_ascii=False, indent=2))
        return
    print(f"{'document':<20} {'entities':>8} {'dates':>8} {'strict':>8} {'relaxed':>8}")
    rows = [*scores["documents"].items(), ("micro", scores["micro"])]
    for doc_id, doc in rows:
        print(f"{doc_id:<20} {doc['entities']['f1']:>8.3f} {doc['dates']['f1']:>8.3f} "
              f"{doc['events']['strict']['f1']:>8.3f} {doc['events']['relaxed']['f1']:>8.3f}")


if __name__ == "__main__":
    main()
