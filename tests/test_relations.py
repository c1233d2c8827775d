"""The relation stage: every titled person's posts and their organisations, on sentences written for it."""
from __future__ import annotations

import pytest


def roles(nlp, text: str) -> set[tuple]:
    doc = nlp(text)
    return {(r["person"], r["title"], r["organisation"], r["former"]) for r in doc._.roles}


@pytest.mark.parametrize("text,expected", [
    # A chain before the name, its organisation right before it: one row per post.
    ("滨江市总工会党组书记、常务副主席周立平出席会议。",
     {("周立平", "党组书记", "滨江市总工会", False), ("周立平", "常务副主席", "滨江市总工会", False)}),
    # 兼 joins posts too; 原 makes them former.
    ("原滨江市电子商会副会长兼秘书长韩志远发言。",
     {("韩志远", "副会长", "滨江市电子商会", True), ("韩志远", "秘书长", "滨江市电子商会", True)}),
    # The post after the name, and in brackets with its organisation.
    ("会上，郑海涛副会长作了报告。", {("郑海涛", "副会长", None, False)}),
    ("吴建华（城南工业协会会长）出席。", {("吴建华", "会长", "城南工业协会", False)}),
    # Posts at several organisations, each after its own name, joined by 、.
    ("滨江市人大常委会副主任、滨江市总工会主席周立平出席。",
     {("周立平", "副主任", "滨江市人大常委会", False), ("周立平", "主席", "滨江市总工会", False)}),
    # The next person's chain after a comma is at the same organisation.
    # (Not the document's most named organisation.)
    ("滨江市总工会召开会议。滨江市总工会主席吴建华讲话。滨江市电子商会会长周立平，常务副会长郑海涛出席。",
     {("吴建华", "主席", "滨江市总工会", False), ("周立平", "会长", "滨江市电子商会", False),
      ("郑海涛", "常务副会长", "滨江市电子商会", False)}),
    # A byline's organisation is the medium named in the report, not the organisation it is about.
    ("滨江市电子商会召开会员大会。（滨江日报记者 孙晓明）", {("孙晓明", "记者", "滨江日报", False)}),
    ("滨江市电子商会召开会员大会。\n文/记者 孙晓明\n来源：滨江日报", {("孙晓明", "记者", "滨江日报", False)}),
    # A byline's names listed by a space share its credit; a slash may follow the credit.
    ("滨江日报讯（全媒体记者/孙晓明 陶明 通讯员/何杏）滨江市电子商会召开会员大会。",
     {("孙晓明", "全媒体记者", "滨江日报", False), ("陶明", "全媒体记者", "滨江日报", False),
      ("何杏", "通讯员", "滨江日报", False)}),
    # A post that is also a verb, right after a name, is the verb.
    ("会员王晓燕代表滨江市电子商会致辞。", set()),
    # A post given after the names listed before it (with no organisation beside it: the document's own).
    ("大会选举徐明远、李红霞和陈志刚为副会长，韩志远当选为滨江市电子商会秘书长。",
     {(name, "副会长", "滨江市电子商会", False) for name in ("徐明远", "李红霞", "陈志刚")}
     | {("韩志远", "秘书长", "滨江市电子商会", False)}),
    # A second post in brackets names the office another way: both are held.
    ("大会选举产生了城南工业协会新一届领导班子：会长（理事长）徐明远，秘书长（理事）李红霞。",
     {("徐明远", "会长", "城南工业协会", False), ("徐明远", "理事长", "城南工业协会", False),
      ("李红霞", "秘书长", "城南工业协会", False), ("李红霞", "理事", "城南工业协会", False)}),
    # A post given with 任 after the name in a chronicle's entry.
    ("2010年1月，城南工业协会召开第五次会员大会，韩志远任会长。", {("韩志远", "会长", "城南工业协会", False)}),
    # An honour for life and a rank stay with the post.
    ("城南工业协会永远荣誉会长徐明远、正县级调研员李红霞出席。",
     {("徐明远", "永远荣誉会长", "城南工业协会", False), ("李红霞", "正县级调研员", "城南工业协会", False)}),
    # A deputy's 副 and a civil-service grade stay with the post.
    ("滨江市民政局副巡视员韩志远、四级调研员陈志刚出席。",
     {("韩志远", "副巡视员", "滨江市民政局", False), ("陈志刚", "四级调研员", "滨江市民政局", False)}),
    # Names listed after a titled one share its posts.
    ("城南工业协会副会长徐明远、李红霞、陈志刚参加活动。",
     {(name, "副会长", "城南工业协会", False) for name in ("徐明远", "李红霞", "陈志刚")}),
])
def test_each_form_of_a_post_gives_its_rows(nlp, text, expected):
    assert roles(nlp, text) == expected


def test_a_post_without_an_organisation_beside_it_is_of_the_one_the_sentence_named(nlp):
    found = roles(nlp, "滨江市总工会召开全委会，秘书长王晓燕主持会议。")
    assert found == {("王晓燕", "秘书长", "滨江市总工会", False)}


def test_an_address_or_a_leader_is_no_post(nlp):
    assert roles(nlp, "市领导刘德明同志出席。") == set()


def test_holds_title_rows_reach_relations_jsonl_with_their_sentence_date(run_output):
    import json

    rows = [json.loads(line) for line in (run_output / "relations.jsonl").read_text(encoding="utf-8").splitlines()]
    titles = [r for r in rows if r["relation"] == "holds_title"]
    assert titles and all({"subject", "subject_id", "object", "organisation", "former", "date", "evidence"} <= r.keys()
                          for r in titles)
    assert any(r["date"] for r in titles) and any(r["relation"] == "organises" for r in rows)


def test_an_events_who_carries_the_posts_the_relation_stage_found(nlp):
    doc = nlp("滨江市总工会党组书记、常务副主席周立平出席会议并讲话。")
    whos = [e["who"] for e in doc._.events if e["who"]["canonical"] == "周立平"]
    assert whos and all(w["title"] == "党组书记、常务副主席" and w["affiliation"] == "滨江市总工会" for w in whos)


def test_every_titled_participant_of_a_run_has_its_holds_title_rows(run_output):
    import json

    def rows(name: str) -> list[dict]:
        return [json.loads(line) for line in (run_output / f"{name}.jsonl").read_text(encoding="utf-8").splitlines()]

    held = {(r["doc_id"], r["subject"], r["object"]) for r in rows("relations") if r["relation"] == "holds_title"}
    organisations = {(r["doc_id"], r["subject"], r["organisation"]) for r in rows("relations")
                     if r["relation"] == "holds_title"}
    titled = [e for e in rows("events") if e["who"]["title"]]
    assert titled
    for event in titled:
        who, doc_id = event["who"], event["doc_id"]
        assert all((doc_id, who["canonical"], title) in held for title in who["title"].split("、")), event["event_id"]
        assert (doc_id, who["canonical"], who["affiliation"]) in organisations, event["event_id"]


def test_named_branches_and_departments_are_part_of_their_parent(nlp):
    doc = nlp("江苏省软件行业协会人工智能专业委员会成立，江苏省软件行业协会会长出席。"
              "河南省委政策研究室与河南省总工会联合调研。")
    assert {(p["part"], p["whole"]) for p in doc._.org_parts} == {
        ("江苏省软件行业协会人工智能专业委员会", "江苏省软件行业协会"), ("河南省委政策研究室", "河南省委")}


def test_a_branch_whose_parent_is_not_named_is_part_of_nothing(nlp):
    assert nlp("江苏省软件行业协会人工智能专业委员会成立。")._.org_parts == []


def test_part_of_rows_in_relations_jsonl(tmp_path):
    import json

    from typer.testing import CliRunner

    from pipeline.cli import app

    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text("2022年5月6日，江苏省软件行业协会人工智能专业委员会成立，"
                                          "江苏省软件行业协会会长出席。\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["run", str(tmp_path / "in"), "--out", str(tmp_path / "out"), "-q"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in (tmp_path / "out" / "relations.jsonl").read_text(encoding="utf-8").splitlines()]
    part_of = [r for r in rows if r["relation"] == "part_of"]
    assert [(r["subject"], r["object"], r["date"], r["evidence"]) for r in part_of] == [
        ("江苏省软件行业协会人工智能专业委员会", "江苏省软件行业协会", "2022-05-06", 0)]


def test_a_post_in_a_department_keeps_the_department(nlp):
    assert roles(nlp, "会上，滨江市委统战部副部长何立新讲话。") == {("何立新", "统战部副部长", "滨江市委", False)}


def test_posts_of_a_body_elected_for_a_term_are_the_organisations(nlp):
    found = roles(nlp, "滨江市总工会第十五届委员会副主席何立新、孙晓宁出席。")
    assert ("何立新", "副主席", "滨江市总工会", False) in found
    assert all(organisation == "滨江市总工会" for _, _, organisation, _ in found)


def test_a_qualified_post_keeps_its_qualifier(nlp):
    found = roles(nlp, "滨江市电子商会轮值副会长何立新、专职副秘书长孙晓宁出席。")
    assert ("何立新", "轮值副会长", "滨江市电子商会", False) in found
    assert ("孙晓宁", "专职副秘书长", "滨江市电子商会", False) in found


@pytest.mark.parametrize("text,expected", [
    # A body inside the organisation stays in the post, and the post is the organisation's.
    ("滨江文化传媒集团党委副书记、工会主席孙晓宁出席。",
     {("孙晓宁", "党委副书记", "滨江文化传媒集团", False), ("孙晓宁", "工会主席", "滨江文化传媒集团", False)}),
    ("滨江市总工会党组成员、副主席、书记处书记何立新出席会议。",
     {("何立新", "副主席", "滨江市总工会", False), ("何立新", "书记处书记", "滨江市总工会", False),
      ("何立新", "党组成员", "滨江市总工会", False)}),
    # A long department between the organisation and the post.
    ("滨江市总工会权益保障和法律工作部副部长孙晓宁参加。",
     {("孙晓宁", "权益保障和法律工作部副部长", "滨江市总工会", False)}),
    ("会上，市委城乡统筹第三督导组组长何立新讲话。", {("何立新", "城乡统筹第三督导组组长", "市委", False)}),
    # OCR leaves a space after the joiner; 第一 qualifies a post.
    ("滨江市总工会党组书记、 副主席、书记处第一书记何立新出席。",
     {("何立新", "党组书记", "滨江市总工会", False), ("何立新", "副主席", "滨江市总工会", False),
      ("何立新", "书记处第一书记", "滨江市总工会", False)}),
])
def test_a_post_keeps_the_body_or_department_it_is_written_with(nlp, text, expected):
    assert roles(nlp, text) == expected


def test_a_union_ending_a_name_the_ner_missed_is_not_part_of_the_post():
    from pipeline.knowledge import load_knowledge
    from pipeline.relations import _patterns, _whole_post_within

    patterns = _patterns(load_knowledge())
    text = "沿江四市总工会主席"
    assert _whole_post_within(text, 5, "工会主席", patterns) == "主席"
    text = "沿江四市总工会党组书记"
    assert _whole_post_within(text, 0, "沿江四市总工会党组书记", patterns) == "党组书记"


def test_an_election_list_closed_by_deng_takes_the_organisation_of_the_sentence(nlp):
    found = roles(nlp, "大会选举何立新为滨江市电子商会会长，孙晓宁、刘海波等为副会长。"
                       "会议选举王丽华为新一届滨江市总工会女职工委员会主任委员，陈静、赵敏等10人当选副主任委员。")
    assert ("孙晓宁", "副会长", "滨江市电子商会", False) in found
    assert ("刘海波", "副会长", "滨江市电子商会", False) in found
    committee = {organisation for person, title, organisation, _ in found if title.endswith("主任委员")}
    assert len(committee) == 1 and committee.pop().endswith("女职工委员会")
    assert {person for person, title, _, _ in found if title == "副主任委员"} == {"陈静", "赵敏"}


def test_a_term_after_the_organisation_is_not_the_post(nlp):
    assert roles(nlp, "会上，周立平当选为滨江市文艺评论家协会第三届主席。") == {
        ("周立平", "主席", "滨江市文艺评论家协会", False)}


@pytest.mark.parametrize("text,rows", [
    # A public office written alone is of no organisation.
    ("滨江市电子商会召开年会，副市长何立新到会祝贺，滨江市电子商会会长周立平致辞。",
     [("何立新", "副市长", None, False), ("周立平", "会长", "滨江市电子商会", False)]),
    # An appointment is not to the company the person heads.
    ("滨江市电子商会第三届会员大会召开，滨江建业集团董事长周立平当选会长。",
     [("周立平", "董事长", "滨江建业集团", False), ("周立平", "会长", "滨江市电子商会", False)]),
    # An organisation referred to by a demonstrative: 本会 the document's own, 该会 the one named last.
    ("滨江市电子商会召开年会。滨江市电子商会会长何立新讲话。城南工业协会的代表和本会秘书长孙晓宁出席。",
     [("孙晓宁", "秘书长", "滨江市电子商会", False)]),
    ("滨江市电子商会会长何立新一行到访城南工业协会，受到该会理事长周立平的接待。",
     [("周立平", "理事长", "城南工业协会", False)]),
    # An earlier chain without an organisation beside it is not at the later chain's.
    ("滨江职工联合会召开会议。会长、滨江市政协委员周立平说，联合会将继续服务职工。",
     [("周立平", "会长", "滨江职工联合会", False), ("周立平", "委员", "滨江市政协", False)]),
])
def test_where_a_post_with_no_organisation_beside_it_goes(nlp, text, rows):
    found = roles(nlp, text)
    assert [row for row in rows if row not in found] == []


def test_an_academic_rank_is_a_post_an_address_is_not(nlp):
    found = roles(nlp, "会上，滨江大学教授周立平作专题报告，滨江市电子商会会员王晓燕同志发言。")
    assert ("周立平", "教授", "滨江大学", False) in found
    assert not any(title == "同志" for _, title, _, _ in found)


def test_a_post_heading_a_list_is_held_by_each_name_a_note_after_a_name_keeps_the_list(nlp):
    text = "会议选举产生城南工业协会领导班子。副会长：徐明远（新任）、李红霞、陈志刚（新任）。常务理事名单为：韩志远、郑海涛。"
    found = {(person, title) for person, title, _, _ in roles(nlp, text)}
    assert {("徐明远", "副会长"), ("李红霞", "副会长"), ("陈志刚", "副会长"),
            ("韩志远", "常务理事"), ("郑海涛", "常务理事")} <= found


def test_a_run_of_places_shares_its_posts_out_in_order(nlp):
    rows = roles(nlp, "会上，京津冀三地工商联主席王立新、李华、陈刚先后发言。")
    assert {(person, organisation) for person, _, organisation, _ in rows} == {
        ("王立新", "北京市工商联"), ("李华", "天津市工商联"), ("陈刚", "河北省工商联")}


def test_a_run_of_places_shares_nothing_when_the_names_are_not_as_many(nlp):
    rows = roles(nlp, "会上，苏浙皖三省总工会主席王立新、李华先后发言。")
    assert not {organisation for _, _, organisation, _ in rows} & {"江苏省总工会", "浙江省总工会", "安徽省总工会"}


def test_a_former_marker_between_an_organisation_and_its_post_keeps_the_chain_going(nlp):
    rows = roles(nlp, "会上，南京市纺织协会副主席、南京工业大学原院长李华发言。")
    assert rows == {("李华", "副主席", "南京市纺织协会", False), ("李华", "院长", "南京工业大学", True)}


def test_a_post_heads_the_list_its_name_includes(nlp):
    rows = roles(nlp, "南京市餐饮商会举行第九届理事会就职典礼。第九届副会长名单包括：王芳、李华、陈刚等。")
    assert {(person, title) for person, title, _, _ in rows} == {("王芳", "副会长"), ("李华", "副会长"), ("陈刚", "副会长")}
