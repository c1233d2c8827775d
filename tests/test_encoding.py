"""Stage 1: decoding, mojibake, pinyin annotations, traditional text, OCR spacing, boilerplate."""
from __future__ import annotations

import difflib
import re

import opencc
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from conftest import CORPORA, RAW, raw_text
from pipeline.char_repairs import traditional_share
from pipeline.corpora import msra_test
from pipeline.encoding import repair_bytes, repair_text


def corpus_sentences(n: int) -> list[str]:
    return [item.text for item in msra_test(CORPORA)[:n]]


def share_restored(got: str, want: str) -> float:
    matcher = difflib.SequenceMatcher(None, got, want, autojunk=False)
    return sum(block.size for block in matcher.get_matching_blocks()) / len(want)


@pytest.fixture(scope="module")
def clean_docs() -> list[str]:
    return [raw_text(stem) for stem in ("000", "001", "002", "003", "004")]


@pytest.fixture(scope="module")
def sample(clean_docs) -> str:
    """Real clean text: the five documents plus corpus sentences."""
    return "\n".join(clean_docs + corpus_sentences(200))


@pytest.mark.parametrize("codec", ["gb18030", "utf-16", "utf-8-sig"])
def test_saved_in_another_encoding_is_restored(sample, codec):
    repaired = repair_bytes(sample.encode(codec))
    assert repaired.text == sample.strip()


def test_big5_traditional_is_decoded_and_simplified(sample):
    converter = opencc.OpenCC("s2t.json")
    traditional = "\n".join(line for line in converter.convert(sample).splitlines()
                            if line and _encodable(line, "big5"))
    repaired = repair_bytes(traditional.encode("big5"))
    assert repaired.encoding == "big5"
    expected = opencc.OpenCC("t2s.json").convert(traditional)
    assert share_restored(repaired.text, expected) >= 0.995


def _encodable(text: str, codec: str) -> bool:
    try:
        text.encode(codec)
        return True
    except UnicodeEncodeError:
        return False


@pytest.mark.parametrize("wrong,right", [("latin-1", "gb18030"), ("cp1252", "gb18030"), ("latin-1", "utf-8")])
def test_mojibake_without_loss_is_restored(sample, wrong, right):
    lines = [line for line in sample.splitlines() if line and _round_trips(line, right, wrong)]
    original = "\n".join(lines)
    garbled = original.encode(right).decode(wrong)
    repaired = repair_bytes(garbled.encode("utf-8"))
    assert share_restored(repaired.text, original) >= 0.995, repaired.repairs


def _round_trips(line: str, right: str, wrong: str) -> bool:
    try:
        line.encode(right).decode(wrong).encode(wrong)
        return True
    except (UnicodeEncodeError, UnicodeDecodeError):
        return False


def test_utf8_read_as_gbk_with_replacement_recovers_surviving_characters(sample):
    original = "\n".join(corpus_sentences(300))
    garbled = original.encode("utf-8").decode("gbk", errors="replace")
    repaired = repair_bytes(garbled.encode("utf-8"))
    assert "gbk_mojibake" in repaired.repairs
    assert repaired.lost_chars > 0
    kept = share_restored(repaired.text.replace("\ufffd", ""), original)
    assert kept + repaired.lost_chars / len(original) >= 0.97


@pytest.mark.parametrize("name", ["000_30793a095a71568a.txt", "001_3cf8fd2a6e8ed36f.txt"])
def test_traditional_with_pinyin_annotations_is_repaired(name):
    text = repair_bytes((RAW / name).read_bytes()).text
    assert not re.search(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+\)", text)
    assert traditional_share(text) == 0


def test_parentheses_holding_annotated_text_are_kept():
    text = repair_text("聯(lián)絡部(會(huì)員服務部)負(fù)責對接。").text
    assert text == "联络部(会员服务部)负责对接。"


def test_real_parentheses_are_kept():
    text = repair_text("協(xié)會召開第(2)次會議(ISO)，見附件(一)。").text
    assert text == "协会召开第(2)次会议(ISO)，见附件(一)。"


def test_ocr_spaces_between_han_are_removed_and_no_spaced_line_is_taken_for_a_menu():
    page = ("某 市 总 工 会 2019 年 大 事 记\n"
            "3 日 市 总 工 会 召 开 全 委 会 议 ， 部 署 全 年 工 作 。\n"
            "8 日 省 职 工 技 协 会 长 刘 明 远—行 来 我 市 调 研\n技 能 人 才 培 养 工 作 。\n"
            "15 日 市 总 工 会 举 办 劳 模 座 谈 会 。\n")
    text = repair_text(page).text
    assert not re.search(r"[\u4e00-\u9fff][ \t]+[\u4e00-\u9fff]", text)
    assert "2019年大事记" in text
    assert "会长刘明远一行来我市调研技能人才培养工作" in text  # `—行` read as 一行, the broken line joined


def test_web_pages_keep_the_article_and_drop_furniture():
    body = ("今年以来，商会围绕服务会员企业这一中心工作，组织开展了政策宣讲、银企对接和法律咨询等活动，"
            "累计服务会员企业三百余家次，会员满意度进一步提升。")
    page = "\n".join([
        "用户名： 密码： 登录 注册", "首页 | 商会概况 | 新闻动态 | 会员服务 | 联系我们", "当前位置：首页 > 新闻动态",
        "某市工商联合会秘书处2022年工作总结", "来源：商会秘书处", body, body.replace("今年以来", "下半年"),
        "秘书长:李明", "友情链接", "联系我们 电话：010-12345678 邮编：100000",
        "Copyright © 2022 某市商会 版权所有 京ICP备12345678号", "发表评论 网友评论仅供其表达个人看法"])
    text = repair_text(page).text
    assert text.startswith("某市工商联合会秘书处2022年工作总结")
    assert text.rstrip().endswith("秘书长:李明")
    assert "来源：商会秘书处" in text
    for furniture in ("用户名", "当前位置", "友情链接", "Copyright", "ICP备", "联系我们", "评论"):
        assert furniture not in text


def test_a_stamp_line_with_page_counters_is_kept_and_nav_bars_go():
    page = ("首页 | 关于我们 | 新闻中心 | 联系我们\n您现在的位置：首页 > 新闻中心\n苏州市纺织协会召开年会\n"
            "作者：秘书处 日期：2023年4月12日 浏览次数：356\n"
            "4月10日，苏州市纺织协会在苏州国际博览中心召开年会，会长王明主持会议并作工作报告，百余家会员单位参加。\n"
            "上一篇：协会走访会员企业\nCopyright 2023 苏州市纺织协会 版权所有")
    text = repair_text(page).text
    assert text.startswith("苏州市纺织协会召开年会\n\n作者：秘书处 日期：2023年4月12日")
    assert "首页" not in text and "上一篇" not in text and "Copyright" not in text
    # A toolbar line between the stamp and the article does not cut the title and stamp off.
    toolbar = page.replace("浏览次数：356\n", "浏览次数：356\n【字体：大 中 小】【打印本页】【关闭窗口】\n")
    assert repair_text(toolbar).text == text


def test_a_space_inside_a_chinese_numeral_month_goes():
    assert repair_text("十 一月\n8日 协会召开理事会。").text == "十一月\n8日 协会召开理事会。"


def test_clean_corpus_sentences_are_unchanged():
    sentences = corpus_sentences(1000)
    for sentence in sentences:
        assert repair_text(sentence).text == sentence
    document = "\n".join(sentences)  # also as one long document: no line is taken for page furniture
    assert repair_text(document).text == document


def test_offsets_point_back_to_the_raw_text():
    raw = "上海市紡(fǎng)織協(xié)會在上海期貨交易所舉辦培訓。"
    repaired = repair_bytes(raw.encode("utf-8"))
    start = repaired.text.index("上海期货交易所")
    raw_start = repaired.offsets[start]
    assert repaired.raw_text[raw_start:raw_start + 7] == "上海期貨交易所"
    assert repaired.raw_text[repaired.offsets[repaired.text.index("协会")]] == "協"


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=400))
def test_repair_never_raises_and_offsets_stay_inside(data):
    repaired = repair_bytes(data)
    assert len(repaired.offsets) == len(repaired.text)
    assert all(0 <= o < max(len(repaired.raw_text), 1) for o in repaired.offsets)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(list("协会召開會議上海市 \n，。（）()abc123—行日月年") + ["(xié)", "**"]), max_size=40))
@example(["协", "**", "(xié)"])  # markdown hiding a reading aid
def test_repair_is_idempotent(pieces):
    once = repair_text("".join(pieces)).text
    assert repair_text(once).text == once


def test_padding_inside_two_character_items_goes_everywhere_the_pair_is_written():
    text = repair_text("会　长：王　平\n副会长：李建国、方　敏、欧阳明辉\n会上，王　平作工作报告。\n").text
    assert text.splitlines() == ["会长：王平", "副会长：李建国、方敏、欧阳明辉", "会上，王平作工作报告。"]


def test_page_numbers_and_running_headers_leave_the_flow_and_cut_sentences_join():
    text = repair_text("某某行业协会年鉴·2021\n\n大事记\n3.组团考察。协会组团赴德国考察，走访了多家乳制\n"
                       "某某行业协会年鉴·2021\n·56·\n和焙烤食品企业。\n4.召开年会。\n— 3 —\n协会召开年会。\n").text
    assert text.startswith("某某行业协会年鉴·2021")  # the first copy is the document's title
    assert "多家乳制和焙烤食品企业。" in text
    assert "·56·" not in text and "— 3 —" not in text and text.count("年鉴") == 1
    assert "4.召开年会。\n协会召开年会。" in text  # a line that ends a sentence is not joined


def test_lines_hard_wrapped_at_one_width_are_joined():
    first = ("全省广大职工群众深入学习贯彻会议精神，立足本职、攻坚克难、拼搏奉献，在稳增长、促改革、调结构、"
             "惠民生、防风险、保稳定等各项工作中充分发挥了主力军作用，涌现出一大批爱岗敬业、勇于创新、"
             "业绩突出的先进集体和先进个人。")
    second = ("为弘扬劳模精神，经各地推荐、审核和公示，省总工会决定授予某某精密机械有限公司等十六个单位奖状，"
              "授予某某等二十四名职工奖章。")

    def wrapped(paragraph: str) -> str:
        return "\n".join(paragraph[i:i + 24] for i in range(0, len(paragraph), 24))
    raw = f"关于表彰先进的决定\n\n{wrapped(first)}\n{wrapped(second)}\n一、名单如下\n"
    assert repair_text(raw).text == f"关于表彰先进的决定\n\n{first}\n{second}\n一、名单如下"


def test_a_space_between_a_year_and_its_month_goes_in_any_document():
    assert repair_text("一九九九年 一月十八日，协会召开常委会议。").text == "一九九九年一月十八日，协会召开常委会议。"


def test_a_menu_of_short_items_outside_the_article_is_furniture_and_no_ocr_spacing():
    page = ("区站导航 首页 新闻 通知 图片 视频 专题 下载\n当前位置：首页 > 工作动态\n"
            "某区总工会召开全委会议\n发布时间：2022-03-01\n"
            "2月28日，某区总工会召开全委会议，主席王立作工作报告，与会委员审议通过了年度经费预算。\n"
            "副会长 王明 李华 张强 赵刚 孙伟 周杰\n会议号召全区工会干部奋发有为，推动工作再上新台阶。")
    repaired = repair_bytes(page.encode("utf-8"))
    assert not repaired.text.startswith("区站导航") and "当前位置" not in repaired.text
    assert "ocr_spacing" not in repaired.repairs
    assert "副会长 王明 李华 张强 赵刚 孙伟 周杰" in repaired.text  # a roll inside the article stays


def test_lines_of_marks_alone_do_not_hide_a_stamp_from_the_article():
    page = ("首页 > 工会新闻\n| 某市总工会召开推进会 | |\n| 点击数930 更新时间:2015/5/26 9:40:31 | |\n|\n\n|\n\n|\n\n"
            "5月22日，某市总工会召开楼宇工会建设推进会，各县区总工会负责人70多人参加了此次会议，会议部署了全年工作。")
    assert "2015/5/26" in repair_bytes(page.encode("utf-8")).text
