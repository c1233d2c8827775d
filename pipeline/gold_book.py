"""Gold files as a workbook people correct in a spreadsheet program: `zhie gold template`.

The workbook has a README sheet, a `documents` sheet (each document's clean text, a row per sentence),
and one sheet per gold file (`entities`, `dates`, `events`, `roles`) in the gold columns, each row with
the sentence it stands in (`evidence`) and a `check` column (blank, `ok`, `wrong`, `missing`). It is
pre-filled either with a run's predictions in gold form or with an existing gold folder; `gold_import`
reads it back. A cell holds one value; lists (`aliases`, `who_aliases`) are joined with ` | `.
"""
from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from pathlib import Path
from typing import Any

from pipeline.gold_files import LABELS, base_actions

# Columns of each gold sheet: the gold file's keys, then `evidence` (also a gold key for events) and `check`.
SHEETS: dict[str, tuple[str, ...]] = {
    "entities": ("doc_id", "label", "text", "aliases", "evidence", "check"),
    "dates": ("doc_id", "text", "start", "end", "evidence", "check"),
    "events": ("doc_id", "who", "who_aliases", "action", "start", "end", "what", "where", "evidence", "check"),
    "roles": ("doc_id", "person", "title", "organisation", "former", "evidence", "check"),
}
GOLD_KEYS: dict[str, tuple[str, ...]] = {kind: tuple(c for c in columns if c not in ("evidence", "check"))
                                          for kind, columns in SHEETS.items()}
LIST_COLUMNS = ("aliases", "who_aliases")
DATE_COLUMNS = ("start", "end")
DOCUMENT_COLUMNS = ("doc_id", "sentence_id", "kind", "text")
CHECKS = ("ok", "wrong", "missing")
LIST_SEPARATOR = " | "
MAX_ROWS = 100_000  # how far the drop-down lists reach
README = [
    ("How to correct this workbook", ""),
    ("documents", "Each document's text, one row per sentence. A doc_id here is a document of the gold set."),
    ("entities, dates, events, roles", ("One row per gold item, in the columns of the gold files "
                                        "(docs/output.md, \"Gold files\"); evidence is the sentence it stands in.")),
    ("check", ("Leave blank or write ok to keep a row; wrong drops it on import; add a row the pipeline missed "
               "at the bottom of its sheet with check = missing.")),
    ("lists", "aliases and who_aliases hold several names separated by ' | '."),
    ("dates", "start and end are dates (YYYY-MM-DD), both empty for an event the text gives no time."),
    ("label, action, check", "Choose from the drop-down lists: labels " + ", ".join(LABELS) + "; actions "
                             + ", ".join(base_actions()) + "."),
    ("import", "zhie gold import THIS.xlsx --dest GOLD_FOLDER [--merge]; every problem is named by its cell."),
]


def _read_jsonl(path: Path) -> list[dict]:
    if not path.is_file():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _clean_texts(out: Path, doc_ids: list[str]) -> dict[str, str]:
    texts = {}
    for doc_id in doc_ids:
        path = out / "clean" / f"{doc_id}.txt"
        if path.is_file():
            with path.open(encoding="utf-8", newline="") as handle:
                texts[doc_id] = handle.read()
    return texts


def document_rows(out: Path | None, doc_ids: list[str]) -> list[list[Any]]:
    """The `documents` sheet: a row per sentence where a run's clean text exists, else a row per doc_id."""
    texts = _clean_texts(out, doc_ids) if out is not None else {}
    sentences = defaultdict(list)
    for row in _read_jsonl(out / "sentences.jsonl") if out is not None else []:
        sentences[row["doc_id"]].append(row)
    rows: list[list[Any]] = []
    for doc_id in doc_ids:
        if doc_id in texts and sentences[doc_id]:
            rows += [[doc_id, s["sentence_id"], s["kind"], texts[doc_id][s["start"]:s["end"]].strip()]
                     for s in sentences[doc_id]]
        else:
            rows.append([doc_id, None, None, None])
    return rows


def predictions_as_gold(out: Path) -> dict[str, list[dict]]:
    """A run's outputs in gold form (the rows `gold import` gives back from an unedited template), each
    with its sentence as `evidence`."""
    sentences = {(r["doc_id"], r["sentence_id"]): r for r in _read_jsonl(out / "sentences.jsonl")}
    texts = _clean_texts(out, sorted({doc_id for doc_id, _ in sentences}))

    def sentence(doc_id: str, sentence_id: int | None) -> str | None:
        row = sentences.get((doc_id, sentence_id))
        return texts[doc_id][row["start"]:row["end"]].strip() if row and doc_id in texts else None

    entities: dict[tuple, dict] = {}
    for m in _read_jsonl(out / "entities.jsonl"):
        entry = entities.setdefault((m["doc_id"], m["label"], m["canonical"]), {
            "doc_id": m["doc_id"], "label": m["label"], "text": m["canonical"], "aliases": [],
            "evidence": sentence(m["doc_id"], m["sentence_id"])})
        if m["text"] != m["canonical"] and m["text"] not in entry["aliases"]:
            entry["aliases"].append(m["text"])
    dates: dict[tuple, dict] = {}
    for d in _read_jsonl(out / "dates.jsonl"):
        text = "".join(d["text"].split())
        dates.setdefault((d["doc_id"], text, d["value_start"], d["value_end"]), {
            "doc_id": d["doc_id"], "text": text, "start": d["value_start"], "end": d["value_end"],
            "evidence": sentence(d["doc_id"], d["sentence_id"])})
    events = [{"doc_id": e["doc_id"], "who": e["who"]["canonical"], "who_aliases": [], "action": e["action"],
               "start": (e["when"] or {}).get("start"), "end": (e["when"] or {}).get("end"), "what": e["what"],
               "where": e["where"], "evidence": e["evidence"]} for e in _read_jsonl(out / "events.jsonl")]
    roles: dict[tuple, dict] = {}
    for r in _read_jsonl(out / "relations.jsonl"):
        if r["relation"] == "holds_title":
            roles.setdefault((r["doc_id"], r["subject"], r["object"], r["organisation"]), {
                "doc_id": r["doc_id"], "person": r["subject"], "title": r["object"],
                "organisation": r["organisation"], "former": bool(r.get("former", False)),
                "evidence": sentence(r["doc_id"], r.get("evidence"))})
    return {"entities": list(entities.values()), "dates": list(dates.values()), "events": events,
            "roles": list(roles.values())}


def gold_rows(gold: Path) -> dict[str, list[dict]]:
    """A gold folder's rows (roles when it has them)."""
    return {kind: _read_jsonl(gold / f"{kind}.jsonl") for kind in SHEETS}


def _cell_value(column: str, value: Any) -> Any:
    if column in LIST_COLUMNS:
        return LIST_SEPARATOR.join(value or [])
    if column in DATE_COLUMNS and value:
        return dt.date.fromisoformat(value)
    return value


def write_template(path: Path, rows: dict[str, list[dict]], documents: list[list[Any]]) -> Path:
    """Write the workbook: README, documents, then a sheet per gold file, formatted for correcting."""
    from openpyxl import Workbook

    book = Workbook()
    readme = book.active
    readme.title = "README"
    for line in README:
        readme.append(line)
    _format(readme, wrap=(2,))
    sheet = book.create_sheet("documents")
    sheet.append(DOCUMENT_COLUMNS)
    for row in documents:
        sheet.append(row)
    _format(sheet, wrap=(4,))
    for kind, columns in SHEETS.items():
        sheet = book.create_sheet(kind)
        sheet.append(columns)
        for item in rows.get(kind, []):
            sheet.append([_cell_value(c, item.get(c)) if c != "check" else None for c in columns])
        _format(sheet, wrap=tuple(i + 1 for i, c in enumerate(columns) if c == "evidence"))
        _validate(sheet, columns)
    tmp = path.with_name(f".{path.name}.partial")
    book.save(tmp)
    tmp.replace(path)
    return path


def _display_width(value: Any) -> int:
    text = value.isoformat() if isinstance(value, dt.date) else str(value if value is not None else "")
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)


def _format(sheet: Any, wrap: tuple[int, ...] = ()) -> None:
    """Bold frozen header, filters, widths that fit Chinese text (capped), wrapped long text, date cells,
    and strings kept as strings (openpyxl takes any string starting with `=` for a formula)."""
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for index, column in enumerate(sheet.iter_cols(min_row=1), 1):
        widest = max(_display_width(cell.value) for cell in column)
        sheet.column_dimensions[get_column_letter(index)].width = max(8, min(60, widest + 2))
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if cell.data_type == "f":
                cell.data_type = "s"
            if isinstance(cell.value, dt.date):
                cell.number_format = "yyyy-mm-dd"
            if cell.column in wrap:
                cell.alignment = Alignment(wrap_text=True, vertical="top")


def _validate(sheet: Any, columns: tuple[str, ...]) -> None:
    """Drop-down lists for the columns with a closed set of values."""
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    choices = {"label": LABELS, "action": base_actions(), "check": CHECKS, "former": ("TRUE", "FALSE")}
    for index, column in enumerate(columns, 1):
        if column in choices:
            rule = DataValidation(type="list", formula1='"' + ",".join(choices[column]) + '"', allow_blank=True,
                                  showErrorMessage=True, errorTitle=column,
                                  error=f"{column}: one of {', '.join(choices[column])}")
            letter = get_column_letter(index)
            rule.add(f"{letter}2:{letter}{MAX_ROWS}")
            sheet.add_data_validation(rule)
