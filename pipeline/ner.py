"""Stage 4, Chinese NER: PERSON / ORG / LOC mentions on clean text.

Three sources, merged by `pipeline.mention_steps.find_mentions`:
- the character-level model shipped in `models/ner_crf` (a spaCy pipeline around a
  CRF combined with a fine-tuned BiGRU-CRF, `pipeline.ner_crf`, trained by
  `pipeline.train ner` on MSRA), which knows names in general; its organisations
  are trimmed of dates and verbs they run over;
- domain rules: people (`pipeline.ner_people`: title chains `党组书记、副主席黄红`,
  name lists, photo credits), places (`pipeline.ner_places`: the division list,
  abbreviations in context `来沪`) and organisations (`pipeline.ner_orgs`: names
  by their heads, short references `协会`, clipped names `上期所`);
- filters: nothing inside a longer quoted name, no venues, no general names.
Canonical names are in `pipeline.canonical`.
"""
from __future__ import annotations

import bisect
import re
from pathlib import Path

import spacy
from spacy.language import Language

from pipeline import chartok  # noqa: F401  (registers the tokenizer the model uses)
from pipeline.canonical import is_bare_department
from pipeline.knowledge import Knowledge, alternation, load_knowledge, per_knowledge
from pipeline.mentions import COUNT_DIGIT, HAN, Mention
from pipeline.ner_crf import CRFEntityRecognizer
from pipeline.ner_orgs import (
    is_general_name,
    org_heads,
)
from pipeline.ner_places import (
    place_prefix_length,
    venue_heads,
    venue_position,
)

CHUNK = re.compile(r"[^。！？!?；;\n]{1,300}[。！？!?；;]?")


SEPARATORS = re.compile(r"[，,、。；;：:！？!?\s]")


def _balanced(name: str) -> bool:
    """Brackets open and close inside the name (`海鸥控股(集团)有限公司`), and no quotes."""
    depth = 0
    for char in name:
        depth += char in "(（"
        depth -= char in ")）"
        if depth < 0 or char in "“”\"《》「」":
            return False
    return depth == 0


class CharModel:
    """The shipped character CRF (a spaCy pipeline whose `zh_crf_ner` component tags), run sentence by sentence."""

    def __init__(self, path: Path, network: bool = True) -> None:
        """`network`: combine the CRF with the model's BiGRU-CRF where it has one (False: the CRF alone,
        about four times as fast)."""
        if not (path / "meta.json").exists():
            raise FileNotFoundError(f"NER model not found at {path}: train it with `python -m pipeline.train ner`")
        self.nlp: Language = spacy.load(path)
        taggers = [c for _, c in self.nlp.pipeline if isinstance(c, CRFEntityRecognizer)]
        if not taggers:
            raise ValueError(f"{path} is a spaCy pipeline without a zh_crf_ner component: "
                             "train one with `python -m pipeline.train ner`")
        self.tagger = taggers[0]
        self.tagger.use_network = network
        self.labels = load_knowledge().yaml("ner_labels.yaml")["msra"]  # the model's labels are MSRA's

    def predict(self, text: str) -> list[Mention]:
        mentions = []
        chunks = [chunk for chunk in CHUNK.finditer(text) if chunk.group(0).strip()]
        for chunk, spans in zip(chunks, self.tagger.spans_of([chunk.group(0) for chunk in chunks])):
            for start, end, label in spans:
                start, end = chunk.start() + start, chunk.start() + end
                name = text[start:end]
                if SEPARATORS.search(name) or not _balanced(name):
                    continue  # a name never runs across a separator or half a bracket
                mentions.append(Mention(start, end, self.labels.get(label) or label, "model", name))
        return mentions


def _org_data(knowledge: Knowledge) -> dict:
    return knowledge.yaml("org_rule.yaml")


PRIORITY = {"title_rule": 0, "head_rule": 1, "gazetteer": 2, "model": 3, "short_reference": 4}


def confirm_weak_heads(knowledge: Knowledge, candidates: list[Mention]) -> list[Mention]:
    """Keep a head-rule name with no place prefix only where the model found an organisation ending
    at the same head; the model decides where the name starts: inside the rule's span (unless it starts
    at a head word there), or further left when it starts with a place (`兰州陇原重工…有限公司`, where the
    rule stopped at 原)."""
    ends = {m.end: m for m in candidates if m.source == "model" and m.label == "ORG"}
    kept = []
    for m in candidates:
        if m.source == "head_rule_weak":
            model = ends.get(m.end)
            if model is not None and model.start > m.start and re.fullmatch(f"[{HAN}]+", m.text) and any(
                    model.text.startswith(head) and len(head) < len(model.text) for head in org_heads(knowledge)):
                # The model started at a head word inside a longer name (`快递行业[工会联合会]`): the rule's start.
                kept.append(Mention(m.start, m.end, "ORG", "head_rule", m.text))
            elif model is not None and (model.start >= m.start or place_prefix_length(knowledge, model.text) > 0):
                kept.append(Mention(model.start, m.end, "ORG", "head_rule", model.text))
        else:
            kept.append(m)
    return kept


def model_beats_places(knowledge: Knowledge, candidates: list[Mention]) -> list[Mention]:
    """Where the model and the place list disagree, keep the model's span only if it is an organisation
    ending in an organisation head (`浙江省舟山市政协`) or a longer place; else the listed place wins."""
    place_at: dict[int, list[Mention]] = {}
    for place in (m for m in candidates if m.source == "gazetteer"):
        for i in range(place.start, place.end):
            place_at.setdefault(i, []).append(place)
    heads = tuple(org_heads(knowledge))
    kept = []
    for m in candidates:
        clash = {p for i in range(m.start, m.end) for p in place_at.get(i, ())}
        if m.source == "model" and clash and not (
                (m.label == "ORG" and m.text.endswith(heads)) or
                (m.label == "LOC" and all(m.end - m.start > p.end - p.start for p in clash))):
            continue
        kept.append(m)
    return kept


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


def outside_quoted_names(knowledge: Knowledge, text: str, mentions: list[Mention]) -> list[Mention]:
    """Drop mentions inside a longer quoted name (an award) or inside a book title (a document), and
    a quoted name that is an honour (`“全国优秀行业协会”称号`)."""
    quoted = [(m.start() + 1, m.end() - 1) for m in QUOTED.finditer(text)]
    starts = [a for a, _ in quoted]
    honours = tuple(_org_data(knowledge)["honour_followers"])
    kept = []
    for m in mentions:
        index = bisect.bisect_right(starts, m.start) - 1
        # A name that is a whole book title (`《…研究报告》`) or honour is a title too.
        inside = index >= 0 and m.end <= quoted[index][1] and (
            quoted[index][1] - quoted[index][0] > m.end - m.start or text[quoted[index][0] - 1] == "《"
            or text.startswith(honours, quoted[index][1] + 1))
        if not inside:
            kept.append(m)
    return kept


ORDINAL_CONGRESS = re.compile("[一二三四五六七八九十]+大$")


def not_event_bodies(knowledge: Knowledge, text: str, mentions: list[Mention]) -> list[Mention]:
    """Drop the model's organisations that name a meeting, an event committee, a document or a bare
    department rather than a body: `大赛组委会`, `代表大会`, `十九大`, `民主生活会`, `…研究报告`, `法律服务部`, or
    two bodies run together (`工作组/专班`). (MSRA tags party congresses `十五大` as ORG; the
    spec counts meetings as events.)"""
    data = _org_data(knowledge)
    bodies = tuple(sorted(data["event_bodies"], key=len, reverse=True))
    documents = tuple(data["document_heads"]) + tuple(data["meeting_names"])
    kept = []
    for m in mentions:
        if m.source == "model" and m.label == "ORG":
            body = next((b for b in bodies if m.text.endswith(b)), None)
            if body is not None and not _names_a_body(knowledge, m.text[: -len(body)]):
                continue
            if ORDINAL_CONGRESS.search(m.text) or "/" in m.text or m.text.endswith(documents):
                continue
            if is_bare_department(knowledge, m.text) and not _names_a_body(knowledge, m.text):
                continue
        kept.append(m)
    return kept


COUNT_BEFORE = re.compile(f"{COUNT_DIGIT}$")


@per_knowledge
def _level_before(knowledge: Knowledge) -> re.Pattern[str]:
    """A bare level and a joiner right before a name: `市、区…`, not `江宁区、市…`."""
    return re.compile(f"(?<![{HAN}])[{knowledge.yaml('places.yaml')['division_levels']}][、和及]$")


def not_groups(knowledge: Knowledge, text: str, mentions: list[Mention]) -> list[Mention]:
    """Group nouns are no organisation, whoever proposes them: a counted level (`川渝黔三省总工会`,
    `9省市煤炭协会`), a pair of levels with no place (`区局工会`, `省、市法律援助中心`) or a group
    marker (`各区总工会`), also a few characters before a level or a bare head (`各设区市总工会`,
    `各产业工会`); nor is a reference to the document's own organisation or the one just named (`本会`)."""
    data = _org_data(knowledge)
    references = set(data["self_references"])
    levels, starts = tuple(data["counted_levels"]), tuple(data["level_pairs"] + data["group_markers"])
    marked = re.compile(f"(?:{alternation(data['group_markers'])})[{HAN}]{{0,4}}$")
    measures = tuple(data["count_measures"])
    return [m for m in mentions if not (m.label == "ORG" and (
        m.text in references or m.text.startswith(starts) or (m.text.startswith(measures) and COUNT_BEFORE.search(text, max(0, m.start - 1), m.start))
        or (m.text.startswith(levels) and (
            COUNT_BEFORE.search(text, max(0, m.start - 1), m.start) or
            _level_before(knowledge).search(text, max(0, m.start - 3), m.start))) or (
            (m.text.startswith(levels) or m.text in org_heads(knowledge)) and marked.search(text, max(0, m.start - 7), m.start))))]


def not_sectors(knowledge: Knowledge, text: str, mentions: list[Mention]) -> list[Mention]:
    """An organisation right before `界别` names a sector of members (`政协经济界别委员`), not the body."""
    sectors = tuple(_org_data(knowledge)["sector_followers"])
    return [m for m in mentions if not (m.label == "ORG" and text.startswith(sectors, m.end))]


def _names_a_body(knowledge: Knowledge, rest: str) -> bool:
    """What comes before a committee or meeting word names its body: a place, a prefix (市, 全国)
    or an organisation (`省软件协会理事会`)."""
    if not rest:
        return False
    return place_prefix_length(knowledge, rest) > 0 or rest.startswith(tuple(_org_data(knowledge)["name_starts"])) \
        or rest.endswith(tuple(org_heads(knowledge)))


def not_venues(knowledge: Knowledge, text: str, mentions: list[Mention]) -> list[Mention]:
    """Venues and buildings are where events happen, not entities (`江铜大厦`, `虹桥宾馆`), nor are
    general names like `上海工会`, whoever proposes them. A name ending in an organisation head is a
    body (`…促进中心`), unless an event is held in it (`在…服务中心举行`)."""
    before, held = venue_position(knowledge)
    kept = []
    for m in mentions:
        if m.label != "PERSON" and m.source != "title_rule" and m.text.endswith(venue_heads(knowledge)):
            venue = max((h for h in venue_heads(knowledge) if m.text.endswith(h)), key=len)
            body = any(m.text.endswith(h) and len(h) > len(venue) for h in org_heads(knowledge))
            if not body or (before.search(text, max(0, m.start - 3), m.start) and held.match(text, m.end)):
                continue
        if not (m.label == "ORG" and is_general_name(knowledge, m.text)):
            kept.append(m)
    return kept
