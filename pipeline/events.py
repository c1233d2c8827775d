"""Stage 5, event extraction: who did what, when and where.

Input: the clean text, its sentences (stage 2), resolved dates (stage 3) and
entity mentions with canonical names (stage 4). Output: one `Event` per named
participant and action, as `docs/output.md` describes.

Triggers come from `resources/triggers.yaml`. For each trigger the
participants are found from the sentence's structure: the people named in the
stretch before it (their title chain and affiliation read from the text
between the organisation and the name), organisations after `由` for
`主办/承办`, the people after `选举/任命`. Triggers joined by `并`/`和` share
participants (`出席并讲话`).
"""
from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass, replace


from pipeline.dates import DateMention
from pipeline.ner_orgs import org_heads
from pipeline.resources import load_yaml
from pipeline.mentions import HAN
from pipeline.segment import TITLE_FIELD, Sentence
from pipeline.sentence_dates import STAMP, sentence_dates



@dataclass(frozen=True)
class EntityRef:
    """An entity mention as events need it (from stage 4)."""
    start: int
    end: int
    label: str
    text: str
    canonical: str
    mention_id: str


@dataclass
class Event:
    sentence_id: int
    who: dict
    action: str
    trigger: str
    what: str | None
    where: str | None
    when: dict | None
    evidence: str
    confidence: float

    def as_dict(self) -> dict:
        return {"sentence_id": self.sentence_id, "who": self.who, "action": self.action, "trigger": self.trigger,
                "what": self.what, "where": self.where, "when": self.when, "evidence": self.evidence,
                "confidence": self.confidence}


@functools.lru_cache(maxsize=1)
def lexicon() -> dict:
    data = dict(load_yaml("triggers.yaml"))  # extended below: a copy, not the shared parse
    data["triggers"] = dict(data["triggers"])
    words = sorted(data["triggers"], key=len, reverse=True)
    alternatives = []
    for word in words:
        spec = data["triggers"][word]
        before = f"(?<![{spec['not_after']}])" if spec.get("not_after") else ""
        after = f"(?![{spec['not_before']}])" if spec.get("not_before") else ""
        if spec.get("not_before_words"):
            after += f"(?!{'|'.join(map(re.escape, spec['not_before_words']))})"
        alternatives.append(before + re.escape(word) + after)
    for n, frame in enumerate(data["frames"]):
        name = f"frame{n}"
        data["triggers"][name] = frame
        alternatives.insert(0, f"(?P<{name}>{frame['pattern']})")
    data["pattern"] = re.compile("|".join(alternatives))
    data["award_roll_pattern"] = re.compile("|".join(sorted(data["award_roll_words"], key=len, reverse=True)))
    data["pronoun_pattern"] = re.compile(f"(?:^|(?<=[，,。；;]))\\s*(?:{'|'.join(data['pronouns'])})(?![们人])")
    data["enumeration_pattern"] = re.compile("|".join(sorted(data["enumeration_words"], key=len, reverse=True)))
    data["election_pattern"] = re.compile("|".join(sorted(data["election_words"], key=len, reverse=True)))
    credits = "|".join(data["credit_words"])
    data["credit_pattern"] = re.compile(rf"[（(][^（()）\n]*(?:{credits})[^（()）\n]*$")
    data["group_pattern"] = re.compile("|".join(sorted(data["group_nouns"], key=len, reverse=True)))
    heads = "|".join(sorted(data["event_heads"], key=len, reverse=True))
    data["quoted_pattern"] = re.compile(r"[“\"《「]([^”\"》」\n]{2,60})[”\"》」]")
    data["event_name_pattern"] = re.compile(rf"(?:{heads})$")
    data["event_head_pattern"] = re.compile(heads)
    held = "|".join(data["held_verbs"])
    data["held_pattern"] = re.compile(rf"(?:[在于][^，。；]*?)?(?:隆重|顺利|成功|正式)?(?:{held})$")
    data["held_split"] = re.compile("|".join(data["holding_verbs"]))
    verbs = "|".join(data["place_verbs"])
    # `在A举行`, and `在A上，` (at an event: `在…大会上，协会与B达成战略合作`).
    data["where_pattern"] = re.compile(rf"[在于]([^，。,；;：:\n在于]{{2,40}}?)(?:隆重|顺利|成功|正式|胜利)?(?:{verbs})"
                                       rf"|在([^，。,；;：:\n]{{2,40}}?)上[，,]")
    going = "|".join(data["destination_verbs"])
    after = "|".join(data["destination_followers"])
    data["destination_pattern"] = re.compile(rf"(?:{going})([^，。,；;：:\n]{{1,20}}?)(?=(?:{after})|[，。,；;]|$)")
    return data


def _titles_between(text: str) -> str | None:
    """The title chain written between an affiliation and a name (`党组书记、副主席`)."""
    title = re.sub(r"^(时任|原|现任)", "", text.strip("，,、 "))
    return title or None


def _who(person: EntityRef, mentions: list[EntityRef], text: str, region_start: int) -> dict:
    """A participant with its title and affiliation read from the text before the name."""
    who = {"text": person.text, "label": person.label, "canonical": person.canonical,
           "title": None, "affiliation": None, "mention_id": person.mention_id}
    if person.label != "PERSON":
        return who
    before = [m for m in mentions if region_start <= m.start and m.end <= person.start and m.label == "ORG"]
    previous_person = max((m.end for m in mentions if m.label == "PERSON" and m.end <= person.start), default=0)
    if before and before[-1].start >= previous_person:
        org = before[-1]
        who["affiliation"] = org.canonical
        between = text[org.end:person.start]
        if len(between) <= 30 and not re.search(r"[，,。；;]", between):
            who["title"] = _titles_between(between)
    return who


def _participants(region: tuple[int, int], mentions: list[EntityRef], text: str,
                  org_only: bool, prefer_orgs: bool = False) -> list[EntityRef]:
    """Named people in the stretch before a trigger; else organisations acting as subject.

    A name right after 在/于/到/赴 is a place of the event (`在市总工会机关召开`), one after 经 an
    agent (`经省民政厅评估，协会被评为…`), and one in the report's credits (`（记者 王明）`), not its subject.
    """
    start, end = region
    credit = lexicon()["credit_pattern"]
    inside = [m for m in mentions if start <= m.start and m.end <= end
              and not re.search(r"[在于到赴经]$", text[max(start, m.start - 1):m.start])
              and not credit.search(text, max(0, m.start - 24), m.start)]
    # A person before 的 owns what follows (`副会长牛文胜的公司`): the place visited, not who acts.
    people = [m for m in inside if m.label == "PERSON" and not text.startswith("的", m.end)]
    if people and not org_only and not prefer_orgs:
        return people
    if people and org_only:
        return []
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
        if (lexicon()["group_pattern"].search(before_venue) and not counted) or re.search(r"[的之]", gap):
            continue
        # `市总工会十四届全委会在…举行`: the meeting is the subject, the organisation only names it.
        if org_only and lexicon()["event_head_pattern"].search(before_venue):
            continue
        if re.search(r"[。；;]", following):
            continue
        orgs.append(org)
    return orgs or (people if prefer_orgs else [])


def _agents(trigger_start: int, previous_end: int, mentions: list[EntityRef], text: str) -> list[EntityRef]:
    """Organisations after 由 (or the previous trigger, or a comma) and before the trigger:
    `由A、B联合主办` gives A and B; `由A主办、B承办` gives B to 承办."""
    head = text[previous_end:trigger_start]
    marker = max(head.rfind("由"), head.rfind("，"), head.rfind(","))
    start = previous_end + marker + 1 if marker >= 0 else previous_end
    return [m for m in mentions if start <= m.start and m.end <= trigger_start and m.label == "ORG"]


def _objects(trigger_end: int, sentence: Sentence, mentions: list[EntityRef], text: str) -> list[EntityRef]:
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


def _visitors_after(trigger_end: int, sentence: Sentence, mentions: list[EntityRef], text: str) -> list[EntityRef]:
    """`会见了来株考察的A一行`: a visit in a relative clause is made by the people named after 的."""
    clause = re.match(r"的([^，。；;]*?)(?:一行|[，。；;]|$)", text[trigger_end:sentence.end])
    if not clause:
        return []
    start, end = trigger_end + clause.start(1), trigger_end + clause.end(1)
    return [m for m in mentions if start <= m.start and m.end <= end and m.label == "PERSON"]


def _founded_after(trigger_end: int, sentence: Sentence, mentions: list[EntityRef], text: str) -> list[EntityRef]:
    """`成立于2015年的A`: the organisation right after 的."""
    match = re.match(r"[^，。；]{0,12}?的", text[trigger_end:sentence.end])
    if not match:
        return []
    start = trigger_end + match.end()
    return [m for m in mentions if m.start == start and m.label == "ORG"]


# Bullets and the entry's date before an event's name (`- 17日 `, `6—9日`, `2月3日下午，`).
LEADING_DATE = re.compile(r"^[-•·\s]*(?:(?:\d{1,4}\s*(?:[年月日号]|年度)|[—–~至-])\s*)*(?:上午|下午|晚上)?\s*")
# Actions whose `what` is the object after the trigger (`收到…感谢信`, `获得…证书`, `召开…大会`).
OBJECT_ACTIONS = {"AWARD", "ISSUE", "RECEIVE", "SIGN", "ELECT", "VISIT", "ORGANIZE"}


def _event_name(text: str) -> str | None:
    """The first stretch (between punctuation) that names an event: `市总工会十四届十二次全委(扩大)会`."""
    for piece in re.split(r"[，,。；;：:！？!?]", text):
        piece = lexicon()["held_pattern"].sub("", LEADING_DATE.sub("", piece.strip()))
        piece = re.sub(r"^.*?(?:由|在|于).*?的", "", piece).strip("“”\"「」")  # `由A主办的“B”` -> B
        piece = lexicon()["held_split"].split(piece)[-1]  # `协会召开第四届理事会` -> 第四届理事会
        if (2 <= len(piece) <= 60 and lexicon()["event_name_pattern"].search(piece)
                and not piece.endswith(tuple(org_heads())) and not lexicon()["pattern"].search(piece)):
            return piece
    return None


def _object(clause: str) -> str | None:
    """The noun phrase right after a trigger, to the end of its clause (`了5A级社会组织等级证书`);
    for `选举A为B` the position B."""
    piece = re.split(r"[，,。；;：:！？!?\n]", clause, maxsplit=1)[0]
    piece = re.sub(r"^(?:了|的|为|到|来|发来的|发来|[^为]{1,12}为)", "", piece.strip())
    return piece if 2 <= len(piece) <= 40 else None


def _what(action: str, entry_text: str, clause: str, paragraph_text: str) -> str | None:
    """The event, document or award a trigger is about: a quoted name after the trigger; the object
    of `获得/收到/签订…`; else the event the entry names, a quoted name in it, or the paragraph's event."""
    match = lexicon()["quoted_pattern"].search(clause)
    if match:
        return match.group(1).strip()
    if action in OBJECT_ACTIONS and _object(clause):
        return _object(clause)
    named = _event_name(entry_text)
    if named:
        return named
    match = lexicon()["quoted_pattern"].search(entry_text)
    return match.group(1).strip() if match else _event_name(paragraph_text)


def _where(entry_text: str) -> str | None:
    match = lexicon()["where_pattern"].search(entry_text)
    return _unquoted(match.group(1) or match.group(2)) if match else None


def _destination(text: str) -> str | None:
    """Where a visit goes: `一行来协会进行工作交流` -> 协会, `赴日本学习考察` -> 日本."""
    match = lexicon()["destination_pattern"].search(text)
    return _unquoted(match.group(1)) if match else None


def _unquoted(place: str) -> str:
    return re.sub(r"[“”\"「」]", "", place).strip()


def _when(mention: DateMention | None, date_ids: dict[int, str]) -> dict | None:
    if mention is None:
        return None
    return {"text": mention.text, "start": mention.value_start.isoformat(), "end": mention.value_end.isoformat(),
            "granularity": mention.granularity, "date_id": date_ids.get(mention.start)}


# Acts a group may take part in before its members are listed (`共有10家商会获此殊荣，它们分别是：…`).
ENUMERABLE_ACTIONS = ("AWARD", "ATTEND", "ELECT", "VISIT", "ORGANIZE")
PRONOUN_REACH = 120  # how far back a pronoun's person may have been named
LIST_LABEL = re.compile(r"\s*[^，。：:\s]{1,8}[：:]")  # a labelled part of a list (`西区：赵强`)


def _texts_by(text: str, sentences: list[Sentence], key: str) -> dict[int, str]:
    """The text of each list entry (or paragraph): its sentences joined."""
    joined: dict[int, str] = {}
    for sentence in sentences:
        group = getattr(sentence, key)
        if group is not None:
            joined[group] = joined.get(group, "") + text[sentence.start:sentence.end]
    return joined


def _shares(previous_who: list[EntityRef], gap: str, gap_mentions: list[EntityRef]) -> bool:
    """Does a trigger take the previous trigger's participants? `出席开班式并讲话` (a short object and
    并, no clause break) or `联合开展“…”活动,并共同签订` (a clause going on with 并), with no other
    person or organisation named in between."""
    joined = re.fullmatch(r"[^，。；,;：:的\n]{0,12}?[并和及、与]?", gap) or re.search(r"[，,]并(?:共同|一起|联合)?$", gap)
    return bool(previous_who and joined and not any(m.label != "LOC" for m in gap_mentions))


SENTENCE_ENDS = ("。", "！", "？", "!", "?")
ROLL_END_LABELS = tuple(load_yaml("triggers.yaml")["roll_end_labels"])
CLAUSE_BREAKS = ("，", "。", "；", ",", ";", "！", "？", "并", "")


@dataclass(frozen=True)
class Roll:
    """A list of the elected or the honoured that a line introduces (`选举产生了新一届领导班子：` then
    `副会长：A、B` lines; `授予以下单位“…”称号：` then names, one per line or joined by 、). It runs until
    a sentence ends."""
    action: str
    trigger: str
    what: str | None
    when: dict | None  # the date of the line introducing the roll

    @classmethod
    def introduced(cls, evidence: str, lex: dict, when: dict | None) -> "Roll | None":
        if TITLE_FIELD.match(evidence):
            return None
        award = lex["award_roll_pattern"].search(evidence)
        if award:
            honour = lex["quoted_pattern"].search(evidence, award.end())
            # `优秀工会工作者名单`: the list's name says the honour when no quoted one does.
            named = award.group(0)[:-2] if re.fullmatch(f"[{HAN}]{{2,20}}名单", award.group(0)) else None
            return cls("AWARD", award.group(0), honour.group(1) if honour else named, when)
        election = lex["election_pattern"].search(evidence)
        return cls("ELECT", election.group(0), None, when) if election else None

    def members(self, evidence: str, start: int, local: list[EntityRef]) -> list[tuple[EntityRef, str | None]]:
        """Who this line lists, each with what they are given; nothing when the line is no part of the roll."""
        if self.action == "ELECT":
            field = TITLE_FIELD.match(evidence)
            return [(m, field["title"]) for m in local if m.label == "PERSON"] if field else []
        if evidence.endswith(SENTENCE_ENDS) or evidence.lstrip().startswith(ROLL_END_LABELS):
            return []
        # `一等奖：王明（某公司）、李华（…）`: the line's label is what they are given.
        label = re.match(r"\s*([^：:，,、（(\s]{2,12})[：:]", evidence)
        what = label.group(1) if label else self.what
        # The particulars in brackets (`王明（女，某公司，高级技师）`) name no winner.
        bracketed = [(m.start(), m.end()) for m in re.finditer(r"[（(][^（()）]*[）)]", evidence)]
        outside = [m for m in local if not any(a <= m.start - start < b for a, b in bracketed)]
        people = [m for m in outside if m.label == "PERSON"]
        return [(m, what) for m in people or [m for m in outside if m.label == "ORG"]]


def _antecedent(text: str, region: tuple[int, int], mentions: list[EntityRef], lex: dict) -> list[EntityRef]:
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


def _enumerated(evidence: str, start: int, local: list[EntityRef], lex: dict) -> list[EntityRef]:
    """The people (else the organisations) listed after an enumeration word (`它们分别是：A、B`), outside
    the particulars in brackets; nothing when the sentence enumerates nothing."""
    marker = lex["enumeration_pattern"].search(evidence)
    if not marker:
        return []
    bracketed = [(m.start(), m.end()) for m in re.finditer(r"[（(][^（()）]*[）)]", evidence)]
    after = [m for m in local if m.start - start >= marker.end()
             and not any(a <= m.start - start < b for a, b in bracketed)]
    return [m for m in after if m.label == "PERSON"] or [m for m in after if m.label == "ORG"]


def _one_award_each(events: list[Event]) -> list[Event]:
    """An honour given to someone is reported once, though a decision names it and its roll lists it again
    (`授予刘明等24名职工“…奖章”` then the roll): the first report of each (who, honour) stays."""
    seen: set[tuple[str, str]] = set()
    kept = []
    for event in events:
        key = (event.who["canonical"], re.sub(r"[“”\"「」《》]", "", event.what or ""))
        if event.action == "AWARD" and event.what:
            if key in seen:
                continue
            seen.add(key)
        kept.append(event)
    return kept


def _confidence(participant: EntityRef, role: str, dated: bool) -> float:
    """Rule-certain frames rank high: a named person as subject, with a date; organisations, agents
    and objects a little lower; no date lower still."""
    score = 0.9 if participant.label == "PERSON" else 0.75
    score -= 0.05 if role != "subject" else 0.0
    score -= 0.2 if not dated else 0.0
    return round(score, 2)


def extract_events(text: str, sentences: list[Sentence], dates: list[DateMention],
                   mentions: list[EntityRef], date_ids: dict[int, str]) -> list[Event]:
    """All who-did-what tuples of a document, in text order."""
    lex = lexicon()
    when_of = sentence_dates(text, sentences, dates)
    entries = _texts_by(text, sentences, "entry")
    paragraphs = _texts_by(text, sentences, "paragraph")
    paragraph_where: dict[int, str | None] = {}
    events: list[Event] = []
    mention_starts = [m.start for m in mentions]
    roll: Roll | None = None  # the list being read, from the line that introduced it
    unnamed: Event | None = None  # the last act of a group named by no name, in this or the last sentence
    listing = False  # the last sentence listed the group's members
    spoken: set[str] = set()  # who has a speech already
    for sentence in sentences:
        evidence = text[sentence.start:sentence.end]
        # Only this sentence's mentions: the work stays linear in the document's length.
        local = mentions[bisect.bisect_left(mention_starts, sentence.start):
                         bisect.bisect_left(mention_starts, sentence.end)]
        when = _when(when_of.get(sentence.sentence_id), date_ids)
        listed = roll.members(evidence, sentence.start, local) if roll else []
        if listed:
            events += [Event(sentence.sentence_id, _who(member, local, text, sentence.start), roll.action, roll.trigger,
                             what, None, roll.when, evidence, _confidence(member, "object", roll.when is not None))
                       for member, what in listed]
            continue
        roll = Roll.introduced(evidence, lex, when) or (roll if not evidence.endswith(SENTENCE_ENDS) else None)
        if sentence.kind in ("title", "header") or STAMP.search(evidence):
            continue  # a headline or publication stamp repeats the article's event
        entry_text = entries.get(sentence.entry, evidence) if sentence.entry is not None else evidence
        # A sentence without a venue reports on the event its paragraph placed (`…在A举行。B出席。`).
        where = _where(evidence) or _where(entry_text) or paragraph_where.get(sentence.paragraph)
        paragraph_where.setdefault(sentence.paragraph, where)
        previous_end, previous_who, previous_action = sentence.start, [], None
        reported: set[tuple[str, str]] = set()  # (participant, action) pairs this sentence has given
        # A verb inside a title or quotation (`《关于同意成立…的批复》`) is part of a name, not an event.
        quoted = [q.span() for q in lex["quoted_pattern"].finditer(text, sentence.start, sentence.end)]
        for match in lex["pattern"].finditer(text, sentence.start, sentence.end):
            if any(start < match.start() < end for start, end in quoted):
                continue
            spec = lex["triggers"][match.lastgroup or match.group(0)]
            speech = spec["action"] == "SPEAK" and text[match.end():match.end() + 1] in CLAUSE_BREAKS
            if match.start() == previous_end and ((previous_action == "ATTEND" and not speech) or (
                    events and events[-1].action == spec["action"] and events[-1].sentence_id == sentence.sentence_id)):
                previous_end = match.end()
                continue  # `走访慰问`: two verbs of one action are one event; `出席签约仪式`, `出席分享会`: what
                # was attended (but `到会致辞，` is a speech)
            previous_action = spec["action"]
            role = spec.get("role", "subject")
            gap_local = [m for m in local if previous_end <= m.start < match.start()]
            if spec["action"] == "VISIT" and text.startswith("的", match.end()):
                who = _visitors_after(match.end(), sentence, local, text)
            elif role == "agent":
                who = _agents(match.start(), previous_end, local, text)
            elif role == "object":
                who = _objects(match.end(), sentence, local, text)
            elif role == "listed_after":
                who = [m for m in local if m.start >= match.end() and m.label == "PERSON"]
            elif role == "honoured":
                honour = re.search(r"[“「《\"]|称号|荣誉", text[match.end():sentence.end])
                stop = match.end() + honour.start() if honour else match.end()
                who = [m for m in local if match.end() <= m.start and m.end <= stop and m.label in ("PERSON", "ORG")]
            elif role in ("companions", "recipients"):
                inside = [m for m in local if match.start() < m.start and m.end < match.end()]
                who = [m for m in inside if m.label == "PERSON"] or (
                    [m for m in inside if m.label == "ORG"] if role == "recipients" else [])
            elif _shares(previous_who, text[previous_end:match.start()], gap_local):
                who = previous_who
            else:
                who = _participants((previous_end, match.start()), local, text, spec.get("org_only", False),
                                    spec.get("prefer_orgs", False))
                if not who and spec.get("founded"):
                    who = _founded_after(match.end(), sentence, local, text)
                if not who and not spec.get("org_only"):
                    who = _antecedent(text, (previous_end, match.start()), mentions, lex)
            if spec.get("org_only") and any(m.label == "PERSON" for m in who):
                who = []
            clause = text[match.end():sentence.end]
            what = _what(spec["action"], entry_text, clause, paragraphs[sentence.paragraph])
            place = (_destination(evidence) or _object(clause) if spec["action"] == "VISIT" else None) or where
            if spec.get("unless_spoken"):
                who = [p for p in who if p.label == "PERSON" and p.canonical not in spoken]
            # One sentence reports an act once (`召开…成立大会，…正式成立`: one founding).
            fresh = [p for p in who if (p.canonical, spec["action"]) not in reported]
            reported.update((p.canonical, spec["action"]) for p in fresh)
            events += [Event(sentence.sentence_id, _who(participant, local, text, sentence.start), spec["action"],
                             match.group(0), what, place, when, evidence, _confidence(participant, role, when is not None))
                       for participant in fresh]
            if spec["action"] == "SPEAK":
                spoken.update(p.canonical for p in fresh)
            if role == "companions":  # the next verb is said of the people before the frame, and is no object
                who = _participants((previous_end, match.start()), local, text, False, False)
                previous_action = None
            if not who and spec["action"] in ENUMERABLE_ACTIONS:
                unnamed = Event(sentence.sentence_id, {}, spec["action"], match.group(0), what, place, when, evidence, 0.0)
            previous_who = who or previous_who
            previous_end = match.end()
        if unnamed is not None and unnamed.sentence_id >= sentence.sentence_id - 1:
            # A list cut by `；` goes on in the next sentence (`东区：王明、李华；西区：赵强。`).
            listed = listing and LIST_LABEL.match(evidence)
            members = [m for m in (local if listed else _enumerated(evidence, sentence.start, local, lex))
                       if (m.label == "PERSON" or not listed) and (m.canonical, unnamed.action) not in reported]
            events += [Event(sentence.sentence_id, _who(member, local, text, sentence.start), unnamed.action,
                             unnamed.trigger, unnamed.what, unnamed.where, unnamed.when or when, evidence,
                             _confidence(member, "object", (unnamed.when or when) is not None)) for member in members]
            listing = bool(members)
            unnamed = replace(unnamed, sentence_id=sentence.sentence_id) if members else unnamed
    return _one_award_each(events)
