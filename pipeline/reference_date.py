"""The reference date of a document: its publication stamp, else the year its title gives, else its
dominant explicit year, with the date its file's metadata carries ranked below what the text states
(part of stage 3). Stamp lines also date the page, not what the text tells (`stamp_sentences`)."""
from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass

from pipeline.date_forms import written_in_era
from pipeline.date_grammar import find_expressions
from pipeline.date_names import in_spans, quoted_spans
from pipeline.date_patterns import DateGrammar, date_grammar
from pipeline.knowledge import Knowledge, load_knowledge
from pipeline.segment import Sentence


@dataclass(frozen=True)
class ReferenceDate:
    value: str  # YYYY-MM-DD, YYYY-MM or YYYY
    source: str  # publication_stamp | title_year | counted_occasion | dominant_year | given | page_metadata | pdf_metadata | docx_metadata

    @property
    def year(self) -> int:
        return int(self.value[:4])

    @property
    def month(self) -> int | None:
        return int(self.value[5:7]) if len(self.value) >= 7 else None

    @property
    def day(self) -> dt.date | None:
        return dt.date.fromisoformat(self.value) if len(self.value) == 10 else None

    def as_json(self) -> dict:
        return {"value": self.value, "source": self.source}


# Reference dates that name the day of writing, not a year the text is about.
CLOCKED_STAMP = re.compile(r"(?<!\d)(?P<y>(?:19|20)\d{2})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})[ \t]+\d{1,2}:\d{2}")
DAY_SOURCES = ("publication_stamp", "given", "page_metadata", "pdf_metadata", "docx_metadata")
STAMP_WINDOW = 4  # sentences at the top or bottom of a document searched for a stamp
# ... and at the top, for one with a stamp marker (`时间：…`), past a page's furniture lines (title, column,
# author, address)
MARKED_STAMP_WINDOW = 10


def _stamp_in(g: DateGrammar, text: str, marked_only: bool = False, era: bool = False) -> dt.date | None:
    """A day-level date in a short line that carries a stamp marker or nothing else, or with its weekday
    outside a sentence (`marked_only`: a line with a marker; `era`: the document counts its years in the era)."""
    stripped = text.strip()
    if marked_only and not g.stamp_marker.search(stripped):
        return None
    for expr in find_expressions(g, stripped, era=era):
        first = expr.first
        if first.year is None or first.month is None or first.day is None:
            continue
        rest = (stripped[:expr.start] + stripped[expr.end:]).strip()
        marker = any(m in stripped for m in g.data["stamp_markers"])
        clock_only = re.fullmatch(r"[\d:：\s]*", rest) is not None
        sentence = stripped.endswith(("。", "！", "？"))
        short_line = len(stripped) <= 30 and not sentence
        # A full date with its weekday outside a sentence is a masthead's (`2019年11月14日 星期四`).
        masthead = not sentence and g.weekday_note.search(stripped, expr.start, expr.end) is not None
        if marker or clock_only or short_line or masthead:
            try:
                return dt.date(first.year, first.month, first.day)
            except ValueError:
                return None
    return None


def stamp_sentences(g: DateGrammar, text: str, sentences: list[Sentence], edges: tuple[bool, bool]) -> set[int]:
    """Publication-stamp lines (a marker such as 发布时间, or a numeric date and clock alone): they date
    the page, not what its text tells, so they set no context for the dates after them. `edges`: whether
    the text's top and bottom are the document's (not where a piece of a long one was cut)."""
    found = set()
    top, bottom = edges
    for sentence in (sentences[:STAMP_WINDOW] if top else []) + (sentences[-STAMP_WINDOW:] if bottom else []):
        line = text[sentence.start:sentence.end].strip()
        marked = g.stamp_marker.search(line) or re.fullmatch(r"[\d\s/.:：年月日号-]+", line)
        if marked and _stamp_in(g, line):
            found.add(sentence.sentence_id)
    for sentence in sentences[STAMP_WINDOW:MARKED_STAMP_WINDOW] if top else []:
        if _stamp_in(g, text[sentence.start:sentence.end], marked_only=True):
            found.add(sentence.sentence_id)
    return found


def find_reference_date(text: str, sentences: list[Sentence], metadata: dict | None = None,
                        knowledge: Knowledge | None = None) -> ReferenceDate | None:
    """Publication stamp, then title year, then the dominant explicit year. The date a file's metadata
    carries (`metadata`: {"value", "source"}) ranks below what the text states: it refines a year the text
    gives when it falls in that year, and stands alone only when the text gives none. `knowledge`: the
    document's (default: the base pack's)."""
    g = date_grammar(knowledge or load_knowledge())
    edge = [(s, False) for s in sentences[:STAMP_WINDOW] + sentences[-STAMP_WINDOW:]] + \
        [(s, True) for s in sentences[STAMP_WINDOW:MARKED_STAMP_WINDOW]]
    era = written_in_era(g, text)
    for sentence, marked_only in edge:
        stamp = _stamp_in(g, text[sentence.start:sentence.end], marked_only, era)
        if stamp:
            return ReferenceDate(stamp.isoformat(), "publication_stamp")
    clocked = CLOCKED_STAMP.search(text)  # `2017-05-21 23:55` anywhere: a page's stamp, whatever surrounds it
    if clocked:
        try:
            return ReferenceDate(dt.date(*map(int, clocked.group("y", "m", "d"))).isoformat(), "publication_stamp")
        except ValueError:
            pass
    from_metadata = ReferenceDate(metadata["value"], metadata["source"]) if metadata else None
    stated = _stated_year(g, text, sentences)
    if stated and from_metadata and from_metadata.year == stated.year:
        return from_metadata
    return stated or from_metadata


def _stated_year(g: DateGrammar, text: str, sentences: list[Sentence]) -> ReferenceDate | None:
    for line in sentences[:2]:
        book = g.yearbook_year.search(text, line.start, line.end)
        if book:
            year = int(book["y"] or book["z"]) - g.data["yearbook_years_before"]
            return ReferenceDate(f"{year:04d}", "title_year")
    for title in (s for s in sentences[:2] if s.kind == "title"):
        for expr in find_expressions(g, text[title.start:title.end], keep_name_years=True):
            if expr.first.year:
                return ReferenceDate(f"{expr.first.year:04d}", "title_year")
    quoted, era = quoted_spans(text), written_in_era(g, text)
    counted = _counted_occasion_year(g, text)
    if counted and not any(e.first.year for e in find_expressions(g, text, era=era) if not in_spans(quoted, e.start)):
        return ReferenceDate(f"{counted:04d}", "counted_occasion")
    years = Counter(e.first.year for e in find_expressions(g, text, keep_name_years=True, era=era)
                    if e.first.year and not in_spans(quoted, e.start))
    # No year stated: the one written before the names of its events (`2023第十三届…大会`), else one named in the
    # sixty-year cycle (`「甲辰年新春联欢晚会」`, in quotes too).
    years = years or Counter(int(m["y"]) for m in g.name_year.finditer(text) if not in_spans(quoted, m.start())) \
        or Counter(year for m in g.cycle_year.finditer(text) if (year := g.cycle_year_of(m)))
    if years:
        year, _ = max(years.items(), key=lambda kv: (kv[1], kv[0]))
        return ReferenceDate(f"{year:04d}", "dominant_year")
    return None


def _counted_occasion_year(g: DateGrammar, text: str) -> int | None:
    """The year of the first occasion the text counts from a known year (`第113个“三八”国际妇女节`: 2023)."""
    match = g.counted_occasion.search(text)
    if not match:
        return None
    return g.data["counted_occasions"][match["a"] or match["b"]] + g.number(match["n"] or match["m"])


def title_years(g: DateGrammar, text: str, sentences: list[Sentence]) -> frozenset[int]:
    """Where a title's own year starts: at the title's start, or before a genre word (`…2021年大事记`)."""
    genres = g.title_year_genres
    found = set()
    for title in (s for s in sentences if s.kind in ("title", "header")):
        found.add(title.start)
        for match in re.finditer(rf"(?:\d{{4}}|[〇零○一二三四五六七八九]{{4}})\s*年(?={genres})", text[title.start:title.end]):
            found.add(title.start + match.start())
    return frozenset(found)
