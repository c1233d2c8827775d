"""The trigger lexicon of event extraction: trigger words and frames, compiled once per knowledge from
`triggers.yaml` (roles, rolls, credits, group nouns, event heads, places and pronouns), with the action
table (`actions.yaml`) and the organisation heads that end no event name."""
from __future__ import annotations

import re

from pipeline.knowledge import Knowledge, alternation
from pipeline.segment import line_patterns


def lexicon(knowledge: Knowledge) -> dict:
    return knowledge.derived(_compile)


def _compile(knowledge: Knowledge) -> dict:
    data = dict(knowledge.yaml("triggers.yaml"))  # extended below: a copy, not the shared parse
    data["triggers"] = dict(data["triggers"])
    data["actions"] = knowledge.actions
    data["confidence"] = knowledge.yaml("actions.yaml")["confidence"]
    data["title_field"] = line_patterns(knowledge).title_field  # a form's field (`副会长：`) lists the elected
    data["org_heads"] = tuple(sorted(knowledge.words("org_heads.txt"), key=len, reverse=True))
    words = sorted(data["triggers"], key=len, reverse=True)
    alternatives = []
    for word in words:
        spec = data["triggers"][word]
        before = f"(?<![{spec['not_after']}])" if spec.get("not_after") else ""
        before += "".join(f"(?<!{re.escape(w)})" for w in spec.get("not_after_words") or ())
        after = f"(?![{spec['not_before']}])" if spec.get("not_before") else ""
        if spec.get("not_before_words"):
            after += f"(?!{'|'.join(map(re.escape, spec['not_before_words']))})"
        alternatives.append(before + re.escape(word) + after)
    for n, frame in enumerate(data["frames"]):
        name = f"frame{n}"
        data["triggers"][name] = frame
        alternatives.insert(0, f"(?P<{name}>{frame['pattern']})")
    data["pattern"] = re.compile("|".join(alternatives))
    data["roll_end_labels"] = tuple(data["roll_end_labels"])
    data["award_roll_pattern"] = re.compile("|".join(sorted(data["award_roll_words"], key=len, reverse=True)))
    data["pronoun_pattern"] = re.compile(f"(?:^|(?<=[，,。；;]))\\s*(?:{alternation(data['pronouns'])})(?![们人])")
    data["enumeration_pattern"] = re.compile("|".join(sorted(data["enumeration_words"], key=len, reverse=True)))
    data["election_pattern"] = re.compile(alternation(data["election_words"]))
    credits = alternation(data["credit_words"])
    data["not_subject_after"] = re.compile(f"[{data['not_subject_after']}]$")
    data["credit_pattern"] = re.compile(rf"[（(][^（()）\n]*(?:{credits})[^（()）\n]*$")
    data["group_pattern"] = re.compile("|".join(sorted(data["group_nouns"], key=len, reverse=True)))
    heads = alternation(data["event_heads"])
    data["quoted_pattern"] = re.compile(r"[“\"《「]([^”\"》」\n]{2,60})[”\"》」]")
    data["event_name_pattern"] = re.compile(rf"(?:{heads})$")
    data["event_head_pattern"] = re.compile(heads)
    held = alternation(data["held_verbs"])
    manner = alternation(data["manner_adverbs"])
    data["held_pattern"] = re.compile(rf"(?:[在于][^，。；]*?)?(?:{manner})?(?:{held})$")
    data["held_split"] = re.compile(alternation(data["holding_verbs"]))
    verbs = alternation(data["place_verbs"])
    # `在A举行`, and `在A上，` (at an event: `在…大会上，协会与B达成战略合作`).
    data["where_pattern"] = re.compile(rf"[在于]([^，。,；;：:\n在于]{{2,40}}?)(?:{manner})?(?:{verbs})"
                                       rf"|在([^，。,；;：:\n]{{2,40}}?)上[，,]")
    going = alternation(data["destination_verbs"])
    after = alternation(data["destination_followers"])
    data["destination_pattern"] = re.compile(rf"(?:{going})([^，。,；;：:\n]{{1,20}}?)(?=(?:{after})|[，。,；;]|$)")
    return data
