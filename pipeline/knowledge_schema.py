"""The schema of every knowledge file: one pydantic model per YAML file, known keys only.

Field types say what a value is used as, so a mistake fails at load time, not as a silent miss:
`Regex` is compiled when loaded, `Action` must be in the action table (`actions.yaml`, validated
first), `Chars` is a set of characters put inside a regex class, `Words` a list of literal words
(escaped wherever they are joined into a pattern). Files of one word per line (`*.txt`) need no model.
"""
from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, Field, RootModel

from pipeline.date_schema import Dates
from pipeline.knowledge_types import Action, Chars, Regex, Schema, Word, Words


class ActionSpec(Schema):
    """One action class: where its `what` and `where` come from and how it is listed."""
    what: Literal["event", "object"] = "event"  # the event named nearby, or the object after the trigger
    where: Literal["venue", "destination"] = "venue"  # the venue, or where the participant goes
    roll: Literal["award", "election"] | None = None  # introduces a list of the honoured or the elected
    enumerable: bool = False  # a group may take it before its members are listed (`分别是`)
    relation: Literal["organises"] | None = None  # gives a relation row from organisation to event
    speech: bool = False  # speaking: one per person when a trigger says `unless_spoken`
    attends: bool = False  # being present: a verb right after it names what was attended (`出席签约仪式`)


class Confidence(Schema):
    person: float
    organisation: float
    not_subject: float
    undated: float


class Actions(Schema):
    actions: dict[Word, ActionSpec]
    confidence: Confidence


class Trigger(Schema):
    action: Action
    role: Literal["subject", "agent", "object", "companions", "leaders", "listed_after", "honoured",
                  "recipients"] = "subject"
    not_after: Chars | None = None
    not_before: Chars | None = None
    not_before_words: Words | None = None
    not_after_words: Words | None = None
    unless_spoken: bool = False
    prefer_orgs: bool = False
    founded: bool = False
    org_only: bool = False


class Frame(Trigger):
    pattern: Regex


class Triggers(Schema):
    triggers: dict[Word, Trigger]
    frames: list[Frame]
    election_words: Words
    roll_end_labels: Words
    award_roll_words: list[Regex]
    enumeration_words: list[Regex]
    credit_words: Words
    pronouns: Words
    group_nouns: list[Regex]
    event_heads: Words
    place_verbs: Words
    manner_adverbs: Words
    not_subject_after: Chars
    held_verbs: Words
    holding_verbs: Words
    destination_verbs: Words
    destination_followers: Words


class Boilerplate(Schema):
    min_hits: int
    patterns: list[Regex]
    menu_items: int
    menu_item_chars: int
    keep_near_article: int


class LacInput(Schema):
    punctuation: dict[Word, Word]


class NameRuns(Schema):
    min_names: int
    max_gap: int
    breaks: Regex
    length_score: dict[int, float]
    odds_weight: float
    known_score: float
    tagged_score: float
    outside_score: float
    longest_name: int
    list_coverage: float


class NerLabels(RootModel[dict[Word, dict[Word, Literal["PERSON", "ORG", "LOC"] | None]]]):
    pass


class Confusable(Schema):
    wrong: Word
    right: Word
    before: Regex
    after: Regex


class OcrConfusables(RootModel[list[Confusable]]):
    pass


class VariantChars(RootModel[dict[Annotated[str, Field(min_length=1, max_length=1)],
                                  Annotated[str, Field(min_length=1, max_length=1)]]]):
    pass


class OrgRule(Schema):
    boundaries: Words
    joined_topics: Words
    group_markers: Words
    self_references: Words
    name_starts: Words
    max_length: int
    single_char_heads: dict[Word, dict[Literal["not_after", "not_before"], Chars]]
    head_not_before: dict[Word, Chars]
    generic_heads: Words
    place_named_heads: Words
    attributive_followers: Words
    short_reference_heads: Words
    event_bodies: Words
    meeting_names: Words
    document_heads: Words
    clipped_name_before: Words
    clipped_name_after: Words
    sector_followers: Words
    counted_levels: Words
    count_measures: Words
    level_pairs: Words
    party_joiners: Words
    source_words: Words
    source_dateline: Word
    media_heads: Words
    source_followers: Words
    honour_followers: Words


class OrgParts(Schema):
    internal_bodies: Words
    place_prefixes: dict[Word, int]
    not_prefixed: Words
    branch_heads: Words
    name_prefixes: Words
    legal_forms: Words
    department: Regex
    ministries: Words
    party_committee_after: Chars
    school_parents: Words
    schools: Words
    declared_short_name: Regex
    long_heads: dict[Word, Word]


class Places(Schema):
    countries: Words
    cities_abroad: Words
    hong_kong_macau_taiwan: Words
    regions: Words
    abbreviations: dict[Word, Word]
    abbreviation_contexts: list[Regex]
    abbreviation_runs: Regex
    provincial_names: dict[Word, Word]
    short_forms_as_words: Words
    venue_heads: Words
    division_heads: Words
    ethnic_groups: Words
    not_place_words: Words
    venue_place_before: Words
    venue_event_verbs: Words
    division_levels: Chars
    levels_before_heads: Chars
    district_levels: Chars
    district_short_not_before: Chars


class People(Schema):
    unit_title_starts: Chars
    person_verbs: Words
    person_object_verbs: Words
    surname_title_after: Chars
    joining_followers: Words
    name_part_joiners: Words
    after_name_titles: Words
    not_name_endings: Words


class Relations(Schema):
    not_posts: Words
    former_markers: Words
    current_markers: Words
    post_joiners: Words
    department_endings: Words
    post_bodies: Words
    list_heading: Regex
    verbs_after_name: Words
    appointed_markers: Words
    list_end: Regex
    term: Regex
    byline_posts: Words
    public_offices: Words
    org_reference: Regex
    post_modifiers: Words
    medium_endings: Words
    term_body: Regex


class PackManifest(Schema):
    """`pack.yaml`: what a pack is and the evidence that a document needs it."""
    name: Word
    description: str
    evidence: list[Regex] = []  # patterns in a document's text that call for this pack
    min_evidence: int = 1


# Every YAML knowledge file and its model; the word-list files (`*.txt`) are one word per line.
MODELS: dict[str, type[BaseModel]] = {
    "actions.yaml": Actions, "triggers.yaml": Triggers, "dates.yaml": Dates, "boilerplate.yaml": Boilerplate,
    "lac_input.yaml": LacInput, "name_runs.yaml": NameRuns, "ner_labels.yaml": NerLabels,
    "ocr_confusables.yaml": OcrConfusables, "variant_chars.yaml": VariantChars, "org_rule.yaml": OrgRule,
    "org_parts.yaml": OrgParts, "places.yaml": Places, "people.yaml": People, "relations.yaml": Relations,
}
WORD_FILES = ("name_followers.txt", "not_names.txt", "org_heads.txt", "pinyin_syllables.txt", "surnames.txt",
              "titles.txt")
