"""Organisations named short: a bare head standing for one named in full (`协会`, `本会`), and clipped
names (`中铸协` for `中国铸造协会`, `上期所`), which count only where the full name is in the document."""
from __future__ import annotations

import re

from pipeline.knowledge import Knowledge, per_knowledge
from pipeline.mentions import HAN, Mention
from pipeline.ner_orgs import org_heads, org_rule
from pipeline.ner_places import place_prefix_length


def short_reference_mentions(knowledge: Knowledge, text: str, orgs: list[Mention]) -> list[Mention]:
    """A bare head (`协会`) used alone refers to the document's organisation with that head."""
    allowed = org_rule(knowledge)[4]["short_reference_heads"]
    heads = {h for h in allowed if any(o.text.endswith(h) and len(o.text) > len(h) for o in orgs)}
    mentions = []
    for head in heads:
        # At a clause start, after a date (`6月23日协会与…`) or after a function word (`由协会主办`).
        for match in re.finditer(rf"(?<![{HAN}])(?:本|该|我)?{re.escape(head)}|(?<=[由与和及、在对向为了给将把被同])"
                                 rf"{re.escape(head)}|(?<=\d[日月])(?:本|该|我)?{re.escape(head)}", text):
            mentions.append(Mention(match.start(), match.end(), "ORG", "short_reference", match.group(0)))
    return mentions


# A numbered date (`2022年`, `16日`): it ends whatever came before a name.
def strip_place_prefix(knowledge: Knowledge, name: str) -> str:
    """`上海纺织协会` -> `纺织协会`: the name without a leading place (or 全国), for matching clipped forms."""
    end = place_prefix_length(knowledge, name) or (2 if name.startswith("全国") else 0)
    return name[end:] if len(name) > end + 1 else name


def is_abbreviation(knowledge: Knowledge, short: str, full: str) -> bool:
    """`中铸协` abbreviates `中国铸造协会`: its characters appear in order, the first one aligned."""
    if len(short) >= len(full) or len(short) < 2 or short in full:
        return False  # a contiguous part (`中国铸造协会` of `…上海办事处`) is another organisation
    if len(set(short)) < len(short):
        return False  # clipped names take each character once (`工会工` is a phrase's fragment)
    for target in (full, strip_place_prefix(knowledge, full)):
        if not target or target[0] != short[0]:
            continue
        position = 0
        for char in short:
            position = target.find(char, position)
            if position < 0:
                break
            position += 1
        else:
            return True
    return False


def abbreviation_mentions(knowledge: Knowledge, text: str, mentions: list[Mention]) -> list[Mention]:
    """Clipped names of the document's organisations (`上期所`, `中铸协`, `纺协`) where nothing else was found.

    A candidate takes its characters in order from a full name (after a leading
    place), starts with the name's first character and ends with one of the
    characters of its head (`所` of 交易所, `协` of 协会).
    """
    covered = bytearray(len(text))
    for m in mentions:
        covered[m.start:m.end] = b"\x01" * (m.end - m.start)
    by_first: dict[str, list[str]] = {}
    for full in {m.text for m in mentions if m.label == "ORG" and len(m.text) >= 5}:
        for first in {full[0], strip_place_prefix(knowledge, full)[0]}:
            by_first.setdefault(first, []).append(full)
    found = []
    before, after = _clipped_name_edges(knowledge)
    common = set(knowledge.yaml("org_parts.yaml")["not_prefixed"])  # `市民`, `省级`: words, not clipped names
    for start, char in enumerate(text):
        if char not in by_first or covered[start] or (start and not before.match(text, start - 1)):
            continue
        for length in (4, 3, 2):
            end = start + length
            candidate = text[start:end]
            if end > len(text) or any(covered[start:end]) or not re.fullmatch(f"[{HAN}]+", candidate) \
                    or not after.match(text, end) or candidate in common:
                continue
            if any(candidate[-1] in full[-3:] and is_abbreviation(knowledge, candidate, full) for full in by_first[char]):
                found.append(Mention(start, end, "ORG", "short_reference", candidate))
                break
    return found


@per_knowledge
def _clipped_name_edges(knowledge: Knowledge) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """What may stand right before and right after a clipped name (matched at those positions): after
    it, what may follow a name (a verb, a title, a boundary word) or an internal body."""
    data = org_rule(knowledge)[4]
    before = "".join(data["clipped_name_before"])
    follow = data["clipped_name_after"] + data["boundaries"] + knowledge.words("titles.txt") + knowledge.words("name_followers.txt") + \
        knowledge.yaml("org_parts.yaml")["internal_bodies"]
    return (re.compile(rf"[^{HAN}]|[{before}]"),
            re.compile(rf"[^{HAN}]|$|{'|'.join(sorted(set(follow), key=len, reverse=True))}"))


def split_joined_orgs(knowledge: Knowledge, mentions: list[Mention]) -> list[Mention]:
    """`省机械联与楚江理工大学` is two parties, not one name: an organisation is cut at a joining word when
    what comes before names an organisation of the document or ends in an organisation head."""
    joiners = org_rule(knowledge)[4]["party_joiners"]
    heads = tuple(org_heads(knowledge))
    names = {m.text for m in mentions if m.label == "ORG"}
    result = []
    for m in mentions:
        cut = next((k for k in range(2, len(m.text) - 2) if m.label == "ORG" and m.text[k] in joiners and (
            m.text[:k] in names or m.text[:k].endswith(heads) or any(is_abbreviation(knowledge, m.text[:k], n) for n in names))),
            None)
        if cut is None:
            result.append(m)
            continue
        result += [Mention(m.start, m.start + cut, "ORG", m.source, m.text[:cut]),
                   Mention(m.start + cut + 1, m.end, "ORG", m.source, m.text[cut + 1:])]
    return result
