"""Export the pipeline's JSONL output as tables for spreadsheets and data tools.

    zhie export --out data/out --format csv,xlsx,parquet

One table per record type: `events` (flattened: who/when objects become columns), `entities`,
`dates`, `documents` (`repairs` joined with ", ", `reference_date` split into
`reference_date_value` / `reference_date_source`), plus `entity_index` and `relations` when the
run wrote them. Fields a table does not know are kept as extra columns; lists are joined with
", " and objects written as JSON text.

CSV (one file per table):
- UTF-8 with a byte order mark (`utf-8-sig`), so Excel detects the encoding of Chinese text.
- RFC 4180: comma separated; a field is quoted when it contains a comma, a double quote or a
  line break, and quotes inside it are doubled. Records end with CRLF (as RFC 4180 says);
  line breaks inside a quoted field are kept exactly as they are in the data (usually LF).
- Formula injection: a text cell starting with `=`, `+`, `-`, `@`, a tab or a CR gets a leading
  apostrophe `'`, so a spreadsheet shows it as text instead of running it as a formula.
  Strip one leading `'` from such cells to get the original value back.

XLSX (`tables.xlsx`, one sheet per table, openpyxl): frozen header row, an autofilter over the
data, column widths from the content (CJK characters count double, capped), and date columns
(`date_start`, `date_end`, `value_start`, `value_end`) as real Excel dates. Text cells are typed
as text, so a value starting with `=` is kept unchanged and never becomes a formula.
Control characters that XLSX cannot store are removed.

Parquet (one file per table, pyarrow): original types; dates are `date32`, offsets and ids
nullable `int64`, confidence `double`.
"""
from __future__ import annotations

import csv
import importlib.util
import json
import unicodedata
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from pipeline.cli_errors import fail
from pipeline.export_tables import TABLES, TableSpec

if TYPE_CHECKING:  # pandas is imported by the functions that build tables: `zhie run` never needs it
    import pandas as pd

FORMATS = ("csv", "xlsx", "parquet")
EXTRA_HINT = "pip install 'zhie[export]'"
# Libraries each format needs beyond pandas, by import name.
FORMAT_MODULES = {"csv": (), "xlsx": ("openpyxl",), "parquet": ("pyarrow",)}
# Leading characters that make Excel/LibreOffice treat a CSV cell as a formula (OWASP list).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
MAX_COLUMN_WIDTH = 60
MIN_COLUMN_WIDTH = 6
LIST_SEPARATOR = ", "


class OutputMissingError(FileNotFoundError):
    """The pipeline output folder or one of its required files does not exist."""


class MissingExtraError(ImportError):
    """An optional library needed for a format is not installed."""


def read_jsonl(path: Path) -> list[dict]:
    """Read one JSON object per line; blank lines are skipped, bad lines name file and line."""
    records = []
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                records.append(json.loads(line))
            except json.JSONDecodeError as error:
                raise ValueError(f"{path}:{number}: invalid JSON: {error.msg}") from error
    return records


def require_files(out_dir: Path, names: Iterable[str]) -> None:
    """Raise OutputMissingError naming the first missing folder or file."""
    if not out_dir.is_dir():
        raise OutputMissingError(f"pipeline output folder not found: {out_dir}")
    for name in names:
        if not (out_dir / name).is_file():
            raise OutputMissingError(f"missing {out_dir / name} (is {out_dir} a pipeline output folder?)")


def require_format_libraries(formats: Iterable[str]) -> None:
    """Fail before writing anything when a format's optional library is not installed."""
    for fmt in formats:
        for module in FORMAT_MODULES[fmt]:
            if importlib.util.find_spec(module) is None:
                raise MissingExtraError(f"{fmt} export needs {module}: {EXTRA_HINT}")


def _cell(value: Any) -> Any:
    if isinstance(value, list):
        return LIST_SEPARATOR.join("" if item is None else str(item) for item in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return value


def _iso_date(value: Any) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError) as error:
        raise ValueError(f"not an ISO date (YYYY-MM-DD): {value!r}") from error


def _column(values: list[Any], kind: str) -> pd.Series | pd.api.extensions.ExtensionArray:
    import pandas as pd

    if kind == "int":
        return pd.array(values, dtype="Int64")
    if kind == "float":
        return pd.array(values, dtype="Float64")
    if kind == "date":
        return pd.Series([_iso_date(v) for v in values], dtype=object)
    cells = [_cell(v) for v in values]
    if kind == "text":
        return pd.Series([None if c is None else str(c) for c in cells], dtype=object)
    # A column mixing numbers and text would not fit one Parquet type: keep it as text.
    if len({type(c) for c in cells if c is not None}) > 1:
        cells = [None if c is None else str(c) for c in cells]
    return pd.Series(cells, dtype=object)


def build_table(spec: TableSpec, records: list[dict]) -> pd.DataFrame:
    """One typed DataFrame: the spec's columns first, then any extra fields in first-seen order."""
    import pandas as pd

    rows = [row for row in map(spec.flatten, records) if row is not None]
    seen = dict.fromkeys(key for row in rows for key in row)
    kinds = {**spec.columns, **{key: "value" for key in seen if key not in spec.columns}}
    data = {column: _column([row.get(column) for row in rows], kind) for column, kind in kinds.items()}
    frame = pd.DataFrame(data, columns=list(kinds))
    # Kept for Parquet: an empty or all-null column still gets its type (dates stay plain
    # datetime.date objects here, so CSV export does not need pyarrow).
    frame.attrs["kinds"] = kinds
    return frame


def load_tables(out_dir: Path) -> dict[str, pd.DataFrame]:
    """Every table the output folder has; raises OutputMissingError if a required file is missing."""
    require_files(out_dir, [spec.source for spec in TABLES if spec.required])
    tables = {}
    for spec in TABLES:
        path = out_dir / spec.source
        if path.is_file():
            tables[spec.name] = build_table(spec, read_jsonl(path))
    return tables


def _defuse_formulas(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.copy()
    for column in frame.columns:
        if frame[column].dtype.kind == "O":
            frame[column] = frame[column].map(
                lambda v: "'" + v if isinstance(v, str) and v.startswith(FORMULA_PREFIXES) else v
            )
    return frame


def _write_csv(tables: dict[str, pd.DataFrame], dest: Path) -> list[Path]:
    paths = []
    for name, frame in tables.items():
        path = dest / f"{name}.csv"
        _defuse_formulas(frame).to_csv(
            path, index=False, encoding="utf-8-sig", lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL
        )
        paths.append(path)
    return paths


def display_width(text: str) -> int:
    """Width in monospace cells: wide and fullwidth (CJK) characters count double."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _column_width(header: str, values: pd.Series) -> int:
    lines = [header] + [line for v in values.dropna() for line in str(v).splitlines()]
    widest = max(display_width(line) for line in lines)
    return max(MIN_COLUMN_WIDTH, min(MAX_COLUMN_WIDTH, widest + 2))


def _strip_illegal_xml(frame: pd.DataFrame) -> pd.DataFrame:
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    frame = frame.copy()
    for column in frame.columns:
        if frame[column].dtype.kind == "O":
            frame[column] = frame[column].map(lambda v: ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v)
    return frame


def _format_sheet(sheet: Any, frame: pd.DataFrame) -> None:
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    for index, column in enumerate(frame.columns, 1):
        sheet.column_dimensions[get_column_letter(index)].width = _column_width(str(column), frame[column])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if cell.data_type == "f":  # openpyxl reads any string starting with "=" as a formula
                cell.data_type = "s"


def _write_xlsx(tables: dict[str, pd.DataFrame], dest: Path) -> list[Path]:
    import pandas as pd

    path = dest / "tables.xlsx"
    with pd.ExcelWriter(path, engine="openpyxl", date_format="YYYY-MM-DD") as writer:
        for name, frame in tables.items():
            _strip_illegal_xml(frame).to_excel(writer, sheet_name=name, index=False)
            _format_sheet(writer.sheets[name], frame)
    return [path]


def _write_parquet(tables: dict[str, pd.DataFrame], dest: Path) -> list[Path]:
    import pandas as pd
    import pyarrow as pa

    paths = []
    for name, frame in tables.items():
        path = dest / f"{name}.parquet"
        arrow_types = {"date": pa.date32(), "text": pa.string()}
        kinds = frame.attrs.get("kinds", {})
        typed = {column: pd.ArrowDtype(arrow_types[kind]) for column, kind in kinds.items() if kind in arrow_types}
        frame.astype(typed).to_parquet(path, engine="pyarrow", index=False)
        paths.append(path)
    return paths


WRITERS = {"csv": _write_csv, "xlsx": _write_xlsx, "parquet": _write_parquet}


def export_tables(out_dir: Path, fmt: str, dest: Path | None = None) -> list[Path]:
    """Write the output folder's tables in one format (csv, xlsx or parquet); return the files written.

    `dest` defaults to `<out_dir>/export/`. Raises OutputMissingError when the folder or a required
    JSONL file is missing, MissingExtraError when openpyxl/pyarrow is not installed.
    """
    if fmt not in WRITERS:
        raise ValueError(f"unknown format {fmt!r}; choose from {', '.join(FORMATS)}")
    require_format_libraries([fmt])
    tables = load_tables(out_dir)
    dest = dest if dest is not None else out_dir / "export"
    dest.mkdir(parents=True, exist_ok=True)
    return WRITERS[fmt](tables, dest)


def parse_formats(values: list[str]) -> list[str]:
    """Accept repeated options and comma lists (`-f csv -f xlsx`, `-f csv,xlsx`), in order, once each."""
    formats = [part.strip().lower() for value in values for part in value.split(",") if part.strip()]
    unknown = [fmt for fmt in formats if fmt not in FORMATS]
    if unknown:
        raise typer.BadParameter(f"unknown format {unknown[0]!r}; choose from {', '.join(FORMATS)}")
    return list(dict.fromkeys(formats))


def export_command(
    out: Path = typer.Option(Path("data/out"), "--out", help="Pipeline output folder (holds documents.jsonl, events.jsonl, ...)."),
    formats: list[str] = typer.Option(
        ["csv"], "--format", "-f",
        help="csv, xlsx or parquet. Repeat the option or give a comma list: -f csv,xlsx,parquet.",
    ),
    dest: Path | None = typer.Option(None, "--dest", help=r"Folder for the exported files (default: <out>/export)."),
) -> None:
    r"""Export events, entities, dates and documents as CSV, Excel or Parquet tables.

    CSV files are UTF-8 with BOM for Excel; text cells starting with = + - @ get a leading
    apostrophe so spreadsheets do not run them as formulas. xlsx and parquet need
    pip install 'zhie\[export]'.
    """
    chosen = parse_formats(formats)
    try:
        require_format_libraries(chosen)
        require_files(out, [spec.source for spec in TABLES if spec.required])
    except MissingExtraError as error:
        fail(f"Error: {error}", 1)
    except OutputMissingError as error:
        fail(f"Error: {error}", 2)
    for fmt in chosen:
        try:
            paths = export_tables(out, fmt, dest)
        except ValueError as error:
            fail(f"Error: {error}", 1)
        for path in paths:
            typer.echo(f"wrote {path}")
