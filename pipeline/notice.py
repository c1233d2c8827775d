"""A formal notice, decision or public list (`关于表彰…的决定`, `特此通知`, `现予公示`) and its signature: the
signers' line at its foot, then the date on a line of its own (part of the date stage's time model).

What such a document's body tells with no date of its own (`决定授予…`) is done on the signature's date, not
on the last day its body happened to mention (when an earlier round of the selection began); one that says
it is published with no subject (`现将…予以公示`) is issued by its signers on that date. The words are the
knowledge's `dates.yaml`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.date_patterns import DateGrammar
from pipeline.dates import DateMention
from pipeline.event_participants import EntityRef

TITLE_LINES = 4  # a notice's title is among its first lines
SIGNATURE_TRAILING_LINES = 3  # lines a page may add after a signature (`抄送：…`, a site menu)
SIGNER_SEPARATOR = re.compile(r"[\s、，,]*")  # between two signers on one line (`某总工会 某文化厅`)
SIGNER_LINE_CHARS = 40  # a line this short, with no clause marks, holds only the signers' names
CLAUSE_MARK = re.compile(r"[。，,；;：:！？!?]")


@dataclass(frozen=True)
class Signature:
    date: DateMention
    signers: tuple[int, int]  # the line above the date, without its end spaces
    title: str | None  # the document's title when it has one (`关于…的通知`): the name of what is issued
    published: str | None  # the phrase saying it is published with no subject (`予以公示`): its signers issue it


def _line_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    line_end = text.find("\n", end)
    return text.rfind("\n", 0, start) + 1, len(text) if line_end < 0 else line_end


def _signature_date(g: DateGrammar, text: str, dates: list[DateMention]) -> DateMention | None:
    """The last date standing alone on its line under a line of text, with at most a few lines after it
    unless they are an attachment (`附件：`, `…名单`)."""
    for date in sorted(dates, key=lambda mention: -mention.start):
        line_start, line_end = _line_bounds(text, date.start, date.end)
        if text[line_start:line_end].strip() != date.text.strip() or not text[:line_start].strip():
            continue
        trailing = [line for line in text[line_end:].split("\n") if line.strip()]
        # An attachment's title may take two lines (`2020-2024年某市` / `科普教育基地名单`).
        if len(trailing) <= SIGNATURE_TRAILING_LINES or any(g.attachment_line.fullmatch(line) for line in trailing[:2]):
            return date
        return None
    return None


def notice_signature(g: DateGrammar, text: str, dates: list[DateMention]) -> Signature | None:
    """The signature of a notice (by its title or a notice's phrase): its signature date, under the signers' line."""
    # Its title: one of its first lines that ends as a notice's does (a page's own title may come first).
    first_lines = [line.strip() for line in text.split("\n", 4 * TITLE_LINES)[:4 * TITLE_LINES] if line.strip()]
    title = next((line for line in first_lines[:TITLE_LINES] if g.notice_title_end.search(line)), None)
    date = _signature_date(g, text, dates) if title or g.notice_phrase.search(text) else None
    if date is None:
        return None
    above = text[:_line_bounds(text, date.start, date.end)[0]].rstrip()
    published = g.publishing_phrase.search(text)
    return Signature(date, (above.rfind("\n") + 1, len(above)), title, published and published.group(0))


def signers(signature: Signature, mentions: list[EntityRef], text: str) -> list[EntityRef]:
    """The organisations on the signers' line: all of them on a line of names only (`某总工会 某文化厅`), else
    those that end it, each after the next only spaces or a comma apart (`联系地址：…某科学技术协会`)."""
    start, end = signature.signers
    on_line = [m for m in mentions if m.label == "ORG" and start <= m.start and m.end <= end]
    if len(text[start:end].strip()) <= SIGNER_LINE_CHARS and not CLAUSE_MARK.search(text, start, end):
        return on_line
    found: list[EntityRef] = []
    for mention in sorted(on_line, key=lambda m: -m.end):
        if not SIGNER_SEPARATOR.fullmatch(text, mention.end, end):
            break
        found.append(mention)
        end = mention.start
    return found[::-1]
