"""`zhie gold import`: a corrected gold workbook back to gold JSONL, every row checked first.

Problems are named by their cell (`events!D7: unknown action 'ATEND'`); a workbook with any problem
writes nothing. The files are written whole to temporary names and renamed into place, so no gold file
is ever half-written. With `merge`, only the workbook's documents are replaced in the gold folder.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import re
from pathlib import Path
from typing import Any

from pipeline.gold_book import (
    CHECKS,
    DATE_COLUMNS,
    GOLD_KEYS,
    LIST_COLUMNS,
    SHEETS,
    gold_rows,
)
from pipeline.gold_files import LABELS, base_actions

REQUIRED_SHEETS = ("documents", "entities", "dates", "events")
# Columns a row must fill, by sheet; the others may be empty (null).
REQUIRED_VALUES = {"entities": ("doc_id", "label", "text"), "dates": ("doc_id", "text", "start", "end"),
                   "events": ("doc_id", "who", "action"), "roles": ("doc_id", "person", "title")}


class GoldImportError(Exception):
    """The workbook's problems, one `sheet!cell: problem` each."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = problems


def _header(sheet: Any, expected: tuple[str, ...], problems: list[str]) -> dict[str, int] | None:
    """Column index of each expected header; a missing one is named by the blank header cell it left."""
    from openpyxl.utils import get_column_letter

    found = {}
    blanks = []
    for cell in sheet[1]:
        name = str(cell.value).strip() if cell.value is not None else ""
        if name:
            found[name] = cell.column
        else:
            blanks.append(f"{get_column_letter(cell.column)}1")
    missing = [column for column in expected if column not in found and column != "check"]
    for column in missing:
        where = blanks.pop(0) if blanks else f"{get_column_letter(sheet.max_column + 1)}1"
        problems.append(f"{sheet.title}!{where}: missing column header '{column}'")
    return None if missing else found


def _date(value: Any, ref: str, problems: list[str]) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value).strip()
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            raise ValueError
        return dt.date.fromisoformat(text).isoformat()
    except ValueError:
        problems.append(f"{ref}: {text!r} is not a date (YYYY-MM-DD)")
        return None


def _value(column: str, value: Any, ref: str, problems: list[str]) -> Any:
    if column in LIST_COLUMNS:
        return [part.strip() for part in str(value or "").split("|") if part.strip()]
    if column in DATE_COLUMNS:
        return _date(value, ref, problems)
    if column == "former":
        if isinstance(value, bool) or value is None:
            return bool(value)
        if str(value).strip().upper() in ("TRUE", "FALSE", "1", "0"):
            return str(value).strip().upper() in ("TRUE", "1")
        problems.append(f"{ref}: former is TRUE or FALSE, not {value!r}")
        return False
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(int(value)) if float(value).is_integer() else str(value)
    return None if value is None or str(value) == "" else str(value)


def _row_problems(kind: str, item: dict, refs: dict[str, str], documents: set[str]) -> list[str]:
    problems = [f"{refs[c]}: {c} is empty" for c in REQUIRED_VALUES[kind] if not item.get(c)]
    if item.get("doc_id") and item["doc_id"] not in documents:
        problems.append(f"{refs['doc_id']}: doc_id {item['doc_id']!r} is not in the documents sheet")
    if kind == "entities" and item.get("label") and item["label"] not in LABELS:
        problems.append(f"{refs['label']}: unknown label {item['label']!r} (one of {', '.join(LABELS)})")
    if kind == "events" and item.get("action") and item["action"] not in base_actions():
        problems.append(f"{refs['action']}: unknown action {item['action']!r} (one of {', '.join(base_actions())})")
    if "start" in item and (item["start"] is None) != (item["end"] is None):
        problems.append(f"{refs['start']}: start and end are both dates or both empty")
    elif "start" in item and item["start"] and item["end"] and item["end"] < item["start"]:
        problems.append(f"{refs['end']}: end {item['end']} is before start {item['start']}")
    return problems


def _sheet_rows(sheet: Any, kind: str, documents: set[str], problems: list[str]) -> list[dict]:
    columns = _header(sheet, SHEETS[kind], problems)
    if columns is None:
        return []
    from openpyxl.utils import get_column_letter

    rows = []
    for cells in sheet.iter_rows(min_row=2):
        values = {name: cells[index - 1].value if index - 1 < len(cells) else None for name, index in columns.items()}
        if all(v is None or str(v).strip() == "" for v in values.values()):
            continue
        row_number = cells[0].row
        refs = {name: f"{kind}!{get_column_letter(index)}{row_number}" for name, index in columns.items()}
        check = str(values.get("check") or "").strip().lower()
        if check and check not in CHECKS:
            problems.append(f"{refs['check']}: check is blank, {', '.join(CHECKS)}; not {check!r}")
        if check == "wrong":
            continue
        item = {c: _value(c, values.get(c), refs.get(c, kind), problems) for c in GOLD_KEYS[kind]}
        if kind == "events" and values.get("evidence"):
            item["evidence"] = str(values["evidence"])
        problems += _row_problems(kind, item, refs, documents)
        rows.append((item, refs))
    return rows


def _who_problems(entities: list[tuple[dict, dict]], events: list[tuple[dict, dict]]) -> list[str]:
    """An event's `who` must be an entity (its text or an alias) of the same document."""
    names: dict[str, set[str]] = {}
    for item, _ in entities:
        names.setdefault(item["doc_id"], set()).update([item["text"], *item["aliases"]])
    return [f"{refs['who']}: who {item['who']!r} is not an entity of {item['doc_id']} (entities sheet)"
            for item, refs in events if item.get("who") and item["who"] not in names.get(item["doc_id"], set())]


def read_workbook(path: Path) -> tuple[set[str], dict[str, list[dict]]]:
    """The workbook's documents and gold rows; GoldImportError naming every bad cell."""
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, data_only=True)
    except Exception as exc:  # a damaged or non-xlsx file: zipfile, lxml and openpyxl each raise their own
        raise GoldImportError([f"{path}: not a readable .xlsx workbook ({type(exc).__name__})"]) from None
    problems = [f"{name}: sheet missing" for name in REQUIRED_SHEETS if name not in book.sheetnames]
    if problems:
        raise GoldImportError(problems)
    for sheet in book.worksheets:
        problems += [f"{sheet.title}!{merged.coord}: merged cells (unmerge them: a cell holds one value)"
                     for merged in sheet.merged_cells.ranges]
    doc_header = _header(book["documents"], ("doc_id",), problems) or {}
    documents = {str(row[0]).strip() for row in book["documents"].iter_rows(
        min_row=2, min_col=doc_header.get("doc_id", 1), max_col=doc_header.get("doc_id", 1), values_only=True)
        if row[0] is not None and str(row[0]).strip()}
    read = {kind: _sheet_rows(book[kind], kind, documents, problems) for kind in SHEETS if kind in book.sheetnames}
    problems += _who_problems(read["entities"], read["events"])
    if problems:
        raise GoldImportError(problems)
    return documents, {kind: [item for item, _ in rows] for kind, rows in read.items()}


def write_gold(dest: Path, documents: set[str], rows: dict[str, list[dict]], merge: bool) -> dict[str, int]:
    """Write the gold files (with `merge`, keeping the other documents' rows); each file whole or not at all."""
    dest.mkdir(parents=True, exist_ok=True)
    if merge:
        existing = gold_rows(dest)
        rows = {kind: [r for r in existing.get(kind, []) if r["doc_id"] not in documents] + rows.get(kind, [])
                for kind in SHEETS}
    written = {}
    staged = []
    for kind in SHEETS:
        if kind == "roles" and not rows.get(kind) and not (dest / "roles.jsonl").exists():
            continue  # roles are optional in a gold set
        tmp = dest / f".{kind}.jsonl.partial"
        tmp.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows.get(kind, [])), encoding="utf-8")
        staged.append((tmp, dest / f"{kind}.jsonl"))
        written[kind] = len(rows.get(kind, []))
    for tmp, final in staged:
        os.replace(tmp, final)
    return written
