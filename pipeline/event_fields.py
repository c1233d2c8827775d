"""What an event is about and where it happens: the meeting, document, award or object it names,
and the venue or destination, read from the clause after the trigger, its entry and its paragraph."""
from __future__ import annotations

import re

# The end of a list of the honoured, before the honour it is given (`命名A、B等2家单位为…`).
HONOURED_AS = r"(?:单位|同志|集体|[家个名位])为"

LEADING_DATE = re.compile(r"^[-•·\s]*(?:(?:\d{1,4}\s*(?:[年月日号]|年度)|[—–~至-])\s*)*(?:上午|下午|晚上)?\s*")


def _event_name(text: str, lex: dict) -> str | None:
    """The first stretch (between punctuation) that names an event: `市总工会十四届十二次全委(扩大)会`."""
    for piece in re.split(r"[，,。；;：:！？!?]", text):
        piece = lex["held_pattern"].sub("", LEADING_DATE.sub("", piece.strip()))
        piece = re.sub(r"^.*?(?:由|在|于).*?的", "", piece).strip("“”\"「」")  # `由A主办的“B”` -> B
        piece = lex["held_split"].split(piece)[-1]  # `协会召开第四届理事会` -> 第四届理事会
        if (2 <= len(piece) <= 60 and lex["event_name_pattern"].search(piece)
                and not piece.endswith(lex["org_heads"]) and not lex["pattern"].search(piece)):
            return piece
    return None


def object_of(clause: str) -> str | None:
    """The noun phrase right after a trigger, to the end of its clause (`了5A级社会组织等级证书`);
    for `选举A为B` the position B, for `命名A、B等2家单位为C` the honour C."""
    piece = re.split(r"[，,。；;：:！？!?\n]", clause, maxsplit=1)[0]
    piece = re.sub(rf"^(?:了|的|为|到|来|发来的|发来|[^为]{{1,12}}为|.*?{HONOURED_AS})", "", piece.strip())
    return piece if 2 <= len(piece) <= 40 else None


def what_of(action: str, entry_text: str, clause: str, paragraph_text: str, lex: dict) -> str | None:
    """The event, document or award a trigger is about: a quoted name after the trigger; the object
    of `获得/收到/签订…`; else the event the entry names, a quoted name in it, or the paragraph's event."""
    match = lex["quoted_pattern"].search(clause)
    if match:
        return match.group(1).strip()
    if lex["actions"][action].what == "object" and object_of(clause):
        return object_of(clause)
    named = _event_name(entry_text, lex)
    if named:
        return named
    match = lex["quoted_pattern"].search(entry_text)
    return match.group(1).strip() if match else _event_name(paragraph_text, lex)


def where_of(entry_text: str, lex: dict) -> str | None:
    match = lex["where_pattern"].search(entry_text)
    return _unquoted(match.group(1) or match.group(2)) if match else None


def destination_of(text: str, lex: dict) -> str | None:
    """Where a visit goes: `一行来协会进行工作交流` -> 协会, `赴日本学习考察` -> 日本."""
    match = lex["destination_pattern"].search(text)
    return _unquoted(match.group(1)) if match else None


def _unquoted(place: str) -> str:
    return re.sub(r"[“”\"「」]", "", place).strip()
