"""Stage 3: recognition and resolution of time expressions."""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.date_forms import festival_date
from pipeline.date_patterns import date_grammar
from pipeline.dates import resolve_dates
from pipeline.knowledge import load_knowledge
from pipeline.reference_date import ReferenceDate, find_reference_date
from pipeline.segment import segment_text

# Hand-written cases in document context: `cases.jsonl` (sessions 1-6) and `time_model.jsonl` (relative days,
# weeks, numerals, the ROC era, spans, vague times, chronicles and stamps; written for these tests) and
# `counted_and_calendar.jsonl` (two-digit years, offsets and halves, weeks, lunar months, quarters, centuries,
# weekday festivals, expressions alone, lists of days; written for these tests).
CASES = [json.loads(line) for path in sorted((Path(__file__).parent / "golden" / "dates").glob("*.jsonl"))
         for line in path.read_text(encoding="utf-8").splitlines()]


def resolve(text: str, reference: str | None = None) -> list[tuple[str, str, str, str]]:
    sentences = segment_text(text)
    ref = ReferenceDate(reference, "given") if reference else find_reference_date(text, sentences)
    return [(m.text, m.value_start.isoformat(), m.value_end.isoformat(), m.granularity)
            for m in resolve_dates(text, sentences, ref)]



def test_the_golden_cases_are_all_there():
    assert len(CASES) >= 556 and len({case["id"] for case in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[case["id"] for case in CASES])
def test_golden_case(case):
    expected = [(e["text"], e["start"], e["end"], e["granularity"]) for e in case["expected"]]
    assert resolve(case["doc"], case["reference_date"]) == expected, case["comment"]


@pytest.mark.parametrize("text,reference,expected", [
    ("1月\n- 6日 协会召开理事会。\n同日 协会举行培训。", "2023-05-01",
     [("1月", "2023-01-01", "2023-01-31", "month"), ("6日", "2023-01-06", "2023-01-06", "day"),
      ("同日", "2023-01-06", "2023-01-06", "day")]),
    # A chronicle entry may open with a part of the section's month alone.
    ("3月\n5日 协会召开理事会。\n中旬，协会举办培训。\n下旬 协会印发通知。", "2024-05-20",
     [("3月", "2024-03-01", "2024-03-31", "month"), ("5日", "2024-03-05", "2024-03-05", "day"),
      ("中旬", "2024-03-11", "2024-03-20", "part_of_month"), ("下旬", "2024-03-21", "2024-03-31", "part_of_month")]),
    # A list item's number runs into the date after it (`1.11月下旬`): not a decimal.
    ("1.11月下旬，协会被评为5A级社会组织。\n2.12月28日，协会召开理事会。", "2023",
     [("11月下旬", "2023-11-21", "2023-11-30", "part_of_month"), ("12月28日", "2023-12-28", "2023-12-28", "day")]),
    ("年内 协会发布团体标准12项。", "2020", [("年内", "2020-01-01", "2020-12-31", "year")]),
    ("5月-6月，协会开展调研。", "2023", [("5月-6月", "2023-05-01", "2023-06-30", "month")]),
    ("2月3日下午，会议召开。", "2021-02-09", [("2月3日下午", "2021-02-03", "2021-02-03", "part_of_day")]),
    ("去年春节，职工坚守岗位。", "2021-02-09", [("去年春节", "2020-01-25", "2020-01-25", "day")]),
    ("2023年会员大会在京召开。", "2023", []),
    ("为期2个月，10年来，113周年。", "2023", []),
])
def test_resolution_rules(text, reference, expected):
    assert resolve(text, reference) == expected


def test_reference_date_prefers_the_publication_stamp():
    text = ("某市总商会秘书处2020年工作总结\n发布时间：2021-02-09 10:12\n"
            "2020年，商会举办各类活动42场。2019年同期为35场，2018年为30场。\n")
    reference = find_reference_date(text, segment_text(text))
    assert reference.as_json() == {"value": "2021-02-09", "source": "publication_stamp"}


def test_a_marked_stamp_past_a_pages_furniture_is_the_publication_stamp():
    text = ("滨江商会换届大会隆重召开\n本网专稿\n文/编辑部\n网址：https://example.org/?p=1\n"
            "作者：本网\n时间：2019年06月18日 20:05\n滨江商会晚上举行换届大会。2018年会员增至三百家，2017年为两百家。"
            "会长致辞。他谈了未来三年的打算。会上颁发了聘书。嘉宾合影留念。\n")
    reference = find_reference_date(text, segment_text(text))
    assert reference.as_json() == {"value": "2019-06-18", "source": "publication_stamp"}


def test_chronicle_year_comes_from_its_title():
    text = "某市总工会2019年大事记\n1月\n5日 市总工会召开全委会议，回顾2018年工作，部署2020年前的规划。\n"
    reference = find_reference_date(text, segment_text(text))
    assert reference.as_json() == {"value": "2019", "source": "title_year"}


@pytest.mark.parametrize("name,year,expected", [
    ("春节", 2023, dt.date(2023, 1, 22)), ("中秋", 2024, dt.date(2024, 9, 17)),
    ("端午", 2022, dt.date(2022, 6, 3)), ("除夕", 2024, dt.date(2024, 2, 9)),
    ("清明", 2024, dt.date(2024, 4, 4)), ("国庆", 2020, dt.date(2020, 10, 1)),
])
def test_festivals(name, year, expected):
    assert festival_date(date_grammar(load_knowledge()), name, year) == expected


TEXT = st.lists(st.sampled_from(["1月", "2023年", "6日", "同日", "17—18日", "5月-6月", "去年", "春节", "次日", "，",
                                 "\n", "协会", "召开", "2月30日", "上旬", "一季度", "年底", "至", "十二月三日", "下午"]),
                max_size=25).map("".join)


@settings(max_examples=200, deadline=None)
@given(TEXT, st.sampled_from([None, "2023", "2021-02-09"]))
def test_resolution_never_raises_and_gives_valid_intervals(text, reference):
    first = resolve(text, reference)
    for surface, start, end, _ in first:
        assert start <= end and surface in text
    assert resolve(text, reference) == first


def test_a_later_date_inside_an_entry_is_no_context_for_the_next_entries():
    text = ("2020年大事记\n八月\n8月6日 协会召开理事会。会员大会推迟至2021年4月召开。\n26日 协会举办交流会。\n"
            "9月8日 协会发布标准，自2020年10月1日起实施。\n同日 协会召开座谈会。")
    resolved = {(text, start) for text, start, _, _ in resolve(text, "2020")}
    assert ("2021年4月", "2021-04-01") in resolved
    assert ("26日", "2020-08-26") in resolved   # the chronicle's August, not April 2021
    assert ("同日", "2020-09-08") in resolved   # the entry's own day, not the standard's


def test_a_festival_inside_a_persons_name_is_no_date():
    assert [t for t, *_ in resolve("全国劳动模范邹国庆、廖远琪参加座谈。中秋、国庆期间走访慰问。", "2023")] == ["中秋", "国庆"]


def test_each_paragraph_of_a_numbered_section_places_its_own_days():
    text = "2023年工作总结\n1.加强服务，成效明显\n2月，协会召开会议。\n协会于5月18日至19日举办对接会。18日上午，会长讲话。"
    assert ("18日上午", "2023-05-18") in {(t, start) for t, start, _, _ in resolve(text, "2023")}


def test_days_later_count_from_the_previous_date_and_a_look_back_places_nothing():
    text = ("3月19日上午，协会召开会员代表大会。此前，协会已于3月18日下午召开常务理事会。\n"
            "大会召开7天后，会长一行走访企业。次日上午，会长一行到鹰潭调研。同日，局长会见了会长一行。")
    resolved = {(t, start) for t, start, _, _ in resolve(text, "2024-03-28")}
    assert {("7天后", "2024-03-26"), ("次日上午", "2024-03-27"), ("同日", "2024-03-27")} <= resolved


def test_prose_after_a_date_led_line_is_placed_sentence_by_sentence():
    text = ("3月19日，协会召开大会。\n报告回顾了去年的重点工作。2023年4月，协会举办论坛；6月中旬，协会组织考察；"
            "12月上旬，协会开展督查。\n今年协会将重点抓好监测工作，并计划于今年5月举办大会，下半年启动平台建设。")
    resolved = {(t, start) for t, start, _, _ in resolve(text, "2024-03-28")}
    assert {("6月中旬", "2023-06-11"), ("12月上旬", "2023-12-01"), ("下半年", "2024-07-01")} <= resolved


def test_a_festival_in_numerals_followed_by_a_name_is_no_date():
    found = [t for t, *_ in resolve("次日，代表们赴南昌八一起义纪念馆参观。八一前夕，协会慰问退役军人。", "2023")]
    assert found == ["八一前夕"]  # 次日 has no date before it to count from


def test_the_first_day_is_the_first_day_of_the_span_reported():
    text = "10月16日至17日，考察团来宜考察。16日下午，双方签约；17日下午，双方举办论坛。\n首日上午，部长会见了考察团。次日上午，考察团走访企业。"
    resolved = {(t, start) for t, start, _, _ in resolve(text, "2024-10-18")}
    assert {("首日上午", "2024-10-16"), ("次日上午", "2024-10-17")} <= resolved


def test_a_festivals_eve_is_the_day_before_and_shi_yue_is_the_month_being_told():
    text = "2021年大事记\n2月\n9日 春节前夕，县长走访困难职工。\n是月县总工会开展关爱活动。"
    resolved = {(t, start, end) for t, start, end, _ in resolve(text, "2021")}
    assert {("春节前夕", "2021-02-11", "2021-02-11"), ("是月", "2021-02-01", "2021-02-28")} <= resolved


def test_a_year_opening_a_sentence_sets_the_year_and_a_later_opening_date_on_a_line_places_what_follows():
    text = ("2023年工作总结\n\n2023年是行业恢复发展的关键一年。\n一、主要工作\n"
            "1. 规范召开会议。1月12日，协会召开理事会。4月26日，协会召开会员大会。同日下午，协会召开理事会。\n"
            "二、存在问题\n部分企业2022年营收下降。")
    resolved = {(t, start) for t, start, _, _ in resolve(text, "2024-01-18")}
    assert {("1月12日", "2023-01-12"), ("4月26日", "2023-04-26"), ("同日下午", "2023-04-26")} <= resolved


def test_a_bare_day_inside_the_reported_span_belongs_to_it_and_an_age_is_no_year():
    text = ("11月15日至16日，决赛在长沙举行。10月上旬，各地确定了决赛选手名单。\n15日上午，开幕式举行。今年34岁的他干了12年。")
    resolved = {(t, start) for t, start, _, _ in resolve(text, "2024-11-18")}
    assert ("15日上午", "2024-11-15") in resolved and not any(t == "今年" for t, _ in resolved)


def test_same_year_words_follow_the_chronicle_not_the_writer():
    text = "大事记\n1998年\n一九九八年一月九日　协会召开常委会议。\n同年五月　协会组团出访。\n是年　协会发展会员120家。"
    resolved = {(t, start) for t, start, _, _ in resolve(text, "2001")}
    assert {("同年五月", "1998-05-01"), ("是年", "1998-01-01")} <= resolved


@pytest.mark.parametrize("text,expected", [
    # Days counted from the day of writing (the stamp), with parts of the day.
    ("发布时间：2023-06-14 10:20\n昨天上午，某市总工会召开会议。今天下午，座谈会举行。前天，调研组出发。",
     [("2023-06-14", "2023-06-14", "2023-06-14", "day"), ("昨天上午", "2023-06-13", "2023-06-13", "part_of_day"),
      ("今天下午", "2023-06-14", "2023-06-14", "part_of_day"), ("前天", "2023-06-12", "2023-06-12", "day")]),
    ("发布时间：2024-03-01\n昨晚，协会举行联谊会。明日，培训开班。",
     [("2024-03-01", "2024-03-01", "2024-03-01", "day"), ("昨晚", "2024-02-29", "2024-02-29", "part_of_day"),
      ("明日", "2024-03-02", "2024-03-02", "day")]),
    # Weeks are Monday to Sunday; a prefixed weekday counts from the week of writing.
    ("发布时间：2024-05-16\n本周，协会开展培训。上周五，商会会长会见客人。下周一上午将举行签约仪式。",
     [("2024-05-16", "2024-05-16", "2024-05-16", "day"), ("本周", "2024-05-13", "2024-05-19", "week"),
      ("上周五", "2024-05-10", "2024-05-10", "day"), ("下周一上午", "2024-05-20", "2024-05-20", "part_of_day")]),
    # A bare weekday is in the week of the previous date; one in brackets after a date repeats it (and is
    # part of its text, as the gold writes it); 周 before a given name is a surname.
    ("发布时间：2024-05-16\n5月8日（周三），周一鸣出席会议。星期五，协会召开理事会。",
     [("2024-05-16", "2024-05-16", "2024-05-16", "day"), ("5月8日（周三）", "2024-05-08", "2024-05-08", "day"),
      ("星期五", "2024-05-10", "2024-05-10", "day")]),
    # 年度 after a relative year is part of it (`本年度`, `上年度`): the year.
    ("发布时间：2024-03-05\n协会本年度工作要点已印发，上年度会费收缴率达95%。",
     [("2024-03-05", "2024-03-05", "2024-03-05", "day"), ("本年度", "2024-01-01", "2024-12-31", "year"),
      ("上年度", "2023-01-01", "2023-12-31", "year")]),
    # A range of days each with its bracketed weekday; a clock range within one day is that day.
    ("发布时间：2022-09-01\n请各代表于9月5日（星期一）至7日（星期三）参加培训，报到时间为9月5日14:00至17:30。",
     [("2022-09-01", "2022-09-01", "2022-09-01", "day"),
      ("9月5日（星期一）至7日（星期三）", "2022-09-05", "2022-09-07", "day"),
      ("9月5日14:00至17:30", "2022-09-05", "2022-09-05", "time")]),
    # The ROC era: 民国, bracketed years and days, a three-digit year before a month; 年度 qualifies a name.
    ("发布时间：2024-05-16\n今（113）年5月，某电脑公会召开会员大会。昨（15）日理事长表示，113年度预算已通过。",
     [("2024-05-16", "2024-05-16", "2024-05-16", "day"), ("今（113）年5月", "2024-05-01", "2024-05-31", "month"),
      ("昨（15）日", "2024-05-15", "2024-05-15", "day")]),
    ("民国110年5月3日，某公会召开会员大会。105年5月3日，公会成立。民国卅五年十月廿八日，商业会成立。",
     [("民国110年5月3日", "2021-05-03", "2021-05-03", "day"), ("105年5月3日", "2016-05-03", "2016-05-03", "day"),
      ("民国卅五年十月廿八日", "1946-10-28", "1946-10-28", "day")]),
    # A bracketed day that is not yesterday's number is the nearest day of that number.
    ("发布时间：2024-06-02\n昨（31）日，公会举行理事会。本（6）月底将改选。",
     [("2024-06-02", "2024-06-02", "2024-06-02", "day"), ("昨（31）日", "2024-05-31", "2024-05-31", "day"),
      ("本（6）月底", "2024-06-21", "2024-06-30", "part_of_month")]),
])
def test_days_weeks_and_eras_count_from_the_day_of_writing(text, expected):
    assert resolve(text) == expected


def test_without_a_day_of_writing_relative_days_and_weeks_are_not_emitted():
    assert resolve("今天，协会召开会议。本周，商会举办培训。", "2023") == []


def test_a_publication_stamp_sets_no_context_for_a_chronicle_titled_with_its_month():
    text = "某协会2019年5月大事记\n2020-03-01\n9日，协会召开理事会。\n同日，协会举办培训。"
    assert resolve(text)[2:] == [("9日", "2019-05-09", "2019-05-09", "day"), ("同日", "2019-05-09", "2019-05-09", "day")]


@pytest.mark.parametrize("text,reference,expected", [
    # A page widget, 同 ending a word before 日, a stamp's clock and a form's time field.
    ("今天是：\n2024-01-23 09:02\n副会长陪同日本代表团参观。", None,
     [("2024-01-23", "2024-01-23", "2024-01-23", "day")]),
    ("会议时间：2022年8月18日14:00", None, [("2022年8月18日14:00", "2022-08-18", "2022-08-18", "time")]),
    # A part of the day with a clock and no day is on the day last told.
    ("10月30日，某商业会举行庆祝大会。大会上午10时开始。", "2023",
     [("10月30日", "2023-10-30", "2023-10-30", "day"), ("上午10时", "2023-10-30", "2023-10-30", "time")]),
    # A year naming the work of that year is no date; the month pair 四、五月 is one span.
    ("会上介绍了今年的工作思路和2024年的重点工作。协会将于四、五月间举办庆祝大会。", "2023",
     [("四、五月", "2023-04-01", "2023-05-31", "month")]),
    ("八、9月25日，协会印发通知。", "2023", [("9月25日", "2023-09-25", "2023-09-25", "day")]),  # a list number
    ("商会9-11月份总结汇报会在会议室举行，汇报了9-11月份的工作。", "2015",  # the period a meeting's name holds
     [("9-11月份", "2015-09-01", "2015-11-30", "month")]),
    # A planned event is dated from the day of writing, not from a past date told before it.
    ("发布时间：2021-08-17\n第六届会员大会于2016年12月22日召开。经研究拟定于11月中旬召开第七次会员大会。", None,
     [("2021-08-17", "2021-08-17", "2021-08-17", "day"), ("2016年12月22日", "2016-12-22", "2016-12-22", "day"),
      ("11月中旬", "2021-11-11", "2021-11-20", "part_of_month")]),
])
def test_what_a_careful_reader_dates(text, reference, expected):
    assert resolve(text, reference) == expected


def test_a_document_counting_years_in_the_era_reads_bare_three_digit_years_in_it():
    text = "台中市劳工局今(17)日举办110年工会表扬活动。今年首创公益奖。"
    assert resolve(text) == [("今年", "2021-01-01", "2021-12-31", "year")]
    assert resolve("中国工会100年大事记。今年，协会召开大会。", "2023") == [("今年", "2023-01-01", "2023-12-31", "year")]


def test_day_month_year_stamps_and_new_years_day():
    assert resolve("29.04.2016  10:17\n2012年新年，协会发来贺信。") == [
        ("29.04.2016", "2016-04-29", "2016-04-29", "day"), ("2012年新年", "2012-01-01", "2012-01-01", "day")]


def test_a_title_year_places_a_list_published_later_and_a_plan_year_places_only_its_paragraph():
    text = "2011年某行业十大事件\n发布时间：2012-01-31\n3月18日，协会召开代表大会。"
    assert resolve(text)[-1] == ("3月18日", "2011-03-18", "2011-03-18", "day")
    text = ("发布时间：2020-12-20\n2021年，商会将继续推进建设，5月举办年会。\n12月6日，商会召开会长办公会。")
    assert [(t, s) for t, s, _, _ in resolve(text)][1:] == [
        ("2021年", "2021-01-01"), ("5月", "2021-05-01"), ("12月6日", "2020-12-06")]


def test_two_years_whose_dash_was_lost_are_one_span():
    assert resolve("20162017年，协会连续两年获评先进。", "2018") == [("20162017年", "2016-01-01", "2017-12-31", "year")]


def test_lunar_dates_fall_in_the_year_told():
    text = "腊月廿三，工会慰问职工。正月初五上午，商会举行团拜会。农历三月十二，协会组织祭祖。三月十二日，协会开会。"
    assert resolve(text, "2024") == [
        ("腊月廿三", "2024-02-02", "2024-02-02", "day"), ("正月初五上午", "2024-02-14", "2024-02-14", "part_of_day"),
        ("农历三月十二", "2024-04-20", "2024-04-20", "day"), ("三月十二日", "2024-03-12", "2024-03-12", "day")]


def test_a_line_of_a_written_date_and_a_clock_alone_is_a_stamp():
    """`2021年03月02日10:15` alone on a line at the top dates the page: tagged without its clock, and the
    chronicle's days below it are not placed by it (they take the reference year)."""
    text = "某市商会大事记\n2021年03月02日10:15\n5月15日，商会召开会长会议。"
    assert resolve(text) == [("2021年03月02日", "2021-03-02", "2021-03-02", "day"),
                             ("5月15日", "2021-05-15", "2021-05-15", "day")]
