"""Word segmentation: spacy-pkuseg with the project's faster feature extraction gives spacy-pkuseg's words."""
from __future__ import annotations

import spacy_pkuseg

from conftest import CORPORA, RAW, raw_text
from pipeline import MODELS
from pipeline.corpora import read_conllu_words
from pipeline.pkuseg_features import with_fast_features


def test_fast_features_cut_exactly_as_spacy_pkuseg_on_real_text():
    reference = spacy_pkuseg.pkuseg(model_name=str(MODELS / "pkuseg"), user_dict="default")
    fast = with_fast_features(spacy_pkuseg.pkuseg(model_name=str(MODELS / "pkuseg"), user_dict="default"))
    texts = [raw_text(path.name[:3]) for path in sorted(RAW.glob("*.txt"))]
    texts += ["".join(words) for words in read_conllu_words(CORPORA / "ud_chinese_gsdsimp" / "zh_gsdsimp-ud-test.conllu")]
    texts += ["2024年ABC公司第3季度营收增长12.5%，ｘｙｚ-工会.", "一", ""]
    for text in texts:
        assert fast.cut(text) == reference.cut(text)
    assert len(fast.cut(texts[0])) > 100  # the documents are segmented into words, not left whole


def test_fast_features_stay_exact_when_their_caches_start_again(monkeypatch):
    """Feature for feature, as spacy-pkuseg computes them, while a tiny cache starts again often."""
    from pipeline import pkuseg_features

    monkeypatch.setattr(pkuseg_features, "CACHE_LIMIT", 50)
    reference = spacy_pkuseg.pkuseg(model_name=str(MODELS / "pkuseg"), user_dict="default").feature_extractor
    fast = pkuseg_features.PkusegFeatures(reference.feature_to_idx, reference.unigram)
    texts = ["".join(words) for words in read_conllu_words(CORPORA / "ud_chinese_gsdsimp" / "zh_gsdsimp-ud-dev.conllu")]
    for text in texts[:300]:
        nodes = list(reference.normalize_text(text))
        assert fast(nodes) == [reference.get_node_features_idx(i, nodes) for i in range(len(nodes))]
