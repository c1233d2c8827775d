"""The BiGRU-CRF of the NER model (`pipeline.gru_tagger`): LAC's network in numpy, and its fine-tuned copy."""
from __future__ import annotations

import shutil
import struct

import numpy as np
import pytest

from pipeline import MODELS
from pipeline.chain_crf import best_paths
from pipeline.gru_tagger import (
    NOT_ALLOWED,
    GRUTagger,
    bio_constraints,
    bio_spans,
    jieba_lac_folder,
    lac_weights,
    read_lod_tensor,
)

TAGS = ["O", "B-PERSON", "I-PERSON", "B-LOC", "I-LOC", "B-ORG", "I-ORG"]


@pytest.fixture(scope="module")
def lac() -> GRUTagger:
    """LAC's own network with its own 57 word-class and name tags, read from jieba's files."""
    return GRUTagger(*lac_weights(jieba_lac_folder()))


@pytest.fixture(scope="module")
def shipped() -> GRUTagger:
    return GRUTagger.load(MODELS / "ner_crf" / "ner" / "gru.npz")


def lac_names(tagger: GRUTagger, text: str) -> list[tuple[str, str]]:
    """LAC tags B/I as suffixes (`PER-B`); its names are the runs of PER / LOC / ORG."""
    path = best_paths([np.log(tagger.marginals([text])[0] + 1e-9)], np.zeros((57, 57)), np.zeros(57))[0]
    tags = [tagger.tags[k] for k in path]
    bio = [("B-" if tag.endswith("-B") else "I-") + tag[:-2] if tag[:3] in ("PER", "LOC", "ORG") else "O"
           for tag in tags]
    return [(text[s:e], label) for s, e, label in bio_spans(bio)]


def test_lac_network_in_numpy_tags_names_places_and_organisations(lac):
    text = "3月12日，市总工会副主席郝明川到宁夏回族自治区银川市调研。"
    assert lac_names(lac, text) == [("市总工会", "ORG"), ("郝明川", "PER"), ("宁夏回族自治区", "LOC"),
                                    ("银川市", "LOC")]


def test_full_width_text_is_read_as_half_width(lac):
    """LAC learnt half-width text: full-width digits and CJK punctuation read as their ASCII forms."""
    full, half = lac.marginals(["３月１２日，他说：“要把工作做好！”", '3月12日,他说:"要把工作做好!"'])
    assert np.allclose(full, half)
    assert lac.tags[int(full[5].argmax())] == "w-B"  # the comma is punctuation, not part of a word


def test_shipped_tagger_finds_unseen_names_and_sums_to_one(shipped):
    texts = ["青岛市机械行业协会会长柳向东在济南出席会议。", "", "他说：", "会议由秘书长主持，" * 30]
    probabilities = shipped.marginals(texts)
    assert [len(p) for p in probabilities] == [len(t) for t in texts]
    assert all(np.allclose(p.sum(1), 1, atol=1e-4) for p in probabilities if len(p))
    found = [(texts[0][s:e], label) for s, e, label in shipped.spans(probabilities[:1])[0]]
    assert ("柳向东", "PERSON") in found and ("济南", "LOC") in found


def test_a_batch_gives_each_text_what_it_gets_alone(shipped):
    texts = ["江苏省总工会主席王平昨天到南京市调研。", "会", "上海市浦东新区人民政府与华为技术有限公司签约" * 3]
    together = shipped.marginals(texts)
    for text, probabilities in zip(texts, together):
        assert np.allclose(probabilities, shipped.marginals([text])[0], atol=1e-5)


def test_saved_weights_tag_like_the_ones_in_memory(shipped, tmp_path):
    shipped.save(tmp_path / "gru.npz")
    again = GRUTagger.load(tmp_path / "gru.npz")
    text = ["市总工会副主席郝明川到银川市调研。"]
    assert again.tags == shipped.tags and np.allclose(again.marginals(text)[0], shipped.marginals(text)[0])


def test_best_paths_keep_bio_and_stop_at_each_end():
    allowed, first = bio_constraints(TAGS)
    inside_first = np.log(np.array([[0.1, 0.1, 0.8, 0, 0, 0, 0], [0.1, 0.1, 0.8, 0, 0, 0, 0]]) + 1e-9)
    short = np.log(np.array([[0.2, 0.1, 0, 0.7, 0, 0, 0]]) + 1e-9)
    paths = best_paths([inside_first, short], np.where(allowed, 0.0, NOT_ALLOWED), np.where(first, 0.0, NOT_ALLOWED))
    assert [TAGS[k] for k in paths[0]] == ["B-PERSON", "I-PERSON"]  # an I never opens a name
    assert [TAGS[k] for k in paths[1]] == ["B-LOC"]
    assert bio_spans(["B-LOC", "I-LOC", "O", "B-ORG", "B-PERSON", "I-PERSON"]) == [
        (0, 2, "LOC"), (3, 4, "ORG"), (4, 6, "PERSON")]


def test_reads_paddle_tensors_and_names_a_wrong_one(tmp_path):
    values = np.arange(6, dtype="<f4")
    desc = bytes([0x08, 5, 0x10, 2, 0x10, 3])  # float32, dims 2 x 3
    path = tmp_path / "t"
    path.write_bytes(struct.pack("<IQIi", 0, 0, 0, len(desc)) + desc + values.tobytes())
    assert read_lod_tensor(path).tolist() == [[0, 1, 2], [3, 4, 5]]
    path.write_bytes(struct.pack("<IQIi", 0, 0, 0, len(desc)) + bytes([0x08, 6]) + desc[2:] + values.tobytes())
    with pytest.raises(ValueError, match="not a float32 tensor"):
        read_lod_tensor(path)


def test_a_missing_weight_file_is_named(tmp_path):
    folder = tmp_path / "lac_small"
    shutil.copytree(jieba_lac_folder(), folder)
    (folder / "model_baseline" / "crfw").unlink()
    (folder / "tag.dic").unlink()
    with pytest.raises(FileNotFoundError, match="crfw, tag.dic missing"):
        lac_weights(folder)


def test_the_crf_loss_is_the_negative_log_likelihood_of_the_gold_path_among_the_allowed_ones():
    import itertools

    torch = pytest.importorskip("torch")
    from pipeline.gru_tagger import bio_constraints
    from pipeline.train_gru import TAGS, _crf_loss

    generator = torch.Generator().manual_seed(0)
    n = len(TAGS)
    params = {"transitions": torch.randn(n, n, generator=generator), "start": torch.randn(n, generator=generator),
              "end": torch.randn(n, generator=generator)}
    allowed, first = (torch.tensor(a) for a in bio_constraints(TAGS))
    scores = torch.randn(1, 3, n, generator=generator)
    gold = [TAGS.index("B-ORG"), TAGS.index("I-ORG"), TAGS.index("O")]

    def path_score(path: tuple[int, ...]) -> torch.Tensor:
        total = params["start"][path[0]] + params["end"][path[-1]] + sum(scores[0, t, tag] for t, tag in enumerate(path))
        return total + sum(params["transitions"][a, b] for a, b in zip(path, path[1:]))

    paths = [p for p in itertools.product(range(n), repeat=3)
             if first[p[0]] and all(allowed[a, b] for a, b in zip(p, p[1:]))]
    expected = torch.logsumexp(torch.stack([path_score(p) for p in paths]), 0) - path_score(tuple(gold))
    loss = _crf_loss(scores, torch.tensor([gold]), torch.ones(1, 3), params, (allowed, first))
    assert torch.isclose(loss, expected, atol=1e-4)
