"""Stage 2a, segmentation into sentences, list items, headers and a title.

Chronicles (大事记) and association reports are lists: numbered items
(`1、`), bulleted entries (`- 6日`), day-led entries (`22 日 …`, `同日，…`, `中旬 …`) under
month headers (`1月`). Each entry may hold several sentences; `entry` ties
them together so a date at the start of an entry covers all of them.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.knowledge import Knowledge, alternation, load_knowledge
from pipeline.mentions import HAN

# A yearbook entry's heading in 【】 before its text (`【区总工会全委会】 于11月13日召开`): what follows still opens it.
ENTRY_HEADING = re.compile(r"\s*(?:【[^】\n]{1,30}】\s*)?")
SENTENCE_END = re.compile(r"[^。！？!?；;\n]*(?:[。！？!?；;]+[”’」』)）]*|\n|$)")
MONTH_HEADER = re.compile(r"^\s*(?:\d{1,2}|[一二三四五六七八九十]{1,3})\s*月(?:份)?\s*$")
# A line holding only a month and day (or a span of days), with no year: a chronicle's entry date, set above
# the entry's text (`9月3日` / `市友协会长会见…`). It opens an entry, like `8月30日至9月2日` on its own line.
_CN_NUM = "[一二三四五六七八九十廿卅]{1,3}"
_MONTH_DAY = rf"(?:\d{{1,2}}|{_CN_NUM})\s*月\s*(?:\d{{1,2}}|{_CN_NUM})\s*[日号]"
DATE_LINE = re.compile(rf"^\s*{_MONTH_DAY}(?:\s*[—–\-~至到]\s*(?:{_MONTH_DAY}|(?:\d{{1,2}}|{_CN_NUM})\s*[日号]))?\s*$")
CLAUSE_END = "。！？!?；;：:”」』）)"


@dataclass(frozen=True)
class LinePatterns:
    """The patterns of list lines that come from the knowledge: entry words and post titles."""
    item_start: re.Pattern[str]
    title_field: re.Pattern[str]  # a form's field (`副会长：李明、王平`)
    list_line: re.Pattern[str]  # a line that introduces a list, or a form's field: text, not a heading


def line_patterns(knowledge: Knowledge) -> LinePatterns:
    return knowledge.derived(_line_patterns)


def _line_patterns(knowledge: Knowledge) -> LinePatterns:
    dates = knowledge.yaml("dates.yaml")
    # Words that open a chronicle entry on their own: a day (`同日`), a part of the month (`中旬`) or the
    # month itself (`是月`).
    entry_words = (set(dates["same_day"]) | (set(dates["standalone_parts"]) & set(dates["parts_of_month"]))
                   | {word for word, offset in dates["relative_months"].items() if offset == 0})
    item_start = re.compile(
        r"^\s*(?:[-•·●▪]\s*|\d{1,3}\s*、|\d{1,3}[.．](?:(?!\d)|(?=\d{1,2}\s*月))|[（(](?:\d{1,3}|[一二三四五六七八九十]{1,3})[)）]\s*"
        r"|[一二三四五六七八九十]+\s*、\s*"
        r"|(?:(?:\d{1,2}\s*月\s*)?\d{1,2}\s*(?:[—–\-~至]\s*\d{1,2}\s*)?日|" + alternation(sorted(entry_words))
        + rf")(?=[\s，,]|[{HAN}]))")
    titles = alternation(knowledge.words("titles.txt"))
    title_field = re.compile(rf"(?P<title>(?:{titles})(?:[、兼](?:{titles}))*)\s*[:：]")
    return LinePatterns(item_start, title_field, re.compile(rf"^{title_field.pattern}|[:：]\s*$"))


@dataclass(frozen=True)
class Sentence:
    sentence_id: int
    start: int
    end: int
    kind: str  # sentence | item | header | title
    entry: int | None  # index of the list entry this sentence belongs to
    paragraph: int

    def as_row(self, doc_id: str) -> dict:
        return {"doc_id": doc_id, "sentence_id": self.sentence_id, "start": self.start,
                "end": self.end, "kind": self.kind}


# A numbered heading with no clause mark (`二、副省长会见劳模代表`), not a dated entry (`一、3月12日…`).
NUMBERED_HEADING = re.compile(r"^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[)）]|\d{1,2}[、.．])"
                              r"(?!\s*(?:\d{1,2}\s*[月日]|[一二三四五六七八九十]{1,3}月))[^，。；：,;:！？!?]{2,40}$")
# A line of headlines or menu items joined by bars (`要闻｜副省长会见劳模代表｜…`).
HEADLINE_LIST = re.compile(r"^[^。；;]{2,60}?[｜|][^。；;]{2,}$")


# A document's first line, unpunctuated and not a dated entry, is its headline (`A与B签署战略合作协议`);
# a line opening with a dash is a subtitle (`——论坛同期举办　12家企业获表彰`).
HEADLINE = re.compile(r"(?![ \t]*(?:\d{1,2}\s*[月日.、．]|\d{4}\s*(?:年\s*\d{1,2}\s*月|[-/.])|\d{1,2}\s*$|[一二三四五六七八九十]{1,3}\s*月))"
                      r"[^。！？!?；;，,]{4,60}$")
SUBTITLE = re.compile(r"^(?:——|－－|--)[^。！？!?；;]{2,60}$")


def _is_header(line: str, patterns: LinePatterns) -> bool:
    stripped = line.strip()
    if MONTH_HEADER.match(stripped) or NUMBERED_HEADING.match(stripped) or HEADLINE_LIST.match(stripped) \
            or SUBTITLE.match(stripped):
        return True
    if patterns.list_line.search(stripped):
        return False
    return len(stripped) <= 20 and not any(c in stripped for c in "。！？!?；;,，") and not patterns.item_start.match(stripped)


def segment_text(text: str, opens_document: bool = True, knowledge: Knowledge | None = None) -> list[Sentence]:
    """Split clean text into sentences, items, headers and the title (offsets into `text`). A text that
    continues a document (`opens_document=False`: a later piece of a long one) has no title. `knowledge`:
    the document's (default: the base pack's)."""
    patterns = line_patterns(knowledge or load_knowledge())
    sentences: list[Sentence] = []
    entry = -1
    in_entry = False
    paragraph = -1
    for line_match in re.finditer(r"[^\n]+", text):
        line, base = line_match.group(0), line_match.start()
        if not line.strip():
            continue
        paragraph += 1
        if opens_document and not sentences and (_is_header(line, patterns) or HEADLINE.match(line.strip())) and not MONTH_HEADER.match(line):
            kind_first = "title"
        elif DATE_LINE.match(line):
            kind_first = "item"
        elif _is_header(line, patterns):
            kind_first = "header"
        elif patterns.item_start.match(line):
            kind_first = "item"
        else:
            kind_first = "sentence"
        if kind_first == "item":
            entry += 1
            in_entry = True
        elif kind_first in ("header", "title"):
            in_entry = False
        for n, match in enumerate(SENTENCE_END.finditer(line)):
            piece = match.group(0)
            if not piece.strip("\n"):
                continue
            lead = len(piece) - len(piece.lstrip())
            start = base + match.start() + lead
            end = base + match.start() + len(piece.rstrip())
            if end <= start:
                continue
            kind = kind_first if n == 0 else "sentence"
            sentences.append(Sentence(len(sentences), start, end, kind, entry if in_entry else None, paragraph))
    return sentences


def opens_at(text: str, start: int, position: int) -> bool:
    """Whether `position` opens the sentence starting at `start` (nothing but space or an entry's 【】 heading
    before it)."""
    return ENTRY_HEADING.fullmatch(text, start, position) is not None
