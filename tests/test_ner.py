"""Stage 4: the character model, domain rules and canonical names."""
from __future__ import annotations

import pytest

from conftest import raw_text
from pipeline import MODELS
from pipeline.canonical import canonical_names, fold_internal_body
from pipeline.mentions import Mention
from pipeline.ner import CharModel, find_mentions
from pipeline.ner_orgs import head_rule_mentions
from pipeline.ner_people import title_rule_mentions
from pipeline.ner_places import gazetteer_mentions


@pytest.fixture(scope="module")
def model() -> CharModel:
    return CharModel(MODELS / "ner_crf")


def names(mentions, label=None):
    return [m.text for m in mentions if label is None or m.label == label]


@pytest.mark.parametrize("text,expected", [
    ("时任市总工会党组书记、副主席黄红主持会议。", ["黄红"]),
    ("秘书长:刘寅峰", ["刘寅峰"]),
    ("市总工会领导周奇、桂晓燕、朱雪芹、张刚先后陪同调研。", ["周奇", "桂晓燕", "朱雪芹", "张刚"]),
    ("董事长吴群英致辞。", ["吴群英"]),
    ("会长单位召开会议。", []),
    ("职工在岗位上奋斗（记者 王明 摄）", ["王明"]),
])
def test_people_after_title_chains(text, expected):
    assert names(title_rule_mentions(text)) == expected


@pytest.mark.parametrize("text,expected", [
    ("由上海有色金属行业协会主办", ["上海有色金属行业协会"]),
    ("足以显现出中国铸造协会的影响", ["中国铸造协会"]),
    ("市总工会印发通知", ["市总工会"]),
    ("各区总工会主席出席", []),
    ("充分发挥商会作用", []),
    ("2022年度市总工会机关", ["市总工会"]),
    ("格朗吉斯铝业(上海)有限公司", []),  # no place to start it: left to the model
    ("出席中国工会第十八次全国代表大会", []),  # a place and a general head name no particular body
    ("杭州市电子商务协会与宁波市电子商务协会签约", ["杭州市电子商务协会", "宁波市电子商务协会"]),
])
def test_organisations_by_their_heads(text, expected):
    assert [m.text for m in head_rule_mentions(text, []) if m.source == "head_rule"] == expected


def test_names_in_a_list_of_people_are_people():
    from pipeline.ner_people import list_mentions

    text = "大会选举李明为会长，王强、赵静、孙浩为副会长。"
    known = [Mention(text.index(n), text.index(n) + 2, "PERSON", "model", n) for n in ("赵静", "孙浩")]
    assert [m.text for m in list_mentions(text, known)] == ["王强"]


def test_venues_are_not_entities():
    mentions = find_mentions("论坛在上海虹桥宾馆举行，会议在江铜大厦召开。", None)
    assert not [m.text for m in mentions if m.text.endswith(("宾馆", "大厦"))]


def test_places_naming_company_divisions_are_not_places(model):
    text = "来自该公司华东、华南、西北3个大区的职工，以及北京和上海的代表。"
    assert "华东" in {m.text for m in model.predict(text) if m.label == "LOC"}  # the model sees a place
    assert [m.text for m in find_mentions(text, model) if m.label == "LOC"] == ["北京", "上海"]


def test_places_from_the_division_list_and_abbreviations():
    found = names(gazetteer_mentions("协会在安徽合肥举行论坛，武建光一行来沪调研，援藏干部座谈。"))
    assert found == ["安徽", "合肥", "沪", "藏"]


def test_canonical_names_resolve_short_forms(model):
    text = "上海有色金属行业协会成立。协会收到上海期货交易所发来感谢信。上期所表示感谢。协会工业炉窑分会召开会议。"
    mentions = find_mentions(text, model)
    canon = dict(zip(names(mentions), canonical_names(mentions)))
    assert canon["协会"] == "上海有色金属行业协会"
    assert canon["上期所"] == "上海期货交易所"
    assert canon["协会工业炉窑分会"] == "上海有色金属行业协会工业炉窑分会"


def test_a_bare_company_is_not_the_documents_company(model):
    text = "华为技术有限公司发布新品。腾讯控股有限公司宣布合作，公司表示将扩大投资。"
    mentions = find_mentions(text, model)
    assert "公司" not in [m.text for m in mentions]  # only association-like heads refer back


def test_a_signature_names_the_author_that_bare_heads_mean():
    text = "会议在杭州市餐饮商会召开。商会全体会员积极参与。\n\n杭州市服装商会\n秘书长:王明"
    mentions = find_mentions(text, None)
    canon = dict(zip(names(mentions), canonical_names(mentions, text)))
    assert canon["商会"] == "杭州市服装商会"


def test_city_prefix_and_internal_bodies():
    text = "上海市总工会召开会议。市总工会党组书记黄红出席。"
    mentions = find_mentions(text, None)
    assert set(canonical_names(mentions)) >= {"上海市总工会", "黄红"}
    assert fold_internal_body("市总工会党组") == "市总工会"


def test_ocr_variants_of_an_organisation_merge():
    mentions = [Mention(0, 10, "ORG", "head_rule", "上海市工业经济联合会"), Mention(20, 30, "ORG", "head_rule", "上海市工业经济联合会"),
                Mention(40, 49, "ORG", "head_rule", "上海市工业经济联会")]
    assert canonical_names(mentions) == ["上海市工业经济联合会"] * 3


def test_ocr_variants_of_a_person_merge():
    mentions = [Mention(0, 3, "PERSON", "model", "郑钢淼"), Mention(5, 8, "PERSON", "model", "郑钢淼"),
                Mention(10, 13, "PERSON", "model", "郑钢森")]
    assert canonical_names(mentions) == ["郑钢淼"] * 3


def test_shipped_model_finds_names_in_news(model):
    found = {(m.text, m.label) for m in model.predict("国务院总理李强在北京会见了来访的法国总统。")}
    assert ("李强", "PERSON") in found and ("北京", "LOC") in found


def test_document_mentions_on_real_text(model):
    mentions = find_mentions(raw_text("001"), model)
    people = set(names(mentions, "PERSON"))
    assert {"王健", "吴群英", "黄忠良", "赵卫肃"} <= people
    assert "中国有色金属工业协会" in names(mentions, "ORG")


@pytest.mark.parametrize("short,full,expected", [
    ("中铸协", "中国铸造协会", True),
    ("上期所", "上海期货交易所", True),
    ("工工", "工会工作委员会", False),  # a character taken twice: a fragment, not a clipped name
    ("铸造协会", "中国铸造协会", False),  # a contiguous part is another name, not a clipped one
])
def test_clipped_organisation_names(short, full, expected):
    from pipeline.ner_orgs import is_abbreviation

    assert is_abbreviation(short, full) is expected
