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
MENTION_POSTS_ATTR = "doc._.mention_posts"
EVENTS_ATTR = "doc._.events"

# Statistical NER backends of the entities stage: the shipped model's CRF alone, the same model with its
# BiGRU-CRF combined, or a HanLP model.
NER_BACKENDS = ("crf", "spacy", "hanlp")
