"""Word segmentation benchmark: exact word-span F1 of the shipped spacy-pkuseg model on UD
Chinese GSDSimp test (never trained on), through `pkuseg.cut` as the pipeline calls it, and speed.

    python bench/seg_bench.py [--model models/pkuseg]
"""
from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import spacy_pkuseg

from pipeline.corpora import read_conllu_words

ROOT = Path(__file__).resolve().parent.parent
TEST = ROOT.parent / "shared" / "corpora" / "ud_chinese_gsdsimp" / "zh_gsdsimp-ud-test.conllu"


def word_spans(words: list[str]) -> set[tuple[int, int]]:
    spans, start = set(), 0
    for word in words:
        spans.add((start, start + len(word)))
        start += len(word)
    return spans


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=ROOT / "models" / "pkuseg")
    args = parser.parse_args()
    segmenter = spacy_pkuseg.pkuseg(model_name=str(args.model), user_dict="default")
    sentences = list(read_conllu_words(TEST))
    correct = gold = found = chars = 0
    started = time.perf_counter()
    for words in sentences:
        text = "".join(words)
        predicted = word_spans(segmenter.cut(text))
        expected = word_spans(words)
        correct, gold, found, chars = (correct + len(predicted & expected), gold + len(expected),
                                       found + len(predicted), chars + len(text))
    seconds = time.perf_counter() - started
    precision, recall = correct / found, correct / gold
    print(json.dumps({"sentences": len(sentences), "precision": round(precision, 4), "recall": round(recall, 4),
                      "f1": round(2 * precision * recall / (precision + recall), 4),
                      "chars_per_second": round(chars / seconds)}, indent=2))


if __name__ == "__main__":
    main()
