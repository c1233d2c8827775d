"""The `eval` command: score tables, the error listing and thresholds for users' CI.

Scoring itself is in `pipeline.evaluate`; this module only presents it.
"""
import json
import math
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer
from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from pipeline.cli_errors import fail
from pipeline.evaluate import error_rows, score
from pipeline.evaluate_roles import load_roles, score_roles
from pipeline.gold_files import (
    LABELS,
    GoldFormatError,
    PredictionFormatError,
    load_gold,
    load_predictions,
    load_split,
    only_documents,
)
from pipeline.knowledge import KnowledgeError
from pipeline.knowledge_packs import PackSet

# Tables


def _cell(value: float, denominator: int) -> str:
    """A score, or "-" when there was nothing to score (the JSON says 0.0 and shows the counts)."""
    return f"{value:.3f}" if denominator else "-"


def _prf_cells(counts: dict[str, Any]) -> list[str]:
    tp, fp, fn = counts["tp"], counts["fp"], counts["fn"]
    return [_cell(counts["precision"], tp + fp), _cell(counts["recall"], tp + fn),
            _cell(counts["f1"], tp + fp + fn), f"{tp}/{fp}/{fn}"]


def _f1_cell(counts: dict[str, Any]) -> str:
    return _cell(counts["f1"], counts["tp"] + counts["fp"] + counts["fn"])


def _share_cell(value: float, hits: int, compared: int) -> str:
    return f"{_cell(value, compared)} ({hits}/{compared})"


def _table(title: str, first: str, headers: list[str], rows: list[tuple[str, list[str]]],
           total_last: bool = False) -> Table:
    table = Table(title=title, title_justify="left", box=box.SIMPLE_HEAD)
    table.add_column(first, overflow="fold")
    for header in headers:
        table.add_column(header, justify="right", no_wrap=True)
    for index, (name, cells) in enumerate(rows, start=1):
        total = total_last and index == len(rows)
        table.add_row(Text(name), *cells, style="bold" if total else None,
                      end_section=total_last and index == len(rows) - 1)
    return table


def _document_table(title: str, headers: list[str], scores: dict[str, Any],
                    cells: Callable[[dict[str, Any]], list[str]]) -> Table:
    rows = [(doc_id, cells(doc_scores)) for doc_id, doc_scores in scores["documents"].items()]
    rows.append((f"micro ({len(rows)} doc{'' if len(rows) == 1 else 's'})", cells(scores["micro"])))
    return _table(title, "document", headers, rows, total_last=True)


def _entity_cells(scores: dict[str, Any]) -> list[str]:
    entities = scores["entities"]
    return [*_prf_cells(entities), *(_f1_cell(entities["per_label"][label]) for label in LABELS),
            _f1_cell(scores["entities_canonical"])]


def _date_cells(scores: dict[str, Any]) -> list[str]:
    dates = scores["dates"]
    return [*_prf_cells(dates),
            _share_cell(dates["interval_accuracy"], dates["interval_correct"], dates["interval_compared"])]


def _strict_cells(scores: dict[str, Any]) -> list[str]:
    events = scores["events"]
    return [*_prf_cells(events["strict"]),
            _share_cell(events["what_agreement"], events["what_agreed"], events["what_compared"]),
            _share_cell(events["where_agreement"], events["where_agreed"], events["where_compared"])]


def _relaxed_cells(scores: dict[str, Any]) -> list[str]:
    events = scores["events"]
    return [*_prf_cells(events["relaxed"]),
            _share_cell(events["when_accuracy"], events["strict"]["tp"], events["relaxed"]["tp"])]


def _action_table(micro: dict[str, Any]) -> Table:
    rows = [(action, _prf_cells(counts["strict"]) + _prf_cells(counts["relaxed"]))
            for action, counts in micro["events"]["per_action"].items()
            if counts["relaxed"]["tp"] + counts["relaxed"]["fp"] + counts["relaxed"]["fn"]]
    headers = ["strict P", "R", "F1", "tp/fp/fn", "relaxed P", "R", "F1", "tp/fp/fn"]
    return _table("Events per action, micro (actions with no items left out)",
                  "action", headers, rows)


def render_tables(scores: dict[str, Any]) -> list[Table]:
    """Tables of `score`'s result: one row per document and a micro row, for a 100-column terminal."""
    return [
        _document_table("Entities: distinct (label, canonical); F1 per label and canonical-only",
                        ["P", "R", "F1", "tp/fp/fn", "PERSON", "ORG", "LOC", "canonical"], scores,
                        _entity_cells),
        _document_table("Dates: distinct (text, start, end); interval accuracy",
                        ["P", "R", "F1", "tp/fp/fn", "interval"], scores, _date_cells),
        _document_table("Events, strict: (who, action, start, end); what/where agreement",
                        ["P", "R", "F1", "tp/fp/fn", "what", "where"], scores, _strict_cells),
        _document_table("Events, relaxed: (who, action); when = strict tp / relaxed tp",
                        ["P", "R", "F1", "tp/fp/fn", "when"], scores, _relaxed_cells),
        _action_table(scores["micro"]),
    ] + ([_document_table("Roles: relaxed (person, title), strict with the organisation",
                          ["P", "R", "F1", "tp/fp/fn", "strict P", "strict R", "strict F1", "strict tp/fp/fn"],
                          scores, lambda s: [*_prf_cells(s["roles"]["relaxed"]), *_prf_cells(s["roles"]["strict"])])]
         if "roles" in scores["micro"] else [])


def render_errors(rows: list[dict[str, Any]]) -> Table:
    """The rows of `error_rows` as one table."""
    table = Table(title="False positives (FP) and false negatives (FN)", title_justify="left",
                  box=box.SIMPLE_HEAD)
    for header in ("document", "kind", "error"):
        table.add_column(header, no_wrap=True)
    table.add_column("item", overflow="fold", ratio=1)
    table.add_column("id", no_wrap=True)
    table.add_column("evidence", overflow="fold", ratio=2)
    for row in rows:
        short_id = (row["id"] or "").rpartition(":")[2]  # the doc_id is in its own column
        table.add_row(*map(Text, (row["doc_id"], row["kind"], row["error"], row["item"], short_id,
                                  row["evidence"] or "")))
    return table


# ---------------------------------------------------------------------------------------------------------
# Command


def _lookup(scores: dict[str, Any], dotted: str) -> Any:
    value: Any = scores
    for key in dotted.split("."):
        if not isinstance(value, dict) or key not in value:
            return None
        value = value[key]
    return value


def _parse_thresholds(specs: list[str]) -> dict[str, float]:
    """KEY=VALUE options, checked against the shape of the scores before any file is read."""
    shape = score({}, {})["micro"]
    thresholds = {}
    for spec in specs:
        key, _, value = spec.partition("=")
        try:
            minimum = float(value)
        except ValueError:
            minimum = math.nan
        if not 0 <= minimum <= 1:  # also refuses NaN
            raise typer.BadParameter(f"{spec!r} is not KEY=VALUE with a VALUE from 0 to 1",
                                     param_hint="'--min-f1'")
        if not isinstance(_lookup(shape, key), float):
            raise typer.BadParameter(f"{key!r} is not a score; use a dotted path into the micro scores "
                                     "such as entities.f1, events.strict.f1 or dates.interval_accuracy",
                                     param_hint="'--min-f1'")
        thresholds[key] = minimum
    return thresholds


def _add_role_scores(scores: dict[str, Any], gold: Path, gold_files: dict[str, list[dict]], out: Path) -> None:
    """Roles scores beside the others when the gold set has `roles.jsonl` (for its scored documents)."""
    try:
        roles = load_roles(gold)
    except GoldFormatError as error:
        fail(f"Error: the gold files in {gold} have {len(error.problems)} problem(s):", 2, error.problems)
    if roles is None:
        return
    doc_ids = set(scores["documents"])
    result = score_roles([r for r in roles if r["doc_id"] in doc_ids], gold_files["entities"], out, doc_ids)
    scores["micro"]["roles"] = result["micro"]
    for doc_id, block in result["documents"].items():
        scores["documents"][doc_id]["roles"] = block


def _check_coverage(gold_files: dict[str, list[dict]], pred_files: dict[str, list[dict]], out: Path,
                    strict: bool) -> None:
    """Refuse a run that shares no document with the gold; warn of (or, strict, fail on) absent ones."""
    gold_ids = {row["doc_id"] for rows in gold_files.values() for row in rows}
    run_ids = {row["doc_id"] for row in pred_files["documents"] if row.get("status") == "ok"}
    if gold_ids and not gold_ids & run_ids:
        fail(f"Error: the run in {out} holds none of the {len(gold_ids)} gold documents (doc_ids differ, or "
             "another folder was meant).", 2)
    absent = sorted(gold_ids - run_ids)
    if absent:
        shown = ", ".join(absent[:8]) + (f" and {len(absent) - 8} more" if len(absent) > 8 else "")
        typer.echo(f"warning: {len(absent)} of {len(gold_ids)} gold documents are not in the run (or failed "
                   f"there), scored as all missed: {shown}", err=True)
        if strict:
            raise typer.Exit(code=1)


def _read_inputs(gold: Path, out: Path, split: str | None,
                 knowledge: list[Path]) -> tuple[dict[str, list[dict]], dict[str, list[dict]]]:
    """The gold files (of `split`, when given) and the run's predictions; exit 2 naming any problem."""
    for option, folder in (("--gold", gold), ("--out", out)):
        if not folder.is_dir():
            fail(f"Error: {option} folder {folder} does not exist.", 2)
    try:
        actions = PackSet(knowledge).actions()
    except KnowledgeError as error:
        fail(f"Error: {error}", 2)
    try:
        gold_files = load_gold(gold, actions)
        if split is not None:
            gold_files = only_documents(gold_files, load_split(gold, split))
    except GoldFormatError as error:
        fail(f"Error: the gold files in {gold} have {len(error.problems)} problem(s):", 2, error.problems)
    try:
        pred_files = load_predictions(out)
    except PredictionFormatError as error:
        fail(f"Error: the pipeline output in {out} has {len(error.problems)} problem(s):", 2, error.problems)
    return gold_files, pred_files


def _show(scores: dict, errors: list[dict] | None, as_json: bool) -> None:
    """The scores (and errors, when asked for) as JSON or as tables."""
    if as_json:
        payload = scores | ({"errors": errors} if errors is not None else {})
        typer.echo(json.dumps(payload, ensure_ascii=False, indent=2))
        return
    # Wide enough for the per-document tables even when piped (rich assumes 80 columns then).
    console = Console(width=max(Console().width, 120))
    for table in render_tables(scores):
        console.print(table)
    if errors is not None:
        console.print(render_errors(errors) if errors else "No false positives or false negatives.")


# The options of `zhie eval`, declared once.
GoldFolder = Annotated[Path, typer.Option("--gold", help="Folder with the gold entities.jsonl, dates.jsonl and "
                                                         "events.jsonl.")]
RunFolder = Annotated[Path, typer.Option("--out", help="Output folder of a pipeline run (documents/entities/dates/"
                                                       "events.jsonl); eval.json is written here.")]
AsJson = Annotated[bool, typer.Option("--json", help="Print the scores as JSON to stdout instead of tables.")]
ShowErrors = Annotated[bool, typer.Option("--errors", help="Also list false positives and false negatives, with the "
                                                           "predicted sentence (under --json: an \"errors\" key).")]
Split = Annotated[str | None, typer.Option("--split", metavar="NAME", help="Score only the documents of split NAME "
                                                                           "(e.g. dev, test) listed in GOLD/split.json.")]
HtmlPage = Annotated[Path | None, typer.Option("--html", metavar="PAGE", help="Also write a self-contained page "
                                               "showing each document's text with right, extra and missed entities "
                                               "and dates, and its events.")]
Strict = Annotated[bool, typer.Option("--strict", help="Fail with exit code 1 when a gold document is missing from "
                                                       "the run (by default a warning; it is scored as all missed).")]
MinF1 = Annotated[list[str] | None, typer.Option("--min-f1", metavar="KEY=VALUE", help="Fail with exit code 1 if the "
                                                 "micro score KEY, a dotted path such as entities.f1, "
                                                 "events.strict.f1 or dates.interval_accuracy, is below VALUE. "
                                                 "Repeatable.")]
KnowledgeFolders = Annotated[list[Path] | None, typer.Option("--knowledge", metavar="DIR", help="A folder of your own "
                                                             "knowledge pack whose action classes the gold may use "
                                                             "too; repeatable.")]


def eval_command(
    gold: GoldFolder = Path("data/gold"), out: RunFolder = Path("data/out"), as_json: AsJson = False,
    show_errors: ShowErrors = False, split: Split = None, html: HtmlPage = None, strict: Strict = False,
    min_f1: MinF1 = None, knowledge: KnowledgeFolders = None,
) -> None:
    """Score a pipeline run against hand-labelled gold files.

    Prints precision, recall and F1 per document and micro-averaged over the gold's
    documents: entities (per label, and canonical names without aliases), dates (with
    interval accuracy), events strict and relaxed (per action, with when accuracy and
    what/where agreement). Predictions for documents not in the gold are ignored.
    The scores are also written to OUT/eval.json.

    Exit codes: 0 scored, 1 a --min-f1 threshold was missed (or, with --strict, a gold document is
    missing from the run), 2 missing or invalid input, or a run that holds none of the gold documents.
    """
    thresholds = _parse_thresholds(min_f1 or [])
    gold_files, pred_files = _read_inputs(gold, out, split, knowledge or [])
    _check_coverage(gold_files, pred_files, out, strict)
    scores = score(gold_files, pred_files)
    _add_role_scores(scores, gold, gold_files, out)
    eval_json = out / ("eval.json" if split is None else f"eval-{split}.json")
    eval_json.write_text(json.dumps(scores, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    if html is not None:
        from pipeline.eval_page import write_eval_page

        typer.echo(f"Page written to {write_eval_page(html, gold_files, pred_files, scores, out)}", err=True)
    _show(scores, error_rows(gold_files, pred_files, out) if show_errors else None, as_json)
    typer.echo(f"Scores written to {eval_json}", err=True)

    missed = [(key, _lookup(scores["micro"], key), minimum) for key, minimum in thresholds.items()
              if _lookup(scores["micro"], key) < minimum]
    for key, value, minimum in missed:
        typer.echo(f"Below threshold: {key} = {value:.3f} < {minimum}", err=True)
    if missed:
        raise typer.Exit(code=1)
