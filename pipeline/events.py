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
import re
from dataclasses import dataclass, field, replace

from pipeline.date_patterns import date_grammar
from pipeline.dates import DateMention
from pipeline.event_fields import destination_of, object_of, what_of, where_of
from pipeline.event_lexicon import lexicon
from pipeline.event_participants import (
    EntityRef,
    enumerated,
    frame_participants,
    participants_before,
    who_of,
)
from pipeline.event_rolls import SENTENCE_ENDS, Roll, dated_over_undated, one_award_each
from pipeline.knowledge import Knowledge
from pipeline.notice import notice_signature, signers
from pipeline.segment import Sentence
from pipeline.sentence_dates import DAY_GRANULARITIES, sentence_dates


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


def _when(mention: DateMention | None, date_ids: dict[int, str]) -> dict | None:
    if mention is None:
        return None
    return {"text": mention.text, "start": mention.value_start.isoformat(), "end": mention.value_end.isoformat(),
            "granularity": mention.granularity, "date_id": date_ids.get(mention.start)}


LIST_GOES_ON = ("；", ";")  # a sentence ending so may be cut from a list the next one continues
COUNTED_GROUP = re.compile(r"\s*等\s*[0-9一二三四五六七八九十百]+\s*[名人位个家]")  # `A等15名`: more, listed later
GROUP_REACH = 2  # a group's members are listed at most this many sentences after its act
LIST_LABEL = re.compile(r"\s*[^，。：:\s]{1,8}[：:]")  # a labelled part of a list (`西区：赵强`)


def _texts_by(text: str, sentences: list[Sentence], key: str) -> dict[int, str]:
    """The text of each list entry (or paragraph): its sentences joined."""
    joined: dict[int, str] = {}
    for sentence in sentences:
        group = getattr(sentence, key)
        if group is not None:
            joined[group] = joined.get(group, "") + text[sentence.start:sentence.end]
    return joined


CLAUSE_BREAKS = ("，", "。", "；", ",", ";", "！", "？", "并", "")


def _group_members(unnamed: Event, sentence: Sentence, local: list[EntityRef], text: str, listing: bool,
                   reported: set[tuple[str, str]], when: dict | None, lex: dict) -> list[Event]:
    """The act of a group named by no name, given to the members this sentence lists after `分别是`, or goes on
    listing after the last one (a list cut by `；`: `东区：王明、李华；西区：赵强。`)."""
    evidence = text[sentence.start:sentence.end]
    listed = listing and LIST_LABEL.match(evidence)
    members = [m for m in (local if listed else enumerated(evidence, sentence.start, local, lex))
               if (m.label == "PERSON" or not listed) and (m.canonical, unnamed.action) not in reported]
    dated = unnamed.when or when
    return [Event(sentence.sentence_id, who_of(member), unnamed.action, unnamed.trigger,
                  unnamed.what, unnamed.where, dated, evidence, _confidence(member, "object", dated is not None, lex))
            for member in members]


def _confidence(participant: EntityRef, role: str, dated: bool, lex: dict) -> float:
    """Rule-certain frames rank high: a named person as subject, with a date; organisations, agents
    and objects a little lower; no date lower still (weights in actions.yaml)."""
    weights = lex["confidence"]
    score = weights["person"] if participant.label == "PERSON" else weights["organisation"]
    score -= weights["not_subject"] if role != "subject" else 0.0
    score -= weights["undated"] if not dated else 0.0
    return round(score, 2)


@dataclass
class _Clause:
    """Where the reading of one sentence's triggers stands: the last trigger's end, who took part in it and
    its action, and the (participant, action) pairs the sentence has given."""
    end: int
    who: list[EntityRef] = field(default_factory=list)
    action: str | None = None
    reported: set[tuple[str, str]] = field(default_factory=set)


REPEAT_MIN_CHARS = 15  # a sentence this long, repeated word for word, is the same passage again


class _EventReader:
    """Reads a document's sentences in order, keeping what a reader keeps from one to the next: the roll
    being read, the act of a group not yet named, who has spoken, each paragraph's venue."""

    def __init__(self, text: str, sentences: list[Sentence], dates: list[DateMention], mentions: list[EntityRef],
                 date_ids: dict[int, str], knowledge: Knowledge) -> None:
        self.text, self.mentions, self.date_ids = text, mentions, date_ids
        self.lex = lexicon(knowledge)
        grammar = date_grammar(knowledge)
        self.signature = notice_signature(grammar, text, dates)
        self.when_of, self.said = sentence_dates(text, sentences, dates, knowledge, self.signature)
        self.stamp = grammar.marked_stamp
        self.signing = (self.signature.signers[0], self.signature.date.end) if self.signature else (-1, -1)
        self.entries = _texts_by(text, sentences, "entry")
        self.paragraphs = _texts_by(text, sentences, "paragraph")
        self.paragraph_where: dict[int, str | None] = {}
        self.mention_starts = [m.start for m in mentions]
        self.events: list[Event] = []
        self.roll: Roll | None = None  # the list being read, from the line that introduced it
        self.unnamed: Event | None = None  # the last act of a group named by no name, in this or the last sentence
        self.unnamed_named: set[tuple[str, str]] = set()  # those of that group named with it (`A等15名`)
        self.carried: Event | None = None  # a list of attendees cut by `；`, which the next sentence goes on with
        self.leading: list[EntityRef] = []  # `在A的带领下，…`: who takes part in the sentence's next act
        self.awarding = False  # an honour given so far, to anyone (a list's name alone then lists its holders)
        self.listing = False  # the last sentence listed the group's members
        self.spoken: set[str] = set()  # who has a speech already
        self.told: set[tuple] = set()  # the sentences read so far, with their dates

    def read(self, sentences: list[Sentence]) -> list[Event]:
        for sentence in sentences:
            self._sentence(sentence)
        self.events += self._issued_by_signers()
        return dated_over_undated(one_award_each(self.events, self.lex))

    def _issued_by_signers(self) -> list[Event]:
        """A signed notice that says it is published with no subject (`现将…予以公示`) is issued by its signers on
        the signature's date, under its title's name (unless a sentence already told a signer issue it)."""
        signature = self.signature
        if signature is None or signature.published is None:
            return []
        when, evidence = _when(signature.date, self.date_ids), self.text[signature.signers[0]:signature.date.end]
        issued = {event.who["canonical"] for event in self.events if event.action == "ISSUE"}
        return [Event(signature.date.sentence_id, who_of(signer), "ISSUE", signature.published, signature.title, None,
                      when, evidence, _confidence(signer, "subject", True, self.lex))
                for signer in signers(signature, self.mentions, self.text) if signer.canonical not in issued]

    def _sentence(self, sentence: Sentence) -> None:
        text, lex = self.text, self.lex
        evidence = text[sentence.start:sentence.end]
        when = _when(self.when_of.get(sentence.sentence_id), self.date_ids)
        told = (evidence.strip(), when and (when["start"], when["end"]))
        if len(told[0]) >= REPEAT_MIN_CHARS and told in self.told:
            return  # a passage the page repeats word for word on the same day (a teaser, a copy): the same events
        self.told.add(told)
        # Only this sentence's mentions: the work stays linear in the document's length.
        local = self.mentions[bisect.bisect_left(self.mention_starts, sentence.start):
                              bisect.bisect_left(self.mention_starts, sentence.end)]
        roll = None if self.signing[0] <= sentence.start < self.signing[1] else self.roll  # signers list no one
        introduced = Roll.introduced(evidence, lex, when, self.awarding)  # a line opening a new roll is none of the last one's
        listed = roll.members(evidence, sentence.start, local, lex) if roll and not introduced else []
        if roll and listed:
            self.events += [Event(sentence.sentence_id, who_of(member), roll.action, roll.trigger, what, None,
                                  roll.when, evidence, _confidence(member, "object", roll.when is not None, lex))
                            for member, what in listed]
            return
        if introduced is not None and introduced.when is None:  # an attachment's roll: the notice's signature date
            signed = self.signature is not None and sentence.start > self.signature.date.start
            introduced = replace(introduced, when=_when(self.signature.date, self.date_ids) if signed else self._last_when)
        self.roll = introduced or (roll if not evidence.endswith(SENTENCE_ENDS) else None)
        if sentence.kind in ("title", "header") or self.stamp.search(evidence):
            return  # a headline or publication stamp repeats the article's event
        carried, self.carried, self.leading = self.carried, None, []
        clause = self._triggers(sentence, local, when)
        if carried is not None and clause.action is None:  # `出席的有：A、B；C、D。`: the list goes on past `；`
            self.events += [replace(carried, sentence_id=sentence.sentence_id, who=who_of(m), evidence=evidence)
                            for m in local if m.label == "PERSON"]
            self.carried = carried if evidence.rstrip().endswith(LIST_GOES_ON) else None
        unnamed = self.unnamed
        if unnamed is not None and unnamed.sentence_id >= sentence.sentence_id - GROUP_REACH:
            given = _group_members(unnamed, sentence, local, text, self.listing,
                                   clause.reported | self.unnamed_named, when, lex)
            self.events += given
            self.listing = bool(given)
            self.unnamed = replace(unnamed, sentence_id=sentence.sentence_id) if given else unnamed

    @property
    def _last_when(self) -> dict | None:
        """The day of the latest event dated to a day: an undated heading of a roll (`先进集体名单`) lists
        those the occasion just told honoured or elected."""
        return next((event.when for event in reversed(self.events)
                     if event.when and event.when["granularity"] in DAY_GRANULARITIES), None)

    def _triggers(self, sentence: Sentence, local: list[EntityRef], when: dict | None) -> _Clause:
        """The events of each trigger in the sentence; triggers joined by 并/和 share participants."""
        text, lex = self.text, self.lex
        evidence = text[sentence.start:sentence.end]
        entry_text = self.entries.get(sentence.entry, evidence) if sentence.entry is not None else evidence
        # A sentence without a venue reports on the event its paragraph placed (`…在A举行。B出席。`).
        where = where_of(evidence, lex) or where_of(entry_text, lex) or self.paragraph_where.get(sentence.paragraph)
        self.paragraph_where.setdefault(sentence.paragraph, where)
        clause = _Clause(sentence.start)
        # A verb inside a title or quotation (`《关于同意成立…的批复》`) or a name (`东方汇报社`) is part of a
        # name, not an event.
        quoted = [q.span() for q in lex["quoted_pattern"].finditer(text, sentence.start, sentence.end)]
        quoted += [(m.start, m.end) for m in local]
        for match in lex["pattern"].finditer(text, sentence.start, sentence.end):
            if any(start < match.start() < end for start, end in quoted):
                continue
            spec = lex["triggers"][match.lastgroup or match.group(0)]
            action = lex["actions"][spec["action"]]
            speech = action.speech and text[match.end():match.end() + 1] in CLAUSE_BREAKS
            attended = clause.action is not None and lex["actions"][clause.action].attends
            if match.start() == clause.end and ((attended and not speech) or (
                    self.events and self.events[-1].action == spec["action"]
                    and self.events[-1].sentence_id == sentence.sentence_id)):
                clause.end = match.end()
                continue  # `走访慰问`: two verbs of one action are one event; `出席签约仪式`, `出席分享会`: what
                # was attended (but `到会致辞，` is a speech)
            said = self.said.get(sentence.sentence_id)
            told = _when(said[1], self.date_ids) if said and match.start() >= said[0] else when
            self._trigger(match, spec, sentence, local, (told, entry_text, where), clause)
        return clause

    def _trigger(self, match: re.Match[str], spec: dict, sentence: Sentence, local: list[EntityRef],
                 context: tuple[dict | None, str, str | None], clause: _Clause) -> None:
        """The events of one trigger: who takes part, what, where, when."""
        text, lex = self.text, self.lex
        when, entry_text, where = context
        action = lex["actions"][spec["action"]]
        clause.action = spec["action"]
        self.awarding = self.awarding or action.roll == "award"
        role = spec.get("role", "subject")
        who = frame_participants(spec, match, sentence, local, self.mentions, text, (clause.end, clause.who), lex)
        if role == "leaders":  # `在A的带领下，B前往…调研`: A does what B does next
            self.leading = who
            return
        if who and self.leading:
            who, self.leading = who + [p for p in self.leading if p not in who], []
        if spec.get("org_only") and any(m.label == "PERSON" for m in who):
            who = []
        # An organisation's verb no organisation took (`甲到某地开展调研`) leaves who came before it to the next
        # verb, which reads back from where this one did.
        left_to_next = bool(spec.get("org_only")) and not who
        after = text[match.end():sentence.end]
        what = what_of(spec["action"], entry_text, after, self.paragraphs[sentence.paragraph], lex)
        evidence = text[sentence.start:sentence.end]
        going = action.where == "destination"
        place = (destination_of(evidence, lex) or object_of(after) if going else None) or where
        if spec.get("unless_spoken"):
            who = [p for p in who if p.label == "PERSON" and p.canonical not in self.spoken]
        # One sentence reports an act once (`召开…成立大会，…正式成立`: one founding).
        fresh = [p for p in who if (p.canonical, spec["action"]) not in clause.reported]
        clause.reported.update((p.canonical, spec["action"]) for p in fresh)
        self.events += [Event(sentence.sentence_id, who_of(p), spec["action"], match.group(0), what, place, when,
                              evidence, _confidence(p, role, when is not None, lex)) for p in fresh]
        if action.speech:
            self.spoken.update(p.canonical for p in fresh)
        if role == "listed_after" and fresh and evidence.rstrip().endswith(LIST_GOES_ON):
            self.carried = replace(self.events[-1], who={})
        if role == "companions":  # the next verb is said of the people before the frame, and is no object
            who = participants_before((clause.end, match.start()), local, text, lex, False, False)
            clause.action = None
        counted = bool(who) and COUNTED_GROUP.match(text, who[-1].end) is not None
        if action.enumerable and (not who or counted):
            # `共有10家商会获此殊荣` or `选举马平春等15名常务理事`: the members may be listed after (`名单为：…`).
            self.unnamed = Event(sentence.sentence_id, {}, spec["action"], match.group(0), what, place, when,
                                 evidence, 0.0)
            self.unnamed_named = {(p.canonical, spec["action"]) for p in who}
        clause.who = who or clause.who
        clause.end = clause.end if left_to_next else match.end()


def extract_events(text: str, sentences: list[Sentence], dates: list[DateMention],
                   mentions: list[EntityRef], date_ids: dict[int, str], knowledge: Knowledge) -> list[Event]:
    """All who-did-what tuples of a document, in text order."""
    return _EventReader(text, sentences, dates, mentions, date_ids, knowledge).read(sentences)
