"""A text that is one time expression and nothing else: a query, a form's field, a table's cell.

There is no event told before it to count from and no report whose past it would lie in, so the grammar marks
it `alone` (`pipeline.date_grammar.find_expressions`) and the resolver counts it from the day of writing
(`3年后`, `17天后`) in the reference year (`9月30日`). Some forms are dates only there: in running text a bare
`2018` is a figure, `24年` a count of years, `6·30` a decimal or an event's name, `十一` a number and `全天` the
whole of the day last told (`parse_alone`). The words come from the knowledge (`dates.yaml`: `alone_days`,
`month_day_marks`, `festivals_need_follower`).
"""
from __future__ import annotations

import re
from dataclasses import replace

from pipeline.date_counts import parse_short_year
from pipeline.date_expr import Expr, TimeExpression
from pipeline.date_patterns import DateGrammar

# What may stand around the expression and leave it alone: space, and the mark that ends a sentence.
AROUND = " \t\r\n\u3000。！？!?"


def alone_bounds(text: str) -> tuple[int, int]:
    """Where the text's content starts and ends, without the space and the end mark around it."""
    start = len(text) - len(text.lstrip(AROUND))
    return start, max(start, len(text.rstrip(AROUND)))


def parse_alone(g: DateGrammar, text: str, era: bool = False) -> tuple[int, int, Expr] | None:
    """(start, end, Expr) of a form that is a date only when it is the whole text: a year without 年
    (`2018`), a two-digit year (`24年`, `三三年`), a month and day joined by a mark (`6·30`), a numeric date with
    two separators (`1994.01-19`), a festival that is also a number (`十一`), a word for the day (`全天`)."""
    start, end = alone_bounds(text)
    body = text[start:end]
    expr = None
    if re.fullmatch(g.data["year_digits"], body):
        expr = Expr(year=int(body))
    elif g.short_year.fullmatch(body):
        expr = parse_short_year(g, body, 0, era)[1]
    elif body in g.data["festivals_need_follower"]:
        expr = Expr(festival=body)
    elif body in g.data["alone_days"]:
        expr = Expr(reference_offset=g.data["alone_days"][body], granularity="day")
    else:
        match = g.alone_month_day.fullmatch(body) or g.alone_numeric.fullmatch(body)
        if match:
            year = int(match["y"]) if match.groupdict().get("y") else None
            expr = Expr(year=year, month=g.number(match["m"]), day=int(match["d"]))
    return (start, end, replace(expr, alone=True)) if expr else None


def mark_alone(g: DateGrammar, norm: str, text: str, found: list[TimeExpression], era: bool) -> list[TimeExpression]:
    """A text that is one expression and nothing else counts from the day of writing (`pipeline.date_alone`):
    the expression found, or a form that is a date only there (`2018`, `24年`)."""
    start, end = alone_bounds(norm)
    if len(found) == 1 and (found[0].start, found[0].end) == (start, end):
        one = found[0]
        second = replace(one.second, alone=True) if one.second else None
        return [replace(one, first=replace(one.first, alone=True), second=second)]
    parsed = parse_alone(g, norm, era) if not found or found[0].end - found[0].start < end - start else None
    return [TimeExpression(text[start:end], start, end, parsed[2])] if parsed else found
