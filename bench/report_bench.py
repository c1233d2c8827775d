"""The report at scale: page weight, and how long headless Chromium takes to paint the index.

    python bench/report_bench.py [--documents 1000] [--rounds 5]

Writes a generated run of N documents (tests/report_batch.py), its report site, and prints the size of
the index and of the whole site, and the time `chromium --headless --screenshot` takes for the index
against a blank page, interleaved, medians over the rounds. The screenshot is taken after the first
paint and layout, so the difference bounds the time to first paint from above.
"""
from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from report_batch import write_batch

from pipeline.report_site import write_site


def screenshot_seconds(chromium: str, page: Path, work: Path) -> float:
    started = time.perf_counter()
    subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                    f"--user-data-dir={work / 'profile'}", f"--screenshot={work / 'shot.png'}",
                    "--window-size=1280,1000", page.as_uri()], capture_output=True, check=True, timeout=120)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--documents", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    with tempfile.TemporaryDirectory(prefix="zhie-report-") as scratch:
        folder = Path(scratch)
        out = write_batch(folder / "out", args.documents)
        started = time.perf_counter()
        index = write_site(out, out / "report")
        writing = time.perf_counter() - started
        files = [p for p in index.parent.rglob("*") if p.is_file()]
        print(f"documents: {args.documents}; report written in {writing:.1f} s")
        print(f"index.html: {index.stat().st_size / 1024:,.0f} KiB; site: {len(files):,} files, "
              f"{sum(p.stat().st_size for p in files) / 1024 / 1024:,.1f} MiB")
        if chromium is None:
            print("chromium not found: no paint timing")
            return
        blank = folder / "blank.html"
        blank.write_text("<!DOCTYPE html><title>blank</title><p>blank</p>", encoding="utf-8")
        times: dict[str, list[float]] = {"blank": [], "index": []}
        for _ in range(args.rounds):
            for name, page in (("blank", blank), ("index", index)):
                times[name].append(screenshot_seconds(chromium, page, folder))
        blank_s, index_s = statistics.median(times["blank"]), statistics.median(times["index"])
        print(f"screenshot, medians of {args.rounds}: blank page {blank_s:.2f} s, index {index_s:.2f} s "
              f"(index - blank: {index_s - blank_s:.2f} s)")


if __name__ == "__main__":
    main()
