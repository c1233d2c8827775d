"""Organisation names a text writes elided, written out for resolving them (the mentions keep their
spans): the shared tail of a list (`江宁、鼓楼区总工会`: `江宁区总工会`), and a district's body named without
its place (`区总工会` after `江岸区…`)."""
from __future__ import annotations

import re

from pipeline.knowledge import Knowledge
from pipeline.mentions import HAN, Mention
from pipeline.ner_orgs import leading_place, org_heads
from pipeline.ner_places import places


def district_levels(knowledge: Knowledge) -> str:
    return knowledge.yaml("places.yaml")["district_levels"]


SENTENCE_END = re.compile("[。；;！？!?\n]")
LIST_GAP = re.compile(f"(?:、[{HAN}]{{2,3}})*、")


def written_out(knowledge: Knowledge, mentions: list[Mention], text: str) -> list[Mention]:
    """Elided organisation names written out, for resolving them (the mentions keep their spans):
    - a shared tail: `江宁` in `江宁、鼓楼区总工会` -> `江宁区总工会`;
    - a shared prefix: `总工会` in `鼓楼区委、总工会` -> `鼓楼区总工会`;
    - a district anaphor: `区总工会` after `鼓楼区人大常委会…` in one sentence -> `鼓楼区总工会`."""
    heads = set(org_heads(knowledge))
    ordered = sorted(mentions, key=lambda m: m.start)
    # The place each mention starts with (a LOC is its own place).
    placed = [leading_place(knowledge, m.text) or (m.text if m.label == "LOC" else None) for m in ordered]
    written: dict[Mention, str] = {}
    later = None  # the next organisation that starts with a place (scanning backwards)
    for i in range(len(ordered) - 1, -1, -1):
        m = ordered[i]
        if m.label != "ORG":
            continue
        if later is not None and LIST_GAP.fullmatch(text, m.end, later.start) and \
                m.text + leading_place(knowledge, later.text)[-1] in places(knowledge)[0]:
            written[m] = m.text + later.text[len(leading_place(knowledge, later.text)) - 1:]
        elif m.text in heads and i and ordered[i - 1].label == "ORG" and placed[i - 1] and \
                text[ordered[i - 1].end:m.start] == "、":
            written[m] = placed[i - 1] + m.text
        elif m.text.startswith(tuple(district_levels(knowledge))) and not any(
                leading_place(knowledge, text[m.start - k:m.end]) for k in range(1, 5) if m.start >= k):
            # The nearest district or county before it in the same sentence, unless the mention is the
            # tail of a place name (`…岸区总工会`); otherwise the document's own (see `place_prefixes`).
            for k in range(i - 1, -1, -1):
                if SENTENCE_END.search(text, ordered[k].end, m.start):
                    break
                if placed[k] and placed[k][-1] == m.text[0]:
                    written[m] = placed[k] + m.text[1:]
                    break
        if leading_place(knowledge, m.text):
            later = m
    return [Mention(m.start, m.end, m.label, m.source, written[m]) if m in written else m for m in mentions]
