"""The character CRF's weights as numpy arrays: every character of a batch of texts scored at once.

CRFsuite trains the CRF (`pipeline.train`). Tagging through python-crfsuite costs a Python call per character
to hand over its attribute strings and one per character and tag to read the marginals back. Here each window
template of `pipeline.crf_features` (`c-1c0=…`) is a sorted array of integer keys, the code points of the
template's characters packed into one int64, with a row of tag weights per key: a batch is scored with one
`searchsorted` per template (the lexicon's attributes likewise: `pipeline.lexicon_index`), and the marginals
and best paths come from the linear-chain arithmetic the network uses too (`pipeline.chain_crf`).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from pipeline.chain_crf import best_paths, length_batches, padded_marginals, padded_rows
from pipeline.crf_features import BIAS, CLASS_TEMPLATE, PAD, Lexicon, char_class
from pipeline.lexicon_index import LexiconIndex

CODE_BITS = 21  # a code point fits in 21 bits: three of them pack into one int64
WINDOW_TEMPLATE = re.compile(r"(?:c-?\d)+")
CRF_BATCH_CELLS = 200_000
CRF_PADDING = 3.0
CLASSES = "HDLP"  # `char_class` letters, as the integers the class template packs


@dataclass
class Window:
    """One window template: the offsets it reads, whether it reads classes (else characters), its known keys
    (sorted) and their weights, with a last row of zeros for a key the model never saw."""
    offsets: tuple[int, ...]
    on_classes: bool
    keys: np.ndarray
    weights: np.ndarray


class CRFWeights:
    """A linear-chain CRF over `labels`: window templates, other attributes by name, tag transitions."""

    def __init__(self, labels: list[str], transitions: np.ndarray, windows: list[Window],
                 named: list[str], named_weights: np.ndarray) -> None:
        self.labels, self.transitions, self.windows = list(labels), transitions, windows
        self.named = {attribute: row for row, attribute in enumerate(named)}
        self.named_weights = named_weights
        self.bias = named_weights[self.named[BIAS]] if BIAS in self.named else np.zeros(len(labels))
        self._lexicon_index: tuple[Lexicon, LexiconIndex] | None = None

    @classmethod
    def from_crfsuite(cls, model_file: Path) -> "CRFWeights":
        """Read a CRFsuite model's state and transition weights (python-crfsuite's `Tagger.info`)."""
        import pycrfsuite

        tagger = pycrfsuite.Tagger()
        tagger.open(str(model_file))
        labels, info = tagger.labels(), tagger.info()
        index = {label: k for k, label in enumerate(labels)}
        transitions = np.zeros((len(labels), len(labels)))
        for (before, after), weight in info.transitions.items():
            transitions[index[before], index[after]] = weight
        by_template: dict[tuple[tuple[int, ...], bool], dict[int, np.ndarray]] = {}
        named: dict[str, np.ndarray] = {}
        for (attribute, label), weight in info.state_features.items():
            template = _window_of(attribute)
            row = named.setdefault(attribute, np.zeros(len(labels))) if template is None else \
                by_template.setdefault(template[0], {}).setdefault(template[1], np.zeros(len(labels)))
            row[index[label]] = weight
        windows = []
        for (offsets, on_classes), rows in sorted(by_template.items()):
            keys = np.array(sorted(rows), dtype=np.int64)
            weights = np.vstack([*(rows[key] for key in keys.tolist()), np.zeros(len(labels))])
            windows.append(Window(offsets, on_classes, keys, weights))
        names = sorted(named)
        return cls(labels, transitions, windows, names, np.array([named[name] for name in names]).reshape(-1, len(labels)))

    def save(self, path: Path) -> None:
        arrays = {"labels": np.array(self.labels), "transitions": self.transitions,
                  "named": np.array(sorted(self.named, key=self.named.get)), "named_weights": self.named_weights}
        for k, window in enumerate(self.windows):
            arrays.update({f"offsets_{k}": np.array(window.offsets), f"on_classes_{k}": np.array(window.on_classes),
                           f"keys_{k}": window.keys, f"weights_{k}": window.weights.astype(np.float32)})
        np.savez_compressed(path, **arrays)

    @classmethod
    def load(cls, path: Path) -> "CRFWeights":
        with np.load(path, allow_pickle=False) as saved:
            windows = [Window(tuple(saved[f"offsets_{k}"].tolist()), bool(saved[f"on_classes_{k}"]),
                              saved[f"keys_{k}"], saved[f"weights_{k}"].astype(np.float64))
                       for k in range(sum(name.startswith("keys_") for name in saved.files))]
            return cls(saved["labels"].tolist(), saved["transitions"], windows, saved["named"].tolist(),
                       saved["named_weights"])

    def scores(self, texts: list[str], lexicon: Lexicon) -> list[np.ndarray]:
        """For each text, its (characters, labels) state scores: the sum of its attributes' weights."""
        lengths = [len(text) for text in texts]
        padded = "".join(PAD * 2 + text + PAD * 2 for text in texts)
        codes = np.frombuffer(padded.encode("utf-32-le"), dtype="<u4").astype(np.int64)
        class_of = {char: CLASSES.index(char_class(char)) for char in set(padded)}
        classes = np.array([class_of[char] for char in padded], dtype=np.int64)
        starts = np.cumsum([0, *(n + 4 for n in lengths[:-1])]) + 2
        positions = np.concatenate([np.arange(s, s + n) for s, n in zip(starts, lengths)] or [np.zeros(0, int)])
        total = np.tile(self.bias, (len(positions), 1))
        for window in self.windows:
            source, key = (classes if window.on_classes else codes), np.zeros(len(positions), np.int64)
            for offset in window.offsets:
                key = (key << CODE_BITS) | source[positions + offset]
            found = np.minimum(np.searchsorted(window.keys, key), len(window.keys) - 1)
            total += window.weights[np.where(window.keys[found] == key, found, len(window.keys))]
        at, columns = self.index(lexicon).attributes(padded)
        row_of = np.full(len(padded), -1)
        row_of[positions] = np.arange(len(positions))
        np.add.at(total, row_of[at], self.named_weights[columns])  # a lexicon entry never spans a PAD
        return np.split(total, np.cumsum(lengths)[:-1]) if texts else []

    def use_index(self, lexicon: Lexicon, index: LexiconIndex) -> None:
        """Take the lexicon's index (as saved with the model) instead of building it on first use."""
        self._lexicon_index = lexicon, index.bind(self.named)

    def index(self, lexicon: Lexicon) -> LexiconIndex:
        """The lexicon indexed for this model's attributes, built on first use unless given (a model has one
        lexicon)."""
        if self._lexicon_index is None or self._lexicon_index[0] is not lexicon:
            self.use_index(lexicon, LexiconIndex.build(lexicon))
        return self._lexicon_index[1]

    def marginals(self, texts: list[str], lexicon: Lexicon) -> list[np.ndarray]:
        """For each text, the probability of each label at each character."""
        scores, no_edge = self.scores(texts, lexicon), np.zeros(len(self.labels))
        result = [np.zeros((0, len(self.labels)))] * len(texts)
        for batch in _batches(texts):
            padded, lengths = padded_rows([scores[i] for i in batch])
            for i, probabilities in zip(batch, padded_marginals(padded, lengths, no_edge, no_edge, self.transitions)):
                result[i] = probabilities
        return result

    def best_tags(self, texts: list[str], lexicon: Lexicon) -> list[list[str]]:
        """For each text, its best label sequence (Viterbi)."""
        scores, first = self.scores(texts, lexicon), np.zeros(len(self.labels))
        result: list[list[str]] = [[] for _ in texts]
        for batch in _batches(texts):
            for i, path in zip(batch, best_paths([scores[i] for i in batch], self.transitions, first)):
                result[i] = [self.labels[k] for k in path]
        return result


def _batches(texts: list[str]) -> list[list[int]]:
    """A step of the recursions costs about as much for one sequence as for a hundred (13 tags), so the CRF
    takes far larger batches, with far more padding, than the network."""
    return length_batches([len(text) for text in texts], cells=CRF_BATCH_CELLS, padding=CRF_PADDING)


def _window_of(attribute: str) -> tuple[tuple[tuple[int, ...], bool], int] | None:
    """((offsets, on classes), packed key) of a window template's attribute; None for any other attribute."""
    name, equals, value = attribute.partition("=")
    if not equals:
        return None
    on_classes = name == CLASS_TEMPLATE
    offsets = (-1, 0, 1) if on_classes else tuple(int(k) for k in re.findall(r"c(-?\d)", name))
    if not (on_classes or WINDOW_TEMPLATE.fullmatch(name)) or len(value) != len(offsets):
        return None
    key = 0
    for char in value:
        key = (key << CODE_BITS) | (CLASSES.index(char) if on_classes else ord(char))
    return (offsets, on_classes), key
