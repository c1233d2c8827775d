"""Stage 4: the character model, domain rules and canonical names."""
from __future__ import annotations

import pytest

from pipeline import MODELS
from pipeline.canonical import canonical_names, fold_internal_body
from pipeline.knowledge import load_knowledge
from pipeline.mention_steps import find_mentions
from pipeline.mentions import Mention
from pipeline.ner import CharModel
from pipeline.ner_orgs import head_rule_mentions, join_branches, source_credit_mentions
from pipeline.ner_people import same_name_throughout, title_rule_mentions
from pipeline.ner_places import gazetteer_mentions, place_canonical
from pipeline.org_references import split_joined_orgs

KB = load_knowledge()  # the base pack


@pytest.fixture(scope="module")
def model() -> CharModel:
    return CharModel(MODELS / "ner_crf")


def names(mentions, label=None):
    return [m.text for m in mentions if label is None or m.label == label]


@pytest.mark.parametrize("text,expected", [
    ("时任市总工会党组书记、副主席黄芸主持会议。", ["黄芸"]),
    ("秘书长:刘寅山", ["刘寅山"]),
    ("市总工会领导周奇、桂岚怡、朱宇图、张刚先后陪同调研。", ["周奇", "桂岚怡", "朱宇图", "张刚"]),
    ("董事长吴秀英致辞。", ["吴秀英"]),
    ("会长单位召开会议。", []),
    ("职工在岗位上奋斗（记者 王明 摄）", ["王明"]),
    ("签约仪式现场（摄影：李晨）", ["李晨"]),
    ("大会选举产生第四届委员会，王明当选主席，李华、赵强当选\n副主席。", ["王明", "李华", "赵强"]),
    ("会议当选代表名单。", []),
    ("党支部书记、秘书长林晓梅主持会议。", ["林晓梅"]),  # 党 is a surname, 党支部 no name
    ("公司董事长王立新被评为优秀企业家。", ["王立新"]),
    ("（执笔：苏文静）", ["苏文静"]),
    ("会议选举王立新为会长，增补李华、赵强为副会长。", ["王立新", "李华", "赵强"]),
    ("市委副书记陈晓骏率代表团赴常州考察。", ["陈晓骏"]),
    ("会长杨崇明致欢迎辞。", ["杨崇明"]),
    # 和 before a comma is a name's last character; before a name it joins two names.
    ("区政协副主席周永和，秘书长王立参加。", ["周永和", "王立"]),
    ("副主席黄芸和王明出席会议。", ["黄芸"]),
])
def test_people_after_title_chains(text, expected):
    assert names(title_rule_mentions(KB, text)) == expected


@pytest.mark.parametrize("text,expected", [
    ("由上海有色金属行业协会主办", ["上海有色金属行业协会"]),
    ("兰州市人力资源和社会保障局、市总工会联合召开", ["兰州市人力资源和社会保障局", "市总工会"]),  # 和 of a standard topic
    ("双方签署战略合作协议，市作协出席。", ["市作协"]),  # 作协 in 合作协议 is no head
    ("由湖南省物流与采购联合会主办。", ["湖南省物流与采购联合会"]),  # 与 between two fields of one name
    ("省机械联与江城理工大学联合举办。", []),  # ... but not between two parties (the rule names no weak name)
    ("足以显现出中国铸造协会的影响", ["中国铸造协会"]),
    ("市总工会印发通知", ["市总工会"]),
    ("各区总工会主席出席", []),
    ("充分发挥商会作用", []),
    ("2022年度市总工会机关", ["市总工会"]),
    ("格朗吉斯铝业(上海)有限公司", []),  # no place to start it: left to the model
    ("出席中国工会第十八次全国代表大会", []),  # a place and a general head name no particular body
    ("杭州市电子商务协会与宁波市电子商务协会签约", ["杭州市电子商务协会", "宁波市电子商务协会"]),
    ("江苏省果品协会会长南京市丰年集团董事长王明出席", ["江苏省果品协会", "南京市丰年集团"]),  # a title ends a name
    ("南京市总工会为南京市餐饮商会颁发证书", ["南京市总工会", "南京市餐饮商会"]),
    ("主席到惠州市总工会督导检查非公企业工会组建工作", ["惠州市总工会"]),  # verbs end a name
])
def test_organisations_by_their_heads(text, expected):
    assert [m.text for m in head_rule_mentions(KB, text, []) if m.source == "head_rule"] == expected


def test_taiwan_places_start_organisation_names_with_the_pack_that_lists_them():
    from pipeline.knowledge_packs import PackSet

    text = "高雄市商业会与台北市电脑商业同业公会签约"
    with_pack = PackSet().knowledge("mainland+tw_hk_mo")
    assert [m.text for m in head_rule_mentions(with_pack, text, []) if m.source == "head_rule"] == [
        "高雄市商业会", "台北市电脑商业同业公会"]
    assert [m.text for m in head_rule_mentions(KB, text, []) if m.source == "head_rule"] == []


def test_names_in_a_list_of_people_are_people():
    from pipeline.ner_people import list_mentions

    text = "大会选举李明为会长，王强、赵静、孙浩为副会长。"
    known = [Mention(text.index(n), text.index(n) + 2, "PERSON", "model", n) for n in ("赵静", "孙浩")]
    assert [m.text for m in list_mentions(KB, text, known)] == ["王强"]


def test_venues_are_not_entities():
    mentions = find_mentions(KB, "论坛在上海虹桥宾馆举行，会议在江铜大厦召开。", None)
    assert not [m.text for m in mentions if m.text.endswith(("宾馆", "大厦"))]


def test_places_naming_company_divisions_are_not_places(model):
    text = "来自该公司华东、华南、西北3个大区的职工，以及北京和上海的代表。"
    assert "华东" in {m.text for m in model.predict(text) if m.label == "LOC"}  # the model sees a place
    assert [m.text for m in find_mentions(KB, text, model) if m.label == "LOC"] == ["北京", "上海"]


def test_places_from_the_division_list_and_abbreviations():
    found = names(gazetteer_mentions(KB, "协会在安徽合肥举行论坛，武立光一行来沪调研，援藏干部座谈。"))
    assert found == ["安徽", "合肥", "沪", "藏"]


def test_canonical_names_resolve_short_forms(model):
    text = "上海有色金属行业协会成立。协会收到上海期货交易所发来感谢信。上期所表示感谢。协会工业炉窑分会召开会议。"
    mentions = find_mentions(KB, text, model)
    canon = dict(zip(names(mentions), canonical_names(KB, mentions)))
    assert canon["协会"] == "上海有色金属行业协会"
    assert canon["上期所"] == "上海期货交易所"
    assert canon["协会工业炉窑分会"] == "上海有色金属行业协会工业炉窑分会"


def test_a_bare_company_is_not_the_documents_company(model):
    text = "华为技术有限公司发布新品。腾讯控股有限公司宣布合作，公司表示将扩大投资。"
    mentions = find_mentions(KB, text, model)
    assert "公司" not in [m.text for m in mentions]  # only association-like heads refer back


def test_a_signature_names_the_author_that_bare_heads_mean():
    text = "会议在杭州市餐饮商会召开。商会全体会员积极参与。\n\n杭州市服装商会\n秘书长:王明"
    mentions = find_mentions(KB, text, None)
    canon = dict(zip(names(mentions), canonical_names(KB, mentions, text)))
    assert canon["商会"] == "杭州市服装商会"


def test_city_prefix_and_internal_bodies():
    text = "上海市总工会召开会议。市总工会党组书记黄芸出席。"
    mentions = find_mentions(KB, text, None)
    assert set(canonical_names(KB, mentions)) >= {"上海市总工会", "黄芸"}
    assert fold_internal_body(KB, "市总工会党组") == "市总工会"


def test_a_ministry_department_folds_into_the_ministry():
    found = [Mention(0, 13, "ORG", "model", "住房和城乡建设部标准定额司"), Mention(20, 30, "ORG", "model", "北京华远建材有限公司"),
             Mention(40, 48, "ORG", "head_rule", "湖南省人大常委会"), Mention(50, 63, "ORG", "head_rule", "湖南省人力资源和社会保障厅")]
    # A company is no department; nor is a department of a province's government (its head is 社会保障厅).
    assert canonical_names(KB, found) == ["住房和城乡建设部", "北京华远建材有限公司", "湖南省人大常委会", "湖南省人力资源和社会保障厅"]
    assert [m.text for m in title_rule_mentions(KB, "标准定额司副司长王立新出席。")] == ["王立新"]


def test_province_prefix_takes_the_documents_province(model):
    text = "湖南省经济和信息化厅、湖南省总工会出席。省经信厅副厅长讲话，省总工会主席出席。"
    mentions = find_mentions(KB, text, model)
    canon = dict(zip(names(mentions), canonical_names(KB, mentions, text)))
    assert canon["省经信厅"] == "湖南省经济和信息化厅"  # 省 + a clipped name of the province's department
    assert canon["省总工会"] == "湖南省总工会"


def test_ocr_variants_of_an_organisation_merge():
    mentions = [Mention(0, 10, "ORG", "head_rule", "上海市工业经济联合会"), Mention(20, 30, "ORG", "head_rule", "上海市工业经济联合会"),
                Mention(40, 49, "ORG", "head_rule", "上海市工业经济联会")]
    assert canonical_names(KB, mentions) == ["上海市工业经济联合会"] * 3


def test_ocr_variants_of_a_person_merge():
    mentions = [Mention(0, 3, "PERSON", "model", "郑海淼"), Mention(5, 8, "PERSON", "model", "郑海淼"),
                Mention(10, 13, "PERSON", "model", "郑海森")]
    assert canonical_names(KB, mentions) == ["郑海淼"] * 3


def test_shipped_model_finds_names_in_news(model):
    found = {(m.text, m.label) for m in model.predict("国务院总理李强在北京会见了来访的法国总统。")}
    assert ("李强", "PERSON") in found and ("北京", "LOC") in found


def test_document_mentions_in_a_report(model):
    text = ("3月12日，中国轻工业联合会在北京召开会员代表大会。联合会副会长孙伟东出席会议并讲话，"
            "秘书长林秀英主持会议。会员代表何建平、罗志坚先后发言。")
    mentions = find_mentions(KB, text, model)
    assert {"孙伟东", "林秀英", "何建平", "罗志坚"} <= set(names(mentions, "PERSON"))
    assert "中国轻工业联合会" in names(mentions, "ORG")


@pytest.mark.parametrize("short,full,expected", [
    ("中铸协", "中国铸造协会", True),
    ("上期所", "上海期货交易所", True),
    ("工工", "工会工作委员会", False),  # a character taken twice: a fragment, not a clipped name
    ("铸造协会", "中国铸造协会", False),  # a contiguous part is another name, not a clipped one
])
def test_clipped_organisation_names(short, full, expected):
    from pipeline.org_references import is_abbreviation

    assert is_abbreviation(KB, short, full) is expected


def _at(text: str, surface: str, label: str, source: str) -> Mention:
    start = text.index(surface)
    return Mention(start, start + len(surface), label, source, surface)


def test_autonomous_prefectures_are_found_by_their_short_names():
    from pipeline.ner_places import division_short_forms

    assert division_short_forms(KB)["黔东南苗族侗族自治州"] == "黔东南"
    assert division_short_forms(KB)["伊犁哈萨克自治州"] == "伊犁"
    assert names(gazetteer_mentions(KB, "来自四川凉山、新疆伊犁的学员参加培训。")) == ["四川", "凉山", "新疆", "伊犁"]
    assert names(gazetteer_mentions(KB, "工厂采购大理石，会议精简，力戒文山会海。")) == []


def test_every_abbreviation_in_a_context_has_a_full_name():
    import re

    data = KB.yaml("places.yaml")
    patterns = data["abbreviation_contexts"] + [data["abbreviation_runs"]]
    # What a pattern matches comes right after its lookbehind: a character or a class of them.
    used = {c for p in patterns for m in re.finditer(r"\)(?:\[([^\]]+)\]|([\u4e00-\u9fff]))", p)
            for c in (m.group(1) or m.group(2))}
    assert "疆" in used and used <= set(data["abbreviations"])
    assert {place_canonical(KB, m.text) for m in gazetteer_mentions(KB, "本市援疆干部返沪。")} == {"新疆", "上海"}


@pytest.mark.parametrize("text,surface,kept", [
    ("本届竞赛组委会成员出席。", "竞赛组委会", False),  # an event's committee
    ("第三次代表大会开幕。", "代表大会", False),
    ("他是党的十九大代表。", "十九大", False),  # an ordinal congress is an event
    ("省援藏工作组/专班负责人出席。", "工作组/专班", False),  # two bodies run together
    ("国民议会通过了预算。", "国民议会", True),  # a parliament is a body
    ("肯尼亚旅游部官员来访。", "肯尼亚旅游部", True),  # a government department named with its place
    ("协会编写《长三角汽车零部件产业研究报告》。", "长三角汽车零部件产业研究报告", False),
    ("机关下设法律服务部。", "法律服务部", False),  # a department with no parent named
    ("省软件协会理事会在京召开。", "省软件协会理事会", True),  # a committee of a named body
    ("生态环境部发布通知。", "生态环境部", True),  # a ministry, not a department
    ("市纪委机关召开专题民主生活会。", "专题民主生活会", False),  # a meeting by its kind
    ("省建材行业协会产品发布会在榕举行。", "省建材行业协会产品发布会", False),
])
def test_model_organisations_that_name_no_body(text, surface, kept):
    from pipeline.ner import not_event_bodies, outside_quoted_names

    mention = _at(text, surface, "ORG", "model")
    assert (outside_quoted_names(KB, text, not_event_bodies(KB, text, [mention])) == [mention]) is kept


@pytest.mark.parametrize("text,surface,kept", [
    ("川渝黔三省总工会领导出席。", "省总工会", False),  # a counted level: a group
    ("黄河沿线9省市煤炭协会签约。", "省市煤炭协会", False),
    ("区局工会负责人参加。", "区局工会", False),  # a pair of levels, no place
    ("各区总工会主席出席。", "各区总工会", False),
    ("江苏省总工会主席出席。", "江苏省总工会", True),
    ("时任省总工会党组书记出席。", "省总工会", True),  # the province's own federation, like 市总工会
    ("省政协侨联界别委员调研。", "侨联", False),  # members of a sector
    ("三个工会成立省级联合会。", "省级联合会", False),  # a level adjective: no particular body
    ("本会举行新春茶话会。", "本会", False),  # the document's own organisation, referred to
    ("该商会会长出席。", "该商会", False),
])
def test_group_nouns_and_sectors_are_not_organisations(text, surface, kept):
    from pipeline.ner import not_groups, not_sectors

    mention = _at(text, surface, "ORG", "model")
    assert (not_groups(KB, text, not_sectors(KB, text, [mention])) == [mention]) is kept


def test_clipped_names_stand_as_words():
    from pipeline.org_references import abbreviation_mentions

    text = "长沙市总工会发文。年度总会议召开。由长总主办。"
    full = _at(text, "长沙市总工会", "ORG", "head_rule")
    # `总会` in `年度总会议` holds characters of 长沙市总工会 in order, but not as a word.
    assert names(abbreviation_mentions(KB, text, [full])) == ["长总"]


def test_a_name_clipped_inside_its_head_is_that_name():
    text = "长沙市总工会与长沙市建设总公司座谈。市总领导出席。"
    mentions = [_at(text, "长沙市总工会", "ORG", "head_rule"), _at(text, "长沙市建设总公司", "ORG", "head_rule"),
                _at(text, "市总", "ORG", "short_reference")]
    assert canonical_names(KB, mentions, text)[2] == "长沙市总工会"


def test_one_entity_one_canonical_name():
    surfaces = [("湖南省总工会", "ORG"), ("湖南省衡阳市总工会", "ORG"), ("长沙市家政协会", "ORG"), ("湖南", "LOC"),
                ("全国供销合作总社", "ORG"), ("中华全国供销合作总社", "ORG"), ("市科普协会", "ORG"), ("市科学普及协会", "ORG"),
                ("长沙市政协", "ORG"), ("长沙市卫健委", "ORG"), ("长沙市卫生健康委员会", "ORG"), ("湖南省", "LOC")]
    text = "、".join(s for s, _ in surfaces) + "的代表出席座谈会。"
    mentions, start = [], 0
    for surface, label in surfaces:
        mentions.append(Mention(start, start + len(surface), label, "gazetteer" if label == "LOC" else "head_rule",
                                surface))
        start += len(surface) + 1
    canon = dict(zip((s for s, _ in surfaces), canonical_names(KB, mentions, text)))
    assert canon["湖南"] == canon["湖南省"]
    assert canon["全国供销合作总社"] == canon["中华全国供销合作总社"] == "中华全国供销合作总社"
    assert canon["市科普协会"] == canon["市科学普及协会"] == "长沙市科学普及协会"
    assert canon["长沙市卫健委"] == "长沙市卫生健康委员会"
    # What a shorter name adds is a contiguous piece of the longer one: another body.
    assert canon["湖南省总工会"] == "湖南省总工会"
    assert canon["长沙市政协"] == "长沙市政协"


@pytest.mark.parametrize("name,folded", [
    ("省委政策研究室", "省委"),  # a department after a parent with a head
    ("市侨联委", "市侨联"),  # 党委 with 党 dropped
    ("同济大学建筑与城市规划学院", "同济大学"),  # a school of a university
    ("市科委", "市科委"),  # a committee, not a truncated 党委
    ("商会上海办事处", "商会上海办事处"),  # a named branch stays
])
def test_departments_fold_into_their_parent(name, folded):
    assert fold_internal_body(KB, name) == folded


def test_a_department_of_a_clipped_name_is_that_organisation():
    text = "中国纺织协会召开会议，中纺协秘书处负责人出席。"
    mentions = [_at(text, "中国纺织协会", "ORG", "head_rule"), _at(text, "中纺协秘书处", "ORG", "model")]
    assert canonical_names(KB, mentions, text)[1] == "中国纺织协会"


@pytest.mark.parametrize("text,surface,kept", [
    ("青年职工交友活动在滨江创意园举行。", "滨江创意园", False),  # venues are an event's `where`
    ("学习会在东方书院报告厅举行。", "东方书院报告厅", False),
    ("代表团访问了德国汉堡。", "汉堡", True),
    ("代表团赴东京参展。", "东京", True),
    ("项目落户临港新片区。", "临港新片区", True),
    ("考察团途经塔什库尔干前往边境口岸。", "塔什库尔干", True),  # unlisted: the model's place stays
])
def test_model_venues_are_dropped_and_places_kept(text, surface, kept):
    from pipeline.ner import not_venues

    mentions = gazetteer_mentions(KB, text) + [_at(text, surface, "LOC", "model")]
    assert (_at(text, surface, "LOC", "model") in not_venues(KB, text, mentions)) is kept


@pytest.mark.parametrize("text,expected", [
    ("活动邀请陈志刚、林晓燕、傅伟三位劳动模范讲述奋斗故事。", ["陈志刚", "林晓燕", "傅伟"]),  # closed by a count
    ("座谈会上，周海涛、阎丽2名一线职工发言。", ["周海涛", "阎丽"]),
    ("会上宣读表彰决定，张晓梅副秘书长获“优秀工作者”称号。", ["张晓梅"]),  # a name before a title
    ("同济大学王建国教授作\"城市更新\"专题报告。", ["王建国"]),  # organisation, name, title
    ("行业专家赵立新作《产业链安全》主旨演讲。", ["赵立新"]),  # 作 before a book title
    ("劳模代表步晓东、刘婷分别发言。", ["步晓东", "刘婷"]),  # a surname now listed
    ("外滩晨景 (吴昊)\n", ["吴昊"]),  # a photo credit without 摄
    ("集团党委书记、董事长出席。", []),  # 党委 starts a title, names nobody
    ("各区工会法务部长出席。", []),  # a unit before 部长
    ("，王副主席在会上讲话。", []),  # the title starts inside the candidate
])
def test_more_people_rules(text, expected):
    assert names(title_rule_mentions(KB, text)) == expected


def test_a_locative_ends_the_region_before_a_name():
    text = "珠三角周边广东省电子行业协会等单位签约。"
    assert [m.text for m in head_rule_mentions(KB, text, []) if m.source == "head_rule"] == ["广东省电子行业协会"]


@pytest.mark.parametrize("span,trimmed", [
    ("携学会", "学会"),  # the model ran over a one-character boundary word before a bare head
    ("座谈会在协会", "协会"),
    ("中华人民共和国", "中华人民共和国"),  # 和 inside a name stays
    ("2月15日协会", "协会"),  # the model started inside the date, at its 日
])
def test_model_organisations_trimmed_before_a_bare_head(span, trimmed):
    from pipeline.ner_orgs import trim_model_orgs

    start = span.find("日") if span[0].isdigit() else 0
    proposed = Mention(start, len(span), "ORG", "model", span[start:])
    assert [m.text for m in trim_model_orgs(KB, span, [proposed])] == [trimmed]


@pytest.mark.parametrize("text,expected", [
    ("交流会在静安区工人文化宫举行。", []),  # the district starts the venue's name
    ("代表们参观了嘉兴南湖革命纪念馆。", []),
    ("交流会在杭州举行。", [("杭州", "LOC")]),
    ("揭牌成立苏州市工业发展促进中心、", [("苏州市工业发展促进中心", "ORG")]),  # a functional centre is a body
    ("推进会在徐汇区党群服务中心举行。", []),  # ... but where an event is held it is the venue
    ("论坛在上海国际会议中心举行。", []),
    ("市、区职工服务中心负责人参加。", []),  # city and district centres: a group
    ("闵行区、市总工会领导出席。", [("闵行区", "LOC"), ("市总工会", "ORG")]),
    ("大会在南湖宾馆三楼宴会厅召开。", []),
    ("协会荣获“全国优秀行业协会”称号。", []),  # a quoted honour is no organisation
    ("大会收到香港宁波同乡会发来的贺信。", [("香港宁波同乡会", "ORG")]),
])
def test_venues_and_the_places_that_start_them(text, expected):
    assert [(m.text, m.label) for m in find_mentions(KB, text, None)] == expected


def test_elided_organisation_names_are_written_out():
    text = "江宁、鼓楼区总工会负责人出席。玄武区委、总工会有关领导参加。玄武区人大常委会副主任、区总工会主席讲话。"
    mentions = find_mentions(KB, text, None)
    canon = [(m.text, n) for m, n in zip(mentions, canonical_names(KB, mentions, text)) if m.label == "ORG"]
    assert ("江宁", "江宁区总工会") in canon and ("鼓楼区总工会", "鼓楼区总工会") in canon  # a shared tail
    assert ("总工会", "玄武区总工会") in canon  # a shared prefix
    assert ("区总工会", "玄武区总工会") in canon  # the district named before in the sentence
    assert ("玄武区委", "玄武区委") in canon  # not the district's 人大常委会
    text = "长沙市总工会召开会议，株洲市人民政府、市总工会领导出席。"
    mentions = find_mentions(KB, text, None)
    assert canonical_names(KB, mentions, text)[-1] == "长沙市总工会"  # a leading 市 is the document city


def test_district_short_names_of_the_document_city():
    from pipeline.ner_places import city_district_mentions

    text = "南京市总工会、南京市工商联和南京市文联在南京举行活动，随后赴栖霞调研，沿秦淮河考察。"
    assert [m.text for m in find_mentions(KB, text, None) if m.label == "LOC"] == ["南京", "栖霞"]  # not 秦淮 in 秦淮河
    # Named once, the city does not make its districts' short names places.
    assert [m.text for m in find_mentions(KB, "南京市代表赴栖霞调研。", None) if m.label == "LOC"] == ["南京市"]
    other = "杭州市总工会、杭州市工商联和杭州市文联代表赴栖霞调研。"
    assert city_district_mentions(KB, other, find_mentions(KB, other, None)) == []  # 栖霞 is not a district of 杭州


def test_a_dash_read_as_one_between_two_places():
    text = "南京一芜湖市总工会对口合作框架协议签约。"
    assert [m.text for m in head_rule_mentions(KB, text, []) if m.source == "head_rule"] == ["芜湖市总工会"]


def test_a_name_given_with_a_title_is_the_same_name_throughout():
    text = "主席王建国主持会议。王建国出席。副主席李晓梅宣读决定，王建国、赵敏讲话。主席李晓梅出席。王建国总结。"
    found = [Mention(2, 5, "PERSON", "title_rule", "王建国"), Mention(10, 12, "PERSON", "model", "王建"),
             Mention(27, 29, "PERSON", "model", "王建"),  # the model's clipped form, repeated
             Mention(38, 41, "PERSON", "title_rule", "李晓梅"), Mention(19, 23, "PERSON", "model", "李晓梅宣"), Mention(31, 33, "PERSON", "model", "赵敏")]
    fixed = {(m.start, m.text) for m in same_name_throughout(KB, text, found)}
    assert (10, "王建国") in fixed                       # clipped by the model: the known name
    assert (19, "李晓梅") in fixed and (19, "李晓梅宣") not in fixed  # run over the verb: trimmed
    assert (27, "王建国") in fixed                       # a repeated clipped form takes the titled name
    assert (44, "王建国") in fixed                       # left untagged: found
    assert (31, "赵敏") in fixed                         # a name given once, without a title, stays


def test_two_parties_joined_by_yu_are_two_organisations():
    full = Mention(0, 9, "ORG", "head_rule", "湖南省机械工业协会")
    joined = Mention(20, 30, "ORG", "model", "机械协与江城理工大学")
    field = Mention(40, 51, "ORG", "model", "世界经济与政治研究所")
    found = {m.text for m in split_joined_orgs(KB, [full, joined, field])}
    assert {"机械协", "江城理工大学"} <= found and "机械协与江城理工大学" not in found  # a clipped name, then a party
    assert "世界经济与政治研究所" in found                                            # two fields of one name


def test_the_model_sets_where_a_company_name_starts_when_the_head_rule_stops_early(model):
    # The head rule stops at 原 (a boundary: `原主席`); the model's span starts at the place.
    text = "15日，兰州陇原重工机械集团有限公司铸造分厂工会被授予“模范职工小家”称号。"
    assert "兰州陇原重工机械集团有限公司铸造分厂工会" in [m.text for m in find_mentions(KB, text, model)]


def test_a_branch_named_by_a_place_after_its_parent_is_one_organisation():
    parent = Mention(0, 10, "ORG", "model", "楚江银行股份有限公司")
    branch = Mention(10, 15, "ORG", "head_rule", "湖南省分行")
    alone = Mention(20, 25, "ORG", "head_rule", "湖南省分行")
    assert [m.text for m in join_branches(KB, [parent, branch, alone])] == ["楚江银行股份有限公司湖南省分行", "湖南省分行"]


def test_district_and_county_prefixes_take_the_place_the_document_means():
    text = ("江宁区总工会召开会议。区总工会主席讲话。皋兰县总工会、皋兰县总工会代表出席。"
            "7日，主席到永登县调研，听取县总工会工作汇报。")
    mentions = find_mentions(KB, text, None)
    canon = [(m.text, name) for m, name in zip(mentions, canonical_names(KB, mentions, text))]
    assert ("区总工会", "江宁区总工会") in canon   # the document's district
    assert ("县总工会", "永登县总工会") in canon   # the county named before it in the sentence


def test_a_misread_last_character_of_a_titled_name_stays_in_the_mention():
    text = "常务副主席王建国主持。王建图出席开班式。主席王建国讲话。"
    found = [Mention(5, 8, "PERSON", "title_rule", "王建国"), Mention(11, 13, "PERSON", "model", "王建"),
             Mention(22, 25, "PERSON", "title_rule", "王建国")]
    fixed = [m.text for m in same_name_throughout(KB, text, found)]
    assert fixed == ["王建国", "王建图", "王建国"]  # the variant, which canonical names then merge with 王建国
    assert canonical_names(KB, same_name_throughout(KB, text, found)) == ["王建国"] * 3


def test_bodies_and_places_are_no_names_whoever_proposes_them():
    from pipeline.ner_people import not_a_name

    assert not_a_name(KB, "常委会") and not_a_name(KB, "党支部") and not_a_name(KB, "江苏省")  # internal bodies, a place
    assert not not_a_name(KB, "王立新")


def test_a_rolls_lines_name_a_person_and_the_persons_unit(model):
    text = "二、授予以下职工奖章\n张建华（苏州恒达精密机械有限责任公司，数控车间高级技师）\n李秀兰（女，泰和县武山乌鸡养殖专业合作社，理事长）\n"
    found = {(m.text, m.label) for m in find_mentions(KB, text, model)}
    assert {("张建华", "PERSON"), ("李秀兰", "PERSON"), ("苏州恒达精密机械有限责任公司", "ORG"),
            ("泰和县武山乌鸡养殖专业合作社", "ORG")} <= found


def test_a_short_name_after_a_group_marker_is_a_group():
    from pipeline.ner import not_groups

    text = "各设区市总工会，省直各产业工会："
    mentions = [_at(text, "市总工会", "ORG", "short_reference"), _at(text, "工会", "ORG", "short_reference")]
    assert not_groups(KB, text, mentions) == []


def test_a_titled_name_is_read_whole_where_a_place_sits_inside_it():
    text = "技术中心主任钟怡佳出席。其中，钟怡佳已被评为技术能手。"
    second = text.index("钟怡佳", 10)
    inner = Mention(second + 1, second + 3, "LOC", "model", "华山")
    result = same_name_throughout(KB, text, sorted(title_rule_mentions(KB, text) + [inner], key=lambda m: m.start))
    assert [(m.start, m.text, m.label) for m in result] == [(6, "钟怡佳", "PERSON"), (second, "钟怡佳", "PERSON")]


def test_a_declared_short_name_is_the_full_name_before_it():
    text = "江苏省软件行业协会（以下简称“苏软协”）会长王德一行来访。苏软协与本会签约。"
    mentions = [_at(text, "江苏省软件行业协会", "ORG", "head_rule"), _at(text[20:], "苏软协", "ORG", "model")]
    mentions[1] = Mention(mentions[1].start + 20, mentions[1].end + 20, "ORG", "model", "苏软协")
    assert canonical_names(KB, mentions, text) == ["江苏省软件行业协会", "江苏省软件行业协会"]


def test_a_short_name_with_a_city_is_not_the_citys_district_body():
    from pipeline.canonical import one_name_per_entity

    orgs = [Mention(0, 6, "ORG", "model", "宜宾市工商联"), Mention(10, 19, "ORG", "head_rule", "宜宾市工商业联合会"),
            Mention(20, 32, "ORG", "head_rule", "宜宾市叙州区工商业联合会")]
    assert one_name_per_entity(KB, orgs, [m.text for m in orgs]) == ["宜宾市工商业联合会", "宜宾市工商业联合会",
                                                                 "宜宾市叙州区工商业联合会"]


def test_a_boundary_word_inside_a_head_does_not_stop_a_name():
    text = "17日，云南省物流与采购联合会冷链物流专业委员会揭牌成立。"
    assert names(head_rule_mentions(KB, text, [])) == ["云南省物流与采购联合会冷链物流专业委员会"]


def test_a_date_word_before_a_short_name_is_no_part_of_it():
    text = "3月下旬县总工会在全县开展服务月活动。是月县总工会组织培训。"
    assert "下旬县总工会" not in names(head_rule_mentions(KB, text, [])) and "月县总工会" not in names(head_rule_mentions(KB, text, []))


@pytest.mark.parametrize("short,full", [("江西省政府", "江西省人民政府"), ("宜宾市工商联", "宜宾市工商业联合会"),
                                        ("浦江县委", "中共浦江县委")])
def test_short_heads_and_the_party_prefix_name_one_body(short, full):
    from pipeline.canonical import one_name_per_entity

    orgs = [Mention(0, len(short), "ORG", "model", short), Mention(20, 20 + len(full), "ORG", "head_rule", full)]
    assert one_name_per_entity(KB, orgs, [short, full]) == [full, full]


def test_a_name_before_zuo_and_a_report_is_a_name():
    assert names(title_rule_mentions(KB, "党组书记、常务副会长邹杰宇作常委会工作报告。"), "PERSON") == ["邹杰宇"]


def test_places_of_hong_kong_macau_and_taiwan_come_with_their_pack():
    from pipeline.knowledge_packs import PackSet

    text = "议员在观塘区和沙田区探访居民，商会访问高雄市及澎湖。"
    found = names(gazetteer_mentions(PackSet().knowledge("mainland+tw_hk_mo"), text))
    assert found == ["观塘区", "沙田区", "高雄市", "澎湖"]
    assert PackSet().choose(text) == "mainland+tw_hk_mo"
    assert names(gazetteer_mentions(KB, text)) == []  # the base pack lists none of them


def test_place_names_inside_common_words_are_no_places():
    assert names(gazetteer_mentions(KB, "准备盛大庆祝，各位来宾，坚持中国特色社会主义，新年伊始万象更新。")) == []


def test_streets_and_addresses_are_no_places(model):
    text = "协会会址位于中山路八号，将迁至人民大道。"
    assert [m.text for m in find_mentions(KB, text, model) if m.label == "LOC"] == []


def test_a_companys_trade_union_committee_is_its_own_organisation(model):
    text = "南京丰年玻璃有限公司工会委员会被评为模范职工之家。南京丰年玻璃有限公司党委书记出席。"
    mentions = find_mentions(KB, text, model)
    canon = dict(zip(names(mentions), canonical_names(KB, mentions)))
    assert canon["南京丰年玻璃有限公司工会委员会"] == "南京丰年玻璃有限公司工会委员会"


@pytest.mark.parametrize("text,expected", [
    ("与同时获得两项肯定的蒋家宇，皆颁奖嘉许。", ["蒋家宇"]),          # the model's 蒋丽 stops before the comma
    ("东区：高家振、陈宇琪、林宇晓、姜鹏、姚佳；西区：陈瑞清。", ["高家振", "陈宇琪", "林宇晓", "姜鹏", "姚佳", "陈瑞清"]),
    ("轮值会长王思立与12-2月轮值会长李振岚进行了交接。", ["王思立", "李振岚"]),  # 与 before a number joins
])
def test_whole_names_at_clause_ends_and_in_lists(model, text, expected):
    assert [m.text for m in find_mentions(KB, text, model) if m.label == "PERSON"] == expected


@pytest.mark.parametrize("text,expected", [
    ("时间：2024-04-11　来源：某工网　浏览次数：5", ["某工网"]),
    ("（来源：江城日报）", ["江城日报"]),
    ("来源:江城新闻网浏览次数:12", ["江城新闻网"]),
])
def test_the_medium_credited_as_source_is_an_organisation(text, expected):
    assert names(source_credit_mentions(KB, text)) == expected


def test_no_place_inside_a_word_that_holds_a_places_name_whoever_proposes_it(model):
    text = "深入学习新时代中国特色社会主义思想，推动成渝地区双城经济圈建设。"
    assert [(m.text, m.label) for m in find_mentions(KB, text, model) if m.label == "LOC"] == [("成渝地区双城经济圈", "LOC")]


@pytest.mark.parametrize("text,orgs,people", [
    ("江城晚报讯(记者 陶明)4月29日，记者获悉。", ["江城晚报"], ["陶明"]),
    ("本报讯（记者王明 通讯员李华）5月6日，会议召开。", [], ["王明", "李华"]),
])
def test_a_datelined_medium_and_its_reporters(model, text, orgs, people):
    mentions = find_mentions(KB, text, model)
    assert ([m.text for m in mentions if m.label == "ORG"], [m.text for m in mentions if m.label == "PERSON"]) == (orgs, people)


def test_find_mentions_is_its_named_steps_in_order():
    from pipeline.mention_steps import MENTION_STEPS, Reading

    text = "市总工会党组书记、副主席黄芸出席会议。"
    names = [name for name, _ in MENTION_STEPS]
    assert names[0] == "rule_candidates" and len(set(names)) == len(names)
    reading, found = Reading(KB, text, None, []), []
    for _, step in MENTION_STEPS:
        found = step(reading, found)
    assert found == find_mentions(KB, text, None)
    assert ("黄芸", "PERSON") in {(m.text, m.label) for m in found}


def test_an_autonomous_region_named_short_gives_its_bodies_their_full_name(model):
    text = "广西各级工会积极行动。自治区总工会召开全委会议，自治区政协有关负责人出席。"
    mentions = find_mentions(KB, text, model)
    canonical = {m.text: name for m, name in zip(mentions, canonical_names(KB, mentions, text))}
    assert canonical["自治区总工会"] == "广西壮族自治区总工会"
    assert canonical["自治区政协"] == "广西壮族自治区政协"


def test_a_province_named_short_is_no_city_for_a_leading_shi(model):
    text = "江苏客商代表团访问潍坊。市工商联党组书记何立新会见了江苏客商，向江苏、浙江的企业家介绍投资环境。"
    mentions = find_mentions(KB, text, model)
    canonical = {m.text: name for m, name in zip(mentions, canonical_names(KB, mentions, text))}
    assert canonical["市工商联"] == "潍坊市工商联"


def test_an_organisation_named_once_is_a_mention_wherever_it_is_written_again():
    from pipeline.ner_orgs import same_org_throughout

    text = "滨江文化传媒集团举办分享会。滨江文化传媒集团党委副书记孙晓宁出席，孙晓宁还去了文化传媒集团。"
    person = text.index("孙晓宁")
    found = [Mention(0, 8, "ORG", "model", "滨江文化传媒集团"), Mention(person, person + 3, "PERSON", "title_rule", "孙晓宁")]
    orgs = [(m.start, m.text) for m in same_org_throughout(text, found) if m.label == "ORG"]
    # Found again where untagged; not the clipped `文化传媒集团`, which is no name the text gave.
    assert orgs == [(0, "滨江文化传媒集团"), (14, "滨江文化传媒集团")]
    # A longer mention holding it keeps it.
    longer = found + [Mention(14, 24, "ORG", "model", "滨江文化传媒集团党委")]
    assert [(m.start, m.text) for m in same_org_throughout(text, longer) if m.label == "ORG"] == [
        (0, "滨江文化传媒集团"), (14, "滨江文化传媒集团党委")]


@pytest.mark.parametrize("text,people", [
    ("江城日报讯(全媒体记者/陶明 黎晓光 通讯员/何杏) 近日，会议召开。", ["陶明", "黎晓光", "何杏"]),
    ("本报讯（记者王明 通讯员李华）5月6日，会议召开。", ["王明", "李华"]),
    # Not a byline: a bracket that is not all credits and names.
    ("（记者从市总工会获悉）会议召开。", []),
])
def test_a_bracketed_byline_names_all_its_reporters(text, people):
    from pipeline.ner_people import byline_people

    assert [text[a:b] for a, b in byline_people(KB, text)] == people


@pytest.mark.parametrize("text,orgs", [
    ("6月10日，青海商会收到了一份锦旗。", ["青海商会"]),  # a place's chamber in another city
    ("商会收到了一份锦旗。", []),  # a bare head names no body
    ("上海工会积极行动。", []),  # a place and a general head: unions in general
])
def test_a_place_and_a_chamber_name_one_body_a_place_and_a_union_do_not(text, orgs):
    assert [m.text for m in head_rule_mentions(KB, text, []) if m.label == "ORG"] == orgs


@pytest.mark.parametrize("text,people", [
    ("部长卡洛斯-门德斯会见了代表团。", ["卡洛斯-门德斯"]),
    ("团长玛丽亚•贝尔蒂女士出席。", ["玛丽亚•贝尔蒂"]),
])
def test_a_transliterated_name_in_parts_is_one_person(model, text, people):
    assert [m.text for m in find_mentions(KB, text, model) if m.label == "PERSON"] == people


def test_a_year_range_is_no_name_in_parts(model):
    assert [m for m in find_mentions(KB, "2020-2021年度报告由王明起草。", model) if "-" in m.text] == []


def test_an_act_after_a_post_is_no_name():
    text = "在年度评选中，商会常务副会长王立新、副会长荣获“优秀会员”称号。"
    assert [m.text for m in title_rule_mentions(KB, text) if m.label == "PERSON"] == ["王立新"]


def test_no_name_follows_a_title_written_after_names():
    text = "将邀请外地企业和其他商会同志来滨江考察，市领导王立新出席。"
    assert [m.text for m in title_rule_mentions(KB, text) if m.label == "PERSON"] == ["王立新"]


def test_a_short_form_that_is_an_everyday_word_is_no_place(nlp):
    places = {m["text"] for m in nlp("会员及来宾陆续到场，来宾市总工会主席李华出席。")._.mentions if m["label"] == "LOC"}
    assert "来宾" not in places


def test_what_ends_in_a_meeting_or_an_honour_is_no_name(nlp):
    people = {m["text"] for m in nlp("兄弟省市科协代表向大会致贺词。副会长李华荣获社区服务嘉许状。")._.mentions
              if m["label"] == "PERSON"}
    assert people == {"李华"}


def test_a_citys_provincial_body_is_its_provinces_unless_its_own_organisations_name_another(nlp):
    def canonical(text):
        return {m["text"]: m["canonical"] for m in nlp(text)._.mentions if m["label"] == "ORG"}
    visit = "杭州市总工会召开会议。同日，市总工会副主席李华前往四川青川看望援建人员。7日，省总工会主席陈刚到杭州调研。"
    assert canonical(visit)["省总工会"] == "浙江省总工会"  # the city's province, not the one visited
    assert canonical("湖北省总工会赴深圳调研，省总工会副主席王芳讲话。")["省总工会"] == "湖北省总工会"


def test_a_special_administrative_region_is_no_district_for_a_short_name(nlp):
    text = "1月15日，区妇联召开总结会。2月27日，区妇联组织妇女干部赴香港参加活动。"
    assert {m["canonical"] for m in nlp(text)._.mentions if m["text"] == "区妇联"} == {"区妇联"}
