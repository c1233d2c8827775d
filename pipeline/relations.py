"""Stage 4b, relations: every titled person's posts and the organisation the text attaches them to.

Read from the text around each PERSON mention, whether or not the person acts in an event:
- a post chain written before the name (`市总工会党组书记、主席黄红`), its organisation the ORG
  mention it follows; one row per post; `原`/`曾任` make it former;
- a post chain right after the name (`黄红副主席`), or in brackets after it (`黄红（市总工会主席）`);
- a name listed after a titled one (`副会长张三、李四`) shares its posts.
Knowledge: the post words (`titles.txt`, less `relations.yaml`'s `not_posts`) and the markers.
"""
from __future__ import annotations

import bisect
import functools
import re
from collections import Counter
from dataclasses import dataclass

from pipeline.mentions import HAN, Mention
from pipeline.resources import load_yaml, words
from pipeline.segment import Sentence

REACH = 40  # how far before a name its post chain may start


@dataclass(frozen=True)
class Role:
    """One post a person holds: `holds_title` in relations.jsonl."""
    person: str  # canonical name
    title: str
    organisation: str | None  # canonical name
    former: bool
    sentence_id: int | None


@functools.lru_cache(maxsize=1)
def _patterns() -> dict:
    data = load_yaml("relations.yaml")
    posts = sorted(set(words("titles.txt")) - set(data["not_posts"]), key=len, reverse=True)
    post = rf"(?:[{HAN}]{{1,6}}?(?:{'|'.join(map(re.escape, data['department_endings']))}))?(?:{'|'.join(map(re.escape, posts))})"
    joiner = "|".join(map(re.escape, data["post_joiners"]))
    chain = rf"{post}(?:(?:{joiner}){post})*"
    markers = "|".join(map(re.escape, data["former_markers"] + data["current_markers"]))
    return {"before": re.compile(rf"(?P<marker>{markers})?(?P<chain>{chain})[：:\s]*$"),
            "after": re.compile(rf"(?P<chain>{chain})(?=[^{HAN}]|$|[{''.join(data['after_name_followers'])}])"),
            "bracket": re.compile(rf"[（(](?P<body>[^（()）]{{1,30}})[）)]"),
            "post": re.compile(post), "joiner": re.compile(joiner), "former": tuple(data["former_markers"]),
            "posts": frozenset(posts)}


def _posts(chain: str) -> list[str]:
    return [part for part in _patterns()["joiner"].split(chain) if part]


def find_roles(text: str, sentences: list[Sentence], mentions: list[Mention], canonical: list[str]) -> list[Role]:
    """The posts of every titled PERSON mention, in text order, each (person, post, organisation) once."""
    patterns = _patterns()
    named = list(zip(mentions, canonical))
    orgs = [(m.start, m.end, c) for m, c in named if m.label == "ORG"]
    starts = [s.start for s in sentences]
    found: dict[tuple, Role] = {}
    # The organisation a document is about (its most named one): where the text attaches a post to none
    # (`副会长张三` in a chamber's own news), the post is of that organisation.
    counts = Counter(c for _, _, c in orgs)
    subject = counts.most_common(1)[0][0] if counts else None
    previous: tuple[Mention, list[tuple[str, str | None, bool]]] | None = None
    for mention, name in named:
        if mention.label != "PERSON" or mention.source == "short_reference":
            continue
        index = bisect.bisect_right(starts, mention.start) - 1
        sentence = sentences[index] if index >= 0 else None
        floor = max(sentence.start if sentence else 0, mention.start - REACH)
        posts = _before(text, mention, floor, orgs, patterns) or _after(text, mention, orgs, patterns)
        if not posts and previous and re.fullmatch(r"[、和及]", text[previous[0].end:mention.start]):
            posts = previous[1]  # `副会长张三、李四`: listed after a titled name
        previous = (mention, posts) if posts else None
        for title, organisation, former in posts:
            organisation = organisation or _nearest_org(mention, orgs, named, floor) or subject
            key = (name, title, organisation)
            found.setdefault(key, Role(name, title, organisation, former, sentence.sentence_id if sentence else None))
    return list(found.values())


def _nearest_org(mention: Mention, orgs: list, named: list, floor: int) -> str | None:
    """The last organisation named before `mention` in its sentence, with no other person between."""
    last_person = max((m.end for m, _ in named if m.label == "PERSON" and m.end <= mention.start), default=-1)
    before = [(s, e, c) for s, e, c in orgs if floor <= s and e <= mention.start and s >= last_person]
    return before[-1][2] if before else None


def _before(text: str, mention: Mention, floor: int, orgs: list, patterns: dict) -> list[tuple[str, str | None, bool]]:
    match = patterns["before"].search(text, floor, mention.start)
    if not match or match.end() != mention.start:
        return []
    chain_start = match.start("chain")
    inside = [o for o in orgs if chain_start < o[1] <= mention.start]  # an ORG inside: the chain began after it
    if inside:
        chain_start = inside[-1][1]
        match = patterns["before"].search(text, chain_start, mention.start)
        if not match or match.start("chain") != chain_start:
            return []
    org = next(((s, e, c) for s, e, c in reversed(orgs) if e <= chain_start and chain_start - e <= 1
                and text[e:chain_start] in ("", "的")), None)
    posts = _posts(match.group("chain"))
    if org:  # `…总工会党组书记`: the org's internal body (folded into its name) begins the first post
        posts[0] = next((text[chain_start - k:chain_start] + posts[0] for k in (3, 2)
                         if text[chain_start - k:chain_start] + posts[0] in patterns["posts"]), posts[0])
    marker_end = org[0] if org else match.start("chain")
    former = text[max(0, marker_end - 2):marker_end].endswith(patterns["former"]) or \
        (match.group("marker") or "") in patterns["former"]
    return [(post, org[2] if org else None, former) for post in posts]


def _after(text: str, mention: Mention, orgs: list, patterns: dict) -> list[tuple[str, str | None, bool]]:
    bracket = patterns["bracket"].match(text, mention.end)
    if bracket:
        body_start = bracket.start("body")
        org = next(((e, c) for s, e, c in orgs if s == body_start and e <= bracket.end("body")), None)
        rest = text[org[0] if org else body_start:bracket.end("body")]
        if patterns["post"].fullmatch(rest) or re.fullmatch(rf"(?:{patterns['after'].pattern})", rest):
            return [(post, org[1] if org else None, False) for post in _posts(rest)]
        return []
    after = patterns["after"].match(text, mention.end)
    if after:
        return [(post, None, False) for post in _posts(after.group("chain"))]
    return []
