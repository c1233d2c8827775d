"""Entity F1 of the whole NER stage (model + domain rules) on MSRA test, a check on text the rules never saw.

    python bench/ner_stage_bench.py

The rules are written for association and trade-union documents and follow the
project's conventions (meetings and party congresses are events, departments
fold into their parent, venues are not places), which differ from MSRA's, so
this score sits below the model's own (bench/ner_bench.py). Its use is as a
guard: a rule that lowers it without a matching gain on the gold documents fits
the five documents rather than the genre. MSRA test sentences are grouped 200
to a document; scores are exact-span micro P/R/F1.
"""
from __future__ import annotations

import json
from pathlib import Path

from ner_bench import span_scores

from pipeline import MODELS
from pipeline.corpora import msra_test
from pipeline.knowledge import load_knowledge
from pipeline.mention_steps import find_mentions
from pipeline.ner import CharModel

CORPORA = Path(__file__).resolve().parent.parent.parent / "shared" / "corpora"
SENTENCES_PER_DOCUMENT = 200


def main() -> None:
    items = msra_test(CORPORA)
    model = CharModel(MODELS / "ner_crf")
    gold: set[tuple[int, int, int, str]] = set()
    predicted: set[tuple[int, int, int, str]] = set()
    for doc, first in enumerate(range(0, len(items), SENTENCES_PER_DOCUMENT)):
        text = ""
        for item in items[first:first + SENTENCES_PER_DOCUMENT]:
            gold |= {(doc, len(text) + s, len(text) + e, label) for s, e, label in item.spans if label}
            text += item.text + "\n"
        predicted |= {(doc, m.start, m.end, m.label) for m in find_mentions(load_knowledge(), text, model)}
    results = span_scores(gold, predicted)
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
