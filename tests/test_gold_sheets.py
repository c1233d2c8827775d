"""Gold files through a spreadsheet: template, corrections, import, and the eval page.

The gold set here is written for the tests; LibreOffice Calc, where installed, stands in for the
spreadsheet program people use."""
from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.gold_book import predictions_as_gold

openpyxl = pytest.importorskip("openpyxl")
runner = CliRunner()
DOC = "news_a"
GOLD = {
    "entities": [{"doc_id": DOC, "label": "ORG", "text": "滨江市电子商会", "aliases": ["商会", "电子商会"]},
                 {"doc_id": DOC, "label": "PERSON", "text": "周立平", "aliases": []},
                 {"doc_id": DOC, "label": "LOC", "text": "滨江市", "aliases": []}],
    "dates": [{"doc_id": DOC, "text": "5月11日", "start": "2023-05-11", "end": "2023-05-11"},
              {"doc_id": DOC, "text": "2023年", "start": "2023-01-01", "end": "2023-12-31"}],
    "events": [{"doc_id": DOC, "who": "周立平", "who_aliases": [], "action": "PRESIDE", "start": "2023-05-11",
                "end": "2023-05-11", "what": "=会员大会", "where": None},
               {"doc_id": DOC, "who": "滨江市电子商会", "who_aliases": ["商会"], "action": "ORGANIZE", "start": None,
                "end": None, "what": None, "where": "滨江市"}],
    "roles": [{"doc_id": DOC, "person": "周立平", "title": "会长", "organisation": "滨江市电子商会", "former": False}],
}


def write_gold(folder: Path, rows: dict[str, list[dict]]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for kind, items in rows.items():
        (folder / f"{kind}.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in items),
                                              encoding="utf-8")
    return folder


def files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.glob("*.jsonl"))}


def invoke(*args: str) -> object:
    return runner.invoke(app, ["gold", *map(str, args)])


@pytest.fixture()
def template(tmp_path: Path) -> Path:
    gold = write_gold(tmp_path / "gold", GOLD)
    book = tmp_path / "gold.xlsx"
    result = invoke("template", "--from-gold", gold, "--out", tmp_path / "no-run", "--xlsx", book)
    assert result.exit_code == 0, result.output
    return book


def test_gold_files_round_trip_through_the_workbook_unchanged(tmp_path, template):
    result = invoke("import", template, "--dest", tmp_path / "back")
    assert result.exit_code == 0, result.output
    assert files(tmp_path / "back") == files(tmp_path / "gold")


def test_predictions_round_trip_into_gold_form(tmp_path, run_output):
    book = tmp_path / "run.xlsx"
    assert invoke("template", "--out", run_output, "--xlsx", book).exit_code == 0
    assert invoke("import", book, "--dest", tmp_path / "gold").exit_code == 0
    expected = predictions_as_gold(run_output)
    for kind, rows in expected.items():
        kept = [{k: v for k, v in r.items() if k != "evidence" or kind == "events"} for r in rows]
        got = [json.loads(line) for line in (tmp_path / "gold" / f"{kind}.jsonl").read_text().splitlines()]
        assert got == kept, kind


def test_the_template_is_made_for_correcting(template):
    book = openpyxl.load_workbook(template)
    assert book.sheetnames == ["README", "documents", "entities", "dates", "events", "roles"]
    events = book["events"]
    header = [c.value for c in events[1]]
    assert header[-2:] == ["evidence", "check"] and events.freeze_panes == "A2" and events.auto_filter.ref
    lists = {str(rule.sqref)[0]: rule.formula1 for rule in events.data_validations.dataValidation}
    assert "ATTEND" in lists["D"] and "wrong" in lists["J"]
    assert events["E2"].value == dt.datetime(2023, 5, 11) and events["E2"].number_format == "yyyy-mm-dd"
    assert events["G2"].data_type == "s" and events["G2"].value == "=会员大会"  # text, not a formula
    assert book["entities"]["D2"].value == "商会 | 电子商会"


def test_wrong_rows_go_and_missing_rows_come_in(tmp_path, template):
    book = openpyxl.load_workbook(template)
    book["dates"]["F3"] = "wrong"
    book["entities"].append([DOC, "PERSON", "郑海涛", None, None, "missing"])
    book.save(template)
    assert invoke("import", template, "--dest", tmp_path / "back").exit_code == 0
    dates = (tmp_path / "back" / "dates.jsonl").read_text()
    assert "2023年" not in dates and "5月11日" in dates
    assert "郑海涛" in (tmp_path / "back" / "entities.jsonl").read_text()


def bad(book_path: Path, change) -> object:
    book = openpyxl.load_workbook(book_path)
    change(book)
    book.save(book_path)
    return book_path


@pytest.mark.parametrize("change,message", [
    (lambda b: setattr(b["entities"]["C1"], "value", None), "entities!C1: missing column header 'text'"),
    (lambda b: b["dates"].cell(2, 3, "2023/13/01"), "dates!C2: '2023/13/01' is not a date (YYYY-MM-DD)"),
    (lambda b: b["events"].cell(2, 4, "ATEND"), "events!D2: unknown action 'ATEND'"),
    (lambda b: b["entities"].merge_cells("A2:B2"), "entities!A2:B2: merged cells"),
    (lambda b: b["events"].cell(3, 2, "王五"), "events!B3: who '王五' is not an entity of news_a"),
    (lambda b: b["dates"].cell(2, 4, "2023-05-01"), "dates!D2: end 2023-05-01 is before start 2023-05-11"),
    (lambda b: b["entities"].cell(2, 1, "news_b"), "entities!A2: doc_id 'news_b' is not in the documents sheet"),
    (lambda b: b["entities"].cell(3, 2, "PER"), "entities!B3: unknown label 'PER'"),
])
def test_a_bad_workbook_names_the_cell_and_writes_nothing(tmp_path, template, change, message):
    dest = write_gold(tmp_path / "dest", {"entities": [GOLD["entities"][0]], "dates": [], "events": []})
    before = files(dest)
    result = invoke("import", bad(template, change), "--dest", dest)
    assert result.exit_code == 2 and message in result.output, result.output
    assert files(dest) == before and not list(dest.glob(".*partial"))


def test_merge_replaces_only_the_workbooks_documents(tmp_path, template):
    other = {"doc_id": "other", "label": "ORG", "text": "城南商会", "aliases": []}
    dest = write_gold(tmp_path / "dest", {"entities": [other, dict(GOLD["entities"][1], text="旧名")],
                                          "dates": [], "events": []})
    assert invoke("import", template, "--dest", dest, "--merge").exit_code == 0
    entities = [json.loads(line) for line in (dest / "entities.jsonl").read_text().splitlines()]
    assert entities[0] == other and "旧名" not in json.dumps(entities, ensure_ascii=False)
    assert len(entities) == 1 + len(GOLD["entities"])


def _soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def _calc(soffice: str, source: Path, target_format: str, outdir: Path) -> Path:
    outdir.mkdir(exist_ok=True)
    subprocess.run([soffice, "--headless", "--norestore", f"-env:UserInstallation={(outdir / 'profile').as_uri()}",
                    "--convert-to", target_format, "--outdir", str(outdir), str(source)],
                   check=True, capture_output=True, timeout=180)
    return outdir / f"{source.stem}.{target_format}"


@pytest.mark.slow
def test_libreoffice_calc_opens_the_template_and_an_edit_made_there_imports(tmp_path, template):
    soffice = _soffice()
    if soffice is None:
        pytest.skip("LibreOffice is not installed (apt-get install libreoffice-calc-nogui)")
    resaved = _calc(soffice, template, "xlsx", tmp_path / "resaved")
    assert invoke("import", resaved, "--dest", tmp_path / "same").exit_code == 0
    assert files(tmp_path / "same") == files(tmp_path / "gold")
    # An edit in Calc's own format: the flat ODS file is Calc's document as XML.
    flat = _calc(soffice, template, "fods", tmp_path / "flat")
    content = flat.read_text(encoding="utf-8")
    assert content.count("<text:p>PRESIDE</text:p>") == 1
    flat.write_text(content.replace("<text:p>PRESIDE</text:p>", "<text:p>SPEAK</text:p>"), encoding="utf-8")
    edited = _calc(soffice, flat, "xlsx", tmp_path / "edited")
    result = invoke("import", edited, "--dest", tmp_path / "back")
    assert result.exit_code == 0, result.output
    events = [json.loads(line) for line in (tmp_path / "back" / "events.jsonl").read_text().splitlines()]
    assert [e["action"] for e in events] == ["SPEAK", "ORGANIZE"]


def test_eval_page_marks_right_extra_and_missed(tmp_path, run_output):
    from conftest import ROOT

    page = tmp_path / "eval.html"
    result = runner.invoke(app, ["eval", "--gold", str(ROOT / "data" / "gold"), "--out", str(run_output),
                                 "--json", "--html", str(page)])
    assert result.exit_code == 0, result.output
    html = page.read_text(encoding="utf-8")
    assert "Content-Security-Policy" in html and "<script" not in html
    for status in ("ok", "fp", "fn"):
        assert re.search(rf'<mark class="{status}" title="[^"]+">', html), status
    assert re.search(r'<tr class="ok"><td>right</td>.*?<a href="#d0-s\d+">', html)
    assert all(f'id="d{n}"' in html for n in range(5))
    chromium = shutil.which("chromium")
    if chromium is None:
        pytest.skip("chromium not installed (apt-get install chromium)")
    from test_report import _render

    (tmp_path / "shot").mkdir()
    png, console = _render(chromium, page, tmp_path / "shot")
    assert png.stat().st_size > 20_000 and console == []
