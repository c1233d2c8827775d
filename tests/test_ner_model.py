"""The shipped character CRF (`models/ner_crf`): features, tags, and name lists without separators."""
from __future__ import annotations

import numpy as np
import pytest
import spacy

from conftest import CORPORA, raw_text
from pipeline import MODELS
from pipeline.corpora import msra_test, msra_train
from pipeline.crf_features import Lexicon, bioes_tags, char_features, tagged_spans
from pipeline.knowledge import load_knowledge
from pipeline.mentions import Mention
from pipeline.name_runs import split_name_runs
from pipeline.ner_orgs import trim_model_orgs

KB = load_knowledge()  # the base pack


@pytest.fixture(scope="module")
def crf():
    from pipeline import ner  # noqa: F401  (registers the model's tokenizer and component)

    return spacy.load(MODELS / "ner_crf")


def test_bioes_tags_round_trip_on_msra_sentences():
    items = msra_train(CORPORA)[:2000]
    for item in items:
        spans = [s for s in item.spans if s[2]]
        assert list(tagged_spans(bioes_tags(len(item.text), spans))) == spans


def test_a_broken_tag_sequence_yields_no_span():
    assert list(tagged_spans(["B-ORG", "I-ORG", "O", "S-LOC", "B-PERSON", "E-ORG"])) == [(3, 4, "LOC")]


def test_lexicon_features_equal_a_plain_scan_of_every_substring(crf):
    """The pruned lookup (longest entry per two first characters) misses no entry of the shipped lexicon."""
    lexicon = crf.get_pipe("ner").lexicon
    longest = max(map(len, lexicon.entries))
    for text in [raw_text("000"), raw_text("003")[:3000]]:
        expected: list[set[str]] = [set() for _ in text]
        for i in range(len(text)):
            for j in range(i + 1, min(i + longest, len(text)) + 1):
                for kind in lexicon.entries.get(text[i:j], ()):
                    expected[i].add(f"{kind}B")
                    expected[j - 1].add(f"{kind}E")
                    expected[i + 1:j - 1] = [e | {f"{kind}M"} for e in expected[i + 1:j - 1]]
        found = [{f if f.endswith("M") else f[:-1] for f in features} for features in lexicon.features(text)]
        assert found == expected


def test_lexicon_features_say_where_entries_start_end_and_cover():
    lexicon = Lexicon({"北京": ("P",), "北京市": ("P",), "市长": ("W",), "王": ("S",)})
    features = lexicon.features("王北京市长")
    assert features[0] == ["SB1", "SE1"]
    assert sorted(features[1]) == ["PB3"]  # the longest place starting here
    assert sorted(features[2]) == ["PE2", "PM"]
    assert sorted(features[3]) == ["PE3", "WB2"]
    rows = char_features("王北京市长", lexicon)
    assert "c0=北" in rows[1] and "c-1c0c1=王北京" in rows[1] and "PB3" in rows[1]


def test_the_model_carries_its_lexicon(crf):
    entries = crf.get_pipe("ner").lexicon.entries
    assert "P" in entries["上海市"] and "S" in entries["欧阳"] and "H" in entries["有限公司"]


def test_model_tags_news_text(crf):
    doc = crf("新华社北京３月５日电国务院总理李鹏今天会见了来访的扎伊尔外长。")
    assert {(e.text, e.label_) for e in doc.ents} >= {("新华社", "ORG"), ("北京", "LOC"), ("李鹏", "PERSON")}


@pytest.mark.parametrize("text,only_combined", [
    ("会上，禹兆庭传达了会议精神。", {("禹兆庭", "PERSON")}),  # a name the CRF alone misses
    ("近日，厍秀云在攀枝花市仁和区走访企业。", {("厍秀云", "PERSON")}),
    ("据了解，卡洛斯·门多萨将出席在宁波市北仑区举行的论坛。", {("卡洛斯·门多萨", "PERSON")}),
])
def test_the_network_finds_what_the_crf_alone_misses(crf, text, only_combined):
    component = crf.get_pipe("ner")
    combined = {(text[s:e], label) for s, e, label in component.spans_of([text])[0]}
    network, component.gru = component.gru, None
    try:
        crf_alone = {(text[s:e], label) for s, e, label in component.spans_of([text])[0]}
    finally:
        component.gru = network
    assert only_combined <= combined and not only_combined & crf_alone


def test_the_network_reads_only_the_stretches_the_crf_is_unsure_of(crf, monkeypatch):
    from pipeline.ner_crf import CRF_SURE, NETWORK_CONTEXT, NETWORK_REACH

    component = crf.get_pipe("ner")
    texts = ["会议在北京举行。", "昨天，晏秋生在赣州会见了来访的嘉宾。大家一致认为，这次会议开得很好，很有意义，达到了预期的目的。", ""]
    read: list[str] = []
    marginals = component.gru.marginals
    monkeypatch.setattr(component.gru, "marginals", lambda batch: read.extend(batch) or marginals(batch))
    component.spans_of(texts)
    sure, mixed, _ = component.crf_marginals(texts, component.gru.tags)
    unsure = mixed.max(1) < CRF_SURE
    assert sure.max(1).min() >= CRF_SURE
    assert read and all(piece in texts[1] for piece in read)
    assert len(texts[1]) > sum(map(len, read))  # the sure clause at the end is not read again
    covered = {k for piece in read for start in [texts[1].index(piece)] for k in range(start, start + len(piece))}
    assert {k for k in range(len(texts[1])) if unsure[k]} <= covered
    assert max(map(len, read)) <= len(texts[1])
    assert min(map(len, read)) >= min(len(texts[1]), 1 + NETWORK_REACH)
    first_unsure = min(k for k in range(len(texts[1])) if unsure[k])  # its window opens with context before it
    assert texts[1].index(read[0]) == max(0, first_unsure - NETWORK_REACH - NETWORK_CONTEXT)


def test_unsure_windows_merge_and_keep_context():
    from pipeline.ner_crf import CRF_SURE, NETWORK_CONTEXT, NETWORK_REACH, unsure_windows

    probabilities = np.full((60, 3), 0.0)
    probabilities[:, 0] = 1.0
    for k in (2, 2 + NETWORK_REACH, 55):  # the first two are close enough to share one window
        probabilities[k] = [CRF_SURE - 0.1, 0.1, 0.0]
    windows = unsure_windows(probabilities)
    assert windows == [(0, 2 + 2 * NETWORK_REACH + 1, 0, NETWORK_CONTEXT),
                       (55 - NETWORK_REACH, 60, NETWORK_CONTEXT, 0)]
    assert unsure_windows(np.full((5, 3), 1 / 3)) == [(0, 5, 0, 0)]
    assert unsure_windows(np.zeros((0, 3))) == []


def _person_hits(doc, item) -> int:
    gold = {(s, e) for s, e, label in item.spans if label == "PERSON"}
    return len(gold & {(e.start_char, e.end_char) for e in doc.ents if e.label_ == "PERSON"})


def test_a_list_of_names_without_separators_is_cut_into_names(crf):
    # MSRA test's funeral committee list: hundreds of names set without separators.
    item = max(msra_test(CORPORA), key=lambda i: len(i.text))
    component = crf.get_pipe("ner")
    tagged = list(tagged_spans(component.crf.best_tags([item.text], component.lexicon)[0]))
    doc = crf(item.text)
    before = _person_hits(_doc_with(crf, item.text, tagged), item)
    after = _person_hits(doc, item)
    people = sum(1 for s in item.spans if s[2] == "PERSON")
    assert after >= before + 50 and after >= 0.85 * people


def _doc_with(nlp, text, spans):
    doc = nlp.make_doc(text)
    doc.ents = [doc.char_span(s, e, label=label) for s, e, label in spans]
    return doc


def test_ordinary_text_is_not_recut(crf):
    names = crf.get_pipe("ner").names
    text = "李明和王强在北京开会，张华主持。"
    spans = [(0, 2, "PERSON"), (3, 5, "PERSON"), (6, 8, "LOC"), (11, 13, "PERSON")]
    assert split_name_runs(text, spans, names) == spans


def test_a_long_place_is_not_read_as_names(crf):
    names = crf.get_pipe("ner").names
    text = "他来自江苏省常州市武进区。"
    assert split_name_runs(text, [(3, 12, "LOC")], names) == [(3, 12, "LOC")]


@pytest.mark.parametrize("text,expected", [
    ("感谢协会", "协会"),
    ("16日市总工会", "市总工会"),
    ("陪同市总工会", "市总工会"),
    ("中华人民共和国商务部", "中华人民共和国商务部"),
])
def test_model_organisations_lose_what_runs_over_their_left_edge(text, expected):
    trimmed = trim_model_orgs(KB, "某" * 10 + text, [Mention(10, 10 + len(text), "ORG", "model", text)])
    assert [m.text for m in trimmed] == [expected]
    assert trimmed[0].end == 10 + len(text) and trimmed[0].end - trimmed[0].start == len(expected)


def test_the_crf_backend_never_loads_the_network_and_spacy_combines_both():
    from pipeline.factories import load_ner_model

    fast, full = load_ner_model("models/ner_crf", "crf"), load_ner_model("models/ner_crf", "spacy")
    text = "会上，禹兆庭传达了会议精神。"
    assert not fast.tagger.use_network and fast.tagger._gru is None
    assert "禹兆庭" not in {m.text for m in fast.predict(text)}
    assert fast.tagger._gru is None  # tagging with the CRF alone did not load it either
    assert "禹兆庭" in {m.text for m in full.predict(text)}
