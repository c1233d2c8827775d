"""Offline Chinese information extraction: who did what, when and where.

    import pipeline
    nlp = pipeline.load()
    doc = nlp(pipeline.read("data/raw/000_30793a095a71568a.txt").text)
    doc._.dates, doc.ents, doc._.events
"""
from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.stages import DEFAULT_NER

if TYPE_CHECKING:
    from spacy.language import Language

    from pipeline.encoding import RepairedText

__version__ = "0.1.0"

MODELS = Path(__file__).resolve().parent.parent / "models"


def read(path: str | Path) -> "RepairedText":
    """Stage 1: read a file (text, web page, PDF or Word, by its content) and repair it into clean
    simplified text."""
    from pipeline.readers import read_input

    path = Path(path)
    return read_input(path.read_bytes(), path.suffix)


def load(ner_model: str | Path | None = MODELS / "ner_crf", segmenter: str | Path | None = MODELS / "pkuseg",
         reference_date: str | None = None, ner_backend: str = DEFAULT_NER, pack: str = "auto",
         knowledge: list[str | Path] | None = None) -> "Language":
    """The text stages as a spaCy pipeline: knowledge packs -> segments -> dates -> entities -> relations
    -> events.

    `pack`: which knowledge packs each document gets (`auto`: by the evidence in its text; or pack names,
    comma-separated, for every document); `knowledge`: folders of the user's own packs.
    `segmenter` is the spacy-pkuseg model for word tokens (None: one token per
    character); `ner_model` the statistical NER model (None: rules only): with
    `ner_backend="spacy"` a character model folder run with its CRF and BiGRU-CRF combined, with `"crf"`
    the same with its CRF alone (less accurate, faster), with `"hanlp"` a HanLP NER
    or multi-task model folder or HanLP id (the optional hanlp extra).
    """
    with _hidden("torch"):
        import spacy

    from pipeline import factories, stages  # noqa: F401  (registers the components)

    if segmenter is not None:
        from pipeline.pkuseg_features import with_fast_features

        nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "pkuseg"}}})
        nlp.tokenizer.initialize(pkuseg_model=str(segmenter), pkuseg_user_dict="default")
        with_fast_features(nlp.tokenizer.pkuseg_seg)
    else:
        nlp = spacy.blank("zh")
    nlp.add_pipe(stages.KNOWLEDGE, config={"pack": pack, "folders": [str(folder) for folder in knowledge or []]})
    nlp.add_pipe(stages.SEGMENTS)
    nlp.add_pipe(stages.DATES, config={"reference_date": reference_date})
    nlp.add_pipe(stages.ENTITIES, config={"model": str(ner_model) if ner_model else None, "backend": ner_backend})
    nlp.add_pipe(stages.RELATIONS)
    nlp.add_pipe(stages.EVENTS)
    for _, component in nlp.pipeline:
        if hasattr(component, "initialize"):
            component.initialize(nlp=nlp)
    return nlp


@contextmanager
def _hidden(module: str) -> Iterator[None]:
    """`module` cannot be imported inside the block, unless it already was: spaCy's thinc imports torch
    whenever it is installed (a second of each start, a hundred MB of each worker) for layers no stage
    here has; whatever needs torch later (`--ner hanlp`, training) imports it then."""
    if module in sys.modules:
        yield
        return
    sys.modules[module] = None  # type: ignore[assignment]  # what import reads as "not installed"
    try:
        yield
    finally:
        if sys.modules.get(module, False) is None:
            del sys.modules[module]
