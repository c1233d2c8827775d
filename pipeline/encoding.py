"""Stage 1, encoding repair: raw bytes in, clean simplified UTF-8 text out.

`repair_bytes(data)` returns a `RepairedText`: the clean text, the codec it
was decoded with, the names of the repairs that changed something, and an
offset map from every clean character back to its index in the decoded raw
text, so any entity can be found in the original file. Each repair is a small
function from `Traced` to `Traced`; knowledge (boilerplate lines, OCR
confusables, pinyin syllables) lives in `resources/`.
"""
from __future__ import annotations

import codecs
import functools
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from typing import Callable, Sequence

import ftfy
import opencc

from pipeline.markup import remove_markup
from pipeline.resources import load_yaml, words
from pipeline.traced import Traced

HAN = "\u4e00-\u9fff\u3400-\u4dbf"
# Characters that end a sentence or clause: a line ending in one is complete.
CLAUSE_END = "。！？!?；;：:」』”\"）)》】…"


@dataclass
class RepairedText:
    text: str
    encoding: str
    repairs: list[str]
    offsets: Sequence[int]  # an int64 array (see traced.Traced)
    raw_text: str
    lost_chars: int = 0
    notes: list[str] = field(default_factory=list)
    input_format: str = "text"  # what the file was: text, html, mhtml, pdf, docx (see `readers`)
    reader: str = "zhie"  # what extracted the text from it
    metadata_date: dict | None = None  # {"value", "source"}: the date the file's metadata carries


# --------------------------------------------------------------------------- plausibility

# Lead-byte ranges of the frequent-character levels: GB2312 level 1, Big5 level 1.
FREQUENT_LEAD_BYTES = {"gb2312": (0xB0, 0xD7), "big5": (0xA4, 0xC6)}


@functools.lru_cache(maxsize=1)
def common_han() -> frozenset[str]:
    """The ~5,400 most frequent Han characters: GB2312 level 1 plus Big5 level 1."""
    chars = set()
    for codec, (first, last) in FREQUENT_LEAD_BYTES.items():
        for cp in range(0x4E00, 0xA000):
            try:
                if first <= chr(cp).encode(codec)[0] <= last:
                    chars.add(chr(cp))
            except UnicodeEncodeError:
                continue
    return frozenset(chars)


@functools.lru_cache(maxsize=1)
def _ordinary_deleter() -> dict[int, None]:
    """A translate table deleting the characters of ordinary Chinese text (a fast path)."""
    ordinary = set(common_han()) | {chr(c) for c in range(32, 127)} | set("\n\t，。、；：？！“”‘’（）《》【】—…·")
    return {ord(c): None for c in ordinary}


def plausibility(text: str) -> float:
    """Score how much `text` reads like normal Chinese (higher is better), per character."""
    if not text:
        return 0.0
    if not text.translate(_ordinary_deleter()):
        return sum(1.0 if ord(c) > 127 else 0.5 for c in text) / len(text)
    common = common_han()
    score = 0.0
    for char in text:
        if char in common:
            score += 1.0
        elif char.isascii():
            score += 0.5 if char.isprintable() or char in "\n\r\t" else -2.0
        elif "\u3000" <= char <= "\u303f" or "\uff00" <= char <= "\uffef" or char in "“”‘’—…·":
            score += 0.8
        elif "\u4e00" <= char <= "\u9fff":
            score -= 0.3  # rare Han: typical of GBK/UTF-8 mojibake
        elif char == "\ufffd" or unicodedata.category(char) in ("Co", "Cc", "Cn"):
            score -= 3.0
        else:
            score -= 1.0  # Latin-1 letters, box drawing: typical of latin-1 mojibake
    return score / len(text)


# --------------------------------------------------------------------------- decoding

CANDIDATES = ("utf-8", "gb18030", "big5", "utf-16")


def utf16_without_bom(data: bytes) -> str | None:
    """`utf-16-le` or `utf-16-be` for UTF-16 text without a byte-order mark, else None.

    Chinese text in UTF-16 carries ASCII (digits, line breaks, spaces) whose high byte is zero, so most
    of its zero bytes stand at odd offsets (little-endian) or at even ones (only the odd Han character,
    such as U+5F00, has a zero low byte); 8-bit text has no zero bytes but a stray NUL.
    """
    sample = data[:min(len(data), 8192) // 2 * 2]
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    if max(even, odd) < 4 or max(even, odd) < 3 * min(even, odd):
        return None
    codec = "utf-16-le" if odd > even else "utf-16-be"
    try:
        text = sample.decode(codec)
    except UnicodeDecodeError:
        return None
    return codec if plausibility(text) > 0.5 else None


def decode(data: bytes) -> tuple[str, str]:
    """Decode bytes, preferring BOMs, then UTF-16's zero-byte pattern, then strict UTF-8, then the most
    Chinese-looking codec."""
    for bom, codec in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                       (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return data.decode(codec, errors="replace"), codec
    utf16 = utf16_without_bom(data)
    if utf16:
        return data.decode(utf16, errors="replace"), utf16
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    mixed = _decode_lines(data)
    if mixed is not None:
        return mixed
    scored = []
    for codec in CANDIDATES[1:] + ("utf-16-le", "utf-16-be"):
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        scored.append((plausibility(text), codec, text))
    if scored:
        best = max(scored, key=lambda s: s[0])
        if best[0] > 0.3:
            return best[2], best[1]
    from charset_normalizer import from_bytes

    match = from_bytes(data).best()
    if match is not None and match.encoding:
        return str(match), match.encoding
    return data.decode("gb18030", errors="replace"), "gb18030"


def _decode_lines(data: bytes) -> tuple[str, str] | None:
    """Mostly UTF-8 with a few bad lines (a truncated file, pasted GBK): decode line by line.

    Lines that are not UTF-8 are tried as GB18030 when that reads as Chinese;
    what neither decodes becomes U+FFFD, counted as lost.
    """
    lines = data.split(b"\n")
    bad = [i for i, line in enumerate(lines) if not _is_utf8(line)]
    if len(bad) * 2 > len(lines):
        return None
    out = []
    for i, line in enumerate(lines):
        if i in bad:
            try:
                fixed = line.decode("gb18030")
                out.append(fixed if plausibility(fixed) > 0.5 else line.decode("utf-8", errors="replace"))
            except UnicodeDecodeError:
                out.append(line.decode("utf-8", errors="replace"))
        else:
            out.append(line.decode("utf-8"))
    return "\n".join(out), "utf-8+mixed"


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
        return True
    except UnicodeDecodeError:
        return False


# --------------------------------------------------------------------------- repairs

Repair = Callable[[Traced], Traced]


def _round_trip(text: str, wrong: str, right: str) -> str | None:
    """Undo `bytes.decode(wrong)` of text that was really `right`; None if impossible.

    A U+FFFD left by `errors='replace'` stands for lost bytes: it becomes one
    invalid byte, so the characters around it whose bytes survived still decode
    and the damaged one comes out as U+FFFD again.
    """
    try:
        if "\ufffd" not in text:
            return text.encode(wrong).decode(right)
        data = b"".join(b"\xff" if piece == "\ufffd" else piece.encode(wrong)
                        for piece in re.split("(\ufffd)", text) if piece)
        return re.sub("\ufffd+", "\ufffd", data.decode(right, errors="replace"))
    except (UnicodeEncodeError, UnicodeDecodeError):
        return None


# (codec the text was wrongly read with, codec it really was, repair name)
ROUND_TRIPS = (
    ("gbk", "utf-8", "gbk_mojibake"),
    ("gb18030", "utf-8", "gbk_mojibake"),
    ("latin-1", "gb18030", "latin1_mojibake"),
    ("cp1252", "gb18030", "latin1_mojibake"),
    ("latin-1", "big5", "latin1_mojibake"),
    ("cp1252", "big5", "latin1_mojibake"),
    ("latin-1", "utf-8", "utf8_mojibake"),
    ("cp1252", "utf-8", "utf8_mojibake"),
)
MARGIN = 0.25
MIN_PLAUSIBLE = 0.5


def _best_round_trip(segment: str) -> tuple[str, str] | None:
    if len(segment.strip()) < 2:
        return None  # too little evidence: a lone NBSP pair "decodes" to a Han character
    # Characters already lost (U+FFFD) say nothing about which reading is right.
    before = plausibility(segment.replace("\ufffd", ""))
    best = None
    for wrong, right, name in ROUND_TRIPS:
        fixed = _round_trip(segment, wrong, right)
        if fixed and fixed != segment:
            after = plausibility(fixed.replace("\ufffd", ""))
            gain = after - before
            if after > MIN_PLAUSIBLE and gain > MARGIN and (best is None or gain > best[0]):
                best = (gain, fixed, name)
    return (best[1], best[2]) if best else None


def fix_mojibake(traced: Traced) -> Traced:
    """Re-decode lines that are mojibake (UTF-8 read as GBK, GBK read as latin-1, ...).

    ftfy handles the Latin-script cases; the Chinese round trips are tried per
    line and kept only when the result is clearly more plausible Chinese.
    Lines with U+FFFD (bytes lost to `errors='replace'`) are repaired around
    the replacement characters, recovering every character whose bytes survive.
    """
    def fix_line(match: re.Match[str]) -> str:
        line = match.group(0)
        if plausibility(line) > 0.7:
            return line
        fixed = _best_round_trip(line)
        if not fixed:
            return line
        fix_line.names.add(fixed[1])  # type: ignore[attr-defined]
        return fixed[0]

    fix_line.names = set()  # type: ignore[attr-defined]
    result = traced.sub(r"[^\n]+", fix_line, name="mojibake")
    names = sorted(fix_line.names)  # type: ignore[attr-defined]
    if result.text != traced.text:
        result.applied = traced.applied + names
    fixed = ftfy.fix_encoding(result.text)
    if fixed != result.text and plausibility(fixed) >= plausibility(result.text):
        result = result.replace_all(fixed, "ftfy_mojibake")
    return result


@functools.lru_cache(maxsize=1)
def _pinyin_pattern() -> re.Pattern[str]:
    syllables = words("pinyin_syllables.txt")
    toned = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü"
    # A syllable with a tone mark, a syllable with a tone number, or a listed
    # toneless syllable (neutral tone) -- always directly after a Han character.
    marked = rf"[a-z{toned}]*[{toned}][a-z{toned}]*"
    plain = "|".join(sorted(syllables, key=len, reverse=True))
    annotation = rf"[(（]\s*(?:{marked}|(?:{plain})[1-5]?)\s*[)）]"
    return re.compile(rf"(?<=[{HAN}])(?:{annotation})+")


def remove_pinyin(traced: Traced) -> Traced:
    """Drop inline pinyin reading aids: 協(xié)會 -> 協會; keeps real parentheses."""
    return traced.sub(_pinyin_pattern(), "", name="pinyin_annotations")


@functools.lru_cache(maxsize=1)
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s.json")


def traditional_share(text: str) -> float:
    """Share of Han characters that OpenCC t2s would change."""
    converted = _t2s().convert(text)
    if converted == text:
        return 0.0
    han = sum(1 for c in text if "\u4e00" <= c <= "\u9fff")
    changed = sum(a != b for a, b in zip(text, converted)) if len(converted) == len(text) else han
    return changed / han if han else 0.0


def to_simplified(traced: Traced) -> Traced:
    """Convert traditional documents (or strongly traditional lines) to simplified."""
    document_is_traditional = traditional_share(traced.text) >= 0.05

    def convert(match: re.Match[str]) -> str:
        line = match.group(0)
        if document_is_traditional or traditional_share(line) >= 0.2:
            return _t2s().convert(line)
        return line

    return traced.sub(r"[^\n]+", convert, name="traditional_to_simplified")


@functools.lru_cache(maxsize=1)
def _variants() -> dict[str, str]:
    return load_yaml("variant_chars.yaml")


def normalise_variants(traced: Traced) -> Traced:
    """Variant characters t2s leaves alone (`陜西` -> `陕西`)."""
    table = _variants()
    return traced.sub(f"[{''.join(table)}]", lambda m: table[m.group(0)], name="variant_characters")


def normalise_spaces(traced: Traced) -> Traced:
    """NBSP and ideographic spaces become plain spaces; trailing spaces go."""
    result = traced.sub("[\u00a0\u3000\u2002\u2003\u200b\ufeff]", lambda m: "" if m.group(0) in "\u200b\ufeff" else " ",
                        name="whitespace")
    result = result.sub(r"[ \t]+(?=\n|$)|(?<=\n)[ \t]+|^[ \t]+", "", name="whitespace")
    # A space inside a Chinese-numeral month (`十 一月`) or between a year and its month (`一九九九年 一月`)
    # is OCR's, in any document.
    return result.sub(r"(?<=[一二三四五六七八九十〇])[ \t]+(?=[一二三四五六七八九十〇]*月)|(?<=[0-9〇零○一二三四五六七八九]年)"
                      r"[ \t]+(?=(?:1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])月)", "", name="ocr_spacing")


# A two-character item padded to the width of three (`王　平`, `会　长：`), as typeset name lists and
# forms align them: one Han character, one or two spaces, one Han character, alone between separators.
PADDED_PAIR = re.compile(rf"(?m)(?:^|(?<=[、，,：:；;（( ]))([{HAN}]) {{1,2}}([{HAN}])(?=$|[、，,：:；;）) ])")


def join_padded_pairs(traced: Traced) -> Traced:
    """Close the padding inside two-character items of lists and forms, and inside the same pair
    wherever else the document writes it padded (`王 平作了报告` after `副会长：王 平、…`)."""
    pairs = {m.group(1) + m.group(2) for m in PADDED_PAIR.finditer(traced.text)}
    if not pairs:
        return traced
    anywhere = "|".join(f"(?<={re.escape(a)}) {{1,2}}(?={re.escape(b)})" for a, b in sorted(pairs))
    return traced.sub(anywhere, "", name="padding_spaces")


def remove_markdown(traced: Traced) -> Traced:
    """Drop markdown emphasis (`**10日**`) left by OCR-to-markdown tools."""
    return traced.sub(r"\*\*(?=\S)|(?<=\S)\*\*|__(?=\S)|(?<=\S)__", "", name="markdown")


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


@functools.lru_cache(maxsize=1)
def _confusables() -> list[tuple[re.Pattern[str], str]]:
    rules = load_yaml("ocr_confusables.yaml")
    return [(re.compile(f"(?<={r['before']}){re.escape(r['wrong'])}(?={r['after']})"), r["right"]) for r in rules]


def fix_confusables(traced: Traced) -> Traced:
    for pattern, right in _confusables():
        traced = traced.sub(pattern, right, name="ocr_confusables")
    return traced


FURNITURE_MAX = 80
FULL_DATE = re.compile(r"(?:19|20)\d{2}\s*(?:年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|[-/.]\d{1,2}[-/.]\d{1,2})")


@functools.lru_cache(maxsize=1)
def _boilerplate() -> tuple[re.Pattern[str], int, int, re.Pattern[str]]:
    data = load_yaml("boilerplate.yaml")
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


def remove_boilerplate(traced: Traced) -> Traced:
    """Keep the article of a web page; drop menus, link lists, login boxes and footers.

    The article runs from the first to the last long prose line, extended by up
    to `keep_near_article` short lines on each side (title, stamp, source,
    signature); furniture inside is dropped.
    """
    furniture_pattern, min_hits, near, menu_line = _boilerplate()
    lines = [(m.start(), m.end(), m.group(0).strip()) for m in re.finditer(r"[^\n]*", traced.text)]
    # Lines of marks alone (`|`, `——`) say nothing: they neither count as lines near the article nor stay.
    lines = [ln for ln in lines if re.search(r"\w", ln[2])]
    # Furniture is not a sentence, and is short or full of furniture words (a contact footer);
    # a news line that mentions 电话 once is not furniture.
    # A line with a full date is the article's stamp (`作者：… 日期：2023年4月12日 浏览次数：356`), kept.
    furniture = [not text.endswith(("。", "！", "？")) and not FULL_DATE.search(text) and
                 len(furniture_pattern.findall(text)) >= (1 if len(text) <= FURNITURE_MAX else 2)
                 for _, _, text in lines]
    menus = [bool(menu_line.fullmatch(text)) for _, _, text in lines]
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


def looks_ocr_spaced(text: str) -> bool:
    """True when spaces between Han characters are frequent (an OCR'd page); a web page's menu, its items
    set apart by spaces, says nothing of that."""
    menu_line = _boilerplate()[3]
    han_pairs = sum(len(re.findall(rf"[{HAN}][ \t]+[{HAN}]", line)) for line in text.split("\n")
                    if not menu_line.fullmatch(line.strip()))
    return han_pairs >= 5 and han_pairs * 200 >= len(text)


def repair_text(raw: str, encoding: str = "utf-8", laid_out: bool = False) -> RepairedText:
    """Run every repair on decoded text; see `repair_bytes`. `laid_out`: the text comes from a page
    layout (a PDF), so its lines are hard-wrapped for sure and a few full lines show the width."""
    traced = Traced.identity(raw)
    if not unicodedata.is_normalized("NFC", raw):
        traced = traced.sub(r"[^\n]+", lambda m: unicodedata.normalize("NFC", m.group(0)), name="unicode_nfc")
    traced = traced.sub("\r\n?", "\n", name="line_endings")
    traced = traced.sub("\x00", "", name="nul_bytes")
    # Markdown goes before pinyin: `協**(xié)` only shows its reading aid once the `**` is gone.
    steps: list[Repair] = [fix_mojibake, remove_markup, remove_markdown, remove_pinyin, to_simplified, normalise_variants,
                           normalise_spaces, join_padded_pairs, remove_boilerplate, remove_page_furniture,
                           functools.partial(join_wrapped_lines, min_full=3 if laid_out else 6)]
    ocr = looks_ocr_spaced(traced.text)
    for step in steps:
        traced = step(traced)
    if ocr:
        traced = join_broken_lines(ocr_spacing(traced))
    traced = fix_confusables(traced)
    traced = traced.sub(r"\n{3,}", "\n\n", name="whitespace").strip()
    lost = traced.text.count("\ufffd")
    return RepairedText(traced.text, encoding, traced.repairs(), traced.offsets, raw, lost_chars=lost)


def repair_bytes(data: bytes) -> RepairedText:
    """Decode and repair raw bytes: the whole of stage 1."""
    text, encoding = decode(data)
    return repair_text(text, encoding)
