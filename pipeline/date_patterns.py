"""The date stage's patterns, compiled once per knowledge from its `dates.yaml`.

`date_grammar(knowledge)` gives a `DateGrammar`: the words (`data`) and every pattern the grammar
(`pipeline.date_grammar`), the calendar and relative forms (`pipeline.date_forms`), the day suffixes
(`pipeline.date_expr`), the stamps and the time model (`pipeline.dates`, `pipeline.sentence_dates`)
read. A pack that adds an era, a relative word or a stamp marker changes these, and nothing else.
"""
from __future__ import annotations

import re

from pipeline.knowledge import Knowledge, alternation

FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
CN_DIGIT = "〇零○Ｏ一二三四五六七八九"
NEVER = "(?!)"  # the pattern of an empty word list: it matches nothing
MONTH_NUM = r"1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九]"
DAY_NUM = r"3[01]|[12]\d|0?[1-9]|三十一?|二十[一二三四五六七八九]?|十[一二三四五六七八九]?|廿[一二三四五六七八九]?|卅一?|[一二三四五六七八九]"
ARABIC_DAY = r"3[01]|[12]\d|0?[1-9]"
CN_DAY_IN_TEXT = r"三十一?|二十[一二三四五六七八九]?|十[一二三四五六七八九]?|廿[一二三四五六七八九]?|卅一?"
CLOCK = re.compile(r"\d{1,2}[:：]\d{2}(?:[:：]\d{2})?")  # attached: a stamp's spaced clock is not part of it
CLOCK_CN = re.compile(r"(?:[01]?\d|2[0-4]|[一二三四五六七八九十两]{1,3})\s*[点时](?:\s*(?:[0-5]?\d|[一二三四五六七八九十]{1,3})\s*分|半|整)?")
_OPEN, _CLOSE = r"\s*[（(]\s*", r"\s*[）)]\s*"
_LUNAR_DAY = r"初[一二三四五六七八九十]|初[1-9](?!\d)|[十廿][一二三四五六七八九]?|二十[一二三四五六七八九]?|三十"


def _words(words: list[str] | dict) -> str:
    return alternation(list(words)) or NEVER


def date_grammar(knowledge: Knowledge) -> "DateGrammar":
    return knowledge.derived(DateGrammar)


class DateGrammar:
    """Every date pattern of one knowledge, compiled."""

    def __init__(self, knowledge: Knowledge) -> None:
        data = self.data = knowledge.yaml("dates.yaml")
        self.single_surnames = frozenset(name for name in knowledge.words("surnames.txt") if len(name) == 1)
        self.cn_numeral = CN_DIGIT + "".join(data["tens_numerals"]) + data["hundreds_numeral"]
        self._suffixes(data)
        self._forms(data)
        self._counts(data)
        self._grammar(data)
        self._stamps_and_model(data)

    def cycle_year_of(self, match: re.Match[str]) -> int | None:
        """`甲辰年` -> 2024: the year of the cycle with that stem and branch (None for a pair no year has)."""
        stem, branch = self.data["cycle_stems"].index(match["s"]), self.data["cycle_branches"].index(match["b"])
        place = next((n for n in range(60) if n % 10 == stem and n % 12 == branch), None)
        return None if place is None else self.data["cycle_start"] + place

    def number(self, text: str) -> int:
        """Arabic or Chinese numerals: 2023, 二〇二三, 十二, 二十一, 三十, 廿八, 一百一十三."""
        text = text.translate(FULLWIDTH_DIGITS)
        if text.isdigit():
            return int(text)
        hundreds, found, rest = text.partition(self.data["hundreds_numeral"])
        if found:
            units_only = rest[:1] in ("零", "〇")  # 一百零五 = 105, but 一百一 = 110
            rest = rest.lstrip("零〇")
            tens = self._small_number(rest) if rest else 0
            if len(rest) == 1 and rest not in self.data["tens_numerals"] and not units_only:
                tens *= 10
            return self.data["numerals"][hundreds or "一"] * 100 + tens
        return self._small_number(text)

    def _small_number(self, text: str) -> int:
        """0-99 in Chinese numerals: 十二, 二十一, 三十, 廿八, 卅五, or digit by digit (二〇)."""
        digits, tens_marks = self.data["numerals"], self.data["tens_numerals"]
        for mark, tens in tens_marks.items():
            head, found, units = text.partition(mark)
            if found:
                return 10 * tens * (digits[head] if head else 1) + (digits[units] if units else 0)
        return int("".join(str(digits[c]) for c in text)) if text else 0

    def _suffixes(self, data: dict) -> None:
        self.part_of_day = re.compile(rf"(?:{_words(data['parts_of_day'])})")
        # The weekday a notice or a masthead adds after a day, in brackets or not (`7月27日（星期一）`,
        # `2019年11月14日 星期四`): part of the expression.
        weekday = rf"(?:{_words(data['week_words'])})[{''.join(data['weekdays'])}]"
        self.weekday_note = re.compile(rf"[ \t]*(?:[（(][ \t]*{weekday}[ \t]*[）)]|{weekday})")
        # A clock range within the day (`13:00至18:00`, `3:00-4:00`): the day stays the interval.
        self.clock_range_end = re.compile(rf"[ \t]*(?:{_words(data['range_connectors'])})[ \t]*(?:{CLOCK.pattern})")

    def _forms(self, data: dict) -> None:
        era_digits = data["era_year_digits"]
        self.era_year = re.compile(rf"(?P<era>{_words(data['eras'])})\s*(?P<y>\d{{1,3}}|[{self.cn_numeral}]{{1,5}})\s*年(?!度)")
        self.bracket_year = re.compile(rf"(?:{_words(data['bracket_years'])}){_OPEN}(?P<y>\d{{2,4}}){_CLOSE}年(?!度)")
        # An era-shaped year before a month is an era year: no other reading of `105年5月` exists.
        self.era_year_before_month = re.compile(
            rf"(?P<y>{era_digits})\s*年(?=\s*(?:(?:1[0-2]|0?[1-9])\s*月|第\s*[1-4一二三四]\s*季))")
        self.era_bare_year = re.compile(rf"(?P<y>{era_digits})\s*年(?!度)")
        # A page stamp in era years (`更新日期:113-02-16`), in a document that counts its years in the era.
        self.era_numeric = re.compile(rf"(?<![\d.])(?P<y>{era_digits})(?P<sep>[-/.])(?P<m>1[0-2]|0[1-9])(?P=sep)"
                                      rf"(?P<d>3[01]|[12]\d|0[1-9])(?!\d)")
        self.era_evidence = re.compile(data["era_evidence"])
        self.bracket_day = re.compile(rf"(?P<w>{_words(data['bracket_days'])}){_OPEN}(?P<d>3[01]|[12]\d|0?[1-9]){_CLOSE}日")
        self.bracket_month = re.compile(rf"(?:{_words(data['bracket_months'])}){_OPEN}(?P<m>1[0-2]|0?[1-9]){_CLOSE}月")
        self.deictic_day = re.compile(_words(data["deictic_days"]))
        # `农历三月十二`, `正月初五`, `腊月廿三`, `大年初五`: a month named only with numerals needs 农历 before it
        # (else `三月十二日` is the solar month); 正月/腊月/冬月 and a day written 初N are lunar by themselves.
        self.lunar = re.compile(
            rf"(?:{data['lunar_marker']}\s*(?P<m1>{_words(data['lunar_months'])})\s*(?P<d1>{_LUNAR_DAY})"
            rf"|(?P<m2>正月|腊月|冬月)\s*(?P<d2>{_LUNAR_DAY})|(?P<m3>[一二三四五六七八九十]{{1,2}}月)\s*(?P<d3>初[一二三四五六七八九十])"
            rf"|{data['lunar_new_year']}(?P<d4>初[一二三四五六七八九十]))(?!日)"
            # or a whole lunar month: after 农历 or 闰 (`农历十月`, `闰4月`, or a day of it: `闰四月初八`), or one named
            # only in the lunar calendar.
            rf"|(?:{data['lunar_marker']}\s*)?(?P<leap>{data['lunar_leap']})(?P<m5>(?:1[0-2]|[1-9]|{MONTH_NUM})月)"
            rf"(?:\s*(?P<d5>{_LUNAR_DAY})(?!日))?"
            rf"|{data['lunar_marker']}\s*(?P<m6>{_words(data['lunar_months'])})(?![\d{CN_DIGIT}十廿卅初日号份])"
            rf"|(?P<m7>{_words(data['lunar_months_by_name'])})(?![\d{CN_DIGIT}十廿卅初日号])"
            # 农历 before a year makes its month lunar (`农历二〇二一年六月`).
            rf"|{data['lunar_marker']}\s*(?P<ly>{data['year_digits']}|[{CN_DIGIT}]{{4}})\s*年\s*(?P<m8>(?:{MONTH_NUM})月)"
            rf"(?![\d{CN_DIGIT}十廿卅初日号])")
        # A month in numerals and a day without 日 (`五月廿二`): lunar after a lunar cue earlier in the sentence
        # (`农历五月初一开镰，五月廿二收割完毕`); alone it is the solar month.
        self.lunar_cued = re.compile(rf"(?P<m9>[一二三四五六七八九十]{{1,2}}月)\s*(?P<d9>{_LUNAR_DAY})(?![日号\d{CN_DIGIT}十])")
        self.lunar_cue = re.compile(rf"{data['lunar_marker']}[^。！？!?\n]*$")
        week_word, weekday = _words(data["week_words"]), "".join(data["weekdays"])
        # `下周六`, and `下周周六` with the week word again.
        self.prefixed_week = re.compile(rf"(?P<p>{_words(data['week_prefixes'])})(?:{week_word})"
                                        rf"(?:(?:{week_word})?(?P<wd>[{weekday}]))?")
        # The Nth weekday of a month (`6月第3个星期日`, `八月份的第一个周二`), after the month.
        self.nth_weekday = re.compile(rf"的?第\s*(?P<n>[1-5一二三四五])\s*个?\s*(?:{week_word})(?P<wd>[{weekday}])")
        self.bare_weekday = re.compile(rf"(?P<word>{week_word})(?P<wd>[{weekday}])")
        self.form_start = re.sub(r"\(\?P<\w+>", "(?:", "|".join(pattern.pattern for pattern in (
            self.era_year, self.bracket_year, self.era_year_before_month, self.bracket_day, self.bracket_month,
            self.deictic_day, self.prefixed_week, self.bare_weekday, self.lunar)))

    def _counts(self, data: dict) -> None:
        """Two-digit years, counted offsets, slices of a year, quarters, centuries and dotted year-month ranges."""
        # A count of 1-999 (`3`, `两`, `二十`), never a year written digit by digit (`二〇三五年前`).
        count = r"(?P<n>\d{1,3}|[一二两三四五六七八九]?十[一二三四五六七八九]?|[一二两三四五六七八九])"
        # What follows a two-digit year and makes it one: a month, or a part, slice or festival of the year.
        self.short_year = re.compile(rf"(?P<y>\d{{2}}|[{CN_DIGIT}]{{2}})\s*年(?!度)")
        # A unit after a count, or with its half (`一年半`, `两个半月`); or a half alone (`半年`).
        units = _words({**data["counted_units"], **data["counted_halves"]})
        self.counted_offset = re.compile(rf"(?:{count}\s*(?P<u>{units})|(?P<half>{_words(data['half_units'])}))"
                                         rf"\s*(?P<dir>{_words(data['counted_directions'])})")
        self.year_slice = re.compile(rf"(?P<side>{_words(data['period_slices'])})\s*(?P<n>\d{{1,2}}|[{CN_DIGIT}十两]{{1,3}})?"
                                     rf"\s*(?P<u>{_words(data['slice_units'])})(?:份)?")
        self.month_day_slice = re.compile(rf"(?P<side>{_words(data['month_day_slices'])})\s*"
                                          rf"(?P<n>[12]?\d|[一二两三四五六七八九]?十?[一二三四五六七八九]?)\s*天")
        self.relative_quarter = re.compile(_words(data["relative_quarters"]))
        self.relative_year_span = re.compile(_words(data["relative_year_spans"]))
        # Year and month with a dot, only as a range (`1999.08-2002.02`, `2008.03-2009`): alone, `2019.08` may be
        # a figure.
        conn, year_digits = rf"\s*(?:{_words(data['range_connectors'])})\s*", data["year_digits"]
        self.numeric_ym_range = re.compile(
            rf"(?P<y1>{year_digits})\.(?P<m1>0[1-9]|1[0-2]){conn}(?P<y2>{year_digits})(?:\.(?P<m2>0[1-9]|1[0-2]))?(?![\d.])")
        decade = rf"(?P<d>[1-9]0|[一二三四五六七八九]十)\s*年代(?P<dp>{_words(data['decade_parts'])})?"
        self.century = re.compile(rf"(?:(?P<rel>{_words(data['relative_centuries'])})|(?P<c>\d{{1,2}}|[一二三四五六七八九十]{{1,3}}))"
                                  rf"\s*世纪(?:{decade}|(?P<cp>{_words(data['century_parts'])}))?")
        self.decade = re.compile(decade)
        self.count_start = "|".join(pattern.pattern for pattern in (
            self.counted_offset, self.relative_quarter, self.relative_year_span, self.century, self.decade))
        self.count_start = re.sub(r"\(\?P<\w+>", "(?:", self.count_start)
        # Numeric forms that are dates only when they are the whole text (`pipeline.date_alone`): a month and day
        # joined by a mark (`6·30`; in text `5·5％` is a decimal), a date with two separators (`1994.01-19`).
        marks = "".join(re.escape(mark) for mark in data["month_day_marks"])
        self.alone_month_day = re.compile(rf"(?P<m>1[0-2]|0?[1-9])[{marks}](?P<d>{ARABIC_DAY})")
        self.alone_numeric = re.compile(rf"(?P<y>{data['year_digits']})[-/.](?P<m>0[1-9]|1[0-2])[-/.](?P<d>{ARABIC_DAY})")

    def _grammar(self, data: dict) -> None:
        conn = rf"\s*(?:{_words(data['range_connectors'])})\s*"
        self.range_connector = re.compile(conn)
        year_digits = data["year_digits"]
        year_num = rf"{year_digits}|[{CN_DIGIT}]{{4}}"
        # Day, month and year with dots (`29.04.2016`), as some sites stamp their pages.
        self.numeric_dmy = re.compile(rf"(?P<d>{ARABIC_DAY})\.(?P<m>1[0-2]|0?[1-9])\.(?P<y>{year_digits})(?!\d)")
        self.numeric = re.compile(rf"(?P<y>{year_digits})(?P<sep>[-/.])(?P<m>1[0-2]|0?[1-9])(?P=sep)(?P<d>{ARABIC_DAY})(?!\d)")
        self.year = re.compile(rf"(?P<y>{year_num})\s*年(?P<du>度)?")
        # Two years run together where OCR lost the dash (`20162017年`).
        self.year_pair_run = re.compile(rf"(?P<y1>{year_digits})(?P<y2>{year_digits})\s*年(?P<du>度)?")
        self.year_short_range = re.compile(rf"(?P<y1>{year_digits})\s*年?{conn}(?P<y2>\d{{2}})\s*年(?!度)")
        self.year_range = re.compile(rf"(?P<y1>{year_num})\s*年?{conn}(?P<y2>{year_num})\s*年(?P<du>度)?")
        self.relative_year = re.compile(rf"(?:{_words(data['relative_years'])})(?!度)")
        month_name = _words(data["month_names"])
        self.month = re.compile(rf"(?:(?P<m>{MONTH_NUM})\s*月|(?P<name>{month_name}))(?:份)?")
        # `四、五月`: two months in a row, one 月 for both.
        self.month_pair = re.compile(rf"(?P<m1>{MONTH_NUM})\s*、\s*(?P<m2>{MONTH_NUM})\s*月(?:份)?")
        self.month_range = re.compile(rf"(?P<m1>{MONTH_NUM})\s*月?{conn}(?P<m2>{MONTH_NUM})\s*月(?:份)?")
        self.relative_month = re.compile(_words(data["relative_months"]))
        self.day = re.compile(rf"(?P<d>{DAY_NUM})\s*(?:日|号)")
        self.bare_day = re.compile(rf"(?P<d>{ARABIC_DAY})\s*日")
        # Chinese-numeral bare days (`十日`) open a chronicle entry at the start of a line; inside a sentence,
        # the numerals of days past the 9th do when a part of the day, a clock time or an act follows
        # (`二十一日晚上七时`).
        self.cn_bare_day = re.compile(rf"(?P<d>{CN_DAY_IN_TEXT})\s*日(?=\s*(?:{self.part_of_day.pattern}|"
                                      rf"{CLOCK_CN.pattern}|{_words(data['bare_day_followers'])}))")
        self.entry_day = re.compile(rf"(?<![^\n])[ \t]*(?:[-•·]\s*)?(?P<d>{DAY_NUM})\s*日")
        self.entry_day_range = re.compile(rf"(?P<d1>{DAY_NUM})\s*日?{conn}(?P<d2>{DAY_NUM})\s*日")
        self.day_list_item = re.compile(rf"\s*(?P<sep>{_words(data['day_list_marks'])})\s*(?P<d>{DAY_NUM})\s*(?:日|号)")
        self.day_range = re.compile(rf"(?P<d1>{DAY_NUM})\s*(?:日|号)?{conn}(?P<d2>{DAY_NUM})\s*(?:日|号)")
        self.relative_day = re.compile(_words(data["relative_days"]))
        self.first_day = re.compile(_words(data["first_day"]))
        self.days_later = re.compile(rf"(?P<n>{DAY_NUM}|两)\s*(?:{_words(data['days_later'])})")
        self.festival = re.compile(_words(data["festivals"]))
        self.age = re.compile(data["age_after"])
        self.serial_after_year = re.compile(data["serial_after_year"])
        self.eve = re.compile(_words(data["festival_eve"]))
        self.part_of_month = re.compile(rf"(?:{_words(data['parts_of_month'])})(?![步期次心赛级审选])")
        quarters = "".join(data["quarter_numbers"])
        self.quarter_range = re.compile(rf"(?:第)?(?P<q1>[{quarters}]){conn}(?:第)?(?P<q2>[{quarters}])\s*季度")
        self.part_of_year = re.compile(rf"的?(?:{_words(data['parts_of_year'])})")
        self.standalone_part = re.compile(_words(data["standalone_parts"]))
        # A part of the day and a clock time, no day: the day last told (`上午9时30分，…`).
        self.time_of_day = re.compile(rf"(?:{self.part_of_day.pattern})\s*(?:{CLOCK_CN.pattern})")
        self.start = re.compile("|".join((
            rf"[0-9{CN_DIGIT}十廿卅]", self.time_of_day.pattern, month_name, self.form_start, r"两(?=\s*天)",
            self.count_start,
            *(p.pattern for p in (self.standalone_part, self.relative_year, self.relative_month, self.relative_day,
                                  self.first_day, self.festival)))))

    def _stamps_and_model(self, data: dict) -> None:
        markers = _words(data["stamp_markers"])
        # A stamp marker opening a line or a field of it (`发布时间：`, `| 来源：`), not a form's field (`会议时间：`).
        self.stamp_marker = re.compile(rf"(?:^|[\s|｜])(?:{markers})")
        # A marked stamp with its date (`发布时间：2023-07-24`): it dates the page, not an event.
        # A date written as eight digits (`20240307`) is one only right after a stamp marker (`发布日期：`):
        # elsewhere eight digits are a phone number or a serial.
        # A date whose 年 and 月 were lost (`2023922日`): the digits before 日 read one way only as month and day.
        self.run_together_date = re.compile(rf"(?P<y>{data['year_digits']})(?P<md>\d{{2,4}})日")
        self.compact_date = re.compile(rf"(?P<y>{data['year_digits']})(?P<m>0[1-9]|1[0-2])(?P<d>0[1-9]|[12]\d|3[01])(?!\d)")
        self.marker_before = re.compile(rf"(?:{markers})\s*[:：]?\s*$")
        self.marked_stamp = re.compile(rf"(?:{markers})\s*[:：]?\s*(?:{data['year_digits']}|{data['era_year_digits']})[-/.年]")
        self.plan_ahead = re.compile(rf"[，,]?[^，,。；;\n]{{0,6}}?(?:{_words(data['plan_words'])})")
        self.speech_opener = re.compile(rf"(?:{_words(data['speech_verbs'])})[，,：:]")
        self.vague_time = re.compile(f"(?:{_words(data['vague_times'])})(?![{data['vague_time_not_before']}])")
        self.furniture_line = re.compile(_words(data["furniture_line_words"]))
        # `关于…的通知`, `…的决定（某总工〔2022〕15号）`: a notice's title ends with its kind and maybe its number.
        self.notice_title_end = re.compile(rf"(?:{_words(data['notice_titles'])})(?:[（(][^（()）]{{0,24}}[）)])?[!！。\s]*$")
        self.notice_phrase = re.compile(_words(data["notice_phrases"] + data["publishing_phrases"]))
        self.publishing_phrase = re.compile(_words(data["publishing_phrases"]))
        self.notice_act = re.compile(_words(data["notice_acts"]))
        self.attachment_line = re.compile(rf"\s*(?:{_words(data['attachment_starts'])}).*|.*(?:{_words(data['attachment_ends'])})\s*")
        self.title_year_genres = _words(data["title_year_genres"])
        occasions, count = _words(data["counted_occasions"]), "[0-9一二三四五六七八九十百]{1,4}"
        self.counted_occasion = re.compile(rf"第\s*(?P<n>{count})\s*个\s*[“\"「]?(?P<a>{occasions})"
                                           rf"|(?P<b>{occasions})[^，。；：\n\d]{{0,10}}?(?P<m>{count})\s*周年")
        book, year = _words(data["yearbook_words"]), r"(?:19|20)\d{2}"
        self.name_year = re.compile(rf"(?<![\d.:/-])(?P<y>{year})\s*(?={_words(data['name_year_followers'])})")
        self.cycle_year = re.compile(rf"(?P<s>[{data['cycle_stems']}])(?P<b>[{data['cycle_branches']}])年")
        self.yearbook_year = re.compile(rf"(?P<y>{year})\s*年?[^\s\d]{{0,6}}?(?:{book})|(?:{book})\s*[（(]?\s*(?P<z>{year})")
