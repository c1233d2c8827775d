"""The CRF run in numpy (`pipeline.crf_weights`, `pipeline.lexicon_index`) gives CRFsuite's own answers."""
from __future__ import annotations

import numpy as np
import pycrfsuite
import pytest

from pipeline.crf_features import Lexicon, bioes_tags, char_features
from pipeline.crf_weights import CRFWeights
from pipeline.lexicon_index import LexiconIndex

LEXICON = Lexicon({"北京": ("P", "W"), "北京市": ("P",), "市长": ("T",), "长江大桥": ("W",), "王": ("S",),
                   "王小明": ("PERSON",), "江": ("S", "W"), "大桥": ("W",), "京市长江大": ("W",),
                   "北京市总工会": ("ORG",), "工会": ("W",)})
TRAIN = [("北京市市长王小明参观了长江大桥。", [(0, 3, "LOC"), (5, 8, "PERSON"), (11, 13, "LOC")]),
         ("北京市总工会主席江大海出席会议。", [(0, 6, "ORG"), (8, 11, "PERSON")]),
         ("王小明在北京工作。", [(0, 3, "PERSON"), (4, 6, "LOC")]),
         ("江苏省工会代表团访问北京。", [(0, 3, "LOC"), (10, 12, "LOC")])]
TEXTS = ["北京市长江大桥", "王小明和江大海在北京市总工会见面，ＡＢＣ公司123号。", "", "桥", "  北京  "]


@pytest.fixture(scope="module")
def model_file(tmp_path_factory):
    trainer = pycrfsuite.Trainer(verbose=False)
    for text, spans in TRAIN:
        trainer.append(char_features(text, LEXICON), bioes_tags(len(text), spans))
    trainer.set_params({"c1": 0.01, "c2": 0.01, "max_iterations": 50, "feature.possible_transitions": True})
    path = tmp_path_factory.mktemp("crf") / "model.crfsuite"
    trainer.train(str(path))
    return path


def test_tags_and_marginals_equal_crfsuite_after_a_round_trip_through_disk(model_file, tmp_path):
    CRFWeights.from_crfsuite(model_file).save(tmp_path / "crf.npz")
    weights = CRFWeights.load(tmp_path / "crf.npz")
    tagger = pycrfsuite.Tagger()
    tagger.open(str(model_file))
    assert weights.labels == tagger.labels()
    tags, marginals = weights.best_tags(TEXTS, LEXICON), weights.marginals(TEXTS, LEXICON)
    for text, our_tags, ours in zip(TEXTS, tags, marginals):
        assert our_tags == (tagger.tag(char_features(text, LEXICON)) if text else [])
        tagger.set(char_features(text, LEXICON))
        theirs = [[tagger.marginal(label, i) for label in weights.labels] for i in range(len(text))]
        assert ours.shape == (len(text), len(weights.labels))
        assert np.allclose(ours, np.array(theirs).reshape(ours.shape), atol=1e-5)
    assert any(tag != "O" for text_tags in tags for tag in text_tags)  # the tiny model does find names


def test_the_lexicon_index_finds_the_attributes_lexicon_features_names():
    text = "北京市长江大桥与北京市总工会，王小明。江"
    named = sorted({attribute for row in LEXICON.features(text) for attribute in row} | {"WB9"})
    columns = {attribute: k for k, attribute in enumerate(named)}
    positions, found = LexiconIndex.build(LEXICON).bind(columns).attributes(text)
    ours = sorted((int(p), named[c]) for p, c in zip(positions, found))
    expected = sorted((i, attribute) for i, row in enumerate(LEXICON.features(text)) for attribute in row)
    assert ours == expected
    assert (0, "PB3") in ours and (3, "WM") in ours  # 北京市 starts at 北; 京市长江大 runs through 长


def test_the_lexicon_index_saved_and_loaded_finds_the_same_attributes(tmp_path):
    text = "王小明在北京市总工会。"
    columns = {attribute: k for k, attribute in enumerate(sorted({a for row in LEXICON.features(text) for a in row}))}
    LexiconIndex.build(LEXICON).save(tmp_path / "index.npz")
    loaded = LexiconIndex.load(tmp_path / "index.npz").bind(columns).attributes(text)
    built = LexiconIndex.build(LEXICON).bind(columns).attributes(text)
    assert len(loaded[0]) > 0 and all(np.array_equal(a, b) for a, b in zip(loaded, built))
