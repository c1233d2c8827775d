"""Names of the pipeline's stages and of the attributes they assign and require.

One place for these strings, as Stanza's `_constants.py` does: factories
declare `assigns`/`requires` with them and tests check the contract.
"""
from __future__ import annotations

KNOWLEDGE = "zh_knowledge"
SEGMENTS = "zh_segments"
DATES = "zh_dates"
ENTITIES = "zh_entities"
RELATIONS = "zh_relations"
EVENTS = "zh_events"
ORDER = (KNOWLEDGE, SEGMENTS, DATES, ENTITIES, RELATIONS, EVENTS)

KNOWLEDGE_ATTR = "doc._.knowledge"  # the knowledge packs chosen for the document (`mainland+tw_hk_mo`)
SENTENCES_ATTR = "doc._.sentences"
DATES_ATTR = "doc._.dates"
REFERENCE_ATTR = "doc._.reference_date"
ENTS_ATTR = "doc.ents"
MENTIONS_ATTR = "doc._.mentions"
ROLES_ATTR = "doc._.roles"
ORG_PARTS_ATTR = "doc._.org_parts"
MENTION_POSTS_ATTR = "doc._.mention_posts"
EVENTS_ATTR = "doc._.events"
TEXT_KEY = "zhie_text"  # `doc.user_data` key of the document's text, set where the Doc is made (`factories.text_of`)

# Statistical NER backends of the entities stage, each with what it is: the CLI's `--ner` choices and
# their help derive from this table, and `factories.load_ner_model` has one loader for each.
NER_BACKENDS = {
    "spacy": "the shipped character model, its CRF and BiGRU-CRF combined: MSRA F1 0.907",
    "crf": "the same model's CRF alone: MSRA F1 0.881, entities on real documents 0.016 lower, faster",
    "hanlp": "a HanLP NER or multi-task model given by --ner-model; the optional hanlp extra",
}
DEFAULT_NER = "spacy"  # the accurate one: entities on the real test split 0.016 higher than the CRF alone
# Where a run's documents are processed: the CLI's `--engine` choices.
ENGINES = {
    "local": "processes on this machine",
    "ray": "Ray Data actors; the optional ray extra, RAY_ADDRESS for a cluster",
}
