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


from pipeline.mentions import Mention
from pipeline.ner_orgs import is_abbreviation, org_heads
from pipeline.ner_places import place_canonical
from pipeline.resources import load_yaml


@functools.lru_cache(maxsize=1)
def _org_parts() -> dict:
    return load_yaml("org_parts.yaml")


def fold_internal_body(name: str) -> str:
    """`市总工会党组` -> `市总工会`: internal bodies fold into their parent organisation."""
    bodies = sorted(_org_parts()["internal_bodies"], key=len, reverse=True)
    changed = True
    while changed:
        changed = False
        for body in bodies:
            parent = name[: -len(body)]
            if name.endswith(body) and any(parent.endswith(h) for h in org_heads()):
                name, changed = parent, True
                break
    return name


def document_city(mentions: list[Mention]) -> str | None:
    """The city a document is about: the most frequent city named in its places and organisations."""
    counts: Counter[str] = Counter()
    for mention in mentions:
        match = re.match(r"([\u4e00-\u9fff]{2,3}?)市", mention.text)
        if match and mention.label in ("ORG", "LOC") and not mention.text.startswith("市"):
            counts[match.group(1)] += 1
        elif mention.label == "LOC" and len(mention.text) == 2:
            counts[mention.text] += 0.5
    return counts.most_common(1)[0][0] if counts else None


# A signature line (an organisation alone on a line, as at the end of a report) names the
# author, whom `商会`/`本会` mean: it weighs as much as this many mentions.
SIGNATURE_WEIGHT = 3


def canonical_names(mentions: list[Mention], text: str = "") -> list[str]:
    """The canonical name of each mention, resolved within one document (`text` finds signatures)."""
    parts = _org_parts()
    city = document_city(mentions)
    prefix = parts["city_prefix"]

    def expand(name: str) -> str:
        name = fold_internal_body(name)
        if city and name.startswith(prefix) and not any(name.startswith(w) for w in parts["not_city_prefixed"]):
            name = city + name
        return name

    orgs = [m for m in mentions if m.label == "ORG" and m.source != "short_reference"]
    org_names = [expand(m.text) for m in orgs]
    full_names = Counter(org_names)
    for mention, name in zip(orgs, org_names):
        if text and _alone_on_its_line(text, mention):
            full_names[name] += SIGNATURE_WEIGHT
    first_seen = {name: i for i, name in reversed(list(enumerate(org_names)))}
    heads = org_heads()

    @functools.lru_cache(maxsize=None)
    def main_org(head: str) -> str | None:
        """The document's organisation with this head: the most mentioned, then the first named."""
        named = [n for n in full_names if n.endswith(head) and len(n) > len(head)]
        return max(named, key=lambda n: (full_names[n], -first_seen[n])) if named else None

    @functools.lru_cache(maxsize=None)
    def resolve_org(text: str, short_reference: bool) -> str:
        name = expand(text.lstrip("本该我") if short_reference else text)
        bodies = _org_parts()["internal_bodies"]
        if name in bodies and full_names:  # `秘书处一行`: the document's own organisation
            return max(full_names, key=lambda n: (full_names[n], len(n)))
        for head in heads:
            parent = main_org(head)
            if parent and name == head:
                return parent
            # `协会工业炉窑分会`: a branch named after the bare head belongs to the main organisation.
            if parent and name.startswith(head) and any(name.endswith(b) for b in parts["branch_heads"]):
                return parent + name[len(head):]
        # A name ending in a full head (`市委`, `安徽省总工会`) is complete; only clipped forms
        # (`中铸协`, `上期所`) are abbreviations of a longer name.
        longer = [] if name.endswith(tuple(heads)) else [n for n in full_names if is_abbreviation(name, n)]
        # `上海办事处` for `中国铸造协会上海办事处`: a branch named without its parent.
        if name.endswith(tuple(parts["branch_heads"])):
            longer += [n for n in full_names if n.endswith(name) and n != name]
        if longer:
            return max(longer, key=lambda n: (full_names[n], len(n)))
        return name

    names = []
    for mention in mentions:
        if mention.label == "ORG":
            names.append(resolve_org(mention.text, mention.source == "short_reference"))
        elif mention.label == "LOC":
            names.append(place_canonical(mention.text))
        else:
            names.append(mention.text)
    return merge_variants(mentions, names)


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
