"""The knowledge object: packs validated on load (`file:line: problem`), merged over the base pack, chosen
per document, and a new action class, era and stamp marker added through data alone."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from pydantic import ValidationError
from typer.testing import CliRunner

import pipeline
from pipeline.cli import app
from pipeline.knowledge import KnowledgeError, load_knowledge, read_pack
from pipeline.knowledge_packs import PackSet
from pipeline.knowledge_schema import (
    MODELS,
    ActionSpec,
    Confidence,
    Confusable,
    Dates,
    Frame,
    PackManifest,
    Trigger,
)

runner = CliRunner()
PACKAGE = Path(pipeline.__file__).parent


def make_pack(folder: Path, files: dict[str, str], name: str = "test_pack", evidence: tuple[str, ...] = ()) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    manifest = {"name": name, "description": "a pack written for a test", "evidence": list(evidence)}
    (folder / "pack.yaml").write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    for file_name, text in files.items():
        (folder / file_name).write_text(text, encoding="utf-8")
    return folder


DONATE = {"actions.yaml": "actions:\n  DONATE: {what: object}\n",
          "triggers.yaml": "triggers:\n  捐赠: {action: DONATE}\n  捐助: {action: DONATE}\n"}


# --- validation -------------------------------------------------------------------------------------------

BAD_FILES = [
    ("actions.yaml", "actions:\n  DONATE: {what: objekt}\n", 2, "actions.DONATE.what"),
    ("actions.yaml", "actions:\n  DONATE: {wat: object}\n", 2, "unknown key"),
    ("triggers.yaml", "triggers:\n  捐赠: {action: DONTAE}\n", 2, "unknown action 'DONTAE'"),
    ("triggers.yaml", "triggers:\n  捐赠: {action: ATTEND, nto_after: 向}\n", 2, "unknown key"),
    ("triggers.yaml", "frames:\n  - {pattern: '(捐赠', action: ATTEND}\n", 2, "bad regex"),
    ("triggers.yaml", "triggers:\n  捐赠: {action: ATTEND, not_after: '向]'}\n", 2, "character set"),
    ("dates.yaml", "eras: {令和: 2018}\nera_evidence: '(令和'\n", 2, "bad regex"),
    ("dates.yaml", "erass: {令和: 2018}\n", 1, "unknown key"),
    ("dates.yaml", "eras: {令和: twenty}\n", 1, "eras.令和"),
    ("boilerplate.yaml", "min_hits: 2\npatterns:\n  - '[版权'\n", 3, "bad regex"),
    ("name_runs.yaml", "breaks: '[和'\n", 1, "bad regex"),
    ("org_parts.yaml", "department: '(部'\n", 1, "bad regex"),
    ("org_rule.yaml", "min_length: 3\n", 1, "unknown key"),
    ("places.yaml", "regions:\n  - 湾区\nabbreviation_runs: '(沪'\n", 3, "bad regex"),
    ("people.yaml", "unit_title_starts: '部]处'\n", 1, "character set"),
    ("relations.yaml", "not_posts: [同志]\nformer_marker: [原]\n", 2, "unknown key"),
    ("ocr_confusables.yaml", "- wrong: '—'\n  right: '一'\n  before: '['\n  after: '行'\n", 3, "bad regex"),
    ("ner_labels.yaml", "msra: {PER: PERSN}\n", 1, "msra.PER"),
    ("variant_chars.yaml", "陜陜: 陕\n", 1, "陜陜"),
    ("lac_input.yaml", "punctuation: {'，': ''}\n", 1, "punctuation"),
]


@pytest.mark.parametrize("file_name, text, line, problem", BAD_FILES)
def test_a_bad_knowledge_file_is_reported_with_its_file_and_line(tmp_path, file_name, text, line, problem):
    folder = make_pack(tmp_path / "pack", {file_name: text})
    with pytest.raises(KnowledgeError) as error:
        read_pack(folder, actions=["ATTEND"])
    message = str(error.value)
    assert message.startswith(f"{folder / file_name}:{line}: "), message
    assert problem in message


def test_every_yaml_knowledge_file_has_a_bad_case_above():
    assert {file_name for file_name, *_ in BAD_FILES} == set(MODELS)


def test_a_bad_pack_manifest_and_an_unknown_file_are_reported(tmp_path):
    folder = make_pack(tmp_path / "pack", {"trigers.yaml": "triggers: {}\n"})
    with pytest.raises(KnowledgeError, match=r"trigers\.yaml:1: not a knowledge file"):
        read_pack(folder)
    bad_manifest = make_pack(tmp_path / "manifest", {}, evidence=("(台北",))
    with pytest.raises(KnowledgeError, match=r"pack\.yaml:1: evidence\.0: .*bad regex"):
        PackSet([bad_manifest])


def test_the_shipped_packs_are_valid_and_the_base_defines_the_spec_actions():
    knowledge = load_knowledge()
    assert list(knowledge.actions) == ["ATTEND", "SPEAK", "PRESIDE", "ORGANIZE", "AWARD", "VISIT", "MEET", "SIGN",
                                       "ELECT", "ISSUE", "RECEIVE", "FOUND"]
    packs = PackSet()
    for name in packs.addons:
        assert packs.knowledge(packs.names((name,))).name == f"mainland+{name}"


def test_every_key_a_schema_declares_is_read_by_the_pipeline():
    source = "".join(path.read_text(encoding="utf-8") for path in PACKAGE.glob("*.py")
                     if path.name != "knowledge_schema.py")
    models = [*MODELS.values(), Trigger, Frame, ActionSpec, Confidence, Confusable, PackManifest]
    unread = [f"{model.__name__}.{key}" for model in models for key in getattr(model, "model_fields", {})
              if key != "root" and not re.search(rf"[\"'.]{key}\b", source)]
    assert unread == []


# --- data alone: a new action class, an era, a stamp marker -----------------------------------------------

def test_a_new_action_class_through_data_alone_reaches_the_events(tmp_path):
    nlp = pipeline.load(knowledge=[make_pack(tmp_path / "donate", DONATE)])
    events = nlp("2023年5月8日，市工商联向灾区捐赠救灾物资。")._.events
    donations = [e for e in events if e["action"] == "DONATE"]
    assert [(e["who"]["text"], e["what"], e["when"]["start"]) for e in donations] == [
        ("市工商联", "救灾物资", "2023-05-08")]


def test_a_new_action_class_through_data_alone_is_scored_by_eval(tmp_path):
    pack = make_pack(tmp_path / "donate", DONATE)
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text("2023年5月8日，市工商联向灾区捐赠救灾物资。\n", encoding="utf-8")
    result = runner.invoke(app, ["run", str(tmp_path / "in"), "--out", str(tmp_path / "out"), "-q",
                                 "--knowledge", str(pack)])
    assert result.exit_code == 0, result.output
    gold = tmp_path / "gold"
    gold.mkdir()
    (gold / "entities.jsonl").write_text('{"doc_id": "a", "label": "ORG", "text": "市工商联", "aliases": []}\n',
                                         encoding="utf-8")
    (gold / "dates.jsonl").write_text('{"doc_id": "a", "text": "2023年5月8日", "start": "2023-05-08", '
                                      '"end": "2023-05-08"}\n', encoding="utf-8")
    (gold / "events.jsonl").write_text(
        '{"doc_id": "a", "who": "市工商联", "who_aliases": [], "action": "DONATE", "start": "2023-05-08", '
        '"end": "2023-05-08", "what": "救灾物资", "where": null}\n', encoding="utf-8")
    refused = runner.invoke(app, ["eval", "--gold", str(gold), "--out", str(tmp_path / "out")])
    assert refused.exit_code == 2 and "action 'DONATE' is not one of" in refused.output
    scored = runner.invoke(app, ["eval", "--gold", str(gold), "--out", str(tmp_path / "out"), "--json",
                                 "--knowledge", str(pack)])
    assert scored.exit_code == 0, scored.output
    events = json.loads(scored.stdout)["micro"]["events"]
    assert events["strict"]["tp"] == 1 and events["per_action"]["DONATE"]["strict"]["f1"] == 1.0


def test_a_new_era_through_data_alone_reaches_the_dates_and_events(tmp_path):
    text = "令和3年5月3日，东京华侨总会召开会员大会。"
    assert not pipeline.load()(text)._.dates
    nlp = pipeline.load(knowledge=[make_pack(tmp_path / "era", {"dates.yaml": "eras: {令和: 2018}\n"})])
    doc = nlp(text)
    assert [(d["text"], d["value_start"]) for d in doc._.dates] == [("令和3年5月3日", "2021-05-03")]
    assert [(e["action"], e["when"]["start"]) for e in doc._.events] == [("ORGANIZE", "2021-05-03")]


def test_a_new_stamp_marker_through_data_alone_dates_the_document(tmp_path):
    text = "刊发于2021年6月9日　本会秘书处编辑整理并经会长审定之稿件全文如下\n昨日，市工商联召开理事会。"
    assert pipeline.load()(text)._.reference_date["source"] != "publication_stamp"
    nlp = pipeline.load(knowledge=[make_pack(tmp_path / "stamp", {"dates.yaml": "stamp_markers: [刊发于]\n"})])
    doc = nlp(text)
    assert doc._.reference_date == {"value": "2021-06-09", "source": "publication_stamp"}
    assert [(e["action"], e["when"]["start"]) for e in doc._.events] == [("ORGANIZE", "2021-06-08")]


def test_roc_years_give_the_gregorian_date_and_the_event_takes_it():
    doc = pipeline.load()("民国110年5月3日，台北市电脑公会召开会员大会。")
    assert [d["value_start"] for d in doc._.dates] == ["2021-05-03"]
    assert [(e["action"], e["when"]["start"]) for e in doc._.events] == [("ORGANIZE", "2021-05-03")]


# --- packs chosen per document ----------------------------------------------------------------------------

def test_a_pack_with_evidence_applies_only_to_documents_that_show_it(tmp_path):
    pack = make_pack(tmp_path / "donate", DONATE, name="donations", evidence=("灾区",))
    nlp = pipeline.load(knowledge=[pack])
    shown = nlp("市工商联向灾区捐赠救灾物资。")
    unshown = nlp("市工商联向学校捐赠图书。")
    assert shown._.knowledge.endswith("+donations") and "DONATE" in {e["action"] for e in shown._.events}
    assert "donations" not in unshown._.knowledge and not unshown._.events
    forced = pipeline.load(knowledge=[pack], pack="donations")("市工商联向学校捐赠图书。")
    assert [e["action"] for e in forced._.events] == ["DONATE"]


def test_an_unknown_pack_name_is_refused_naming_the_choices():
    with pytest.raises(KnowledgeError, match="unknown pack 'nosuch': the packs are auto, mainland"):
        PackSet(choice="nosuch")


def test_knowledge_check_reports_what_a_pack_defines_or_where_it_is_wrong(tmp_path):
    good = runner.invoke(app, ["knowledge", "check", str(make_pack(tmp_path / "good", DONATE))])
    assert good.exit_code == 0, good.output
    assert "test_pack: valid." in good.output and "actions.yaml: actions: 1 entries (DONATE)" in good.output
    bad = make_pack(tmp_path / "bad", {"triggers.yaml": "triggers:\n  捐赠: {action: DONTAE}\n"})
    result = runner.invoke(app, ["knowledge", "check", str(bad)])
    assert result.exit_code == 1
    assert f"{bad / 'triggers.yaml'}:2: triggers.捐赠.action" in result.output
    run = runner.invoke(app, ["run", str(tmp_path), "--out", str(tmp_path / "out"), "-q", "--knowledge", str(bad)])
    assert run.exit_code == 2 and "triggers.yaml:2:" in run.output and not (tmp_path / "out").exists()


def test_a_half_names_a_counted_unit():
    # Checked on the whole base file: an add-on pack's half may name a unit its own counted_units adds.
    data = dict(load_knowledge().yaml("dates.yaml"), counted_halves={"载半": ["载", "month", 6, "month"]})
    with pytest.raises(ValidationError, match="not in counted_units"):
        Dates.model_validate(data)
