"""A run's documents are made with one token per character, not pkuseg's words: the records carry only
character offsets, so both must give the same annotations, whitespace wherever it lies."""
from __future__ import annotations

import pytest

from conftest import raw_text
from pipeline.document import load_pipeline
from pipeline.pieces import annotate

SPACED = ["会长 周立平 主持会议，副会长  郑海涛出席。", "滨江市 电子商会\u3000会长周立平\t在 北京 讲话 。",
          "  2021年 3月 9日 ，商会 召开 理事会议 ， 秘书长 王 建 国 出 席 。 ", "张三 李四\n\n 王五  赵六 "]


@pytest.fixture(scope="module")
def by_characters():
    return load_pipeline({})


def spaced_out(text: str, gap: str) -> str:
    """The text with `gap` after every third character: whitespace inside, before and after names."""
    return "".join(char + (gap if i % 3 == 2 else "") for i, char in enumerate(text))


def test_the_run_pipeline_tokenizes_by_character(by_characters):
    assert [t.text for t in by_characters.make_doc("商会召开会议")] == list("商会召开会议")


@pytest.mark.parametrize("text", [*SPACED, raw_text("000")[:3000], spaced_out(raw_text("001")[:1500], " "),
                                  spaced_out(raw_text("002")[:1500], "  "), spaced_out(raw_text("003")[:1500], "\u3000")])
def test_characters_and_words_give_the_same_annotations(nlp, by_characters, text):
    assert annotate(by_characters, text) == annotate(nlp, text)
