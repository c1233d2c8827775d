"""Print the `zhie eval` scores (data/out/eval.json) as the Markdown table in the README.

    zhie run data/raw && zhie eval && python bench/scores_markdown.py
"""
from __future__ import annotations

import json
import sys
from pathlib import Path


def f1(counts: dict) -> str:
    """The F1, or a dash when there was nothing to score (no gold and no prediction)."""
    return f"{counts['f1']:.3f}" if counts["tp"] + counts["fp"] + counts["fn"] else "–"


def share(events: dict, field: str) -> str:
    return f"{events[field + '_agreement']:.3f}" if events[field + "_compared"] else "–"


def row(name: str, scores: dict) -> str:
    entities, dates, events = scores["entities"], scores["dates"], scores["events"]
    labels = " / ".join(f1(entities["per_label"][label]) for label in ("PERSON", "ORG", "LOC"))
    return (f"| {name} | {entities['f1']:.3f} | {labels} | {scores['entities_canonical']['f1']:.3f} | "
            f"{dates['f1']:.3f} | {dates['interval_accuracy']:.3f} | {events['strict']['f1']:.3f} | "
            f"{events['relaxed']['f1']:.3f} | {events['when_accuracy']:.3f} | {share(events, 'what')} | "
            f"{share(events, 'where')} |")


def main() -> None:
    path = Path(sys.argv[1] if len(sys.argv) > 1 else "data/out/eval.json")
    scores = json.loads(path.read_text(encoding="utf-8"))
    print("| document | entities F1 | PERSON / ORG / LOC F1 | canonical F1 | dates F1 | interval acc. | "
          "events strict F1 | relaxed F1 | when acc. | what agr. | where agr. |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for doc_id, doc_scores in sorted(scores["documents"].items()):
        print(row(doc_id, doc_scores))
    print(row("**micro**", scores["micro"]))


if __name__ == "__main__":
    main()
