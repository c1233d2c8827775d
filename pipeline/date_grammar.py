"""Recognition of Chinese time expressions (the grammar half of stage 3).

`find_expressions(text)` returns `TimeExpression`s: surface span plus one or
two `Expr` sides (two for ranges such as `2月22日至24日`). An `Expr` holds
what the text states (year, month, day, offsets, festival, part of a month or
year); `pipeline.dates` fills in what it leaves out from the context.
"""
from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass, replace

from pipeline.date_expr import CLOCK_CN, CN_DIGIT, DATA, FULLWIDTH_DIGITS, PART_OF_DAY, Expr, alternation, cn_number, day_suffix
from pipeline.date_forms import BRACKET_MONTH, BRACKET_YEAR, FORM_START, parse_day_form, parse_year_form
from pipeline.resources import words

CONN = rf"\s*(?:{alternation(DATA['range_connectors'])})\s*"
YEAR_NUM = rf"(?:1[89]|20)\d{{2}}|[{CN_DIGIT}]{{4}}"
MONTH_NUM = r"1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九]"
DAY_NUM = r"3[01]|[12]\d|0?[1-9]|三十一?|二十[一二三四五六七八九]?|十[一二三四五六七八九]?|廿[一二三四五六七八九]?|卅一?|[一二三四五六七八九]"
ARABIC_DAY = r"3[01]|[12]\d|0?[1-9]"
CN_DAY_IN_TEXT = r"三十一?|二十[一二三四五六七八九]?|十[一二三四五六七八九]?|廿[一二三四五六七八九]?|卅一?"

# Day, month and year with dots (`29.04.2016`), as some sites stamp their pages.
NUMERIC_DMY = re.compile(r"(?P<d>3[01]|[12]\d|0?[1-9])\.(?P<m>1[0-2]|0?[1-9])\.(?P<y>(?:19|20)\d{2})(?!\d)")
NUMERIC = re.compile(r"(?P<y>(?:1[89]|20)\d{2})(?P<sep>[-/.])(?P<m>1[0-2]|0?[1-9])(?P=sep)(?P<d>3[01]|[12]\d|0?[1-9])(?!\d)")
YEAR = re.compile(rf"(?P<y>{YEAR_NUM})\s*年(?P<du>度)?")
# Two years whose dash OCR lost (`20162017年`): the span of both, when the second follows the first.
YEAR_PAIR_RUN = re.compile(r"(?P<y1>(?:19|20)\d{2})(?P<y2>(?:19|20)\d{2})\s*年(?P<du>度)?")
YEAR_RANGE = re.compile(rf"(?P<y1>{YEAR_NUM})\s*年?{CONN}(?P<y2>{YEAR_NUM})\s*年(?P<du>度)?")
REL_YEAR = re.compile(alternation(DATA["relative_years"]))
MONTH_NAME = alternation(DATA["month_names"])
MONTH = re.compile(rf"(?:(?P<m>{MONTH_NUM})\s*月|(?P<name>{MONTH_NAME}))(?:份)?")
# Two months in a row named with one 月 (`四、五月间`): the span of both.
MONTH_PAIR = re.compile(rf"(?P<m1>{MONTH_NUM})\s*、\s*(?P<m2>{MONTH_NUM})\s*月(?:份)?")
MONTH_RANGE = re.compile(rf"(?P<m1>{MONTH_NUM})\s*月?{CONN}(?P<m2>{MONTH_NUM})\s*月(?:份)?")
REL_MONTH = re.compile(alternation(DATA["relative_months"]))
DAY = re.compile(rf"(?P<d>{DAY_NUM})\s*(?:日|号)")
BARE_DAY = re.compile(rf"(?P<d>{ARABIC_DAY})\s*日")
# Chinese-numeral bare days (`十日`) open a chronicle entry at the start of a line; inside a sentence, the
# numerals of days past the 9th do when a part of the day, a clock time or an act follows (`二十一日晚上七时`).
CN_BARE_DAY = re.compile(rf"(?P<d>{CN_DAY_IN_TEXT})\s*日(?=\s*(?:{PART_OF_DAY.pattern}|{CLOCK_CN.pattern}|"
                         rf"{alternation(DATA['bare_day_followers'])}))")
ENTRY_DAY = re.compile(rf"(?<![^\n])[ \t]*(?:[-•·]\s*)?(?P<d>{DAY_NUM})\s*日")
ENTRY_DAY_RANGE = re.compile(rf"(?P<d1>{DAY_NUM})\s*日?{CONN}(?P<d2>{DAY_NUM})\s*日")
DAY_RANGE = re.compile(rf"(?P<d1>{DAY_NUM})\s*(?:日|号)?{CONN}(?P<d2>{DAY_NUM})\s*(?:日|号)")
REL_DAY = re.compile(alternation(DATA["relative_days"]))
FIRST_DAY = re.compile(alternation(DATA["first_day"]))
DAYS_LATER = re.compile(rf"(?P<n>{DAY_NUM}|两)\s*(?:{alternation(DATA['days_later'])})")
FESTIVAL = re.compile(alternation(DATA["festivals"]))
AGE = re.compile(DATA["age_after"])
EVE = re.compile(alternation(DATA["festival_eve"]))
PART_OF_MONTH = re.compile(rf"(?:{alternation(DATA['parts_of_month'])})(?![步期次心赛级审选])")
QUARTER_RANGE = re.compile(rf"(?:第)?(?P<q1>[{''.join(DATA['quarter_numbers'])}]){CONN}"
                           rf"(?:第)?(?P<q2>[{''.join(DATA['quarter_numbers'])}])\s*季度")
PART_OF_YEAR = re.compile(rf"的?(?:{alternation(DATA['parts_of_year'])})")
STANDALONE_PART = re.compile(alternation(DATA["standalone_parts"]))
# A part of the day and a clock time, no day: the day last told (`上午9时30分，…`).
TIME_OF_DAY = re.compile(rf"(?:{PART_OF_DAY.pattern})\s*(?:{CLOCK_CN.pattern})")
START = re.compile(rf"[0-9{CN_DIGIT}十廿卅]|{TIME_OF_DAY.pattern}|{MONTH_NAME}|{FORM_START}|两(?=\s*天)|{STANDALONE_PART.pattern}|{REL_YEAR.pattern}|{REL_MONTH.pattern}|{REL_DAY.pattern}|{FIRST_DAY.pattern}|{FESTIVAL.pattern}")
# A list item's number before a date at the start of a line: `1.11月下旬，…`, `2.12月28日，…`.
ITEM_NUMBER = re.compile(r"[ \t]*\d{1,2}[.．]")
QUOTES = re.compile(r"“[^”\n]*”|\"[^\"\n]*\"|「[^」\n]*」|『[^』\n]*』|《[^》\n]*》")


@dataclass(frozen=True)
class TimeExpression:
    text: str
    start: int
    end: int
    first: Expr
    second: Expr | None = None


def quoted_spans(text: str) -> list[tuple[int, int]]:
    """The quoted and titled spans of a text (`“…”`, `《…》`), in order and apart."""
    return [m.span() for m in QUOTES.finditer(text)]


def in_spans(spans: list[tuple[int, int]], position: int) -> bool:
    """Whether `position` lies in one of `spans` (ordered, apart): by bisection, since a yearbook has
    thousands of quotations and tens of thousands of dates."""
    index = bisect.bisect_right(spans, (position, float("inf"))) - 1
    return index >= 0 and spans[index][0] <= position < spans[index][1]


def _standalone_part(match: re.Match[str]) -> tuple[int, Expr]:
    """`年底`, `一季度`, `月中` on their own: the year or month comes from the context."""
    key = match.group(0)
    if key in DATA["parts_of_month"]:
        first, last = DATA["parts_of_month"][key]
        return match.end(), Expr(month_offset=0, same_month=True, days=(first, last), granularity="part_of_month")
    (first, last), granularity = DATA["parts_of_year"][key]
    return match.end(), Expr(months=(first, last), granularity=granularity)


def _festival(text: str, match: re.Match[str], expr: Expr) -> tuple[int, Expr]:
    """A festival, or its eve (`春节前夕`: the day before it)."""
    eve = EVE.match(text, match.end())
    return (eve or match).end(), replace(expr, festival=match.group(0), eve=bool(eve))


def _parse_year_part(text: str, pos: int, expr: Expr) -> tuple[int, Expr] | None:
    match = QUARTER_RANGE.match(text, pos)
    if match:  # `一至三季度`: from the first quarter's first month to the last one's last
        first, last = (DATA["quarter_numbers"][match[group]] for group in ("q1", "q2"))
        return match.end(), replace(expr, months=(3 * first - 2, 3 * last), granularity="quarter")
    match = PART_OF_YEAR.match(text, pos)
    if match:
        key = match.group(0).lstrip("的")
        (first, last), granularity = DATA["parts_of_year"][key]
        return match.end(), replace(expr, months=(first, last), granularity=granularity)
    match = FESTIVAL.match(text, pos)
    if match:
        return _festival(text, match, expr)
    return None


def _parse_month_on(text: str, pos: int, expr: Expr) -> tuple[int, Expr, Expr | None] | None:
    """Month (or month range), then day (or day range) and suffixes; None if no month here."""
    match = MONTH_RANGE.match(text, pos) or MONTH_PAIR.match(text, pos)
    # A pair is written in one kind of numeral (`八、9月25日` is a list number and a date).
    if match and (match.re is MONTH_RANGE or (cn_number(match["m2"]) == cn_number(match["m1"]) + 1
                                              and match["m1"].isdigit() == match["m2"].isdigit())):
        return match.end(), replace(expr, month=cn_number(match["m1"])), replace(expr, month=cn_number(match["m2"]))
    match = MONTH.match(text, pos) or BRACKET_MONTH.match(text, pos)
    offset_match = REL_MONTH.match(text, pos) if not match else None
    if not match and not offset_match:
        return None
    if match:
        month = DATA["month_names"][match["name"]] if match.groupdict().get("name") else cn_number(match["m"])
        expr, pos = replace(expr, month=month), match.end()
    else:
        word = offset_match.group(0)
        expr, pos = replace(expr, month_offset=DATA["relative_months"][word], same_month=word in DATA["same_month"]), \
            offset_match.end()
    day_range = DAY_RANGE.match(text, pos)
    if day_range:
        end, second = day_suffix(text, day_range.end(), replace(expr, day=cn_number(day_range["d2"])))
        return end, replace(expr, day=cn_number(day_range["d1"])), second
    day = DAY.match(text, pos)
    if day:
        end, expr = day_suffix(text, day.end(), replace(expr, day=cn_number(day["d"])))
        return end, expr, None
    part = PART_OF_MONTH.match(text, pos)
    if part:
        first, last = DATA["parts_of_month"][part.group(0)]
        return part.end(), replace(expr, days=(first, last), granularity="part_of_month"), None
    return pos, expr, None


def parse_at(text: str, pos: int, era: bool = False) -> tuple[int, Expr, Expr | None] | None:
    """Parse the longest time expression starting at `pos`: (end, first side, second side or None)."""
    form = parse_day_form(text, pos)
    if form:
        return form + (None,)
    match = FIRST_DAY.match(text, pos)
    if match:
        end, expr = day_suffix(text, match.end(), Expr(day_offset=0, first_day=True))
        return end, expr, None
    match = DAYS_LATER.match(text, pos)
    if match:
        return match.end(), Expr(day_offset=2 if match["n"] == "两" else cn_number(match["n"])), None
    match = REL_DAY.match(text, pos)
    if match and not (match.group(0).startswith("同") and text[pos - 1:pos] in DATA["same_day_not_after"]):
        word = match.group(0)
        end, expr = day_suffix(text, match.end(), Expr(day_offset=DATA["relative_days"][word],
                                                         same_day=word in DATA["same_day"]))
        return end, expr, None
    match = STANDALONE_PART.match(text, pos)
    if match:
        return _standalone_part(match) + (None,)
    match = TIME_OF_DAY.match(text, pos)
    if match:
        return match.end(), Expr(day_offset=0, same_day=True, granularity="time"), None
    match = NUMERIC.match(text, pos) or NUMERIC_DMY.match(text, pos)
    if match:
        return match.end(), Expr(year=int(match["y"]), month=int(match["m"]), day=int(match["d"])), None
    match = YEAR_RANGE.match(text, pos) or YEAR_PAIR_RUN.match(text, pos)
    if match and int(match["y2"]) >= int(match["y1"]):
        return match.end(), Expr(year=cn_number(match["y1"])), Expr(year=cn_number(match["y2"]))
    expr = Expr()
    match = YEAR.match(text, pos)
    era_year = parse_year_form(text, pos, era) if not match else None
    offset_match = REL_YEAR.match(text, pos) if not (match or era_year) else None
    if match:
        expr, pos = replace(expr, year=cn_number(match["y"])), match.end()
    elif era_year:
        pos, expr = era_year
    elif offset_match:
        word = offset_match.group(0)
        expr, pos = replace(expr, year_offset=DATA["relative_years"][word], same_year=word in DATA["same_year"]), \
            offset_match.end()
    if match or era_year or offset_match:
        month = _parse_month_on(text, pos, expr)
        if month:
            return month
        part = _parse_year_part(text, pos, expr)
        return part + (None,) if part else (pos, expr, None)
    month = _parse_month_on(text, pos, expr)
    if month:
        return month
    day_range = DAY_RANGE.match(text, pos)
    if day_range and day_range["d1"].isdigit():
        end, second = day_suffix(text, day_range.end(), Expr(day=int(day_range["d2"])))
        return end, Expr(day=int(day_range["d1"])), second
    at_line_start = pos == 0 or text[pos - 1] == "\n" or re.search(r"(?:^|\n)[ \t]*(?:[-•·][ \t]*)?$", text[max(0, pos - 4):pos])
    if at_line_start:
        day_range = ENTRY_DAY_RANGE.match(text, pos)
        if day_range:
            end, second = day_suffix(text, day_range.end(), Expr(day=cn_number(day_range["d2"])))
            return end, Expr(day=cn_number(day_range["d1"])), second
    match = BARE_DAY.match(text, pos) or (ENTRY_DAY.match(text, pos) if at_line_start else None) or (
        CN_BARE_DAY.match(text, pos) if text[pos - 1:pos] not in DATA["bare_day_blockers"] else None)
    if match:
        end, expr = day_suffix(text, match.end(), Expr(day=cn_number(match["d"])))
        return end, expr, None
    match = FESTIVAL.match(text, pos)
    if match:
        return _festival(text, match, Expr()) + (None,)
    return None


def _range_tail(text: str, end: int, first: Expr, era: bool = False) -> tuple[int, Expr] | None:
    """A second side after a connector, at the same or a finer level than the first."""
    conn = re.compile(CONN).match(text, end)
    if not conn:
        return None
    parsed = parse_at(text, conn.end(), era)
    if not parsed or parsed[2] is not None:
        return None
    second_end, second, _ = parsed
    if first.day is not None and second.day is None:
        return None
    parts_of_one_month = first.days is not None and second.days is not None and second.month is None  # 上旬至中旬
    if first.day is None and first.month is not None and not parts_of_one_month and (
            second.month is None or second.day is not None):
        return None
    if first.month is None and first.day is None and (second.month is not None or second.day is not None):
        return None
    return second_end, second


def _qualifies_a_name(text: str, end: int, expr: Expr, second: Expr | None) -> bool:
    """A year or festival on its own followed by a name (`2023年会员大会`, `五一劳动奖`) is part of it."""
    year_only = (expr.year is not None and expr.month is None and expr.day is None and expr.months is None
                 and expr.festival is None and (second is None or second.month is None))
    festival_only = expr.festival is not None and expr.year is None and expr.year_offset is None
    standalone_part = expr.year is None and expr.year_offset is None and expr.month is None and (
        expr.months is not None or expr.days is not None)
    # A month without its day right before a work noun names the period of that work (`9-11月份总结会`).
    month_only = expr.month is not None and expr.day is None and expr.days is None and (
        second is None or second.day is None)
    if month_only and any(text.startswith(noun, end) for noun in DATA["month_qualified_nouns"]):
        return True
    if standalone_part:
        return any(text.startswith(noun, end) for noun in DATA["part_qualified_nouns"])
    relative_year_only = expr.year_offset is not None and expr.month is None and expr.months is None \
        and expr.festival is None and second is None
    if (year_only or relative_year_only) and text.startswith("的", end):
        return any(text.startswith(noun, end + 1) for noun in DATA["part_qualified_nouns"])
    if not (year_only or festival_only):
        return False
    after = text[end:end + 4]
    return bool(after) and not any(after.startswith(f) for f in DATA["year_followers"])


@functools.lru_cache(maxsize=1)
def _single_surnames() -> frozenset[str]:
    return frozenset(name for name in words("surnames.txt") if len(name) == 1)


def _inside_a_name(text: str, start: int, end: int, expr: Expr) -> bool:
    """`邹国庆`: a festival without 节, right after a surname and not followed by `期间`…, is a given name;
    one written as a date in numerals (`八一`, `五一`) and followed by other words names something
    (`八一起义纪念馆`, `五一劳动奖章`)."""
    if not expr.festival or expr.festival.endswith("节") or text.startswith(tuple(DATA["festival_followers"]), end):
        return False
    numerals = all(char in CN_DIGIT + "十" for char in expr.festival)
    return (start > 0 and text[start - 1] in _single_surnames()) or (
        numerals and end < len(text) and (text[end].isalnum()))


def find_expressions(text: str, keep_name_years: bool = False,
                     keep_at: frozenset[int] = frozenset(), era: bool = False) -> list[TimeExpression]:
    """Recognise time expressions, left to right, longest match first.

    Years that qualify a name are skipped unless `keep_name_years`, or unless
    they start at one of `keep_at` (a title's own year: `2023年大事记`); `era`: the document counts
    its years in the era (`110年` is 2021).
    """
    norm = text.translate(FULLWIDTH_DIGITS)
    quoted = quoted_spans(norm)
    found: list[TimeExpression] = []
    pos = 0
    while True:
        start_match = START.search(norm, pos)
        if not start_match:
            break
        start = start_match.start()
        prev = norm[start - 1] if start else ""
        parsed = None
        if not (prev and (prev.isdigit() or prev in CN_DIGIT + "十第.")) or REL_DAY.match(norm, start) \
                or FESTIVAL.match(norm, start) or ITEM_NUMBER.fullmatch(norm, norm.rfind("\n", 0, start) + 1, start):
            parsed = parse_at(norm, start, era)
        if parsed is None:
            pos = start + 1
            continue
        end, first, second = parsed
        if second is None:
            tail = _range_tail(norm, end, first, era)
            if tail:
                end, second = tail
        surface = text[start:end].rstrip()
        end = start + len(surface)
        skipped = in_spans(quoted, start) or _inside_a_name(norm, start, end, first) \
            or (first.year_offset is not None and AGE.match(norm, end) is not None)
        if not skipped and (keep_name_years or start in keep_at or BRACKET_YEAR.match(norm, start)
                                  or not _qualifies_a_name(norm, end, first, second)):
            found.append(TimeExpression(surface, start, end, first, second))
        pos = end
    return found
