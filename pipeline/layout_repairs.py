"""Layout repairs of stage 1: a web page's furniture (menus, footers), page numbers and running
headers, lines hard-wrapped by a page layout or broken by OCR, and OCR's spaces inside words."""
from __future__ import annotations

import re
from collections import Counter

from pipeline.knowledge import Knowledge, per_knowledge
from pipeline.mentions import HAN_EXTENDED as HAN
from pipeline.traced import Traced

# Characters that end a sentence or clause: a line ending in one is complete.
CLAUSE_END = "。！？!?；;：:」』”\"）)》】…"


def ocr_spacing(traced: Traced) -> Traced:
    """Remove spaces OCR put inside words: between Han characters and before 年/月/日."""
    han_or_punct = rf"[{HAN}，。、；：！？“”（）《》]"
    result = traced.sub(rf"(?<={han_or_punct})[ \t]+(?={han_or_punct})", "", name="ocr_spacing")
    return result.sub(r"(?<=\d)[ \t]+(?=[年月日号])", "", name="ocr_spacing")


# What starts a new entry, list item or header on a line (so the line before it is not continued).
NEW_ENTRY = (r"(?:[-•·]\s|\d{1,2}\s*[日月]|\d{1,2}\s*[—–\-]\s*\d{1,2}\s*日|同日|当天|[一二三四五六七八九十]+、|\d+[、.．]"
             r"|[一二三四五六七八九十]{1,3}\s*月[ \t]*(?=\n|$)|[（(](?:\d{1,3}|[一二三四五六七八九十]{1,3})[)）])")


def join_broken_lines(traced: Traced) -> Traced:
    """Join lines that OCR broke inside a sentence (only in OCR'd documents).

    A line is joined to the next non-blank line when it does not end a clause
    and the next line does not start a new entry, list item or header.
    """
    pattern = rf"(?<=[^\n{re.escape(CLAUSE_END)}])\n(?:[ \t]*\n)*(?!\s*{NEW_ENTRY})(?=[{HAN}])"
    return traced.sub(pattern, "", name="line_breaks")


# A printed page's number on its own line: `— 3 —`, `·56·`, `- 12 -`, `第3页` (a bare number is not: it may be a day).
PAGE_NUMBER = r"[-—–·•]+[ \t]*\d{1,4}[ \t]*[-—–·•]+|第[ \t]*\d{1,4}[ \t]*页(?:[ \t]*[/，,共][^\n]{0,8})?"


def remove_page_furniture(traced: Traced) -> Traced:
    """Drop page numbers, and running headers printed beside them (`…年鉴·2021` above `· 412 ·`), which
    PDF copies and OCR leave inside the flow; a sentence they cut is joined again."""
    lines = [line.strip() for line in traced.text.split("\n")]
    page = re.compile(PAGE_NUMBER)
    beside_page = {lines[i + step] for i, line in enumerate(lines) if page.fullmatch(line)
                   for step in (-1, 1) if 0 <= i + step < len(lines)}
    counts = Counter(lines)
    running = sorted(line for line in beside_page if line and len(line) <= 30 and counts[line] >= 2
                     and not any(mark in line for mark in "。！？；"))
    furniture = "|".join([PAGE_NUMBER] + [re.escape(line) for line in running])
    line = rf"[ \t]*(?:{furniture})[ \t]*\n"
    cut = rf"(?<=[^\s{re.escape(CLAUSE_END)}])[ \t]*\n(?:[ \t]*\n|{line})*?{line}(?:[ \t]*\n)*[ \t]*(?=[{HAN}“（])"
    result = traced.sub(cut, "", name="page_furniture")
    # Only later copies of a running header go: its first line may be the document's title.
    first = {text: result.text.find(text) for text in running}
    return result.sub(rf"(?m)^[ \t]*(?:{furniture})[ \t]*(?:\n|$)",
                      lambda m: m.group(0) if first.get(m.group(0).strip(), -1) == m.start() else "",
                      name="page_furniture")


def wrap_width(text: str, min_full: int = 6) -> int | None:
    """The width a hard-wrapped document (copied from a PDF) breaks its lines at, or None.

    Most prose lines then have one length (give or take a wide-character
    difference or two) and do not end a clause. `min_full` full lines make the
    evidence; fewer will do for text known to come from a page layout.
    """
    lengths = [len(line.strip()) for line in text.split("\n") if len(line.strip()) >= 15]
    if len(lengths) < min_full:
        return None
    counts = Counter(lengths)
    width = max(counts, key=lambda n: (counts[n - 1] + counts[n] + counts[n + 1], n))
    full = [line.strip() for line in text.split("\n") if width - 3 <= len(line.strip()) <= width + 1]
    open_ended = sum(1 for line in full if line[-1] not in CLAUSE_END)
    return width if len(full) >= min_full and len(full) * 10 >= len(lengths) * 4 and open_ended * 2 >= len(full) else None


def join_wrapped_lines(traced: Traced, min_full: int = 6) -> Traced:
    """In a hard-wrapped document, join each full line that does not end a clause to the next line."""
    width = wrap_width(traced.text, min_full)
    if width is None:
        return traced

    def join(match: re.Match[str]) -> str:
        line_start = match.string.rfind("\n", 0, match.start()) + 1
        return "" if len(match.string[line_start:match.start()].strip()) >= width - 3 else match.group(0)
    return traced.sub(rf"(?<=[^\n{re.escape(CLAUSE_END)}])\n(?!\s*{NEW_ENTRY})(?=[{HAN}“（，。、；：])", join,
                      name="line_breaks")


FURNITURE_MAX = 80
FULL_DATE = re.compile(r"(?:19|20)\d{2}\s*(?:年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|[-/.]\d{1,2}[-/.]\d{1,2})")


@per_knowledge
def _boilerplate(knowledge: Knowledge) -> tuple[re.Pattern[str], int, int, re.Pattern[str]]:
    data = knowledge.yaml("boilerplate.yaml")
    item = rf"[^\s。，；！？,;]{{1,{data['menu_item_chars']}}}"
    menu = re.compile(rf"(?:{item}[ \t\u3000]+){{{data['menu_items'] - 1},}}{item}")
    return (re.compile("|".join(f"(?:{p})" for p in data["patterns"])), data["min_hits"], data["keep_near_article"],
            menu)


def _is_article_line(line: str) -> bool:
    return len(line) >= 60 or (len(line) >= 20 and any(p in line for p in "。！？；"))


def _extend(edge: int, step: int, furniture: list[bool], stamps: list[bool], near: int) -> int:
    """The article's first (step -1) or last (step 1) line after taking up to `near` short lines beside it,
    stopping at furniture; one furniture line is passed over when a stamp lies beyond it (a toolbar
    `【字体：大 中 小】【打印本页】` between the article and its `发布时间：…` line)."""
    i = edge
    for _ in range(near):
        j = i + step
        if 0 <= j + step < len(furniture) and furniture[j] and stamps[j + step] and not furniture[j + step]:
            j += step
        if not 0 <= j < len(furniture) or furniture[j]:
            break
        i = j
    return i


def _is_menu(line: str, menu_line: re.Pattern[str]) -> bool:
    """A line of short items set apart by spaces (`首页 商会概况 新闻动态 …`); a line OCR spaced character by
    character (`某 市 总 工 会`) has that shape too, but its items are mostly single characters."""
    if not menu_line.fullmatch(line):
        return False
    items = line.split()
    return sum(len(item) == 1 for item in items) * 2 < len(items)


def remove_boilerplate(traced: Traced, knowledge: Knowledge) -> Traced:
    """Keep the article of a web page; drop menus, link lists, login boxes and footers.

    The article runs from the first to the last long prose line, extended by up
    to `keep_near_article` short lines on each side (title, stamp, source,
    signature); furniture inside is dropped.
    """
    furniture_pattern, min_hits, near, menu_line = _boilerplate(knowledge)
    lines = [(m.start(), m.end(), m.group(0).strip()) for m in re.finditer(r"[^\n]*", traced.text)]
    # Lines of marks alone (`|`, `——`) say nothing: they neither count as lines near the article nor stay.
    lines = [ln for ln in lines if re.search(r"\w", ln[2])]
    # Furniture is not a sentence, and is short or full of furniture words (a contact footer);
    # a news line that mentions 电话 once is not furniture.
    # A line with a full date is the article's stamp (`作者：… 日期：2023年4月12日 浏览次数：356`), kept.
    furniture = [not text.endswith(("。", "！", "？")) and not FULL_DATE.search(text) and
                 len(furniture_pattern.findall(text)) >= (1 if len(text) <= FURNITURE_MAX else 2)
                 for _, _, text in lines]
    menus = [_is_menu(text, menu_line) for _, _, text in lines]
    article = [i for i, (_, _, text) in enumerate(lines)
               if _is_article_line(text) and not furniture[i] and not menus[i]]
    if sum(furniture) + sum(menus) < min_hits or not article:
        return traced
    edges = [flag or menu for flag, menu in zip(furniture, menus)]
    stamps = [bool(FULL_DATE.search(text)) for _, _, text in lines]
    first = _extend(article[0], -1, edges, stamps, near)
    last = _extend(article[-1], 1, edges, stamps, near)
    keep = [lines[i] for i in range(first, last + 1) if not furniture[i]]
    return traced.keep_ranges([(s, e) for s, e, _ in keep], separator="\n\n", name="boilerplate")


def looks_ocr_spaced(text: str, knowledge: Knowledge) -> bool:
    """True when spaces between Han characters are frequent (an OCR'd page); a web page's menu, its items
    set apart by spaces, says nothing of that."""
    menu_line = _boilerplate(knowledge)[3]
    han_pairs = sum(len(re.findall(rf"[{HAN}][ \t]+[{HAN}]", line)) for line in text.split("\n")
                    if not _is_menu(line.strip(), menu_line))
    return han_pairs >= 5 and han_pairs * 200 >= len(text)
