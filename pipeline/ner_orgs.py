"""Organisations: names found by their heads (`协会`, `有限公司`, `市…局`), short references
to the document's own organisation (`协会`) and clipped names (`上期所`) (NER rules).
"""
from __future__ import annotations

import functools
import re

from pipeline.knowledge import Knowledge, alternation, per_knowledge
from pipeline.mentions import HAN, Mention
from pipeline.ner_places import place_prefix_length, places


@per_knowledge
def org_heads(knowledge: Knowledge) -> list[str]:
    return sorted(knowledge.words("org_heads.txt"), key=len, reverse=True)


DATE_DIGITS = "0123456789０１２３４５６７８９〇一二三四五六七八九十"
DATE_NUMBER = f"[{DATE_DIGITS}]+[年月日号]"


@per_knowledge
def org_rule(knowledge: Knowledge) -> tuple[re.Pattern[str], re.Pattern[str], set[str], re.Pattern[str], dict]:
    data = knowledge.yaml("org_rule.yaml")
    heads = "|".join(head + (f"(?![{data['head_not_before'][head[-1]]}])" if head[-1] in data["head_not_before"] else "")
                     for head in org_heads(knowledge))
    stops = data["boundaries"] + data["group_markers"]
    # A date right before a name (`2022年度市总工会`) also ends it.
    # So does a date word (`3月下旬县总工会…`, `是月县总工会…`), as chronicles write them without a comma.
    dates = knowledge.yaml("dates.yaml")
    stops += sorted({*dates["parts_of_month"], *dates["standalone_parts"], *dates["relative_months"],
                     *dates["relative_days"]} - {"初", "底", "末"})
    boundary = re.compile(rf"(?:{alternation(stops)}|{DATE_NUMBER}度?|第[一二三四五六七八九十]+届)$")
    starts = re.compile(alternation(data["name_starts"]))
    singles = "|".join(rf"(?<![{rule['not_after']}]){head}(?![{rule['not_before']}])"
                       for head, rule in data["single_char_heads"].items())
    all_heads = rf"(?:{heads}|{singles})"
    return re.compile(all_heads), boundary, set(data["group_markers"]), starts, data


@per_knowledge
def _inner_boundary(knowledge: Knowledge) -> re.Pattern[str]:
    """What cannot stand inside a name: a multi-character boundary word (`感谢`, `一行`, `同日`) or a
    date (`16日`). One-character words (和, 与) are left out: `中华人民共和国` holds them."""
    data = knowledge.yaml("org_rule.yaml")
    return re.compile(rf"{alternation([w for w in data['boundaries'] if len(w) > 1])}|{DATE_NUMBER}")


@per_knowledge
def _bare_head_after_boundary(knowledge: Knowledge) -> re.Pattern[str]:
    """A one-character boundary word right before a bare head that ends the span (`座谈会在协会`):
    the bare head is a short reference; one-character words are otherwise kept inside names."""
    data = knowledge.yaml("org_rule.yaml")
    singles = "".join(w for w in data["boundaries"] if len(w) == 1)
    heads = alternation(data["short_reference_heads"])
    return re.compile(rf"[{singles}](?=(?:{heads})$)")


def _inside_head(knowledge: Knowledge, name: str, start: int, end: int) -> bool:
    """Is `name[start:end]` part of an organisation head there (`联合` of `…联合会智能制造分会`)?"""
    return any(name.startswith(head, k) for head in org_heads(knowledge) if len(head) > end - start
               for k in range(max(0, end - len(head)), start + 1))


def trim_model_orgs(knowledge: Knowledge, text: str, mentions: list[Mention]) -> list[Mention]:
    """The model's organisations without what its span ran over on the left (`感谢协会` -> `协会`,
    `16日市工会` -> `市工会`, `携学会` -> `协会`, and the unit of a date it started inside: `2月15日协会`
    -> `协会`); a remainder under two characters is dropped."""
    trimmed = []
    for m in mentions:
        if m.source == "model" and m.label == "ORG":
            cuts = [x.end() for x in _inner_boundary(knowledge).finditer(m.text) if not _inside_head(knowledge, m.text, x.start(), x.end())]
            cuts += [x.end() for x in _bare_head_after_boundary(knowledge).finditer(m.text)]
            if m.text[0] in "年月日号" and m.start and text[m.start - 1] in DATE_DIGITS:
                cuts.append(1)
            if cuts:
                if len(m.text) - cuts[-1] < 2:
                    continue
                m = Mention(m.start + cuts[-1], m.end, m.label, m.source, m.text[cuts[-1]:])
        trimmed.append(m)
    return trimmed


def _name_start(knowledge: Knowledge, text: str, start: int, end: int) -> int | None:
    """Where an organisation name may start inside [start, end): a place or a prefix like 市/全国."""
    _, _, _, starts, _ = org_rule(knowledge)
    trie = places(knowledge)[0]
    found = {s for s, _, _ in trie.parse_longest(text[start:end])}
    heads = tuple(org_heads(knowledge))
    for i in range(start, end):
        if text[i - 1:i] in ("(", "（"):
            continue
        if i == start and text.startswith(heads, i) and end - start > 1:
            return i  # `协会工业炉窑分会`: a branch of the document's own association
        prefix = starts.match(text, i)
        # One-character prefixes (市, 区) only where the name's left edge was found.
        if (i - start) in found or (prefix and (i == start or len(prefix.group(0)) > 1)):
            return i
    return None


def _is_generic(knowledge: Knowledge, name: str, head: str, data: dict) -> bool:
    """`上海工会`, `中国工会`: a place or prefix and a general head, naming no particular body (but a
    place's chamber, `青海商会`, is one)."""
    rest = name[: -len(head)]
    if head not in data["generic_heads"] or (rest and head in data["place_named_heads"]):
        return False
    trie = places(knowledge)[0]
    found = trie.parse_longest(rest)
    _, _, _, starts, _ = org_rule(knowledge)
    return not rest or bool(starts.fullmatch(rest)) or (len(found) == 1 and found[0][:2] == (0, len(rest)))


def _last_heads(heads: re.Pattern[str], boundary: re.Pattern[str], line: str) -> list[re.Match[str]]:
    """Heads that end a name: no other head follows before a boundary word (`…政协会` ends in 协会,
    `A协会与B协会签订` has two)."""
    found = []
    # Where a head starts (lookahead: overlapping heads too); scanning in the regex engine, not per character.
    for i in (m.start() for m in re.finditer(f"(?={heads.pattern})", line)):
        match = heads.match(line, i)
        tail = re.match(rf"[{HAN}]*", line[match.end():]).group(0)
        for k in range(1, len(tail) + 1):
            if boundary.search(tail, 0, k) and boundary.search(tail, 0, k).end() == k:
                tail = tail[:k - len(boundary.search(tail, 0, k).group(0))]
                break
        if not any(heads.match(line, match.end() + k) for k in range(len(tail))):
            if found and found[-1].end() > match.start():
                if match.end() <= found[-1].end():
                    continue
                found.pop()
            found.append(match)
    return found


def head_rule_mentions(knowledge: Knowledge, text: str, people: list[Mention]) -> list[Mention]:
    """Organisations by their heads: extend left from `协会`/`有限公司`... to a boundary word or a name,
    then start the name at its first place or prefix (`足以显现出中国铸造协会` -> `中国铸造协会`)."""
    heads, boundary, groups, _, data = org_rule(knowledge)
    name_ends = {p.end for p in people}
    mentions = []
    for line in re.finditer(r"[^\n]+", text):
        for head in _last_heads(heads, boundary, line.group(0)):
            end = line.start() + head.end()
            start = end - len(head.group(0))
            while start > line.start() and end - start < data["max_length"] and start not in name_ends:
                bracket = re.search(rf"[(（][{HAN}]{{2,6}}[)）]$", text[max(line.start(), start - 8):start])
                if bracket:  # `格朗吉斯铝业(上海)有限公司`: a place in brackets stays inside the name
                    start -= len(bracket.group(0))
                    continue
                if not re.match(f"[{HAN}]", text[start - 1]):
                    break
                stop = boundary.search(text, max(line.start(), start - 8), start)
                if stop and stop.end() == start and (_inside_topic(text, stop.start(), stop.group(0), data)
                                                     or _joins_two_fields(knowledge, text, stop, line.start())
                                                     or _inside_head(knowledge, text, stop.start(), stop.end())):
                    start -= 1
                    continue
                if stop and stop.end() == start:
                    if stop.group(0) in groups:
                        start = end  # a group noun: no name here
                    break
                start -= 1
            named = _name_start(knowledge, text, start, end - len(head.group(0)) + 1) if end > start else None
            if named is not None:
                named = _after_dash(knowledge, text, named, end)
            if named is None and end - start >= 4:
                # No place or prefix to start it: only the model may confirm where it starts.
                mentions.append(Mention(start, end, "ORG", "head_rule_weak", text[start:end]))
                continue
            shortest = 4 if len(head.group(0)) == 1 else 2
            if named is not None and _is_generic(knowledge, text[named:end], head.group(0), data):
                continue
            if head.group(0) in data["generic_heads"] and text.startswith(tuple(data["attributive_followers"]), end):
                continue
            if named is not None and end - named >= shortest:
                mentions.append(Mention(named, end, "ORG", "head_rule", text[named:end]))
    return mentions


def _inside_topic(text: str, at: int, word: str, data: dict) -> bool:
    """Does the boundary `word` at `at` stand inside a body's standard topic (`人力资源和社会保障`)?"""
    return any(text.startswith(topic, at - topic.index(word)) for topic in data["joined_topics"] if word in topic)


def _joins_two_fields(knowledge: Knowledge, text: str, stop: re.Match[str], line_start: int) -> bool:
    """`云南省物流与采购联合会`: a 与 between a place and a short field word joins two fields of one name,
    not two parties (`省机械联与楚江理工大学`, `上海市总工会与…` end in no place + field)."""
    if stop.group(0) not in org_rule(knowledge)[4]["party_joiners"]:
        return False
    before = text[max(line_start, stop.start() - 12):stop.start()]
    for k in range(len(before) - 2):
        place = place_prefix_length(knowledge, before[k:])
        field = before[k + place:]
        if place and 2 <= len(field) <= 4 and re.fullmatch(f"[{HAN}]+", field) and not field.endswith(tuple(org_heads(knowledge))):
            return True
    return False


def _after_dash(knowledge: Knowledge, text: str, start: int, end: int) -> int:
    """`南京一芜湖市总工会` (OCR for `南京—芜湖市总工会`, a pairing of two places): the name starts at
    the second place when 一 stands between two listed places."""
    found = places(knowledge)[0].parse_longest(text[start:end])
    if len(found) >= 2 and found[0][0] == 0 and text[start + found[0][1]] == "一" and found[1][0] == found[0][1] + 1:
        return start + found[1][0]
    return start


def is_general_name(knowledge: Knowledge, name: str) -> bool:
    """`上海工会`, `中国工会`: a place or prefix before a general head names no particular body."""
    data = org_rule(knowledge)[4]
    head = next((h for h in data["generic_heads"] if name.endswith(h)), None)
    return head is not None and _is_generic(knowledge, name, head, data)


@functools.lru_cache(maxsize=1 << 16)
def leading_place(knowledge: Knowledge, name: str) -> str | None:
    """`鼓楼区总工会` -> `鼓楼区`: the listed place an organisation name starts with, if it ends in a level."""
    length = place_prefix_length(knowledge, name)
    if length and name[length - 1] in knowledge.yaml("places.yaml")["levels_before_heads"] and length < len(name):
        return name[:length]
    return None


def shared_tail_mentions(knowledge: Knowledge, text: str, orgs: list[Mention]) -> list[Mention]:
    """Places in a 、-list that share the level and head of the organisation closing it:
    `江宁、鼓楼区总工会` names 江宁区总工会 too, so `江宁` is an organisation here."""
    trie = places(knowledge)[0]
    found = []
    for org in orgs:
        place = leading_place(knowledge, org.text)
        if place is None:
            continue
        end = org.start
        while end > 0 and text[end - 1] == "、":
            item = re.search(rf"[{HAN}]{{2,3}}$", text[max(0, end - 4):end - 1])
            if item is None:
                break
            start = end - 1 - len(item.group(0))
            if (start > 0 and re.match(f"[{HAN}]", text[start - 1])) or item.group(0) + place[-1] not in trie:
                break  # the item must be a whole word and the same level of place
            found.append(Mention(start, end - 1, "ORG", "head_rule", item.group(0)))
            end = start
    return found


def join_branches(knowledge: Knowledge, mentions: list[Mention]) -> list[Mention]:
    """A branch named by a place right after its parent is one organisation (`…银行股份有限公司湖北省分行`,
    `…集团有限公司北京分公司`): the spec names a branch with its parent's name before it."""
    branch_heads = tuple(knowledge.yaml("org_parts.yaml")["branch_heads"])
    result: list[Mention] = []
    for m in mentions:
        parent = result[-1] if result else None
        if parent is not None and parent.label == "ORG" and m.label == "ORG" and parent.end == m.start \
                and m.text.endswith(branch_heads) and place_prefix_length(knowledge, m.text) > 0:
            result[-1] = Mention(parent.start, m.end, "ORG", m.source, parent.text + m.text)
        else:
            result.append(m)
    return result


@per_knowledge
def _source_credit(knowledge: Knowledge) -> re.Pattern[str]:
    data = knowledge.yaml("org_rule.yaml")
    sources = alternation(data["source_words"])
    heads = alternation(data["media_heads"])
    followers = alternation(data["source_followers"])
    credited = rf"(?:{sources})\s*[:：]\s*(?P<name>[{HAN}A-Za-z]{{1,12}}?(?:{heads}))(?=[\s|｜】）)，,。;；]|$|{followers})"
    # `本报讯`: the paper itself, no name.
    dateline = rf"(?<![{HAN}])(?!本)(?P<medium>[{HAN}A-Za-z]{{1,10}}?(?:{heads})){data['source_dateline']}(?=\s*[（(])"
    return re.compile(f"{credited}|{dateline}")


def source_credit_mentions(knowledge: Knowledge, text: str) -> list[Mention]:
    """The medium a report credits as its source (`来源：中工网`) is an organisation."""
    found = []
    for m in _source_credit(knowledge).finditer(text):
        group = "name" if m["name"] else "medium"
        found.append(Mention(m.start(group), m.end(group), "ORG", "title_rule", m[group]))
    return found


def same_org_throughout(text: str, mentions: list[Mention], min_length: int = 4) -> list[Mention]:
    """A document writes an organisation's name the same way each time: a full name (not a short reference)
    found once is a mention wherever else it is written untagged, unless a longer mention holds it there
    (`某某出版集团` found in the lead is the same body in `…，某某出版集团党委副书记…`)."""
    names = sorted({m.text for m in mentions if m.label == "ORG" and m.source != "short_reference"
                    and len(m.text) >= min_length}, key=len, reverse=True)
    at = {i: m for m in mentions for i in range(m.start, m.end)}
    for name in names:
        for found in re.finditer(re.escape(name), text):
            clashing = {at[i] for i in range(found.start(), found.end()) if i in at}
            if all(found.start() <= m.start and m.end <= found.end() and m.label != "PERSON" for m in clashing) \
                    and not any(m.text == name and m.start == found.start() for m in clashing):
                org = Mention(found.start(), found.end(), "ORG", "same_name", name)
                at.update(dict.fromkeys(range(found.start(), found.end()), org))
    return sorted(set(at.values()), key=lambda m: m.start)
