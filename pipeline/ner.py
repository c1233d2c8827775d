"""Stage 4, Chinese NER: PERSON / ORG / LOC mentions on clean text.

Three sources, merged by `find_mentions`:
- the character-level spaCy model shipped in `models/ner_char` (trained by
  `pipeline.train ner` on MSRA), which knows names in general;
- domain rules from `resources/`: people after title chains
  (`党组书记、副主席黄红`, `秘书长:刘寅峰`, `周奇、桂晓燕`), places from the
  administrative-division list shipped with cpca plus countries, regions and
  province abbreviations in context (`来沪`);
- document-level short references (`协会` for the document's association).
Canonical names are in `pipeline.canonical`.
"""
from __future__ import annotations

import csv
import functools
import importlib.resources
import io
import re
from dataclasses import dataclass
from pathlib import Path

import spacy
import yaml
from hanlp_trie import Trie
from spacy.language import Language

from pipeline import chartok  # noqa: F401  (registers the character tokenizer used by the model)
from pipeline.resources import resource_path

HAN = "\u4e00-\u9fff"
# Chunks handed to the character model: it was trained on sentences.
CHUNK = re.compile(r"[^。！？!?；;\n]{1,300}[。！？!?；;]?")


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    label: str
    source: str  # model | title_rule | head_rule | gazetteer | short_reference
    text: str


def _lines(name: str) -> list[str]:
    text = resource_path(name).read_text(encoding="utf-8")
    return [w for line in text.splitlines() if not line.startswith("#") for w in line.split()]


class CharModel:
    """The shipped character-level NER model."""

    def __init__(self, path: Path) -> None:
        if not (path / "meta.json").exists():
            raise FileNotFoundError(f"NER model not found at {path}: train it with `python -m pipeline.train ner`")
        self.nlp: Language = spacy.load(path)

    def predict(self, text: str) -> list[Mention]:
        chunks = [(m.start(), m.group(0)) for m in CHUNK.finditer(text) if m.group(0).strip()]
        mentions = []
        for (base, _), doc in zip(chunks, self.nlp.pipe((c for _, c in chunks), batch_size=256)):
            for ent in doc.ents:
                label = "PERSON" if ent.label_ in ("PER", "PERSON") else ent.label_
                start, end = base + ent.start_char, base + ent.end_char
                mentions.append(Mention(start, end, label, "model", text[start:end]))
        return mentions


@functools.lru_cache(maxsize=1)
def _title_pattern() -> re.Pattern[str]:
    titles = "|".join(sorted(_lines("titles.txt"), key=len, reverse=True))
    surnames = _lines("surnames.txt")
    single = "".join(s for s in surnames if len(s) == 1)
    compound = "|".join(s for s in surnames if len(s) > 1)
    name = rf"(?:{compound}|[{single}])[{HAN}]{{1,2}}?"
    boundary = _boundary()
    # A title chain: titles joined by 、/兼/和, optionally followed by a colon.
    return re.compile(rf"(?:{titles})(?:[、兼](?:{titles}))*\s*[:：]?\s*(?P<names>{name}(?={boundary})"
                      rf"(?:、{name}(?={boundary}))*)")


@functools.lru_cache(maxsize=1)
def _boundary() -> str:
    words = _lines("name_followers.txt")
    return rf"(?:[、，,。；;：:\s（(）)“”]|$|{'|'.join(sorted(words, key=len, reverse=True))})"


@functools.lru_cache(maxsize=1)
def _photo_credit() -> re.Pattern[str]:
    """A photo credit names its photographer: `(展翔 摄)`, `（记者 王明 摄）`."""
    surnames = _lines("surnames.txt")
    single = "".join(s for s in surnames if len(s) == 1)
    compound = "|".join(s for s in surnames if len(s) > 1)
    return re.compile(rf"[（(](?:记者|摄影|图)?\s*(?P<credit>(?:{compound}|[{single}])[{HAN}]{{1,2}}?)\s*摄\s*[)）]")


def title_rule_mentions(text: str) -> list[Mention]:
    """People named right after a title chain, including lists joined by 、, or in a photo credit."""
    not_names = set(_lines("not_names.txt"))
    mentions = []
    for match in _photo_credit().finditer(text):
        start, end = match.span("credit")
        mentions.append(Mention(start, end, "PERSON", "title_rule", text[start:end]))
    for match in _title_pattern().finditer(text):
        base = match.start("names")
        for part in re.finditer(r"[^、]+", match.group("names")):
            start, end = base + part.start(), base + part.end()
            if text[start:end] not in not_names:
                mentions.append(Mention(start, end, "PERSON", "title_rule", text[start:end]))
    return mentions


@functools.lru_cache(maxsize=1)
def _places() -> tuple[Trie, list[tuple[re.Pattern[str], dict[str, str]]], re.Pattern[str]]:
    """A trie of place names -> canonical name, plus abbreviation patterns."""
    data = yaml.safe_load(resource_path("places.yaml").read_text(encoding="utf-8"))
    trie = Trie()
    adcodes = importlib.resources.files("cpca").joinpath("resources/adcodes.csv").read_text(encoding="utf-8")
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
    adcodes = importlib.resources.files("cpca").joinpath("resources/adcodes.csv").read_text(encoding="utf-8")
    seen: dict[str, set[str]] = {}
    listed = _places()[0]
    for row in csv.DictReader(io.StringIO(adcodes)):
        name = row["name"]
        short = re.sub(r"(新区|区)$", "", name)
        if short in listed:
            continue  # `西安` is the city, not 西安区
        if row["adcode"][6:] == "000000" and row["adcode"][4:6] != "00" and len(short) >= 2 and short != name:
            seen.setdefault(short, set()).add(name)
    return {short: names.pop() for short, names in seen.items() if len(names) == 1}


def gazetteer_mentions(text: str) -> list[Mention]:
    trie, contexts, runs = _places()
    mentions = [Mention(s, e, "LOC", "gazetteer", text[s:e]) for s, e, _ in trie.parse_longest(text)]
    for pattern, _ in contexts:
        mentions += [Mention(m.start(), m.end(), "LOC", "gazetteer", m.group(0)) for m in pattern.finditer(text)]
    for run in runs.finditer(text):
        mentions += [Mention(i, i + 1, "LOC", "gazetteer", text[i]) for i in range(run.start(), run.end())]
    return mentions


@functools.lru_cache(maxsize=1)
def _abbreviations() -> dict[str, str]:
    return yaml.safe_load(resource_path("places.yaml").read_text(encoding="utf-8"))["abbreviations"]


def place_canonical(surface: str) -> str:
    """Full name of a province abbreviation (`沪` -> `上海`) or a district's short name, else the surface."""
    if len(surface) == 1:
        return _abbreviations().get(surface, surface)
    return district_short_names().get(surface, surface)


@functools.lru_cache(maxsize=1)
def org_heads() -> list[str]:
    return sorted(_lines("org_heads.txt"), key=len, reverse=True)


def short_reference_mentions(text: str, orgs: list[Mention]) -> list[Mention]:
    """A bare head (`协会`) used alone refers to the document's organisation with that head."""
    heads = {h for h in org_heads() if any(o.text.endswith(h) and len(o.text) > len(h) for o in orgs)}
    mentions = []
    for head in heads:
        for match in re.finditer(rf"(?<![{HAN}])(?:本|该|我)?{re.escape(head)}|(?<=[由与和及、在对向为了给将把被同])"
                                 rf"{re.escape(head)}", text):
            mentions.append(Mention(match.start(), match.end(), "ORG", "short_reference", match.group(0)))
    return mentions


@functools.lru_cache(maxsize=1)
def _org_rule() -> tuple[re.Pattern[str], re.Pattern[str], set[str], re.Pattern[str], dict]:
    data = yaml.safe_load(resource_path("org_rule.yaml").read_text(encoding="utf-8"))
    heads = "|".join(org_heads())
    stops = sorted(data["boundaries"] + data["group_markers"], key=len, reverse=True)
    # A date right before a name (`2022年度市总工会`) also ends it.
    boundary = re.compile(rf"(?:{'|'.join(stops)}|[0-9〇一二三四五六七八九十]+[年月日号]度?|第[一二三四五六七八九十]+届)$")
    starts = re.compile("|".join(sorted(data["name_starts"], key=len, reverse=True)))
    singles = "|".join(rf"(?<![{rule['not_after']}]){head}(?![{rule['not_before']}])"
                       for head, rule in data["single_char_heads"].items())
    all_heads = rf"(?:{heads}|{singles})"
    return re.compile(all_heads), boundary, set(data["group_markers"]), starts, data


def _name_start(text: str, start: int, end: int) -> int | None:
    """Where an organisation name may start inside [start, end): a place or a prefix like 市/全国."""
    _, _, _, starts, _ = _org_rule()
    trie = _places()[0]
    places = {s for s, _, _ in trie.parse_longest(text[start:end])}
    heads = tuple(org_heads())
    for i in range(start, end):
        if text[i - 1:i] in ("(", "（"):
            continue
        if i == start and text.startswith(heads, i) and end - start > 1:
            return i  # `协会工业炉窑分会`: a branch of the document's own association
        prefix = starts.match(text, i)
        # One-character prefixes (市, 区) only where the name's left edge was found.
        if (i - start) in places or (prefix and (i == start or len(prefix.group(0)) > 1)):
            return i
    return None


def _is_generic(name: str, head: str, data: dict) -> bool:
    """`上海工会`, `中国工会`: a place or prefix and a general head, naming no particular body."""
    if head not in data["generic_heads"]:
        return False
    rest = name[: -len(head)]
    trie = _places()[0]
    places = trie.parse_longest(rest)
    _, _, _, starts, _ = _org_rule()
    return not rest or bool(starts.fullmatch(rest)) or (len(places) == 1 and places[0][:2] == (0, len(rest)))


def _last_heads(heads: re.Pattern[str], boundary: re.Pattern[str], line: str) -> list[re.Match[str]]:
    """Heads that end a name: no other head follows before a boundary word (`…政协会` ends in 协会,
    `A协会与B协会签订` has two)."""
    found = []
    for i in range(len(line)):
        match = heads.match(line, i)
        if not match:
            continue
        tail = re.match(rf"[{HAN}]*", line[match.end():]).group(0)
        for k in range(1, len(tail) + 1):
            if boundary.search(tail, 0, k) and boundary.search(tail, 0, k).end() == k:
                tail = tail[:k - len(boundary.search(tail, 0, k).group(0))]
                break
        if not any(heads.match(line, match.end() + k) for k in range(len(tail))):
            if found and found[-1].end() > match.start():
                if match.end() <= found[-1].end():
                    continue
                found.pop()
            found.append(match)
    return found


def head_rule_mentions(text: str, people: list[Mention]) -> list[Mention]:
    """Organisations by their heads: extend left from `协会`/`有限公司`... to a boundary word or a name,
    then start the name at its first place or prefix (`足以显现出中国铸造协会` -> `中国铸造协会`)."""
    heads, boundary, groups, _, data = _org_rule()
    name_ends = {p.end for p in people}
    mentions = []
    for line in re.finditer(r"[^\n]+", text):
        for head in _last_heads(heads, boundary, line.group(0)):
            end = line.start() + head.end()
            start = end - len(head.group(0))
            while start > line.start() and end - start < data["max_length"] and start not in name_ends:
                bracket = re.search(rf"[(（][{HAN}]{{2,6}}[)）]$", text[max(line.start(), start - 8):start])
                if bracket:  # `格朗吉斯铝业(上海)有限公司`: a place in brackets stays inside the name
                    start -= len(bracket.group(0))
                    continue
                if not re.match(f"[{HAN}]", text[start - 1]):
                    break
                stop = boundary.search(text, max(line.start(), start - 8), start)
                if stop and stop.end() == start:
                    if stop.group(0) in groups:
                        start = end  # a group noun: no name here
                    break
                start -= 1
            named = _name_start(text, start, end - len(head.group(0)) + 1) if end > start else None
            if named is None and end - start >= 4:
                # No place or prefix to start it: only the model may confirm where it starts.
                mentions.append(Mention(start, end, "ORG", "head_rule_weak", text[start:end]))
                continue
            shortest = 4 if len(head.group(0)) == 1 else 2
            if named is not None and _is_generic(text[named:end], head.group(0), data):
                continue
            if named is not None and end - named >= shortest:
                mentions.append(Mention(named, end, "ORG", "head_rule", text[named:end]))
    return mentions


PRIORITY = {"title_rule": 0, "head_rule": 1, "gazetteer": 2, "model": 3, "short_reference": 4}


def confirm_weak_heads(candidates: list[Mention]) -> list[Mention]:
    """Keep a head-rule name with no place prefix only where the model found an organisation ending
    at the same head; the model decides where the name starts."""
    ends = {m.end: m for m in candidates if m.source == "model" and m.label == "ORG"}
    kept = []
    for m in candidates:
        if m.source == "head_rule_weak":
            model = ends.get(m.end)
            if model is not None and model.start >= m.start:
                kept.append(Mention(model.start, m.end, "ORG", "head_rule", model.text))
        else:
            kept.append(m)
    return kept


def _model_beats_places(candidates: list[Mention]) -> list[Mention]:
    """Where the model and the place list disagree, keep the model's span only if it is an organisation
    ending in an organisation head (`浙江省舟山市政协`) or a longer place; else the listed place wins."""
    places = [m for m in candidates if m.source == "gazetteer"]
    heads = tuple(org_heads())
    kept = []
    for m in candidates:
        clash = [p for p in places if p.start < m.end and m.start < p.end]
        if m.source == "model" and clash and not (
                (m.label == "ORG" and m.text.endswith(heads)) or
                (m.label == "LOC" and all(m.end - m.start > p.end - p.start for p in clash))):
            continue
        kept.append(m)
    return kept


def abbreviation_mentions(text: str, mentions: list[Mention]) -> list[Mention]:
    """Clipped names of the document's organisations (`上期所`, `中铸协`, `纺协`) where nothing else was found.

    A candidate takes its characters in order from a full name (after a leading
    place), starts with the name's first character and ends with one of the
    characters of its head (`所` of 交易所, `协` of 协会).
    """
    from pipeline.canonical import is_abbreviation, strip_place_prefix

    covered = set()
    for m in mentions:
        covered.update(range(m.start, m.end))
    fulls = {m.text for m in mentions if m.label == "ORG" and len(m.text) >= 5}
    found = []
    for full in fulls:
        firsts = {full[0], strip_place_prefix(full)[0]}
        for match in re.finditer("|".join(map(re.escape, firsts)), text):
            for length in (4, 3, 2):
                start, end = match.start(), match.start() + length
                candidate = text[start:end]
                if (end <= len(text) and not covered.intersection(range(start, end)) and candidate[-1] in full[-3:]
                        and re.fullmatch(f"[{HAN}]+", candidate) and is_abbreviation(candidate, full)):
                    found.append(Mention(start, end, "ORG", "short_reference", candidate))
                    break
    return found


def merge_mentions(candidates: list[Mention]) -> list[Mention]:
    """Non-overlapping mentions: title rules, organisation heads, places, the model, short references;
    longer wins a tie."""
    taken: set[int] = set()
    chosen: list[Mention] = []
    for mention in sorted(candidates, key=lambda m: (PRIORITY[m.source], -(m.end - m.start), m.start)):
        span = range(mention.start, mention.end)
        if not any(i in taken for i in span):
            chosen.append(mention)
            taken.update(span)
    return sorted(chosen, key=lambda m: m.start)


QUOTED = re.compile(r"“[^”\n]*”|《[^》\n]*》|「[^」\n]*」|\"[^\"\n]*\"")


def outside_quoted_names(text: str, mentions: list[Mention]) -> list[Mention]:
    """Drop mentions inside a longer quoted or book-titled name (an award, a document title)."""
    quoted = [(m.start() + 1, m.end() - 1) for m in QUOTED.finditer(text)]
    return [m for m in mentions
            if not any(a <= m.start and m.end <= b and (b - a) > (m.end - m.start) for a, b in quoted)]


@functools.lru_cache(maxsize=1)
def _name_pattern() -> re.Pattern[str]:
    surnames = _lines("surnames.txt")
    single = "".join(s for s in surnames if len(s) == 1)
    compound = "|".join(s for s in surnames if len(s) > 1)
    return re.compile(rf"(?:{compound}|[{single}])[{HAN}]{{1,2}}")


def list_mentions(text: str, mentions: list[Mention]) -> list[Mention]:
    """Names in a `、` list whose other items are people are people too (`…、韩国华、谢邦鹏`)."""
    people = {(m.start, m.end) for m in mentions if m.label == "PERSON"}
    found = []
    for run in re.finditer(rf"[{HAN}]{{2,4}}(?:、[{HAN}]{{2,4}})+", text):
        items = [(run.start() + m.start(), run.start() + m.end()) for m in re.finditer(rf"[{HAN}]+", run.group(0))]
        known = sum(item in people for item in items)
        if known >= 2 and known * 2 >= len(items):
            for start, end in items:
                if (start, end) not in people and _name_pattern().fullmatch(text[start:end]):
                    found.append(Mention(start, end, "PERSON", "title_rule", text[start:end]))
    return found


def relabel_places(mentions: list[Mention]) -> list[Mention]:
    """A model 'person' or 'organisation' that is exactly a place name is a place (`普陀`, `安徽省`)."""
    trie = _places()[0]
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
def _venue_heads() -> tuple[str, ...]:
    data = yaml.safe_load(resource_path("places.yaml").read_text(encoding="utf-8"))
    return tuple(data["venue_heads"])


def not_venues(mentions: list[Mention]) -> list[Mention]:
    """Venues and buildings are where events happen, not entities (`江铜大厦`, `虹桥宾馆`); nor are
    general names like `上海工会`, whoever proposes them."""
    data = _org_rule()[4]
    kept = []
    for m in mentions:
        if m.label != "PERSON" and m.text.endswith(_venue_heads()):
            continue
        head = next((h for h in data["generic_heads"] if m.text.endswith(h)), None)
        if m.label == "ORG" and head and _is_generic(m.text, head, data):
            continue
        kept.append(m)
    return kept


def find_mentions(text: str, model: CharModel | None) -> list[Mention]:
    """All PERSON / ORG / LOC mentions of a clean text, non-overlapping, in text order."""
    people = title_rule_mentions(text)
    candidates = people + head_rule_mentions(text, people) + gazetteer_mentions(text)
    if model is not None:
        candidates += relabel_places([m for m in model.predict(text) if m.text.strip() == m.text and len(m.text) > 1])
    candidates = confirm_weak_heads(outside_quoted_names(text, candidates))
    merged = merge_mentions(not_venues(_model_beats_places(candidates)))
    merged = merge_mentions(list_mentions(text, merged) + merged)
    orgs = [m for m in merged if m.label == "ORG"]
    merged = merge_mentions(merged + short_reference_mentions(text, orgs))
    merged = merge_mentions(merged + abbreviation_mentions(text, merged))
    return merged
