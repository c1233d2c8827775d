"""Counted and coarse time expressions: two-digit years, offsets counted from the day of writing,
slices of a year, quarters, centuries and decades.

Recognition (`parse_count_form`, `parse_year_slice`, `parse_short_year`) reads what the text states into an
`Expr`; resolution (`resolve_count`, `short_year_of`) places it against the reference date. The words
and their units are the knowledge's (`dates.yaml`: `counted_units`, `period_slices`, `relative_centuries`…).
"""
from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import replace

from pipeline.date_expr import Expr
from pipeline.date_forms import era_year
from pipeline.date_patterns import DateGrammar

SPAN_GRANULARITY = {"year": "year", "month": "month", "week": "week", "day": "day"}


def parse_short_year(g: DateGrammar, text: str, pos: int, era: bool) -> tuple[int, Expr] | None:
    """A two-digit year (`15年`, `九七年`); in a document counting its years in an era, an era year (`99年5月`
    is 2010 in a Taiwan document). The caller keeps it only when a month or a part of the year follows."""
    match = g.short_year.match(text, pos)
    if not match:
        return None
    number = g.number(match["y"])
    return match.end(), Expr(year=era_year(g, number)) if era else Expr(short_year=number)


def short_year_of(g: DateGrammar, short: int, base: int) -> int:
    """The year ending in `short` in the latest of `short_year_centuries` that puts it at most
    `short_year_ahead` years after `base`, else in the earliest."""
    years = sorted(century + short for century in g.data["short_year_centuries"])
    return max((y for y in years if y <= base + g.data["short_year_ahead"]), default=years[0])


def planned(g: DateGrammar, text: str, start: int, end: int) -> bool:
    """Whether the words around an offset say it is planned: `将`, `计划`… after it, or `预计`, `将于`… before."""
    before = text[max(0, start - 4):start]
    return g.plan_ahead.match(text, end) is not None or \
        before.endswith(tuple(g.data["plan_words"]) + tuple(g.data["plan_markers"]))


def _count(g: DateGrammar, match: re.Match[str]) -> int:
    return g.number(match["n"].replace("两", "二"))


def parse_count_form(g: DateGrammar, text: str, pos: int) -> tuple[int, Expr] | None:
    """`3年后`, `4周后`, `上个季度`, `18世纪`, `上世纪80年代`, `八十年代末` at `pos`."""
    match = g.counted_offset.match(text, pos)
    if match:
        return _counted_offset(g, text, pos, match)
    match = g.relative_quarter.match(text, pos)
    if match:
        return match.end(), Expr(quarter_offset=g.data["relative_quarters"][match.group(0)], granularity="quarter")
    match = g.century.match(text, pos) or g.decade.match(text, pos)
    return (match.end(), _century(g, match)) if match else None


def _counted_offset(g: DateGrammar, text: str, pos: int, match: re.Match[str]) -> tuple[int, Expr] | None:
    """`3年后`, `4个星期之后`, and with a half: `一年半后` (18 months on), `半年后`, `两个半月前`."""
    half = g.data["half_units"].get(match["half"]) or g.data["counted_halves"].get(match["u"])
    written = half[0] if half else match["u"]
    unit, size = g.data["counted_units"][written]
    if unit == "day":  # days go on from the last date told (`days_later`)
        return None
    sign = g.data["counted_directions"][match["dir"]]
    count = sign * size * (_count(g, match) if match["n"] else 0)
    expr = Expr(shift=(count, unit), planned=planned(g, text, pos, match.end()), granularity=unit)
    if half:
        expr = replace(expr, shift_half=(sign * half[2], half[1]), granularity=half[3])
    return match.end(), expr


def shifts_forward(expr: Expr) -> bool:
    """Whether an offset counts forward (`3年后`, `半年后`), which may count from the last date told."""
    count = expr.shift[0] if expr.shift else 0
    return count > 0 or (count == 0 and expr.shift_half is not None and expr.shift_half[0] > 0)


def _century(g: DateGrammar, match: re.Match[str]) -> Expr:
    groups = match.groupdict()
    if groups.get("d"):
        decade = g.number(match["d"]) % 100
        first, last = decade, decade + 9
        if match["dp"]:
            low, high = g.data["decade_parts"][match["dp"]]
            first, last = decade + low, decade + high
    else:
        first, last = g.data["century_parts"][match["cp"]] if match["cp"] else (0, 99)
    if groups.get("rel"):
        return Expr(years=(first, last), century_offset=g.data["relative_centuries"][match["rel"]], granularity="year")
    if groups.get("c"):
        start = (g.number(match["c"]) - 1) * 100
        return Expr(years=(start + first, start + last), granularity="year")
    return Expr(years=(first, last), decade_only=True, granularity="year")


def parse_year_slice(g: DateGrammar, text: str, pos: int, expr: Expr) -> tuple[int, Expr] | None:
    """The first, last or Nth months or quarters of the year just read (`前两个季度`, `首月`, `第8个月`)."""
    match = g.year_slice.match(text, pos)
    if not match:
        return None
    size = g.data["slice_units"][match["u"]]
    n = g.number(match["n"].replace("两", "二")) if match["n"] else 1
    side = g.data["period_slices"][match["side"]]
    if not 1 <= n * size <= 12:
        return None
    months = {"first": (1, n * size), "last": (13 - n * size, 12), "nth": (n * size - size + 1, n * size)}[side]
    return match.end(), replace(expr, months=months, granularity="quarter" if size == 3 else "month")


def parse_month_slice(g: DateGrammar, text: str, pos: int, expr: Expr) -> tuple[int, Expr] | None:
    """The first or last N days of the month just read (`最后五天`, `前10天`): days (1, N), or (-N, "end")
    counted back from the month's last day."""
    match = g.month_day_slice.match(text, pos)
    if not match or not match["n"]:
        return None
    n = g.number(match["n"].replace("两", "二"))
    if not 1 <= n <= 28:
        return None
    days = (1, n) if g.data["month_day_slices"][match["side"]] == "first" else (-n, "end")
    return match.end(), replace(expr, days=days, granularity="part_of_month")


def add_units(day: dt.date, count: int, unit: str) -> dt.date | None:
    """`day` moved by `count` years, months, weeks or days (the month's last day when it has fewer)."""
    if unit in ("day", "week"):
        return day + dt.timedelta(days=count * (7 if unit == "week" else 1))
    index = day.year * 12 + day.month - 1 + count * (12 if unit == "year" else 1)
    year, month = divmod(index, 12)
    if not dt.MINYEAR <= year <= dt.MAXYEAR:
        return None
    return dt.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def _period_of(day: dt.date, unit: str) -> tuple[dt.date, dt.date]:
    if unit == "year":
        return dt.date(day.year, 1, 1), dt.date(day.year, 12, 31)
    if unit == "month":
        return day.replace(day=1), day.replace(day=calendar.monthrange(day.year, day.month)[1])
    if unit == "week":
        monday = day - dt.timedelta(days=day.weekday())
        return monday, monday + dt.timedelta(days=6)
    return day, day


def resolve_count(expr: Expr, reference: dt.date | None, year: int | None,
                  previous: dt.date | None = None) -> tuple[dt.date, dt.date, str] | None:
    """Dates of the forms `parse_count_form` reads; `reference` the day of writing, `year` the reference
    year (all a century needs), `previous` the last date told. An offset back (`两年前`) counts from the day
    of writing; one forward from the last date told, else from the day of writing if planned. None when
    what they count from is unknown."""
    if expr.years is not None:
        return _century_years(expr, year)
    if expr.shift is not None:
        count, unit = expr.shift
        forward = shifts_forward(expr)
        base = previous if forward and previous else \
            reference if not forward or expr.planned or expr.alone else None
        shifted = add_units(base, count, unit) if base else None
        if shifted and expr.shift_half:
            shifted = add_units(shifted, *expr.shift_half)
        grain = expr.granularity or SPAN_GRANULARITY[unit]
        return _period_of(shifted, grain) + (grain,) if shifted else None
    if reference is None:
        return None
    if expr.quarter_offset is not None:
        index = reference.year * 4 + (reference.month - 1) // 3 + expr.quarter_offset
        first = dt.date(index // 4, index % 4 * 3 + 1, 1)
        last_month = index % 4 * 3 + 3
        return first, dt.date(index // 4, last_month, calendar.monthrange(index // 4, last_month)[1]), "quarter"
    return None


def _century_years(expr: Expr, year: int | None) -> tuple[dt.date, dt.date, str] | None:
    first, last = expr.years
    if expr.century_offset is not None or expr.decade_only:
        if year is None:
            return None
        base = (year // 100 + (expr.century_offset or 0)) * 100
        if expr.decade_only and base + first > year:
            base -= 100  # `80年代` is the latest eighties before the day of writing
        first, last = base + first, base + last
    if first < dt.MINYEAR:
        return None
    return dt.date(first, 1, 1), dt.date(last, 12, 31), "year"
