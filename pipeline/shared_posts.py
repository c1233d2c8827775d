"""Posts shared out over a run of places, in the order they are written (the reader's `分别`, often left
out): `苏浙皖沪三省一市总工会主席甲、乙、丙、丁` makes 甲 chairman of the 江苏省总工会, 乙 of the 浙江省总工会,
and so on. Only when the names listed after the run's organisation are exactly as many as its places;
the places are the knowledge's province abbreviations and their official names (`places.yaml`).
"""
from __future__ import annotations

import bisect
import re

from pipeline.knowledge import Knowledge, alternation
from pipeline.mentions import Mention

# Between two names of one list: a mark or a space, after a short note on the first (`甲（新任）、乙`).
LISTED = re.compile(r"(?:[（(][^（()）\n]{1,6}[）)])?[、和及]|[ \t\u3000]+")
COUNT = re.compile(r"(?:[一二两三四五六七八九十]+[省市地区])*")  # `三省一市`
CHAIN_REACH = 20  # how long the posts between the organisation and the first name may be
CHAIN_BREAK = re.compile(r"[。；;！？!?\n]")


def _patterns(knowledge: Knowledge) -> tuple[re.Pattern, dict[str, str], re.Pattern]:
    places = knowledge.yaml("places.yaml")
    official = {short: places["provincial_names"].get(name) for short, name in places["abbreviations"].items()}
    heads = re.compile(alternation(knowledge.words("org_heads.txt")))
    return re.compile(places["abbreviation_runs"]), official, heads


def _listed_after(text: str, position: int, persons: list[Mention], starts: list[int]) -> list[Mention]:
    """The names listed one after another from the first name after `position` in its clause."""
    index = bisect.bisect_left(starts, position)
    if index == len(persons) or persons[index].start - position > CHAIN_REACH or \
            CHAIN_BREAK.search(text, position, persons[index].start):
        return []
    listed = [persons[index]]
    for person in persons[index + 1:]:
        if not LISTED.fullmatch(text, listed[-1].end, person.start):
            break
        listed.append(person)
    return listed


def shared_posts(text: str, mentions: list[Mention], knowledge: Knowledge) -> dict[int, str]:
    """The organisation each name of a shared-out list holds its posts at, by the name's start."""
    runs, official, heads = knowledge.derived(_patterns)
    persons = sorted((m for m in mentions if m.label == "PERSON"), key=lambda m: m.start)
    starts = [m.start for m in persons]
    found: dict[int, str] = {}
    for run in runs.finditer(text):
        head = heads.match(text, COUNT.match(text, run.end()).end())
        places = [official.get(short) for short in run.group()]
        if head is None or None in places:
            continue
        listed = _listed_after(text, head.end(), persons, starts)
        if len(listed) == len(places):
            found.update((person.start, f"{place}{head.group()}") for person, place in zip(listed, places))
    return found
