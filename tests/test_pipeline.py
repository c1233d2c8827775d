"""End to end: the five documents through the CLI, checked by the shared validator."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest
import spacy

from conftest import ROOT, SHARED
from pipeline import stages


def read_jsonl(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_output_passes_the_shared_validator(run_output):
    result = subprocess.run([sys.executable, str(SHARED / "tools" / "check_output.py"), str(run_output)],
                            capture_output=True, text=True)
    assert result.stdout.strip().endswith(f"0 problems in {run_output}"), result.stdout


def test_the_five_documents_are_ok_and_score_against_their_gold(run_output):
    from pipeline.evaluate import score
    from pipeline.gold_files import load_gold, load_predictions

    assert [d["status"] for d in read_jsonl(run_output / "documents.jsonl")] == ["ok"] * 5
    micro = score(load_gold(ROOT / "data" / "gold"), load_predictions(run_output))["micro"]
    # Floors a little under the figures in README.md: a regression of a few items shows.
    assert micro["entities"]["f1"] >= 0.92
    assert micro["dates"]["f1"] >= 0.98
    assert micro["events"]["strict"]["f1"] >= 0.94
    assert micro["events"]["when_accuracy"] >= 0.99


def test_entity_ids_are_shared_across_documents(run_output):
    index = read_jsonl(run_output / "entity_index.jsonl")
    mentions = read_jsonl(run_output / "entities.jsonl")
    ids = {e["entity_id"] for e in index}
    assert {m["entity_id"] for m in mentions} == ids
    assert any(len(e["documents"]) > 1 for e in index)  # 上海 appears in several documents


def test_pipes_declare_a_complete_contract(nlp):
    assert [name for name, _ in nlp.pipeline] == list(stages.ORDER)
    problems = nlp.analyze_pipes()["problems"]
    assert all(not missing for missing in problems.values()), problems


def test_misordered_pipeline_names_what_is_missing():
    from pipeline import factories  # noqa: F401

    nlp = spacy.blank("zh")
    nlp.add_pipe(stages.EVENTS)
    nlp.add_pipe(stages.SEGMENTS)
    problems = nlp.analyze_pipes()["problems"]
    assert set(problems[stages.EVENTS]) == {stages.KNOWLEDGE_ATTR, stages.SENTENCES_ATTR, stages.DATES_ATTR,
                                            stages.MENTIONS_ATTR, stages.MENTION_POSTS_ATTR}


def test_a_stage_used_before_initialize_says_so():
    from pipeline import factories  # noqa: F401

    nlp = spacy.blank("zh")
    for name in stages.ORDER:
        nlp.add_pipe(name, config={"model": None} if name == stages.ENTITIES else {})
    with pytest.raises(RuntimeError, match="not initialized"):
        nlp("协会召开理事会。")


def test_doc_entities_align_with_word_tokens(nlp):
    text = "时任市总工会党组书记、副主席黄芸主持会议。"
    doc = nlp(text)
    names = {(e.text, e.label_) for e in doc.ents}
    assert ("黄芸", "PERSON") in names
    for ent in doc.ents:
        assert doc.text[ent.start_char:ent.end_char] == ent.text


@pytest.mark.slow
def test_runs_are_byte_identical(run_output, tmp_path):
    again = tmp_path / "again"
    subprocess.run([sys.executable, "-m", "pipeline", "run", str(ROOT / "data" / "raw"), "--out", str(again), "-q"],
                   check=True, cwd=ROOT, capture_output=True)
    for name in ("documents", "sentences", "entities", "dates", "events", "entity_index", "relations"):
        assert (again / f"{name}.jsonl").read_bytes() == (run_output / f"{name}.jsonl").read_bytes(), name


@pytest.mark.parametrize("name", ["documents", "entities", "dates", "events"])
def test_jsonl_is_utf8_with_chinese_unescaped(run_output, name):
    raw = (run_output / f"{name}.jsonl").read_bytes()
    assert b"\\u" not in raw and b"\r\n" not in raw


def test_mentions_point_back_into_the_original_file(run_output):
    from pipeline.decoding import decode

    rows = [r for r in read_jsonl(run_output / "entities.jsonl") if r["doc_id"].startswith("000")]
    raw = decode((ROOT / "data" / "raw" / f"{rows[0]['doc_id']}.txt").read_bytes())[0]
    association = next(r for r in rows if r["text"] == "协会")
    assert raw[association["raw_start"]:association["raw_end"]] == "協(xié)會"
