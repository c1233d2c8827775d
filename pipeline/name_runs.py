"""Lists of personal names written without separators (`李鹏乔石李瑞环`).

Name lists lose their separators in print (a committee's members set in
columns) and when OCR spacing is removed. A character tagger then finds the
first names but drifts across the boundaries of the rest. Where the tagger
found several names in a row, that stretch is cut again as a whole: into
pieces that each start with a surname, preferring names the lexicon knows and
the usual lengths of Chinese names (data in `resources/name_runs.yaml`).
"""
from __future__ import annotations

import functools
import math
import re
from collections import Counter
from collections.abc import Collection, Mapping

from pipeline.knowledge import load_knowledge
from pipeline.mentions import HAN

Span = tuple[int, int, str]
_NAME = re.compile(f"[{HAN}·]+")
_HAN = re.compile(f"[{HAN}]+")


@functools.lru_cache(maxsize=1)
def _settings() -> dict:
    return load_knowledge().yaml("name_runs.yaml")


@functools.lru_cache(maxsize=1)
def _breaks() -> re.Pattern[str]:
    return re.compile(_settings()["breaks"])


class NameKnowledge:
    """What a typed lexicon says about names: known people, surnames, other names, and how often
    each character starts a person's name rather than continuing one."""

    def __init__(self, entries: Mapping[str, tuple[str, ...]], person_kinds: Collection[str], surname_kind: str,
                 other_kinds: Collection[str]) -> None:
        self.entries = entries
        self.person_kinds, self.surname_kind, self.other_kinds = set(person_kinds), surname_kind, set(other_kinds)
        self._odds: dict[str, float] | None = None

    def _has(self, text: str, kinds: Collection[str]) -> bool:
        return any(kind in kinds for kind in self.entries.get(text, ()))

    def known(self, text: str) -> bool:
        return self._has(text, self.person_kinds)

    def surname(self, text: str) -> bool:
        return self._has(text, (self.surname_kind,))

    def other_name(self, text: str) -> bool:
        """A place, an organisation or an organisation's head."""
        return self._has(text, self.other_kinds)

    def initial_odds(self, char: str) -> float:
        """Log odds that `char` starts a known Chinese name rather than continues one (add-one)."""
        if self._odds is None:
            initial: Counter[str] = Counter()
            inner: Counter[str] = Counter()
            for word, kinds in self.entries.items():
                if 2 <= len(word) <= 4 and not self.person_kinds.isdisjoint(kinds) and _HAN.fullmatch(word):
                    initial[word[0]] += 1
                    inner.update(word[1:])
            self._odds = {c: math.log((initial[c] + 1) / (inner[c] + 1)) for c in initial.keys() | inner.keys()}
        return self._odds.get(char, 0.0)


def _runs(text: str, people: list[Span]) -> list[list[Span]]:
    """Groups of PERSON spans that follow each other within a few characters of unbroken name text,
    when there are several or one of them is too long to be a name."""
    settings, breaks = _settings(), _breaks()
    groups: list[list[Span]] = []
    for span in people:
        last = groups[-1][-1] if groups else None
        if last and 0 <= span[0] - last[1] <= settings["max_gap"] and not breaks.search(text[last[1]:span[0]]):
            groups[-1].append(span)
        else:
            groups.append([span])
    return [g for g in groups if len(g) >= settings["min_names"] or any(not _plausible(text[s:e]) for s, e, _ in g)]


def _plausible(name: str) -> bool:
    """Could be one name: a foreign name with its `·`, or a short run of Han characters."""
    return bool(_NAME.fullmatch(name)) and ("·" in name or len(name) <= _settings()["longest_name"])


def _piece_score(piece: str, names: NameKnowledge) -> float:
    """How much a Han-only piece reads as one name: its length, whether the lexicon knows it, and
    whether its first character tends to start names and the others to continue them."""
    settings = _settings()
    odds = names.initial_odds(piece[0]) - sum(names.initial_odds(c) for c in piece[1:])
    return (settings["length_score"][len(piece)] + settings["odds_weight"] * odds
            + (settings["known_score"] if names.known(piece) else 0.0))


def _cut(text: str, group: list[Span], names: NameKnowledge) -> list[tuple[int, int]]:
    """The best cut of the stretch `group` covers into names.

    Each step takes a name piece that starts with a surname, keeps one of the
    tagger's spans as it is (how foreign names such as `帕巴拉·格列朗杰` survive),
    or leaves a character out, at a cost.
    """
    settings = _settings()
    first, last = group[0][0], group[-1][1]
    tagged = {s: e for s, e, _ in group if _plausible(text[s:e])}
    best: list[tuple[float, list[tuple[int, int]]] | None] = [None] * (last - first + 1)
    best[0] = (0.0, [])
    for i in range(last - first):
        if best[i] is None:
            continue
        steps = [(i + 1, settings["outside_score"], False)]
        if first + i in tagged:
            end = tagged[first + i] - first
            steps.append((end, settings["tagged_score"] + (settings["known_score"] if names.known(
                text[first + i:first + end]) else 0.0), True))
        for length in settings["length_score"]:
            piece = text[first + i:first + i + length]
            compound = length >= 3 and names.surname(piece[:2])
            if (i + length <= last - first and _HAN.fullmatch(piece)
                    and (compound or length <= 3 and names.surname(piece[:1]))):
                steps.append((i + length, _piece_score(piece, names), True))
        for end, score, is_name in steps:
            total = best[i][0] + score
            if best[end] is None or total > best[end][0]:
                best[end] = (total, best[i][1] + ([(first + i, first + end)] if is_name else []))
    return best[-1][1]


def _reads_as_list(text: str, span: Span, cut: list[tuple[int, int]], names: NameKnowledge) -> bool:
    """A long span the tagger called an organisation or place that is really names one after another:
    names cover most of its Han characters, and neither a piece nor the span's ending is a place
    or an organisation's head in the lexicon (`江苏省常州市` cuts into surname-led pieces too)."""
    settings = _settings()
    name = text[span[0]:span[1]]
    han = sum(len(run) for run in _HAN.findall(name))
    covered = sum(e - s for s, e in cut)
    endings = (name[-k:] for k in range(1, min(len(name), 4) + 1))
    return (len(cut) >= settings["min_names"] and covered >= settings["list_coverage"] * han
            and any(names.known(text[s:e]) for s, e in cut)
            and not any(names.other_name(text[s:e]) for s, e in cut) and not any(map(names.other_name, endings)))


def split_name_runs(text: str, spans: list[Span], names: NameKnowledge) -> list[Span]:
    """`spans` with every run of adjacent PERSON spans, and every long span that reads as a list of
    names, re-cut into whole names."""
    result = set(spans)
    for group in _runs(text, sorted(s for s in spans if s[2] == "PERSON")):
        result.difference_update(group)
        result.update((s, e, "PERSON") for s, e in _cut(text, group, names))
    for span in spans:
        if span[2] != "PERSON" and not _plausible(text[span[0]:span[1]]):
            cut = _cut(text, [span], names)
            if _reads_as_list(text, span, cut, names):
                result.discard(span)
                result.update((s, e, "PERSON") for s, e in cut)
    return sorted(result)
