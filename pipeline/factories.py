"""spaCy components for the text stages, registered with declared contracts.

Each component computes with the stage module, then sets annotations. Results
ride on JSON-able extensions (`doc._.sentences`, `doc._.dates`,
`doc._.mentions`, `doc._.events`, `span._.canonical`), so they survive DocBin
and serialise straight to JSONL.
"""
from __future__ import annotations

import bisect
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path

import numpy
from spacy.attrs import IDX, LENGTH, SENT_START, SPACY
from spacy.language import Language
from spacy.tokens import Doc, Span

from pipeline import stages
from pipeline.canonical import canonical_names
from pipeline.dates import DateMention, resolve_dates
from pipeline.events import EntityRef, extract_events
from pipeline.knowledge import Knowledge
from pipeline.knowledge_packs import AUTO, PackSet
from pipeline.mention_steps import find_mentions
from pipeline.mentions import Mention
from pipeline.ner import CharModel
from pipeline.ner_hanlp import HanLPModel
from pipeline.reference_date import ReferenceDate, find_reference_date
from pipeline.relations import find_part_of, find_roles
from pipeline.segment import Sentence, segment_text

for _name in ("knowledge", "metadata_date", "carried", "sentences", "reference_date", "dates", "mentions", "roles",
              "mention_posts", "org_parts", "events"):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)
if not Span.has_extension("canonical"):
    Span.set_extension("canonical", default=None)


def text_of(doc: Doc) -> str:
    """The document's text, built once: spaCy's `doc.text` joins every token again on each access, which
    cost a tenth of a run; where the Doc is made from a text (`pipeline.pieces`) that text is kept from
    the start. Re-tokenising (`split_at`) keeps the text and carries the cached copy over."""
    text = doc.user_data.get(stages.TEXT_KEY)
    if text is None:
        text = doc.user_data[stages.TEXT_KEY] = doc.text
    return text


def sentences_of(doc: Doc) -> list[Sentence]:
    return [Sentence(**row) for row in doc._.sentences]


def dates_of(doc: Doc) -> list[DateMention]:
    return [DateMention.from_dict(row) for row in doc._.dates]


@Language.factory(stages.KNOWLEDGE, assigns=[stages.KNOWLEDGE_ATTR], default_config={"pack": AUTO, "folders": []})
def make_pack_chooser(nlp: Language, name: str, pack: str, folders: list[str]) -> "PackChooser":
    return PackChooser(PackSet([Path(folder) for folder in folders], pack))


class PackChooser:
    """Which knowledge packs each document gets (`pack`: `auto`, by the evidence in its text, or the packs
    named for every document; `folders`: the user's own packs). The later stages take the knowledge
    from it in their `initialize()`."""

    def __init__(self, packs: PackSet) -> None:
        self.packs = packs

    def __call__(self, doc: Doc) -> Doc:
        doc._.knowledge = (doc._.carried or {}).get("knowledge") or self.packs.choose(text_of(doc))
        return doc


class KnowledgeUser:
    """A stage that reads the knowledge of each document's packs, given to it by `initialize()`."""
    packs: PackSet | None = None

    def initialize(self, get_examples: object = None, *, nlp: Language) -> None:
        self.packs = nlp.get_pipe(stages.KNOWLEDGE).packs

    def knowledge(self, doc: Doc) -> Knowledge:
        if self.packs is None:
            raise RuntimeError("the pipeline is not initialized: build it with pipeline.load()")
        return self.packs.knowledge(doc._.knowledge)


@Language.factory(stages.SEGMENTS, assigns=[stages.SENTENCES_ATTR, "token.is_sent_start"],
                  requires=[stages.KNOWLEDGE_ATTR])
def make_segmenter(nlp: Language, name: str) -> "Segmenter":
    return Segmenter()


class Segmenter(KnowledgeUser):
    """Sentences, list items, headers and the title, with the entry each belongs to."""

    def __call__(self, doc: Doc) -> Doc:
        sentences = segment_text(text_of(doc), not (doc._.carried or {}).get("continues"), self.knowledge(doc))
        doc._.sentences = [asdict(s) for s in sentences]
        if len(doc):
            token_starts = doc.to_array([IDX])
            flags = numpy.where(numpy.isin(token_starts, [s.start for s in sentences]), 1, -1).astype("int32")
            flags[0] = 1
            doc.from_array([SENT_START], flags.astype("uint64").reshape(-1, 1))
        return doc


@Language.factory(stages.DATES, assigns=[stages.DATES_ATTR, stages.REFERENCE_ATTR],
                  requires=[stages.KNOWLEDGE_ATTR, stages.SENTENCES_ATTR], default_config={"reference_date": None})
def make_date_resolver(nlp: Language, name: str, reference_date: str | None) -> "DateResolver":
    return DateResolver(reference_date)


class DateResolver(KnowledgeUser):
    """Time expressions as ISO intervals, in the document's own context.

    `reference_date` (config) fixes the reference date for every document, for
    users who know when their texts were published; by default each document's
    own stamp, title year or dominant year is used, with the date its file's metadata
    carries (`doc._.metadata_date`, set by the reader) as one more candidate. Never the clock.
    """

    def __init__(self, reference_date: str | None) -> None:
        self.reference = ReferenceDate(reference_date, "given") if reference_date else None

    def __call__(self, doc: Doc) -> Doc:
        sentences, text = sentences_of(doc), text_of(doc)
        carried = doc._.carried or {}  # a piece of a long document: its reference and reading context
        if self.reference:
            reference = self.reference
        elif "reference" in carried:
            reference = carried["reference"]
        else:
            reference = find_reference_date(text, sentences, doc._.metadata_date, self.knowledge(doc))
        context = carried.get("date_context")
        if context is not None:
            context.reference = reference
        doc._.reference_date = reference.as_json() if reference else None
        edges = (not carried.get("continues"), not carried.get("continued"))
        doc._.dates = [m.as_dict() for m in resolve_dates(text, sentences, reference, context, edges,
                                                          self.knowledge(doc))]
        return doc


@Language.factory(stages.ENTITIES, assigns=[stages.ENTS_ATTR, stages.MENTIONS_ATTR, "span._.canonical"],
                  requires=[stages.KNOWLEDGE_ATTR, stages.SENTENCES_ATTR],
                  default_config={"model": "models/ner_crf", "backend": stages.DEFAULT_NER})
def make_entity_recogniser(nlp: Language, name: str, model: str | None, backend: str) -> "EntityRecogniser":
    return EntityRecogniser(model, backend)


def resolve_model_path(path: Path) -> Path:
    """Relative model paths are taken from the repository root, wherever the CLI runs."""
    if path.is_absolute() or path.exists():
        return path
    return Path(__file__).resolve().parent.parent / path


def load_ner_model(model: str | None, backend: str) -> CharModel | HanLPModel | None:
    """The statistical NER model (None: rules only). `crf`: a character model folder (the shipped one by
    default), its CRF alone; `spacy`: the same with its BiGRU-CRF combined (more accurate, about a quarter
    as fast); `hanlp`: a HanLP NER or multi-task model folder or HanLP id (the hanlp extra)."""
    if backend not in NER_LOADERS:
        raise ValueError(f"unknown NER backend {backend!r}: {', '.join(stages.NER_BACKENDS)}")
    return NER_LOADERS[backend](model) if model else None


NER_LOADERS: dict[str, Callable[[str], CharModel | HanLPModel]] = {
    "crf": lambda model: CharModel(resolve_model_path(Path(model)), network=False),
    "spacy": lambda model: CharModel(resolve_model_path(Path(model)), network=True),
    "hanlp": HanLPModel,
}
assert NER_LOADERS.keys() == stages.NER_BACKENDS.keys(), "every NER backend has a loader"


class EntityRecogniser(KnowledgeUser):
    """PERSON/ORG/LOC from the statistical model plus domain rules, with canonical names.

    NER works on characters; the word tokens are split where a mention starts
    or ends inside one, so `doc.ents` is aligned by character offsets.
    """

    def __init__(self, model: str | None, backend: str = stages.DEFAULT_NER) -> None:
        self.model = load_ner_model(model, backend)

    def __call__(self, doc: Doc) -> Doc:
        text = text_of(doc)
        # A piece of a long document: the names the pieces before it found, with how often.
        earlier = (doc._.carried or {}).get("earlier_mentions") or Counter()
        knowledge = self.knowledge(doc)
        mentions = find_mentions(knowledge, text, self.model, earlier)
        names = canonical_names(knowledge, mentions, text, earlier)
        doc = split_at(doc, text, {m.start for m in mentions} | {m.end for m in mentions})
        spans = []
        rows = []
        for mention, canonical in zip(mentions, names):
            span = doc.char_span(mention.start, mention.end, label=mention.label)
            if span is None:
                continue
            span._.canonical = canonical
            spans.append(span)
            rows.append({"start": mention.start, "end": mention.end, "label": mention.label, "text": mention.text,
                         "canonical": canonical, "source": mention.source})
        doc.set_ents(spans)
        doc._.mentions = rows
        return doc


def split_at(doc: Doc, text: str, offsets: set[int]) -> Doc:
    """`doc` (whose text is `text`) with word tokens split at the given character offsets (entity boundaries).

    Built as a new `Doc` in one pass (spaCy's retokenizer splits one token at a
    time, which is quadratic on long documents); sentence starts and extension
    data (`doc._`) carry over. Token positions come from one array, not from
    `Token` objects, and a document with no offset inside a token is returned as is.
    """
    starts, lengths, spaces, sent_starts = doc.to_array([IDX, LENGTH, SPACY, SENT_START]).T.tolist()
    cuts: dict[int, list[int]] = {}
    for offset in sorted(offsets):
        k = bisect.bisect_right(starts, offset) - 1
        if k >= 0 and starts[k] < offset < starts[k] + lengths[k]:
            cuts.setdefault(k, []).append(offset)
    if not cuts:
        return doc
    words: list[str] = []
    word_spaces: list[bool] = []
    word_starts: list[bool] = []
    for k, (start, length, space, sent_start) in enumerate(zip(starts, lengths, spaces, sent_starts)):
        bounds = [start, *cuts.get(k, ()), start + length]
        words += [text[a:b] for a, b in zip(bounds, bounds[1:])]
        word_spaces += [False] * (len(bounds) - 2) + [bool(space)]
        word_starts += [sent_start == 1] + [False] * (len(bounds) - 2)
    split = Doc(doc.vocab, words=words, spaces=word_spaces, sent_starts=word_starts)
    split.user_data.update(doc.user_data)
    return split


@Language.factory(stages.RELATIONS, assigns=[stages.ROLES_ATTR, stages.MENTION_POSTS_ATTR, stages.ORG_PARTS_ATTR],
                  requires=[stages.KNOWLEDGE_ATTR, stages.SENTENCES_ATTR, stages.MENTIONS_ATTR])
def make_relation_finder(nlp: Language, name: str) -> "RelationFinder":
    return RelationFinder()


class RelationFinder(KnowledgeUser):
    """Every titled person's posts and their organisations (`holds_title`), and the organisations' named
    branches and departments (`part_of`), from the mentions and the text."""

    def __call__(self, doc: Doc) -> Doc:
        rows = doc._.mentions or []
        mentions = [Mention(m["start"], m["end"], m["label"], m["source"], m["text"]) for m in rows]
        sentences, names, knowledge = sentences_of(doc), [m["canonical"] for m in rows], self.knowledge(doc)
        text = text_of(doc)
        roles, by_mention = find_roles(text, sentences, mentions, names, knowledge)
        doc._.roles = [asdict(role) for role in roles]
        doc._.org_parts = [asdict(part) for part in find_part_of(text, sentences, mentions, names, knowledge)]
        doc._.mention_posts = {str(i): [list(post) for post in posts] for i, posts in by_mention.items()}
        return doc


@Language.factory(stages.EVENTS, assigns=[stages.EVENTS_ATTR],
                  requires=[stages.KNOWLEDGE_ATTR, stages.SENTENCES_ATTR, stages.DATES_ATTR, stages.MENTIONS_ATTR, stages.MENTION_POSTS_ATTR])
def make_event_extractor(nlp: Language, name: str) -> "EventExtractor":
    return EventExtractor()


class EventExtractor(KnowledgeUser):
    """Who-did-what-when-where tuples from the earlier stages' annotations."""

    def __call__(self, doc: Doc) -> Doc:
        posts = doc._.mention_posts or {}  # the relation stage's posts of each titled mention
        mentions = [EntityRef(m["start"], m["end"], m["label"], m["text"], m["canonical"], f"m{i}",
                              tuple(tuple(post) for post in posts.get(str(i), ())))
                    for i, m in enumerate(doc._.mentions or [])]
        dates = dates_of(doc)
        date_ids = {d.start: f"d{i}" for i, d in enumerate(dates)}
        events = extract_events(text_of(doc), sentences_of(doc), dates, mentions, date_ids, self.knowledge(doc))
        doc._.events = [e.as_dict() for e in events]
        return doc

