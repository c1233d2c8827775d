"""Recognition of Chinese time expressions (the grammar half of stage 3).

`find_expressions(g, text)` returns `TimeExpression`s: surface span plus one or
two `Expr` sides (two for ranges such as `2月22日至24日`). An `Expr` holds
what the text states (year, month, day, offsets, festival, part of a month or
year); `pipeline.dates` fills in what it leaves out from the context.
"""
from __future__ import annotations

import calendar
import re
from dataclasses import replace

from pipeline.date_alone import mark_alone
from pipeline.date_counts import parse_count_form, parse_month_slice, parse_short_year, parse_year_slice, planned
from pipeline.date_expr import Expr, TimeExpression, day_run, day_suffix
from pipeline.date_forms import era_year as gregorian_year
from pipeline.date_forms import parse_day_form, parse_lunar, parse_year_form
from pipeline.date_names import in_spans, inside_a_name, qualifies_a_name, quoted_spans
from pipeline.date_patterns import CN_DIGIT, FULLWIDTH_DIGITS, DateGrammar

# A list item's number before a date at the start of a line: `1.11月下旬，…`, `2.12月28日，…`.
ITEM_NUMBER = re.compile(r"[ \t]*\d{1,2}[.．]")


def _standalone_part(g: DateGrammar, match: re.Match[str]) -> tuple[int, Expr]:
    """`年底`, `一季度`, `月中` on their own: the year or month comes from the context."""
    key = match.group(0)
    if key in g.data["parts_of_month"]:
        first, last = g.data["parts_of_month"][key]
        return match.end(), Expr(month_offset=0, same_month=True, days=(first, last), granularity="part_of_month")
    (first, last), granularity = g.data["parts_of_year"][key]
    return match.end(), Expr(months=(first, last), granularity=granularity)


def _festival(g: DateGrammar, text: str, match: re.Match[str], expr: Expr) -> tuple[int, Expr] | None:
    """A festival, or its eve (`春节前夕`: the day before it); None for one that is also a number (`十一`)
    without a word saying it is the festival (`十一期间`)."""
    if match.group(0) in g.data["festivals_need_follower"] and \
            not text.startswith(tuple(g.data["festival_followers"]), match.end()):
        return None
    eve = g.eve.match(text, match.end())
    return (eve or match).end(), replace(expr, festival=match.group(0), eve=bool(eve))


def _parse_year_part(g: DateGrammar, text: str, pos: int, expr: Expr) -> tuple[int, Expr] | None:
    match = g.quarter_range.match(text, pos)
    if match:  # `一至三季度`: from the first quarter's first month to the last one's last
        first, last = (g.data["quarter_numbers"][match[group]] for group in ("q1", "q2"))
        return match.end(), replace(expr, months=(3 * first - 2, 3 * last), granularity="quarter")
    match = g.part_of_year.match(text, pos)
    if match:
        key = match.group(0).lstrip("的")
        (first, last), granularity = g.data["parts_of_year"][key]
        return match.end(), replace(expr, months=(first, last), granularity=granularity)
    sliced = parse_year_slice(g, text, pos, expr)
    if sliced:
        return sliced
    match = g.festival.match(text, pos)
    if match:
        return _festival(g, text, match, expr)
    return None


def _parse_month_on(g: DateGrammar, text: str, pos: int, expr: Expr) -> tuple[int, Expr, Expr | None] | None:
    """Month (or month range), then day (or day range) and suffixes; None if no month here."""
    match = g.month_range.match(text, pos) or g.month_pair.match(text, pos)
    # A pair is written in one kind of numeral (`八、9月25日` is a list number and a date).
    if match and (match.re is g.month_range or (g.number(match["m2"]) == g.number(match["m1"]) + 1
                                              and match["m1"].isdigit() == match["m2"].isdigit())):
        return match.end(), replace(expr, month=g.number(match["m1"])), replace(expr, month=g.number(match["m2"]))
    match = g.month.match(text, pos) or g.bracket_month.match(text, pos)
    offset_match = g.relative_month.match(text, pos) if not match else None
    if not match and not offset_match:
        return None
    if match:
        month = g.data["month_names"][match["name"]] if match.groupdict().get("name") else g.number(match["m"])
        expr, pos = replace(expr, month=month), match.end()
    else:
        word = offset_match.group(0)
        expr, pos = replace(expr, month_offset=g.data["relative_months"][word], same_month=word in g.data["same_month"]), \
            offset_match.end()
    day_range = g.day_range.match(text, pos)
    if day_range:
        end, second = day_suffix(g, text, day_range.end(), replace(expr, day=g.number(day_range["d2"])))
        return end, replace(expr, day=g.number(day_range["d1"])), second
    nth = g.nth_weekday.match(text, pos)
    if nth:
        weekday = (g.number(nth["n"]), g.data["weekdays"][nth["wd"]])
        return day_suffix(g, text, nth.end(), replace(expr, nth_weekday=weekday)) + (None,)
    day = g.day.match(text, pos)
    if day:
        end, expr = day_suffix(g, text, day.end(), replace(expr, day=g.number(day["d"])))
        return end, expr, None
    sliced = parse_month_slice(g, text, pos, expr)
    if sliced:
        return sliced + (None,)
    part = g.part_of_month.match(text, pos)
    if part:
        first, last = g.data["parts_of_month"][part.group(0)]
        return part.end(), replace(expr, days=(first, last), granularity="part_of_month"), None
    return pos, expr, None


def parse_at(g: DateGrammar, text: str, pos: int, era: bool = False) -> tuple[int, Expr, Expr | None] | None:
    """Parse the longest time expression starting at `pos`: (end, first side, second side or None)."""
    return _parse_relative(g, text, pos) or _parse_dated(g, text, pos, era) or _parse_bare_day(g, text, pos)


def _parse_relative(g: DateGrammar, text: str, pos: int) -> tuple[int, Expr, Expr | None] | None:
    """Days counted from the day of writing or the last date told, parts of a period, a clock time, and
    numeric dates (`2023-07-24`)."""
    form = parse_day_form(g, text, pos) or parse_count_form(g, text, pos)
    if form:
        return form + (None,)
    match = g.first_day.match(text, pos)
    if match:
        end, expr = day_suffix(g, text, match.end(), Expr(day_offset=0, first_day=True))
        return end, expr, None
    match = g.days_later.match(text, pos)
    if match:
        days = 2 if match["n"] == "两" else g.number(match["n"])
        return match.end(), Expr(day_offset=days, shift=(days, "day"), planned=planned(g, text, pos, match.end())), None
    match = g.relative_day.match(text, pos)
    if match and not (match.group(0).startswith("同") and text[pos - 1:pos] in g.data["same_day_not_after"]):
        word = match.group(0)
        end, expr = day_suffix(g, text, match.end(), Expr(day_offset=g.data["relative_days"][word],
                                                           same_day=word in g.data["same_day"]))
        return end, expr, None
    match = g.standalone_part.match(text, pos)
    if match:
        return _standalone_part(g, match) + (None,)
    match = g.time_of_day.match(text, pos)
    if match:
        return match.end(), Expr(day_offset=0, same_day=True, granularity="time"), None
    match = g.relative_year_span.match(text, pos)
    if match:  # `今明两年`: two years, one span
        first, second = g.data["relative_year_spans"][match.group(0)]
        return match.end(), Expr(year_offset=first), Expr(year_offset=second)
    match = g.numeric_ym_range.match(text, pos)
    if match:
        second = Expr(year=int(match["y2"]), month=int(match["m2"])) if match["m2"] else Expr(year=int(match["y2"]))
        return match.end(), Expr(year=int(match["y1"]), month=int(match["m1"])), second
    lost = _run_together(g, text, pos)
    if lost:
        return lost
    match = g.numeric.match(text, pos) or g.numeric_dmy.match(text, pos) or (
        g.compact_date.match(text, pos) if g.marker_before.search(text, max(0, pos - 12), pos) else None)
    if match:
        return match.end(), Expr(year=int(match["y"]), month=int(match["m"]), day=int(match["d"])), None
    return None


def _run_together(g: DateGrammar, text: str, pos: int) -> tuple[int, Expr, None] | None:
    """`2023922日`: a year, then month and day digits with their 月 lost; read only when one split of the digits
    gives a real month and day (`2014112日` could be 1月12日 or 11月2日: none)."""
    match = g.run_together_date.match(text, pos)
    if not match:
        return None
    digits, year = match["md"], int(match["y"])
    readings = {(int(digits[:k]), int(digits[k:])) for k in (1, 2) if 0 < len(digits) - k <= 2 and digits[k] != "0"}
    real = [(m, d) for m, d in readings if 1 <= m <= 12 and 1 <= d <= calendar.monthrange(year, m)[1]]
    return (match.end(), Expr(year=year, month=real[0][0], day=real[0][1]), None) if len(real) == 1 else None


def _parse_dated(g: DateGrammar, text: str, pos: int, era: bool) -> tuple[int, Expr, Expr | None] | None:
    """A year (or a range of years, an era year, a relative year) and what follows it, or a month and day."""
    match = g.year_range.match(text, pos) or g.year_pair_run.match(text, pos)
    if match and g.number(match["y2"]) >= g.number(match["y1"]):  # `一九九五年至一九九六年` too
        return match.end(), Expr(year=g.number(match["y1"])), Expr(year=g.number(match["y2"]))
    shortened = _short_year_range(g, text, pos)
    if shortened:
        return shortened
    match = g.era_numeric.match(text, pos) if era else None
    if match:
        return match.end(), Expr(year=gregorian_year(g, int(match["y"])), month=int(match["m"]), day=int(match["d"])), None
    expr = Expr()
    match = g.year.match(text, pos)
    era_year = parse_year_form(g, text, pos, era) if not match else None
    offset_match = g.relative_year.match(text, pos) if not (match or era_year) else None
    if match:
        expr, pos = replace(expr, year=g.number(match["y"])), match.end()
    elif era_year:
        pos, expr = era_year
    elif offset_match:
        word = offset_match.group(0)
        expr, pos = replace(expr, year_offset=g.data["relative_years"][word], same_year=word in g.data["same_year"]), \
            offset_match.end()
    if match or era_year or offset_match:
        lunar = parse_lunar(g, text, pos, expr)  # `去年五月初五`, `明年腊月`, `2012年农历正月十五`
        if lunar:
            return lunar + (None,)
        month = _parse_month_on(g, text, pos, expr)
        if month:
            return month
        part = _parse_year_part(g, text, pos, expr)
        return part + (None,) if part else (pos, expr, None)
    short = parse_short_year(g, text, pos, era)
    if short:  # only before a month or a part of the year: `24年` alone counts years
        found = _parse_month_on(g, text, short[0], short[1])
        part = _parse_year_part(g, text, short[0], short[1]) if not found else None
        if found or part:
            return found or part + (None,)
    return _parse_month_on(g, text, pos, expr)


def _short_year_range(g: DateGrammar, text: str, pos: int) -> tuple[int, Expr, Expr] | None:
    """A range of years whose second is written with two digits (`1985到89年9月`, `2018-19年`): that year in the
    first one's century, and what follows it."""
    match = g.year_short_range.match(text, pos)
    if not match:
        return None
    first = int(match["y1"])
    last = first // 100 * 100 + int(match["y2"])
    if last <= first:
        return None
    month = _parse_month_on(g, text, match.end(), Expr(year=last))
    if month is None:
        return match.end(), Expr(year=first), Expr(year=last)
    return month[0], Expr(year=first), month[2] or month[1]


def _parse_bare_day(g: DateGrammar, text: str, pos: int) -> tuple[int, Expr, Expr | None] | None:
    """A day without its month (`22日`, a chronicle entry's `十日`, `3日至5日`), or a festival."""
    day_range = g.day_range.match(text, pos)
    if day_range and day_range["d1"].isdigit():
        end, second = day_suffix(g, text, day_range.end(), Expr(day=int(day_range["d2"])))
        return end, Expr(day=int(day_range["d1"])), second
    at_line_start = pos == 0 or text[pos - 1] == "\n" or re.search(r"(?:^|\n)[ \t]*(?:[-•·][ \t]*)?$", text[max(0, pos - 4):pos])
    if at_line_start:
        day_range = g.entry_day_range.match(text, pos)
        if day_range:
            end, second = day_suffix(g, text, day_range.end(), Expr(day=g.number(day_range["d2"])))
            return end, Expr(day=g.number(day_range["d1"])), second
    match = g.bare_day.match(text, pos) or (g.entry_day.match(text, pos) if at_line_start else None) or (
        g.cn_bare_day.match(text, pos) if text[pos - 1:pos] not in g.data["bare_day_blockers"] else None)
    if match:
        end, expr = day_suffix(g, text, match.end(), Expr(day=g.number(match["d"])))
        return end, expr, None
    match = g.festival.match(text, pos)
    festival = _festival(g, text, match, Expr()) if match and match.group(0) not in g.data["festivals_after_year"] \
        else None
    return festival + (None,) if festival else None


def _range_tail(g: DateGrammar, text: str, end: int, first: Expr, era: bool = False) -> tuple[int, Expr] | None:
    """A second side after a connector, at the same or a finer level than the first."""
    conn = g.range_connector.match(text, end)
    if not conn:
        return None
    parsed = parse_at(g, text, conn.end(), era)
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


def find_expressions(g: DateGrammar, text: str, keep_name_years: bool = False,
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
        start_match = g.start.search(norm, pos)
        if not start_match:
            break
        start = start_match.start()
        prev = norm[start - 1] if start else ""
        parsed = None
        if not (prev and (prev.isdigit() or prev in CN_DIGIT + "十第.")) or g.relative_day.match(norm, start) \
                or g.festival.match(norm, start) or ITEM_NUMBER.fullmatch(norm, norm.rfind("\n", 0, start) + 1, start):
            parsed = parse_at(g, norm, start, era)
        if parsed is None:
            pos = start + 1
            continue
        end, first, second = parsed
        if second is None:
            tail = _range_tail(g, norm, end, first, era) or day_run(g, norm, end, first)
            if tail:
                end, second = tail
        surface = text[start:end].rstrip()
        end = start + len(surface)
        skipped = in_spans(quoted, start) or inside_a_name(g, norm, start, end, first) \
            or (first.year_offset is not None and g.age.match(norm, end) is not None) \
            or (first.month is None and second is None and g.serial_after_year.match(norm, end) is not None)
        if not skipped and (keep_name_years or start in keep_at or g.bracket_year.match(norm, start)
                                  or not qualifies_a_name(g, norm, end, first, second)):
            found.append(TimeExpression(surface, start, end, first, second))
        pos = end
    return mark_alone(g, norm, text, found, era)

