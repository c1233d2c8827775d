"""End-to-end and per-stage speed, memory and cold start of the pipeline.

    python bench/pipeline_bench.py [--scales 1 10 100] [--workers 1 2]

The input is N copies of the five documents in data/raw. Each (scale, workers)
run is a fresh `zhie run` process; peak RSS is the largest resident set of the
run's process tree, sampled every 0.2 s. Per-stage throughput is measured in one
process on the five documents after the models are loaded and one warm-up pass.
"""
from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RAW = ROOT / "data" / "raw"


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


def end_to_end(scale: int, workers: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        inputs = Path(tmp) / "in"
        inputs.mkdir()
        for copy in range(scale):
            for path in sorted(RAW.glob("*.txt")):
                shutil.copyfile(path, inputs / f"{copy:03d}_{path.name}")
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
    docs = 5 * scale
    return {"scale": scale, "workers": workers, "docs": docs, "seconds": round(seconds, 1),
            "docs_per_s": round(docs / seconds, 2), "chars_per_s": round(chars / seconds),
            "peak_rss_mb": round(peak), "exit_code": process.returncode}


def per_stage() -> dict:
    import pipeline
    from pipeline.encoding import repair_bytes

    started = time.perf_counter()
    nlp = pipeline.load()
    load = time.perf_counter() - started
    data = [p.read_bytes() for p in sorted(RAW.glob("*.txt"))]
    for raw in data:  # warm up: lazily built tables (places, patterns) are not per-document work
        nlp(repair_bytes(raw).text)
    timings: dict[str, float] = {}
    started = time.perf_counter()
    texts = [repair_bytes(d).text for d in data]
    timings["encoding repair"] = time.perf_counter() - started
    chars = sum(map(len, texts))
    started = time.perf_counter()
    docs = [nlp.make_doc(t) for t in texts]
    timings["word segmentation (pkuseg)"] = time.perf_counter() - started
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
    subprocess.run([sys.executable, "-c", "import pipeline; pipeline.load()"], cwd=ROOT, check=True)
    return round(time.perf_counter() - started, 2)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 10])
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args()
    results = {"cold_start_seconds": cold_start(), "per_stage": per_stage(),
               "end_to_end": [end_to_end(s, w) for s in args.scales for w in args.workers]}
    print(json.dumps(results, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
