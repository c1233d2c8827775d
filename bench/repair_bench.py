"""Encoding-repair throughput (MB/s) on about 10 MB of corpus text, per input kind.

    python bench/repair_bench.py [--mb 10]

Kinds: clean UTF-8, GB18030 bytes, UTF-8 mojibake (GB18030 read as latin-1),
and OCR-spaced text. Each is repaired once, whole, as one document would be.
"""
from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from pipeline.corpora import msra_train
from pipeline.encoding import repair_bytes

CORPORA = Path(__file__).resolve().parent.parent.parent / "shared" / "corpora"


def corpus_text(megabytes: float) -> str:
    lines, size = [], 0
    for item in msra_train(CORPORA):
        lines.append(item.text)
        size += len(item.text.encode("utf-8")) + 1
        if size >= megabytes * 2**20:
            break
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=10.0)
    args = parser.parse_args()
    text = corpus_text(args.mb)
    kinds = {
        "utf8_clean": text.encode("utf-8"),
        "gb18030": text.encode("gb18030"),
        "latin1_mojibake": text.encode("gb18030").decode("latin-1").encode("utf-8"),
        "ocr_spaced": " ".join(text).encode("utf-8")[: len(text.encode("utf-8"))],
    }
    results = {}
    for kind, data in kinds.items():
        started = time.perf_counter()
        repaired = repair_bytes(data)
        seconds = time.perf_counter() - started
        results[kind] = {"mb": round(len(data) / 2**20, 2), "seconds": round(seconds, 2),
                         "mb_per_s": round(len(data) / 2**20 / seconds, 2), "repairs": repaired.repairs}
    print(json.dumps(results, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
