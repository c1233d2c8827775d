"""Labelled pieces of the genre from gold entity lists without offsets."""
from __future__ import annotations

import json

import pytest

from pipeline.gold_sentences import gold_forms, labelled_pieces, mention_spans


def test_every_occurrence_is_a_mention_and_the_longest_form_wins():
    text = "青禾市餐饮商会召开理事会。商会会长方一鸣主持，方一鸣说，青禾市将支持商会。"
    forms = {"青禾市餐饮商会": "ORG", "商会": "ORG", "方一鸣": "PERSON", "青禾市": "LOC"}
    spans = mention_spans(text, forms)
    assert [(text[s:e], label) for s, e, label in spans] == [
        ("青禾市餐饮商会", "ORG"), ("商会", "ORG"), ("方一鸣", "PERSON"), ("方一鸣", "PERSON"),
        ("青禾市", "LOC"), ("商会", "ORG")]


def test_pieces_are_cut_as_the_model_reads_them_with_offsets_inside_each():
    text = "方一鸣出席。\n青禾市餐饮商会成立"
    pieces = labelled_pieces(text, {"方一鸣": "PERSON", "青禾市餐饮商会": "ORG"})
    assert [piece.text for piece in pieces] == ["方一鸣出席。", "青禾市餐饮商会成立"]
    assert [[(p.text[s:e], label) for s, e, label in p.spans] for p in pieces] == [
        [("方一鸣", "PERSON")], [("青禾市餐饮商会", "ORG")]]


def test_gold_forms_take_aliases_and_only_the_documents_asked_for(tmp_path):
    rows = [{"doc_id": "a", "label": "ORG", "text": "青禾市总工会", "aliases": ["市总工会"]},
            {"doc_id": "b", "label": "PERSON", "text": "方一鸣"}]
    path = tmp_path / "entities.jsonl"
    path.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows), encoding="utf-8")
    assert gold_forms(path) == {"a": {"青禾市总工会": "ORG", "市总工会": "ORG"}, "b": {"方一鸣": "PERSON"}}
    assert gold_forms(path, {"b"}) == {"b": {"方一鸣": "PERSON"}}


def test_a_gold_document_without_its_source_is_an_error(tmp_path):
    from pipeline.gold_sentences import genre_sentences

    path = tmp_path / "entities.jsonl"
    path.write_text(json.dumps({"doc_id": "gone", "label": "PERSON", "text": "方一鸣"}) + "\n", encoding="utf-8")
    (tmp_path / "raw").mkdir()
    with pytest.raises(FileNotFoundError, match="gone"):
        genre_sentences(path, tmp_path / "raw")
