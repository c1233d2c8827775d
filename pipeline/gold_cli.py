"""`zhie gold template` and `zhie gold import`: gold files through a spreadsheet.

Exit codes: 0 done; 2 a usage error (a missing folder, no openpyxl) or a workbook with problems, each
printed as `sheet!cell: problem`.
"""
from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Annotated

import typer

from pipeline.cli_errors import fail
from pipeline.gold_book import (
    document_rows,
    gold_rows,
    predictions_as_gold,
    write_template,
)
from pipeline.gold_import import GoldImportError, read_workbook, write_gold

app = typer.Typer(help="Gold files through a spreadsheet: a template to correct, and its import.",
                  no_args_is_help=True)


def _need_openpyxl() -> None:
    if importlib.util.find_spec("openpyxl") is None:
        fail("Error: workbooks need openpyxl: pip install 'zhie[export]'", 2)


@app.command("template")
def template_command(
    xlsx: Annotated[Path, typer.Option("--xlsx", help="The workbook to write.")] = Path("gold.xlsx"),
    out: Annotated[Path, typer.Option("--out", help="A run's output folder: its predictions pre-fill the "
                                                    "workbook, its clean texts fill the documents sheet.")]
    = Path("data/out"),
    from_gold: Annotated[Path | None, typer.Option(
        "--from-gold", metavar="DIR", help="Pre-fill from this gold folder instead of the run's predictions.")] = None,
    docs: Annotated[list[str] | None, typer.Option("--docs", metavar="ID", help="Only these doc_ids (repeatable).")]
    = None,
) -> None:
    """Write a workbook in the gold columns for people to correct in a spreadsheet program."""
    _need_openpyxl()
    if from_gold is not None and not from_gold.is_dir():
        fail(f"Error: --from-gold folder {from_gold} does not exist.", 2)
    if from_gold is None and not (out / "documents.jsonl").is_file():
        fail(f"Error: --out {out} holds no run (documents.jsonl); run `zhie run` first or give --from-gold.", 2)
    rows = gold_rows(from_gold) if from_gold is not None else predictions_as_gold(out)
    doc_ids = list(dict.fromkeys(r["doc_id"] for kind in rows.values() for r in kind))
    if from_gold is None:
        doc_ids = [r["doc_id"] for r in _documents(out) if r["status"] == "ok"]
    if docs:
        unknown = sorted(set(docs) - set(doc_ids))
        if unknown:
            fail(f"Error: --docs {', '.join(unknown)}: not in {from_gold or out}.", 2)
        doc_ids = [d for d in doc_ids if d in set(docs)]
        rows = {kind: [r for r in items if r["doc_id"] in set(docs)] for kind, items in rows.items()}
    texts_from = out if out.is_dir() else None
    path = write_template(xlsx, rows, document_rows(texts_from, doc_ids))
    counts = ", ".join(f"{len(items)} {kind}" for kind, items in rows.items())
    typer.echo(f"{len(doc_ids)} documents, {counts} -> {path}", err=True)


def _documents(out: Path) -> list[dict]:
    import json

    return [json.loads(line) for line in (out / "documents.jsonl").read_text(encoding="utf-8").splitlines()
            if line.strip()]


@app.command("import")
def import_command(
    xlsx: Annotated[Path, typer.Argument(help="The corrected workbook.")],
    dest: Annotated[Path, typer.Option("--dest", help="The gold folder to write.")] = Path("data/gold"),
    merge: Annotated[bool, typer.Option("--merge", help="Replace only the workbook's documents in DEST; "
                                                        "keep the others' rows.")] = False,
) -> None:
    """Check every row of a corrected workbook and write the gold JSONL files (all or none)."""
    _need_openpyxl()
    if not xlsx.is_file():
        fail(f"Error: workbook {xlsx} does not exist.", 2)
    try:
        documents, rows = read_workbook(xlsx)
    except GoldImportError as error:
        fail(f"Error: {xlsx} has {len(error.problems)} problem(s); no gold file written:", 2, error.problems)
    written = write_gold(dest, documents, rows, merge)
    counts = ", ".join(f"{n} {kind}" for kind, n in written.items())
    typer.echo(f"{len(documents)} documents, {counts} -> {dest}", err=True)
