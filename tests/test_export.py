"""Export of the pipeline output to CSV, XLSX and Parquet, read back and compared with the JSONL."""
from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import typer
from typer.testing import CliRunner

from pipeline import export
from pipeline.export import (
    MissingExtraError,
    OutputMissingError,
    export_command,
    export_tables,
)

DOC = "001_demo"
TEXT = '2023年2月15日，上海有色金属行业协会在上海召开年会。\n会长徐明出席并讲话，表示"团结,奋进"。\n'
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _span(text: str, surface: str, after: int = 0) -> tuple[int, int]:
    start = text.index(surface, after)
    return start, start + len(surface)


def write_output(root: Path) -> dict[str, list[dict]]:
    """A small spec-conformant output folder: Chinese text, a comma, a double quote, a newline,
    and cells starting with "=" / "@"; returns the records written, by file stem."""
    s0_end = TEXT.index("\n") + 1
    evidence = '会长徐明出席并讲话，\n表示"团结,奋进"。'  # comma, quote and newline in one cell
    org, loc, person = _span(TEXT, "上海有色金属行业协会"), _span(TEXT, "上海", 12), _span(TEXT, "徐明")
    records = {
        "documents": [
            {"doc_id": DOC, "source": "data/raw/001_demo.txt", "sha256": "ab" * 32, "encoding": "gb18030",
             "repairs": ["traditional_to_simplified", "ocr_spacing"],
             "reference_date": {"value": "2023-02", "source": "publication_stamp"}, "status": "ok", "error": None},
            {"doc_id": "002_broken", "source": "data/raw/002_broken.txt", "sha256": "cd" * 32, "encoding": None,
             "repairs": [], "reference_date": None, "status": "error", "error": '无法解码: "bytes", 第3行'},
        ],
        "sentences": [
            {"doc_id": DOC, "sentence_id": 0, "start": 0, "end": s0_end - 1, "kind": "sentence"},
            {"doc_id": DOC, "sentence_id": 1, "start": s0_end, "end": len(TEXT) - 1, "kind": "sentence"},
        ],
        "entities": [
            {"doc_id": DOC, "mention_id": f"{DOC}:m0", "text": "上海有色金属行业协会", "label": "ORG",
             "start": org[0], "end": org[1], "sentence_id": 0, "canonical": "上海有色金属行业协会"},
            {"doc_id": DOC, "mention_id": f"{DOC}:m1", "text": "上海", "label": "LOC",
             "start": loc[0], "end": loc[1], "sentence_id": 0, "canonical": "上海"},
            {"doc_id": DOC, "mention_id": f"{DOC}:m2", "text": "徐明", "label": "PERSON",
             "start": person[0], "end": person[1], "sentence_id": 1, "canonical": "=徐明"},
        ],
        "dates": [
            {"doc_id": DOC, "date_id": f"{DOC}:d0", "text": "2023年2月15日", "start": 0, "end": 10,
             "value_start": "2023-02-15", "value_end": "2023-02-15", "granularity": "day", "anchor": "explicit"},
        ],
        "events": [
            {"doc_id": DOC, "event_id": f"{DOC}:e0", "sentence_id": 0,
             "who": {"text": "上海有色金属行业协会", "label": "ORG", "canonical": "上海有色金属行业协会",
                     "title": None, "affiliation": None},
             "action": "ORGANIZE", "trigger": "召开", "what": '=HYPERLINK("x","年会")', "where": "@上海",
             "when": {"text": "2023年2月15日", "start": "2023-02-15", "end": "2023-02-15", "granularity": "day"},
             "evidence": TEXT[: s0_end - 1], "confidence": 0.8},
            {"doc_id": DOC, "event_id": f"{DOC}:e1", "sentence_id": 1,
             "who": {"text": "徐明", "label": "PERSON", "canonical": "徐明", "title": "会长",
                     "affiliation": "上海有色金属行业协会"},
             "action": "SPEAK", "trigger": "讲话", "what": None, "where": None, "when": None,
             "evidence": evidence, "confidence": 0.95},
        ],
        "entity_index": [
            {"entity_id": "E1", "label": "ORG", "canonical": "上海有色金属行业协会", "aliases": ["协会", "上海有色协会"],
             "documents": [DOC], "mentions": 1},
        ],
    }
    for stem, rows in records.items():
        lines = "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)
        (root / f"{stem}.jsonl").write_text(lines, encoding="utf-8", newline="")
    (root / "clean").mkdir()
    (root / "clean" / f"{DOC}.txt").write_text(TEXT, encoding="utf-8", newline="")
    return records


def expected_tables(records: dict[str, list[dict]]) -> dict[str, list[dict]]:
    """The rows each table should hold, written out independently of the exporter."""
    events = []
    for e in records["events"]:
        when = e["when"] or {}
        events.append({
            "doc_id": e["doc_id"], "event_id": e["event_id"], "sentence_id": e["sentence_id"],
            "date_start": when.get("start"), "date_end": when.get("end"), "when_text": when.get("text"),
            "who": e["who"]["canonical"], "who_label": e["who"]["label"], "title": e["who"]["title"],
            "affiliation": e["who"]["affiliation"], "action": e["action"], "trigger": e["trigger"],
            "what": e["what"], "where": e["where"], "evidence": e["evidence"], "confidence": e["confidence"],
        })
    documents = []
    for d in records["documents"]:
        reference = d["reference_date"] or {}
        documents.append({
            "doc_id": d["doc_id"], "source": d["source"], "sha256": d["sha256"], "encoding": d["encoding"],
            "repairs": ", ".join(d["repairs"]), "reference_date_value": reference.get("value"),
            "reference_date_source": reference.get("source"), "status": d["status"], "error": d["error"],
        })
    index = [{**row, "aliases": ", ".join(row["aliases"]), "documents": ", ".join(row["documents"])}
             for row in records["entity_index"]]
    return {"events": events, "entities": records["entities"], "dates": records["dates"],
            "documents": documents, "entity_index": index}


def normalise(value: object) -> object:
    """Compare cells across formats: missing -> None, dates -> ISO text, numbers as numbers."""
    if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)) or value == "":
        return None
    if isinstance(value, (date, datetime)):
        return value.strftime("%Y-%m-%d")
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return value


def unformula(value: object) -> object:
    """Undo the CSV formula guard: a leading apostrophe before = + - @ tab CR."""
    if isinstance(value, str) and value.startswith("'") and value[1:2] and value[1] in "=+-@\t\r":
        return value[1:]
    return value


def assert_rows_equal(actual: list[dict], expected: list[dict]) -> None:
    assert len(actual) == len(expected)
    for got, want in zip(actual, expected, strict=True):
        for column, value in want.items():
            assert normalise(got[column]) == normalise(value), column


def json_records(out_dir: Path) -> dict[str, list[dict]]:
    return {p.stem: [json.loads(line) for line in p.read_text(encoding="utf-8").splitlines()]
            for p in out_dir.glob("*.jsonl")}


@pytest.fixture
def out_dir(tmp_path: Path) -> Path:
    root = tmp_path / "out"
    root.mkdir()
    write_output(root)
    return root


def test_csv_round_trip(out_dir: Path) -> None:
    records = json_records(out_dir)
    paths = export_tables(out_dir, "csv")
    assert {p.name for p in paths} == {f"{t}.csv" for t in expected_tables(records)}
    assert all(p.parent == out_dir / "export" for p in paths)
    for table, rows in expected_tables(records).items():
        frame = pd.read_csv(out_dir / "export" / f"{table}.csv", encoding="utf-8-sig", dtype=str, keep_default_na=False)
        actual = [{k: unformula(v) for k, v in row.items()} for row in frame.to_dict("records")]
        expected = [{k: None if v is None else str(v) for k, v in row.items()} for row in rows]
        assert_rows_equal(actual, expected)


def test_csv_bytes_bom_quoting_and_formula_guard(out_dir: Path) -> None:
    export_tables(out_dir, "csv")
    raw = (out_dir / "export" / "events.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert raw.count(b"\r\n") == 3  # header + 2 records, each ending with CRLF
    text = raw.decode("utf-8-sig")
    evidence = '会长徐明出席并讲话，\n表示"团结,奋进"。'
    assert '"' + evidence.replace('"', '""') + '"' in text  # quoted, quotes doubled, newline kept
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert rows[0]["what"] == "'" + '=HYPERLINK("x","年会")'
    assert rows[0]["where"] == "'@上海"
    assert rows[1]["evidence"] == evidence
    entities = (out_dir / "export" / "entities.csv").read_text(encoding="utf-8-sig")
    assert "'=徐明" in entities


def test_xlsx_sheets_frozen_filtered_dated(out_dir: Path) -> None:
    records = json_records(out_dir)
    [path] = export_tables(out_dir, "xlsx")
    assert path == out_dir / "export" / "tables.xlsx"
    book = openpyxl.load_workbook(path)
    expected = expected_tables(records)
    assert book.sheetnames == list(expected)
    for table, rows in expected.items():
        sheet = book[table]
        assert sheet.freeze_panes == "A2"
        assert sheet.auto_filter.ref == f"A1:{openpyxl.utils.get_column_letter(sheet.max_column)}{len(rows) + 1}"
        header = [cell.value for cell in sheet[1]]
        actual = [dict(zip(header, (c.value for c in row), strict=True)) for row in sheet.iter_rows(min_row=2)]
        assert_rows_equal([{k: unformula(v) for k, v in row.items()} for row in actual], rows)
    events = book["events"]
    columns = {cell.value: cell.column_letter for cell in events[1]}
    start = events[f"{columns['date_start']}2"]
    assert start.is_date and start.value == datetime(2023, 2, 15)
    assert events[f"{columns['date_start']}3"].value is None
    what = events[f"{columns['what']}2"]
    assert what.data_type == "s" and what.value == '=HYPERLINK("x","年会")'  # text, never a formula
    dates = book["dates"]
    date_columns = {cell.value: cell.column_letter for cell in dates[1]}
    assert dates[f"{date_columns['value_end']}2"].is_date


def test_xlsx_column_widths_count_cjk_double(out_dir: Path) -> None:
    [path] = export_tables(out_dir, "xlsx")
    sheet = openpyxl.load_workbook(path)["entities"]
    columns = {cell.value: cell.column_letter for cell in sheet[1]}
    assert sheet.column_dimensions[columns["text"]].width >= 2 * len("上海有色金属行业协会")
    evidence = openpyxl.load_workbook(path)["events"]
    widths = [dim.width for dim in evidence.column_dimensions.values()]
    assert max(widths) <= export.MAX_COLUMN_WIDTH


def test_parquet_types_and_values(out_dir: Path) -> None:
    records = json_records(out_dir)
    paths = export_tables(out_dir, "parquet", dest=out_dir / "pq")
    assert {p.parent for p in paths} == {out_dir / "pq"}
    for table, rows in expected_tables(records).items():
        frame = pd.read_parquet(out_dir / "pq" / f"{table}.parquet")
        assert_rows_equal(frame.to_dict("records"), rows)
    schema = pq.read_schema(out_dir / "pq" / "events.parquet")
    assert schema.field("date_start").type == pa.date32()
    assert schema.field("sentence_id").type == pa.int64()
    assert schema.field("confidence").type == pa.float64()
    assert pq.read_schema(out_dir / "pq" / "dates.parquet").field("value_end").type == pa.date32()
    assert pq.read_schema(out_dir / "pq" / "entity_index.parquet").field("mentions").type == pa.int64()


def test_empty_tables_keep_their_types(out_dir: Path) -> None:
    (out_dir / "events.jsonl").write_text("", encoding="utf-8")
    export_tables(out_dir, "parquet")
    schema = pq.read_schema(out_dir / "export" / "events.parquet")
    assert schema.field("date_start").type == pa.date32()
    assert schema.field("who").type == pa.string()
    assert pd.read_csv(export_tables(out_dir, "csv")[0], encoding="utf-8-sig").empty


def test_optional_tables_are_optional(out_dir: Path) -> None:
    (out_dir / "entity_index.jsonl").unlink()
    names = {p.stem for p in export_tables(out_dir, "csv")}
    assert names == {"events", "entities", "dates", "documents"}


def test_entity_index_accepts_id_for_entity_id(out_dir: Path) -> None:
    (out_dir / "entity_index.jsonl").write_text('{"id": "E9", "label": "LOC", "canonical": "上海"}\n', encoding="utf-8")
    export_tables(out_dir, "csv")
    frame = pd.read_csv(out_dir / "export" / "entity_index.csv", encoding="utf-8-sig", dtype=str)
    assert list(frame.columns[:3]) == ["entity_id", "label", "canonical"] and "id" not in frame.columns
    assert frame.loc[0, "entity_id"] == "E9"


def test_missing_input_names_the_file(out_dir: Path) -> None:
    (out_dir / "events.jsonl").unlink()
    with pytest.raises(OutputMissingError, match="events.jsonl"):
        export_tables(out_dir, "csv")
    with pytest.raises(OutputMissingError, match="nowhere"):
        export_tables(out_dir / "nowhere", "csv")


def cli() -> typer.Typer:
    app = typer.Typer()
    app.command("export")(export_command)
    return app


def test_command_formats_and_dest(out_dir: Path) -> None:
    dest = out_dir / "tables"
    result = CliRunner().invoke(cli(), ["--out", str(out_dir), "-f", "csv,parquet", "--format", "xlsx", "--dest", str(dest)])
    assert result.exit_code == 0, result.output
    assert (dest / "events.csv").is_file() and (dest / "events.parquet").is_file() and (dest / "tables.xlsx").is_file()


def test_command_errors(out_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    runner = CliRunner()
    (out_dir / "dates.jsonl").unlink()
    result = runner.invoke(cli(), ["--out", str(out_dir)])
    assert result.exit_code == 2 and "dates.jsonl" in result.output
    result = runner.invoke(cli(), ["--out", str(out_dir), "-f", "pdf"])
    assert result.exit_code == 2 and "pdf" in result.output

    real_find_spec = export.importlib.util.find_spec
    monkeypatch.setattr(export.importlib.util, "find_spec",
                        lambda name, *a: None if name == "openpyxl" else real_find_spec(name, *a))
    with pytest.raises(MissingExtraError, match=r"zhie\[export\]"):
        export_tables(out_dir, "xlsx")
    result = runner.invoke(cli(), ["--out", str(out_dir), "-f", "xlsx"])
    assert result.exit_code == 1 and "pip install 'zhie[export]'" in result.output


def test_help_lists_options() -> None:
    result = CliRunner().invoke(cli(), ["--help"])
    assert result.exit_code == 0
    for option in ("--out", "--format", "--dest"):
        assert option in result.output
