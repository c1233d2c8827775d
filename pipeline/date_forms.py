"""Time expressions counted from the day of writing, weeks, calendar eras, and the days of festivals and
lunar dates.

Recognition: `parse_year_form` reads years in an era (`民国105年`, `今（113）年`, and
`105年5月`, where a three-digit year can only be an era year); `parse_day_form` reads
days counted from the day of writing (`今天`, `昨晚`, `昨（15）日`), weeks (`本周`,
`上周三`) and weekdays (`星期五`, `周三上午`); the grammar reads bracketed months
(`本（9）月`) with `BRACKET_MONTH` where it reads months. Resolution: `resolve_form` dates
days, weeks and weekdays against the reference date (a bare weekday against the previous
date). The words are in `resources/dates.yaml`.
"""
from __future__ import annotations

import datetime as dt
import re

from pipeline.date_expr import CN_NUMERAL, DATA, Expr, alternation, cn_number, day_suffix

_OPEN, _CLOSE = r"\s*[（(]\s*", r"\s*[）)]\s*"
ERA_YEAR = re.compile(rf"(?P<era>{alternation(DATA['eras'])})\s*(?P<y>\d{{1,3}}|[{CN_NUMERAL}]{{1,5}})\s*年(?!度)")
BRACKET_YEAR = re.compile(rf"(?:{alternation(DATA['bracket_years'])}){_OPEN}(?P<y>\d{{2,4}}){_CLOSE}年(?!度)")
# A three-digit year before a month is an era year: no other reading of `105年5月` exists.
ERA_YEAR_BEFORE_MONTH = re.compile(r"(?P<y>1[0-4]\d)\s*年(?=\s*(?:(?:1[0-2]|0?[1-9])\s*月|第\s*[1-4一二三四]\s*季))")
BRACKET_DAY = re.compile(rf"(?P<w>{alternation(DATA['bracket_days'])}){_OPEN}(?P<d>3[01]|[12]\d|0?[1-9]){_CLOSE}日")
BRACKET_MONTH = re.compile(rf"(?:{alternation(DATA['bracket_months'])}){_OPEN}(?P<m>1[0-2]|0?[1-9]){_CLOSE}月")
DEICTIC_DAY = re.compile(alternation(DATA["deictic_days"]))
_LUNAR_DAY = r"初[一二三四五六七八九十]|[十廿][一二三四五六七八九]?|二十[一二三四五六七八九]?|三十"
# `农历三月十二`, `正月初五`, `腊月廿三`, `大年初五`: a month named only with numerals needs 农历 before it (else
# `三月十二日` is the solar month); 正月/腊月/冬月 and a day written 初N are lunar by themselves.
LUNAR = re.compile(
    rf"(?:{DATA['lunar_marker']}\s*(?P<m1>{alternation(DATA['lunar_months'])})\s*(?P<d1>{_LUNAR_DAY})"
    rf"|(?P<m2>正月|腊月|冬月)\s*(?P<d2>{_LUNAR_DAY})|(?P<m3>[一二三四五六七八九十]{{1,2}}月)\s*(?P<d3>初[一二三四五六七八九十])"
    rf"|{DATA['lunar_new_year']}(?P<d4>初[一二三四五六七八九十]))(?!日)")
_WEEK_WORD = alternation(DATA["week_words"])
_WEEKDAY = "".join(DATA["weekdays"])
PREFIXED_WEEK = re.compile(
    rf"(?P<p>{alternation(DATA['week_prefixes'])})(?:{_WEEK_WORD})(?P<wd>[{_WEEKDAY}])?")
BARE_WEEKDAY = re.compile(rf"(?P<word>{_WEEK_WORD})(?P<wd>[{_WEEKDAY}])")
WEEKDAY_FOLLOWERS = tuple(DATA["weekday_followers"])
HAN = re.compile(r"[\u4e00-\u9fff]")
# Where one of these forms may start (added to the grammar's start pattern).
FORM_START = re.sub(r"\(\?P<\w+>", "(?:", "|".join(
    pattern.pattern for pattern in (ERA_YEAR, BRACKET_YEAR, ERA_YEAR_BEFORE_MONTH, BRACKET_DAY, BRACKET_MONTH,
                                    DEICTIC_DAY, PREFIXED_WEEK, BARE_WEEKDAY, LUNAR)))


ERA_EVIDENCE = re.compile(DATA["era_evidence"])
ERA_BARE_YEAR = re.compile(r"(?P<y>1[0-4]\d)\s*年(?!度)")


def written_in_era(text: str) -> bool:
    """Does the document count its years in the era (`民国105年`, `今（17）日`)?"""
    return ERA_EVIDENCE.search(text) is not None


def _era_year(number: int) -> int:
    return number + DATA["eras"][DATA["bracket_era"]] if number < 1000 else number


def parse_year_form(text: str, pos: int, era: bool = False) -> tuple[int, Expr] | None:
    """A year in an era at `pos`: (end, Expr with the Gregorian year), or None; `era`: the document counts
    its years in the era, so a bare three-digit year (`110年`) is one too."""
    match = ERA_YEAR.match(text, pos)
    if match:
        return match.end(), Expr(year=cn_number(match["y"]) + DATA["eras"][match["era"]])
    match = BRACKET_YEAR.match(text, pos) or ERA_YEAR_BEFORE_MONTH.match(text, pos) or (
        ERA_BARE_YEAR.match(text, pos) if era else None)
    if match:
        return match.end(), Expr(year=_era_year(int(match["y"])))
    return None


def _bare_weekday_stands(text: str, match: re.Match[str]) -> bool:
    """`周三上午`, `周三，` are weekdays; `周一鸣` is a name; `（周三）` after a date only repeats it."""
    if text[:match.start()].endswith(tuple(DATA["weekday_blockers"])):
        return False
    if match["word"] != "周":
        return not text[:match.start()].endswith(("（", "("))
    end = match.end()
    return not text[:match.start()].endswith(("（", "(")) and (
        end == len(text) or not HAN.match(text, end) or text.startswith(WEEKDAY_FOLLOWERS, end))


def parse_day_form(text: str, pos: int) -> tuple[int, Expr] | None:
    """A day counted from the day of writing, a bracketed month, a week or a weekday at `pos`."""
    match = BRACKET_DAY.match(text, pos)
    if match:
        expr = Expr(day=int(match["d"]), reference_offset=DATA["bracket_days"][match["w"]])
        return day_suffix(text, match.end(), expr)
    match = LUNAR.match(text, pos)
    if match:
        month = next((m for m in (match["m1"], match["m2"], match["m3"]) if m), None)
        day = next(d for d in (match["d1"], match["d2"], match["d3"], match["d4"]) if d)
        lunar_month = DATA["lunar_months"].get(month, 0) if month else 1
        return day_suffix(text, match.end(), Expr(lunar=(lunar_month or cn_number(month[:-1]), cn_number(day.lstrip("初")))))
    match = DEICTIC_DAY.match(text, pos)
    if match and not text.startswith(tuple(DATA["deictic_not_before"]), match.end()):
        offset, granularity = DATA["deictic_days"][match.group(0)]
        return day_suffix(text, match.end(), Expr(reference_offset=offset, granularity=granularity))
    match = PREFIXED_WEEK.match(text, pos)
    if match:
        offset = DATA["week_prefixes"][match["p"]]
        if match["wd"] is None:
            return match.end(), Expr(week_offset=offset, granularity="week")
        return day_suffix(text, match.end(), Expr(week_offset=offset, weekday=DATA["weekdays"][match["wd"]]))
    match = BARE_WEEKDAY.match(text, pos)
    if match and _bare_weekday_stands(text, match):
        return day_suffix(text, match.end(), Expr(weekday=DATA["weekdays"][match["wd"]]))
    return None


def _nearest_day_numbered(day: int, around: dt.date) -> dt.date | None:
    """The date with day-of-month `day` nearest to `around` (this, the previous or the next month)."""
    candidates = []
    for shift in (-1, 0, 1):
        index = around.year * 12 + around.month - 1 + shift
        try:
            candidates.append(dt.date(index // 12, index % 12 + 1, day))
        except ValueError:
            continue
    return min(candidates, key=lambda d: abs((d - around).days), default=None)


def resolve_form(expr: Expr, reference: dt.date | None, previous: dt.date | None,
                 anchors: list[str]) -> tuple[dt.date, dt.date, str] | None:
    """Dates of the forms `parse_day_form` reads; None when the day they count from is unknown."""
    if expr.weekday is not None and expr.week_offset is None:
        base, anchor = (previous, "previous_date") if previous else (reference, "reference_date")
    else:
        base, anchor = reference, "reference_date"
    if base is None:
        return None
    anchors.append(anchor)
    if expr.reference_offset is not None:
        day = base + dt.timedelta(days=expr.reference_offset)
        if expr.day is not None and day.day != expr.day:
            day = _nearest_day_numbered(expr.day, day)
        return (day, day, expr.granularity or "day") if day else None
    monday = base - dt.timedelta(days=base.weekday()) + dt.timedelta(weeks=expr.week_offset or 0)
    if expr.weekday is None:
        return monday, monday + dt.timedelta(days=6), "week"
    day = monday + dt.timedelta(days=expr.weekday)
    return day, day, expr.granularity or "day"


def lunar_date(year: int, month: int, day: int) -> dt.date | None:
    """The solar date in `year` of a lunar month and day (腊月 of the lunar year before falls in January or
    February); None if there is none."""
    from lunardate import LunarDate

    found = []
    for lunar_year in (year, year - 1):
        try:
            found.append(LunarDate(lunar_year, month, day).to_solar_date())
        except ValueError:
            continue
    return next((d for d in found if d.year == year), found[0] if found else None)


def festival_date(name: str, year: int) -> dt.date | None:
    """The solar date of a festival in a given year (lunar ones through lunardate)."""
    kind, *rest = DATA["festivals"][name]
    if kind == "solar":
        return dt.date(year, rest[0], rest[1])
    if kind == "solar_term":
        return _qingming(year)
    from lunardate import LunarDate

    month, day = rest
    try:
        if day == 0:  # last day of the lunar year: the eve of next year's 春节
            return LunarDate(year, 1, 1).to_solar_date() - dt.timedelta(days=1)
        return LunarDate(year, month, day).to_solar_date()
    except ValueError:
        return None


def _qingming(year: int) -> dt.date:
    """清明 falls on 4 or 5 April: the usual 21st-century formula (C = 4.81)."""
    y = year % 100
    day = int(y * 0.2422 + 4.81) - y // 4 if year >= 2001 else 5
    return dt.date(year, 4, day)
