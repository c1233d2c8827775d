"""People: names after title chains, in name lists and in photo credits (NER rules).

Titles, surnames, the words that may follow a name and the words that look
like names but are not are data files in `resources/`.
"""
from __future__ import annotations

import functools
import re

from pipeline.mentions import HAN, Mention
from pipeline.resources import words


@functools.lru_cache(maxsize=1)
def person_name() -> str:
    """A surname (single or compound) and one or two characters, as short as the context allows."""
    surnames = words("surnames.txt")
    single = "".join(s for s in surnames if len(s) == 1)
    compound = "|".join(s for s in surnames if len(s) > 1)
    return rf"(?:{compound}|[{single}])[{HAN}]{{1,2}}?"


@functools.lru_cache(maxsize=1)
def _title_pattern() -> re.Pattern[str]:
    titles = "|".join(sorted(words("titles.txt"), key=len, reverse=True))
    name = person_name()
    boundary = _boundary()
    # A title chain: titles joined by 、/兼/和, optionally followed by a colon.
    return re.compile(rf"(?:{titles})(?:[、兼](?:{titles}))*\s*[:：]?\s*(?P<names>{name}(?={boundary})"
                      rf"(?:、{name}(?={boundary}))*)")


@functools.lru_cache(maxsize=1)
def _boundary() -> str:
    followers = words("name_followers.txt")
    return rf"(?:[、，,。；;：:\s（(）)“”]|$|{'|'.join(sorted(followers, key=len, reverse=True))})"


@functools.lru_cache(maxsize=1)
def _photo_credit() -> re.Pattern[str]:
    """A photo credit names its photographer: `(展翔 摄)`, `（记者 王明 摄）`."""
    return re.compile(rf"[（(](?:记者|摄影|图)?\s*(?P<credit>{person_name()})\s*摄\s*[)）]")


def title_rule_mentions(text: str) -> list[Mention]:
    """People named right after a title chain, including lists joined by 、, or in a photo credit."""
    not_names = set(words("not_names.txt"))
    mentions = []
    for match in _photo_credit().finditer(text):
        start, end = match.span("credit")
        mentions.append(Mention(start, end, "PERSON", "title_rule", text[start:end]))
    for match in _title_pattern().finditer(text):
        base = match.start("names")
        for part in re.finditer(r"[^、]+", match.group("names")):
            start, end = base + part.start(), base + part.end()
            if text[start:end] not in not_names:
                mentions.append(Mention(start, end, "PERSON", "title_rule", text[start:end]))
    return mentions


def list_mentions(text: str, mentions: list[Mention]) -> list[Mention]:
    """Names in a `、` list whose other items are people are people too (`…、韩国华、谢邦鹏`)."""
    people = {(m.start, m.end) for m in mentions if m.label == "PERSON"}
    found = []
    # Items of two to four characters; the last one ends where a name may end (`孙浩为副会长`).
    for run in re.finditer(rf"[{HAN}]{{2,4}}(?:、[{HAN}]{{2,4}}?)+?(?={_boundary()}|[为等])(?![{HAN}]*、)", text):
        items = [(run.start() + m.start(), run.start() + m.end()) for m in re.finditer(rf"[{HAN}]+", run.group(0))]
        known = sum(item in people for item in items)
        if known >= 2 and known * 4 >= len(items):
            for start, end in items:
                if (start, end) not in people and re.fullmatch(person_name().replace("}?", "}"), text[start:end]):
                    found.append(Mention(start, end, "PERSON", "title_rule", text[start:end]))
    return found
