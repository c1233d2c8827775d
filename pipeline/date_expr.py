"""What a time expression states (`Expr`), and the day suffixes.

Shared by the grammar (`pipeline.date_grammar`), the relative and calendar forms
(`pipeline.date_forms`) and the resolver (`pipeline.dates`). The patterns come from the
knowledge's `dates.yaml` (`pipeline.date_patterns`).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from pipeline.date_patterns import CLOCK, CLOCK_CN, DateGrammar


@dataclass(frozen=True)
class Expr:
    """One side of a time expression: only what the text states."""
    year: int | None = None
    year_offset: int | None = None
    same_year: bool = False  # the year being told about (同年), not the writer's
    month: int | None = None
    month_offset: int | None = None
    same_month: bool = False  # the month being told about (是月, 月底), not the writer's
    day: int | None = None
    day_offset: int | None = None
    same_day: bool = False
    first_day: bool = False  # the first day of the span before
    festival: str | None = None
    eve: bool = False  # the day before the festival
    months: tuple[int, int] | None = None  # part of a year (first, last month; 14 = Feb next year)
    days: tuple[int, int | str] | None = None  # part of a month; (-N, "end"): its last N days
    # Counted from the day of writing (今天, 昨（15）日): days from the reference date.
    reference_offset: int | None = None
    lunar: tuple[int, int] | None = None  # a lunar (month, day); day 0: the whole month
    lunar_leap: bool = False  # in the leap month (`闰四月`)
    weekday: int | None = None  # 0 = Monday
    nth_weekday: tuple[int, int] | None = None  # (N, weekday) of the month: `6月第3个星期日` (3, 6)
    week_offset: int | None = None  # weeks from the week of writing (本周 0, 上周 -1)
    granularity: str | None = None
    short_year: int | None = None  # a year written with two digits (`15年`): its century comes from the context
    # Counted from the day of writing: (signed count, unit) of an offset (`3年后`: (3, "year"), `7天后` when no
    # date was told before it).
    shift: tuple[int, str] | None = None
    # The text says what comes after is planned (`3年后，项目将建成`, `预计3年后`): an offset forward may count
    # from the day of writing. Without it and with no date told before (`一个月后，他回到了公司`), its anchor
    # is unknown. A planned day (`将于12月20日`) lies ahead of the report's date, not in the year before.
    planned: bool = False
    # Half a unit more, signed, after `shift` (`一年半后`: (6, "month"); `两个半月前`: (-15, "day")).
    shift_half: tuple[int, str] | None = None
    # The text is this expression and nothing else (a query, a form's field): there is no event told to count
    # from, so offsets count from the day of writing, and no report whose past a day would fall in.
    alone: bool = False
    quarter_offset: int | None = None  # quarters from the day of writing's (上个季度 -1)
    # Years of a century or decade (`18世纪` (1700, 1799)); within a century counted from the day of writing's
    # when `century_offset` is set (`上世纪80年代`: -1, (80, 89)), or within the latest one when `decade_only`.
    years: tuple[int, int] | None = None
    century_offset: int | None = None
    decade_only: bool = False

    def inherit(self, first: "Expr", start: dt.date) -> "Expr":
        """Fill the fields a range's second side leaves out from the first side's resolution."""
        filled = self
        if self.year is None and self.year_offset is None and (first.year is not None or first.year_offset is not None
                                                               or self.month is not None or self.day is not None):
            filled = replace(filled, year=start.year)
        if self.month is None and self.month_offset is None and self.day is not None:
            filled = replace(filled, month=start.month)
        return filled


@dataclass(frozen=True)
class TimeExpression:
    """A recognised expression: its surface span and one or two sides (two for a range: `2月22日至24日`)."""
    text: str
    start: int
    end: int
    first: Expr
    second: Expr | None = None


def day_suffix(g: DateGrammar, text: str, pos: int, expr: Expr) -> tuple[int, Expr]:
    """A bracketed weekday, clock times and parts of the day keep the day but refine the granularity."""
    match = g.weekday_note.match(text, pos)
    if match:
        pos = match.end()
    match = g.part_of_day.match(text, pos)
    if match:
        pos, expr = match.end(), replace(expr, granularity="part_of_day")
    match = CLOCK_CN.match(text, pos) or CLOCK.match(text, pos)
    if match:
        pos, expr = match.end(), replace(expr, granularity="time")
        tail = g.clock_range_end.match(text, pos) if match.re is CLOCK else None
        if tail:
            pos = tail.end()
    return pos, expr


def day_run(g: DateGrammar, text: str, pos: int, first: Expr) -> tuple[int, Expr] | None:
    """Consecutive days listed one by one after a day (`9月10日、11日`, `10号，11号，12号`): one span, to the
    last (end, last side). A gap ends the run (`3日、5日` are two days, not the span between); a run listed with
    commas takes more days (`5月10日，11日上午…` may start a new entry): `day_list_marks`."""
    if first.day is None:
        return None
    day, end, items, needed = first.day, pos, 0, 1
    for match in iter(lambda: g.day_list_item.match(text, end), None):
        if g.number(match["d"]) != day + 1:
            break
        day, end, items = day + 1, match.end(), items + 1
        needed = max(needed, g.data["day_list_marks"][match["sep"]])
    if items < needed:
        return None
    return day_suffix(g, text, end, replace(first, day=day, granularity=None))
