"""Seconds-long smoke runs of the training code (the shipped models are trained by `zhie train`)."""
from __future__ import annotations

import spacy
from typer.testing import CliRunner

from conftest import CORPORA
from pipeline.cli import app

runner = CliRunner()


def test_ner_training_runs_and_packages(tmp_path):
    out, build, shipped = tmp_path / "ner", tmp_path / "data", tmp_path / "shipped"
    result = runner.invoke(app, ["train", "ner", "--corpora", str(CORPORA), "--out", str(out), "--build", str(build),
                                 "--limit", "30", "--max-steps", "3"])
    assert result.exit_code == 0, result.output
    assert runner.invoke(app, ["train", "package", "--src", str(out / "model-last"), "--dst", str(shipped)]).exit_code == 0
    assert set(spacy.load(shipped).get_pipe("ner").labels) == {"PERSON", "ORG", "LOC"}
    assert (shipped / "vocab" / "strings.json").read_text(encoding="utf-8") == '["LOC", "ORG", "PERSON"]'
    resumed = runner.invoke(app, ["train", "ner", "--corpora", str(CORPORA), "--out", str(out), "--build", str(build),
                                  "--limit", "30", "--max-steps", "2", "--resume"])
    assert resumed.exit_code == 0, resumed.output
    assert (out / "resume-from" / "meta.json").exists()


def test_segmenter_training_runs(tmp_path):
    out = tmp_path / "seg"
    result = runner.invoke(app, ["train", "seg", "--corpora", str(CORPORA), "--out", str(out),
                                 "--build", str(tmp_path / "data"), "--iterations", "1", "--limit", "50"])
    assert result.exit_code == 0, result.output
    import spacy_pkuseg

    words = spacy_pkuseg.pkuseg(model_name=str(out)).cut("协会召开理事会议")
    assert "".join(words) == "协会召开理事会议" and len(words) >= 2
