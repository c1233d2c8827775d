"""Canonical names per document (part of stage 4).

A reader resolves `协会` to the association the document is about, `市总工会`
to the city's federation of trade unions, `中铸协` to `中国铸造协会`, and
`市总工会党组` to `市总工会` itself. These general rules do the same; the word
lists they use are in `resources/org_parts.yaml` and `resources/org_heads.txt`.
"""
from __future__ import annotations

import functools
import re
from collections import Counter

from pipeline.elided_names import district_levels, written_out
from pipeline.knowledge import Knowledge, alternation, per_knowledge
from pipeline.mentions import HAN, Mention
from pipeline.ner_orgs import org_heads
from pipeline.ner_places import (
    city_provinces,
    division_short_forms,
    place_canonical,
    place_prefix_length,
)
from pipeline.org_references import is_abbreviation


@per_knowledge
def _org_parts(knowledge: Knowledge) -> dict:
    return knowledge.yaml("org_parts.yaml")


@functools.lru_cache(maxsize=None)
def fold_internal_body(knowledge: Knowledge, name: str) -> str:
    """`市总工会党组` -> `市总工会`: internal bodies and departments (`省委政策研究室`) fold into
    their parent organisation, a truncated 党委 too (`市侨联委`), and a school into its university."""
    parts = _org_parts(knowledge)
    bodies = sorted(parts["internal_bodies"], key=len, reverse=True)
    heads = tuple(org_heads(knowledge))
    changed = True
    while changed:
        changed = False
        for body in bodies:
            parent = name[: -len(body)]
            if name.endswith(body) and parent.endswith(heads):
                name, changed = parent, True
                break
        else:
            parent = next((p for p in department_parents(knowledge, name) if p.endswith(heads)), None)
            if parent is not None:
                name, changed = parent, True
    school = re.match(rf"(.+?(?:{alternation(parts['school_parents'])}))[{HAN}]{{2,10}}"
                      rf"(?:{alternation(parts['schools'])})$", name)
    if school:
        return school.group(1)
    if len(name) > 3 and name.endswith("委") and name[-2] in parts["party_committee_after"]:
        return name[:-1]
    return name


@per_knowledge
def _department(knowledge: Knowledge) -> re.Pattern[str]:
    return re.compile(_org_parts(knowledge)["department"])


def is_bare_department(knowledge: Knowledge, name: str) -> bool:
    """`法律服务部`, `审计督查组`: a department with no organisation before it. Not a ministry
    (`生态环境部`), nor a government department named with its place (`肯尼亚旅游部`, `湖北省民政厅`),
    nor an internal body alone or after a head (`秘书处`, `协会秘书处`), which mean the document's
    own organisation."""
    parts = _org_parts(knowledge)
    heads = tuple(org_heads(knowledge))
    starts_with_place = place_prefix_length(knowledge, name) > 0
    return bool(_department(knowledge).fullmatch(name)) and name not in parts["ministries"] and not starts_with_place \
        and name not in parts["internal_bodies"] and not name.startswith(heads) \
        and not any(p.endswith(heads) for p in department_parents(knowledge, name))


def department_parents(knowledge: Knowledge, name: str) -> list[str]:
    """`中铸协办公室` -> [`中铸协`]: what may stand before an internal body or a department (at least two
    characters), longest first; none for a named branch (`办事处`) or a ministry."""
    parts = _org_parts(knowledge)
    if name.endswith(tuple(parts["branch_heads"])) or name.endswith(tuple(parts["ministries"])):
        return []
    return [name[:i] for i in range(len(name) - 2, 1, -1)
            if name[i:] in parts["internal_bodies"] or _department(knowledge).fullmatch(name, i)]


# Provincial-level regions whose names end in 区: no district a `区…` name could be short for.
PROVINCIAL_REGIONS = ("自治区", "特别行政区")


def document_place(mentions: list[Mention], level: str = "市", earlier: Counter[Mention] | None = None,
                   longest: int = 3, full_names: dict[str, str] | None = None) -> str | None:
    """The city (`level` 市) or province (省) a document is about: the most frequent one named in its
    places and organisations (a two-character place alone counts half, for a city); `earlier` adds
    names counted before this text; `longest`: the most characters a place name of that level has;
    `full_names`: divisions' full names by their short forms (`广西` -> `广西壮族自治区`), so a province or
    region named short counts for its level."""
    full_names = full_names or {}
    counts: Counter[str] = Counter()
    for mention, times in [*(earlier or Counter()).items(), *((m, 1) for m in mentions)]:
        match = re.match(rf"([{HAN}]{{2,{longest}}}?){level}", mention.text)
        if match and mention.label in ("ORG", "LOC") and not mention.text.startswith(level):
            counts[match.group(1)] += times
        elif level != "市" and mention.label == "LOC" and full_names.get(mention.text, "").endswith(level) \
                and not (level == "区" and full_names[mention.text].endswith(PROVINCIAL_REGIONS)):  # 香港特别行政区 is no 区
            counts[full_names[mention.text][:-len(level)]] += times
        elif level == "市" and mention.label == "LOC" and len(mention.text) == 2 and \
                full_names.get(mention.text, level).endswith(level):  # `江苏` names a province, no city
            counts[mention.text] += 0.5 * times
    return counts.most_common(1)[0][0] if counts else None


# A signature line (an organisation alone on a line, as at the end of a report) names the
# author, whom `商会`/`本会` mean: it weighs as much as this many mentions.
SIGNATURE_WEIGHT = 3


class _DocumentOrgs:
    """The organisations one document names, and what each of its names stands for: a short reference
    (`协会`) for the document's main organisation with that head, a clipped name (`中铸协`) for the full
    one, a department or branch for its parent's, a leading `市` for the document's own city."""

    def __init__(self, knowledge: Knowledge, mentions: list[Mention], text: str, earlier: Counter[Mention]) -> None:
        self.knowledge = knowledge
        self.parts = _org_parts(knowledge)
        self.heads = org_heads(knowledge)
        # `市总工会` -> `上海市总工会`, `省经信厅` -> `湖北省经信厅`: the document's own city or province.
        full_names = {short: full for full, short in division_short_forms(knowledge).items()}
        places = {prefix: document_place(mentions, prefix, earlier, longest, full_names)
                  for prefix, longest in self.parts["place_prefixes"].items()}
        # `省委` in a city's document is its province's, unless the document's own organisations name another
        # (a report of a visit to another province names that one most).
        orgs_only = [m for m in mentions if m.label == "ORG"]
        places["省"] = document_place(orgs_only, "省", Counter({m: n for m, n in earlier.items() if m.label == "ORG"}),
                                     self.parts["place_prefixes"]["省"], full_names) or \
            city_provinces(knowledge).get(places["市"] or "") or places["省"]
        self.own_places = [(prefix, place, self.parts["not_prefixed"]) for prefix, place in places.items()]
        orgs = [m for m in mentions if m.label == "ORG" and m.source != "short_reference"]
        self.declared = declared_short_names(knowledge, orgs, text)
        earlier_names: Counter[str] = Counter()
        for mention, count in earlier.items():  # in the order first met
            if mention.label == "ORG":
                earlier_names[self.expand(mention.text)] += count
        own_names = [self.expand(self.declared.get(m.text, m.text)) for m in orgs]
        self.full_names = earlier_names + Counter(own_names)
        for mention, name in zip(orgs, own_names):
            if text and _alone_on_its_line(text, mention):
                self.full_names[name] += SIGNATURE_WEIGHT
        order = [*earlier_names, *own_names]
        self.first_seen = {name: i for i, name in reversed(list(enumerate(order)))}
        self.main_org = functools.lru_cache(maxsize=None)(self._main_org)
        self.resolve = functools.lru_cache(maxsize=None)(self._resolve)

    def expand(self, name: str) -> str:
        name = fold_internal_body(self.knowledge, name)
        for prefix, place, exceptions in self.own_places:
            if place and name.startswith(prefix) and not name.startswith(tuple(exceptions)):
                return place + name
        return name

    def _main_org(self, head: str) -> str | None:
        """The document's organisation with this head: the most mentioned, then the first named."""
        full_names = self.full_names
        named = [n for n in full_names if n.endswith(head) and len(n) > len(head)]
        return max(named, key=lambda n: (full_names[n], -self.first_seen[n])) if named else None

    def _resolve(self, text: str, short_reference: bool) -> str:
        full_names, heads, parts = self.full_names, self.heads, self.parts
        text = self.declared.get(text, text)
        name = self.expand(text.lstrip("本该我") if short_reference else text)
        if name in parts["internal_bodies"] and full_names:  # `秘书处一行`: the document's own organisation
            return max(full_names, key=lambda n: (full_names[n], len(n)))
        for head in heads:
            parent = self.main_org(head)
            if parent and name == head:
                return parent
            # `协会工业炉窑分会`: a branch named after the bare head belongs to the main organisation.
            if parent and name.startswith(head) and any(name.endswith(b) for b in parts["branch_heads"]):
                return parent + name[len(head):]
        # A name ending in a full head (`市委`, `安徽省总工会`) is complete; only clipped forms
        # (`中铸协`, `上期所`) are abbreviations of a longer name.
        longer = [] if name.endswith(tuple(heads)) else (_head_clipped(name, full_names, heads) or [
            n for n in full_names if is_abbreviation(self.knowledge, name, n)])
        # `上海办事处` for `中国铸造协会上海办事处`: a branch named without its parent.
        if name.endswith(tuple(parts["branch_heads"])):
            longer += [n for n in full_names if n.endswith(name) and n != name]
        if longer:
            return max(longer, key=lambda n: (full_names[n], len(n)))
        return self._department_parent(name, short_reference)

    def _department_parent(self, name: str, short_reference: bool) -> str:
        """`中铸协办公室`: the department of a clipped name (a place alone, as in `县纪委`, is no parent); a
        ministry is a parent even where the document never names it alone (`住房和城乡建设部标准定额司`). A
        name ending in a head is a body itself (`江西省人力资源和社会保障厅`), no department."""
        if short_reference or name.endswith(tuple(self.heads)):
            return name
        for parent in department_parents(self.knowledge, name):
            resolved = self.resolve(parent, False)
            if (resolved in self.full_names or parent in self.parts["ministries"]) and resolved != name \
                    and not _is_place(self.knowledge, parent):
                return resolved
        return name


def canonical_names(knowledge: Knowledge, mentions: list[Mention], text: str = "",
                    earlier: Counter[Mention] | None = None) -> list[str]:
    """The canonical name of each mention, resolved within one document (`text` finds signatures);
    `earlier`: the names earlier pieces of the same long document found (each with how often), which
    count as the document's."""
    if text:
        mentions = written_out(knowledge, mentions, text)
    earlier = earlier or Counter()
    orgs = _DocumentOrgs(knowledge, mentions, text, earlier)
    names = []
    for mention in mentions:
        if mention.label == "ORG":
            names.append(orgs.resolve(mention.text, mention.source == "short_reference"))
        elif mention.label == "LOC":
            names.append(place_canonical(knowledge, mention.text))
        elif mention.source == "short_reference":  # `卫主席`: the one person of that surname
            names.append(next((m.text for m in [*earlier, *mentions] if m.label == "PERSON"
                               and m.source != "short_reference" and m.text.startswith(mention.text)
                               and m.text != mention.text), mention.text))
        else:
            names.append(mention.text)
    return merge_variants(mentions, one_name_per_entity(knowledge, mentions, names))


def declared_short_names(knowledge: Knowledge, orgs: list[Mention], text: str) -> dict[str, str]:
    """Short names the document declares in brackets after a full name, mapped to that name."""
    pattern = re.compile(_org_parts(knowledge)["declared_short_name"])
    declared = {}
    for org in orgs:
        found = pattern.match(text, org.end)
        if found and found["short"] != org.text:
            declared[found["short"]] = org.text
    return declared


def _head_clipped(name: str, full_names: Counter[str], heads: list[str]) -> list[str]:
    """`市总` for `市总工会`: a name clipped inside its head is the document name it starts. Tried
    before in-order abbreviations, which could take a longer name holding 市…总 apart."""
    return [name + head[k:] for head in heads for k in range(1, len(head))
            if name.endswith(head[:k]) and name + head[k:] in full_names]


def one_name_per_entity(knowledge: Knowledge, mentions: list[Mention], names: list[str]) -> list[str]:
    """One entity, one canonical name in a document: a division under its short and its full name
    (`湖南`/`湖南省`) takes the short one; an organisation named shorter and longer (`全国供销合作总社`/
    `中华全国供销合作总社`, `市科普协会`/`市科学普及协会`, `鼓楼区区委`/`鼓楼区委`) takes the longer one."""
    places_named = {n for m, n in zip(mentions, names) if m.label == "LOC"}
    shorts = division_short_forms(knowledge)
    orgs = Counter(n for m, n in zip(mentions, names) if m.label == "ORG")
    rename = {(m.label, n): shorts[n] for m, n in zip(mentions, names)
              if m.label == "LOC" and shorts.get(n) in places_named}
    by_end: dict[str, list[str]] = {}  # a longer name shares the first (abbreviation) or last (suffix) character
    for name in orgs:
        by_end.setdefault(name[0], []).append(name)
        if name[-1] != name[0]:
            by_end.setdefault(name[-1], []).append(name)
    for name in orgs:
        longer = {other for other in by_end[name[0]] + by_end[name[-1]] if _same_organisation(knowledge, name, other)}
        doubled = re.match(r"(.+?([区市县]))\2(.+)$", name)  # an OCR-doubled level: `鼓楼区区委`
        if doubled and _is_place(knowledge, doubled.group(1)) and doubled.group(1) + doubled.group(3) in orgs:
            longer = {doubled.group(1) + doubled.group(3)}
        if len(longer) == 1:
            rename[("ORG", name)] = longer.pop()
    final = []
    for mention, name in zip(mentions, names):
        seen = set()
        while (mention.label, name) in rename and name not in seen:  # renames chain: A -> B -> C
            seen.add(name)
            name = rename[(mention.label, name)]
        final.append(name)
    return final


def _is_place(knowledge: Knowledge, name: str) -> bool:
    return bool(name) and place_prefix_length(knowledge, name) == len(name)


def _adds_a_level(knowledge: Knowledge, rest: str) -> bool:
    """Does a name go on with a lower place (`叙州区工商业联合会` after `宜宾市`)?"""
    return place_prefix_length(knowledge, rest) > 0 or bool(re.match(f"[{HAN}]{{1,3}}[{district_levels(knowledge)}旗]", rest))


def _same_organisation(knowledge: Knowledge, short: str, full: str) -> bool:
    """`short` names the organisation `full` names in full, in one of two ways.

    - A suffix, where what `full` adds in front is a place, 中华/全国 or a parent organisation
      (`青年企业家协会` in `甘肃省青年企业家协会`, `青年工作委员会` in `…总工会青年工作委员会`).
    - In-order characters, first and last aligned (`市科普协会`, `上港集团`), where the part after
      the shared place is not a contiguous piece of `full`: `安徽省总工会` is not
      `湖南省衡阳市总工会`, nor `省政协` `省家政协会`.
    """
    heads = tuple(org_heads(knowledge))
    if len(full) <= len(short) or short in heads:
        return False
    if any(short.endswith(head) and full == short[:-len(head)] + long for head, long in _org_parts(knowledge)["long_heads"].items()):
        return True
    if full.endswith(short):
        added = full[: -len(short)]
        return _is_place(knowledge, added) or added in _org_parts(knowledge)["name_prefixes"] or added.endswith(heads)
    if short in full or short[0] != full[0]:
        return False
    # A place named in the short form is the full name's whole place (`宜宾市工商联` is not `宜宾市叙州区工商业联合会`).
    own = place_prefix_length(knowledge, short)
    if own >= 2 and _adds_a_level(knowledge, full[own:]) and not _adds_a_level(knowledge, short[own:]):
        return False
    bare = next((full[: -len(f)] for f in _org_parts(knowledge)["legal_forms"] if full.endswith(f)), full)
    rest = short[min(place_prefix_length(knowledge, full), place_prefix_length(knowledge, short)):]
    return short[-1] in bare[-3:] and len(rest) >= 2 and rest not in full and is_abbreviation(knowledge, short, full)


def _alone_on_its_line(text: str, mention: Mention) -> bool:
    before = text.rfind("\n", 0, mention.start) + 1
    after = text.find("\n", mention.end)
    return not text[before:mention.start].strip() and not text[mention.end:after if after >= 0 else None].strip()


def _one_edit_apart(a: str, b: str) -> bool:
    """One character substituted, dropped or added (an OCR slip)."""
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b)) == 1
    short, long_ = sorted((a, b), key=len)
    return len(long_) - len(short) == 1 and any(long_[:i] + long_[i + 1:] == short for i in range(len(long_)))


def merge_variants(mentions: list[Mention], names: list[str]) -> list[str]:
    """OCR variants of one name take its more frequent form: people one character apart with the
    same surname (`郑钢淼`/`郑钢森`), organisations one character apart with the same first and
    last two characters (`…经济联会`/`…经济联合会`)."""
    counts = Counter(zip((m.label for m in mentions), names))
    by_start: dict[tuple[str, str], list[tuple[str, int]]] = {}  # variants share label and first character
    for (label, name), count in counts.items():
        by_start.setdefault((label, name[:1]), []).append((name, count))
    rename: dict[tuple[str, str], str] = {}
    for (label, name), count in counts.items():
        for other, other_count in by_start[(label, name[:1])]:
            if other == name or label == "LOC" or (other_count, other) <= (count, name):
                continue
            similar = (len(name) >= 3 and len(name) == len(other) and name[0] == other[0]) if label == "PERSON" \
                else (min(len(name), len(other)) >= 6 and name[0] == other[0] and name[-2:] == other[-2:])
            if similar and _one_edit_apart(name, other):
                rename[(label, name)] = other
    return [rename.get((m.label, n), n) for m, n in zip(mentions, names)]
