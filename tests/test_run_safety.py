"""A batch loses nothing and serves nothing stale: ids, resume, journal, locking, output folder, options.

Each test reproduces one way a real batch went wrong (README, "Bad input" and exit codes)."""
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

from conftest import ROOT
from pipeline.cli import app
from pipeline.run_state import LOCK

runner = CliRunner()
TEXT = "2023年5月12日，滨江市电子商会召开会员大会。会长周立平主持会议。\n副会长郑海涛出席会议并讲话。\n"


def run(*args: str) -> object:
    return runner.invoke(app, ["run", *args, "-q"])


def documents(out: Path) -> list[dict]:
    return [json.loads(line) for line in (out / "documents.jsonl").read_text(encoding="utf-8").splitlines()]


def outputs(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(out.glob("*.jsonl"))}


def folder_of(tmp_path: Path, count: int, name: str = "in", repeat: int = 1) -> Path:
    """`count` short documents; `repeat` makes each that many times longer (a run that lasts a while)."""
    folder = tmp_path / name
    folder.mkdir()
    for i in range(count):
        text = TEXT.replace("5月12日", f"5月{i % 28 + 1}日") * repeat
        (folder / f"doc{i:02d}.txt").write_text(text, encoding="utf-8")
    return folder


def test_same_names_in_different_folders_get_their_own_ids_and_texts(tmp_path, monkeypatch):
    for year in ("2022", "2023"):
        (tmp_path / year).mkdir()
        (tmp_path / year / "report.txt").write_text(TEXT.replace("2023", year), encoding="utf-8")
    out = tmp_path / "out"
    monkeypatch.chdir(tmp_path)
    result = run("2022/report.txt", "2023/report.txt", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert [d["doc_id"] for d in documents(out)] == ["report", "2023__report"]
    assert "2023" in (out / "clean" / "2023__report.txt").read_text(encoding="utf-8")
    mention_ids = [json.loads(line)["mention_id"] for line in (out / "entities.jsonl").read_text().splitlines()]
    assert len(mention_ids) == len(set(mention_ids))


def test_a_clash_with_a_very_long_name_gets_a_bounded_id(tmp_path):
    long_name = "协会" * 60  # 360 bytes in UTF-8: no file system takes it as a name with `.txt`
    for sub in ("a", "b"):
        (tmp_path / sub / long_name[:80]).mkdir(parents=True)
        (tmp_path / sub / long_name[:80] / "note.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "a" / "note.txt").write_text(TEXT, encoding="utf-8")
    out = tmp_path / "out"
    result = run(str(tmp_path / "a"), str(tmp_path / "b"), "--out", str(out))
    assert result.exit_code == 0, result.output
    ids = [d["doc_id"] for d in documents(out)]
    assert len(set(ids)) == 3 and all(len(i.encode("utf-8")) <= 200 for i in ids)


def test_resume_redoes_documents_made_with_other_options_and_says_why(tmp_path):
    folder, out = folder_of(tmp_path, 2), tmp_path / "out"
    assert run(str(folder), "--out", str(out)).exit_code == 0
    other = run(str(folder), "--out", str(out), "--resume", "--reference-date", "2020-01-01")
    assert "reference_date None -> '2020-01-01'" in other.output and "(2 reused)" not in other.output
    assert all(d["reference_date"]["source"] == "given" for d in documents(out))
    same = run(str(folder), "--out", str(out), "--resume", "--reference-date", "2020-01-01")
    assert "2 documents ok (2 reused)" in same.output


def test_the_output_folder_inside_the_input_folder_is_never_read(tmp_path):
    folder = folder_of(tmp_path, 2)
    out = folder / "out"
    for _ in range(2):
        result = run(str(folder), "--out", str(out))
        assert result.exit_code == 0 and len(documents(out)) == 2
    assert "it is the output folder" in result.output


def test_an_output_folder_holding_the_inputs_is_refused(tmp_path):
    folder = folder_of(tmp_path, 1)
    result = run(str(folder), "--out", str(tmp_path))
    assert result.exit_code == 2 and "holds the input" in result.output


@pytest.mark.slow
def test_a_killed_run_resumes_where_it_stopped_and_ends_byte_identical(tmp_path):
    folder = folder_of(tmp_path, 30, repeat=20)
    whole, out = tmp_path / "whole", tmp_path / "out"
    assert run(str(folder), "--out", str(whole)).exit_code == 0
    process = subprocess.Popen([sys.executable, "-m", "pipeline", "run", str(folder), "--out", str(out), "-q"],
                               cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    journal = out / ".journal"
    deadline = time.time() + 120
    while time.time() < deadline and (not journal.exists() or journal.read_text().count("\n") < 6):
        time.sleep(0.1)
    process.send_signal(signal.SIGKILL)
    process.wait()
    finished = journal.read_text().count("\n") - 1  # the settings line
    assert 5 <= finished < 30
    resumed = run(str(folder), "--out", str(out), "--resume")
    assert resumed.exit_code == 0
    assert f"reused {finished} of 30" in resumed.output or f"reused {finished + 1} of 30" in resumed.output
    assert outputs(out) == outputs(whole)
    assert not journal.exists()


def test_no_input_or_all_failed_keeps_the_previous_outputs(tmp_path):
    folder, out = folder_of(tmp_path, 1), tmp_path / "out"
    assert run(str(folder), "--out", str(out)).exit_code == 0
    before = outputs(out)
    empty = tmp_path / "empty"
    empty.mkdir()
    nothing = run(str(empty), "--out", str(out))
    assert nothing.exit_code == 2 and "no documents found" in nothing.output
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "a.txt").write_bytes(b"")
    failed = run(str(broken), "--out", str(out))
    assert failed.exit_code == 1 and "previous outputs" in failed.output
    assert outputs(out) == before


def test_files_made_from_earlier_outputs_go_when_new_outputs_are_published(tmp_path):
    folder, out = folder_of(tmp_path, 1), tmp_path / "out"
    assert run(str(folder), "--out", str(out)).exit_code == 0
    (out / "eval.json").write_text("{}", encoding="utf-8")
    (out / "report.html").write_text("<html></html>", encoding="utf-8")
    (out / "export").mkdir()
    again = run(str(folder), "--out", str(out))
    assert "removed eval.json, report.html, export" in again.output
    assert not (out / "eval.json").exists() and not (out / "export").exists()


def test_a_second_run_into_the_same_folder_is_refused_naming_the_holder(tmp_path):
    folder, out = folder_of(tmp_path, 1), tmp_path / "out"
    out.mkdir()
    holder = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        (out / LOCK).write_text(str(holder.pid), encoding="ascii")
        refused = run(str(folder), "--out", str(out))
        assert refused.exit_code == 2 and f"pid {holder.pid}" in refused.output
    finally:
        holder.kill()
        holder.wait()
    taken_over = run(str(folder), "--out", str(out))  # the holder is gone: its lock is stale
    assert taken_over.exit_code == 0 and not (out / LOCK).exists()


@pytest.mark.parametrize("args,message", [
    (["--out", "{file}"], "is a file, not a folder"),
    (["--out", "{file}/sub"], "cannot write to --out"),
    (["--export", "csv,pdf"], "unknown format 'pdf'"),
    (["--reference-date", "2023-13-45"], "is not a date"),
])
def test_bad_options_fail_before_any_work_with_one_line(tmp_path, args, message):
    folder = folder_of(tmp_path, 1)
    (tmp_path / "file").write_text("x", encoding="utf-8")
    args = [a.replace("{file}", str(tmp_path / "file")) for a in args]
    result = run(str(folder), *args) if "--out" in args else run(str(folder), "--out", str(tmp_path / "o"), *args)
    assert result.exit_code == 2 and message in result.output
    assert "Traceback" not in result.output and not (tmp_path / "o" / "documents.jsonl").exists()


def test_export_takes_a_comma_list_in_run(tmp_path):
    folder, out = folder_of(tmp_path, 1), tmp_path / "out"
    result = run(str(folder), "--out", str(out), "--export", "csv,xlsx")
    assert result.exit_code == 0, result.output
    assert (out / "export" / "events.csv").exists() and (out / "export" / "tables.xlsx").exists()


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_byte_order_mark_is_read(tmp_path, codec):
    folder, out = tmp_path / "in", tmp_path / "out"
    folder.mkdir()
    (folder / "a.txt").write_bytes(TEXT.encode(codec))
    assert run(str(folder), "--out", str(out)).exit_code == 0
    assert documents(out)[0]["encoding"] == codec
    assert "周立平主持会议" in (out / "clean" / "a.txt").read_text(encoding="utf-8")


def test_symlinks_out_of_the_input_folder_are_not_followed_unless_asked(tmp_path):
    folder, out = folder_of(tmp_path, 1), tmp_path / "out"
    secret = tmp_path / "private.txt"
    secret.write_text("私人笔记：王大伟出席会议。", encoding="utf-8")
    (folder / "escape.txt").symlink_to(secret)
    (folder / "parent").symlink_to(tmp_path)
    result = run(str(folder), "--out", str(out))
    assert [d["doc_id"] for d in documents(out)] == ["doc00"]
    assert "outside" in result.output and "--follow-links" in result.output
    followed = run(str(folder), "--out", str(out), "--follow-links")
    assert followed.exit_code == 0 and "escape" in [d["doc_id"] for d in documents(out)]


@pytest.mark.slow
def test_ctrl_c_with_two_workers_says_one_line_and_exits_130(tmp_path):
    folder, out = folder_of(tmp_path, 40, repeat=40), tmp_path / "out"
    process = subprocess.Popen([sys.executable, "-m", "pipeline", "run", str(folder), "--out", str(out), "-q",
                                "--workers", "2"], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True, start_new_session=True)
    journal = out / ".journal"
    deadline = time.time() + 120
    while time.time() < deadline and (not journal.exists() or journal.read_text().count("\n") < 3):
        time.sleep(0.1)
    os.killpg(process.pid, signal.SIGINT)  # as a terminal's Ctrl-C: to every process of the group
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130
    assert stderr.strip().splitlines() == [f"interrupted; previous outputs in {out} kept; --resume continues"]


def test_a_worker_runs_with_one_blas_thread():
    from threadpoolctl import threadpool_info

    from pipeline import runner

    runner._init_worker({"ner_model": None})
    try:
        assert runner._worker_error is None
        assert all(pool["num_threads"] == 1 for pool in threadpool_info() if pool["user_api"] == "blas")
    finally:
        runner._blas_limit.restore_original_limits()


def _blas_threads(_: object) -> list[int]:
    from threadpoolctl import threadpool_info

    return [pool["num_threads"] for pool in threadpool_info() if pool["user_api"] == "blas"]


def test_a_spawned_worker_runs_with_one_blas_thread_too():
    """A spawned worker has not loaded numpy when it sets the limit, which binds only loaded libraries."""
    import multiprocessing

    from pipeline import runner

    with multiprocessing.get_context("spawn").Pool(1, runner._init_worker, ({"ner_model": None},)) as pool:
        assert pool.map(_blas_threads, [None]) == [[1]]
