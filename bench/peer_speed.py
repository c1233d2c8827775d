"""zhie's speed against its peers, Baidu LAC and jieba, on the same folder.

    python bench/peer_speed.py [--input DIR] [--files 100] [--rounds 3] [--busy] [--json]
        [--systems zhie-crf zhie-spacy lac jieba] [--workers 1 2]

Peers: the `bench` extra. LAC 2.1.2 (lexical analysis: words, parts of speech and PER/LOC/ORG/TIME)
runs on paddlepaddle 2.6.2, the oldest release with Python 3.11 wheels, which renamed LAC's
`paddle.fluid` to `paddle.base`: this bench aliases the old name before importing LAC, nothing else.
LAC's sdist imports pkg_resources to build, so install the extra with setuptools<81 in the build
environment (`PIP_CONSTRAINT=c.txt`, a file reading `setuptools<81`). jieba 0.42.1 runs `posseg`, its
words with parts of speech (nr/ns/nt mark names). Each peer reads every file as zhie does, tags its
non-empty lines and writes one JSON line per file.

Input: by default the five documents in data/raw copied to `--files` files (the copies repeat the same
sentences), in a temporary folder. Every system and worker count is one fresh process per round, timed
from start to exit (whole-process chars/s), its peak RSS the largest resident set of its process tree.
The load time is the same command on a one-line file in the same round; after-load chars/s is the
characters over the whole time less that. Rounds are interleaved (each round runs every system once,
in a rotated order), figures are medians over rounds, and each zhie figure is also given as the median
of its per-round ratios to LAC's with the same workers. `--busy` runs a second set of rounds beside one
competing CPU-bound process and reports each system's loss of whole-process chars/s.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from pipeline_bench import RAW, ROOT, copies, tree_rss_mb

SYSTEMS = ("zhie-crf", "zhie-spacy", "lac", "jieba")
ZHIE_NER = {"zhie-crf": "crf", "zhie-spacy": "spacy"}
SAMPLE_SECONDS = 0.1


# --- the peers, run in their own processes (`--peer NAME`) ---

def _import_lac() -> object:
    """LAC's class, with `paddle.fluid` aliased to `paddle.base` where paddle no longer has it (2.6+)."""
    import importlib.util

    import paddle

    if importlib.util.find_spec("paddle.fluid") is None:
        import paddle.base

        sys.modules["paddle.fluid"], sys.modules["paddle.fluid.core"] = paddle.base, paddle.base.core
    from LAC import LAC

    return LAC


_tagger = None


def _load_peer(name: str) -> None:
    """Load the peer's model once per process, as zhie's workers do."""
    global _tagger
    if name == "lac":
        _tagger = _import_lac()(mode="lac")
    else:
        import jieba
        import jieba.posseg

        jieba.setLogLevel(60)
        jieba.initialize()
        _tagger = jieba.posseg


def _tag_file(job: tuple[str, str]) -> str:
    name, path = job
    lines = [line for line in Path(path).read_text(encoding="utf-8").splitlines() if line.strip()]
    if name == "lac":
        tagged = _tagger.run(lines) if lines else []
    else:
        tagged = [[(pair.word, pair.flag) for pair in _tagger.cut(line)] for line in lines]
    return json.dumps({"file": Path(path).name, "lines": tagged}, ensure_ascii=False)


def run_peer(name: str, source: Path, out: Path, workers: int) -> None:
    jobs = [(name, str(path)) for path in sorted(source.glob("*.txt"))]
    out.mkdir(parents=True, exist_ok=True)
    with (out / f"{name}.jsonl").open("w", encoding="utf-8") as handle:
        if workers <= 1:
            _load_peer(name)
            handle.writelines(row + "\n" for row in map(_tag_file, jobs))
            return
        import multiprocessing

        with multiprocessing.get_context("spawn").Pool(workers, _load_peer, (name,)) as pool:
            handle.writelines(row + "\n" for row in pool.imap(_tag_file, jobs, chunksize=1))


# --- the measurement ---

def command(system: str, source: Path, out: Path, workers: int) -> list[str]:
    if system in ZHIE_NER:
        return [sys.executable, "-m", "pipeline", "run", str(source), "--out", str(out), "--quiet",
                "--ner", ZHIE_NER[system], "--workers", str(workers)]
    return [sys.executable, __file__, "--peer", system, "--input", str(source), "--out", str(out),
            "--workers", str(workers)]


def timed(cmd: list[str]) -> tuple[float, float]:
    """Seconds from start to exit and peak RSS (MB) of the process tree; a failed run stops the bench."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))  # this checkout's zhie, not an installed one
    started = time.perf_counter()
    process = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    peak = 0.0
    while process.poll() is None:
        peak = max(peak, tree_rss_mb(process.pid))
        time.sleep(SAMPLE_SECONDS)
    seconds = time.perf_counter() - started
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({process.returncode}): {process.stderr.read()[-2000:]}")
    return seconds, peak


def measure(system: str, workers: int, source: Path, tiny: Path, chars: int, work: Path) -> dict:
    """One round of one system: the whole folder, then the one-line file for its load time."""
    whole, peak = timed(command(system, source, work / "out", workers))
    load, _ = timed(command(system, tiny, work / "out_tiny", workers))
    return {"whole_cps": chars / whole, "after_load_cps": chars / max(whole - load, 1e-9), "load_s": load,
            "peak_rss_mb": peak, "seconds": whole}


def busy_loop() -> subprocess.Popen:
    """One competing CPU-bound process, as another user's job on the same machine."""
    return subprocess.Popen([sys.executable, "-c", "while True: pass"])


def rounds(configs: list[tuple[str, int]], count: int, source: Path, tiny: Path, chars: int,
           busy: bool) -> dict[tuple[str, int], list[dict]]:
    results: dict[tuple[str, int], list[dict]] = {config: [] for config in configs}
    for number in range(count):
        competitor = busy_loop() if busy else None
        try:
            shift = number % len(configs)
            for system, workers in configs[shift:] + configs[:shift]:
                with tempfile.TemporaryDirectory(prefix="peer_speed_") as work:
                    results[system, workers].append(measure(system, workers, source, tiny, chars, Path(work)))
                print(f"{'busy ' if busy else ''}round {number + 1}/{count}: {system} x{workers} "
                      f"{results[system, workers][-1]['whole_cps']:,.0f} chars/s", file=sys.stderr)
        finally:
            if competitor is not None:
                competitor.kill()
                competitor.wait()
    return results


def summarise(quiet: dict, busy: dict | None) -> list[dict]:
    """Medians over rounds; zhie's per-round ratios to LAC with the same workers; the loss when busy."""
    rows = []
    for (system, workers), runs in quiet.items():
        row = {"system": system, "workers": workers, "rounds": len(runs)}
        row.update({key: statistics.median(run[key] for run in runs) for key in runs[0]})
        lac = quiet.get(("lac", workers))
        if lac and system != "lac":
            for key in ("whole_cps", "after_load_cps"):
                row[f"{key}_vs_lac"] = statistics.median(run[key] / peer[key] for run, peer in zip(runs, lac))
        if busy:
            row["busy_whole_cps"] = statistics.median(run["whole_cps"] for run in busy[system, workers])
            row["busy_loss"] = 1 - row["busy_whole_cps"] / row["whole_cps"]
        rows.append(row)
    return rows


def markdown(rows: list[dict], info: dict) -> str:
    def ratio(row: dict, key: str) -> str:
        return f" ({row[key]:.2f}× LAC)" if key in row else ""

    lines = [f"{info['files']} files, {info['chars']:,} characters; {info['rounds']} interleaved rounds, medians; "
             f"{info['peers']}", "",
             "| system | workers | chars/s whole process | chars/s after load | load s | peak RSS MB |"
             + (" chars/s beside a busy process | loss |" if "busy_loss" in rows[0] else ""),
             "|---|---:|---:|---:|---:|---:|" + ("---:|---:|" if "busy_loss" in rows[0] else "")]
    for row in rows:
        line = (f"| {row['system']} | {row['workers']} | {row['whole_cps']:,.0f}{ratio(row, 'whole_cps_vs_lac')} | "
                f"{row['after_load_cps']:,.0f}{ratio(row, 'after_load_cps_vs_lac')} | {row['load_s']:.2f} | "
                f"{row['peak_rss_mb']:,.0f} |")
        if "busy_loss" in row:
            line += f" {row['busy_whole_cps']:,.0f} | {row['busy_loss']:.0%} |"
        lines.append(line)
    return "\n".join(lines)


PEER_PACKAGES = {"lac": ("LAC", "paddlepaddle"), "jieba": ("jieba",)}


def peer_versions(systems: list[str]) -> str:
    """The peers' packages with their versions; a missing one stops the bench before any run."""
    from importlib.metadata import PackageNotFoundError, version

    found = []
    for package in (p for system in systems for p in PEER_PACKAGES.get(system, ())):
        try:
            found.append(f"{package} {version(package)}")
        except PackageNotFoundError:
            raise SystemExit(f"{package} is not installed: pip install 'zhie[bench]' (see this file's docstring)")
    return ", ".join(found) + (" (paddle.fluid aliased to paddle.base)" if "lac" in systems else "")


def prepare(args: argparse.Namespace, folder: Path) -> tuple[Path, Path, int, int]:
    """The input folder (given, or the five documents copied), a one-line folder, files and characters."""
    source = args.input
    if source is None:
        source = folder / "in"
        source.mkdir()
        copies(-(-args.files // len(list(RAW.glob("*.txt")))), source)
    paths = sorted(source.glob("*.txt"))
    if not paths:
        raise SystemExit(f"no .txt files in {source}")
    tiny = folder / "tiny"
    tiny.mkdir()
    first = next(line for line in paths[0].read_text(encoding="utf-8").splitlines() if line.strip())
    (tiny / "one.txt").write_text(first + "\n", encoding="utf-8")
    return source, tiny, len(paths), sum(len(p.read_text(encoding="utf-8")) for p in paths)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--input", type=Path, help="A folder of UTF-8 .txt files (default: copies of data/raw).")
    parser.add_argument("--files", type=int, default=100, help="How many copies of the five documents' files.")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--systems", nargs="+", choices=SYSTEMS, default=list(SYSTEMS))
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--busy", action="store_true", help="Also run the rounds beside a CPU-bound process.")
    parser.add_argument("--json", action="store_true", help="Print the figures as JSON after the table.")
    parser.add_argument("--peer", choices=("lac", "jieba"), help=argparse.SUPPRESS)  # a peer's own process
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.peer:
        run_peer(args.peer, args.input, args.out, args.workers[0])
        return
    peers = peer_versions(args.systems)
    configs = [(system, workers) for system in args.systems for workers in args.workers]
    with tempfile.TemporaryDirectory(prefix="peer_speed_in_") as folder:
        source, tiny, files, chars = prepare(args, Path(folder))
        quiet = rounds(configs, args.rounds, source, tiny, chars, busy=False)
        busy = rounds(configs, args.rounds, source, tiny, chars, busy=True) if args.busy else None
    info = {"files": files, "chars": chars, "rounds": args.rounds, "peers": peers, "cpus": os.cpu_count()}
    rows = summarise(quiet, busy)
    print(markdown(rows, info))
    if args.json:
        print(json.dumps({"info": info, "rows": rows}, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
