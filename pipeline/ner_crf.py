"""The statistical half of stage 4: a character CRF for PERSON / ORG / LOC, with a neural partner.

A linear-chain CRF (trained with CRFsuite, run in numpy: `pipeline.crf_weights`)
tags each character in BIOES from the features of `pipeline.crf_features`. The
lexicon is saved inside the model, so a model always sees the features it was
trained on. When the model also holds a
BiGRU-CRF (`pipeline.gru_tagger`: Baidu LAC's network fine-tuned on the same
data), the two models' per-character tag probabilities are combined (an equal
geometric mean) and the best BIO sequence through them is taken: the CRF knows
the lexicon, the network what LAC learnt from far more text, and they err on
different names. The network only reads the stretches of text where the CRF is unsure.

The model is a spaCy pipeline (character tokenizer + the `zh_crf_ner`
component) so it loads with `spacy.load` and sets `doc.ents` like any spaCy NER.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

import numpy as np
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import minibatch

from pipeline.crf_features import (
    OTHER_NAME_KINDS,
    PERSON_KINDS,
    SURNAME_KIND,
    Lexicon,
    tagged_spans,
)
from pipeline.crf_weights import CRFWeights
from pipeline.gru_tagger import GRUTagger
from pipeline.lexicon_index import LexiconIndex
from pipeline.name_runs import NameKnowledge, split_name_runs

LEXICON_FILE = "lexicon.tsv.gz"
CRF_FILE = "crf.npz"
LEXICON_INDEX_FILE = "lexicon_index.npz"
GRU_FILE = "gru.npz"
CRF_SURE = 0.99  # the CRF's probability for its best tag at a character above which it needs no second opinion
NETWORK_REACH = 8  # the network re-reads the characters this close to one the CRF is unsure of
NETWORK_CONTEXT = 8  # and reads this many more on each side, for context only


class CRFEntityRecognizer:
    """Sets `doc.ents` on a character-token `Doc` from the CRF's BIOES tags."""

    def __init__(self, nlp: Language, name: str) -> None:
        self.name = name
        self.lexicon = Lexicon({})
        self.names = NameKnowledge({}, PERSON_KINDS, SURNAME_KIND, OTHER_NAME_KINDS)
        self.crf: CRFWeights | None = None
        self._gru: GRUTagger | None = None
        self._gru_file: Path | None = None  # loaded on first use: a caller that wants the CRF alone never pays
        self.use_network = True  # False: the CRF alone, about four times as fast

    def __call__(self, doc: Doc) -> Doc:
        return next(self.pipe([doc]))

    def pipe(self, docs: Iterable[Doc], batch_size: int = 256) -> Iterator[Doc]:
        # A batch of docs at a time: the BiGRU runs far faster on many sentences at once.
        for batch in minibatch(docs, batch_size):
            for doc, spans in zip(batch, self.spans_of([doc.text for doc in batch])):
                # One token per character, so character offsets are token offsets. "unmodified" leaves
                # the other tokens' entity tags unset instead of writing O to each of them.
                doc.set_ents([Span(doc, s, e, label=label) for s, e, label in spans], default="unmodified")
                yield doc

    def spans_of(self, texts: list[str]) -> list[list[tuple[int, int, str]]]:
        """(start, end, label) character spans of the entities in each text. Callers that only need spans
        use this directly: a character `Doc` costs more to build than the tagging."""
        if not self.use_network or self.gru is None:
            found = [list(tagged_spans(tags)) for tags in self._crf().best_tags(texts, self.lexicon)]
        else:
            probabilities = self.crf_marginals(texts, self.gru.tags)
            windows = [(i, *window) for i, p in enumerate(probabilities) for window in unsure_windows(p)]
            readings = self.gru.marginals([texts[i][start - before:end + after]
                                           for i, start, end, before, after in windows])
            for (i, start, end, before, _), network in zip(windows, readings):
                p = probabilities[i]
                p[start:end] = np.sqrt(p[start:end] * network[before:before + end - start])
            found = self.gru.spans(probabilities)
        return [split_name_runs(text, spans, self.names) for text, spans in zip(texts, found)]

    def crf_marginals(self, texts: list[str], bio_tags: list[str]) -> list[np.ndarray]:
        """For each text, the CRF's probability of each BIO tag at each character (B = B + S, I = I + E of
        its BIOES)."""
        crf = self._crf()
        to_bio = np.zeros((len(crf.labels), len(bio_tags)))
        for row, label in enumerate(crf.labels):
            prefix, _, name = label.partition("-")
            to_bio[row, bio_tags.index("O" if label == "O" else ("B-" if prefix in "BS" else "I-") + name)] = 1
        return [marginals @ to_bio for marginals in crf.marginals(texts, self.lexicon)]

    @property
    def gru(self) -> GRUTagger | None:
        if self._gru is None and self._gru_file is not None:
            self._gru = GRUTagger.load(self._gru_file)
        return self._gru

    @gru.setter
    def gru(self, tagger: GRUTagger | None) -> None:
        self._gru, self._gru_file = tagger, None

    def _crf(self) -> CRFWeights:
        if self.crf is None:
            raise ValueError(f"{self.name}: no CRF model loaded (load a trained pipeline from disk)")
        return self.crf

    @property
    def labels(self) -> tuple[str, ...]:
        if self.crf is None:
            return ()
        return tuple(sorted({tag[2:] for tag in self.crf.labels if tag != "O"}))

    def use(self, lexicon: Lexicon, crf: CRFWeights, gru: GRUTagger | None = None) -> "CRFEntityRecognizer":
        """Take a trained CRF, the lexicon its features were built with and, if there is one, the BiGRU-CRF
        to combine it with."""
        self.lexicon, self.crf, self.gru = lexicon, crf, gru
        self.names = NameKnowledge(lexicon.entries, PERSON_KINDS, SURNAME_KIND, OTHER_NAME_KINDS)
        return self

    def to_disk(self, path: Path, exclude: Iterable[str] = ()) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        self.lexicon.to_disk(path / LEXICON_FILE)
        self._crf().save(path / CRF_FILE)
        self._crf().index(self.lexicon).save(path / LEXICON_INDEX_FILE)
        if self.gru is not None:
            self.gru.save(path / GRU_FILE)

    def from_disk(self, path: Path, exclude: Iterable[str] = ()) -> "CRFEntityRecognizer":
        path = Path(path)
        self.use(Lexicon.from_disk(path / LEXICON_FILE), CRFWeights.load(path / CRF_FILE))
        if (path / LEXICON_INDEX_FILE).exists():
            self._crf().use_index(self.lexicon, LexiconIndex.load(path / LEXICON_INDEX_FILE))
        self._gru_file = path / GRU_FILE if (path / GRU_FILE).exists() else None
        return self


def unsure_windows(probabilities: np.ndarray) -> list[tuple[int, int, int, int]]:
    """(start, end, before, after) of each stretch within NETWORK_REACH of a character whose best tag the CRF
    gives less than CRF_SURE, with how many characters of context the network reads before and after it.
    Elsewhere the combination almost never differs from the CRF: on MSRA dev the network reads 22% of the
    characters this way (37% reading whole sentences with an unsure character) for the same F1, 0.937."""
    windows: list[list[int]] = []
    for k in np.flatnonzero(probabilities.max(1) < CRF_SURE).tolist():
        start, end = max(0, k - NETWORK_REACH), min(len(probabilities), k + NETWORK_REACH + 1)
        if windows and start <= windows[-1][1]:
            windows[-1][1] = end
        else:
            windows.append([start, end])
    return [(start, end, min(start, NETWORK_CONTEXT), min(len(probabilities) - end, NETWORK_CONTEXT))
            for start, end in windows]


@Language.factory("zh_crf_ner", assigns=["doc.ents"])
def make_crf_entity_recognizer(nlp: Language, name: str) -> CRFEntityRecognizer:
    return CRFEntityRecognizer(nlp, name)
