"""The lists events come in, read across sentences (part of stage 5): a roll of the elected or the
honoured that a line introduces, and the acts a document tells twice (an honour a decision names and its
roll lists again; an act a summary tells undated and the report tells dated), kept once."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from pipeline.event_participants import EntityRef
from pipeline.mentions import HAN

if TYPE_CHECKING:
    from pipeline.events import Event

SENTENCE_ENDS = ("。", "！", "？", "!", "?")
# A line that is a list's name alone (`科普教育基地名单`, `附件：先进个人名单（12名）`).
LIST_HEADING = re.compile(r"\s*(?:附件\S{0,3}[：:]\s*)?(?P<honour>[^，。；：:、\n]{2,30}?)名单\s*(?:[（(][^（()）\n]{1,8}[）)])?\s*")
# A heading that counts an honour's holders (`一、2020年度先进协会（9家）`): the honour is its text.
COUNTED_HEADING = re.compile(r"\s*(?:[一二三四五六七八九十]+、|\d{1,2}[.、．])?\s*(?P<honour>[^（(\n]{2,40}?)\s*[（(]\s*\d+\s*\S{1,2}[）)]\s*")


@dataclass(frozen=True)
class Roll:
    """A list of the elected or the honoured that a line introduces (`选举产生了新一届领导班子：` then
    `副会长：A、B` lines; `授予以下单位“…”称号：` then names, one per line or joined by 、). It runs until
    a sentence ends."""
    action: str
    trigger: str
    what: str | None
    when: dict | None  # the date of the line introducing the roll

    kind: str  # `award` or `election` (actions.yaml)

    @classmethod
    def introduced(cls, evidence: str, lex: dict, when: dict | None, awarding: bool = False) -> "Roll | None":
        """The roll a line opens; `awarding`: the document has given an honour already, so a line that is a
        list's name alone (`科普教育基地名单`) lists those it was given to."""
        if lex["title_field"].match(evidence):
            return None
        rolls = {spec.roll: name for name, spec in lex["actions"].items() if spec.roll}
        award = lex["award_roll_pattern"].search(evidence) if "award" in rolls else None
        heading = LIST_HEADING.fullmatch(evidence) if "award" in rolls and awarding else None
        if award or heading:
            honour = lex["quoted_pattern"].search(evidence, (award or heading).start())
            # `优秀工会工作者名单`, `一、2020年度先进协会（9家）`: the list's name says the honour when no quoted one does.
            named = award.group(0)[:-2] if award and re.fullmatch(f"[{HAN}]{{2,20}}名单", award.group(0)) else None
            counted = COUNTED_HEADING.fullmatch(evidence)
            return cls(rolls["award"], (award or heading).group(0).strip(), honour.group(1) if honour else named or (
                counted and counted.group("honour")) or (heading and heading.group("honour")), when, "award")
        election = lex["election_pattern"].search(evidence) if "election" in rolls else None
        return cls(rolls["election"], election.group(0), None, when, "election") if election else None

    def members(self, evidence: str, start: int, local: list[EntityRef],
                lex: dict) -> list[tuple[EntityRef, str | None]]:
        """Who this line lists, each with what they are given; nothing when the line is no part of the roll."""
        if self.kind == "election":
            field = lex["title_field"].match(evidence)
            return [(m, field["title"]) for m in local if m.label == "PERSON"] if field else []
        if evidence.endswith(SENTENCE_ENDS) or evidence.lstrip().startswith(lex["roll_end_labels"]):
            return []
        # `一等奖：王明（某公司）、李华（…）`: the line's label is what they are given.
        label = re.match(r"\s*([^：:，,、（(\s]{2,12})[：:]", evidence)
        what = label.group(1) if label else self.what
        # The particulars in brackets (`王明（女，某公司，高级技师）`) name no winner.
        bracketed = [(m.start(), m.end()) for m in re.finditer(r"[（(][^（()）]*[）)]", evidence)]
        outside = [m for m in local if not any(a <= m.start - start < b for a, b in bracketed)]
        people = [m for m in outside if m.label == "PERSON"]
        return [(m, what) for m in people or [m for m in outside if m.label == "ORG"]]


def dated_over_undated(events: list[Event]) -> list[Event]:
    """An act a summary or headline tells without a date and the report tells again with one is one act."""
    dated = {(e.who["canonical"], e.action) for e in events if e.when}
    return [e for e in events if e.when or (e.who["canonical"], e.action) not in dated]


def one_award_each(events: list[Event], lex: dict) -> list[Event]:
    """An honour given to someone is reported once, though a decision names it and its roll lists it again
    (`授予刘明等24名职工“…奖章”` then the roll, whose heading may shorten the honour's name: `先进集体名单`):
    the first report of each (who, honour) stays."""
    seen: dict[str, list[str]] = {}
    kept = []
    for event in events:
        honour = re.sub(r"[“”\"「」《》]", "", event.what or "")
        if lex["actions"][event.action].roll == "award" and honour:
            given = seen.setdefault(event.who["canonical"], [])
            if any(honour in other or other in honour for other in given):
                continue
            given.append(honour)
        kept.append(event)
    return kept
