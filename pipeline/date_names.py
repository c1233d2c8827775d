"""Which time expressions are part of a name, not a date (part of stage 3): what lies inside quotes or a
title (`“…”`, `《…》`), a year or festival that qualifies a name (`2023年会员大会`, `五一劳动奖章`) and a
festival inside a person's name (`邹国庆`)."""
from __future__ import annotations

import bisect
import re

from pipeline.date_expr import Expr
from pipeline.date_patterns import CN_DIGIT, DateGrammar

QUOTES = re.compile(r"“[^”\n]*”|\"[^\"\n]*\"|「[^」\n]*」|『[^』\n]*』|《[^》\n]*》")


def quoted_spans(text: str) -> list[tuple[int, int]]:
    """The quoted and titled spans of a text (`“…”`, `《…》`), in order and apart."""
    return [m.span() for m in QUOTES.finditer(text)]


def in_spans(spans: list[tuple[int, int]], position: int) -> bool:
    """Whether `position` lies in one of `spans` (ordered, apart): by bisection, since a yearbook has
    thousands of quotations and tens of thousands of dates."""
    index = bisect.bisect_right(spans, (position, float("inf"))) - 1
    return index >= 0 and spans[index][0] <= position < spans[index][1]


def qualifies_a_name(g: DateGrammar, text: str, end: int, expr: Expr, second: Expr | None) -> bool:
    """A year, century or festival on its own followed by a name (`2023年会员大会`, `21世纪经济报道`,
    `五一劳动奖`) is part of it."""
    year_only = (expr.year is not None and expr.month is None and expr.day is None and expr.months is None
                 and expr.festival is None and expr.lunar is None and (second is None or second.month is None)) \
        or (expr.years is not None and second is None)  # a century or decade too: `21世纪经济报道`
    festival_only = expr.festival is not None and expr.year is None and expr.year_offset is None
    standalone_part = expr.year is None and expr.year_offset is None and expr.month is None and (
        expr.months is not None or expr.days is not None)
    # A month without its day right before a work noun names the period of that work (`9-11月份总结会`).
    month_only = expr.month is not None and expr.day is None and expr.days is None and (
        second is None or second.day is None)
    if month_only and any(text.startswith(noun, end) for noun in g.data["month_qualified_nouns"]):
        return True
    if standalone_part:
        return any(text.startswith(noun, end) for noun in g.data["part_qualified_nouns"])
    relative_year_only = expr.year_offset is not None and expr.month is None and expr.months is None \
        and expr.festival is None and second is None
    if (year_only or relative_year_only) and text.startswith("的", end):
        return any(text.startswith(noun, end + 1) for noun in g.data["part_qualified_nouns"])
    if not (year_only or festival_only):
        return False
    after = text[end:end + 4]
    return bool(after) and not any(after.startswith(f) for f in g.data["year_followers"])


def inside_a_name(g: DateGrammar, text: str, start: int, end: int, expr: Expr) -> bool:
    """`邹国庆`: a festival without 节, right after a surname and not followed by `期间`…, is a given name;
    one written as a date in numerals (`八一`, `五一`) and followed by other words names something
    (`八一起义纪念馆`, `五一劳动奖章`)."""
    if not expr.festival or expr.festival.endswith("节") or text.startswith(tuple(g.data["festival_followers"]), end):
        return False
    numerals = all(char in CN_DIGIT + "十" for char in expr.festival)
    return (start > 0 and text[start - 1] in g.single_surnames) or (
        numerals and end < len(text) and (text[end].isalnum()))
