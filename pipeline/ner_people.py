"""People: names after title chains, in name lists and in photo credits (NER rules).

Titles, surnames, the words that may follow a name and the words that look
like names but are not are data files in `resources/`.
"""
from __future__ import annotations

import re
from collections.abc import Iterable

from pipeline.knowledge import Knowledge, alternation, per_knowledge
from pipeline.mentions import COUNT_DIGIT, HAN, Mention
from pipeline.ner_orgs import org_heads
from pipeline.ner_places import district_short_names, place_prefix_length


@per_knowledge
def person_name(knowledge: Knowledge) -> str:
    """A surname (single or compound) and one or two characters, as short as the context allows."""
    surnames = knowledge.words("surnames.txt")
    single = "".join(s for s in surnames if len(s) == 1)
    compound = alternation([s for s in surnames if len(s) > 1])
    return rf"(?:{compound}|[{single}])[{HAN}]{{1,2}}?"


@per_knowledge
def _whole_person_name(knowledge: Knowledge) -> str:
    """`person_name` taking as many characters as it can, for where what follows fixes the name's end."""
    return person_name(knowledge).replace("}?", "}")


@per_knowledge
def _title_pattern(knowledge: Knowledge) -> re.Pattern[str]:
    after_name = knowledge.yaml("people.yaml")["after_name_titles"]
    titles = alternation([t for t in knowledge.words("titles.txt") if t not in after_name])
    name = person_name(knowledge)
    boundary = _boundary(knowledge)
    # A title chain: titles joined by 、/兼/和, optionally followed by a colon.
    return re.compile(rf"(?:{titles})(?:[、兼](?:{titles}))*\s*[:：]?\s*(?P<names>{name}(?={boundary})"
                      rf"(?:、{name}(?={boundary}))*)")


@per_knowledge
def _boundary(knowledge: Knowledge) -> str:
    joining = knowledge.yaml("people.yaml")["joining_followers"]
    followers = [word for word in knowledge.words("name_followers.txt") if word not in joining]
    # `作《…》`, `作"…"`, `作常委会工作报告`: a name before 作 and a title or a report gives a talk or a report.
    return rf"(?:[、，,。；;：:\s（(）)“”]|$|作(?=[《“\"]|[{HAN}]{{0,10}}(?:报告|讲话|发言))|" \
        rf"(?:{alternation(joining)})(?![，,、。；;：:！？!?\s）)]|$)|" \
        rf"{alternation(followers)})"


@per_knowledge
def _photo_credit(knowledge: Knowledge) -> re.Pattern[str]:
    """A photo credit names its photographer: `(展翔 摄)`, `（记者 王明 摄）`, `（摄影：王明）`, or a name alone in
    brackets closing a caption line: `…陈列馆 (展翔)`."""
    credit = rf"[（(](?:(?:记者|摄影|图)\s*[:：]?)?\s*(?P<credit>{person_name(knowledge)})\s*(?:摄\s*[)）]|[)）][ \t]*(?=\n|$))"
    return re.compile(credit)


@per_knowledge
def _byline(knowledge: Knowledge) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """A byline in brackets, opening with a credit (`relations.yaml`'s `byline_posts`), and the pattern of
    its items: credits, the names each gives (`(记者张阳阳 通讯员李华)`, `(全媒体记者/何春林 黎世伟 通讯员/何杏)`)
    and what separates them."""
    credits = alternation(knowledge.yaml("relations.yaml")["byline_posts"])
    name = _whole_person_name(knowledge)
    item = re.compile(rf"(?P<credit>{credits})\s*[:：/]?|(?P<name>{name})(?=[\s/、，,]|$|{credits})|[\s、，,]+")
    return re.compile(rf"[（(]\s*(?P<body>(?:{credits})[^（()）\n]{{1,60}}?)\s*[)）]"), item


def byline_people(knowledge: Knowledge, text: str) -> list[tuple[int, int]]:
    """The (start, end) of each name a bracketed byline gives; none from a bracket that is not all
    credits and names."""
    bracket, item = _byline(knowledge)
    found = []
    for match in bracket.finditer(text):
        position, names = match.start("body"), []
        while position < match.end("body") and (part := item.match(text, position, match.end("body"))) and part.end() > position:
            if part["name"]:
                names.append(part.span("name"))
            position = part.end()
        found += names if position == match.end("body") else []
    return found


COUNT = COUNT_DIGIT + "+"


@per_knowledge
def _counted_list(knowledge: Knowledge) -> re.Pattern[str]:
    """Names in a 、-list closed by a count of people: `王明、李华、赵强三位劳动模范`, `…3名代表`."""
    name = person_name(knowledge)
    return re.compile(rf"(?P<names>{name}(?:、{name})+)(?={COUNT}[位名])")


@per_knowledge
def _name_before_title(knowledge: Knowledge) -> re.Pattern[str]:
    """A name at a clause start, right before a title chain and what such a person does:
    `，王明副秘书长获…`, `。李华主任在会上…`."""
    titles = alternation(knowledge.words("titles.txt"))
    return re.compile(rf"(?:(?<=[，,。；;：:、(（\n])|^)(?P<name>{person_name(knowledge)})(?=(?:{titles})(?:[、兼](?:{titles}))*"
                      rf"(?:获|在|作|出席|主持|讲话|表示|致|[、，,]))", re.MULTILINE)


@per_knowledge
def _names_before_verb(knowledge: Knowledge) -> re.Pattern[str]:
    """Names at a clause start right before a verb said of people only: `，王明、李华当选副主席`."""
    verbs = alternation(knowledge.yaml("people.yaml")["person_verbs"])
    name = _whole_person_name(knowledge)  # the verb fixes where the last name ends
    return re.compile(rf"(?:(?<=[，,。；;：:\n])|^)(?P<names>{name}(?:、{name})*)(?=\s*(?:{verbs}))", re.MULTILINE)


@per_knowledge
def _roll_entry(knowledge: Knowledge) -> re.Pattern[str]:
    """A name in a roll, its particulars in brackets after it: opening a line that the brackets close
    (`王明（女，某某有限公司，高级技师）`), or one of a list after a label (`一等奖：王明（某某公司）、李华（…）`)."""
    name, particulars = _whole_person_name(knowledge), r"[（(](?:[男女][，,）)]|[^（()）\n]{4,})[^（()）\n]*[）)]"
    return re.compile(rf"(?m)(?:^|(?<=[：:、]))[ \t]*(?P<names>{name})(?={particulars}(?:[ \t]*$|[、；;]))")


# The person's work unit: the first particular after the sex when another follows (`（女，某县某镇中心小学，教师）`),
# or the only one when it ends in an organisation head (`（某某机械股份有限公司）`).
ROLL_UNIT = re.compile(r"[（(](?:[男女][，,])?(?P<unit>[^，,、（()）\n]{4,30})(?P<end>[，,）)])")


@per_knowledge
def _names_after_verb(knowledge: Knowledge) -> re.Pattern[str]:
    """Names right after a verb whose object is a person, before 为: `增补王明、李华为副会长`."""
    verbs = alternation(knowledge.yaml("people.yaml")["person_object_verbs"])
    name = _whole_person_name(knowledge)
    return re.compile(rf"(?:{verbs})(?P<names>{name}(?:、{name})*)(?=为)")


@per_knowledge
def _affiliated_name(knowledge: Knowledge) -> re.Pattern[str]:
    """A name between its organisation and its title: `…大学王明教授作报告`, `…公司李华经理，`."""
    titles = alternation(knowledge.words("titles.txt"))
    heads = alternation(org_heads(knowledge))
    return re.compile(rf"(?:{heads})(?P<name>{person_name(knowledge)})(?=(?:{titles})(?:作|[、，,]))")


@per_knowledge
def _title_start(knowledge: Knowledge) -> re.Pattern[str]:
    return re.compile(alternation(knowledge.words("titles.txt")))


@per_knowledge
def _not_names(knowledge: Knowledge) -> frozenset[str]:
    return frozenset(knowledge.words("not_names.txt"))


@per_knowledge
def _event_words(knowledge: Knowledge) -> tuple[str, ...]:
    """The trigger words of events (`荣获`, `当选`): what a person does, never the start of a name."""
    return tuple(word for word in knowledge.yaml("triggers.yaml")["triggers"] if len(word) >= 2)


@per_knowledge
def _not_name_endings(knowledge: Knowledge) -> tuple[str, ...]:
    return tuple(knowledge.yaml("people.yaml")["not_name_endings"])


def not_a_name(knowledge: Knowledge, name: str) -> bool:
    """A listed non-name, something starting with a place (`江苏省委书记` gives no `江苏`), an internal
    body whose first character is a surname (`党支部书记` gives no `党支部`), or an act (`副会长荣获…` names
    no `荣获`), or what ends in a meeting or an honour (`向大会`)."""
    return name in _not_names(knowledge) or place_prefix_length(knowledge, name) > 0 or name in district_short_names(knowledge) \
        or name in knowledge.yaml("org_parts.yaml")["internal_bodies"] or name.startswith(_event_words(knowledge)) \
        or name.endswith(_not_name_endings(knowledge))


def title_rule_mentions(knowledge: Knowledge, text: str) -> list[Mention]:
    """People named right after a title chain (lists joined by 、 too), right before one at a clause
    start, in a list closed by a count of people or before a verb said of people, opening a roll's line,
    or in a photo credit."""
    not_names = _not_names(knowledge)
    mentions = []
    credits = [m.span("credit") for m in _photo_credit(knowledge).finditer(text)]
    for start, end in credits + byline_people(knowledge, text):
        if not not_a_name(knowledge, text[start:end]):
            mentions.append(Mention(start, end, "PERSON", "title_rule", text[start:end]))
    rolls = list(_roll_entry(knowledge).finditer(text))
    for match in [*_counted_list(knowledge).finditer(text), *_names_before_verb(knowledge).finditer(text), *_names_after_verb(knowledge).finditer(text),
                  *rolls]:
        base = match.start("names")
        items = [(base + m.start(), base + m.end()) for m in re.finditer(r"[^、]+", match.group("names"))]
        if not any(not_a_name(knowledge, text[a:b]) for a, b in items):
            mentions += [Mention(a, b, "PERSON", "title_rule", text[a:b]) for a, b in items]
    for match in rolls:
        unit = ROLL_UNIT.match(text, match.end())
        if unit and unit["unit"] not in not_names and (unit["end"] in "，," or unit["unit"].endswith(tuple(org_heads(knowledge)))):
            mentions.append(Mention(unit.start("unit"), unit.end("unit"), "ORG", "title_rule", unit["unit"]))
    heads = tuple(org_heads(knowledge))
    units = knowledge.yaml("people.yaml")["unit_title_starts"]
    for match in [*_name_before_title(knowledge).finditer(text), *_affiliated_name(knowledge).finditer(text)]:
        start, end = match.span("name")
        # The title must start right after the name, not at or inside it (`王副主席` names no `王副`,
        # `党委书记` no `党委`); a unit (`组织部副部长`, `法务部长`) is no name.
        if not not_a_name(knowledge, text[start:end]) and not text[start:end].endswith(heads) and \
                text[end] not in units and not any(_title_start(knowledge).match(text, i) for i in range(start, end)):
            mentions.append(Mention(start, end, "PERSON", "title_rule", text[start:end]))
    for match in _title_pattern(knowledge).finditer(text):
        base = match.start("names")
        for part in re.finditer(r"[^、]+", match.group("names")):
            start, end = base + part.start(), base + part.end()
            if text[start:end] not in not_names and not text[start:end].startswith(_event_words(knowledge)) \
                    and not text[start:end].endswith(_not_name_endings(knowledge)):
                mentions.append(Mention(start, end, "PERSON", "title_rule", text[start:end]))
    return list(dict.fromkeys(mentions))  # a credit may also read as a title chain (`摄影：王明`)


def list_mentions(knowledge: Knowledge, text: str, mentions: list[Mention]) -> list[Mention]:
    """Names in a `、` list whose other items are people are people too (`…、韩国华、谢邦鹏`)."""
    people = {(m.start, m.end) for m in mentions if m.label == "PERSON"}
    found = []
    # Items of two to four characters; the last one ends where a name may end (`孙浩为副会长`).
    for run in re.finditer(rf"[{HAN}]{{2,4}}(?:、[{HAN}]{{2,4}}?)+?(?={_boundary(knowledge)}|[为等])(?![{HAN}]*、)", text):
        items = [(run.start() + m.start(), run.start() + m.end()) for m in re.finditer(rf"[{HAN}]+", run.group(0))]
        known = sum(item in people for item in items)
        # A longer list of names each made of a surname and a given name needs one known among them.
        all_names = len(items) >= 3 and all(re.fullmatch(_whole_person_name(knowledge), text[a:b]) and not not_a_name(knowledge, text[a:b])
                                            for a, b in items)
        if (known >= 2 and known * 4 >= len(items)) or (known >= 1 and all_names):
            for start, end in items:
                if (start, end) not in people and re.fullmatch(_whole_person_name(knowledge), text[start:end]):
                    found.append(Mention(start, end, "PERSON", "title_rule", text[start:end]))
    return found


def whole_given_names(knowledge: Knowledge, text: str, mentions: list[Mention]) -> list[Mention]:
    """A two-character name the model stopped one character before a comma or list mark (`蒋丽` in
    `…的蒋丽珍，`) is a three-character name: a name ends where its clause does, and the character is
    none of the words that may follow a name."""
    completed = []
    for m in mentions:
        after = text[m.end:m.end + 2]
        if m.label == "PERSON" and len(m.text) == 2 and len(after) == 2 and re.fullmatch(f"[{HAN}]", after[0]) \
                and after[1] in "，,、。；;" and after[0] not in _follower_starts(knowledge):
            m = Mention(m.start, m.end + 1, m.label, m.source, text[m.start:m.end + 1])
        completed.append(m)
    return completed


def _misread_ending(knowledge: Knowledge, text: str, m: Mention, titled: set[str], taken: dict[int, Mention]) -> str | None:
    """`张继` before `呜` where the document names `张继鸣` with a title: the model stopped at a misread
    last character; the mention takes it (the variant then merges with the name, see `merge_variants`)."""
    after = text[m.end:m.end + 1]
    if not re.fullmatch(f"[{HAN}]", after) or m.end in taken or after in _follower_starts(knowledge):
        return None
    misread = m.text + after
    return misread if any(len(k) == len(misread) and k.startswith(m.text) for k in titled) else None


@per_knowledge
def _follower_starts(knowledge: Knowledge) -> frozenset[str]:
    return frozenset(word[0] for word in knowledge.words("name_followers.txt"))


def same_name_throughout(knowledge: Knowledge, text: str, mentions: list[Mention]) -> list[Mention]:
    """A document writes a person's name the same way each time. A name it gives with a title (or twice)
    is known; a PERSON mention starting where a known name starts is that name (`张继` before `鸣`,
    `陈淑琴宣读`), and a known name of three or more characters left untagged is a mention too."""
    people = [m for m in mentions if m.label == "PERSON"]
    counts: dict[str, int] = {}
    for m in people:
        counts[m.text] = counts.get(m.text, 0) + 1
    titled = {m.text for m in people if m.source == "title_rule"}
    known = sorted(titled | {m.text for m in people if counts[m.text] > 1}, key=len, reverse=True)
    taken = {i: m for m in mentions for i in range(m.start, m.end)}
    result = []
    for m in mentions:
        # A name given with a title outranks one the model merely repeats (`张继` twice, `张继鸣` titled).
        name = next((k for k in known if m.label == "PERSON" and m.text not in titled and k != m.text
                     and (k in titled or m.text not in known) and text.startswith(k, m.start)
                     and all(taken.get(i, m) is m for i in range(m.start, m.start + len(k)))), None)
        if name is None and m.label == "PERSON" and m.text not in titled:
            name = _misread_ending(knowledge, text, m, titled, taken)
        result.append(Mention(m.start, m.start + len(name), "PERSON", m.source, name) if name else m)
    at = {i: m for m in result for i in range(m.start, m.end)}  # who covers each character
    for name in (k for k in known if len(k) >= 3):
        for found in re.finditer(re.escape(name), text):
            clashing = {at[i] for i in range(found.start(), found.end()) if i in at}
            # A place or organisation inside a titled name is part of it (`钟华山` holds `华山`).
            if all(m.label != "PERSON" and found.start() <= m.start and m.end <= found.end() and name in titled
                   for m in clashing):
                person = Mention(found.start(), found.end(), "PERSON", "title_rule", name)
                at.update(dict.fromkeys(range(found.start(), found.end()), person))
    return sorted(set(at.values()), key=lambda m: m.start)


@per_knowledge
def _surname_title(knowledge: Knowledge) -> re.Pattern[str]:
    """A surname right before a title (`卫主席`, `欧阳会长`), where no name can be: after a mark, at a line's
    start or after a word that joins or introduces people."""
    surnames = "|".join(sorted(knowledge.words("surnames.txt"), key=len, reverse=True))
    titles = alternation(knowledge.words("titles.txt"))
    joiners = knowledge.yaml("people.yaml")["surname_title_after"]
    return re.compile(rf"(?:(?<![{HAN}])|(?<=[{joiners}]))(?P<surname>{surnames})(?={titles})")


def surname_title_mentions(knowledge: Knowledge, text: str, mentions: list[Mention], earlier: Iterable[Mention] = ()) -> list[Mention]:
    """`卫主席` where the document names one person with that surname (`卫明喜`): a short reference to them.
    `earlier`: names found before this text (in earlier pieces of a long document)."""
    people: dict[str, set[str]] = {}
    for m in [*earlier, *mentions]:
        if m.label == "PERSON" and len(m.text) >= 2:
            for length in (1, 2):
                people.setdefault(m.text[:length], set()).add(m.text)
    taken = {i for m in mentions for i in range(m.start, m.end)}
    found = []
    for match in _surname_title(knowledge).finditer(text):
        surname = match["surname"]
        named = {name for name in people.get(surname, ()) if len(name) > len(surname)}
        if len(named) == 1 and not taken.intersection(range(match.start(), match.end())):
            found.append(Mention(match.start(), match.end(), "PERSON", "short_reference", surname))
    return found


@per_knowledge
def _name_part(knowledge: Knowledge) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """The part of a name after a joiner (up to where a name ends) and before one (back to a title or a mark)."""
    joiners = alternation(knowledge.yaml("people.yaml")["name_part_joiners"])
    titles = alternation(knowledge.words("titles.txt"))
    after = re.compile(rf"(?:{joiners})(?P<part>[{HAN}]{{1,6}}?)(?={_boundary(knowledge)}|{titles})")
    before = re.compile(rf"(?:^|[^{HAN}]|{titles})(?P<part>(?:(?!{titles})[{HAN}]){{1,6}})(?:{joiners})$")
    return after, before


def joined_name_parts(knowledge: Knowledge, text: str, mentions: list[Mention]) -> list[Mention]:
    """A transliterated name written in parts (`玛丽亚•贝尔蒂`, `卡洛斯-门德斯`) is one person: a PERSON mention
    and the part across a joiner from it (another mention, or Han characters up to where a name ends, or
    back to a title or a mark)."""
    joiners = knowledge.yaml("people.yaml")["name_part_joiners"]
    after, before = _name_part(knowledge)
    taken = {i for m in mentions for i in range(m.start, m.end)}
    result: list[Mention] = []
    for m in mentions:
        if m.label == "PERSON" and result and result[-1].label == "PERSON" and m.start == result[-1].end + 1 \
                and text[result[-1].end] in joiners:
            joined = result.pop()
            m = Mention(joined.start, m.end, "PERSON", joined.source, text[joined.start:m.end])
        elif m.label == "PERSON" and (right := after.match(text, m.end)) and not taken & set(range(m.end, right.end())):
            m = Mention(m.start, right.end(), "PERSON", m.source, text[m.start:right.end()])
        elif m.label == "PERSON" and (left := before.search(text, max(0, m.start - 12), m.start)) \
                and not taken & set(range(left.start("part"), m.start)):
            m = Mention(left.start("part"), m.end, "PERSON", m.source, text[left.start("part"):m.end])
        result.append(m)
    return result
