"""Reading and checking the files `zhie eval` scores: the gold folder (entities, dates and events JSONL,
`split.json`) and a run's output folder. Every bad line is reported as `file:line: problem`."""
from __future__ import annotations

import json
import re
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from types import NoneType

from pipeline.knowledge import load_knowledge

LABELS = ("PERSON", "ORG", "LOC")
SCORED_KINDS = ("entities", "dates", "events")

# The keys each file must have and the JSON types accepted; "who.canonical" is a key of the "who" object.
_GOLD_FIELDS: dict[str, dict[str, tuple[type, ...]]] = {
    "entities": {"doc_id": (str,), "label": (str,), "text": (str,), "aliases": (list,)},
    "dates": {"doc_id": (str,), "text": (str,), "start": (str,), "end": (str,)},
    "events": {"doc_id": (str,), "who": (str,), "who_aliases": (list,), "action": (str,),
               "start": (str, NoneType), "end": (str, NoneType), "what": (str, NoneType),
               "where": (str, NoneType)},
}
_PREDICTION_FIELDS: dict[str, dict[str, tuple[type, ...]]] = {
    "documents": {"doc_id": (str,)},
    "entities": {"doc_id": (str,), "label": (str,), "canonical": (str,)},
    "dates": {"doc_id": (str,), "text": (str,), "value_start": (str, NoneType), "value_end": (str, NoneType)},
    "events": {"doc_id": (str,), "who": (dict,), "who.canonical": (str,), "action": (str,),
               "when": (dict, NoneType), "when.start": (str, NoneType), "when.end": (str, NoneType),
               "what": (str, NoneType), "where": (str, NoneType)},
}
_TYPE_NAMES = {str: "a string", list: "a list", dict: "an object", NoneType: "null"}
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_IGNORED_CHARS = re.compile(r"[\s*]")


class GoldFormatError(Exception):
    """The gold folder has invalid lines; `problems` lists every one as "file:line: problem"."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join([f"{len(problems)} problem(s) in the gold files:", *problems]))
        self.problems = problems


class PredictionFormatError(Exception):
    """The output folder lacks a file or has unreadable lines; `problems` as in GoldFormatError."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join([f"{len(problems)} problem(s) in the prediction files:", *problems]))
        self.problems = problems


# ---------------------------------------------------------------------------------------------------------
# Reading and validating files


def read_jsonl(path: Path) -> tuple[list[tuple[int, dict]], list[str]]:
    """The objects of a JSONL file with their 1-based line numbers, and a problem per bad line."""
    if not path.is_file():
        return [], [f"{path.name}: file not found in {path.parent}"]
    rows, problems = [], []
    # Split bytes, not text, so a line that is not UTF-8 is reported with its number.
    for number, raw in enumerate(path.read_bytes().split(b"\n"), start=1):
        if not raw.strip():
            continue
        try:
            value = json.loads(raw.decode("utf-8"))
        except UnicodeDecodeError:
            problems.append(f"{path.name}:{number}: not UTF-8")
        except json.JSONDecodeError as error:
            problems.append(f"{path.name}:{number}: not JSON ({error.msg} at column {error.colno})")
        else:
            if isinstance(value, dict):
                rows.append((number, value))
            else:
                problems.append(f"{path.name}:{number}: expected a JSON object, got {type(value).__name__}")
    return rows, problems


def _type_problems(row: dict, fields: dict[str, tuple[type, ...]]) -> list[str]:
    missing, problems = [], []
    for name, types in fields.items():
        parent, _, key = name.rpartition(".")
        container = row.get(parent) if parent else row
        if not isinstance(container, dict):
            continue  # a null `when` has no keys; a wrongly typed parent is reported on its own
        if key not in container:
            missing.append(repr(name))
        elif not isinstance(container[key], types):
            problems.append(f"{name} must be {' or '.join(_TYPE_NAMES[t] for t in types)}")
    if missing:
        problems.insert(0, f"missing key{'s' if len(missing) > 1 else ''} {', '.join(missing)}")
    return problems


def _is_iso_date(value: str) -> bool:
    if not _ISO_DATE.fullmatch(value):
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _interval_problems(start: str | None, end: str | None) -> list[str]:
    if start is None and end is None:
        return []  # "no time in the text"; the type check already refuses null in dates.jsonl
    if start is None or end is None:
        return ["start and end must both be dates or both be null"]
    bad = [f"{name} {value!r} is not a date YYYY-MM-DD" for name, value in (("start", start), ("end", end))
           if not _is_iso_date(value)]
    if bad:
        return bad
    return [f"start {start} is after end {end}"] if start > end else []


def base_actions() -> tuple[str, ...]:
    """The action classes of the base knowledge pack (`actions.yaml`), in its order."""
    return tuple(load_knowledge().actions)


def _gold_value_problems(kind: str, row: dict, actions: Sequence[str]) -> list[str]:
    problems = [f"{key} is empty" for key in ("doc_id", "text", "who") if key in row and not norm(row[key])]
    problems += [f"{key} must be a list of strings" for key in ("aliases", "who_aliases")
                 if key in row and not all(isinstance(alias, str) for alias in row[key])]
    if kind == "entities" and row["label"] not in LABELS:
        problems.append(f"label {row['label']!r} is not one of {', '.join(LABELS)}")
    if kind == "events" and row["action"] not in actions:
        problems.append(f"action {row['action']!r} is not one of {', '.join(actions)}")
    if kind != "entities":
        problems += _interval_problems(row["start"], row["end"])
    return problems


def _gold_identity(kind: str, row: dict) -> tuple | None:
    """What the spec lists once per document; event tuples may repeat (two such events)."""
    if kind == "entities":
        return row["doc_id"], row["label"], norm(row["text"])
    if kind == "dates":
        return row["doc_id"], norm(row["text"]), row["start"], row["end"]
    return None


def _check_gold_file(kind: str, path: Path, actions: Sequence[str]) -> tuple[list[dict], list[str]]:
    numbered, problems = read_jsonl(path)
    first_line: dict[tuple, int] = {}
    for number, row in numbered:
        row_problems = _type_problems(row, _GOLD_FIELDS[kind]) or _gold_value_problems(kind, row, actions)
        identity = None if row_problems else _gold_identity(kind, row)
        if identity in first_line:
            row_problems = [f"duplicate of line {first_line[identity]}"]
        elif identity is not None:
            first_line[identity] = number
        problems += [f"{path.name}:{number}: {problem}" for problem in row_problems]
    return [row for _, row in numbered], problems


def load_gold(gold_dir: Path, actions: Sequence[str] | None = None) -> dict[str, list[dict]]:
    """Read and validate entities/dates/events.jsonl; raise GoldFormatError listing every bad line.
    `actions`: the action classes gold events may name (default: the base knowledge pack's)."""
    gold, problems = {}, []
    for kind in SCORED_KINDS:
        gold[kind], file_problems = _check_gold_file(kind, gold_dir / f"{kind}.jsonl", actions or base_actions())
        problems += file_problems
    if problems:
        raise GoldFormatError(problems)
    return gold


def load_split(gold_dir: Path, split: str) -> set[str]:
    """The doc_ids of one split named in GOLD/split.json ({"dev": [...], "test": [...]}).

    Raises GoldFormatError when the file is missing or malformed, or names no such split.
    """
    path = gold_dir / "split.json"
    try:
        splits = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise GoldFormatError([f"{path}: no split file, so --split {split!r} cannot be used"]) from None
    except (OSError, ValueError) as error:
        raise GoldFormatError([f"{path}: not readable JSON ({error})"]) from None
    if not isinstance(splits, dict) or not all(
            isinstance(ids, list) and all(isinstance(i, str) for i in ids) for ids in splits.values()):
        raise GoldFormatError([f"{path}: expected an object of split name -> list of doc_ids"])
    if split not in splits:
        raise GoldFormatError([f"{path}: no split {split!r} (it has {', '.join(sorted(splits))})"])
    return set(splits[split])


def only_documents(files: dict[str, list[dict]], doc_ids: set[str]) -> dict[str, list[dict]]:
    """The rows of `files` (gold or predictions) that belong to the documents `doc_ids`."""
    return {kind: [row for row in rows if row.get("doc_id") in doc_ids] for kind, rows in files.items()}


def load_predictions(out_dir: Path) -> dict[str, list[dict]]:
    """Read documents/entities/dates/events.jsonl of a run; raise PredictionFormatError naming bad files."""
    pred, problems = {}, []
    for kind, fields in _PREDICTION_FIELDS.items():
        file_name = f"{kind}.jsonl"
        numbered, file_problems = read_jsonl(out_dir / file_name)
        for number, row in numbered:
            file_problems += [f"{file_name}:{number}: {problem}" for problem in _type_problems(row, fields)]
        pred[kind] = [row for _, row in numbered]
        problems += file_problems
    if problems:
        raise PredictionFormatError(problems)
    return pred


def norm(value: str | None) -> str | None:
    """The form strings are compared in: whitespace and `*` removed; an empty string counts as absent."""
    if value is None:
        return None
    return _IGNORED_CHARS.sub("", value) or None
