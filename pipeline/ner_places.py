"""Places: the administrative-division list shipped with cpca, countries, regions and
province abbreviations in context (NER rules), and which mentions are venues.
"""
from __future__ import annotations

import csv
import functools
import importlib.util
import io
import re
from pathlib import Path

from hanlp_trie import Trie

from pipeline.mentions import Mention
from pipeline.resources import load_yaml


@functools.lru_cache(maxsize=1)
def division_list() -> str:
    """cpca's list of administrative divisions (CSV), read without importing cpca: its import builds
    an address matcher and needs `pkg_resources`, which setuptools 82+ no longer ship (the torch of
    the hanlp extra brings such a setuptools)."""
    package = importlib.util.find_spec("cpca").submodule_search_locations[0]
    return (Path(package) / "resources" / "adcodes.csv").read_text(encoding="utf-8")


@functools.lru_cache(maxsize=1)
def places() -> tuple[Trie, list[tuple[re.Pattern[str], dict[str, str]]], re.Pattern[str]]:
    """A trie of place names -> canonical name, plus abbreviation patterns."""
    data = load_yaml("places.yaml")
    trie = Trie()
    adcodes = division_list()
    for row in csv.DictReader(io.StringIO(adcodes)):
        name, code = row["name"], row["adcode"]
        if len(name) < 2 or name in ("市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"):
            continue
        trie[name] = name
        # Provinces and prefecture-level cities are also written without their suffix.
        short = re.sub(r"(省|市|地区|盟|[\u4e00-\u9fff]{1,4}族自治州|自治州|壮族自治区|回族自治区|维吾尔自治区|自治区|"
                       r"特别行政区)$", "", name)
        if code[4:] == "00000000" and len(short) >= 2 and short != name:
            trie[short] = short
    for name in data["countries"] + data["regions"]:
        trie[name] = name
    contexts = [(re.compile(p), data["abbreviations"]) for p in data["abbreviation_contexts"]]
    return trie, contexts, re.compile(data["abbreviation_runs"])


@functools.lru_cache(maxsize=1)
def district_short_names() -> dict[str, str]:
    """`浦东` -> `浦东新区`: short names of districts and counties that name exactly one of them.

    Too ambiguous to find places with, but enough to relabel a model's `普陀`
    (tagged as a person) as the place it is.
    """
    adcodes = division_list()
    seen: dict[str, set[str]] = {}
    listed = places()[0]
    for row in csv.DictReader(io.StringIO(adcodes)):
        name = row["name"]
        short = re.sub(r"(新区|区)$", "", name)
        if short in listed:
            continue  # `西安` is the city, not 西安区
        if row["adcode"][6:] == "000000" and row["adcode"][4:6] != "00" and len(short) >= 2 and short != name:
            seen.setdefault(short, set()).add(name)
    return {short: names.pop() for short, names in seen.items() if len(names) == 1}


def gazetteer_mentions(text: str) -> list[Mention]:
    trie, contexts, runs = places()
    mentions = [Mention(s, e, "LOC", "gazetteer", text[s:e]) for s, e, _ in trie.parse_longest(text)]
    for pattern, _ in contexts:
        mentions += [Mention(m.start(), m.end(), "LOC", "gazetteer", m.group(0)) for m in pattern.finditer(text)]
    for run in runs.finditer(text):
        mentions += [Mention(i, i + 1, "LOC", "gazetteer", text[i]) for i in range(run.start(), run.end())]
    return mentions


@functools.lru_cache(maxsize=1)
def _abbreviations() -> dict[str, str]:
    return load_yaml("places.yaml")["abbreviations"]


def place_canonical(surface: str) -> str:
    """Full name of a province abbreviation (`沪` -> `上海`) or a district's short name, else the surface."""
    if len(surface) == 1:
        return _abbreviations().get(surface, surface)
    return district_short_names().get(surface, surface)


@functools.lru_cache(maxsize=1)
def venue_heads() -> tuple[str, ...]:
    data = load_yaml("places.yaml")
    return tuple(data["venue_heads"])


def relabel_places(mentions: list[Mention]) -> list[Mention]:
    """A model 'person' or 'organisation' that is exactly a place name is a place (`普陀`, `安徽省`)."""
    trie = places()[0]
    districts = district_short_names()
    fixed = []
    for m in mentions:
        whole = trie.parse_longest(m.text)
        listed = len(whole) == 1 and whole[0][:2] == (0, len(m.text))
        if m.source == "model" and m.label != "LOC" and (listed or m.text in districts):
            m = Mention(m.start, m.end, "LOC", m.source, m.text)
        fixed.append(m)
    return fixed


@functools.lru_cache(maxsize=1)
def _division_pattern() -> re.Pattern[str]:
    data = load_yaml("places.yaml")
    return re.compile(rf"(?:[0-9一二三四五六七八九十]+个)?(?:{'|'.join(data['division_heads'])})")


def not_divisions(text: str, mentions: list[Mention]) -> list[Mention]:
    """Drop places that name an organisation's divisions: a place, or a 、-list of them, right
    before `大区`/`分公司` (`华东、华南…7个大区`)."""
    places_ = sorted((m for m in mentions if m.label == "LOC"), key=lambda m: m.start)
    dropped: set[Mention] = set()
    run: list[Mention] = []
    for m in places_:
        if run and text[run[-1].end:m.start] not in ("、", "和", "及"):
            run = []
        run.append(m)
        if _division_pattern().match(text, m.end):
            dropped.update(run)
    return [m for m in mentions if m not in dropped]
