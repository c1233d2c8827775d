"""Score pipeline output against hand-labelled gold files (OUTPUT.md, section "Scores").

    zhie eval --gold data/gold --out data/out --errors --min-f1 events.strict.f1=0.5

This module imports nothing from the rest of `pipeline` and reads only files, so the
extraction code never grades itself. The matching rules, in one place:

- strings are compared after removing whitespace and `*` (`_norm`);
- entities are sets of distinct (label, canonical) per document; dates are sets of
  distinct (text, start, end); event tuples are multisets;
- gold items and predictions are paired one to one by a maximum bipartite matching
  (`_match`), so a gold entity with aliases is credited once however many of its names
  were predicted, a repeated gold event needs two predictions, and no score depends on
  the order of lines in the files.

Micro scores add up the counts of the gold's documents; predictions for other
documents are ignored. A ratio whose denominator is 0 is reported as 0.0, next to the
counts that show it was empty.
"""
import json
import math
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from types import NoneType
from typing import Any

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


def _read_jsonl(path: Path) -> tuple[list[tuple[int, dict]], list[str]]:
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
    problems = [f"{key} is empty" for key in ("doc_id", "text", "who") if key in row and not _norm(row[key])]
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
        return row["doc_id"], row["label"], _norm(row["text"])
    if kind == "dates":
        return row["doc_id"], _norm(row["text"]), row["start"], row["end"]
    return None


def _check_gold_file(kind: str, path: Path, actions: Sequence[str]) -> tuple[list[dict], list[str]]:
    numbered, problems = _read_jsonl(path)
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
        numbered, file_problems = _read_jsonl(out_dir / file_name)
        for number, row in numbered:
            file_problems += [f"{file_name}:{number}: {problem}" for problem in _type_problems(row, fields)]
        pred[kind] = [row for _, row in numbered]
        problems += file_problems
    if problems:
        raise PredictionFormatError(problems)
    return pred


# ---------------------------------------------------------------------------------------------------------
# Matching


def _norm(value: str | None) -> str | None:
    """The form strings are compared in: whitespace and `*` removed; an empty string counts as absent."""
    if value is None:
        return None
    return _IGNORED_CHARS.sub("", value) or None


def _hungarian(cost: list[list[int]]) -> list[int]:
    """The column given to each row by a minimum-cost assignment of a square matrix.

    The potentials formulation of Kuhn-Munkres, O(n^3): rows join one at a time, each
    through the cheapest augmenting path found with a Dijkstra-like scan over columns.
    """
    n = len(cost)
    row_pot, col_pot = [0] * (n + 1), [0] * (n + 1)
    row_of = [0] * (n + 1)  # 1-based row holding each column; column 0 is the row being added
    way = [0] * (n + 1)
    for row in range(1, n + 1):
        row_of[0], col = row, 0
        slack, used = [math.inf] * (n + 1), [False] * (n + 1)
        while row_of[col]:
            used[col] = True
            current, delta, next_col = row_of[col], math.inf, 0
            for j in range(1, n + 1):
                if not used[j]:
                    reduced = cost[current - 1][j - 1] - row_pot[current] - col_pot[j]
                    if reduced < slack[j]:
                        slack[j], way[j] = reduced, col
                    if slack[j] < delta:
                        delta, next_col = slack[j], j
            for j in range(n + 1):
                if used[j]:
                    row_pot[row_of[j]] += delta
                    col_pot[j] -= delta
                else:
                    slack[j] -= delta
            col = next_col
        while col:  # flip the augmenting path
            row_of[col] = row_of[way[col]]
            col = way[col]
    col_of = [0] * n
    for j in range(1, n + 1):
        col_of[row_of[j] - 1] = j - 1
    return col_of


def _components(edges: set[tuple[int, int]]) -> list[tuple[list[int], list[int]]]:
    """Connected components of a bipartite graph, as (gold indices, prediction indices)."""
    parent: dict[tuple[str, int], tuple[str, int]] = {}

    def root(node: tuple[str, int]) -> tuple[str, int]:
        while parent.setdefault(node, node) != node:
            node = parent[node]
        return node

    for g, p in edges:
        parent[root(("g", g))] = root(("p", p))
    groups: dict[tuple[str, int], tuple[list[int], list[int]]] = defaultdict(lambda: ([], []))
    for node in parent:
        side, index = node
        groups[root(node)][0 if side == "g" else 1].append(index)
    return sorted((sorted(golds), sorted(preds)) for golds, preds in groups.values())


_MAX_PREFERENCE = 2  # what + where agreement


def _match(n_gold: int, n_pred: int, compatible: Callable[[int, int], bool],
           preference: Callable[[int, int], int] | None = None) -> list[tuple[int, int]]:
    """A maximum one-to-one matching of gold items to predictions, as sorted (gold, pred) pairs.

    Among the matchings of maximum size it takes one with the largest total `preference`
    (0.._MAX_PREFERENCE per pair), so what/where agreement does not hinge on which of two
    interchangeable gold tuples a prediction is paired with. The graph is split into
    connected components first: they are small, and the assignment is cubic in their size.
    """
    edges = {(g, p) for g in range(n_gold) for p in range(n_pred) if compatible(g, p)}
    pairs = []
    for golds, preds in _components(edges):
        # One more pair must outweigh any preference total, so the matching stays maximum.
        pair_weight = _MAX_PREFERENCE * min(len(golds), len(preds)) + 1
        size = max(len(golds), len(preds))
        cost = [[0] * size for _ in range(size)]  # padding and non-edges cost 0: "left unmatched"
        for i, g in enumerate(golds):
            for j, p in enumerate(preds):
                if (g, p) in edges:
                    cost[i][j] = -(pair_weight + (preference(g, p) if preference else 0))
        pairs += [(golds[i], preds[j]) for i, j in enumerate(_hungarian(cost)) if cost[i][j] < 0]
    return sorted(pairs)


# ---------------------------------------------------------------------------------------------------------
# Counting


@dataclass
class _Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @classmethod
    def of(cls, n_gold: int, n_pred: int, pairs: list[tuple[int, int]]) -> "_Counts":
        return cls(tp=len(pairs), fp=n_pred - len(pairs), fn=n_gold - len(pairs))

    def __add__(self, other: "_Counts") -> "_Counts":
        return _Counts(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)

    def as_dict(self) -> dict[str, Any]:
        # Single divisions of integers, so hand-computed fractions compare equal in tests.
        return {"precision": _ratio(self.tp, self.tp + self.fp), "recall": _ratio(self.tp, self.tp + self.fn),
                "f1": _ratio(2 * self.tp, 2 * self.tp + self.fp + self.fn),
                "tp": self.tp, "fp": self.fp, "fn": self.fn}


@dataclass
class _Share:
    hits: int = 0
    compared: int = 0

    def __add__(self, other: "_Share") -> "_Share":
        return _Share(self.hits + other.hits, self.compared + other.compared)


def _ratio(numerator: int, denominator: int) -> float:
    return numerator / denominator if denominator else 0.0


def _add_by_key(a: dict[str, _Counts], b: dict[str, _Counts]) -> dict[str, _Counts]:
    return {key: a.get(key, _Counts()) + b.get(key, _Counts()) for key in a | b}


def _counts_by(gold_keys: list[str], pred_keys: list[str], pairs: list[tuple[int, int]],
               known: Iterable[str]) -> dict[str, _Counts]:
    """Split a matching's counts by label or action (a pair never joins two different ones)."""
    counts = {key: _Counts() for key in known}
    for key in gold_keys:
        counts.setdefault(key, _Counts()).fn += 1
    for key in pred_keys:
        counts.setdefault(key, _Counts()).fp += 1
    for g, _ in pairs:
        matched = counts[gold_keys[g]]
        matched.tp, matched.fp, matched.fn = matched.tp + 1, matched.fp - 1, matched.fn - 1
    return counts


@dataclass
class _Tally:
    """Raw counts of one document; the micro scores are the sum of the documents' tallies."""
    entities: dict[str, _Counts]  # by label
    entities_canonical: _Counts
    dates: _Counts
    intervals: _Share
    strict: dict[str, _Counts]  # by action
    relaxed: dict[str, _Counts]
    what: _Share
    where: _Share

    @classmethod
    def zero(cls) -> "_Tally":
        return cls({label: _Counts() for label in LABELS}, _Counts(), _Counts(), _Share(),
                   {action: _Counts() for action in base_actions()}, {action: _Counts() for action in base_actions()},
                   _Share(), _Share())

    def __add__(self, other: "_Tally") -> "_Tally":
        return _Tally(_add_by_key(self.entities, other.entities),
                      self.entities_canonical + other.entities_canonical, self.dates + other.dates,
                      self.intervals + other.intervals, _add_by_key(self.strict, other.strict),
                      _add_by_key(self.relaxed, other.relaxed), self.what + other.what,
                      self.where + other.where)


# ---------------------------------------------------------------------------------------------------------
# Entities


@dataclass(frozen=True)
class _GoldEntity:
    label: str
    text: str
    names: frozenset[str]  # text and aliases


def _gold_entities(rows: list[dict]) -> list[_GoldEntity]:
    entities = [_GoldEntity(row["label"], _norm(row["text"]), _names(row["text"], row["aliases"]))
                for row in rows]
    return sorted(entities, key=lambda entity: (entity.label, entity.text, sorted(entity.names)))


def _names(name: str, aliases: list[str]) -> frozenset[str]:
    return frozenset(filter(None, map(_norm, [name, *aliases])))


def _pred_entities(rows: list[dict]) -> list[tuple[str, str]]:
    """Distinct (label, canonical): entities are scored as sets, not mentions."""
    return sorted({(row["label"], canonical) for row in rows if (canonical := _norm(row["canonical"]))})


def _entity_pairs(gold: list[_GoldEntity], pred: list[tuple[str, str]],
                  use_aliases: bool = True) -> list[tuple[int, int]]:
    def compatible(g: int, p: int) -> bool:
        label, name = pred[p]
        return label == gold[g].label and (name in gold[g].names if use_aliases else name == gold[g].text)

    return _match(len(gold), len(pred), compatible)


def _entity_tally(gold_rows: list[dict], pred_rows: list[dict]) -> tuple[dict[str, _Counts], _Counts]:
    gold, pred = _gold_entities(gold_rows), _pred_entities(pred_rows)
    by_label = _counts_by([entity.label for entity in gold], [label for label, _ in pred],
                          _entity_pairs(gold, pred), LABELS)
    canonical = _Counts.of(len(gold), len(pred), _entity_pairs(gold, pred, use_aliases=False))
    return by_label, canonical


# ---------------------------------------------------------------------------------------------------------
# Dates


def _date_keys(rows: list[dict], start: str, end: str) -> set[tuple[str, str | None, str | None]]:
    return {(text, row[start], row[end]) for row in rows if (text := _norm(row["text"]))}


def _date_tally(gold_rows: list[dict], pred_rows: list[dict]) -> tuple[_Counts, _Share]:
    gold = _date_keys(gold_rows, "start", "end")
    pred = _date_keys(pred_rows, "value_start", "value_end")
    right = gold & pred
    predicted_texts = {text for text, _, _ in pred}
    compared = {item for item in gold if item[0] in predicted_texts}
    return (_Counts(tp=len(right), fp=len(pred) - len(right), fn=len(gold) - len(right)),
            _Share(hits=len(compared & right), compared=len(compared)))


# ---------------------------------------------------------------------------------------------------------
# Events


@dataclass(frozen=True)
class _Event:
    who: str | None
    names: frozenset[str]  # gold: who and who_aliases; prediction: who.canonical
    action: str
    start: str | None
    end: str | None
    what: str | None
    where: str | None

    def sort_key(self) -> tuple:
        return (sorted(self.names), self.action, self.start or "", self.end or "", self.what or "",
                self.where or "")


def _gold_event(row: dict) -> _Event:
    return _Event(_norm(row["who"]), _names(row["who"], row["who_aliases"]), row["action"], row["start"],
                  row["end"], _norm(row["what"]), _norm(row["where"]))


def _pred_event(row: dict) -> _Event:
    who = _norm(row["who"]["canonical"])
    when = row["when"] or {}
    return _Event(who, frozenset([who] if who else []), row["action"], when.get("start"), when.get("end"),
                  _norm(row["what"]), _norm(row["where"]))


def _sorted_events(rows: list[dict], parse: Callable[[dict], _Event]) -> list[tuple[_Event, dict]]:
    """Events in a canonical order, so that ties in the matching do not follow file order."""
    return sorted(((parse(row), row) for row in rows), key=lambda pair: pair[0].sort_key())


def _agrees(gold: str | None, pred: str | None) -> bool:
    return gold is not None and pred is not None and (gold in pred or pred in gold)


def _event_pairs(gold: list[_Event], pred: list[_Event], strict: bool) -> list[tuple[int, int]]:
    def compatible(g: int, p: int) -> bool:
        a, b = gold[g], pred[p]
        same_when = (a.start, a.end) == (b.start, b.end) or not strict
        return a.action == b.action and b.who in a.names and same_when

    def agreement(g: int, p: int) -> int:
        return _agrees(gold[g].what, pred[p].what) + _agrees(gold[g].where, pred[p].where)

    return _match(len(gold), len(pred), compatible, agreement if strict else None)


def _event_tally(gold_rows: list[dict], pred_rows: list[dict]) -> tuple[dict, dict, _Share, _Share]:
    gold = [event for event, _ in _sorted_events(gold_rows, _gold_event)]
    pred = [event for event, _ in _sorted_events(pred_rows, _pred_event)]
    gold_actions, pred_actions = [event.action for event in gold], [event.action for event in pred]
    strict = _event_pairs(gold, pred, strict=True)
    relaxed = _event_pairs(gold, pred, strict=False)
    what = _Share(sum(_agrees(gold[g].what, pred[p].what) for g, p in strict),
                  sum(gold[g].what is not None for g, _ in strict))
    where = _Share(sum(_agrees(gold[g].where, pred[p].where) for g, p in strict),
                   sum(gold[g].where is not None for g, _ in strict))
    return (_counts_by(gold_actions, pred_actions, strict, base_actions()),
            _counts_by(gold_actions, pred_actions, relaxed, base_actions()), what, where)


# ---------------------------------------------------------------------------------------------------------
# Scores


def _by_document(files: dict[str, list[dict]]) -> dict[str, dict[str, list[dict]]]:
    documents: dict[str, dict[str, list[dict]]] = defaultdict(lambda: {kind: [] for kind in SCORED_KINDS})
    for kind in SCORED_KINDS:
        for row in files.get(kind, []):
            documents[row["doc_id"]][kind].append(row)
    return documents


def _score_document(gold: dict[str, list[dict]], pred: dict[str, list[dict]]) -> _Tally:
    entities, canonical = _entity_tally(gold["entities"], pred["entities"])
    dates, intervals = _date_tally(gold["dates"], pred["dates"])
    strict, relaxed, what, where = _event_tally(gold["events"], pred["events"])
    return _Tally(entities, canonical, dates, intervals, strict, relaxed, what, where)


def _ordered(keys: Iterable[str], known: tuple[str, ...]) -> list[str]:
    """Spec order first, then anything else a prediction used."""
    keys = set(keys)
    return [key for key in known if key in keys] + sorted(keys - set(known))


def _scores(tally: _Tally) -> dict[str, Any]:
    strict, relaxed = sum(tally.strict.values(), _Counts()), sum(tally.relaxed.values(), _Counts())
    return {
        "entities": {**sum(tally.entities.values(), _Counts()).as_dict(),
                     "per_label": {label: tally.entities[label].as_dict()
                                   for label in _ordered(tally.entities, LABELS)}},
        "entities_canonical": tally.entities_canonical.as_dict(),
        "dates": {**tally.dates.as_dict(),
                  "interval_accuracy": _ratio(tally.intervals.hits, tally.intervals.compared),
                  "interval_correct": tally.intervals.hits, "interval_compared": tally.intervals.compared},
        "events": {
            "strict": strict.as_dict(),
            "relaxed": relaxed.as_dict(),
            "when_accuracy": _ratio(strict.tp, relaxed.tp),
            "what_agreement": _ratio(tally.what.hits, tally.what.compared),
            "what_agreed": tally.what.hits, "what_compared": tally.what.compared,
            "where_agreement": _ratio(tally.where.hits, tally.where.compared),
            "where_agreed": tally.where.hits, "where_compared": tally.where.compared,
            "per_action": {action: {"strict": tally.strict[action].as_dict(),
                                    "relaxed": tally.relaxed[action].as_dict()}
                           for action in _ordered(tally.strict, base_actions())},
        },
    }


def score(gold: dict[str, list[dict]], pred: dict[str, list[dict]]) -> dict[str, Any]:
    """Scores per gold document and micro-averaged, as {"micro": {...}, "documents": {doc_id: {...}}}.

    `gold` and `pred` are what `load_gold` and `load_predictions` return.
    """
    gold_documents, pred_documents = _by_document(gold), _by_document(pred)
    tallies = {doc_id: _score_document(gold_documents[doc_id], pred_documents[doc_id])
               for doc_id in sorted(gold_documents)}
    return {"micro": _scores(sum(tallies.values(), _Tally.zero())),
            "documents": {doc_id: _scores(tally) for doc_id, tally in tallies.items()}}


# ---------------------------------------------------------------------------------------------------------
# Errors


class _Sentences:
    """The sentence around a character offset, from sentences.jsonl and clean/<doc_id>.txt."""

    def __init__(self, out_dir: Path) -> None:
        self._clean_dir = out_dir / "clean"
        self._texts: dict[str, str | None] = {}
        self._spans: dict[str, list[tuple[int, int]]] = defaultdict(list)
        # Evidence is a convenience: a missing or damaged sentences.jsonl only means no evidence.
        rows, _ = _read_jsonl(out_dir / "sentences.jsonl")
        for _, row in rows:
            if isinstance(row.get("start"), int) and isinstance(row.get("end"), int):
                self._spans[row.get("doc_id")].append((row["start"], row["end"]))

    def around(self, doc_id: str, offset: Any) -> str | None:
        text = self._text(doc_id)
        if text is None or not isinstance(offset, int):
            return None
        return next((text[start:end].strip() for start, end in self._spans.get(doc_id, [])
                     if start <= offset < end), None)

    def _text(self, doc_id: str) -> str | None:
        if doc_id not in self._texts:
            path = self._clean_dir / f"{doc_id}.txt"
            self._texts[doc_id] = None
            if path.is_file():
                with path.open(encoding="utf-8", newline="") as file:  # keep \r: the offsets count it
                    self._texts[doc_id] = file.read()
        return self._texts[doc_id]


def _error(kind: str, error: str, doc_id: str, item: str, pred_id: str | None = None,
           evidence: str | None = None) -> dict[str, Any]:
    return {"doc_id": doc_id, "kind": kind, "error": error, "item": item, "id": pred_id, "evidence": evidence}


def _unmatched(n: int, matched: Iterable[int]) -> list[int]:
    return sorted(set(range(n)) - set(matched))


def _entity_errors(doc_id: str, gold_rows: list[dict], pred_rows: list[dict],
                   sentences: _Sentences) -> list[dict]:
    gold, pred = _gold_entities(gold_rows), _pred_entities(pred_rows)
    pairs = _entity_pairs(gold, pred)
    first_mention: dict[tuple[str, str | None], dict] = {}
    for row in pred_rows:  # mention ids are in text order, so the first row is the first mention
        first_mention.setdefault((row["label"], _norm(row["canonical"])), row)
    errors = [_error("entity", "FN", doc_id, f"{gold[g].label} {gold[g].text}")
              for g in _unmatched(len(gold), (g for g, _ in pairs))]
    for p in _unmatched(len(pred), (p for _, p in pairs)):
        mention = first_mention[pred[p]]
        errors.append(_error("entity", "FP", doc_id, " ".join(pred[p]), mention.get("mention_id"),
                             sentences.around(doc_id, mention.get("start"))))
    return errors


def _interval_text(start: str | None, end: str | None) -> str:
    if start is None and end is None:
        return "no date"
    return start if start == end else f"{start}..{end}"


def _date_errors(doc_id: str, gold_rows: list[dict], pred_rows: list[dict],
                 sentences: _Sentences) -> list[dict]:
    gold = _date_keys(gold_rows, "start", "end")
    first_row: dict[tuple, dict] = {}
    for row in pred_rows:
        first_row.setdefault((_norm(row["text"]), row["value_start"], row["value_end"]), row)
    # Sorted by str(): the tuples may hold None, which does not compare with strings.
    errors = [_error("date", "FN", doc_id, f"{text} {_interval_text(start, end)}")
              for text, start, end in sorted(gold - first_row.keys(), key=str)]
    for (text, start, end), row in sorted(first_row.items(), key=lambda item: str(item[0])):
        if text and (text, start, end) not in gold:
            errors.append(_error("date", "FP", doc_id, f"{text} {_interval_text(start, end)}",
                                 row.get("date_id"), sentences.around(doc_id, row.get("start"))))
    return errors


def _event_text(event: _Event) -> str:
    parts = [event.who or "?", event.action, _interval_text(event.start, event.end)]
    parts += [f"{name}={value}" for name, value in (("what", event.what), ("where", event.where)) if value]
    return " ".join(parts)


def _event_errors(doc_id: str, gold_rows: list[dict], pred_rows: list[dict]) -> list[dict]:
    gold = [event for event, _ in _sorted_events(gold_rows, _gold_event)]
    pred = _sorted_events(pred_rows, _pred_event)
    pairs = _event_pairs(gold, [event for event, _ in pred], strict=True)
    errors = [_error("event", "FN", doc_id, _event_text(gold[g]))
              for g in _unmatched(len(gold), (g for g, _ in pairs))]
    for p in _unmatched(len(pred), (p for _, p in pairs)):
        event, row = pred[p]
        errors.append(_error("event", "FP", doc_id, _event_text(event), row.get("event_id"),
                             row.get("evidence")))
    return errors


def error_rows(gold: dict[str, list[dict]], pred: dict[str, list[dict]],
               out_dir: Path) -> list[dict[str, Any]]:
    """False positives and negatives of the gold's documents (events: strict matching).

    Each row: doc_id, kind (entity/date/event), error (FP/FN), item (what was compared),
    id (mention_id/date_id/event_id of a prediction) and evidence (a prediction's sentence).
    """
    sentences = _Sentences(out_dir)
    gold_documents, pred_documents = _by_document(gold), _by_document(pred)
    rows = []
    for doc_id in sorted(gold_documents):
        gold_doc, pred_doc = gold_documents[doc_id], pred_documents[doc_id]
        rows += _entity_errors(doc_id, gold_doc["entities"], pred_doc["entities"], sentences)
        rows += _date_errors(doc_id, gold_doc["dates"], pred_doc["dates"], sentences)
        rows += _event_errors(doc_id, gold_doc["events"], pred_doc["events"])
    return rows
