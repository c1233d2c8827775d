"""`--ner hanlp`: HanLP models through the code path users take (the optional hanlp extra).

Two HanLP models are trained here in seconds, from a few sentences and with no download: an RNN
NER component on characters, and a multi-task model (tokenisation + NER) on a tiny BERT encoder
built in the test. Both are then loaded from their folders, as a user's model is, by
`HanLPModel`, `pipeline.load(ner_backend="hanlp")` and `zhie run --ner hanlp`.
"""
from __future__ import annotations

import importlib.util
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

import pipeline
from conftest import ROOT
from pipeline.cli import app
from pipeline.ner_hanlp import HanLPModel

SKIP = "the hanlp extra is not installed (pip install 'zhie[hanlp]')"

# Words with their entity types (None: not an entity); the dates teach a type that is dropped.
SENTENCES = [
    [("张伟", "PERSON"), ("昨天", "DATE"), ("在", None), ("北京", "LOC"), ("会见", None), ("了", None),
     ("中国铸造协会", "ORG"), ("代表", None), ("。", None)],
    [("中国铸造协会", "ORG"), ("会长", None), ("张伟", "PERSON"), ("出席", None), ("会议", None), ("。", None)],
    [("李娜", "PERSON"), ("今天", "DATE"), ("前往", None), ("上海", "LOC"), ("参加", None), ("活动", None), ("。", None)],
    [("上海市总工会", "ORG"), ("主席", None), ("李娜", "PERSON"), ("讲话", None), ("。", None)],
    [("王芳", "PERSON"), ("在", None), ("广州", "LOC"), ("考察", None), ("。", None)],
    [("赵强", "PERSON"), ("代表", None), ("广东省商会", "ORG"), ("发言", None), ("。", None)],
]
# The first training sentence, after another one and an indented line break: offsets must map back.
TEXT = "会议纪要。\n  张伟昨天在北京会见了中国铸造协会代表。"
EXPECTED = {("张伟", "PERSON"), ("北京", "LOC"), ("中国铸造协会", "ORG")}


def tagged(sentence: list[tuple[str, str | None]], tags: dict[str, str], chars: bool) -> str:
    """A sentence as `token<TAB>tag` lines (BIO with the model's own type names), by word or character."""
    rows = []
    for word, label in sentence:
        pieces = list(word) if chars else [word]
        for i, piece in enumerate(pieces):
            tag = "O" if label is None else f"{'B' if i == 0 else 'I'}-{tags[label]}"
            rows.append(f"{piece}\t{tag}")
    return "\n".join(rows)


@pytest.fixture(scope="module")
def torch_one_thread():
    """Training on one thread: two threads on two busy cores is many times slower."""
    torch = pytest.importorskip("torch", reason=SKIP)
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


@pytest.fixture(scope="module")
def rnn_model(tmp_path_factory, torch_one_thread) -> Path:
    """A character-level RNN NER component, with CoNLL type names (PER/LOC/ORG/DATE)."""
    pytest.importorskip("hanlp", reason=SKIP)
    from hanlp.components.ner.rnn_ner import RNNNamedEntityRecognizer

    folder = tmp_path_factory.mktemp("hanlp_rnn")
    data = folder / "train.tsv"
    tags = {"PERSON": "PER", "LOC": "LOC", "ORG": "ORG", "DATE": "DATE"}
    data.write_text("\n\n".join(tagged(s, tags, chars=True) for s in SENTENCES * 4) + "\n", encoding="utf-8")
    # crf=False: HanLP 2.1.5's RNN tagger builds its CRF as batch-first=False (it passes crf_constraints
    # in that place), so a CRF trained here decodes nothing.
    RNNNamedEntityRecognizer().fit(str(data), str(data), str(folder / "model"), epochs=15, embed=32, rnn_hidden=64,
                                   batch_size=4, lr=0.01, anneal_factor=None, crf=False, tagging_scheme="BIO",
                                   seed=1, devices=-1)
    return folder / "model"


@pytest.fixture(scope="module")
def mtl_model(tmp_path_factory, torch_one_thread) -> Path:
    """A multi-task model, tokenisation + NER on words with MSRA's type names (NR/NS/NT/TIME), on a
    one-layer BERT encoder made here (vocabulary: the corpus's characters)."""
    pytest.importorskip("hanlp", reason=SKIP)
    import torch
    from hanlp.common.dataset import SortingSamplerBuilder
    from hanlp.components.mtl.multi_task_learning import MultiTaskLearning
    from hanlp.components.mtl.tasks.ner.tag_ner import TaggingNamedEntityRecognition
    from hanlp.components.mtl.tasks.tok.tag_tok import TaggingTokenization
    from hanlp.layers.embeddings.contextual_word_embedding import (
        ContextualWordEmbedding,
    )
    from transformers import BertConfig, BertModel, BertTokenizerFast

    folder = tmp_path_factory.mktemp("hanlp_mtl")
    tok, ner, encoder = folder / "tok.txt", folder / "ner.tsv", folder / "encoder"
    tok.write_text("\n".join(" ".join(w for w, _ in s) for s in SENTENCES * 4) + "\n", encoding="utf-8")
    tags = {"PERSON": "NR", "LOC": "NS", "ORG": "NT", "DATE": "TIME"}
    ner.write_text("\n\n".join(tagged(s, tags, chars=False) for s in SENTENCES * 4) + "\n", encoding="utf-8")
    encoder.mkdir()
    chars = sorted({c for s in SENTENCES for w, _ in s for c in w} | set(TEXT) - {" ", "\n"})
    (encoder / "vocab.txt").write_text("\n".join(["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"] + chars) + "\n",
                                       encoding="utf-8")
    BertTokenizerFast(vocab_file=str(encoder / "vocab.txt")).save_pretrained(encoder)
    torch.manual_seed(0)
    BertModel(BertConfig(vocab_size=5 + len(chars), hidden_size=32, num_hidden_layers=1, num_attention_heads=2,
                         intermediate_size=64, max_position_embeddings=128)).save_pretrained(encoder)
    tasks = {
        "tok": TaggingTokenization(str(tok), str(tok), None, SortingSamplerBuilder(batch_size=4), char_level=True,
                                   lr=1e-2),
        "ner/msra": TaggingNamedEntityRecognition(str(ner), str(ner), None, SortingSamplerBuilder(batch_size=4),
                                                  tagging_scheme="BIO", lr=1e-2, dependencies="tok"),
    }
    MultiTaskLearning().fit(ContextualWordEmbedding("token", str(encoder), average_subwords=True,
                                                    max_sequence_length=128),
                            tasks, str(folder / "model"), 40, lr=1e-2, encoder_lr=1e-3, eval_trn=False, seed=1,
                            devices=-1)
    return folder / "model"


def check_mentions(mentions, text: str) -> None:
    assert {(m.text, m.label) for m in mentions} >= EXPECTED
    for m in mentions:
        assert m.text == text[m.start:m.end] and m.source == "model"
        assert m.label in ("PERSON", "ORG", "LOC")  # the dates' type is dropped
    assert text.index("张伟") in {m.start for m in mentions if m.text == "张伟"}


def test_ner_component_finds_trained_names_at_character_offsets(rnn_model):
    check_mentions(HanLPModel(rnn_model).predict(TEXT), TEXT)


def test_multi_task_model_maps_word_offsets_to_characters(mtl_model):
    model = HanLPModel(str(mtl_model))
    assert model.task == "ner/msra"
    check_mentions(model.predict(TEXT), TEXT)


def test_pipeline_merges_hanlp_names_with_the_rules(rnn_model):
    """王芳 has no title, so only the model finds her; the rules still find the place."""
    text = "王芳在广州考察。"
    doc = pipeline.load(ner_model=rnn_model, ner_backend="hanlp", segmenter=None)(text)
    rows = {(m["text"], m["label"], m["source"]) for m in doc._.mentions}
    assert ("王芳", "PERSON", "model") in rows
    assert ("王芳", "PERSON") in {(e.text, e.label_) for e in doc.ents}
    rules = pipeline.load(ner_model=None, ner_backend="hanlp", segmenter=None)(text)
    assert "王芳" not in {m["text"] for m in rules._.mentions}


def test_cli_runs_a_hanlp_model(tmp_path, mtl_model):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "note.txt").write_text(TEXT, encoding="utf-8")
    result = CliRunner().invoke(app, ["run", str(tmp_path / "in"), "--out", str(tmp_path / "out"), "--quiet",
                                      "--ner", "hanlp", "--ner-model", str(mtl_model)])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in (tmp_path / "out" / "entities.jsonl").read_text(encoding="utf-8").splitlines()]
    assert ("张伟", "PERSON") in {(r["text"], r["label"]) for r in rows}


def test_bad_model_paths_are_named(tmp_path):
    pytest.importorskip("hanlp", reason=SKIP)
    with pytest.raises(RuntimeError, match="neither a folder nor one of HanLP's pretrained ids"):
        HanLPModel(tmp_path / "nowhere")
    with pytest.raises(RuntimeError, match="not a HanLP model folder .* spacy backend"):
        HanLPModel(pipeline.MODELS / "ner_crf")


def test_a_broken_model_folder_names_the_real_error(tmp_path, rnn_model):
    broken = tmp_path / "broken"
    shutil.copytree(rnn_model, broken)
    (broken / "model.pt").unlink()
    with pytest.raises(RuntimeError, match=r"could not load the HanLP model .*model\.pt"):
        HanLPModel(broken)


def test_missing_extra_names_the_install_command(monkeypatch):
    monkeypatch.setitem(sys.modules, "hanlp", None)  # `import hanlp` raises ImportError
    with pytest.raises(RuntimeError, match=r"optional hanlp extra .*pip install 'zhie\[hanlp\]'"):
        HanLPModel("MSRA_NER_ELECTRA_SMALL_ZH")


def test_cli_without_the_extra_is_a_usage_error(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "hanlp", None)
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "note.txt").write_text(TEXT, encoding="utf-8")
    args = ["run", str(tmp_path / "in"), "--out", str(tmp_path / "out"), "--quiet"]
    result = CliRunner().invoke(app, args + ["--ner", "hanlp", "--ner-model", "MSRA_NER_ELECTRA_SMALL_ZH"])
    assert result.exit_code == 2 and "pip install 'zhie[hanlp]'" in result.output
    assert CliRunner().invoke(app, args + ["--rules-only"]).exit_code == 0  # the failure is not kept


@pytest.mark.slow
def test_a_model_workers_cannot_load_is_a_usage_error(tmp_path):
    """Worker processes that fail to load the model report it (a failing pool initializer would
    start new workers forever)."""
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "note.txt").write_text(TEXT, encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "pipeline", "run", str(tmp_path / "in"), "--out",
                             str(tmp_path / "out"), "--quiet", "--workers", "2", "--ner", "hanlp",
                             "--ner-model", str(tmp_path / "nowhere")],
                            capture_output=True, text=True, cwd=ROOT, timeout=300)
    expected = "pip install 'zhie[hanlp]'" if importlib.util.find_spec("hanlp") is None else "neither a folder"
    assert result.returncode == 2 and expected in result.stderr


@pytest.mark.parametrize("args, message", [
    (["--ner", "hanlp"], "--ner hanlp needs --ner-model"),
    (["--ner", "stanza"], "Invalid value for '--ner'"),
])
def test_cli_ner_option_errors(tmp_path, args, message):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "note.txt").write_text(TEXT, encoding="utf-8")
    result = CliRunner().invoke(app, ["run", str(tmp_path / "in"), "--out", str(tmp_path / "out"), "--quiet"] + args)
    assert result.exit_code == 2 and message in result.output
