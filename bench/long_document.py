"""One long yearbook-like document against many short ones: end-to-end throughput and peak memory.

    python bench/long_document.py [--mb 15] [--small-mb 3] [--rounds 1]

The long document is the text of every document in data/raw and data/real/raw, joined with blank lines
and repeated until it is MB megabytes of UTF-8 (a whole OCR'd yearbook is this size). The short ones are
the same documents as separate files, repeated to SMALL-MB. Each side is one `zhie run` in a child
process (model loading included), measured by its wall time and peak RSS; with several rounds the two
sides alternate and the medians are printed. Scratch files go to a temporary folder.
"""
from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The child runs the CLI, then reports its own peak RSS (ru_maxrss is in KiB on Linux).
CHILD = ("import atexit, resource, sys\n"
         "atexit.register(lambda: print('RSS', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr))\n"
         "from pipeline.cli import app\n"
         "sys.argv = ['zhie'] + sys.argv[1:]\n"
         "app()\n")


def source_texts() -> list[str]:
    sys.path.insert(0, str(ROOT))
    import pipeline

    paths = sorted((ROOT / "data" / "raw").glob("*.txt")) + sorted((ROOT / "data" / "real" / "raw").glob("*.txt"))
    return [pipeline.read(path).text for path in paths]


def build(folder: Path, texts: list[str], mb: float, small_mb: float) -> tuple[Path, Path]:
    long_dir, small_dir = folder / "long", folder / "small"
    long_dir.mkdir()
    small_dir.mkdir()
    one = "\n\n".join(texts) + "\n\n"
    copies = int(mb * 1024 * 1024 // len(one.encode("utf-8"))) + 1
    (long_dir / "yearbook.txt").write_text(one * copies, encoding="utf-8")
    size, n = 0, 0
    while size < small_mb * 1024 * 1024:
        text = texts[n % len(texts)]
        (small_dir / f"doc{n:05d}.txt").write_text(text, encoding="utf-8")
        size += len(text.encode("utf-8"))
        n += 1
    return long_dir, small_dir


def measure(inputs: Path, out: Path) -> dict:
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "-c", CHILD, "run", str(inputs), "--out", str(out), "-q"], check=False,
                            cwd=ROOT, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(f"zhie run {inputs} failed:\n{result.stderr}")
    rows = [json.loads(line) for line in (out / "documents.jsonl").read_text(encoding="utf-8").splitlines()]
    rss_kib = int(next(line for line in result.stderr.splitlines() if line.startswith("RSS")).split()[1])
    chars = sum(row["chars"] for row in rows)
    return {"documents": len(rows), "chars": chars, "seconds": seconds, "chars_per_s": chars / seconds,
            "peak_rss_mb": rss_kib / 1024}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mb", type=float, default=15.0, help="size of the long document in MB of UTF-8")
    parser.add_argument("--small-mb", type=float, default=3.0, help="total size of the short documents")
    parser.add_argument("--rounds", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="zhie-long-") as scratch:
        folder = Path(scratch)
        long_dir, small_dir = build(folder, source_texts(), args.mb, args.small_mb)
        runs: dict[str, list[dict]] = {"one long document": [], "many short documents": []}
        for round_number in range(args.rounds):
            for name, inputs in (("one long document", long_dir), ("many short documents", small_dir)):
                figures = measure(inputs, folder / f"out-{round_number}-{inputs.name}")
                runs[name].append(figures)
                print(f"round {round_number + 1} {name}: {json.dumps(figures)}", file=sys.stderr)
    print("| input | documents | characters | seconds | chars/s | peak RSS |")
    print("|---|---|---|---|---|---|")
    for name, rounds in runs.items():
        median = {key: statistics.median(r[key] for r in rounds) for key in rounds[0]}
        print(f"| {name} | {median['documents']:,.0f} | {median['chars']:,.0f} | {median['seconds']:.0f} | "
              f"{median['chars_per_s']:,.0f} | {median['peak_rss_mb']:,.0f} MB |")
    ratio = statistics.median(r["chars_per_s"] for r in runs["one long document"]) / \
        statistics.median(r["chars_per_s"] for r in runs["many short documents"])
    print(f"\nlong / short throughput: {ratio:.2f}")


if __name__ == "__main__":
    main()
