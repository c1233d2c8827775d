"""`find_mentions`: stage 4's mentions as a list of named steps, each from the mentions so far to the
next (candidates from the rules and the model, filters, merges, names written out), like the repair
steps of stage 1."""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from pipeline.knowledge import Knowledge
from pipeline.mentions import Mention
from pipeline.ner import (
    CharModel,
    confirm_weak_heads,
    merge_mentions,
    model_beats_places,
    not_event_bodies,
    not_groups,
    not_sectors,
    not_venues,
    outside_quoted_names,
)
from pipeline.ner_orgs import (
    head_rule_mentions,
    join_branches,
    same_org_throughout,
    shared_tail_mentions,
    source_credit_mentions,
    trim_model_orgs,
)
from pipeline.ner_people import (
    joined_name_parts,
    list_mentions,
    not_a_name,
    same_name_throughout,
    surname_title_mentions,
    title_rule_mentions,
    whole_given_names,
)
from pipeline.ner_places import (
    city_district_mentions,
    gazetteer_mentions,
    not_divisions,
    not_venue_places,
    outside_place_words,
    relabel_places,
)
from pipeline.org_references import abbreviation_mentions, short_reference_mentions, split_joined_orgs


@dataclass(frozen=True)
class Reading:
    """What the mention steps read: the knowledge, the text, the statistical model (None: rules only) and
    the names earlier pieces of the same long document found (no offsets), which short references
    (`商会`, `卫主席`) may point to."""
    knowledge: Knowledge
    text: str
    model: CharModel | None
    earlier: list[Mention]


MentionStep = Callable[[Reading, list[Mention]], list[Mention]]


def _rule_candidates(r: Reading, _: list[Mention]) -> list[Mention]:
    """Title chains, organisation heads, listed places and photo credits."""
    people = title_rule_mentions(r.knowledge, r.text)
    return people + head_rule_mentions(r.knowledge, r.text, people) + gazetteer_mentions(r.knowledge, r.text) + \
        source_credit_mentions(r.knowledge, r.text)


def _model_candidates(r: Reading, found: list[Mention]) -> list[Mention]:
    """The model's names, given names made whole, places relabelled, organisations trimmed of what they
    run over, no bodies of an event."""
    if r.model is None:
        return found
    k, text = r.knowledge, r.text
    proposed = [m for m in r.model.predict(text) if m.text.strip() == m.text and len(m.text) > 1
                and not (m.label == "PERSON" and not_a_name(k, m.text))]
    return found + not_event_bodies(k, text, trim_model_orgs(k, text, relabel_places(k, whole_given_names(
        k, text, proposed))))


def _candidate_filters(r: Reading, found: list[Mention]) -> list[Mention]:
    """No sectors, groups or names inside a quoted name; a weak head only when confirmed."""
    k, text = r.knowledge, r.text
    return confirm_weak_heads(k, outside_quoted_names(k, text, not_groups(k, text, not_sectors(k, text, found))))


def _without_overlaps(r: Reading, found: list[Mention]) -> list[Mention]:
    """The model over a listed place inside its name; no place inside a word, no venue, no division."""
    k, text = r.knowledge, r.text
    return not_divisions(k, text, merge_mentions(not_venues(k, text, outside_place_words(
        k, text, model_beats_places(k, found)))))


def _city_districts(r: Reading, found: list[Mention]) -> list[Mention]:
    merged = merge_mentions(found + city_district_mentions(r.knowledge, r.text, found))
    return not_venue_places(r.knowledge, r.text, merged)


def _name_lists(r: Reading, found: list[Mention]) -> list[Mention]:
    merged = merge_mentions(list_mentions(r.knowledge, r.text, found) + found)
    return same_name_throughout(r.knowledge, r.text, merged)


def _surname_titles(r: Reading, found: list[Mention]) -> list[Mention]:
    return merge_mentions(found + surname_title_mentions(r.knowledge, r.text, found, r.earlier))


def _joined_name_parts(r: Reading, found: list[Mention]) -> list[Mention]:
    return joined_name_parts(r.knowledge, r.text, found)


def _shared_tails_and_short_references(r: Reading, found: list[Mention]) -> list[Mention]:
    """Names sharing a tail (`江宁、鼓楼区总工会`), then bare heads pointing to the organisations named so far
    (not inside quoted names)."""
    k, text = r.knowledge, r.text
    orgs = [m for m in found if m.label == "ORG"]
    merged = merge_mentions(found + shared_tail_mentions(k, text, orgs))
    earlier_orgs = [m for m in r.earlier if m.label == "ORG"]
    return merge_mentions(merged + outside_quoted_names(k, text, short_reference_mentions(k, text, orgs + earlier_orgs)))


def _clipped_names(r: Reading, found: list[Mention]) -> list[Mention]:
    """Clipped names (`上期所`) pass all the filters of full names."""
    k, text = r.knowledge, r.text
    clipped = abbreviation_mentions(k, text, found)
    return merge_mentions(found + outside_quoted_names(k, text, not_groups(k, text, not_venues(k, text, clipped))))


def _joined_names(r: Reading, found: list[Mention]) -> list[Mention]:
    return split_joined_orgs(r.knowledge, join_branches(r.knowledge, found))


def _same_orgs_throughout(r: Reading, found: list[Mention]) -> list[Mention]:
    return same_org_throughout(r.text, found)


# The steps of `find_mentions`, in order, each named like a repair step.
MENTION_STEPS: tuple[tuple[str, MentionStep], ...] = (
    ("rule_candidates", _rule_candidates), ("model_candidates", _model_candidates),
    ("candidate_filters", _candidate_filters), ("without_overlaps", _without_overlaps),
    ("city_districts", _city_districts), ("name_lists", _name_lists), ("surname_titles", _surname_titles),
    ("joined_name_parts", _joined_name_parts),
    ("shared_tails_and_short_references", _shared_tails_and_short_references), ("clipped_names", _clipped_names),
    ("joined_names", _joined_names), ("same_orgs_throughout", _same_orgs_throughout),
)


def find_mentions(knowledge: Knowledge, text: str, model: CharModel | None,
                  earlier: Iterable[Mention] = ()) -> list[Mention]:
    """All PERSON / ORG / LOC mentions of a clean text, non-overlapping, in text order, after the
    `MENTION_STEPS`."""
    reading = Reading(knowledge, text, model, list(earlier))
    found: list[Mention] = []
    for _, step in MENTION_STEPS:
        found = step(reading, found)
    return found
