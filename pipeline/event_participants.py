"""Who takes part in an act: the named people or organisations a trigger's frame points to
(subjects before it, agents after 由, objects, companions, the members a group is listed as, the person
a pronoun stands for), with their titles and affiliations."""
from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.event_fields import HONOURED_AS
from pipeline.segment import Sentence

PRONOUN_REACH = 120  # how far back a pronoun's person may have been named

# What follows an agency's name in a dateline: the place and the day it sends from (`四川新闻11月26日电`).
DATELINE = re.compile(r"[^，。,\s]{0,8}?(?:\d{1,2}月)?[\d一二三四五六七八九十廿卅]{1,3}日(?:电|讯)")


@dataclass(frozen=True)
class EntityRef:
    """An entity mention as events need it (from stage 4)."""
    start: int
    end: int
    label: str
    text: str
    canonical: str
    mention_id: str
    posts: tuple[tuple[str, str | None], ...] = ()  # (title, organisation) the relation stage found for it


# What follows an organisation listed on its own, not as the post of a person after it (`某日报、某晚报等，`).
LISTED_ALONE = re.compile(r"\s*(?:[、，,；;。]|等[，,。；;\s]|等$|$)")


def who_of(person: EntityRef) -> dict:
    """A participant with the title and affiliation the relation stage gave this mention: its posts joined
    (`党组书记、副主席`), and the organisation of the post written next to the name."""
    who = {"text": person.text, "label": person.label, "canonical": person.canonical,
           "title": None, "affiliation": None, "mention_id": person.mention_id}
    if person.posts:
        who["title"] = "、".join(dict.fromkeys(title for title, _ in person.posts))
        who["affiliation"] = person.posts[-1][1]
    return who


def participants_before(region: tuple[int, int], mentions: list[EntityRef], text: str, lex: dict,
                        org_only: bool, prefer_orgs: bool = False, founded: bool = False) -> list[EntityRef]:
    """Named people in the stretch before a trigger; else organisations acting as subject.

    A name right after 在/于/到/赴 is a place of the event (`在市总工会机关召开`), one after 经 an
    agent (`经省民政厅评估，协会被评为…`), one in the report's credits (`（记者 王明）`) and the agency of a
    dateline (`某新闻网北京11月26日电`), not its subject.
    `founded`: an organisation founded; the people before it are its founders, not what is founded.
    """
    start, end = region
    credit = lex["credit_pattern"]
    inside = [m for m in mentions if start <= m.start and m.end <= end
              and not lex["not_subject_after"].search(text[max(start, m.start - 1):m.start])
              and not credit.search(text, max(0, m.start - 24), m.start) and not DATELINE.match(text, m.end)]
    # A person before 的 owns what follows (`副会长牛文胜的公司`): the place visited, not who acts.
    people = [m for m in inside if m.label == "PERSON" and not text.startswith("的", m.end)]
    if people and not org_only and not prefer_orgs:
        return people
    if people and org_only and not founded:
        return []  # a person's own act (`会长带队…举办`) is no organisation's
    orgs = []
    for org in (m for m in inside if m.label == "ORG"):
        # What follows, other names blanked: `发展和改革局` holds no exhibition (展), `社会保障局` no meeting (会).
        blank = {k for other in inside for k in range(max(other.start, org.end), min(other.end, end))}
        following = "".join("、" if k in blank else text[k] for k in range(org.end, end))
        # Before an organisation's own act, what stands after 在/于 is a venue (`在市劳模疗养院举办`)
        # and says nothing about the subject.
        before_venue = re.split(r"[在于]", following)[0] if org_only else following
        nxt = min((m.start for m in inside if m.start >= org.end), default=end)
        gap = text[org.end:nxt]
        # `A、B有关领导出席`: the people of a list of organisations are unnamed; nobody to name. But
        # `A、B等9家企业荣获`: the organisations are counted, so they are the ones named.
        counted = re.search(r"等\s*[0-9一二三四五六七八九十百]+\s*[家个所](?:会员)?(?:企业|单位|公司|机构)?\s*$", before_venue)
        if (lex["group_pattern"].search(before_venue) and not counted) or re.search(r"[的之]", gap):
            continue
        # `市总工会十四届全委会在…举行`: the meeting is the subject, the organisation only names it.
        if org_only and lex["event_head_pattern"].search(before_venue):
            continue
        if re.search(r"[。；;]", following):
            continue
        orgs.append(org)
    return orgs or (people if prefer_orgs else [])


def agents_before(trigger_start: int, previous_end: int, mentions: list[EntityRef], text: str) -> list[EntityRef]:
    """Organisations after 由 (or the previous trigger, or a comma) and before the trigger:
    `由A、B联合主办` gives A and B; `由A主办、B承办` gives B to 承办."""
    head = text[previous_end:trigger_start]
    marker = max(head.rfind("由"), head.rfind("，"), head.rfind(","))
    start = previous_end + marker + 1 if marker >= 0 else previous_end
    return [m for m in mentions if start <= m.start and m.end <= trigger_start and m.label == "ORG"]


def objects_after(trigger_end: int, sentence: Sentence, mentions: list[EntityRef], text: str) -> list[EntityRef]:
    """People right after 选举/任命 up to 为, and a list that follows as `，A、B等为…`."""
    def people_in(start: int, end: int) -> list[EntityRef]:
        return [m for m in mentions if start <= m.start and m.end <= end and m.label == "PERSON"]

    stop = re.search(r"为|[，。；;]", text[trigger_end:sentence.end])
    end = trigger_end + stop.start() if stop else sentence.end
    chosen = people_in(trigger_end, end)
    if stop and stop.group(0) == "为":
        more = re.match(r"[^，。；;]*[，,]([^，。；;为]+?)(?:等\d*人?)?为", text[end:sentence.end])
        if more:
            chosen += people_in(end + more.start(1), end + more.end(1))
    return chosen


def visitors_after(trigger_end: int, sentence: Sentence, mentions: list[EntityRef], text: str) -> list[EntityRef]:
    """`会见了来株考察的A一行`: a visit in a relative clause is made by the people named after 的."""
    clause = re.match(r"的([^，。；;]*?)(?:一行|[，。；;]|$)", text[trigger_end:sentence.end])
    if not clause:
        return []
    start, end = trigger_end + clause.start(1), trigger_end + clause.end(1)
    return [m for m in mentions if start <= m.start and m.end <= end and m.label == "PERSON"]


def founded_after(trigger_end: int, sentence: Sentence, mentions: list[EntityRef], text: str) -> list[EntityRef]:
    """`成立于2015年的A`: the organisation right after 的."""
    match = re.match(r"[^，。；]{0,12}?的", text[trigger_end:sentence.end])
    if not match:
        return []
    start = trigger_end + match.end()
    return [m for m in mentions if m.start == start and m.label == "ORG"]


# Bullets and the entry's date before an event's name (`- 17日 `, `6—9日`, `2月3日下午，`).


def shares_participants(previous_who: list[EntityRef], gap: str, gap_mentions: list[EntityRef],
                        conjunction: bool = False) -> bool:
    """Does a trigger take the previous trigger's participants? `出席开班式并讲话` (a short object and
    并, no clause break) or `联合开展“…”活动,并共同签订` (a clause going on with 并), with no other
    person or organisation named in between. With `conjunction`, only when the gap ends with one: what
    is founded is named right before 成立, so in `召开…成立大会` the convener founded nothing."""
    joiner = "[并和及、与]" if conjunction else "[并和及、与]?"
    joined = re.fullmatch(rf"[^，。；,;：:的\n]{{0,12}}?{joiner}", gap) or re.search(r"[，,]并(?:共同|一起|联合)?$", gap)
    return bool(previous_who and joined and not any(m.label != "LOC" for m in gap_mentions))


def antecedent(text: str, region: tuple[int, int], mentions: list[EntityRef], lex: dict) -> list[EntityRef]:
    """The person a pronoun subject (`他介绍了…`) stands for: the last one named before it, in its sentence or
    the one before (`PRONOUN_REACH` characters back); nobody when the stretch holds no pronoun."""
    pronoun = lex["pronoun_pattern"].search(text[region[0]:region[1]])
    # The pronoun is the subject only when nothing between it and the trigger starts another clause or
    # another participant's phrase (`他代表联合会向出席会议的…`, `她指出，…共发布`).
    if not pronoun or re.search(r"[，,。；;：:向对与和的给为把被]", text[region[0] + pronoun.end():region[1]]):
        return []
    at = region[0] + pronoun.start()
    before = [m for m in mentions if at - PRONOUN_REACH <= m.start and m.end <= at and m.label == "PERSON"]
    return before[-1:]


def enumerated(evidence: str, start: int, local: list[EntityRef], lex: dict) -> list[EntityRef]:
    """The people (else the organisations) listed after an enumeration word (`它们分别是：A、B`), outside
    the particulars in brackets; nothing when the sentence enumerates nothing."""
    marker = lex["enumeration_pattern"].search(evidence)
    if not marker:
        return []
    # Particulars in brackets name no member, unless the whole list is in brackets (`（名单为：A、B）`).
    bracketed = [(m.start(), m.end()) for m in re.finditer(r"[（(][^（()）]*[）)]", evidence)
                 if m.start() > marker.start()]
    after = [m for m in local if m.start - start >= marker.end()
             and not any(a <= m.start - start < b for a, b in bracketed)]
    return [m for m in after if m.label == "PERSON"] or [m for m in after if m.label == "ORG"]


def frame_participants(spec: dict, match: re.Match[str], sentence: Sentence, local: list[EntityRef],
                       mentions: list[EntityRef], text: str,
                       previous: tuple[int, list[EntityRef]], lex: dict) -> list[EntityRef]:
    """Who takes part in the act a trigger match names, by the role its frame gives them; `previous` is
    where the last trigger of the sentence ended and who took part in it."""
    previous_end, previous_who = previous
    role = spec.get("role", "subject")
    if lex["actions"][spec["action"]].where == "destination" and text.startswith("的", match.end()):
        return visitors_after(match.end(), sentence, local, text)
    if role == "agent":
        return agents_before(match.start(), previous_end, local, text)
    if role == "object":
        return objects_after(match.end(), sentence, local, text)
    if role == "listed_after":
        return [m for m in local if m.start >= match.end() and (
            m.label == "PERSON" or (m.label == "ORG" and LISTED_ALONE.match(text, m.end)))]
    if role == "honoured":
        honour = re.search(rf"[“「《\"]|称号|荣誉|{HONOURED_AS}", text[match.end():sentence.end])
        stop = match.end() + honour.start() if honour else match.end()
        return [m for m in local if match.end() <= m.start and m.end <= stop and m.label in ("PERSON", "ORG")]
    if role in ("companions", "recipients", "leaders"):
        inside = [m for m in local if match.start() < m.start and m.end <= match.end()]
        return [m for m in inside if m.label == "PERSON"] or (
            [m for m in inside if m.label == "ORG"] if role == "recipients" else [])
    gap_local = [m for m in local if previous_end <= m.start < match.start()]
    if shares_participants(previous_who, text[previous_end:match.start()], gap_local, bool(spec.get("founded"))):
        return previous_who
    who = participants_before((previous_end, match.start()), local, text, lex, spec.get("org_only", False),
                              spec.get("prefer_orgs", False), bool(spec.get("founded")))
    if not who and spec.get("founded"):
        who = founded_after(match.end(), sentence, local, text)
    if not who and not spec.get("org_only"):
        who = antecedent(text, (previous_end, match.start()), mentions, lex)
    return who

