"""Long documents run in pieces: bounded pieces cut at paragraph breaks, with the reading context of the
whole document carried across the cuts, and rows put back together as one document's."""
from __future__ import annotations

import pytest

from pipeline.document import process_file
from pipeline.pieces import PIECE_CHARS, piece_bounds

MONTHS = "一二三四五六七八九十"


def chronicle() -> str:
    """A yearbook chronicle: a title, month headers, and day entries told without month or year."""
    lines = ["滨江市电子商会2021年大事记", ""]
    for month in range(1, 11):
        lines += [f"{MONTHS[month - 1]}月", ""]
        for day in (3, 9, 17, 25):
            lines += [f"{day}日，商会召开第{month}次会长办公会议，会长周立平主持会议，副会长郑海涛出席会议。",
                      "同日，商会秘书处组织会员企业赴城南工业园区考察交流。", ""]
    return "\n".join(lines)


def test_pieces_cover_the_text_within_the_limit_and_cut_at_breaks():
    text = chronicle()
    bounds = piece_bounds(text, 400)
    assert bounds[0][0] == 0 and bounds[-1][1] == len(text)
    assert all(a[1] == b[0] for a, b in zip(bounds, bounds[1:]))
    assert all(0 < end - start <= 400 for start, end in bounds)
    assert all(text[end - 1] == "\n" for _, end in bounds[:-1])


def test_a_paragraph_longer_than_a_piece_is_cut_at_a_sentence_end_and_a_line_of_none_anywhere():
    prose = "会议听取了工作报告。" * 100  # one line of 1,000 characters
    assert all(prose[end - 1] == "。" for _, end in piece_bounds(prose, 95)[:-1])
    assert piece_bounds("长" * 250, 100) == [(0, 100), (100, 200), (200, 250)]


def test_the_default_piece_fits_in_a_spacy_doc():
    import spacy

    assert PIECE_CHARS < spacy.blank("zh").max_length


@pytest.fixture(scope="module")
def whole_and_pieces(nlp, tmp_path_factory) -> tuple:
    path = tmp_path_factory.mktemp("long") / "chronicle.txt"
    path.write_text(chronicle(), encoding="utf-8")
    return process_file(nlp, path, "c", 10**8, piece_chars=10**8), process_file(nlp, path, "c", 10**8, piece_chars=300)


def test_a_long_document_in_pieces_reads_like_one_doc(whole_and_pieces):
    whole, pieces = whole_and_pieces
    assert whole.status == pieces.status == "ok"
    assert len(piece_bounds(whole.text, 300)) >= 9
    assert pieces.reference_date == whole.reference_date == {"value": "2021", "source": "title_year"}
    assert pieces.sentences == whole.sentences
    assert pieces.dates == whole.dates
    assert pieces.events == whole.events


def test_the_dates_after_a_cut_keep_the_month_and_day_told_before_it(whole_and_pieces):
    _, pieces = whole_and_pieces
    days = [(d["text"], d["value_start"]) for d in pieces.dates]
    assert ("25日", "2021-10-25") in days and ("同日", "2021-10-25") in days
    assert [d for d in pieces.dates if d["text"] == "同日"] and all(d["value_start"] for d in pieces.dates)
    ids = {m["start"] for m in pieces.mentions}
    assert len(ids) == len(pieces.mentions)


def test_a_document_longer_than_spacys_limit_runs_in_pieces(nlp, tmp_path):
    path = tmp_path / "long.txt"
    path.write_text(chronicle() * 3, encoding="utf-8")
    limit, nlp.max_length = nlp.max_length, 5_000  # a small limit stands in for spaCy's 1,000,000
    try:
        document = process_file(nlp, path, "long", 10**8, piece_chars=4_000)
    finally:
        nlp.max_length = limit
    assert document.status == "ok", document.error
    assert len(document.text) > 5_000 and document.events[-1]["sentence_id"] > 200
