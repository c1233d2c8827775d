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


def title_rule_mentions(text: str) -> list[Mention]:
    """People named right after a title chain, including lists joined by 、."""
    mentions = []
    for match in _title_pattern().finditer(text):
        base = match.start("names")
        for part in re.finditer(r"[^、]+", match.group("names")):
            start, end = base + part.start(), base + part.end()
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
        short = re.sub(r"(省|市|壮族自治区|回族自治区|维吾尔自治区|自治区|特别行政区)$", "", name)
        if code[4:] == "00000000" and len(short) >= 2 and short != name:
            trie[short] = short
    for name in data["countries"] + data["regions"]:
        trie[name] = name
    contexts = [(re.compile(p), data["abbreviations"]) for p in data["abbreviation_contexts"]]
    return trie, contexts, re.compile(data["abbreviation_runs"])


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
    """Full name of a one-character province abbreviation (`沪` -> `上海`), else the surface."""
    return _abbreviations().get(surface, surface) if len(surface) == 1 else surface


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
def _org_rule() -> tuple[re.Pattern[str], re.Pattern[str], set[str], int, int]:
    data = yaml.safe_load(resource_path("org_rule.yaml").read_text(encoding="utf-8"))
    heads = "|".join(org_heads())
    stops = sorted(data["boundaries"] + data["group_markers"], key=len, reverse=True)
    # A date right before a name (`2022年度市总工会`) also ends it.
    boundary = re.compile(rf"(?:{'|'.join(stops)}|[0-9〇一二三四五六七八九十]+[年月日号]度?|第[一二三四五六七八九十]+届)$")
    return (re.compile(rf"(?:{heads})(?![{HAN}]*?(?:{heads}))"), boundary, set(data["group_markers"]),
            data["min_length"], data["max_length"])


def head_rule_mentions(text: str, people: list[Mention]) -> list[Mention]:
    """Organisations by their heads: extend left from `协会`/`有限公司`... to a boundary word or a name."""
    heads, boundary, groups, shortest, longest = _org_rule()
    name_ends = {p.end for p in people}
    mentions = []
    for line in re.finditer(r"[^\n]+", text):
        for head in heads.finditer(line.group(0)):
            end = line.start() + head.end()
            start = end - len(head.group(0))
            while (start > line.start() and re.match(f"[{HAN}]", text[start - 1]) and end - start < longest
                   and start not in name_ends):
                stop = boundary.search(text, max(line.start(), start - 8), start)
                if stop and stop.end() == start:
                    if stop.group(0) in groups:
                        start = end  # a group noun: no name here
                    break
                start -= 1
            if end - start >= shortest:
                mentions.append(Mention(start, end, "ORG", "head_rule", text[start:end]))
    return mentions


PRIORITY = {"title_rule": 0, "head_rule": 1, "model": 2, "gazetteer": 3, "short_reference": 4}


def merge_mentions(candidates: list[Mention]) -> list[Mention]:
    """Non-overlapping mentions: title rules first, then organisation heads, the model, lexicons; longer wins a tie."""
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


def find_mentions(text: str, model: CharModel | None) -> list[Mention]:
    """All PERSON / ORG / LOC mentions of a clean text, non-overlapping, in text order."""
    people = title_rule_mentions(text)
    candidates = people + head_rule_mentions(text, people) + gazetteer_mentions(text)
    if model is not None:
        candidates += [m for m in model.predict(text) if m.text.strip() == m.text and len(m.text) > 1]
    merged = merge_mentions(outside_quoted_names(text, candidates))
    orgs = [m for m in merged if m.label == "ORG"]
    merged = merge_mentions(merged + short_reference_mentions(text, orgs))
    return merged
