"""Scoring against gold files: hand-made gold/prediction pairs with hand-computed scores."""
import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from pipeline.eval_cli import eval_command, render_tables
from pipeline.evaluate import error_rows, score
from pipeline.gold_files import (
    GoldFormatError,
    PredictionFormatError,
    load_gold,
    load_predictions,
)

DOC = "000_demo"
TEXT = "1月6日，黄芸出席上海市总工会座谈会。\n市总工会主席讲话。\n"


# ---------------------------------------------------------------------------------------------------------
# Rows and folders


def gold_entity(text, label="PERSON", aliases=(), doc=DOC):
    return {"doc_id": doc, "label": label, "text": text, "aliases": list(aliases)}


def pred_entity(canonical, label="PERSON", doc=DOC, start=0, n=0):
    return {"doc_id": doc, "mention_id": f"{doc}:m{n}", "text": canonical, "label": label, "start": start,
            "end": start + len(canonical), "sentence_id": 0, "canonical": canonical}


def gold_date(text, start, end=None, doc=DOC):
    return {"doc_id": doc, "text": text, "start": start, "end": end or start}


def pred_date(text, start, end=None, doc=DOC, offset=0, n=0):
    return {"doc_id": doc, "date_id": f"{doc}:d{n}", "text": text, "start": offset, "end": offset + len(text),
            "value_start": start, "value_end": end or start, "granularity": "day", "anchor": "explicit"}


def gold_event(who, action="ATTEND", start=None, end=None, what=None, where=None, aliases=(), doc=DOC):
    return {"doc_id": doc, "who": who, "who_aliases": list(aliases), "action": action, "start": start,
            "end": end or start, "what": what, "where": where}


def pred_event(who, action="ATTEND", start=None, end=None, what=None, where=None, doc=DOC, evidence="", n=0):
    when = None
    if start is not None:
        when = {"text": start, "start": start, "end": end or start, "granularity": "day"}
    return {"doc_id": doc, "event_id": f"{doc}:e{n}", "sentence_id": 0,
            "who": {"text": who, "label": "PERSON", "canonical": who, "title": None, "affiliation": None},
            "action": action, "trigger": "出席", "what": what, "where": where, "when": when,
            "evidence": evidence, "confidence": 0.9}


def write_jsonl(path: Path, rows) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows), encoding="utf-8")


def write_folder(folder: Path, entities=(), dates=(), events=(), documents=None) -> Path:
    files = {"entities": entities, "dates": dates, "events": events}
    if documents is not None:
        files["documents"] = documents
    for kind, rows in files.items():
        write_jsonl(folder / f"{kind}.jsonl", rows)
    return folder


def write_pred(folder: Path, entities=(), dates=(), events=()) -> Path:
    doc_ids = sorted({row["doc_id"] for row in [*entities, *dates, *events]})
    documents = [{"doc_id": doc_id, "status": "ok", "error": None} for doc_id in doc_ids]
    return write_folder(folder, entities, dates, events, documents)


def micro(tmp_path: Path, gold: dict, pred: dict) -> dict:
    """Write both folders, read them back as the CLI does, and return the micro scores."""
    write_folder(tmp_path / "gold", **gold)
    write_pred(tmp_path / "out", **pred)
    return score(load_gold(tmp_path / "gold"), load_predictions(tmp_path / "out"))["micro"]


def prf(precision, recall, f1, tp, fp, fn) -> dict:
    return {"precision": precision, "recall": recall, "f1": f1, "tp": tp, "fp": fp, "fn": fn}


def overall(section: dict) -> dict:
    """The P/R/F1 and counts of a section, without its breakdowns (per label, interval accuracy)."""
    return {key: section[key] for key in ("precision", "recall", "f1", "tp", "fp", "fn")}


ZERO = prf(0.0, 0.0, 0.0, 0, 0, 0)
GOLD = {
    "entities": [gold_entity("黄芸"), gold_entity("上海市总工会", "ORG", ["市总工会"])],
    "dates": [gold_date("1月6日", "2023-01-06")],
    "events": [gold_event("黄芸", "ATTEND", "2023-01-06", what="座谈会"), gold_event("黄芸", "SPEAK")],
}
PERFECT = {
    "entities": [pred_entity("黄芸"), pred_entity("上海市总工会", "ORG", n=1)],
    "dates": [pred_date("1月6日", "2023-01-06")],
    "events": [pred_event("黄芸", "ATTEND", "2023-01-06", what="座谈会"), pred_event("黄芸", "SPEAK", n=1)],
}


# ---------------------------------------------------------------------------------------------------------
# Whole prediction sets


def test_perfect_prediction_scores_one_everywhere(tmp_path):
    scores = micro(tmp_path, GOLD, PERFECT)
    assert [scores["entities"]["f1"], scores["entities_canonical"]["f1"], scores["dates"]["f1"],
            scores["dates"]["interval_accuracy"], scores["events"]["strict"]["f1"],
            scores["events"]["relaxed"]["f1"], scores["events"]["when_accuracy"],
            scores["events"]["what_agreement"]] == [1.0] * 8


def test_empty_prediction_counts_every_gold_item_as_false_negative(tmp_path):
    scores = micro(tmp_path, GOLD, {})
    assert [overall(scores["entities"]), overall(scores["dates"]), scores["events"]["strict"]] == [
        prf(0.0, 0.0, 0.0, 0, 0, 2), prf(0.0, 0.0, 0.0, 0, 0, 1), prf(0.0, 0.0, 0.0, 0, 0, 2)]


def test_empty_gold_scores_nothing_and_shows_zero_counts(tmp_path):
    write_folder(tmp_path / "gold")
    write_pred(tmp_path / "out", **PERFECT)
    scores = score(load_gold(tmp_path / "gold"), load_predictions(tmp_path / "out"))
    assert (scores["documents"], scores["micro"]["entities_canonical"],
            scores["micro"]["events"]["relaxed"]) == ({}, ZERO, ZERO)


def test_prediction_for_a_document_absent_from_gold_is_ignored(tmp_path):
    extra = {"entities": [*PERFECT["entities"], pred_entity("徐明", doc="999_other")]}
    scores = micro(tmp_path, {"entities": GOLD["entities"]}, extra)
    assert overall(scores["entities"]) == prf(1.0, 1.0, 1.0, 2, 0, 0)


def test_gold_document_without_predictions_is_all_false_negatives(tmp_path):
    gold = {"entities": [gold_entity("黄芸"), gold_entity("徐明", doc="001_missing")]}
    write_folder(tmp_path / "gold", **gold)
    write_pred(tmp_path / "out", entities=[pred_entity("黄芸")])
    scores = score(load_gold(tmp_path / "gold"), load_predictions(tmp_path / "out"))
    assert overall(scores["documents"]["001_missing"]["entities"]) == prf(0.0, 0.0, 0.0, 0, 0, 1)


def test_scores_do_not_depend_on_file_order(tmp_path):
    # 郑海森 is both an OCR variant of 郑海淼 and a person of its own: pairing 郑海森 with the first
    # gold entity would leave 郑海淼 unmatched; a maximum matching credits both.
    gold = [gold_entity("郑海淼", aliases=["郑海森"]), gold_entity("郑海森")]
    pred = [pred_entity("郑海森"), pred_entity("郑海淼", n=1)]
    forward = micro(tmp_path / "a", {"entities": gold}, {"entities": pred})
    backward = micro(tmp_path / "b", {"entities": gold[::-1]}, {"entities": pred[::-1]})
    assert (overall(forward["entities"]), overall(backward["entities"])) == (prf(1.0, 1.0, 1.0, 2, 0, 0),) * 2


# ---------------------------------------------------------------------------------------------------------
# Entities


def test_predicted_short_form_matches_gold_alias(tmp_path):
    gold = {"entities": [gold_entity("上海市总工会", "ORG", ["市总工会"])]}
    scores = micro(tmp_path, gold, {"entities": [pred_entity("市总工会", "ORG")]})
    assert overall(scores["entities"]) == prf(1.0, 1.0, 1.0, 1, 0, 0)


def test_entities_canonical_ignores_aliases(tmp_path):
    gold = {"entities": [gold_entity("上海市总工会", "ORG", ["市总工会"])]}
    scores = micro(tmp_path, gold, {"entities": [pred_entity("市总工会", "ORG")]})
    assert scores["entities_canonical"] == prf(0.0, 0.0, 0.0, 0, 1, 1)


def test_two_predicted_names_for_one_gold_entity_give_one_true_and_one_false_positive(tmp_path):
    gold = {"entities": [gold_entity("上海市总工会", "ORG", ["市总工会"])]}
    pred = {"entities": [pred_entity("上海市总工会", "ORG"), pred_entity("市总工会", "ORG", n=1)]}
    assert overall(micro(tmp_path, gold, pred)["entities"]) == prf(0.5, 1.0, 2 / 3, 1, 1, 0)


def test_repeated_mentions_count_once(tmp_path):
    pred = {"entities": [pred_entity("黄芸"), pred_entity("黄芸", start=9, n=1)]}
    scores = micro(tmp_path, {"entities": [gold_entity("黄芸")]}, pred)
    assert overall(scores["entities"]) == prf(1.0, 1.0, 1.0, 1, 0, 0)


def test_per_label_scores_count_a_wrong_label_against_both_labels(tmp_path):
    gold = {"entities": [gold_entity("黄芸"), gold_entity("上海市总工会", "ORG")]}
    pred = {"entities": [pred_entity("黄芸"), pred_entity("上海市总工会", "PERSON", n=1)]}
    per_label = micro(tmp_path, gold, pred)["entities"]["per_label"]
    assert per_label == {"PERSON": prf(0.5, 1.0, 2 / 3, 1, 1, 0), "ORG": prf(0.0, 0.0, 0.0, 0, 0, 1),
                         "LOC": ZERO}


# ---------------------------------------------------------------------------------------------------------
# Dates


def test_interval_accuracy_counts_gold_dates_whose_text_was_found(tmp_path):
    gold = {"dates": [gold_date("1月6日", "2023-01-06"), gold_date("5月", "2023-05-01", "2023-05-31"),
                      gold_date("年底", "2023-11-01", "2023-12-31")]}
    pred = {"dates": [pred_date("1月6日", "2023-01-06"), pred_date("5月", "2023-05-01", n=1),
                      pred_date("春节", "2023-01-22", n=2)]}
    dates = micro(tmp_path, gold, pred)["dates"]
    assert dates == {**prf(1 / 3, 1 / 3, 1 / 3, 1, 2, 2),
                     "interval_accuracy": 0.5, "interval_correct": 1, "interval_compared": 2}


# ---------------------------------------------------------------------------------------------------------
# Events


def test_repeated_gold_event_matched_by_one_prediction(tmp_path):
    gold = {"events": [gold_event("黄芸", start="2023-01-06")] * 2}
    scores = micro(tmp_path, gold, {"events": [pred_event("黄芸", start="2023-01-06")]})
    assert scores["events"]["strict"] == prf(1.0, 0.5, 2 / 3, 1, 0, 1)


def test_repeated_gold_event_matched_by_two_predictions(tmp_path):
    gold = {"events": [gold_event("黄芸", start="2023-01-06")] * 2}
    scores = micro(tmp_path, gold, {"events": [pred_event("黄芸", start="2023-01-06")] * 2})
    assert scores["events"]["strict"] == prf(1.0, 1.0, 1.0, 2, 0, 0)


def test_event_without_time_matches_strictly_when_prediction_has_no_time(tmp_path):
    scores = micro(tmp_path, {"events": [gold_event("黄芸")]}, {"events": [pred_event("黄芸")]})
    assert scores["events"]["strict"] == prf(1.0, 1.0, 1.0, 1, 0, 0)


def test_event_who_matches_gold_who_aliases(tmp_path):
    gold = {"events": [gold_event("郑海淼", aliases=["郑海森"])]}
    scores = micro(tmp_path, gold, {"events": [pred_event("郑海森")]})
    assert scores["events"]["strict"] == prf(1.0, 1.0, 1.0, 1, 0, 0)


def test_when_accuracy_is_strict_over_relaxed_true_positives(tmp_path):
    gold = {"events": [gold_event("黄芸", start="2023-01-06"), gold_event("徐明", start="2023-01-06"),
                       gold_event("展杰", start="2023-01-07")]}
    pred = {"events": [pred_event("黄芸", start="2023-01-06"), pred_event("徐明", start="2023-01-06", n=1),
                       pred_event("展杰", start="2023-01-06", n=2)]}
    events = micro(tmp_path, gold, pred)["events"]
    assert (events["when_accuracy"], events["strict"]["tp"], events["relaxed"]["tp"]) == (2 / 3, 2, 3)


def test_what_and_where_agree_by_containment_among_strict_matches(tmp_path):
    gold = {"events": [gold_event("黄芸", what="党史学习教育", where="上海市总工会大厦"),
                       gold_event("徐明", what="座谈会"), gold_event("展杰")]}
    pred = {"events": [pred_event("黄芸", what="党史学习教育动员大会", where="大厦"),
                       pred_event("徐明", what="研讨会", where="会议室", n=1), pred_event("展杰", what="报告", n=2)]}
    events = micro(tmp_path, gold, pred)["events"]
    assert {key: events[key] for key in ("what_agreement", "what_agreed", "what_compared", "where_agreement",
                                         "where_agreed", "where_compared")} == {
        "what_agreement": 0.5, "what_agreed": 1, "what_compared": 2,
        "where_agreement": 1.0, "where_agreed": 1, "where_compared": 1}


def test_identical_gold_tuples_are_paired_with_the_agreeing_predictions(tmp_path):
    gold = {"events": [gold_event("黄芸", what="座谈会"), gold_event("黄芸", what="党史学习教育")]}
    pred = {"events": [pred_event("黄芸", what="党史学习教育"), pred_event("黄芸", what="座谈会", n=1)]}
    assert micro(tmp_path, gold, pred)["events"]["what_agreement"] == 1.0


def test_per_action_scores_split_strict_and_relaxed(tmp_path):
    gold = {"events": [gold_event("黄芸", "ATTEND", "2023-01-06"), gold_event("黄芸", "SPEAK", "2023-01-06")]}
    pred = {"events": [pred_event("黄芸", "ATTEND", "2023-01-06"),
                       pred_event("黄芸", "SPEAK", "2023-01-07", n=1)]}
    per_action = micro(tmp_path, gold, pred)["events"]["per_action"]
    assert (per_action["ATTEND"], per_action["SPEAK"], per_action["MEET"]) == (
        {"strict": prf(1.0, 1.0, 1.0, 1, 0, 0), "relaxed": prf(1.0, 1.0, 1.0, 1, 0, 0)},
        {"strict": prf(0.0, 0.0, 0.0, 0, 1, 1), "relaxed": prf(1.0, 1.0, 1.0, 1, 0, 0)},
        {"strict": ZERO, "relaxed": ZERO})


def test_whitespace_and_stars_are_ignored_in_every_compared_string(tmp_path):
    gold = {"entities": [gold_entity("黄芸")], "dates": [gold_date("1月6日", "2023-01-06")],
            "events": [gold_event("黄芸", what="座谈会")]}
    pred = {"entities": [pred_entity("**黄 芸**")], "dates": [pred_date("1 月 6 日", "2023-01-06")],
            "events": [pred_event("黄\u3000芸", what="**座谈会**")]}
    scores = micro(tmp_path, gold, pred)
    assert [scores["entities"]["tp"], scores["dates"]["tp"], scores["events"]["strict"]["tp"],
            scores["events"]["what_agreed"]] == [1, 1, 1, 1]


# ---------------------------------------------------------------------------------------------------------
# Reading files


def test_invalid_gold_lines_are_all_reported_with_file_and_line(tmp_path):
    folder = write_folder(tmp_path / "gold", entities=[gold_entity("黄芸")],
                          dates=[gold_date("1月6日", "2023-01-06", "2023-01-05"), gold_date("5月", "2023-5-1")],
                          events=[gold_event("黄芸", "LISTEN"), {**gold_event("黄芸"), "start": "2023-01-06"}])
    with (folder / "entities.jsonl").open("a", encoding="utf-8") as file:
        file.write('{"doc_id": "000_demo", "label": "PER"\n[1]\n{"doc_id": "000_demo", "label": "LOC", '
                   '"text": "上海", "aliases": "沪"}\n' + json.dumps(gold_entity("黄 芸")) + "\n")
    with pytest.raises(GoldFormatError) as raised:
        load_gold(folder)
    assert raised.value.problems == [
        "entities.jsonl:2: not JSON (Expecting ',' delimiter at column 38)",
        "entities.jsonl:3: expected a JSON object, got list",
        "entities.jsonl:4: aliases must be a list",
        "entities.jsonl:5: duplicate of line 1",
        "dates.jsonl:1: start 2023-01-06 is after end 2023-01-05",
        "dates.jsonl:2: start '2023-5-1' is not a date YYYY-MM-DD",
        "dates.jsonl:2: end '2023-5-1' is not a date YYYY-MM-DD",
        "events.jsonl:1: action 'LISTEN' is not one of ATTEND, SPEAK, PRESIDE, ORGANIZE, AWARD, VISIT, MEET, "
        "SIGN, ELECT, ISSUE, RECEIVE, FOUND",
        "events.jsonl:2: start and end must both be dates or both be null",
    ]


def test_gold_row_missing_keys_and_bad_label_are_reported(tmp_path):
    folder = write_folder(tmp_path / "gold", entities=[{"doc_id": DOC, "label": "PER", "text": "黄芸"}])
    with pytest.raises(GoldFormatError) as raised:
        load_gold(folder)
    assert raised.value.problems == ["entities.jsonl:1: missing key 'aliases'"]


def test_missing_gold_file_is_a_problem(tmp_path):
    folder = write_folder(tmp_path / "gold")
    (folder / "events.jsonl").unlink()
    with pytest.raises(GoldFormatError) as raised:
        load_gold(folder)
    assert raised.value.problems == [f"events.jsonl: file not found in {folder}"]


def test_missing_prediction_file_is_named(tmp_path):
    folder = write_pred(tmp_path / "out")
    (folder / "dates.jsonl").unlink()
    with pytest.raises(PredictionFormatError) as raised:
        load_predictions(folder)
    assert raised.value.problems == [f"dates.jsonl: file not found in {folder}"]


def test_prediction_line_that_is_not_json_is_named(tmp_path):
    folder = write_pred(tmp_path / "out")
    (folder / "events.jsonl").write_text("{oops\n", encoding="utf-8")
    with pytest.raises(PredictionFormatError) as raised:
        load_predictions(folder)
    assert raised.value.problems == [
        "events.jsonl:1: not JSON (Expecting property name enclosed in double quotes at column 2)"]


# ---------------------------------------------------------------------------------------------------------
# Errors listing and tables


def test_error_rows_give_the_sentence_of_a_false_positive_entity(tmp_path):
    write_folder(tmp_path / "gold", entities=[gold_entity("黄芸")])
    out = write_pred(tmp_path / "out", entities=[pred_entity("黄芸", start=TEXT.index("黄芸")),
                                                 pred_entity("主席", start=TEXT.index("主席"), n=1)])
    first_end = TEXT.index("\n")
    write_jsonl(out / "sentences.jsonl", [{"doc_id": DOC, "sentence_id": 0, "start": 0, "end": first_end},
                                          {"doc_id": DOC, "sentence_id": 1, "start": first_end + 1,
                                           "end": len(TEXT) - 1}])
    (out / "clean").mkdir()
    (out / "clean" / f"{DOC}.txt").write_text(TEXT, encoding="utf-8")
    rows = error_rows(load_gold(tmp_path / "gold"), load_predictions(out), out)
    assert rows == [{"doc_id": DOC, "kind": "entity", "error": "FP", "item": "PERSON 主席",
                     "id": f"{DOC}:m1", "evidence": "市总工会主席讲话。"}]


def test_error_rows_list_event_false_negatives_and_positives(tmp_path):
    write_folder(tmp_path / "gold", events=[gold_event("黄芸", start="2023-01-06", what="座谈会")])
    out = write_pred(tmp_path / "out", events=[pred_event("黄芸", start="2023-01-07", evidence="黄芸出席座谈会。")])
    rows = error_rows(load_gold(tmp_path / "gold"), load_predictions(out), out)
    assert rows == [
        {"doc_id": DOC, "kind": "event", "error": "FN", "item": "黄芸 ATTEND 2023-01-06 what=座谈会",
         "id": None, "evidence": None},
        {"doc_id": DOC, "kind": "event", "error": "FP", "item": "黄芸 ATTEND 2023-01-07", "id": f"{DOC}:e0",
         "evidence": "黄芸出席座谈会。"}]


def test_tables_have_a_row_per_document_and_a_micro_row(tmp_path):
    write_folder(tmp_path / "gold", **GOLD)
    write_pred(tmp_path / "out", **PERFECT)
    scores = score(load_gold(tmp_path / "gold"), load_predictions(tmp_path / "out"))
    # four tables with 000_demo and micro, then the per-action table with ATTEND and SPEAK
    assert [table.row_count for table in render_tables(scores)] == [2, 2, 2, 2, 2]


# ---------------------------------------------------------------------------------------------------------
# Command line


@pytest.fixture
def run(tmp_path):
    """Invoke `eval` on an app registering it as the lead does, on folders under tmp_path."""
    app = typer.Typer()
    app.command("eval")(eval_command)

    @app.callback()
    def main() -> None:
        """Keep `eval` a subcommand, as in the real app."""

    def invoke(*args):
        return CliRunner().invoke(app, ["eval", "--gold", str(tmp_path / "gold"),
                                        "--out", str(tmp_path / "out"), *args])
    return invoke


@pytest.fixture
def perfect_run(tmp_path):
    write_folder(tmp_path / "gold", **GOLD)
    write_pred(tmp_path / "out", **PERFECT)


def test_cli_reports_invalid_gold_with_exit_code_2_and_no_traceback(tmp_path, run, perfect_run):
    (tmp_path / "gold" / "dates.jsonl").write_text('{"doc_id": "000_demo"}\n', encoding="utf-8")
    result = run()
    assert (result.exit_code, result.stderr) == (2, (
        f"Error: the gold files in {tmp_path / 'gold'} have 1 problem(s):\n"
        "  dates.jsonl:1: missing keys 'text', 'start', 'end'\n"))


def test_cli_missing_gold_folder_exits_2_with_a_message(tmp_path, run):
    write_pred(tmp_path / "out")
    result = run()
    message = f"Error: --gold folder {tmp_path / 'gold'} does not exist.\n"
    assert (result.exit_code, result.stderr) == (2, message)


def test_cli_json_prints_the_scores(run, perfect_run):
    result = run("--json")
    assert json.loads(result.stdout)["micro"]["events"]["strict"] == prf(1.0, 1.0, 1.0, 2, 0, 0)


def test_cli_writes_eval_json(tmp_path, run, perfect_run):
    result = run("--json")
    written = (tmp_path / "out" / "eval.json").read_text(encoding="utf-8")
    assert json.loads(written) == json.loads(result.stdout)


def test_cli_json_with_errors_adds_the_error_rows(tmp_path, run, perfect_run):
    write_pred(tmp_path / "out", entities=PERFECT["entities"][:1])
    result = run("--json", "--errors")
    assert json.loads(result.stdout)["errors"][0] == {
        "doc_id": DOC, "kind": "entity", "error": "FN", "item": "ORG 上海市总工会", "id": None, "evidence": None}


def test_cli_min_f1_missed_exits_1_naming_each_threshold(tmp_path, run, perfect_run):
    write_pred(tmp_path / "out", entities=PERFECT["entities"][:1], events=PERFECT["events"])
    result = run("--min-f1", "entities.f1=0.9", "--min-f1", "events.strict.f1=0.5",
                 "--min-f1", "dates.f1=0.1")
    assert (result.exit_code, result.stderr.splitlines()[1:]) == (1, [
        "Below threshold: entities.f1 = 0.667 < 0.9", "Below threshold: dates.f1 = 0.000 < 0.1"])


def test_cli_min_f1_met_exits_0(run, perfect_run):
    assert run("--min-f1", "entities.f1=1", "--min-f1", "events.when_accuracy=0.5").exit_code == 0


def test_cli_min_f1_unknown_key_exits_2(run, perfect_run):
    result = run("--min-f1", "entities.f2=0.5")
    assert (result.exit_code, "'entities.f2' is not a score" in result.stderr) == (2, True)


def test_cli_prints_tables(run, perfect_run):
    result = run()
    assert (result.exit_code, "micro (1 doc)" in result.stdout) == (0, True)


def test_cli_split_scores_only_the_documents_of_that_split(tmp_path, run, perfect_run):
    other = "001_other"
    write_folder(tmp_path / "gold", GOLD["entities"] + [gold_entity("王方", doc=other)],
                 GOLD["dates"], GOLD["events"])
    (tmp_path / "gold" / "split.json").write_text(json.dumps({"dev": [other], "test": [DOC]}),
                                                  encoding="utf-8")
    test = json.loads(run("--json", "--split", "test").stdout)
    dev = run("--json", "--split", "dev")
    assert (sorted(test["documents"]), test["micro"]["entities"]["f1"]) == ([DOC], 1.0)
    assert (tmp_path / "out" / "eval-test.json").exists()
    assert dev.exit_code == 2 and "holds none of the 1 gold documents" in dev.stderr


def test_cli_warns_of_gold_documents_absent_from_the_run_and_strict_fails(tmp_path, run, perfect_run):
    other = "001_other"
    write_folder(tmp_path / "gold", GOLD["entities"] + [gold_entity("王方", doc=other)],
                 GOLD["dates"], GOLD["events"])
    lenient, strict = run("--json"), run("--json", "--strict")
    assert lenient.exit_code == 0 and "1 of 2 gold documents are not in the run" in lenient.stderr
    assert json.loads(lenient.stdout)["micro"]["entities"]["recall"] < 1.0
    assert strict.exit_code == 1 and "001_other" in strict.stderr


def test_cli_split_unknown_or_without_split_file_exits_2(tmp_path, run, perfect_run):
    missing = run("--split", "test")
    (tmp_path / "gold" / "split.json").write_text(json.dumps({"dev": [DOC]}), encoding="utf-8")
    unknown = run("--split", "test")
    assert (missing.exit_code, "no split file" in missing.stderr) == (2, True)
    assert (unknown.exit_code, "no split 'test' (it has dev)" in unknown.stderr) == (2, True)
