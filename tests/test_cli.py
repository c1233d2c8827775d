"""The command line on bad input: every case has a documented outcome and none stops the batch.

Outcomes (README, "Bad input"): a per-document `status: error` record with a
message naming the problem, or a CLI error (exit 2) naming the path.
"""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import RAW, ROOT
from pipeline.cli import app

runner = CliRunner()
GOOD = (RAW / "001_3cf8fd2a6e8ed36f.txt").read_bytes()


def records(out: Path) -> dict[str, dict]:
    rows = [json.loads(line) for line in (out / "documents.jsonl").read_text(encoding="utf-8").splitlines()]
    return {row["doc_id"]: row for row in rows}


@pytest.fixture(scope="module")
def battery(tmp_path_factory) -> tuple[Path, Path, object]:
    """One folder holding every kind of bad input next to a good document, run once."""
    folder = tmp_path_factory.mktemp("inputs")
    (folder / "good.txt").write_bytes(GOOD)
    (folder / "empty.txt").write_bytes(b"")
    (folder / "blank.txt").write_bytes(b" \n\t\n  ")
    (folder / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n" + os.urandom(300))
    (folder / "paper.pdf").write_bytes(b"%PDF-1.4\n" + os.urandom(300))
    (folder / "letter.docx").write_bytes(b"PK\x03\x04" + os.urandom(300))
    (folder / "legacy.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + os.urandom(300))
    (folder / "noise.bin").write_bytes(bytes(range(256)) * 4)
    (folder / "truncated.txt").write_bytes("协会召开理事会议。".encode("utf-8")[:-2])
    (folder / "mixed.txt").write_bytes("协会召开会议。\n".encode("utf-8") + "上海市总工会出席会议。".encode("gbk"))
    (folder / "nul.txt").write_bytes("协会召开\x00理事会议。".encode("utf-8"))
    (folder / "huge.txt").write_bytes(("协会召开理事会议。" * 20000).encode("utf-8"))
    (folder / "one_line.txt").write_bytes(("长" * 400000).encode("utf-8"))
    (folder / "dangling.txt").symlink_to(folder / "missing-target.txt")
    (folder / "sub").mkdir()
    (folder / "sub" / "loop").symlink_to(folder / "sub")
    (folder / "sub" / "good.txt").write_bytes(GOOD)
    out = tmp_path_factory.mktemp("out")
    result = runner.invoke(app, ["run", str(folder), "--out", str(out), "--quiet", "--max-bytes", "500000"])
    return folder, out, result


def test_batch_goes_on_and_exit_code_says_something_failed(battery):
    _, out, result = battery
    assert result.exit_code == 1
    rows = records(out)
    assert rows["good"]["status"] == "ok" and rows["sub__good"]["status"] == "ok"


@pytest.mark.parametrize("doc_id,message", [
    ("empty", "empty file"),
    ("blank", "only whitespace"),
    ("image", "binary file (a PNG image)"),
    ("paper", "unreadable PDF"),
    ("letter", "unreadable Word document"),
    ("legacy", "a legacy Office .doc/.xls file; save it as .docx"),
    ("noise", "binary file"),
    ("huge", "over the limit of 500,000 bytes"),
    ("one_line", "over the limit of 500,000 bytes"),
    ("dangling", "cannot read"),
])
def test_bad_inputs_get_an_error_record(battery, doc_id, message):
    row = records(battery[1])[doc_id]
    assert row["status"] == "error" and message in row["error"]


@pytest.mark.parametrize("doc_id,text", [
    ("truncated", "协会召开理事会"),
    ("mixed", "上海市总工会出席会议"),
    ("nul", "协会召开理事会议"),
])
def test_damaged_text_is_read_with_what_survives(battery, doc_id, text):
    row = records(battery[1])[doc_id]
    assert row["status"] == "ok"
    assert text in (battery[1] / "clean" / f"{doc_id}.txt").read_text(encoding="utf-8")


def test_duplicate_names_and_symlink_loops_are_reported(battery):
    _, _, result = battery
    assert "doc_id 'good' already used, so this one is 'sub__good'" in result.output
    assert "symlink loop" in result.output


def test_missing_input_is_a_usage_error(tmp_path):
    result = runner.invoke(app, ["run", str(tmp_path / "nowhere"), "--out", str(tmp_path / "out")])
    assert result.exit_code == 2 and "input not found" in result.output


def test_resume_reuses_finished_documents(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_bytes(GOOD)
    out = tmp_path / "out"
    first = runner.invoke(app, ["run", str(folder), "--out", str(out), "-q"])
    assert first.exit_code == 0
    before = (out / "entities.jsonl").read_bytes()
    (folder / "b.txt").write_bytes(GOOD)
    again = runner.invoke(app, ["run", str(folder), "--out", str(out), "-q", "--resume"])
    assert "2 documents ok (1 reused)" in again.output
    assert (out / "entities.jsonl").read_bytes().startswith(before)


@pytest.mark.slow
def test_interrupted_run_leaves_previous_outputs_whole(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(40):
        (folder / f"doc{i:02d}.txt").write_bytes(GOOD)
    out = tmp_path / "out"
    runner.invoke(app, ["run", str(folder / "doc00.txt"), "--out", str(out), "-q"])
    previous = {p.name: p.read_bytes() for p in out.glob("*.jsonl")}
    process = subprocess.Popen([sys.executable, "-m", "pipeline", "run", str(folder), "--out", str(out), "-q"],
                               cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 120
    while time.time() < deadline and not any(out.glob(".partial-*/clean/doc0[3-9].txt")):
        time.sleep(0.2)
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert {p.name: p.read_bytes() for p in out.glob("*.jsonl")} == previous
    rerun = runner.invoke(app, ["run", str(folder), "--out", str(out), "-q"])
    assert rerun.exit_code == 0
    assert len(records(out)) == 40 and not list(out.glob(".partial-*"))


@pytest.mark.slow
def test_two_workers_give_the_same_files_as_one(tmp_path, run_output):
    out = tmp_path / "out"
    result = runner.invoke(app, ["run", str(RAW), "--out", str(out), "-q", "--workers", "2"])
    assert result.exit_code == 0
    for name in ("documents", "entities", "dates", "events", "entity_index"):
        assert (out / f"{name}.jsonl").read_bytes() == (run_output / f"{name}.jsonl").read_bytes(), name


def test_the_command_line_loads_no_models_or_spacy_until_it_processes():
    """The parent of a worker pool only reads, orders and writes: loading spaCy there (and torch,
    which thinc imports when present) would add a few hundred MB to every multi-worker run."""
    probe = "import sys, pipeline.cli; print(sorted(m for m in ('spacy', 'thinc', 'torch') if m in sys.modules))"
    result = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_run_can_export_tables_too(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_bytes(GOOD)
    out = tmp_path / "out"
    result = runner.invoke(app, ["run", str(folder), "--out", str(out), "-q", "--export", "csv"])
    assert result.exit_code == 0, result.output
    events = (out / "export" / "events.csv").read_bytes()
    assert events.startswith(b"\xef\xbb\xbf") and "出席".encode() in events
