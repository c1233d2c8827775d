"""Stage 3, date resolution: every time expression becomes an ISO interval.

`find_reference_date` picks the document's reference date (publication stamp,
title year, or dominant explicit year, in that order). `resolve_dates` scans
the clean text in order, keeping the context a reader keeps: the month of the
current section header, the previous date (for bare days, `同日`, `次日`), and
the reference date (for `去年`, `2月3日`). Recognition is in
`pipeline/date_grammar.py`; the knowledge (festivals, parts of months, ...) is
in `resources/dates.yaml`.
"""
from __future__ import annotations

import bisect
import calendar
import datetime as dt
import re
from dataclasses import dataclass, fields, replace

from pipeline.date_counts import resolve_count, shifts_forward, short_year_of
from pipeline.date_expr import Expr
from pipeline.date_forms import calendar_interval, nth_weekday, resolve_form, written_in_era
from pipeline.date_grammar import (
    TimeExpression,
    find_expressions,
)
from pipeline.date_patterns import CLOCK, DateGrammar, date_grammar
from pipeline.knowledge import Knowledge, load_knowledge
from pipeline.reference_date import DAY_SOURCES, ReferenceDate, stamp_sentences, title_years
from pipeline.segment import Sentence, opens_at

# A year (or a part of one) alone keeps no context (`今年…，并计划于今年5月…，下半年…`), so the next
# date of its sentence may place what follows.
UNPLACING = ("year", "quarter", "season", "week")


@dataclass(frozen=True)
class DateMention:
    text: str
    start: int
    end: int
    value_start: dt.date
    value_end: dt.date
    granularity: str
    anchor: str
    sentence_id: int | None = None

    def as_dict(self) -> dict:
        return {"text": self.text, "start": self.start, "end": self.end,
                "value_start": self.value_start.isoformat(), "value_end": self.value_end.isoformat(),
                "granularity": self.granularity, "anchor": self.anchor, "sentence_id": self.sentence_id}

    @classmethod
    def from_dict(cls, row: dict) -> "DateMention":
        return cls(row["text"], row["start"], row["end"], dt.date.fromisoformat(row["value_start"]),
                   dt.date.fromisoformat(row["value_end"]), row["granularity"], row["anchor"], row["sentence_id"])


def _without_clock(mention: DateMention) -> DateMention:
    clock = CLOCK.search(mention.text)
    if not clock or clock.end() != len(mention.text):
        return mention
    text = mention.text[:clock.start()].rstrip()
    return replace(mention, text=text, end=mention.start + len(text), granularity="day")


# --------------------------------------------------------------------------- resolution

@dataclass
class Context:
    """What a reader remembers while reading: the current month and the previous date."""
    reference: ReferenceDate | None
    year: int | None = None
    month: int | None = None
    month_source: str = "previous_date"
    year_source: str = "previous_date"
    previous: tuple[dt.date, dt.date] | None = None
    span: tuple[dt.date, dt.date] | None = None  # the last span of several days (for 首日)


def _last_day(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def _month_shift(year: int, month: int, offset: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + offset
    return index // 12, index % 12 + 1


def _reference_anchor(reference: ReferenceDate) -> str:
    return "reference_date" if reference.source in DAY_SOURCES else "document_year"


def _year_of(g: DateGrammar, expr: Expr, ctx: Context, anchors: list[str]) -> int | None:
    if expr.year is not None:
        return expr.year
    if expr.short_year is not None:  # `15年3月`: the century of the day of writing, else of the year told
        base = ctx.reference.year if ctx.reference else ctx.year
        return short_year_of(g, expr.short_year, base) if base is not None else None
    if expr.year_offset is not None:
        base = ctx.year if expr.same_year and ctx.year is not None else (ctx.reference.year if ctx.reference else ctx.year)
        if base is None:
            return None
        anchors.append("relative")
        return base + expr.year_offset
    if ctx.year is not None:
        anchors.append(ctx.year_source)
        return ctx.year
    if ctx.reference:
        anchors.append(_reference_anchor(ctx.reference))
        return ctx.reference.year
    return None


def _month_of(expr: Expr, year: int, ctx: Context, anchors: list[str]) -> tuple[int, int] | None:
    """(year, month) for expressions that need a month; the year may roll with 上月/下月."""
    if expr.month is not None:
        return year, expr.month
    if expr.month_offset is not None:
        previous = (ctx.year, ctx.month) if ctx.month else None
        reference = (ctx.reference.year, ctx.reference.month) if ctx.reference and ctx.reference.month else None
        # `是月`, `月底` belong to the month being told about; `本月`, `上月` count from the day of writing.
        base = (previous or reference) if expr.same_month else (reference or previous)
        if base is None:
            return None
        anchors.append("relative")
        return _month_shift(base[0], base[1], expr.month_offset)
    if ctx.month is not None:
        anchors.append(ctx.month_source)
        return ctx.year or year, ctx.month
    if ctx.reference and ctx.reference.month:
        anchors.append(_reference_anchor(ctx.reference))
        return ctx.reference.year, ctx.reference.month
    return None


def _span_month(expr: Expr, ctx: Context, anchors: list[str]) -> tuple[int, int] | None:
    """A bare day inside the span of days the text reported last (`11月15日至16日…。10月上旬…。15日上午，…`)
    is a day of that span, not of a month mentioned in passing since."""
    span = ctx.span
    if expr.day is None or expr.month is not None or expr.month_offset is not None or expr.year is not None \
            or span is None or (span[0].year, span[0].month) != (span[1].year, span[1].month) \
            or not span[0].day <= expr.day <= span[1].day:
        return None
    anchors.append("previous_date")
    return span[0].year, span[0].month


def _before_the_report(g: DateGrammar, day: dt.date, expr: Expr, ctx: Context) -> dt.date:
    """A day given without a year and placed by the report's date, long after it, was the year before
    (`12月28日` in a report dated 3 January); not one planned (`将于12月28日`), nor one alone, with no report
    around it (`pipeline.date_alone`): that is the reference year's."""
    stamp = ctx.reference.day if ctx.reference else None
    if expr.year is not None or expr.year_offset is not None or expr.short_year is not None or ctx.year is not None \
            or stamp is None or expr.planned or expr.alone \
            or (day - stamp).days <= g.data["report_lookback_days"]:
        return day
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day - dt.timedelta(days=365)


def _from_previous(expr: Expr, ctx: Context, anchors: list[str]) -> tuple[dt.date, dt.date, str] | None:
    """Days counted from the last date told (`次日`, `同日`, `7天后`, `首日`)."""
    if ctx.previous is None and (expr.planned or expr.alone) and ctx.reference and ctx.reference.day:
        # `7天后将…` before any date, or `7天后` alone: from the day of writing
        anchors.append(_reference_anchor(ctx.reference))
        return resolve_count(expr, ctx.reference.day, ctx.reference.year)
    if ctx.previous is None and expr.same_day and ctx.reference and ctx.reference.day:
        anchors.append(_reference_anchor(ctx.reference))  # `当天` opening a report: the day of writing
        return ctx.reference.day, ctx.reference.day, expr.granularity or "day"
    if ctx.previous is None:
        return None
    anchors.append("same_day" if expr.same_day else "relative")
    shift = dt.timedelta(days=expr.day_offset)
    start, end = ctx.previous
    if expr.first_day:
        first = (ctx.span or ctx.previous)[0]
        return first, first, expr.granularity or "day"
    granularity = expr.granularity or "day"
    return (start + shift, end + shift, granularity) if expr.same_day else (end + shift, end + shift, granularity)


def _interval(g: DateGrammar, expr: Expr, ctx: Context, anchors: list[str]) -> tuple[dt.date, dt.date, str] | None:
    """Resolve one side of an expression to (start, end, granularity)."""
    if expr.reference_offset is not None or expr.weekday is not None or expr.week_offset is not None:
        reference = ctx.reference.day if ctx.reference else None
        return resolve_form(expr, reference, ctx.previous[1] if ctx.previous else None, anchors)
    if expr.day_offset is not None:
        return _from_previous(expr, ctx, anchors)
    if expr.shift or expr.years or expr.quarter_offset is not None:
        previous = ctx.previous[1] if ctx.previous and expr.shift and shifts_forward(expr) else None
        anchors.append("relative" if previous or not ctx.reference else _reference_anchor(ctx.reference))
        return resolve_count(expr, ctx.reference.day if ctx.reference else None,
                             ctx.reference.year if ctx.reference else None, previous)
    year = _year_of(g, expr, ctx, anchors)
    if year is None:
        return None
    if expr.lunar or expr.festival:
        return calendar_interval(g, expr, year)
    if expr.months:  # part of a year: 年初, 第一季度, 冬季
        first, last = expr.months
        start = dt.date(year, first, 1)
        end_year, end_month = _month_shift(year, last, 0)
        return start, dt.date(end_year, end_month, _last_day(end_year, end_month)), expr.granularity
    if expr.month is None and expr.month_offset is None and expr.day is None:
        return dt.date(year, 1, 1), dt.date(year, 12, 31), "year"
    ym = _span_month(expr, ctx, anchors) or _month_of(expr, year, ctx, anchors)
    if ym is None:
        return None
    year, month = ym
    last = _last_day(year, month)
    if expr.nth_weekday is not None:
        day = nth_weekday(year, month, *expr.nth_weekday)
        return (day, day, expr.granularity or "day") if day else None
    if expr.day is not None:
        if expr.day > last:
            return None
        day = _before_the_report(g, dt.date(year, month, expr.day), expr, ctx)
        return day, day, expr.granularity or "day"
    if expr.days:
        first, end = expr.days
        end = last if end == "end" else end
        first = last + first + 1 if first < 0 else first  # the last N days
        return dt.date(year, month, first), dt.date(year, month, end), "part_of_month"
    return dt.date(year, month, 1), dt.date(year, month, last), "month"


def _remember(ctx: Context, start: dt.date, end: dt.date, granularity: str, header: bool,
              topic: bool = False) -> None:
    # A year alone sets the year when it heads a section or opens a sentence (`2023年，协会…`); inside
    # a sentence it only dates a figure (`…，2022年全省营收…`).
    if granularity not in UNPLACING or header or (topic and granularity == "year"):
        ctx.year = start.year
        ctx.year_source = "section_header" if header else "previous_date"
    if granularity in ("day", "part_of_day", "time", "part_of_month", "month"):
        ctx.year, ctx.month = start.year, start.month
        ctx.month_source = "section_header" if header else "previous_date"
    if header or (granularity in ("day", "part_of_day", "time") and ctx.span
                  and not ctx.span[0] <= start <= ctx.span[1]):
        ctx.span = None  # a new section, or a day told outside the span, ends it
    if granularity in ("day", "part_of_day", "time"):
        ctx.previous = (start, end)
        if end > start:
            ctx.span = (start, end)


def resolve_expression(g: DateGrammar, found: TimeExpression, ctx: Context, header: bool = False,
                       remember: bool = True, topic: bool = False) -> DateMention | None:
    """Resolve a recognised expression (maybe a range) against the context, then update it (unless
    not `remember`); `topic`: it opens its sentence."""
    anchors: list[str] = []
    first = _interval(g, found.first, ctx, anchors)
    if first is None:
        return None
    start, end, granularity = first
    if found.second is not None:
        # The second side inherits what it leaves out from the first (`22日至24日`).
        second_expr = found.second.inherit(found.first, start)
        second = _interval(g, second_expr, replace(ctx, year=start.year, month=start.month), [])
        if second is None or second[1] < start:
            return None
        end = second[1]
        granularity = "month" if granularity == "month" and second[2] == "month" else (
            "year" if granularity == "year" else "day" if granularity in ("day", "part_of_day", "time") else granularity)
    if remember:
        _remember(ctx, start, end, granularity, header, topic)
    return DateMention(found.text, found.start, found.end, start, end, granularity, anchors[0] if anchors else "explicit")


def resolve_dates(text: str, sentences: list[Sentence], reference: ReferenceDate | None,
                  context: Context | None = None, edges: tuple[bool, bool] = (True, True),
                  knowledge: Knowledge | None = None) -> list[DateMention]:
    """All time expressions of a document, resolved in reading order. For a piece of a long document,
    `context` is the reading context to start from, left as the piece ends it, and `edges` say whether
    its top and bottom are the document's. `knowledge`: the document's (default: the base pack's).

    The first date of a sentence (or of a list entry's line) places what follows; a later one in it
    (`4月16日 协会发布标准，自2021年5月1日起实施`) is resolved but is no context for the next
    entries, nor what their `同日` refers to.
    """
    g = date_grammar(knowledge or load_knowledge())
    ctx = context if context is not None else Context(reference)
    mentions: list[DateMention] = []
    starts = [s.start for s in sentences]
    placed: set[tuple[str, int, int]] = set()
    entry_lines = {s.entry: s.paragraph for s in reversed(sentences) if s.entry is not None}
    stamps = stamp_sentences(g, text, sentences, edges)
    own_years = title_years(g, text, sentences)
    planned: tuple[Context, int] | None = None  # the context before a plan's year, and the plan's paragraph
    for found in find_expressions(g, text, keep_at=own_years, era=written_in_era(g, text)):
        index = bisect.bisect_right(starts, found.start) - 1
        sentence = sentences[index] if index >= 0 and found.start < sentences[index].end else None
        # A short header, or a title's own year (`2011年…十大事件`), sets the year of what follows it.
        header = sentence is not None and sentence.kind in ("header", "title") and (
            sentence.end - sentence.start <= 12 or (sentence.kind == "title" and found.start in own_years))
        key = _placing_key(sentence, entry_lines)
        looking_back = sentence is not None and text.startswith(tuple(g.data["flashback_words"]), sentence.start)
        opens = sentence is not None and opens_at(text, sentence.start, found.start)
        # A year opening a plan (`2021年，商会将…`) names the year planned for: it places its own paragraph
        # only, and what the text tells after it goes back to the year told before.
        if planned is not None and (sentence is None or sentence.paragraph != planned[1]):
            ctx, planned = planned[0], None
        if opens and found.first.year is not None and g.plan_ahead.match(text, found.end):
            planned = (replace(ctx), sentence.paragraph)
        # A date opening its own sentence places what follows, even on a line another date placed.
        stamp = sentence is not None and sentence.sentence_id in stamps
        remember = not stamp and (header or ((key not in placed or opens) and not looking_back))
        mention = _resolve_in_place(g, text, found, ctx, header, remember, opens)
        if mention and stamp:
            mention = _without_clock(mention)  # a stamp is tagged without its time (`2023年07月24日09:02`)
        if mention:
            if mention.granularity not in UNPLACING:
                placed.add(key)
            mentions.append(replace(mention, sentence_id=sentence.sentence_id if sentence else None))
    if context is not None and ctx is not context:  # a plan's year gave way to a copy made before it
        for name in (f.name for f in fields(Context)):
            setattr(context, name, getattr(ctx, name))
    return _explained_days(text, mentions)


def _explained_days(text: str, mentions: list[DateMention]) -> list[DateMention]:
    """A day counted from the day of writing and the date it is, in brackets right after it (`今日（3月12日）`,
    `昨天(5月8日)`): the writer's own date wins over the page's stamp."""
    explained = list(mentions)
    for i, (deictic, given) in enumerate(zip(mentions, mentions[1:])):
        if deictic.anchor == "reference_date" and deictic.granularity == "day" and given.anchor != "reference_date" \
                and given.granularity == "day" and re.fullmatch(r"\s*[（(]\s*", text[deictic.end:given.start]) \
                and re.match(r"\s*[)）]", text[given.end:given.end + 3]):
            explained[i] = replace(deictic, value_start=given.value_start, value_end=given.value_end)
    return explained


def _placing_key(sentence: Sentence | None, entry_lines: dict[int, int]) -> tuple[str, int, int]:
    """What a date places: an entry's own line is placed by its first date (`2.举办培训班。6月，…`); the
    paragraphs after it, like any prose, sentence by sentence."""
    if sentence and sentence.entry is not None and entry_lines[sentence.entry] == sentence.paragraph:
        return "entry", sentence.entry, sentence.paragraph
    return "sentence", sentence.sentence_id if sentence else -1, 0


def _resolve_in_place(g: DateGrammar, text: str, found: TimeExpression, ctx: Context, header: bool,
                      remember: bool, opens: bool) -> DateMention | None:
    """A planned event (`拟定于11月中旬召开`) is dated from the day of writing, not the last date told, and lies
    ahead of it (`将于12月20日` in January is this December); any other expression in the reading context."""
    if found.first.year is None and \
            text[max(0, found.start - 5):found.start].rstrip().endswith(tuple(g.data["plan_markers"])):
        ahead = replace(found, first=replace(found.first, planned=True))
        return resolve_expression(g, ahead, replace(ctx, year=None, month=None, previous=None, span=None),
                                  remember=False)
    return resolve_expression(g, found, ctx, header, remember=remember, topic=opens)
