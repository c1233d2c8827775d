"""The date each sentence reports: what its events take as `when` (the document's time model, part of
the date stage; `pipeline.events` only reads it).

A sentence's own date places it; else its list entry's, its paragraph's, or, in a news report's opening
section, the day last reported. Vague times (`近日`) place nothing, and a year inside a sentence dates a
figure, not the act told. The words are the knowledge's `dates.yaml`.
"""
from __future__ import annotations

import re

from pipeline.date_patterns import DateGrammar, date_grammar
from pipeline.dates import DateMention
from pipeline.knowledge import Knowledge
from pipeline.mentions import HAN
from pipeline.notice import Signature
from pipeline.segment import Sentence, opens_at

DAY_GRANULARITIES = ("day", "part_of_day", "time")
COARSE = ("year", "quarter", "season", "week")
SECTION_TITLE_CHARS = 6  # a header this short is a section's title (`工作报告`); a longer one may be a caption
# What may stand before a date that places its sentence: a list number and 在 (`在2016年，…`), or the act
# right before 于 (`成立于1986年`).
OPENING = re.compile(r"\s*(?:【[^】\n]{1,30}】)?\s*(?:\d{1,2}[.．、]|[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]{1,2}[）)])?\s*在?|.*于")


def _heads_a_section(g: DateGrammar, line: str) -> bool:
    """A header line that ends a report's opening section: a numbered heading, one ending with a colon, or a
    short title (`工作报告`); not a caption (`会长致辞`) or page furniture inside the report."""
    han = len(re.findall(f"[{HAN}]", line))
    numbered = re.match(r"\s*(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[)）]|\d{1,2}[、.．])", line)
    return han >= 2 and not g.furniture_line.search(line) and (
        bool(numbered) or line.rstrip().endswith(("：", ":")) or han <= SECTION_TITLE_CHARS)


def _own_dates(g: DateGrammar, text: str, sentences: list[Sentence],
               dates: list[DateMention]) -> tuple[dict[int, DateMention], dict[int, tuple[int, DateMention]]]:
    """Each sentence's first date, but for titles, headers and publication stamps, which place the
    document, not its events; and, for a sentence reporting what someone said with a date in it
    (`会长说，去年5月商会曾赴…考察`), where what is said begins and its first date: the acts told in it take
    that date, the saying keeps the sentence's."""
    placing = {s.sentence_id for s in sentences
               if s.kind in ("title", "header") or g.marked_stamp.search(text[s.start:s.end])}
    speech = {s.sentence_id: opener.end() for s in sentences if (opener := g.speech_opener.search(text, s.start, s.end))}
    by_sentence: dict[int, DateMention] = {}
    said: dict[int, tuple[int, DateMention]] = {}
    datelines = tuple(g.data["dateline_marks"])
    for mention in dates:
        if mention.sentence_id is None or text.startswith(datelines, mention.end):
            continue  # a dateline (`…3月28日讯`) places the report, not what it tells
        start = speech.get(mention.sentence_id)
        if start is not None and mention.start >= start:
            said.setdefault(mention.sentence_id, (start, mention))
        elif mention.sentence_id not in placing:
            by_sentence.setdefault(mention.sentence_id, mention)
    return by_sentence, said


def _remember_entry_date(text: str, sentence: Sentence, entry: int, own: DateMention | None,
                         entry_date: dict[int, DateMention], entry_line: dict[int, int]) -> None:
    """The date an entry opens with covers it (`- 6日 …`); a `同日` line starts a new day; an entry whose
    line opens with a heading (`2.举办培训班。6月，…`) takes the line's first date, and each later date
    opening a sentence of that line (`…。4月26日，协会召开…`)."""
    if sentence.kind == "item":
        entry_line[entry] = sentence.paragraph
    on_line = entry_line.get(entry) == sentence.paragraph
    opens = own is not None and opens_at(text, sentence.start, own.start)
    if own and (sentence.kind == "item" or own.anchor == "same_day" or (on_line and opens) or (
            entry not in entry_date and on_line)):
        entry_date[entry] = own


def _signed(g: DateGrammar, text: str, sentence: Sentence,
            signature: Signature | None) -> tuple[DateMention | None, DateMention | None]:
    """A signed notice's date for a sentence above its signature, and the same when the sentence tells the
    notice's own act (`决定授予…`), which outranks a date its paragraph opened with."""
    signed = signature.date if signature and sentence.end <= signature.date.start else None
    return signed, signed if signed and g.notice_act.search(text, sentence.start, sentence.end) else None


def sentence_dates(text: str, sentences: list[Sentence], dates: list[DateMention], knowledge: Knowledge,
                   signature: Signature | None) -> tuple[dict[int, DateMention | None], dict[int, tuple[int, DateMention]]]:
    """The date each sentence's events take, and for a sentence reporting speech the date of what is
    said (where it begins, its date: the acts told in it take that one).

    Its own first date; else its list entry's (`- 6日 …` covers the entry's later
    sentences; `同日` paragraphs carry their own date); else the date its paragraph
    opens with; else, in the article's opening section (a news report), the most
    recent day it reported. After a section header (`述职报告`) the text is no longer one report,
    so nothing is carried across paragraphs. In a signed notice (`signature`: `pipeline.notice`) the
    signature's date takes the place of that day. Titles, headers and publication stamps place the document, not its events.
    """
    g = date_grammar(knowledge)
    by_sentence, said = _own_dates(g, text, sentences, dates)
    entry_date: dict[int, DateMention] = {}
    entry_line: dict[int, int] = {}
    paragraph_date: dict[int, DateMention] = {}
    latest_day: DateMention | None = None
    result: dict[int, DateMention | None] = {}
    opening = True
    seen_paragraphs: set[int] = set()
    vague: set[int] = set()  # paragraphs that report what happened at a vague time
    # A bulleted stamp (`• 更新日期:…`) is page furniture, not the first entry of a list.
    stamp_entries = {s.entry for s in sentences if s.kind == "item" and g.marked_stamp.search(text[s.start:s.end])}
    for sentence in sentences:
        if sentence.kind == "header" and latest_day is not None and _heads_a_section(g, text[sentence.start:sentence.end]):
            opening = False
        own = by_sentence.get(sentence.sentence_id)
        if own and own.granularity in COARSE and not OPENING.fullmatch(text, sentence.start, own.start):
            own = None  # a year inside a sentence (`恭喜今年度得奖的…`) dates a figure, not the act told
        if sentence.entry is not None and sentence.entry not in stamp_entries:
            _remember_entry_date(text, sentence, sentence.entry, own, entry_date, entry_line)
            # A later paragraph of the entry that a date of its own placed keeps that date.
            result[sentence.sentence_id] = own or paragraph_date.get(sentence.paragraph) or entry_date.get(sentence.entry)
        else:
            signed, act = _signed(g, text, sentence, signature)
            result[sentence.sentence_id] = own or act or paragraph_date.get(sentence.paragraph) or signed or (
                latest_day if opening else None)
        if own is None and g.vague_time.search(text, sentence.start, sentence.end):
            vague.add(sentence.paragraph)
        if own is None and sentence.paragraph in vague:
            result[sentence.sentence_id] = None  # `近日，…`: no day, and none borrowed
        opened = own is not None and opens_at(text, sentence.start, own.start)
        if own and (sentence.paragraph not in seen_paragraphs or opened):
            # A paragraph is placed by the date it opens with, or by a date opening one of its sentences
            # (`新时代新机遇。6月30日，…发布…。…` places what follows in it).
            paragraph_date[sentence.paragraph] = own
        seen_paragraphs.add(sentence.paragraph)
        if own and own.granularity in DAY_GRANULARITIES:
            latest_day = own
    return result, said
