"""Score pipeline output against hand-labelled gold files (OUTPUT.md, section "Scores").

    zhie eval --gold data/gold --out data/out --errors --min-f1 events.strict.f1=0.5

This module and its helpers (`pipeline.gold_files`, `pipeline.eval_matching`) import nothing of the
extraction code (only the knowledge's action table) and read only files, so the extraction code never
grades itself. The matching rules, in one place:

- strings are compared after removing whitespace and `*` (`norm`);
- entities are sets of distinct (label, canonical) per document; dates are sets of
  distinct (text, start, end); event tuples are multisets;
- gold items and predictions are paired one to one by a maximum bipartite matching
  (`match_pairs`), so a gold entity with aliases is credited once however many of its names
  were predicted, a repeated gold event needs two predictions, and no score depends on
  the order of lines in the files.

Micro scores add up the counts of the gold's documents; predictions for other
documents are ignored. A ratio whose denominator is 0 is reported as 0.0, next to the
counts that show it was empty.
"""
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.eval_matching import Counts, Share, Tally, counts_by, match_pairs, ratio
from pipeline.gold_files import LABELS, SCORED_KINDS, base_actions, norm, read_jsonl

# ---------------------------------------------------------------------------------------------------------
# Entities


@dataclass(frozen=True)
class _GoldEntity:
    label: str
    text: str
    names: frozenset[str]  # text and aliases


def _gold_entities(rows: list[dict]) -> list[_GoldEntity]:
    entities = [_GoldEntity(row["label"], norm(row["text"]), _names(row["text"], row["aliases"]))
                for row in rows]
    return sorted(entities, key=lambda entity: (entity.label, entity.text, sorted(entity.names)))


def _names(name: str, aliases: list[str]) -> frozenset[str]:
    return frozenset(filter(None, map(norm, [name, *aliases])))


def _pred_entities(rows: list[dict]) -> list[tuple[str, str]]:
    """Distinct (label, canonical): entities are scored as sets, not mentions."""
    return sorted({(row["label"], canonical) for row in rows if (canonical := norm(row["canonical"]))})


def _entity_pairs(gold: list[_GoldEntity], pred: list[tuple[str, str]],
                  use_aliases: bool = True) -> list[tuple[int, int]]:
    def compatible(g: int, p: int) -> bool:
        label, name = pred[p]
        return label == gold[g].label and (name in gold[g].names if use_aliases else name == gold[g].text)

    return match_pairs(len(gold), len(pred), compatible)


def _entity_tally(gold_rows: list[dict], pred_rows: list[dict]) -> tuple[dict[str, Counts], Counts]:
    gold, pred = _gold_entities(gold_rows), _pred_entities(pred_rows)
    by_label = counts_by([entity.label for entity in gold], [label for label, _ in pred],
                          _entity_pairs(gold, pred), LABELS)
    canonical = Counts.of(len(gold), len(pred), _entity_pairs(gold, pred, use_aliases=False))
    return by_label, canonical


# ---------------------------------------------------------------------------------------------------------
# Dates


def _date_keys(rows: list[dict], start: str, end: str) -> set[tuple[str, str | None, str | None]]:
    return {(text, row[start], row[end]) for row in rows if (text := norm(row["text"]))}


def _date_tally(gold_rows: list[dict], pred_rows: list[dict]) -> tuple[Counts, Share]:
    gold = _date_keys(gold_rows, "start", "end")
    pred = _date_keys(pred_rows, "value_start", "value_end")
    right = gold & pred
    predicted_texts = {text for text, _, _ in pred}
    compared = {item for item in gold if item[0] in predicted_texts}
    return (Counts(tp=len(right), fp=len(pred) - len(right), fn=len(gold) - len(right)),
            Share(hits=len(compared & right), compared=len(compared)))


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
    return _Event(norm(row["who"]), _names(row["who"], row["who_aliases"]), row["action"], row["start"],
                  row["end"], norm(row["what"]), norm(row["where"]))


def _pred_event(row: dict) -> _Event:
    who = norm(row["who"]["canonical"])
    when = row["when"] or {}
    return _Event(who, frozenset([who] if who else []), row["action"], when.get("start"), when.get("end"),
                  norm(row["what"]), norm(row["where"]))


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

    return match_pairs(len(gold), len(pred), compatible, agreement if strict else None)


def _event_tally(gold_rows: list[dict], pred_rows: list[dict]) -> tuple[dict, dict, Share, Share]:
    gold = [event for event, _ in _sorted_events(gold_rows, _gold_event)]
    pred = [event for event, _ in _sorted_events(pred_rows, _pred_event)]
    gold_actions, pred_actions = [event.action for event in gold], [event.action for event in pred]
    strict = _event_pairs(gold, pred, strict=True)
    relaxed = _event_pairs(gold, pred, strict=False)
    what = Share(sum(_agrees(gold[g].what, pred[p].what) for g, p in strict),
                  sum(gold[g].what is not None for g, _ in strict))
    where = Share(sum(_agrees(gold[g].where, pred[p].where) for g, p in strict),
                   sum(gold[g].where is not None for g, _ in strict))
    return (counts_by(gold_actions, pred_actions, strict, base_actions()),
            counts_by(gold_actions, pred_actions, relaxed, base_actions()), what, where)


# ---------------------------------------------------------------------------------------------------------
# Scores


def _by_document(files: dict[str, list[dict]]) -> dict[str, dict[str, list[dict]]]:
    documents: dict[str, dict[str, list[dict]]] = defaultdict(lambda: {kind: [] for kind in SCORED_KINDS})
    for kind in SCORED_KINDS:
        for row in files.get(kind, []):
            documents[row["doc_id"]][kind].append(row)
    return documents


def _score_document(gold: dict[str, list[dict]], pred: dict[str, list[dict]]) -> Tally:
    entities, canonical = _entity_tally(gold["entities"], pred["entities"])
    dates, intervals = _date_tally(gold["dates"], pred["dates"])
    strict, relaxed, what, where = _event_tally(gold["events"], pred["events"])
    return Tally(entities, canonical, dates, intervals, strict, relaxed, what, where)


def _ordered(keys: Iterable[str], known: tuple[str, ...]) -> list[str]:
    """Spec order first, then anything else a prediction used."""
    keys = set(keys)
    return [key for key in known if key in keys] + sorted(keys - set(known))


def _scores(tally: Tally) -> dict[str, Any]:
    strict, relaxed = sum(tally.strict.values(), Counts()), sum(tally.relaxed.values(), Counts())
    return {
        "entities": {**sum(tally.entities.values(), Counts()).as_dict(),
                     "per_label": {label: tally.entities[label].as_dict()
                                   for label in _ordered(tally.entities, LABELS)}},
        "entities_canonical": tally.entities_canonical.as_dict(),
        "dates": {**tally.dates.as_dict(),
                  "interval_accuracy": ratio(tally.intervals.hits, tally.intervals.compared),
                  "interval_correct": tally.intervals.hits, "interval_compared": tally.intervals.compared},
        "events": {
            "strict": strict.as_dict(),
            "relaxed": relaxed.as_dict(),
            "when_accuracy": ratio(strict.tp, relaxed.tp),
            "what_agreement": ratio(tally.what.hits, tally.what.compared),
            "what_agreed": tally.what.hits, "what_compared": tally.what.compared,
            "where_agreement": ratio(tally.where.hits, tally.where.compared),
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
    return {"micro": _scores(sum(tallies.values(), Tally.zero())),
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
        rows, _ = read_jsonl(out_dir / "sentences.jsonl")
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
        first_mention.setdefault((row["label"], norm(row["canonical"])), row)
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
        first_row.setdefault((norm(row["text"]), row["value_start"], row["value_end"]), row)
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
