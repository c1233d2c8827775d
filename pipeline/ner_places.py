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

from pipeline.knowledge import Knowledge, alternation, per_knowledge
from pipeline.mentions import HAN, Mention


@per_knowledge
def division_rows(knowledge: Knowledge) -> tuple[dict[str, str], ...]:
    """cpca's list of administrative divisions (CSV rows: name, adcode, ...), parsed once, read without
    importing cpca: its import builds an address matcher and needs `pkg_resources`, which setuptools
    82+ no longer ship (the torch of the hanlp extra brings such a setuptools)."""
    package = importlib.util.find_spec("cpca").submodule_search_locations[0]
    text = (Path(package) / "resources" / "adcodes.csv").read_text(encoding="utf-8")
    return tuple(csv.DictReader(io.StringIO(text)))


@per_knowledge
def division_short_forms(knowledge: Knowledge) -> dict[str, str]:
    """`湖南省` -> `湖南`, `甘孜藏族自治州` -> `甘孜`: provinces and prefecture-level divisions are also
    written without their suffix (the short form keeps at least two characters)."""
    ethnic = alternation(knowledge.yaml("places.yaml")["ethnic_groups"])
    # Lazy name, so the ethnic groups of a prefecture (`苗族侗族自治州`) all go to the suffix.
    suffix = re.compile(rf"^(?P<short>[{HAN}]{{2,}}?)(?:省|市|地区|盟|(?:(?:{ethnic})族?)*自治州|"
                        r"(?:壮族|回族|维吾尔)?自治区|特别行政区)$")
    shorts = {}
    for row in division_rows(knowledge):
        match = suffix.match(row["name"])
        if row["adcode"][4:] == "00000000" and match:
            shorts[row["name"]] = match.group("short")
    return shorts


@per_knowledge
def city_provinces(knowledge: Knowledge) -> dict[str, str]:
    """`杭州市` and `杭州` -> `浙江`: the province (its short form) each prefecture-level city lies in."""
    rows, shorts = division_rows(knowledge), division_short_forms(knowledge)
    names = {row["adcode"]: row["name"] for row in rows}
    found: dict[str, str] = {}
    for row in rows:
        code = row["adcode"]
        province = names.get(code[:2] + "0" * 10)
        if code[4:] == "00000000" and code[2:4] != "00" and province:
            found[row["name"]] = found[shorts.get(row["name"], row["name"])] = shorts.get(province, province)
    return found


@per_knowledge
def places(knowledge: Knowledge) -> tuple[Trie, list[tuple[re.Pattern[str], dict[str, str]]], re.Pattern[str]]:
    """A trie of place names -> canonical name, plus abbreviation patterns."""
    data = knowledge.yaml("places.yaml")
    trie = Trie()
    for row in division_rows(knowledge):
        name = row["name"]
        if len(name) < 2 or name in ("市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"):
            continue
        trie[name] = name
    words = set(data["short_forms_as_words"])
    for short in division_short_forms(knowledge).values():
        if short not in words:
            trie[short] = short
    for name in data["countries"] + data["cities_abroad"] + data["regions"] + data["hong_kong_macau_taiwan"]:
        trie[name] = name
    contexts = [(re.compile(p), data["abbreviations"]) for p in data["abbreviation_contexts"]]
    return trie, contexts, re.compile(data["abbreviation_runs"])


@functools.lru_cache(maxsize=1 << 16)  # asked for names, not texts: the same names come back
def place_prefix_length(knowledge: Knowledge, name: str) -> int:
    """How many characters the listed place a name starts with takes (`上海纺织协会` -> 2; 0: none)."""
    found = places(knowledge)[0].parse_longest(name)
    return found[0][1] if found and found[0][0] == 0 else 0


@per_knowledge
def district_short_names(knowledge: Knowledge) -> dict[str, str]:
    """`浦东` -> `浦东新区`: short names of districts and counties that name exactly one of them.

    Too ambiguous to find places with, but enough to relabel a model's `普陀`
    (tagged as a person) as the place it is.
    """
    seen: dict[str, set[str]] = {}
    listed = places(knowledge)[0]
    for row in division_rows(knowledge):
        name = row["name"]
        short = re.sub(r"(新区|区)$", "", name)
        if short in listed:
            continue  # `西安` is the city, not 西安区
        if row["adcode"][6:] == "000000" and row["adcode"][4:6] != "00" and len(short) >= 2 and short != name:
            seen.setdefault(short, set()).add(name)
    return {short: names.pop() for short, names in seen.items() if len(names) == 1}


@per_knowledge
def _not_place_words(knowledge: Knowledge) -> re.Pattern[str]:
    return re.compile("|".join(sorted(knowledge.yaml("places.yaml")["not_place_words"], key=len, reverse=True)))


@per_knowledge
def _codes(knowledge: Knowledge) -> tuple[dict[str, str], dict[str, str]]:
    """Place name (full or short) -> adcode, and a district's short name -> adcode."""
    codes: dict[str, str] = {}
    for row in division_rows(knowledge):
        codes.setdefault(row["name"], row["adcode"])
    for full, short in division_short_forms(knowledge).items():
        codes.setdefault(short, codes[full])
    return codes, {short: codes[full] for short, full in district_short_names(knowledge).items()}


def _city_key(knowledge: Knowledge, code: str) -> str:
    """The prefecture a division belongs to (`3101`), or the municipality (`31`: its districts sit
    under a `市辖区` row rather than a named city)."""
    return code[:2] if code[:2] in _municipalities(knowledge) else code[:4]


@per_knowledge
def _municipalities(knowledge: Knowledge) -> frozenset[str]:
    return frozenset(row["adcode"][:2] for row in division_rows(knowledge)
                     if row["name"] == "市辖区" and row["adcode"][4:] == "00000000")


@functools.lru_cache(maxsize=64)
def _district_pattern(knowledge: Knowledge, key: str) -> re.Pattern[str] | None:
    shorts = sorted((s for s, c in _codes(knowledge)[1].items() if _city_key(knowledge, c) == key), key=len, reverse=True)
    suffixes = "".join(knowledge.yaml("places.yaml")["district_short_not_before"])
    return re.compile(rf"(?:{'|'.join(shorts)})(?![{suffixes}])") if shorts else None


# The document city must be named at least this often before its districts' short names count.
CITY_MENTIONS = 3


def city_district_mentions(knowledge: Knowledge, text: str, mentions: list[Mention]) -> list[Mention]:
    """Short names of the districts of the document's city (`海淀` in a Beijing document), where
    nothing else was found: a short name alone is too ambiguous elsewhere."""
    codes = _codes(knowledge)[0]
    trie = places(knowledge)[0]
    keys: dict[str, int] = {}
    for m in mentions:
        found = trie.parse_longest(m.text) if m.label in ("LOC", "ORG") else []
        if found and found[0][0] == 0 and m.text[: found[0][1]] in codes:
            key = _city_key(knowledge, codes[m.text[: found[0][1]]])
            keys[key] = keys.get(key, 0) + 1
    key = max(keys, key=keys.get) if keys else None
    pattern = _district_pattern(knowledge, key) if key and keys[key] >= CITY_MENTIONS else None
    if pattern is None:
        return []
    covered = bytearray(len(text))
    for a, b in [(m.start, m.end) for m in mentions] + [m.span() for m in _not_place_words(knowledge).finditer(text)]:
        covered[a:b] = b"\x01" * (b - a)
    return [Mention(m.start(), m.end(), "LOC", "gazetteer", m.group(0)) for m in pattern.finditer(text)
            if not any(covered[m.start():m.end()])]


def outside_place_words(knowledge: Knowledge, text: str, mentions: list[Mention]) -> list[Mention]:
    """No place lies inside a word that only holds a place's name (`中国特色社会主义`, `万象更新`), whoever
    proposes it."""
    words = [m.span() for m in _not_place_words(knowledge).finditer(text)]
    return [m for m in mentions if m.label != "LOC" or not any(a <= m.start and m.end <= b for a, b in words)]


def gazetteer_mentions(knowledge: Knowledge, text: str) -> list[Mention]:
    """Listed places, province abbreviations in context and runs of them; none inside a word like `大理石`."""
    trie, contexts, runs = places(knowledge)
    words = [m.span() for m in _not_place_words(knowledge).finditer(text)]
    mentions = [Mention(s, e, "LOC", "gazetteer", text[s:e]) for s, e, _ in trie.parse_longest(text)
                if not any(a <= s and e <= b for a, b in words)]
    for pattern, _ in contexts:
        mentions += [Mention(m.start(), m.end(), "LOC", "gazetteer", m.group(0)) for m in pattern.finditer(text)]
    for run in runs.finditer(text):
        mentions += [Mention(i, i + 1, "LOC", "gazetteer", text[i]) for i in range(run.start(), run.end())]
    return mentions


@per_knowledge
def _abbreviations(knowledge: Knowledge) -> dict[str, str]:
    return knowledge.yaml("places.yaml")["abbreviations"]


def place_canonical(knowledge: Knowledge, surface: str) -> str:
    """Full name of a province abbreviation (`沪` -> `上海`) or a district's short name, else the surface."""
    if len(surface) == 1:
        return _abbreviations(knowledge).get(surface, surface)
    return district_short_names(knowledge).get(surface, surface)


@per_knowledge
def venue_heads(knowledge: Knowledge) -> tuple[str, ...]:
    data = knowledge.yaml("places.yaml")
    return tuple(data["venue_heads"])


def relabel_places(knowledge: Knowledge, mentions: list[Mention]) -> list[Mention]:
    """A model 'person' or 'organisation' that is exactly a place name is a place (`普陀`, `安徽省`)."""
    trie = places(knowledge)[0]
    districts = district_short_names(knowledge)
    fixed = []
    for m in mentions:
        whole = trie.parse_longest(m.text)
        listed = len(whole) == 1 and whole[0][:2] == (0, len(m.text))
        if m.source == "model" and m.label != "LOC" and (listed or m.text in districts):
            m = Mention(m.start, m.end, "LOC", m.source, m.text)
        fixed.append(m)
    return fixed


@per_knowledge
def _venue_name_rest(knowledge: Knowledge) -> re.Pattern[str]:
    """The rest of a venue's name after the place starting it, its head and the event verb: `工人文化宫举行`."""
    data = knowledge.yaml("places.yaml")
    verbs = "|".join(data["venue_event_verbs"])
    heads = "|".join(sorted(data["venue_heads"], key=len, reverse=True))
    return re.compile(rf"(?:(?!{verbs})[{HAN}]){{0,8}}?(?:{heads})(?:{verbs}|[、，,。；;])")


@per_knowledge
def venue_position(knowledge: Knowledge) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """Where an event is held: what stands before the venue (searched up to its start) and the verb
    right after it (matched at its end): `在…举行`."""
    data = knowledge.yaml("places.yaml")
    before = "|".join(sorted(data["venue_place_before"], key=len, reverse=True))
    return re.compile(f"(?:{before})$"), re.compile("|".join(data["venue_event_verbs"]))


def not_venue_places(knowledge: Knowledge, text: str, mentions: list[Mention]) -> list[Mention]:
    """Drop a place that starts the name of the venue an event is held in (`在长宁区工人文化宫举行`):
    the venue is the event's `where`, and the place is part of its name."""
    before = venue_position(knowledge)[0]
    return [m for m in mentions if not (m.label == "LOC" and before.search(text, max(0, m.start - 3), m.start)
                                        and _venue_name_rest(knowledge).match(text, m.end))]


@per_knowledge
def _division_pattern(knowledge: Knowledge) -> re.Pattern[str]:
    data = knowledge.yaml("places.yaml")
    return re.compile(rf"(?:[0-9一二三四五六七八九十]+个)?(?:{'|'.join(data['division_heads'])})")


def not_divisions(knowledge: Knowledge, text: str, mentions: list[Mention]) -> list[Mention]:
    """Drop places that name an organisation's divisions: a place, or a 、-list of them, right
    before `大区`/`分公司` (`华东、华南…7个大区`)."""
    places_ = sorted((m for m in mentions if m.label == "LOC"), key=lambda m: m.start)
    dropped: set[Mention] = set()
    run: list[Mention] = []
    for m in places_:
        if run and text[run[-1].end:m.start] not in ("、", "和", "及"):
            run = []
        run.append(m)
        if _division_pattern(knowledge).match(text, m.end):
            dropped.update(run)
    return [m for m in mentions if m not in dropped]
