"""Character tokenizer for the statistical NER model.

Chinese NER works best on characters. Each code point becomes one token, so a
token index is a character offset. The token's NORM carries the character
bigram starting at it and its LEMMA the trigram centred on it, which gives the
hashed embeddings word-like context without needing a segmenter.
"""
from __future__ import annotations

from typing import Callable

import numpy
import spacy
from spacy.attrs import LEMMA, NORM
from spacy.language import Language
from spacy.strings import hash_string
from spacy.tokens import Doc
from spacy.vocab import Vocab

END_OF_TEXT = "\u2403"


class CharTokenizer:
    def __init__(self, vocab: Vocab) -> None:
        self.vocab = vocab

    def __call__(self, text: str) -> Doc:
        doc = Doc(self.vocab, words=list(text), spaces=[False] * len(text))
        following = text[1:] + END_OF_TEXT
        preceding = END_OF_TEXT + text[:-1]
        # Hashes, not strings: the vocabulary's string store stays small however much text is read.
        if text:
            features = numpy.array([[hash_string(c + n), hash_string(p + c + n)]
                                    for p, c, n in zip(preceding, text, following)], dtype="uint64")
            doc.from_array([NORM, LEMMA], features)
        return doc

    def to_bytes(self, **kwargs: object) -> bytes:
        return b""

    def from_bytes(self, data: bytes, **kwargs: object) -> "CharTokenizer":
        return self

    def to_disk(self, path: object, **kwargs: object) -> None:
        return None

    def from_disk(self, path: object, **kwargs: object) -> "CharTokenizer":
        return self


@spacy.registry.tokenizers("pipeline.char_tokenizer.v1")
def create_char_tokenizer() -> Callable[[Language], CharTokenizer]:
    def make(nlp: Language) -> CharTokenizer:
        return CharTokenizer(nlp.vocab)

    return make
