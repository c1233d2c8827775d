"""What a time expression states (`Expr`), Chinese numerals and the day suffixes.

Shared by the grammar (`pipeline.date_grammar`), the relative and calendar forms
(`pipeline.date_forms`) and the resolver (`pipeline.dates`). The knowledge is in
`resources/dates.yaml`.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace

from pipeline.resources import load_yaml

DATA: dict = load_yaml("dates.yaml")

FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
CN_DIGIT = "〇零○Ｏ一二三四五六七八九"
# Every character a Chinese numeral may hold, tens and hundreds included.
CN_NUMERAL = CN_DIGIT + "".join(DATA["tens_numerals"]) + DATA["hundreds_numeral"]


def alternation(words: list[str] | dict) -> str:
    """A regex alternative of the words, longest first, each escaped."""
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


PART_OF_DAY = re.compile(rf"(?:{alternation(DATA['parts_of_day'])})")
CLOCK = re.compile(r"\d{1,2}[:：]\d{2}(?:[:：]\d{2})?")  # attached: a stamp's spaced clock is not part of it
CLOCK_CN = re.compile(r"(?:[01]?\d|2[0-4]|[一二三四五六七八九十两]{1,3})\s*[点时](?:\s*(?:[0-5]?\d|[一二三四五六七八九十]{1,3})\s*分|半)?")


def _small_number(text: str) -> int:
    """0-99 in Chinese numerals: 十二, 二十一, 三十, 廿八, 卅五, or digit by digit (二〇)."""
    digits, tens_marks = DATA["numerals"], DATA["tens_numerals"]
    for mark, tens in tens_marks.items():
        head, found, units = text.partition(mark)
        if found:
            return 10 * tens * (digits[head] if head else 1) + (digits[units] if units else 0)
    return int("".join(str(digits[c]) for c in text)) if text else 0


def cn_number(text: str) -> int:
    """Arabic or Chinese numerals: 2023, 二〇二三, 十二, 二十一, 三十, 廿八, 一百一十三."""
    text = text.translate(FULLWIDTH_DIGITS)
    if text.isdigit():
        return int(text)
    hundreds, found, rest = text.partition(DATA["hundreds_numeral"])
    if found:
        units_only = rest[:1] in ("零", "〇")  # 一百零五 = 105, but 一百一 = 110
        rest = rest.lstrip("零〇")
        tens = _small_number(rest) if rest else 0
        if len(rest) == 1 and rest not in DATA["tens_numerals"] and not units_only:
            tens *= 10
        return DATA["numerals"][hundreds or "一"] * 100 + tens
    return _small_number(text)


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
    days: tuple[int, int | str] | None = None  # part of a month
    # Counted from the day of writing (今天, 昨（15）日): days from the reference date.
    reference_offset: int | None = None
    lunar: tuple[int, int] | None = None  # a lunar (month, day)
    weekday: int | None = None  # 0 = Monday
    week_offset: int | None = None  # weeks from the week of writing (本周 0, 上周 -1)
    granularity: str | None = None

    def inherit(self, first: "Expr", start: dt.date) -> "Expr":
        """Fill the fields a range's second side leaves out from the first side's resolution."""
        filled = self
        if self.year is None and self.year_offset is None and (first.year is not None or first.year_offset is not None
                                                               or self.month is not None or self.day is not None):
            filled = replace(filled, year=start.year)
        if self.month is None and self.month_offset is None and self.day is not None:
            filled = replace(filled, month=start.month)
        return filled


# The weekday a notice adds in brackets after a day (`7月27日（星期一）`): part of the expression.
WEEKDAY_NOTE = re.compile(rf"[ \t]*[（(][ \t]*(?:{alternation(DATA['week_words'])})[{''.join(DATA['weekdays'])}][ \t]*[）)]")
# A clock range within the day (`13:00至18:00`, `3:00-4:00`): the day stays the interval.
CLOCK_RANGE_END = re.compile(rf"[ \t]*(?:{alternation(DATA['range_connectors'])})[ \t]*(?:{CLOCK.pattern})")


def day_suffix(text: str, pos: int, expr: Expr) -> tuple[int, Expr]:
    """A bracketed weekday, clock times and parts of the day keep the day but refine the granularity."""
    match = WEEKDAY_NOTE.match(text, pos)
    if match:
        pos = match.end()
    match = PART_OF_DAY.match(text, pos)
    if match:
        pos, expr = match.end(), replace(expr, granularity="part_of_day")
    match = CLOCK_CN.match(text, pos) or CLOCK.match(text, pos)
    if match:
        pos, expr = match.end(), replace(expr, granularity="time")
        tail = CLOCK_RANGE_END.match(text, pos) if match.re is CLOCK else None
        if tail:
            pos = tail.end()
    return pos, expr
