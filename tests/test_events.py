"""Stage 5: one tuple per named participant and action, with title, affiliation, what, where, when.

The sentences are written for these tests (not taken from the five documents),
one or more per action class and frame.
"""
from __future__ import annotations

import pytest


def events_of(nlp, text):
    return [(e["who"]["canonical"], e["action"]) for e in nlp(text)._.events]


@pytest.mark.parametrize("text,expected", [
    ("3月5日，市工商联副主席王芳、秘书长李军出席并讲话。",
     [("王芳", "ATTEND"), ("王芳", "SPEAK"), ("李军", "ATTEND"), ("李军", "SPEAK")]),
    ("5月6日，区总工会主席陈刚主持会议。", [("陈刚", "PRESIDE")]),
    ("由杭州市电子商务协会主办、浙江省物流协会承办的交流会在杭州举行。",
     [("杭州市电子商务协会", "ORGANIZE"), ("浙江省物流协会", "ORGANIZE")]),
    ("南京市机械行业协会召开第三次会员大会。", [("南京市机械行业协会", "ORGANIZE")]),
    ("苏州市纺织协会荣获“优秀社会组织”称号。", [("苏州市纺织协会", "AWARD")]),
    ("鼓楼区总工会被江苏省总工会授予“先进集体”称号。", [("鼓楼区总工会", "AWARD")]),
    ("会长王立新作《2023年度工作报告》，副会长李华主持会议。", [("王立新", "SPEAK"), ("李华", "PRESIDE")]),
    ("党支部书记王立新为党员上了一堂专题党课。", [("王立新", "SPEAK")]),
    ("主席王立新会见了考察团一行。", [("王立新", "MEET")]),
    ("主席王立新会见了来宁考察的长沙市总工会副主席李华一行。", [("王立新", "MEET"), ("李华", "VISIT")]),  # 来…考察的A
    ("会长王立新在当选后发言。", [("王立新", "SPEAK")]),  # 当选后: after the election reported before
    ("理事长陈志明致词。", [("陈志明", "SPEAK")]),
    ("秘书长李华汇报了上半年工作。", [("李华", "SPEAK")]),
    ("苏州市纺织协会入选年度优秀社会组织。", [("苏州市纺织协会", "AWARD")]),
    ("苏州市纺织协会获评“五星级社团”。", [("苏州市纺织协会", "AWARD")]),
    ("市工商联副主席王芳为南京市餐饮商会颁发荣誉证书。", [("南京市餐饮商会", "AWARD")]),
    ("考察团受到南京市餐饮商会会长李明的热情接待。", [("李明", "MEET")]),
    ("主席王立新约见了来访的代表团。", [("王立新", "MEET")]),
    ("会长李明拜会了南京市总工会。", [("李明", "VISIT")]),
    ("由南京市总工会、南京市工商联联合评选优秀企业。", [("南京市总工会", "ORGANIZE"), ("南京市工商联", "ORGANIZE")]),
    ("南京市总工会下发了《关于开展劳动竞赛的通知》。", [("南京市总工会", "ISSUE")]),
    ("会长王明对总会的接待表示感谢。", []),  # 的接待: a noun
    ("5月6日，会长王明、李华在合作协议上签字。", [("王明", "SIGN"), ("李华", "SIGN")]),
    ("商会成立十周年，会长王明致辞。", [("王明", "SPEAK")]),  # an anniversary, no founding
    ("决定授予南京市企业联合会等十七家行业协会“先进行业协会”称号。", [("南京市企业联合会", "AWARD")]),
    ("参与颁发仪式的有监事长何骏民、常务副会长陈怡志等。", [("何骏民", "ATTEND"), ("陈怡志", "ATTEND")]),
    ("副会长李华见证签约。", [("李华", "ATTEND")]),
    ("出席的主礼嘉宾有：局长麦瑞宏，副主席温清恒。", [("麦瑞宏", "ATTEND"), ("温清恒", "ATTEND")]),
    ("吴立晓在致辞中表示，市委书记陈刚亲自部署、积极推动。", [("吴立晓", "SPEAK")]),  # 亲自部署: no speech
    ("表彰名单\n南京市餐饮商会\n抄送:南京市委办、南京市总工会\n", [("南京市餐饮商会", "AWARD")]),  # 抄送 ends the roll
    ("何靖、陈国栋等主礼。", [("何靖", "ATTEND"), ("陈国栋", "ATTEND")]),
    ("授予王明等30名同志“优秀工会工作者”称号。\n优秀工会工作者名单\n王明\n李华\n",
     [("王明", "AWARD"), ("李华", "AWARD")]),  # the roll repeats 王明's honour: one award
    ("根据南京市委、市政府的总体部署，工作全面启动。", []),  # 的总体部署: a noun
    ("选举结果，王明当选人在143位出席代表中获得支持。", []),  # nouns made of verbs
    ("大会审议通过了鼓楼区总工会工作报告。", []),  # 工作报告 holds no 作报告
    ("9月12日，鼓楼区总工会召开快递行业工会联合会成立大会，鼓楼区快递行业工会联合会正式成立。",
     [("鼓楼区总工会", "ORGANIZE"), ("鼓楼区快递行业工会联合会", "FOUND")]),  # one founding per sentence
    ("副局长王立新出席闭幕式并为获奖选手颁奖。", [("王立新", "ATTEND")]),  # 获奖选手 won, not 王立新  # 考察团 is a delegation, not a visit
    ("经江苏省民政厅评估，苏州市纺织协会被评为5A级社会组织。", [("苏州市纺织协会", "AWARD")]),  # 经: the agent
    ("会长王立新作题为《凝心聚力》的主旨报告，副会长李华主持会议。", [("王立新", "SPEAK"), ("李华", "PRESIDE")]),
    ("会议推选王立新、李华、陈刚为大会主席团常务主席。",
     [("王立新", "ELECT"), ("李华", "ELECT"), ("陈刚", "ELECT")]),  # 推选A、B为: those chosen
    ("2009年3月王立新继任。", [("王立新", "ELECT")]),
    ("南京市餐饮商会会长陈志明连任会长。", [("陈志明", "ELECT")]),
    ("副会长李华、秘书长王芳等在座。", [("李华", "ATTEND"), ("王芳", "ATTEND")]),
    ("副局长李华在座谈会上介绍了新政策。", [("李华", "SPEAK")]),  # 在座谈会: no 在座
    ("秘书长王芳现场公布了商会年度财务报告。", [("王芳", "ISSUE")]),
    ("应邀出席的传媒包括文汇报、新华日报、扬子晚报等，商会会长陈志明、秘书长王芳与传媒畅谈。",
     [("新华日报", "ATTEND"), ("扬子晚报", "ATTEND"), ("陈志明", "ATTEND"), ("王芳", "ATTEND")]),  # media listed alone; 文汇报 is no 汇报
    ("出席的领导包括南京市民政局局长李华。", [("李华", "ATTEND")]),  # the bureau is his post's, not listed alone
    ("南京市总工会副主席李华率调研组到江宁区总工会开展调研。", [("李华", "VISIT")]),  # 开展 took no organisation
    ("会长陈志明会见来访的南京市总工会副主席李华和秘书长王芳，商讨合作事宜。",
     [("陈志明", "MEET"), ("李华", "VISIT"), ("王芳", "VISIT")]),  # 来访的A和B: the visitors
    ("会长陈志明会见来访的客人。", [("陈志明", "MEET")]),
    ("会议传达学习了会长王立新在年会上的重要讲话精神。", []),  # the spirit of a speech is no speech
    ("会上，南京市餐饮商会、苏州市丝绸协会受聘为“商务大使”。",
     [("南京市餐饮商会", "ELECT"), ("苏州市丝绸协会", "ELECT")]),
    ("在市委副秘书长李华的带领下，市总工会副主席王芳前往江宁区调研。", [("王芳", "VISIT"), ("李华", "VISIT")]),
    ("经研究，决定命名南京恒达机械有限公司、江宁区总工会等2家单位为南京市职工书屋示范点。",
     [("南京恒达机械有限公司", "AWARD"), ("江宁区总工会", "AWARD")]),  # 命名…为: an honour given
    ("江苏恒达建材股份有限公司、浙江华远门窗有限公司等9家会员企业荣获“绿色工厂”称号。",
     [("江苏恒达建材股份有限公司", "AWARD"), ("浙江华远门窗有限公司", "AWARD")]),  # counted units are the ones named
    ("市总工会副主席赵明一行到企业调研。", [("赵明", "VISIT")]),
    ("市长刘洋会见了来访的代表团。", [("刘洋", "MEET")]),
    ("广州市食品行业协会与深圳市食品行业协会签订合作协议。",
     [("广州市食品行业协会", "SIGN"), ("深圳市食品行业协会", "SIGN")]),
    ("会议选举孙伟为会长，周敏、吴刚为副会长。", [("孙伟", "ELECT"), ("周敏", "ELECT"), ("吴刚", "ELECT")]),
    ("副秘书长郑华当选秘书长。", [("郑华", "ELECT")]),
    ("成都市总工会印发《职工服务工作要点》。", [("成都市总工会", "ISSUE")]),
    ("天津市五金协会收到武汉市五金协会发来的感谢信。", [("天津市五金协会", "RECEIVE"), ("武汉市五金协会", "ISSUE")]),
    ("青岛市跨境电商协会正式成立。", [("青岛市跨境电商协会", "FOUND")]),
])
def test_each_action_class(nlp, text, expected):
    assert sorted(events_of(nlp, text)) == sorted(expected)


def test_group_nouns_are_not_participants(nlp):
    assert events_of(nlp, "市总工会领导班子成员、各区总工会主席出席。") == []


def test_title_affiliation_and_shitren(nlp):
    doc = nlp("时任省总工会党组书记、副主席林涛出席会议。")
    who = doc._.events[0]["who"]
    assert (who["canonical"], who["title"], who["affiliation"]) == ("林涛", "党组书记、副主席", "省总工会")


def test_where_and_when(nlp):
    doc = nlp("2022年9月8日，协会在市会展中心举行年会。江苏省纺织协会会长顾明出席。")
    events = doc._.events
    assert events[-1]["when"]["start"] == "2022-09-08"
    assert events[-1]["where"] == "市会展中心"


@pytest.mark.parametrize("text,where", [
    ("副市长李华一行到市总工会机关调研。", "市总工会机关"),
    ("苏州市纺织协会组团赴德国学习考察。", "德国"),
    ("在第三届论坛上，南京市软件协会与苏州市软件协会达成战略合作。", "第三届论坛"),
])
def test_where_a_visit_goes_and_where_it_happened(nlp, text, where):
    assert nlp(text)._.events[-1]["where"] == where


def test_same_day_paragraphs_take_the_previous_date(nlp):
    text = "2023年大事记\n\n3月\n\n- 8日 区工会主席周强出席会议。\n\n同日 区工会副主席许兰出席活动。"
    events = nlp(text)._.events
    assert [e["when"]["start"] for e in events] == ["2023-03-08", "2023-03-08"]


def test_a_bulleted_stamp_opens_no_list_and_the_report_keeps_its_day(nlp):
    text = ("滨江商会举行新春团拜会\n\n• 更新日期:2024-02-19\n\n滨江商会今(19)日举行新春团拜会，会长吴明远出席。\n\n"
            "吴明远表示，商会将继续服务会员企业。")
    when = {(e["who"]["canonical"], e["action"]): e["when"]["start"] if e["when"] else None
            for e in nlp(text)._.events}
    assert when[("吴明远", "SPEAK")] == "2024-02-19"  # a later paragraph of the report, not an undated entry


def test_headings_and_contents_lines_report_no_events(nlp):
    text = ("省总工会工作简报\n2023年9月28日\n要闻｜副省长王立新会见劳模代表｜技能大赛举行\n"
            "二、副省长王立新会见劳模代表\n9月19日，副省长王立新会见全省劳动模范邹国庆、廖远琪等代表。")
    doc = nlp(text)
    assert [(e["who"]["canonical"], e["action"], e["when"]["start"]) for e in doc._.events] == \
        [("王立新", "MEET", "2023-09-19")]  # once, from the report, not from the headlines
    assert "国庆" not in [d["text"] for d in doc._.dates]  # 邹国庆 is a name


def test_a_part_of_the_month_opens_a_new_entry(nlp):
    text = ("2023年大事记\n\n3月\n\n8日 区工会召开全委会。\n\n中旬 区工会举办培训班。区工会副主席许兰出席。"
            "\n\n下旬，鼓楼区总工会印发《通知》。")
    when = {(e["who"]["canonical"], e["action"]): e["when"]["start"] for e in nlp(text)._.events}
    assert when[("许兰", "ATTEND")] == "2023-03-11"  # the entry's 中旬 covers its later sentences, not 8日
    assert [e["when"]["end"] for e in nlp(text)._.events if e["action"] == "ISSUE"] == ["2023-03-31"]


def test_ocr_chronicle_hard_cases(nlp):
    from pipeline.encoding import repair_text

    text = repair_text(
        "某市总工会2023年大事记\n2月\n"
        "2日 市总工会召开党组会议，时任市总工会党组书记、副主席周立群主持会议。\n"
        "6—9日 省职工发展基金会理事长韩东升—行来我市调研。\n"
        "13日 区总工会主席吴晓梅，市总工会副主席钱志远，各区总工会负责人参加培训班开班仪式。\n"
        "20日 市总工会十五届五次全委（扩大）会议在市职工之家举行。\n"
        "27日 市总工会主席郑海涛会见来访客人。郑海淘表示，欢迎各方合作。\n").text
    events = nlp(text)._.events
    tuples = {(e["who"]["canonical"], e["action"], e["when"]["start"] if e["when"] else None) for e in events}
    assert ("周立群", "PRESIDE", "2023-02-02") in tuples          # 时任…党组书记、副主席周立群主持会议
    assert ("韩东升", "VISIT", "2023-02-06") in tuples          # `—行` read as 一行, range 6—9日
    assert ("吴晓梅", "ATTEND", "2023-02-13") in tuples         # subject list across a comma, then a group noun
    chairs = {e["who"]["text"]: e["who"]["canonical"] for e in events if e["who"]["text"] in ("郑海涛", "郑海淘")}
    assert len(chairs) == 2 and len(set(chairs.values())) == 1  # OCR variants (one stroke apart) are one person
    assert not any(who.endswith("市总工会") and action == "ORGANIZE" and day == "2023-02-20"
                   for who, action, day in tuples)                 # `市总工会…全委会…举行`: the meeting is the subject


def test_undated_sentences_of_a_news_report_take_its_day(nlp):
    text = ("发布时间：2022-11-18\n11月16日，南京市餐饮商会召开会员大会。\n副市长王刚出席会议并讲话。\n"
            "工作报告\n一、加强服务\n会长李明获得表彰。去年春节期间，商会组织捐赠。")
    when = {(e["who"]["canonical"], e["action"]): e["when"] and e["when"]["start"] for e in nlp(text)._.events}
    assert when[("王刚", "ATTEND")] == "2022-11-16"   # the report's day, not the stamp's
    assert when[("李明", "AWARD")] is None            # after a section header nothing carries over


def test_what_keeps_the_whole_event_name(nlp):
    text = "2023年大事记\n2月\n- 2日 上海援外干部座谈会在市总工会召开。区工会主席周强出席会议。"
    assert {e["what"] for e in nlp(text)._.events} == {"上海援外干部座谈会"}


def test_two_verbs_of_one_action_are_one_event(nlp):
    assert events_of(nlp, "区总工会副主席周敏带队赴企业走访慰问。") == [("周敏", "VISIT")]


def test_chinese_numbered_items_are_entries(nlp):
    text = "2021年工作总结\n（一）3月12日，协会召开理事会，会长陈强主持会议。\n（二）12月，苏州市纺织协会被评为“5A级社会组织”。"
    award = [e for e in nlp(text)._.events if e["action"] == "AWARD"][0]
    assert award["when"]["start"] == "2021-12-01" and award["where"] is None


def test_confidence_ranks_certain_frames_above_guesses(nlp):
    dated = nlp("2022年5月6日，市总工会副主席王刚出席会议。")._.events[0]["confidence"]
    undated_org = nlp("南京市机械行业协会召开理事会。")._.events[0]["confidence"]
    assert 0 <= undated_org < dated <= 1


def test_a_verb_inside_a_title_is_no_event(nlp):
    assert events_of(nlp, "3月5日，副会长王建国宣读了《关于同意成立青年工作委员会的批复》。") == [("王建国", "SPEAK")]


def test_a_trigger_right_after_attending_names_what_was_attended(nlp):
    assert events_of(nlp, "3月5日，副市长王建国出席签约仪式并致辞。") == [("王建国", "ATTEND"), ("王建国", "SPEAK")]


def test_a_venue_after_zai_does_not_make_the_organiser_a_group(nlp):
    # `劳模` is a group noun, but here it only names the venue (`市劳模疗养院`)
    assert events_of(nlp, "6月22日，鼓楼区总工会在区劳模疗养院举办基层工会主席培训班。") == [("鼓楼区总工会", "ORGANIZE")]


def test_an_item_that_opens_with_a_heading_takes_the_first_date_of_its_line(nlp):
    text = "2023年工作总结\n一、会议\n2.举办培训班。6月，鼓楼区总工会举办培训班。区总工会副主席许兰出席。\n3.走访企业。区总工会副主席许兰走访企业。"
    when = {(e["who"]["canonical"], e["action"]): e["when"] and e["when"]["start"] for e in nlp(text)._.events}
    assert when[("许兰", "ATTEND")] == "2023-06-01"
    assert when[("许兰", "VISIT")] is None  # the next item is not placed by it


def test_a_roll_of_the_elected_after_an_election(nlp):
    text = ("3月9日，五届一次理事会选举产生了协会新一届领导班子。副秘书长邓林宣读了选举结果：\n"
            "会长：王振国\n副会长：李卫、赵清瑞\n秘书长：罗建\n会议同时聘请黄远为协会名誉会长。\n会议由秘书长：周平主持。")
    elected = {(e["who"]["canonical"], e["what"]) for e in nlp(text)._.events if e["action"] == "ELECT"}
    assert elected == {("王振国", "会长"), ("李卫", "副会长"), ("赵清瑞", "副会长"), ("罗建", "秘书长"),
                       ("黄远", "协会名誉会长")}  # 会议由秘书长：周平主持 is no part of the roll
    assert not any(e["who"]["canonical"] == "周平" and e["action"] == "ELECT" for e in nlp(text)._.events)


def test_a_roll_of_the_honoured_after_its_heading(nlp):
    text = ("关于表彰先进的决定\n一、授予以下3个单位“先进集体”称号\n苏州恒达精密机械有限公司、无锡华远门窗有限公司、"
            "常州永信物流有限公司\n二、授予以下2名职工“劳动模范”称号\n南京市（2名）\n张建华（苏州恒达精密机械有限公司，高级技师）\n"
            "李秀兰（女，无锡市锡山区中心小学，教师）\n此次受表彰的个人中，女职工1名。")
    awarded = sorted((e["who"]["canonical"], e["what"]) for e in nlp(text)._.events if e["action"] == "AWARD")
    assert awarded == sorted([("苏州恒达精密机械有限公司", "先进集体"), ("无锡华远门窗有限公司", "先进集体"),
                              ("常州永信物流有限公司", "先进集体"), ("张建华", "劳动模范"), ("李秀兰", "劳动模范")])


@pytest.mark.parametrize("text,expected", [
    ("4月25日，全国总工会书记处书记梁明到会致辞。", [("梁明", "ATTEND"), ("梁明", "SPEAK")]),
    ("4月25日，市总工会副主席丁明出席分享会。", [("丁明", "ATTEND")]),  # a 分享会 attended, no talk
    ("4月25日，会长王立新在副市长刘洋、秘书长李华陪同下参观了展览。",
     [("刘洋", "ATTEND"), ("李华", "ATTEND"), ("王立新", "VISIT")]),
    ("4月25日，省工信厅处长吴海、二级调研员谭丽出席大会。", [("吴海", "ATTEND"), ("谭丽", "ATTEND")]),  # 调研员
    ("报告指出，协会紧紧围绕中共江苏省委、江苏省人民政府的决策部署。", []),
    ("监事长周秀作第四届监事会工作报告。", [("周秀", "SPEAK")]),
])
def test_companions_speeches_and_words_that_hold_a_trigger(nlp, text, expected):
    assert sorted(events_of(nlp, text)) == sorted(expected)


def test_a_headline_and_its_subtitle_report_no_events_and_credits_are_no_participants(nlp):
    text = ("苏州市工商联与浙江省江苏商会签署战略合作协议\n——川浙民营经济论坛同期举办　12家会员企业获表彰\n\n"
            "本报讯（记者 罗晓 通讯员 李思）10月16日，浙江省江苏商会会长王德率考察团一行来苏州考察。")
    assert events_of(nlp, text) == [("王德", "VISIT")]


def test_a_work_plan_is_no_speech(nlp):
    assert events_of(nlp, "此次签约是落实四川省工商联工作部署的具体举措。") == []


@pytest.mark.parametrize("text,expected", [
    ("5月6日，鼓楼区总工会、鼓楼区发展和改革局联合开展劳动竞赛。", [("鼓楼区总工会", "ORGANIZE"), ("鼓楼区发展和改革局", "ORGANIZE")]),
    ("5月6日，鼓楼区总工会联合鼓楼区人力资源和社会保障局举办招聘会。",
     [("鼓楼区总工会", "ORGANIZE"), ("鼓楼区人力资源和社会保障局", "ORGANIZE")]),
    ("8月下旬，鼓楼区总工会组织5名劳模走进中小学开展宣讲活动。", [("鼓楼区总工会", "ORGANIZE")]),
    ("鼓楼区总工会组织建设不断加强。", []),
])
def test_organisers_named_together_and_a_union_that_organises(nlp, text, expected):
    assert sorted(set(events_of(nlp, text))) == sorted(expected)


def test_each_sentence_opening_date_on_a_numbered_line_dates_what_follows(nlp):
    text = ("2023年工作总结\n1. 规范召开会议。1月12日，协会召开理事会。4月26日，南京市模具协会召开会员大会。"
            "会长李鹏子作工作报告。\n2. 加强培训。")
    when = {(e["who"]["canonical"], e["action"]): e["when"]["start"] for e in nlp(text)._.events if e["when"]}
    assert when[("李鹏子", "SPEAK")] == "2023-04-26"


def test_a_results_roll_gives_each_winner_the_lines_label_and_the_ceremonys_date(nlp):
    text = ("发布时间：2024-11-18\n11月16日下午，闭幕式暨颁奖仪式举行。处长孙丽宣读了获奖名单。获奖名单如下：\n"
            "一等奖：龙海（湘江重工机械股份有限公司）、田盛（衡阳南岳起重机械有限公司）\n"
            "优秀组织奖：湘江重工机械股份有限公司、株洲市总工会\n")
    awarded = sorted((e["who"]["canonical"], e["what"], e["when"] and e["when"]["start"])
                     for e in nlp(text)._.events if e["action"] == "AWARD")
    assert awarded == [("株洲市总工会", "优秀组织奖", "2024-11-16"), ("湘江重工机械股份有限公司", "优秀组织奖", "2024-11-16"),
                       ("田盛", "一等奖", "2024-11-16"), ("龙海", "一等奖", "2024-11-16")]


def test_a_date_alone_on_its_line_dates_the_entry_below_it(nlp):
    text = ("某市友协2018年9月份大事记\n发布时间:2018-10-11\n9月3日\n市友协副会长王立会见来访的代表团一行。\n"
            "9月6日\n常务副会长李华出席招待会。\n副会长王立会见来访客人。")
    when = [(e["who"]["canonical"], e["action"], e["when"] and e["when"]["start"]) for e in nlp(text)._.events]
    assert when == [("王立", "MEET", "2018-09-03"), ("李华", "ATTEND", "2018-09-06"), ("王立", "MEET", "2018-09-06")]


def test_a_group_that_took_part_is_named_after_an_enumeration_word(nlp):
    text = ("发布时间：2023-05-09\n5月8日，某市举行表彰会，为今年的模范商人颁发奖状。12位模范商人分别是：东区：王明、李华；西区：赵强。"
            "最终共有3家商会获此殊荣，它们分别是：南京市餐饮商会、南京市家具商会、南京市茶叶商会。")
    found = [(e["who"]["canonical"], e["action"], e["when"] and e["when"]["start"]) for e in nlp(text)._.events]
    assert found == [("王明", "AWARD", "2023-05-08"), ("李华", "AWARD", "2023-05-08"), ("赵强", "AWARD", "2023-05-08"),
                     ("南京市餐饮商会", "AWARD", "2023-05-08"), ("南京市家具商会", "AWARD", "2023-05-08"),
                     ("南京市茶叶商会", "AWARD", "2023-05-08")]


def test_a_date_opening_a_later_sentence_places_the_rest_of_its_paragraph(nlp):
    text = ("发布时间：2020-10-29\n10月28日，市工商联副主席王芳为南京市餐饮商会颁发牌匾。\n"
            "新时代新机遇。6月30日，南京市工商联发布榜单。南京市家具商会入选优秀商会。")
    when = {(e["who"]["canonical"], e["action"]): e["when"] and e["when"]["start"] for e in nlp(text)._.events}
    assert when[("南京市家具商会", "AWARD")] == "2020-06-30"


def test_a_year_inside_a_sentence_does_not_date_the_act_but_one_after_yu_does(nlp):
    text = ("发布时间：2023-10-31\n10月30日，某县商业会举行庆祝大会。县长王明致词时首先恭喜今年度得奖的商人。"
            "南京市餐饮商会成立于2009年。")
    when = {(e["who"]["canonical"], e["action"]): e["when"] and e["when"]["start"] for e in nlp(text)._.events}
    assert when[("王明", "SPEAK")] == "2023-10-30"
    assert when[("南京市餐饮商会", "FOUND")] == "2009-01-01"


def test_an_act_told_at_a_vague_time_borrows_no_day(nlp):
    text = ("发布时间：2024-04-11\n4月8日，南京市总工会召开全委会议。\n近日，南京市总工会印发实施方案。"
            "南京市总工会副主席王明出席发布会。\n会上，会长李华介绍了近期的工作。")
    when = {(e["who"]["canonical"], e["action"]): e["when"] and e["when"]["start"] for e in nlp(text)._.events}
    assert when[("南京市总工会", "ORGANIZE")] == "2024-04-08"
    assert when[("南京市总工会", "ISSUE")] is None and when[("王明", "ATTEND")] is None
    assert when[("李华", "SPEAK")] == "2024-04-08"  # 近期的工作: a noun's qualifier, no vague time


def test_pronoun_subjects_presentations_and_the_attendees_named_last(nlp):
    text = ("8月3日上午，主席王航航会见了考察团一行。王航航对考察团的到来表示欢迎。他重点介绍了商会结构调整。"
            "他代表商会向出席会议的嘉宾表示感谢。某集团董事长邱光林现身说法。出席会议的还有副主席陈泽，副会长方骏岚。")
    found = [(e["who"]["canonical"], e["action"]) for e in nlp(text)._.events]
    assert found == [("王航航", "MEET"), ("王航航", "SPEAK"), ("邱光林", "SPEAK"), ("陈泽", "ATTEND"), ("方骏岚", "ATTEND")]


def test_captions_and_page_furniture_inside_a_report_do_not_end_its_day(nlp):
    text = ("发布时间：2024-12-17\n12月15日，某市商会召开换届大会。\nimage.png\n"
            "全体理事向会长致意（记者王明摄）\n会长李华致辞。\n广告 广告\n副会长赵强出席。\n工作报告\n秘书长孙伟作报告。")
    when = {(e["who"]["canonical"], e["action"]): e["when"] and e["when"]["start"] for e in nlp(text)._.events}
    assert when[("李华", "SPEAK")] == when[("赵强", "ATTEND")] == "2024-12-15"
    assert when[("孙伟", "SPEAK")] is None  # after a section header the report's day no longer carries


def test_a_surname_and_title_refer_to_the_one_person_of_that_surname(nlp):
    text = ("10月11日上午，省工商联副主席卫恒民一行莅临联合会考察交流。卫主席来到副会长牛图涵的公司参观走访。"
            "座谈会由会长孙晓宇主持。")
    found = [(e["who"]["canonical"], e["action"]) for e in nlp(text)._.events]
    assert found == [("卫恒民", "VISIT"), ("卫恒民", "VISIT"), ("孙晓宇", "PRESIDE")]


def test_a_long_first_line_without_a_clause_mark_is_the_headline(nlp):
    text = ("南京市某某商会 绍兴市某某商会 杭州市某某商会 缔结友好合作商会签约仪式在我会举行\n2019-10-30\n"
            "10月29日下午，绍兴市某某商会一行来到南京市某某商会参观交流。")
    found = [(e["who"]["canonical"], e["action"]) for e in nlp(text)._.events]
    assert found == [("绍兴市某某商会", "VISIT")]


def test_a_statement_is_a_speech_unless_the_person_has_one_already(nlp):
    text = "5月6日，会长王明致辞。王明表示，协会将加强服务。副会长李华表示，将全力支持。"
    found = [(e["who"]["canonical"], e["action"]) for e in nlp(text)._.events]
    assert found == [("王明", "SPEAK"), ("李华", "SPEAK")]


def test_a_roll_after_a_list_of_the_honoured_and_a_caption_inside_a_report(nlp):
    roll = "发布时间：2011-01-20\n2010年度先进行业协会名单\n南京市餐饮行业协会\n南京市家具行业协会\n"
    found = [(e["who"]["canonical"], e["action"]) for e in nlp(roll)._.events]
    assert found == [("南京市餐饮行业协会", "AWARD"), ("南京市家具行业协会", "AWARD")]
    report = "发布时间：2017-04-07\n4月6日下午，某协会召开换届大会。\n陈琪佳发表就职演说\n会长严文杰说，协会是友好协会。"
    found = [(e["who"]["canonical"], e["action"], e["when"] and e["when"]["start"]) for e in nlp(report)._.events]
    assert found == [("严文杰", "SPEAK", "2017-04-06")]


def test_a_headline_opening_with_a_year_is_the_title_and_a_breadcrumb_is_furniture(nlp):
    from pipeline.encoding import repair_bytes
    from pipeline.segment import segment_text
    page = ("您所在的位置: 某网 > 新闻中心 > 行业资讯 >正文\n\n2011年某行业协会十大事件\n\n"
            "来源:某某网 发布时间:2012年01月31日 浏览次数:5\n\n"
            "3月18日，某行业协会第三届会员代表大会在江苏省常州市召开，会长王明出席并讲话。")
    text = repair_bytes(page.encode("utf-8")).text
    first = segment_text(text)[0]
    assert (first.kind, text[first.start:first.end]) == ("title", "2011年某行业协会十大事件")


def test_a_date_in_what_is_said_dates_the_acts_told_not_the_saying(nlp):
    doc = nlp("2024年6月12日，南京市餐饮商会召开年会。会长王立新表示，去年11月，南京市餐饮商会组团赴杭州开展招商活动，"
              "商会将于9月28日举办美食节。")
    told = [(e["who"]["canonical"], e["action"], e["trigger"], (e["when"] or {}).get("start")) for e in doc._.events]
    assert told == [("南京市餐饮商会", "ORGANIZE", "召开", "2024-06-12"), ("王立新", "SPEAK", "表示", "2024-06-12"),
                    ("南京市餐饮商会", "ORGANIZE", "组团", "2023-11-01")]


def test_a_passage_repeated_on_the_same_day_tells_its_events_once_and_on_another_day_again(nlp):
    text = ("- 6日 滨江市电子商会召开会长办公会。会长王立新、副会长李华参加会议。\n"
            "- 6日 滨江市电子商会召开会长办公会。会长王立新、副会长李华参加会议。\n"
            "- 9日 会长王立新、副会长李华参加会议。\n")
    doc = nlp("滨江市电子商会2024年5月大事记\n" + text)
    attended = sorted((e["who"]["canonical"], e["when"]["start"]) for e in doc._.events if e["action"] == "ATTEND")
    assert attended == [("李华", "2024-05-06"), ("李华", "2024-05-09"), ("王立新", "2024-05-06"), ("王立新", "2024-05-09")]


def test_an_undated_roll_lists_those_the_day_just_told_honoured_once_each(nlp):
    text = ("发布时间：2025-04-03\n4月2日，省民政厅召开表彰大会，会上宣读了表彰“优秀社会组织”的决定，"
            "滨江市软件行业协会荣获“优秀社会组织”称号。\n图片\n优秀社会组织名单\n滨江市软件行业协会\n滨江市物流商会")
    awards = [(e["who"]["canonical"], e["when"]["start"] if e["when"] else None)
              for e in nlp(text)._.events if e["action"] == "AWARD"]
    assert sorted(awards) == [("滨江市物流商会", "2025-04-02"), ("滨江市软件行业协会", "2025-04-02")]


def test_founding_is_an_organisations_and_attending_a_signing_is_no_signing(nlp):
    text = ("2022年5月6日，由企业家周立群等共同发起的滨江市新材料商会成立大会在滨江宾馆举行。"
            "滨江市新材料商会与滨江大学签订战略合作协议，商会会长吴振华、副会长孟雪出席了签约仪式。")
    tuples = {(e["who"]["canonical"], e["action"]) for e in nlp(text)._.events}
    assert ("滨江市新材料商会", "FOUND") in tuples and ("周立群", "FOUND") not in tuples
    assert ("滨江市新材料商会", "SIGN") in tuples
    assert ("吴振华", "ATTEND") in tuples and ("吴振华", "SIGN") not in tuples and ("孟雪", "SIGN") not in tuples


def test_those_named_after_gei_receive_what_is_handed_out(nlp):
    text = "2024年3月8日，滨江商会举行年会，会长吴振华特别颁发「贡献奖」给副会长孟雪及秘书长许明杰，感谢他们的付出。"
    awards = {e["who"]["canonical"] for e in nlp(text)._.events if e["action"] == "AWARD"}
    assert awards == {"孟雪", "许明杰"}  # the one handing it out is given nothing


def test_a_counted_group_takes_its_members_listed_after_it(nlp):
    text = ("2021年6月8日，滨江市电子商会召开理事会。会议选举吴振华等3名常务理事。吴振华等3名候选人均获通过。"
            "（常务理事名单为：吴振华、孟雪、许明杰。）")
    elected = sorted(e["who"]["canonical"] for e in nlp(text)._.events if e["action"] == "ELECT")
    assert elected == ["吴振华", "孟雪", "许明杰"]  # the one named with the count once, the listed ones too


def test_a_list_of_attendees_cut_by_a_semicolon_goes_on_in_the_next_sentence(nlp):
    text = ("2020年9月3日，两商会在滨江举行签约仪式。参加本次签约仪式的有：滨江商会吴振华会长、孟雪副会长；"
            "城南商会许明杰会长、韩志远秘书长等同志。吴振华会长介绍了商会所获荣誉。")
    tuples = {(e["who"]["canonical"], e["action"]) for e in nlp(text)._.events}
    assert {("吴振华", "ATTEND"), ("孟雪", "ATTEND"), ("许明杰", "ATTEND"), ("韩志远", "ATTEND")} <= tuples
    assert ("吴振华", "AWARD") not in tuples  # 所获荣誉 tells no award


def test_the_agency_of_a_dateline_is_no_subject(nlp):
    text = "滨江新闻网江北5月6日电 滨江市工商联与江北区工商联5日在江北签署友好合作协议。"
    signers = {e["who"]["canonical"] for e in nlp(text)._.events if e["action"] == "SIGN"}
    assert "滨江新闻网" not in signers and "江北区工商联" in signers


def test_the_guests_listed_after_yuhui_guibin_baokuo_attend(nlp):
    text = "2022年4月9日，滨江县政府举办工会干部研习会，本次与会贵宾包括滨江县总工会吴振华理事长、城南职业工会孟雪理事长等约200人。"
    attended = {e["who"]["canonical"] for e in nlp(text)._.events if e["action"] == "ATTEND"}
    assert {"吴振华", "孟雪"} <= attended


NOTICE = ("关于表彰2023年度优秀会员单位的决定\n各会员单位：\n2023年3月6日，协会启动年度评选工作。"
          "经理事会研究，决定授予南京恒达机械有限公司“优秀会员单位”称号。\n特此决定。\n"
          "南京市机械行业协会\n2024年1月15日\n")
PUBLIC_LIST = ("根据年度评选安排，经理事会研究，拟推荐南京恒达机械有限公司为优秀会员单位，现予以公示。\n"
               "公示时间：2024年1月15日至1月19日。\n南京市机械行业协会\n2024年1月15日\n")


def _dated(nlp, text):
    return {(e["who"]["canonical"], e["action"]): (e["when"]["start"] if e["when"] else None, e["what"])
            for e in nlp(text)._.events}


def test_a_signed_decision_is_taken_on_the_signature_date_and_issues_nothing(nlp):
    events = _dated(nlp, NOTICE)
    assert events[("南京恒达机械有限公司", "AWARD")][0] == "2024-01-15"  # not the day the selection began
    assert ("南京市机械行业协会", "ISSUE") not in events  # 特此决定 publishes nothing


def test_a_notice_published_with_no_subject_is_issued_by_its_signers_on_the_signature_date(nlp):
    titled = "关于推荐2023年度优秀会员单位的公示\n" + PUBLIC_LIST
    assert _dated(nlp, titled)[("南京市机械行业协会", "ISSUE")] == ("2024-01-15", "关于推荐2023年度优秀会员单位的公示")


def test_two_signers_on_one_line_and_an_attachment_after_the_signature(nlp):
    text = PUBLIC_LIST.replace("南京市机械行业协会\n", "南京市机械行业协会 南京市总工会\n") + "附件：\n推荐名单\n" + \
        "".join(f"南京第{n}机械厂\n" for n in "一二三四五")
    issued = {who for who, action in _dated(nlp, text) if action == "ISSUE"}
    assert issued == {"南京市机械行业协会", "南京市总工会"}


def test_a_report_signed_at_its_foot_is_no_notice(nlp):
    text = ("3月6日，南京市机械行业协会召开会员大会，会长李华主持会议。\n南京市机械行业协会\n2024年3月8日\n")
    assert ("南京市机械行业协会", "ISSUE") not in _dated(nlp, text)
    assert _dated(nlp, text)[("李华", "PRESIDE")][0] == "2024-03-06"


def test_a_year_after_zai_opening_a_sentence_dates_its_acts(nlp):
    text = "2024年3月2日，南京市餐饮商会召开年会。在2023年，商会会长陈志明荣获“优秀企业家”称号。"
    assert _dated(nlp, text)[("陈志明", "AWARD")][0] == "2023-01-01"  # not the day of the meeting told before


def test_a_heading_counting_an_honours_holders_opens_its_roll_and_the_signers_are_not_on_it(nlp):
    text = ("关于表彰2023年度先进协会的通知\n经理事会研究，评出先进协会2家、先进分会1家，现予公布和表彰：\n"
            "一、2023年度先进协会（2家）\n江宁区建筑业协会\n鼓楼区建设行业协会\n"
            "二、2023年度先进分会（1家）\n南京市建筑业协会模板分会\n南京市建筑业联合会\n2024年1月15日\n")
    awarded = {who: (when, what) for (who, action), (when, what) in _dated(nlp, text).items() if action == "AWARD"}
    assert awarded == {"江宁区建筑业协会": ("2024-01-15", "2023年度先进协会"),
                       "鼓楼区建设行业协会": ("2024-01-15", "2023年度先进协会"),
                       "南京市建筑业协会模板分会": ("2024-01-15", "2023年度先进分会")}


def test_the_list_of_a_quoted_honour_is_a_roll_of_its_holders(nlp):
    text = "附件：\n江苏省首届“最美家庭”名单（3户）\n南京市李华家庭\n苏州市王芳家庭\n无锡市陈刚家庭\n"
    assert {who: what for (who, action), (_, what) in _dated(nlp, text).items() if action == "AWARD"} == {
        "李华": "最美家庭", "王芳": "最美家庭", "陈刚": "最美家庭"}


def test_a_dateline_places_the_report_not_the_act_it_tells(nlp):
    text = "南京日报南京3月28日讯（通讯员 李华）为庆祝“三八”国际妇女节106周年，3月8日上午，江宁区妇联召开表彰大会。"
    assert _dated(nlp, text)[("江宁区妇联", "ORGANIZE")][0] == "2016-03-08"


def test_an_act_a_summary_tells_without_a_date_is_the_dated_one_the_report_tells(nlp):
    text = ("南京市纺织协会与苏州市丝绸协会签订合作协议。\n"
            "2024年4月12日，南京市纺织协会与苏州市丝绸协会在南京签订战略合作协议。")
    signed = [e for e in nlp(text)._.events if e["who"]["canonical"] == "苏州市丝绸协会"]
    assert [(e["action"], e["when"]["start"]) for e in signed] == [("SIGN", "2024-04-12")]


def test_what_an_honour_given_with_ming_ming_wei_is(nlp):
    events = nlp("经研究，决定命名南京恒达机械有限公司、江宁区总工会等2家单位为南京市职工书屋示范点。")._.events
    assert {e["what"] for e in events} == {"南京市职工书屋示范点"}


def test_a_lists_name_alone_after_an_honour_given_lists_its_holders_on_the_signature_date(nlp):
    # The title (with its number) comes after a page's line, the attachment's title takes two lines, a credit ends it.
    text = ("本站讯\n关于命名2024年南京市科普教育基地的通知（宁科协〔2024〕3号）\n各区科协：\n"
            "现决定命名南京市特种设备科普基地等3家单位为南京市科普教育基地。\n南京市科学技术协会\n2024年3月19日\n"
            "2024年南京市\n科普教育基地名单\n1.江宁区图书馆\n2.浦口区总工会\n3.南京恒达机械有限公司\n"
            "来源：南京市科学技术协会\n")
    awarded = {who: (when, what) for (who, action), (when, what) in _dated(nlp, text).items() if action == "AWARD"}
    assert awarded == {name: ("2024-03-19", "科普教育基地") for name in ("江宁区图书馆", "浦口区总工会", "南京恒达机械有限公司")}


def test_a_lists_name_alone_in_a_notice_that_gives_no_honour_is_no_roll(nlp):
    text = "关于召开年会的通知\n请各单位派员参加。\n参会人员名单\n1.南京恒达机械有限公司\n2.江宁区总工会\n"
    assert not [e for e in nlp(text)._.events if e["action"] == "AWARD"]
