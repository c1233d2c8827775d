"""Time expressions counted from the day of writing, weeks, calendar eras, and the days of festivals and
lunar dates.

Recognition: `parse_year_form` reads years in an era (`民国105年`, `今（113）年`, and
`105年5月`, where a three-digit year can only be an era year); `parse_day_form` reads
days counted from the day of writing (`今天`, `昨晚`, `昨（15）日`), weeks (`本周`,
`上周三`) and weekdays (`星期五`, `周三上午`); the grammar reads bracketed months
(`本（9）月`) with the bracketed-month pattern where it reads months. Resolution: `resolve_form` dates
days, weeks and weekdays against the reference date (a bare weekday against the previous
date). The words and patterns come from the knowledge (`pipeline.date_patterns`).
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace

from pipeline.date_expr import Expr, day_suffix
from pipeline.date_patterns import DateGrammar
from pipeline.mentions import HAN

HAN_CHAR = re.compile(f"[{HAN}]")


def written_in_era(g: DateGrammar, text: str) -> bool:
    """Does the document count its years in the era (`民国105年`, `今（17）日`)?"""
    return g.era_evidence.search(text) is not None


def era_year(g: DateGrammar, number: int) -> int:
    """A year below 1000 is one of the bracket era's (`105` is 2016 in 民国)."""
    return number + g.data["eras"][g.data["bracket_era"]] if number < 1000 else number


def parse_year_form(g: DateGrammar, text: str, pos: int, era: bool = False) -> tuple[int, Expr] | None:
    """A year in an era at `pos`: (end, Expr with the Gregorian year), or None; `era`: the document counts
    its years in the era, so a bare three-digit year (`110年`) is one too."""
    match = g.era_year.match(text, pos)
    if match:
        return match.end(), Expr(year=g.number(match["y"]) + g.data["eras"][match["era"]])
    match = g.bracket_year.match(text, pos) or g.era_year_before_month.match(text, pos) or (
        g.era_bare_year.match(text, pos) if era else None)
    if match:
        return match.end(), Expr(year=era_year(g, int(match["y"])))
    return None


def _bare_weekday_stands(g: DateGrammar, text: str, match: re.Match[str]) -> bool:
    """`周三上午`, `周三，` are weekdays; `周一鸣` is a name; `（周三）` after a date only repeats it."""
    if text[:match.start()].endswith(tuple(g.data["weekday_blockers"])):
        return False
    if match["word"] != "周":
        return not text[:match.start()].endswith(("（", "("))
    end = match.end()
    return not text[:match.start()].endswith(("（", "(")) and (
        end == len(text) or not HAN_CHAR.match(text, end) or text.startswith(tuple(g.data["weekday_followers"]), end))


def _week_stands(g: DateGrammar, text: str, match: re.Match[str]) -> bool:
    """`上周召开`, `，上周` are weeks; in `仪式上周某某…` a place word's 上 meets a surname 周: between two Han
    characters, a week with no weekday needs a word that follows a time (`weekday_followers`)."""
    start, end = match.start(), match.end()
    inside = start > 0 and HAN_CHAR.match(text, start - 1) and end < len(text) and HAN_CHAR.match(text, end)
    return not inside or text.startswith(tuple(g.data["weekday_followers"]), end)


def parse_day_form(g: DateGrammar, text: str, pos: int) -> tuple[int, Expr] | None:
    """A day counted from the day of writing, a bracketed month, a week or a weekday at `pos`."""
    match = g.bracket_day.match(text, pos)
    if match:
        expr = Expr(day=int(match["d"]), reference_offset=g.data["bracket_days"][match["w"]])
        return day_suffix(g, text, match.end(), expr)
    lunar = parse_lunar(g, text, pos)
    if lunar:
        return lunar
    match = g.deictic_day.match(text, pos)
    if match and not text.startswith(tuple(g.data["deictic_not_before"]), match.end()):
        offset, granularity = g.data["deictic_days"][match.group(0)]
        return day_suffix(g, text, match.end(), Expr(reference_offset=offset, granularity=granularity))
    match = g.prefixed_week.match(text, pos)
    if match and (match["wd"] is not None or _week_stands(g, text, match)):
        offset = g.data["week_prefixes"][match["p"]]
        if match["wd"] is None:
            return match.end(), Expr(week_offset=offset, granularity="week")
        return day_suffix(g, text, match.end(), Expr(week_offset=offset, weekday=g.data["weekdays"][match["wd"]]))
    match = g.bare_weekday.match(text, pos)
    if match and _bare_weekday_stands(g, text, match):
        return day_suffix(g, text, match.end(), Expr(weekday=g.data["weekdays"][match["wd"]]))
    return None


def parse_lunar(g: DateGrammar, text: str, pos: int, expr: Expr = Expr()) -> tuple[int, Expr] | None:
    """A lunar date or month at `pos` (`农历正月十五`, `五月初五`, `闰四月`, `腊月`), in `expr`'s year."""
    match = g.lunar.match(text, pos)
    if not match:  # `五月廿二` after 农历 earlier in the sentence
        match = g.lunar_cued.match(text, pos)
        if not match or not g.lunar_cue.search(text, max(0, pos - 200), pos):
            return None
    groups = {name: value for name, value in match.groupdict().items() if value}
    month = next((groups[m] for m in ("m1", "m2", "m3", "m5", "m6", "m7", "m8", "m9") if m in groups), None)
    if "ly" in groups:
        expr = replace(expr, year=g.number(groups["ly"]))
    day = next((groups[d] for d in ("d1", "d2", "d3", "d4", "d5", "d9") if d in groups), None)
    lunar_month = (g.data["lunar_months"].get(month) or g.number(month[:-1])) if month else 1
    # Day 0: the whole lunar month.
    found = replace(expr, lunar=(lunar_month, g.number(day.lstrip("初")) if day else 0), lunar_leap="leap" in groups,
                    granularity=None if day else "month")
    return day_suffix(g, text, match.end(), found) if day else (match.end(), found)


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


def lunar_month(year: int, month: int, leap: bool) -> tuple[dt.date, dt.date] | None:
    """The solar days of a lunar month of the lunar year `year` (its 腊月 ends in January or February)."""
    from lunardate import LunarDate

    try:
        first = LunarDate(year, month, 1, leap).to_solar_date()
    except ValueError:
        return None
    for last_day in (30, 29):
        try:
            return first, LunarDate(year, month, last_day, leap).to_solar_date()
        except ValueError:
            continue
    return None


def lunar_date(year: int, month: int, day: int, of_lunar_year: bool = False, leap: bool = False) -> dt.date | None:
    """The solar date in `year` of a lunar month and day (腊月 of the lunar year before falls in January or
    February), or in the lunar year `year` when the text names it (`去年腊月二十八`); None if there is none."""
    from lunardate import LunarDate

    found = []
    for lunar_year in (year,) if of_lunar_year else (year, year - 1):
        try:
            found.append(LunarDate(lunar_year, month, day, leap).to_solar_date())
        except ValueError:
            continue
    return next((d for d in found if d.year == year), found[0] if found else None)


def calendar_interval(g: DateGrammar, expr: Expr, year: int) -> tuple[dt.date, dt.date, str] | None:
    """The days in `year` of a lunar date or month, or of a festival (or its eve)."""
    if expr.lunar and expr.lunar[1] == 0:
        days = lunar_month(year, expr.lunar[0], expr.lunar_leap)
        return days + ("month",) if days else None
    if expr.lunar:
        named = expr.year is not None or expr.year_offset is not None or expr.short_year is not None
        day = lunar_date(year, *expr.lunar, of_lunar_year=named, leap=expr.lunar_leap)
        return (day, day, expr.granularity or "day") if day else None
    day = festival_date(g, expr.festival, year)
    if day and expr.eve:
        day -= dt.timedelta(days=1)
    return (day, day, "day") if day else None


def festival_date(g: DateGrammar, name: str, year: int) -> dt.date | None:
    """The solar date of a festival in a given year (lunar ones through lunardate)."""
    kind, *rest = g.data["festivals"][name]
    if kind == "solar":
        return dt.date(year, rest[0], rest[1])
    if kind == "solar_term":
        return solar_term(g, rest[0], year)
    if kind == "weekday":  # the Nth such weekday of the month (母亲节: the second Sunday of May)
        return nth_weekday(year, *rest)
    from lunardate import LunarDate

    month, day = rest
    try:
        if day == 0:  # last day of the lunar year: the eve of next year's 春节
            return LunarDate(year, 1, 1).to_solar_date() - dt.timedelta(days=1)
        return LunarDate(year, month, day).to_solar_date()
    except ValueError:
        return None


def nth_weekday(year: int, month: int, nth: int, weekday: int) -> dt.date | None:
    """The `nth` `weekday` (0 = Monday) of a month; None past its end."""
    first = dt.date(year, month, 1)
    day = first + dt.timedelta(days=(weekday - first.weekday()) % 7 + 7 * (nth - 1))
    return day if day.month == month else None


def solar_term(g: DateGrammar, name: str, year: int) -> dt.date:
    """The day of a solar term in a year: the usual 21st-century formula, else its usual day."""
    month, c, usual = g.data["solar_terms"][name]
    y = year % 100
    if not 2001 <= year <= 2099:
        return dt.date(year, month, usual)
    leap_days = (y - 1) // 4 if month <= 2 else y // 4
    return dt.date(year, month, int(y * 0.2422 + c) - leap_days)
