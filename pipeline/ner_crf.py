"""The statistical half of stage 4: a character CRF for PERSON / ORG / LOC.

A linear-chain CRF (CRFsuite) tags each character in BIOES from the features
of `pipeline.crf_features`. The lexicon is saved inside the model, so a model
always sees the features it was trained on.

The model is a spaCy pipeline (character tokenizer + the `zh_crf_ner`
component) so it loads with `spacy.load` and sets `doc.ents` like any spaCy NER.
"""
from __future__ import annotations

import shutil
from collections.abc import Iterable
from pathlib import Path

import pycrfsuite
from spacy.language import Language
from spacy.tokens import Doc, Span

from pipeline.crf_features import (OTHER_NAME_KINDS, PERSON_KINDS, SURNAME_KIND, Lexicon, char_features,
                                    tagged_spans)
from pipeline.name_runs import NameKnowledge, split_name_runs

LEXICON_FILE = "lexicon.tsv.gz"
MODEL_FILE = "model.crfsuite"


class CRFEntityRecognizer:
    """Sets `doc.ents` on a character-token `Doc` from the CRF's BIOES tags."""

    def __init__(self, nlp: Language, name: str) -> None:
        self.name = name
        self.lexicon = Lexicon({})
        self.names = NameKnowledge({}, PERSON_KINDS, SURNAME_KIND, OTHER_NAME_KINDS)
        self.tagger: pycrfsuite.Tagger | None = None
        self.model_file: Path | None = None

    def __call__(self, doc: Doc) -> Doc:
        # One token per character, so character offsets are token offsets. "unmodified" leaves the
        # other tokens' entity tags unset instead of writing O to each of them.
        spans = self.spans(doc.text)
        doc.set_ents([Span(doc, s, e, label=label) for s, e, label in spans], default="unmodified")
        return doc

    def spans(self, text: str) -> list[tuple[int, int, str]]:
        """(start, end, label) character spans of the entities in `text`. Callers that only need spans
        use this directly: a character `Doc` costs more to build than the tagging."""
        if self.tagger is None:
            raise ValueError(f"{self.name}: no CRF model loaded (load a trained pipeline from disk)")
        tags = self.tagger.tag(char_features(text, self.lexicon)) if text else []
        return split_name_runs(text, list(tagged_spans(tags)), self.names)

    @property
    def labels(self) -> tuple[str, ...]:
        if self.tagger is None:
            return ()
        return tuple(sorted({tag[2:] for tag in self.tagger.labels() if tag != "O"}))

    def use(self, lexicon: Lexicon, model_file: Path) -> "CRFEntityRecognizer":
        """Take a trained CRFsuite model file and the lexicon its features were built with."""
        self.lexicon, self.model_file = lexicon, Path(model_file)
        self.names = NameKnowledge(lexicon.entries, PERSON_KINDS, SURNAME_KIND, OTHER_NAME_KINDS)
        self.tagger = pycrfsuite.Tagger()
        self.tagger.open(str(self.model_file))
        return self

    def to_disk(self, path: Path, exclude: Iterable[str] = ()) -> None:
        if self.model_file is None:
            raise ValueError(f"{self.name}: nothing to save, no CRF model loaded")
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        self.lexicon.to_disk(path / LEXICON_FILE)
        if self.model_file.resolve() != (path / MODEL_FILE).resolve():
            shutil.copyfile(self.model_file, path / MODEL_FILE)

    def from_disk(self, path: Path, exclude: Iterable[str] = ()) -> "CRFEntityRecognizer":
        return self.use(Lexicon.from_disk(Path(path) / LEXICON_FILE), Path(path) / MODEL_FILE)


@Language.factory("zh_crf_ner", assigns=["doc.ents"])
def make_crf_entity_recognizer(nlp: Language, name: str) -> CRFEntityRecognizer:
    return CRFEntityRecognizer(nlp, name)
