"""NER model benchmark: entity F1 on held-out public test sets, speed and size.

    python bench/ner_bench.py [--model models/ner_crf] [--write models/ner_crf/scores.json]

Scores are exact-span, per-label micro P/R/F1 on MSRA test (never trained on),
People's Daily test (the sentences absent from MSRA train) and Weibo test
(named mentions only). Speed is characters per second on MSRA test text in one
process after loading, batch of sentences, on this machine.
"""
from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from pipeline.corpora import LabelledText, msra_test, read_char_columns
from pipeline.ner import CharModel

ROOT = Path(__file__).resolve().parent.parent
CORPORA = ROOT.parent / "shared" / "corpora"


def spans(items: list[LabelledText]) -> set[tuple[int, int, int, str]]:
    return {(i, s, e, label) for i, item in enumerate(items) for s, e, label in item.spans if label}


def score(model: CharModel, items: list[LabelledText]) -> dict:
    predicted = set()
    docs = model.nlp.pipe((item.text for item in items), batch_size=256)
    for i, doc in enumerate(docs):
        predicted |= {(i, e.start_char, e.end_char, "PERSON" if e.label_ == "PER" else e.label_) for e in doc.ents}
    return span_scores(spans(items), predicted)


def span_scores(gold: set[tuple], predicted: set[tuple]) -> dict:
    """Exact-span micro P/R/F1 per label and overall; a span's label is its last field."""
    result = {}
    for label in ("PERSON", "ORG", "LOC", None):
        g = {x for x in gold if label in (None, x[-1])}
        p = {x for x in predicted if label in (None, x[-1])}
        tp = len(g & p)
        precision, recall = tp / len(p) if p else 0.0, tp / len(g) if g else 0.0
        f1 = 2 * precision * recall / (precision + recall) if tp else 0.0
        result[label or "all"] = {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4)}
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=ROOT / "models" / "ner_crf")
    parser.add_argument("--write", type=Path, help="Also write the results as JSON here.")
    args = parser.parse_args()
    started = time.perf_counter()
    model = CharModel(args.model)
    load_seconds = time.perf_counter() - started
    msra = msra_test(CORPORA)
    sets = {
        "msra_test": msra,
        "peoples_daily_test_not_in_msra_train": list(read_char_columns(
            CORPORA / "peoples_daily_ner" / "example.test.not_in_msra_train", "peoples_daily")),
        "weibo_test": list(read_char_columns(CORPORA / "weibo_ner" / "weiboNER_2nd_conll.test", "weibo")),
    }
    results: dict = {"model": str(args.model), "load_seconds": round(load_seconds, 2)}
    for name, items in sets.items():
        results[name] = score(model, items)
    text = [item.text for item in msra]
    started = time.perf_counter()
    list(model.nlp.pipe(text, batch_size=256))
    seconds = time.perf_counter() - started
    results["chars_per_second"] = round(sum(map(len, text)) / seconds)
    results["size_mb"] = round(sum(f.stat().st_size for f in args.model.rglob("*") if f.is_file()) / 2**20, 1)
    print(json.dumps(results, ensure_ascii=False, indent=2))
    if args.write:
        args.write.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
