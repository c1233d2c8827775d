"""The lexicon's CRF attributes for a whole batch of text at once, as (position, attribute) integer pairs.

`Lexicon.features` builds the same attributes as strings, position by position, for training with CRFsuite;
tagging needs only which weight rows to add where. Every substring of the text up to the longest entry is
turned into an integer key (lengths up to three: the code points packed exactly; longer: a 64-bit polynomial
hash, whose chance of a false match is about one in 10^13 per substring), looked up in the sorted keys of the
entries of that length, and the matches' kinds give the start, end and inside attributes of each kind.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

from pipeline.crf_features import MAX_LENGTH_FEATURE, Lexicon

EXACT_LENGTH = 3  # three 21-bit code points fill an int64
HASH_BASE = np.uint64(0x9E3779B97F4A7C15)  # odd, with well-mixed bits


class LexiconIndex:
    """Entries by length as sorted keys, each with its set of kinds; `bind` maps the attributes to a model's
    weight columns. Saved beside the lexicon (`save`/`load`): building it takes longer than loading it."""

    def __init__(self, keys: dict[int, tuple[np.ndarray, np.ndarray]], kinds: list[str], set_sizes: np.ndarray,
                 set_kinds: np.ndarray) -> None:
        self.keys, self.kinds, self.set_sizes, self.set_kinds = keys, kinds, set_sizes, set_kinds
        self.set_starts = np.concatenate([[0], np.cumsum(set_sizes)[:-1]]).astype(np.intp)
        # Unbound (`bind` maps them to a model's columns): every attribute absent.
        self.begin = np.full((len(kinds), MAX_LENGTH_FEATURE + 1), -1)
        self.end = np.full((len(kinds), MAX_LENGTH_FEATURE + 1), -1)
        self.inside = np.full(len(kinds), -1)

    @classmethod
    def build(cls, lexicon: Lexicon) -> "LexiconIndex":
        kind_sets = sorted(set(lexicon.entries.values()))
        kinds = sorted({kind for kind_set in kind_sets for kind in kind_set})
        kind_id = {kind: k for k, kind in enumerate(kinds)}
        set_id = {kind_set: k for k, kind_set in enumerate(kind_sets)}
        by_length: dict[int, list[str]] = {}
        for word in lexicon.entries:
            by_length.setdefault(len(word), []).append(word)
        keys: dict[int, tuple[np.ndarray, np.ndarray]] = {}
        for length, words in by_length.items():
            codes = np.frombuffer("".join(words).encode("utf-32-le"), dtype="<u4").reshape(len(words), length)
            found = _keys(codes.astype(np.uint64), length)
            order = np.argsort(found)
            keys[length] = found[order], np.array([set_id[lexicon.entries[w]] for w in words])[order]
        return cls(keys, kinds, np.array([len(s) for s in kind_sets], dtype=np.intp),
                   np.array([kind_id[kind] for s in kind_sets for kind in s], dtype=np.intp))

    def save(self, path: Path) -> None:
        arrays = {"kinds": np.array(self.kinds), "set_sizes": self.set_sizes, "set_kinds": self.set_kinds}
        for length, (keys, sets) in self.keys.items():
            arrays.update({f"keys_{length}": keys, f"sets_{length}": sets})
        np.savez_compressed(path, **arrays)

    @classmethod
    def load(cls, path: Path) -> "LexiconIndex":
        with np.load(path, allow_pickle=False) as saved:
            keys = {int(name[5:]): (saved[name], saved["sets_" + name[5:]])
                    for name in saved.files if name.startswith("keys_")}
            return cls(keys, saved["kinds"].tolist(), saved["set_sizes"], saved["set_kinds"])

    def bind(self, columns: dict[str, int]) -> "LexiconIndex":
        """Map each (kind, B/E, capped length) and (kind, M) attribute to its weight column; -1: the model
        has none."""
        lengths = range(MAX_LENGTH_FEATURE + 1)
        self.begin = np.array([[columns.get(f"{kind}B{n}", -1) for n in lengths] for kind in self.kinds])
        self.end = np.array([[columns.get(f"{kind}E{n}", -1) for n in lengths] for kind in self.kinds])
        self.inside = np.array([columns.get(f"{kind}M", -1) for kind in self.kinds])
        return self

    def attributes(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """(positions, weight columns) of the lexicon attributes of every character of `text`."""
        codes = np.frombuffer(text.encode("utf-32-le"), dtype="<u4").astype(np.uint64)
        hits = [self._hits(codes, length) for length in sorted(self.keys) if length <= len(codes)]
        if not hits:
            return np.zeros(0, np.intp), np.zeros(0, np.intp)
        start, length, kind_set = (np.concatenate(part) for part in zip(*hits))
        sizes = self.set_sizes[kind_set]
        kind = self.set_kinds[np.repeat(self.set_starts[kind_set], sizes) + _ranges(sizes)]
        start, length = np.repeat(start, sizes), np.repeat(length, sizes)
        capped = np.minimum(length, MAX_LENGTH_FEATURE)
        n_kinds = len(self.inside)
        positions, columns = [], []
        for at, table in ((start, self.begin), (start + length - 1, self.end)):
            # The longest entry of each kind starting (ending) at a position gives its attribute.
            order = np.lexsort((length, at * n_kinds + kind))
            group = (at * n_kinds + kind)[order]
            last = order[np.append(group[1:] != group[:-1], True)]
            positions.append(at[last])
            columns.append(table[kind[last], capped[last]])
        long = np.flatnonzero(length > 2)
        inner = np.repeat(start[long] + 1, length[long] - 2) + _ranges(length[long] - 2)
        inner_kind = np.repeat(kind[long], length[long] - 2)
        unique = np.unique(inner * n_kinds + inner_kind)
        positions.append(unique // n_kinds)
        columns.append(self.inside[unique % n_kinds])
        positions_all, columns_all = np.concatenate(positions), np.concatenate(columns)
        known = columns_all >= 0
        return positions_all[known], columns_all[known]

    def _hits(self, codes: np.ndarray, length: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        windows = np.lib.stride_tricks.sliding_window_view(codes, length)
        keys, sets = self.keys[length]
        wanted = _keys(windows, length)
        found = np.minimum(np.searchsorted(keys, wanted), len(keys) - 1)
        where = np.flatnonzero(keys[found] == wanted)
        return where, np.full(len(where), length), sets[found[where]]


def _keys(codes: np.ndarray, length: int) -> np.ndarray:
    """One uint64 key per row of `length` code points."""
    key = np.zeros(len(codes), np.uint64)
    with np.errstate(over="ignore"):
        for j in range(length):
            key = (key << np.uint64(21)) | codes[:, j] if length <= EXACT_LENGTH else key * HASH_BASE + codes[:, j]
    return key


def _ranges(sizes: np.ndarray) -> np.ndarray:
    """0..size-1 for each size, concatenated."""
    ends = np.cumsum(sizes)
    return np.arange(ends[-1] if len(ends) else 0) - np.repeat(ends - sizes, sizes)
