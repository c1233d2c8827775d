"""spacy-pkuseg's segmentation, with its feature extraction done once per text instead of per character.

spacy-pkuseg describes each character with up to 78 feature strings, 50 of
them pairs of the dictionary words that end before and start at it
(`ww.l.<word>*<word>`). Its extractor rebuilds the 20 word slices behind
those pairs for every character, which makes it the slowest step of the
pipeline. Here each slice is looked up once per text and the pair features of
a recurring neighbourhood (usually "no word on either side") are cached. The
features, their order, the model and the decoding are spacy-pkuseg's own, so
the words are the same (`tests/test_segment_words.py` checks this on real text).
"""
from __future__ import annotations

from types import MethodType

from spacy_pkuseg import inference
from spacy_pkuseg.config import config

NO_WORD = "**noWord"  # spacy-pkuseg's filler for "no dictionary word here"
CACHE_LIMIT = 200_000  # neighbourhoods remembered before the cache starts again


class PkusegFeatures:
    """Feature indices of every character of a normalised text, as spacy-pkuseg computes them."""

    def __init__(self, feature_to_idx: dict[str, int], unigram: set[str]) -> None:
        self.index = feature_to_idx
        self.unigram = unigram
        self.lengths = range(config.wordMax, config.wordMin - 1, -1)  # pkuseg's order: longest first
        self.ids: dict[tuple[str, ...], int] = {}  # the dictionary words at a position -> a small id
        self.word_features: dict[tuple[int, ...], list[int]] = {}
        self.parts: dict[tuple[str, int, int], list[int]] = {}

    def _word_rows(self, nodes: list[str]) -> tuple[list[tuple[str, ...]], list[tuple[str, ...]]]:
        """The dictionary words (one per length, else NO_WORD) starting at each position, and ending at each
        position (`ending[e + 1]`: the words ending at e)."""
        n, unigram = len(nodes), self.unigram
        # Normalised numbers and letters (`**Num`) are in no dictionary word: one placeholder character each,
        # so that a slice of this string is the join of the same nodes.
        plain = "".join(c if len(c) == 1 else "\0" for c in nodes)
        starting_columns, ending_columns = [], []
        for length in self.lengths:
            words = [plain[s:s + length] for s in range(n - length + 1)]
            words = [w if w in unigram else NO_WORD for w in words]
            starting_columns.append(words + [NO_WORD] * (n + 1 - len(words)))
            ending_columns.append([NO_WORD] * (n + 1 - len(words)) + words)
        return list(zip(*starting_columns)), list(zip(*ending_columns))

    def _features(self, names: list[str]) -> list[int]:
        return [self.index[f] for f in names if f in self.index]

    def _words(self, key: tuple[int, ...], pre_in: tuple[str, ...], post_in: tuple[str, ...],
               pre_ex: tuple[str, ...], post_ex: tuple[str, ...]) -> list[int]:
        """Features of the words ending at and starting at a character, then of the pairs around it.

        Each of the three parts depends on two of the four neighbourhoods only, so it is cached on its
        own: new text mostly brings new combinations of parts already seen."""
        parts = self.parts
        pre_in_id, post_in_id, pre_ex_id, post_ex_id = key
        words = parts.get(("w", pre_in_id, post_in_id))
        if words is None:
            words = parts["w", pre_in_id, post_in_id] = self._features(
                ["w-1." + w for w in pre_in if w != NO_WORD] + ["w1." + w for w in post_in if w != NO_WORD])
        left = parts.get(("l", pre_ex_id, post_in_id))
        if left is None:
            left = parts["l", pre_ex_id, post_in_id] = self._features(
                ["ww.l." + pre + "*" + post for pre in pre_ex for post in post_in])
        right = parts.get(("r", pre_in_id, post_ex_id))
        if right is None:
            right = parts["r", pre_in_id, post_ex_id] = self._features(
                ["ww.r." + pre + "*" + post for pre in pre_in for post in post_ex])
        found = self.word_features[key] = words + left + right
        return found

    def __call__(self, nodes: list[str]) -> list[list[int]]:
        get = self.index.get
        pairs = [a + "." + b for a, b in zip(nodes, nodes[1:])]
        # One column per n-gram feature, in spacy-pkuseg's order; None where absent or off the edge.
        columns = zip(
            [get("c." + c) for c in nodes],
            [None] + [get("c-1." + c) for c in nodes[:-1]],
            [None] + [get("c-1c." + p) for p in pairs],
            [get("c1." + c) for c in nodes[1:]] + [None],
            [get("cc1." + p) for p in pairs] + [None],
            [None, None] + [get("c-2." + c) for c in nodes[:-2]],
            [None, None] + [get("c-2c-1." + p) for p in pairs[:-1]],
            [get("c2." + c) for c in nodes[2:]] + [None, None],
        )
        starting, ending = self._word_rows(nodes)
        # Bounded memory: start again between texts, never inside one (a text's keys use its ids).
        if len(self.word_features) >= CACHE_LIMIT or len(self.ids) >= CACHE_LIMIT:
            self.word_features.clear()
            self.parts.clear()
            self.ids.clear()
        ids = self.ids
        starts = [ids.setdefault(row, len(ids)) for row in starting]
        ends = [ids.setdefault(row, len(ids)) for row in ending]
        cache, features = self.word_features, []
        for i, ngrams in enumerate(columns):
            # Words ending at i (pre_in), starting at i (post_in), ending at i-1 (pre_ex), starting at i+1.
            key = (ends[i + 1], starts[i], ends[i], starts[i + 1])
            words = cache.get(key)
            if words is None:
                words = self._words(key, ending[i + 1], starting[i], ending[i], starting[i + 1])
            features.append([0, *filter(None, ngrams), *words])  # 0 is pkuseg's `$$`; no n-gram feature is 0
        return features


def with_fast_features(segmenter: object) -> object:
    """Make a loaded `spacy_pkuseg.pkuseg` compute its features with `PkusegFeatures`.

    `pkuseg.cut` calls `self._cut` on each space-free fragment; only that method
    is replaced, so user dictionaries and post-processing work as before.
    """
    extractor = segmenter.feature_extractor
    features = PkusegFeatures(extractor.feature_to_idx, extractor.unigram)
    begins = {idx for tag, idx in extractor.tag_to_idx.items() if "B" in tag}

    def _cut(self: object, text: str) -> list[str]:
        if not text:
            return []
        nodes = list(extractor.normalize_text(text))
        _, tags = inference.decodeViterbi_fast(features(nodes), self.model)
        words = [text[0]]
        for tag, char in zip(tags[1:], text[1:]):
            if tag in begins:
                words.append(char)
            else:
                words[-1] += char
        return words

    segmenter._cut = MethodType(_cut, segmenter)
    return segmenter
