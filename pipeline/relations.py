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
import re
from collections import Counter, defaultdict
from dataclasses import dataclass

from pipeline.canonical import fold_internal_body
from pipeline.knowledge import Knowledge, alternation
from pipeline.mentions import HAN, Mention, is_han
from pipeline.ner_orgs import org_heads
from pipeline.segment import Sentence
from pipeline.shared_posts import LISTED, shared_posts

REACH = 40  # how far before a name its post chain may start
DEPARTMENT_REACH = 8  # how much longer a department may be than the post pattern reads


@dataclass(frozen=True)
class PartOf:
    """A named branch, committee or department and the organisation it belongs to: `part_of` in
    relations.jsonl."""
    part: str  # its full name: the parent's canonical name and what the text adds (`…上海办事处`, `…办公室`)
    whole: str  # the parent's canonical name
    sentence_id: int | None


@dataclass(frozen=True)
class Role:
    """One post a person holds: `holds_title` in relations.jsonl."""
    person: str  # canonical name
    title: str
    organisation: str | None  # canonical name
    former: bool
    sentence_id: int | None


def _patterns(knowledge: Knowledge) -> dict:
    data = knowledge.yaml("relations.yaml")
    posts = sorted((set(knowledge.words("titles.txt")) | set(data["byline_posts"])) - set(data["not_posts"]),
                   key=len, reverse=True)
    # A body or department the post is written with (`党委副书记`, `会员部主任`, `权益保障和法律工作部副部长`).
    body = rf"(?:{alternation(data['post_bodies'])}|{knowledge.yaml('org_parts.yaml')['department']}|" \
        rf"[{HAN}]{{1,6}}?(?:{alternation(data['department_endings'])}))"
    bare = rf"(?:{alternation(data['post_modifiers'])}){{0,2}}(?:{alternation(posts)})"
    # A second post in brackets names the same office another way (`会长（理事长）王明`): both are held.
    post = rf"{body}?{bare}(?:[（(]{bare}[）)])?"
    joiner = "|".join(map(re.escape, data["post_joiners"]))
    chain = rf"{post}(?:(?:{joiner})\s*{post})*"  # OCR may leave a space after the joiner
    markers = "|".join(map(re.escape, data["former_markers"] + data["current_markers"]))
    return {
        # A post may head a list of names (`副会长：`, `常务理事名单为：`).
        "before": re.compile(rf"(?P<marker>{markers})?(?P<chain>{chain})(?:{data['list_heading']})?[：:/\s]*$"),
        "after": re.compile(rf"(?P<chain>{chain})"),
        "verbs": frozenset(data["verbs_after_name"]),
        "appointed": re.compile(rf"(?:{data['list_end']})?(?:{alternation(data['appointed_markers'])})"),
        "term": re.compile(rf"(?:{data['term']})?"),
        "bracket": re.compile(r"[（(](?P<body>[^（()）]{1,30})[）)]"),
        "joiner": re.compile(joiner),
        "post_split": re.compile(rf"{joiner}|[（()）]"),
        "former": tuple(data["former_markers"]),
        "posts": frozenset(posts),
        "bylines": frozenset(data["byline_posts"]),
        "media": tuple(data["medium_endings"]),
        "public_offices": frozenset(data["public_offices"]),
        "term_body": re.compile(data["term_body"]),
        "org_reference": re.compile(data["org_reference"]),
        # The bodies and departments a post is written with, and a post with one (`党委副书记`) or alone.
        "body": re.compile(body),
        "bodies": frozenset(data["post_bodies"]),
        "with_body": re.compile(rf"{body}{bare}"),
        "single": re.compile(rf"(?P<body>{alternation(data['post_bodies'])})?{bare}"),
        "org_heads": tuple(org_heads(knowledge)),
        "knowledge": knowledge,
    }


def _posts(chain: str, patterns: dict) -> list[str]:
    return [part.strip() for part in patterns["post_split"].split(chain) if part.strip()]


def find_roles(text: str, sentences: list[Sentence], mentions: list[Mention], canonical: list[str],
               knowledge: Knowledge) -> tuple[list[Role], dict[int, list[tuple[str, str | None]]]]:
    """The posts of every titled PERSON mention, in text order, each (person, post, organisation) once; and
    each titled mention's own posts (title, organisation), by its index in `mentions`, for its events."""
    reading = _RoleReader(text, mentions, canonical, knowledge.derived(_patterns))
    shared = shared_posts(text, mentions, knowledge)  # `苏浙皖三省总工会主席甲、乙、丙`: each at one province's
    index_of = {id(m): i for i, m in enumerate(mentions)}
    by_mention: dict[int, list[tuple[str, str | None]]] = defaultdict(list)
    starts = [s.start for s in sentences]
    found: dict[tuple, Role] = {}
    previous: tuple[Mention, list[tuple[str, str | None, bool]]] | None = None
    pending: list[tuple[Mention, str, Sentence | None]] = []  # names listed so far, waiting for a post after them
    carried: tuple[int, str | None] | None = None  # the sentence of the last appointment and its organisation
    for mention, name in reading.named:
        if mention.label != "PERSON" or mention.source == "short_reference":
            continue
        index = bisect.bisect_right(starts, mention.start) - 1
        sentence = sentences[index] if index >= 0 else None
        floor = max(sentence.start if sentence else 0, mention.start - REACH)
        posts = reading.posts(mention, floor, previous)
        # `副会长张三、李四`, `（记者 张三 李四）`: names listed, by a mark or a space
        listed = previous is not None and LISTED.fullmatch(text, previous[0].end, mention.start) is not None
        if not posts and listed and previous[1]:
            posts = previous[1]  # `副会长张三、李四`: listed after a titled name
        if mention.start in shared:
            posts = [(title, shared[mention.start], former) for title, _, former in posts]
        appointed = _appointed(text, mention, reading.orgs, reading.patterns)
        if appointed:  # `选举甲为某协会会长，乙、丙等为副会长`: a later appointment is to the same organisation
            appointed, carried = _carry_organisation(appointed, carried if carried and carried[0] == index else None)
            carried = (index, carried)
        members = (pending if listed else []) + [(mention, name, sentence)]
        for person, person_name, person_sentence in members if appointed else [(mention, name, sentence)]:
            own = posts if person is mention else []
            for title, organisation, former in own + appointed:
                organisation = organisation or reading.default_organisation(title, person, floor, own, appointed)
                by_mention[index_of[id(person)]].append((title, organisation))
                key = (person_name, title, organisation)
                found.setdefault(key, Role(person_name, title, organisation, former,
                                           person_sentence.sentence_id if person_sentence else None))
        pending = [] if appointed else members
        previous = (mention, posts)
    return list(found.values()), dict(by_mention)


class _RoleReader:
    """One document's organisations as posts attach to them, and where a post written with none goes."""

    def __init__(self, text: str, mentions: list[Mention], canonical: list[str], patterns: dict) -> None:
        self.text, self.patterns = text, patterns
        self.named = list(zip(mentions, canonical))
        self.orgs = [span for m, c in self.named if m.label == "ORG" and (span := _org_span(m, c, patterns))]
        # The organisation a document is about (its most named one): where the text attaches a post to none
        # (`副会长张三` in a chamber's own news), the post is of that organisation.
        counts = Counter(c for _, _, c in self.orgs)
        self.subject = counts.most_common(1)[0][0] if counts else None
        self.media = [(s, c) for s, _, c in self.orgs if c.endswith(patterns["media"])]
        self.orgs = sorted(self.orgs + self._references(text))

    def _references(self, text: str) -> list[tuple[int, int, str]]:
        """`该会理事长`, `本会秘书长`: an organisation referred to, not named; 该 is the one named last before,
        本/我 the document's own."""
        found = []
        for reference in self.patterns["org_reference"].finditer(text):
            if reference.group("own"):
                organisation = self.subject
            else:
                organisation = next((c for s, e, c in reversed(self.orgs) if e <= reference.start()), None)
            if organisation:
                found.append((reference.start(), reference.end(), organisation))
        return found

    def posts(self, mention: Mention, floor: int, previous: tuple | None) -> list[tuple[str, str | None, bool]]:
        """The posts written before or after the name."""
        posts = _before(self.text, mention, floor, self) or \
            _after(self.text, mention, self.orgs, self.patterns)
        if posts and previous and previous[1] and _follows(self.text, previous[0], mention, self.orgs):
            # `某法院党组书记、院长甲，党组成员、副院长乙`: the next person's posts are at the same organisation.
            posts = [(title, organisation or previous[1][-1][1], former) for title, organisation, former in posts]
        return posts

    def default_organisation(self, title: str, person: Mention, floor: int, own: list, appointed: list) -> str | None:
        """The organisation of a post the text writes with none: a byline's, the medium named nearest; a
        public office's (`副市长`, `大使`), none; else the last organisation named before the name in its
        sentence (for an appointment, not one the person holds another post at), else the document's."""
        if title in self.patterns["bylines"]:
            return min(self.media, key=lambda m: abs(m[0] - person.start), default=(0, None))[1]
        if title in self.patterns["public_offices"]:
            return None
        nearest = _nearest_org(person.start, self.orgs, self.named, floor)
        if appointed and nearest in {organisation for _, organisation, _ in own}:
            nearest = None  # `某集团董事长甲当选会长`: the 会长 is not the 集团's
        return nearest or self.subject


def _org_span(mention: Mention, name: str, patterns: dict) -> tuple[int, int, str] | None:
    """An ORG mention as posts attach to it: (start, end, canonical name), its end before a body its posts
    are written with (`某集团党委` of `某集团党委副书记`, `某市委统战部` of `…统战部副部长`), so the post keeps
    the body; None for a mention that is only such a body (`书记处` cut from its organisation)."""
    if mention.text in patterns["bodies"]:
        return None
    body = _folded_away(patterns["knowledge"], mention.text)
    end = mention.end - len(body) if body and patterns["body"].fullmatch(body) else mention.end
    return mention.start, end, patterns["term_body"].sub("", name) or name


def _carry_organisation(appointed: list[tuple[str, str | None, bool]],
                        carried: tuple[int, str | None] | None) -> tuple[list, str | None]:
    """The appointed posts, those of no organisation given the one the sentence last appointed to; and
    the organisation to carry on."""
    before = carried[1] if carried else None
    posts = [(title, organisation or before, former) for title, organisation, former in appointed]
    return posts, posts[0][1]


def _appointed(text: str, mention: Mention, orgs: list, patterns: dict) -> list[tuple[str, str | None, bool]]:
    """A post given after the name: `当选为副会长`, `为商会会长` (with the organisation between), `为新一届
    某委员会主任委员`, `当选为某协会第三届主席` (with the term before or after it)."""
    marker = patterns["appointed"].match(text, mention.end)
    if not marker:
        return []
    position, organisation = patterns["term"].match(text, marker.end()).end(), None
    org = next(((e, c) for s, e, c in orgs if s == position), None)
    if org:
        position, organisation = org
        position = patterns["term"].match(text, position).end()
    chain = patterns["after"].match(text, position)
    return [(post, organisation, False) for post in _posts(chain.group("chain"), patterns)] if chain else []


def _follows(text: str, previous: Mention, mention: Mention, orgs: list) -> bool:
    """Whether `mention`'s post chain comes straight after `previous` (`，`/`、`, no organisation between)."""
    between = text[previous.end:mention.start]
    return len(between) <= REACH and between[:1] in ("，", "、", ",") and not any(
        previous.end <= s and e <= mention.start for s, e, _ in orgs)


def _nearest_org(position: int, orgs: list, named: list, floor: int) -> str | None:
    """The last organisation named before `position` in its sentence, with no other person between."""
    last_person = max((m.end for m, _ in named if m.label == "PERSON" and m.end <= position), default=-1)
    before = [(s, e, c) for s, e, c in orgs if floor <= s and e <= position and s >= last_person]
    return before[-1][2] if before else None


def _before(text: str, mention: Mention, floor: int, reader: "_RoleReader") -> list[tuple[str, str | None, bool]]:
    """The posts written before the name, back over `、` to the posts it holds at other organisations
    (`市人大常委会副主任、市总工会党组书记、主席李涛`)."""
    found, end = [], mention.start
    while True:
        posts, start = _chain_before(text, end, floor, reader.orgs, reader.patterns)
        if found and posts and posts[0][1] is None:
            # `某联合会会长、市人大代表甲`: an earlier chain with no organisation beside it is not at the later one's
            organisation = _nearest_org(start, reader.orgs, reader.named, floor) or reader.subject
            posts = [(title, organisation, former) for title, _, former in posts]
        found = posts + found
        if not posts or start <= floor or text[start - 1] not in "、，,":
            return found
        end = start - 1


def _chain_before(text: str, end: int, floor: int, orgs: list, patterns: dict) -> tuple[list, int]:
    """The posts of one organisation ending at `end`, and where they (with their organisation) start."""
    match = patterns["before"].search(text, floor, end)
    if not match or match.end() != end:
        return [], end
    chain_start = match.start("chain")
    inside = [o for o in orgs if chain_start < o[1] <= end]  # an ORG inside: the chain began after it
    if inside:
        chain_start = inside[-1][1]
        match = patterns["before"].search(text, chain_start, end)
        if not match or match.start("chain") != chain_start:
            return [], end
    left = match.start()  # a former or current marker may stand between the organisation and its post (`某大学原院长`)
    org = next(((s, e, c) for s, e, c in reversed(orgs) if e <= left and left - e <= 1
                and text[e:left] in ("", "的")), None)
    posts = _posts(match.group("chain"), patterns)
    if not org:
        org = _org_before_department(text, chain_start, orgs, posts, patterns)
        if org:  # `市委城乡统筹第三督导组组长`: a long department between the organisation and its post
            posts[0] = text[org[1]:chain_start] + posts[0]
        elif chain_start > 0 and is_han(text[chain_start - 1]) and patterns["with_body"].fullmatch(posts[0]):
            posts[0] = _whole_post_within(text, chain_start, posts[0], patterns)
    marker_end = org[0] if org else match.start("chain")
    former = text[max(0, marker_end - 2):marker_end].endswith(patterns["former"]) or \
        (match.group("marker") or "") in patterns["former"]
    return [(post, org[2] if org else None, former) for post in posts], org[0] if org else match.start()


def _org_before_department(text: str, chain_start: int, orgs: list, posts: list[str],
                           patterns: dict) -> tuple[int, int, str] | None:
    """The organisation a department-led chain continues (`市委|城乡统筹第三督导组组长`): one ending a few
    characters before, with only Han characters between."""
    if not patterns["body"].match(posts[0]):
        return None
    return next(((s, e, c) for s, e, c in reversed(orgs) if e < chain_start <= e + DEPARTMENT_REACH
                 and all(is_han(ch) for ch in text[e:chain_start])), None)


def _whole_post_within(text: str, start: int, post: str, patterns: dict) -> str:
    """A post whose chain began inside a name the NER did not find (`…沿江四市总|工会主席`): the longest part of
    it after its first character that is a post in itself and whose body does not end that name (`工会`
    after `总`)."""
    for k in range(1, len(post)):
        single = patterns["single"].fullmatch(post[k:])
        body = single.group("body") if single else None
        if single and not (body and (text[max(0, start + k - 4):start + k] + body).endswith(patterns["org_heads"])):
            return post[k:]
    return post


def _folded_away(knowledge: Knowledge, written: str) -> str:
    """What the canonical name folds away from an organisation's name as written: its department or
    internal body (`某市委统战部` -> `统战部`, `市总工会党组` -> `党组`), or ""."""
    folded = fold_internal_body(knowledge, written)
    return written[len(folded):] if folded != written and written.startswith(folded) else ""


def _after(text: str, mention: Mention, orgs: list, patterns: dict) -> list[tuple[str, str | None, bool]]:
    bracket = patterns["bracket"].match(text, mention.end)
    if bracket:
        body_start = bracket.start("body")
        org = next(((e, c) for s, e, c in orgs if s == body_start and e <= bracket.end("body")), None)
        rest = text[org[0] if org else body_start:bracket.end("body")]
        if patterns["after"].fullmatch(rest):
            return [(post, org[1] if org else None, False) for post in _posts(rest, patterns)]
        return []
    after = patterns["after"].match(text, mention.end)
    if after and after.group("chain") not in patterns["verbs"]:
        return [(post, None, False) for post in _posts(after.group("chain"), patterns)]
    return []


def find_part_of(text: str, sentences: list[Sentence], mentions: list[Mention], canonical: list[str],
                 knowledge: Knowledge) -> list[PartOf]:
    """Each named branch (`中国纺织协会上海办事处`: a branch head after an organisation the document names) and
    each department or internal body folded into its parent (`市总工会办公室`, `市总工会党组`), once, where the
    text first names it."""
    branch_heads = tuple(knowledge.yaml("org_parts.yaml")["branch_heads"])
    orgs = [(m, name) for m, name in zip(mentions, canonical) if m.label == "ORG" and m.source != "short_reference"]
    names = {name for _, name in orgs}
    starts = [s.start for s in sentences]
    found: dict[tuple[str, str], PartOf] = {}
    for mention, name in orgs:
        body = _folded_away(knowledge, mention.text)
        whole: str | None = None
        # A body of two characters or more (`办公室`, `党组`), not a 党委 cut to its last character (`…联合会委`).
        if len(body) >= 2:
            part, whole = name + body, name
        elif name.endswith(branch_heads):
            part = name
            whole = max((n for n in names if name.startswith(n) and len(n) < len(name)), key=len, default=None)
        if whole and part != whole and (part, whole) not in found:
            index = bisect.bisect_right(starts, mention.start) - 1
            found[(part, whole)] = PartOf(part, whole, sentences[index].sentence_id if index >= 0 else None)
    return list(found.values())
