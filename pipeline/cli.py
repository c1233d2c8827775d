"""The `zhie` command line: run, eval, export, report, gold, train.

Commands are thin: they parse options, call a function that returns data,
and print. Exit codes: 0 success; 1 some documents failed (run) or a score is
below a `--min-f1` threshold (eval); 2 a usage error (a path that does not
exist, a bad option, invalid gold files).
"""
from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from pipeline import MODELS, __version__
from pipeline.eval_cli import eval_command
from pipeline.export import (
    MissingExtraError,
    export_command,
    export_tables,
    parse_formats,
    require_format_libraries,
)
from pipeline.gold_cli import app as gold_app
from pipeline.knowledge import KnowledgeError
from pipeline.knowledge_cli import app as knowledge_app
from pipeline.knowledge_cli import check_packs
from pipeline.knowledge_packs import AUTO
from pipeline.report_site import report_command
from pipeline.runner import DEFAULT_MAX_BYTES, Summary, UsageError, collect_inputs, run
from pipeline.stages import DEFAULT_NER, ENGINES, NER_BACKENDS
from pipeline.train import app as train_app

# The choices of --ner and --engine, from the registries in `pipeline.stages` (checked before any work).
NerChoice = Enum("NerChoice", {name: name for name in NER_BACKENDS}, type=str)
EngineChoice = Enum("EngineChoice", {name: name for name in ENGINES}, type=str)

app = typer.Typer(help="Offline Chinese information extraction: who did what, when and where.",
                  no_args_is_help=True, add_completion=False)
err = Console(stderr=True, soft_wrap=True)


def _reference(value: Optional[str]) -> Optional[str]:
    """A reference date as YYYY-MM-DD, YYYY-MM or YYYY that exists, checked before any document is read."""
    import datetime as dt
    import re

    if value is None:
        return value
    try:
        if not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", value):
            raise ValueError
        dt.date.fromisoformat((value + "-01-01")[:10])
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not a date written YYYY-MM-DD, YYYY-MM or YYYY") from None
    return value


def _export_formats(values: Optional[list[str]]) -> list[str]:
    """`--export` formats, known and with their libraries installed, before any document is read."""
    formats = parse_formats(values or [])
    try:
        require_format_libraries(formats)
    except MissingExtraError as exc:
        raise typer.BadParameter(str(exc)) from None
    return formats


def _version(value: bool) -> None:
    if value:
        typer.echo(f"zhie {__version__}")
        raise typer.Exit()


@app.callback()
def main(version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                      help="Print the version and exit.")) -> None:
    """Offline Chinese information extraction: who did what, when and where."""


# The options of `zhie run`, declared once (as sqlite-utils declares its shared option bundles).
INPUTS = typer.Argument(None, help="Files or folders of documents: text in any encoding; HTML, MHTML, PDF and DOCX "
                                   "with the formats extra. Default: data/raw.")
OUT = typer.Option(Path("data/out"), "--out", "-o", help="Output folder (JSONL files and clean/).")
WORKERS = typer.Option(1, "--workers", "-w", min=1, help="Processes; each loads the models once.")
REFERENCE_DATE = typer.Option(None, callback=_reference, help="Reference date (YYYY-MM-DD) for all documents, "
                                                               "instead of each one's own stamp or year.")
NER = typer.Option(DEFAULT_NER, "--ner", help="Statistical NER model: " + "; ".join(
    f"{name} ({what})" for name, what in NER_BACKENDS.items()) + ".")
NER_MODEL = typer.Option(None, help="The NER model: a folder (default models/ner_crf), or with --ner hanlp a HanLP "
                                    "model folder or HanLP id.")
RULES_ONLY = typer.Option(False, "--rules-only", help="Skip the statistical NER model (rules only).")
MAX_BYTES = typer.Option(DEFAULT_MAX_BYTES, help="Reject files larger than this many bytes.")
EXPORT = typer.Option(None, callback=_export_formats, help="Also export tables: csv, xlsx, parquet (repeatable or "
                                                           "comma-separated).")
RESUME = typer.Option(False, help="Reuse documents an earlier run into OUT finished, or an interrupted one got "
                                  "through, when their bytes and the settings (pipeline version, models, --ner, "
                                  "--reference-date, --pack, --knowledge) are the same.")
ENGINE = typer.Option("local", help="Where documents are processed: " + "; ".join(
    f"{name} ({what})" for name, what in ENGINES.items()) + ".")
FOLLOW_LINKS = typer.Option(False, "--follow-links", help="Follow symlinks that lead out of an input folder (by "
                                                          "default they are skipped, with a note).")
QUIET = typer.Option(False, "--quiet", "-q", help="No progress bar; only the summary line.")
PACK = typer.Option(AUTO, "--pack", help="Knowledge packs: auto (each document gets the packs its text calls for) "
                                         "or pack names, comma-separated, for every document (zhie knowledge list "
                                         "shows them).")
KNOWLEDGE_FOLDERS = typer.Option(None, "--knowledge", metavar="DIR", help="A folder of your own knowledge pack "
                                                                          "(see docs/knowledge.md); repeatable.")


@app.command("run")
def run_command(
    inputs: Optional[list[Path]] = INPUTS, out: Path = OUT, workers: int = WORKERS,
    reference_date: Optional[str] = REFERENCE_DATE, ner: NerChoice = NER, ner_model: Optional[str] = NER_MODEL,
    rules_only: bool = RULES_ONLY, max_bytes: int = MAX_BYTES, export: Optional[list[str]] = EXPORT,
    resume: bool = RESUME, engine: EngineChoice = ENGINE, follow_links: bool = FOLLOW_LINKS, quiet: bool = QUIET,
    pack: str = PACK, knowledge: Optional[list[Path]] = KNOWLEDGE_FOLDERS,
) -> None:
    """Extract entities, dates and events from documents into OUT (the files and fields: docs/output.md)."""
    backend, where = NerChoice(ner).value, EngineChoice(engine).value
    model = None if rules_only else ner_model or (MODELS / "ner_crf" if backend != "hanlp" else None)
    options = {"ner_model": model, "ner_backend": backend, "reference_date": reference_date, "pack": pack,
               "knowledge": [str(folder) for folder in knowledge or []]}
    paths = inputs or [Path("data/raw")]
    progress = Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                        TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn(), console=err, disable=quiet,
                        transient=True)
    try:
        if backend == "hanlp" and model is None and not rules_only:
            raise UsageError("--ner hanlp needs --ner-model: a HanLP model folder or HanLP id "
                             "(e.g. MSRA_NER_ELECTRA_SMALL_ZH)")
        check_packs(options["knowledge"], pack)
        total = len(collect_inputs(paths, exclude=out, follow_links=follow_links)[0])
        with progress:
            task = progress.add_task("documents", total=total)
            summary = run(paths, out, options, workers, max_bytes, resume=resume, engine=where,
                          follow_links=follow_links,
                          progress=lambda doc_id: progress.update(task, advance=1, description=doc_id))
    except (UsageError, RuntimeError, KnowledgeError) as exc:
        err.print(f"[red]error:[/red] {escape(str(exc))}")
        raise typer.Exit(2)
    except KeyboardInterrupt:
        err.print(f"interrupted; previous outputs in {escape(str(out))} kept; --resume continues")
        raise typer.Exit(130)
    _report(summary, out)
    for fmt in export or []:
        export_tables(out, fmt)
    if summary.failed:
        raise typer.Exit(1)


def _report(summary: Summary, out: Path) -> None:
    """The run's notes, failed documents and totals on stderr; exit 1 when nothing was published."""
    for note in summary.notes:
        err.print(f"note: {escape(note)}")
    for source, message in summary.errors:
        err.print(f"[red]failed:[/red] {escape(f'{source}: {message}')}")
    if not summary.published:
        err.print(f"[red]every document failed[/red]; nothing published, previous outputs in {escape(str(out))} kept")
        raise typer.Exit(1)
    speed = summary.chars / summary.seconds if summary.seconds else 0
    reused = f" ({summary.reused} reused)" if summary.reused else ""
    err.print(f"{summary.ok} documents ok{reused}, {summary.failed} failed, {summary.entities} entities, "
              f"{summary.events} events in {summary.seconds:.1f} s ({speed:,.0f} chars/s) -> {out}")

app.command("eval")(eval_command)
app.command("export")(export_command)
app.command("report")(report_command)
app.add_typer(gold_app, name="gold")
app.add_typer(knowledge_app, name="knowledge")
app.add_typer(train_app, name="train", help="Train the models shipped in models/ from ../shared/corpora.")
