"""The tables `zhie export` writes: for each, the JSONL file it comes from, its columns in order with
their kind, and how one record flattens into one row."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class TableSpec:
    """How one JSONL file becomes one table."""

    name: str
    columns: dict[str, str]  # known columns in output order -> kind: text | int | float | date | value
    flatten: Callable[[dict], dict | None] = dict  # one JSONL record -> one row (None: not in this table)
    required: bool = True
    file: str = ""  # the JSONL file, when it is not named after the table

    @property
    def source(self) -> str:
        return f"{self.file or self.name}.jsonl"


def _flatten_event(record: dict) -> dict:
    who = record.get("who") or {}
    when = record.get("when") or {}
    return {
        "doc_id": record.get("doc_id"),
        "event_id": record.get("event_id"),
        "sentence_id": record.get("sentence_id"),
        "date_start": when.get("start"),
        "date_end": when.get("end"),
        "when_text": when.get("text"),
        "who": who.get("canonical") or who.get("text"),
        "who_label": who.get("label"),
        "who_entity_id": who.get("entity_id"),
        "title": who.get("title"),
        "affiliation": who.get("affiliation"),
        "action": record.get("action"),
        "trigger": record.get("trigger"),
        "what": record.get("what"),
        "where": record.get("where"),
        "evidence": record.get("evidence"),
        "confidence": record.get("confidence"),
    }


def _flatten_document(record: dict) -> dict:
    row = dict(record)
    reference = row.pop("reference_date", None) or {}
    row["reference_date_value"] = reference.get("value")
    row["reference_date_source"] = reference.get("source")
    return row


def _flatten_entity_index(record: dict) -> dict:
    # The pipeline writes `entity_id` (as in events' who.entity_id); `id`, the name first
    # proposed for this file, is accepted too and shown under the pipeline's name.
    if "entity_id" in record or "id" not in record:
        return dict(record)
    return {"entity_id": record["id"], **{k: v for k, v in record.items() if k != "id"}}


def _flatten_role(record: dict) -> dict | None:
    """A holds_title relation as a row of the roles table (other relations are not roles)."""
    if record.get("relation") != "holds_title":
        return None
    return {"doc_id": record.get("doc_id"), "person": record.get("subject"), "title": record.get("object"),
            "organisation": record.get("organisation"), "former": record.get("former"), "date": record.get("date"),
            "person_entity_id": record.get("subject_id"), "evidence_sentence": record.get("evidence")}


def _flatten_nested(record: dict, prefix: str = "") -> dict:
    """Flatten nested objects into `parent_child` columns (for files with no fixed schema)."""
    row: dict[str, Any] = {}
    for key, value in record.items():
        if isinstance(value, dict):
            row.update(_flatten_nested(value, f"{prefix}{key}_"))
        else:
            row[f"{prefix}{key}"] = value
    return row


TABLES = (
    TableSpec(
        "events",
        {
            "doc_id": "text", "event_id": "text", "sentence_id": "int",
            "date_start": "date", "date_end": "date", "when_text": "text",
            "who": "text", "who_label": "text", "who_entity_id": "text", "title": "text", "affiliation": "text",
            "action": "text", "trigger": "text", "what": "text", "where": "text",
            "evidence": "text", "confidence": "float",
        },
        _flatten_event,
    ),
    TableSpec(
        "entities",
        {
            "doc_id": "text", "mention_id": "text", "text": "text", "label": "text",
            "start": "int", "end": "int", "sentence_id": "int", "canonical": "text",
        },
    ),
    TableSpec(
        "dates",
        {
            "doc_id": "text", "date_id": "text", "text": "text", "start": "int", "end": "int",
            "value_start": "date", "value_end": "date", "granularity": "text", "anchor": "text",
        },
    ),
    TableSpec(
        "documents",
        {
            "doc_id": "text", "source": "text", "sha256": "text", "encoding": "text",
            "repairs": "text", "reference_date_value": "text", "reference_date_source": "text",
            "status": "text", "error": "text",
        },
        _flatten_document,
    ),
    TableSpec(
        "entity_index",
        {
            "entity_id": "text", "label": "text", "canonical": "text",
            "aliases": "text", "documents": "text", "mentions": "value",
        },
        _flatten_entity_index,
        required=False,
    ),
    TableSpec("relations", {}, _flatten_nested, required=False),
    TableSpec("roles", {"doc_id": "text", "person": "text", "title": "text", "organisation": "text", "former": "value",
                        "date": "date", "person_entity_id": "text", "evidence_sentence": "int"},
              _flatten_role, required=False, file="relations"),
)
