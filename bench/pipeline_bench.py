"""End-to-end and per-stage speed, memory and cold start of the pipeline.

    python bench/pipeline_bench.py [--scales 1 10 100] [--workers 1 2] [--corpus-docs 500]

Two kinds of input: N copies of the five documents in data/raw, and a corpus of
distinct documents (~4,400 characters each, like the five) built from MSRA NER
train sentences in ../shared/corpora. Copies repeat the same sentences, which
the segmenter's feature cache and the rules' caches see again; the distinct
corpus is the fair measure of speed on new text. Each (input, workers) run is a
fresh `zhie run` process; peak RSS is the largest resident set of the run's
process tree, sampled every 0.2 s. Per-stage throughput is measured in one
process on 50 corpus documents, after the models are loaded and a warm-up pass
over the five documents.
"""
from __future__ import annotations

import argparse
import functools
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parent.parent
RAW = ROOT / "data" / "raw"
CORPORA = ROOT.parent / "shared" / "corpora"
DOC_CHARS = 4_400  # about the length of one of the five documents


def copies(scale: int, folder: Path) -> None:
    for copy in range(scale):
        for path in sorted(RAW.glob("*.txt")):
            shutil.copyfile(path, folder / f"{copy:03d}_{path.name}")


def corpus_texts(count: int) -> list[str]:
    """`count` distinct documents of consecutive MSRA train sentences, one sentence per line."""
    from pipeline.corpora import msra_train

    texts, lines, size = [], [], 0
    for item in msra_train(CORPORA):
        lines.append(item.text)
        size += len(item.text)
        if size >= DOC_CHARS:
            texts.append("\n".join(lines) + "\n")
            lines, size = [], 0
            if len(texts) == count:
                break
    return texts


def corpus(count: int, folder: Path) -> None:
    for i, text in enumerate(corpus_texts(count)):
        (folder / f"corpus_{i:05d}.txt").write_text(text, encoding="utf-8")


def tree_rss_mb(pid: int) -> float:
    """Resident memory of a process and its children, from /proc."""
    total, stack = 0, [pid]
    while stack:
        current = stack.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
            total += int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmRSS")))
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
            stack += [int(c) for c in children]
        except (OSError, StopIteration):
            continue
    return total / 1024


def end_to_end(name: str, fill: Callable[[Path], None], docs: int, workers: int, load_seconds: float) -> dict:
    """One fresh `zhie run`; `load_seconds` (the cold start) is taken off for the speed after loading."""
    with tempfile.TemporaryDirectory() as tmp:
        inputs = Path(tmp) / "in"
        inputs.mkdir()
        fill(inputs)
        chars = sum(len(p.read_text(encoding="utf-8")) for p in inputs.iterdir())
        started = time.perf_counter()
        process = subprocess.Popen([sys.executable, "-m", "pipeline", "run", str(inputs), "--out", f"{tmp}/out",
                                    "--quiet", "--workers", str(workers)], cwd=ROOT,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        peak = 0.0
        while process.poll() is None:
            peak = max(peak, tree_rss_mb(process.pid))
            time.sleep(0.2)
        seconds = time.perf_counter() - started
    return {"input": name, "workers": workers, "docs": docs, "chars": chars, "seconds": round(seconds, 1),
            "docs_per_s": round(docs / seconds, 2), "chars_per_s": round(chars / seconds),
            "chars_per_s_after_load": round(chars / max(seconds - load_seconds, 1e-9)),
            "peak_rss_mb": round(peak), "exit_code": process.returncode}


def per_stage() -> dict:
    from pipeline.document import load_pipeline
    from pipeline.encoding import repair_bytes

    started = time.perf_counter()
    nlp = load_pipeline({})  # as `zhie run` loads it: one token per character, no pkuseg words
    load = time.perf_counter() - started
    data = [p.read_bytes() for p in sorted(RAW.glob("*.txt"))]
    for raw in data:  # warm up: lazily built tables (places, patterns) are not per-document work
        nlp(repair_bytes(raw).text)
    data = [text.encode("utf-8") for text in corpus_texts(50)]
    timings: dict[str, float] = {}
    started = time.perf_counter()
    texts = [repair_bytes(d).text for d in data]
    timings["encoding repair"] = time.perf_counter() - started
    chars = sum(map(len, texts))
    started = time.perf_counter()
    docs = [nlp.make_doc(t) for t in texts]
    timings["documents (one token per character)"] = time.perf_counter() - started
    for name, component in nlp.pipeline:
        started = time.perf_counter()
        docs = [component(doc) for doc in docs]
        timings[name] = time.perf_counter() - started
    total = sum(timings.values())
    return {"model_load_seconds": round(load, 2), "chars": chars,
            "stages_chars_per_s": {k: round(chars / v) for k, v in timings.items()},
            "all_stages_chars_per_s": round(chars / total)}


def cold_start() -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", "from pipeline.document import load_pipeline; load_pipeline({})"],
                   cwd=ROOT, check=True)
    return round(time.perf_counter() - started, 2)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 10], help="Copies of the five documents.")
    parser.add_argument("--corpus-docs", type=int, nargs="*", default=[100],
                        help="Sizes of the distinct-document corpus to run (none: skip it).")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args()
    runs = [(f"{s}x the five documents", functools.partial(copies, s), 5 * s) for s in args.scales]
    runs += [(f"{n} corpus documents", functools.partial(corpus, n), n) for n in args.corpus_docs]
    load = cold_start()
    results = {"cold_start_seconds": load, "per_stage": per_stage(),
               "end_to_end": [end_to_end(name, fill, docs, w, load) for name, fill, docs in runs for w in args.workers]}
    print(json.dumps(results, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
