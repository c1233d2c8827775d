"""Character tokenizer for the statistical NER model.

Chinese NER works best on characters: each code point becomes one token, so a
token index is a character offset and the model's spans map straight back to
the text.
"""
from __future__ import annotations

from typing import Callable

import spacy
from spacy.language import Language
from spacy.tokens import Doc
from spacy.vocab import Vocab


class CharTokenizer:
    def __init__(self, vocab: Vocab) -> None:
        self.vocab = vocab

    def __call__(self, text: str) -> Doc:
        return Doc(self.vocab, words=list(text), spaces=[False] * len(text))

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
