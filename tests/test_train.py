"""Seconds-long smoke runs of the training code (the shipped models are trained by `zhie train`)."""
from __future__ import annotations

import pytest
import spacy
from typer.testing import CliRunner

from conftest import CORPORA
from pipeline.cli import app

runner = CliRunner()


@pytest.mark.slow
def test_ner_training_writes_a_loadable_pipeline(tmp_path):
    out = tmp_path / "ner"
    result = runner.invoke(app, ["train", "ner", "--corpora", str(CORPORA), "--out", str(out),
                                 "--limit", "300", "--iterations", "30", "--gru-epochs", "1"])
    assert result.exit_code == 0, result.output
    assert (out / "ner" / "gru.npz").exists()  # the fine-tuned BiGRU-CRF travels with the CRF
    nlp = spacy.load(out)
    assert nlp.get_pipe("ner").gru.tags == ["O", "B-PERSON", "I-PERSON", "B-LOC", "I-LOC", "B-ORG", "I-ORG"]
    assert nlp.pipe_names == ["ner"]
    assert nlp.get_pipe("ner").labels == ("LOC", "ORG", "PERSON")
    # The lexicon travels with the model: MSRA's names and the division list are in it.
    lexicon = nlp.get_pipe("ner").lexicon.entries
    assert "P" in lexicon["北京市"] and "S" in lexicon["欧阳"]
    doc = nlp("新华社北京电")
    assert [(e.text, e.label_) for e in doc.ents] in ([("新华社", "ORG"), ("北京", "LOC")], [("北京", "LOC")])


def test_segmenter_training_runs(tmp_path):
    out = tmp_path / "seg"
    result = runner.invoke(app, ["train", "seg", "--corpora", str(CORPORA), "--out", str(out),
                                 "--build", str(tmp_path / "data"), "--iterations", "1", "--limit", "50"])
    assert result.exit_code == 0, result.output
    import spacy_pkuseg

    words = spacy_pkuseg.pkuseg(model_name=str(out)).cut("协会召开理事会议")
    assert "".join(words) == "协会召开理事会议" and len(words) >= 2


@pytest.mark.slow
def test_gru_training_adds_the_network_to_a_crf_model_and_the_genre_continues_it(tmp_path):
    out = tmp_path / "ner"
    result = runner.invoke(app, ["train", "ner", "--corpora", str(CORPORA), "--out", str(out),
                                 "--limit", "100", "--iterations", "5", "--gru-epochs", "0", "--genre-repeat", "1"])
    assert result.exit_code == 0, result.output
    assert not (out / "ner" / "gru.npz").exists()
    result = runner.invoke(app, ["train", "genre", "--corpora", str(CORPORA), "--model", str(out), "--limit", "100"])
    assert result.exit_code == 2 and "BiGRU-CRF" in result.output
    result = runner.invoke(app, ["train", "gru", "--corpora", str(CORPORA), "--model", str(out),
                                 "--limit", "100", "--epochs", "1"])
    assert result.exit_code == 0, result.output
    assert (out / "ner" / "gru.npz").exists() and (out / "ner" / "crf.npz").exists() and (out / "ner" / "lexicon_index.npz").exists()
    before = spacy.load(out).get_pipe("ner").gru.arrays["out_w"].copy()
    result = runner.invoke(app, ["train", "genre", "--corpora", str(CORPORA), "--model", str(out),
                                 "--limit", "100", "--msra", "100", "--repeat", "1", "--epochs", "1"])
    assert result.exit_code == 0, result.output
    after = spacy.load(out).get_pipe("ner").gru.arrays["out_w"]
    assert after.shape == before.shape and not (after == before).all()
