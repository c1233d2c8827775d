"""A character BiGRU-CRF run in numpy: Baidu LAC's small network, fine-tuned to tag PERSON / ORG / LOC.

jieba (MIT) ships the weights of LAC's small model (Apache-2.0, `jieba/lac_small`):
character embeddings, two bidirectional GRU layers of 128 and a CRF over word-class
and PER / LOC / ORG / TIME tags, trained by Baidu on far more text than the public
corpora here hold. `pipeline.train_gru` fine-tunes that network on MSRA (BIO tags)
and saves it with `GRUTagger.save`; the NER model averages its per-character tag
probabilities with the CRF's (`pipeline.ner_crf`). Running it needs numpy only:
jieba (and torch) are needed to train, not to tag.
"""
from __future__ import annotations

import struct
from pathlib import Path

import numpy as np

from pipeline.chain_crf import best_paths, length_batches, padded_marginals, reversed_positions
from pipeline.knowledge import load_knowledge

HIDDEN = 128
UNKNOWN = "OOV"
LAC_FILES = ("word_emb", "crfw", *(f"fc_{i}.{p}_0" for i in range(5) for p in "wb"),
             *(f"gru_{i}.{p}_0" for i in range(4) for p in "wb"))
NOT_ALLOWED = -1e4


def read_lod_tensor(path: Path) -> np.ndarray:
    """A float32 tensor saved by Paddle: uint32 version, uint64 LoD level (0 here), uint32 tensor version,
    int32 size of the TensorDesc protobuf (varint fields: data type 5 = float32, dims), then the data."""
    data = path.read_bytes()
    _, lod_level, _, desc_size = struct.unpack_from("<IQIi", data, 0)
    header = struct.calcsize("<IQIi")
    fields, i = [], header
    while i < header + desc_size:
        tag, value, shift = data[i], 0, 0
        i += 1
        while True:
            value |= (data[i] & 0x7F) << shift
            shift, i = shift + 7, i + 1
            if data[i - 1] < 0x80:
                break
        fields.append((tag, value))
    if lod_level != 0 or (0x08, 5) not in fields:
        raise ValueError(f"{path}: not a float32 tensor without LoD (LAC's weights are)")
    dims = [value for tag, value in fields if tag == 0x10]
    return np.frombuffer(data, dtype="<f4", offset=header + desc_size).reshape(dims)


def jieba_lac_folder() -> Path:
    try:
        import jieba
    except ImportError as error:
        raise ImportError("training reads Baidu LAC's weights from jieba: pip install -e '.[train]'") from error
    return Path(jieba.__file__).parent / "lac_small"


def lac_weights(folder: Path) -> tuple[dict[str, np.ndarray], list[str], list[str]]:
    """LAC's arrays in this module's names, its vocabulary (by id) and its tags (by id). Paddle keeps a GRU's
    weights as a (H, 2H) gate block (update, reset) followed by a (H, H) candidate block in one buffer."""
    missing = [name for name in LAC_FILES if not (folder / "model_baseline" / name).exists()]
    missing += [name for name in ("word.dic", "tag.dic") if not (folder / name).exists()]
    if missing:
        raise FileNotFoundError(f"LAC's small model is incomplete in {folder}: {', '.join(missing)} missing")
    raw = {name: read_lod_tensor(folder / "model_baseline" / name) for name in LAC_FILES}
    arrays = {"embeddings": raw["word_emb"], "out_w": raw["fc_4.w_0"], "out_b": raw["fc_4.b_0"],
              "start": raw["crfw"][0], "end": raw["crfw"][1], "transitions": raw["crfw"][2:]}
    for k in range(4):
        flat = raw[f"gru_{k}.w_0"].reshape(-1)
        arrays[f"proj_{k}"] = raw[f"fc_{k}.w_0"]
        arrays[f"bias_{k}"] = raw[f"fc_{k}.b_0"] + raw[f"gru_{k}.b_0"].reshape(-1)
        arrays[f"gates_{k}"] = flat[:2 * HIDDEN * HIDDEN].reshape(HIDDEN, 2 * HIDDEN)
        arrays[f"candidate_{k}"] = flat[2 * HIDDEN * HIDDEN:].reshape(HIDDEN, HIDDEN)

    def by_id(path: Path) -> list[str]:
        pairs = [line.split("\t", 1) for line in path.read_text(encoding="utf-8").splitlines() if "\t" in line]
        names = [""] * (max(int(i) for i, _ in pairs) + 1)
        for i, name in pairs:
            names[int(i)] = name
        return names

    return arrays, by_id(folder / "word.dic"), by_id(folder / "tag.dic")


def input_form() -> dict[int, int]:
    """Full-width ASCII as ASCII, and the CJK marks of lac_input.yaml: LAC was trained on half-width text."""
    table = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
    table.update(str.maketrans(load_knowledge().yaml("lac_input.yaml")["punctuation"]))
    return table


def bio_constraints(tags: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Which transitions (from, to) and which first tags BIO allows: `I-X` only after `B-X` or `I-X`."""
    inside = [tag[2:] if tag.startswith("I-") else None for tag in tags]
    allowed = np.array([[label is None or tag[2:] == label for label in inside] for tag in tags])
    return allowed, np.array([label is None for label in inside])


class GRUTagger:
    """Per-character tag probabilities (`marginals`) of a BiGRU-CRF over `tags`."""

    def __init__(self, arrays: dict[str, np.ndarray], vocabulary: list[str], tags: list[str]) -> None:
        self.arrays = {name: np.asarray(value, dtype=np.float32) for name, value in arrays.items()}
        self.vocabulary_list, self.tags = list(vocabulary), list(tags)
        self.vocabulary = {word: i for i, word in enumerate(vocabulary)}
        self.unknown = self.vocabulary[UNKNOWN]
        self.input_form = input_form()
        a = self.arrays
        # The two directions of a layer are stacked so one matmul serves both.
        self.layers = [tuple(np.stack([a[f"{part}_{k + d}"] for d in range(2)])
                             for part in ("proj", "bias", "gates", "candidate")) for k in (0, 2)]
        # The first layer's input projections of every character, looked up instead of multiplied.
        projection, bias = self.layers[0][:2]
        # Written in place: stacking two finished tables copied 64 MB, a tenth of a second of every start.
        self.first_inputs = np.empty((2, len(a["embeddings"]), projection.shape[-1]), np.float32)
        for d in range(2):
            np.matmul(a["embeddings"], projection[d], out=self.first_inputs[d])
            self.first_inputs[d] += bias[d]
        allowed, first = bio_constraints(self.tags)
        self.bio_scores = np.where(allowed, 0.0, NOT_ALLOWED), np.where(first, 0.0, NOT_ALLOWED)
        self.transitions = np.where(allowed, a["transitions"], NOT_ALLOWED).astype(np.float32)
        self.start = np.where(first, a["start"], NOT_ALLOWED).astype(np.float32)

    def save(self, path: Path) -> None:
        """Weights as float16 (half the size; tagging is unchanged at this precision) and the vocabulary."""
        np.savez_compressed(path, **{name: value.astype(np.float16) for name, value in self.arrays.items()},
                            vocabulary=np.array(self.vocabulary_list), tags=np.array(self.tags))

    @classmethod
    def load(cls, path: Path) -> "GRUTagger":
        with np.load(path, allow_pickle=False) as saved:
            arrays = {name: saved[name] for name in saved.files if name not in ("vocabulary", "tags")}
            return cls(arrays, saved["vocabulary"].tolist(), saved["tags"].tolist())

    def ids(self, text: str) -> list[int]:
        return [self.vocabulary.get(char, self.unknown) for char in text.translate(self.input_form)]

    def spans(self, probabilities: list[np.ndarray]) -> list[list[tuple[int, int, str]]]:
        """For each array of per-character tag probabilities, (start, end, label) of the best BIO sequence."""
        found: list[list[tuple[int, int, str]]] = [[] for _ in probabilities]
        for batch in length_batches([len(p) for p in probabilities]):
            paths = best_paths([np.log(probabilities[i] + 1e-9) for i in batch], *self.bio_scores)
            for i, path in zip(batch, paths):
                found[i] = bio_spans([self.tags[k] for k in path])
        return found

    def marginals(self, texts: list[str]) -> list[np.ndarray]:
        """For each text, an array (characters, tags) of the probability of each tag at each character."""
        result: list[np.ndarray] = [np.zeros((0, len(self.tags)), np.float32)] * len(texts)
        for batch in length_batches([len(text) for text in texts]):
            for i, probabilities in zip(batch, self._batch_marginals([texts[i] for i in batch])):
                result[i] = probabilities
        return result

    def _batch_marginals(self, texts: list[str]) -> list[np.ndarray]:
        lengths = np.array([len(t) for t in texts])
        width = int(lengths.max())
        ids = np.full((len(texts), width), self.unknown)
        for row, text in enumerate(texts):
            ids[row, :len(text)] = self.ids(text)
        # The backward direction reads each text's reversed copy; `reverse` indexes the flattened (row, position).
        reverse = (np.arange(len(texts))[:, None] * width + reversed_positions(lengths, width)).ravel()
        flat = ids.ravel()
        inputs = np.stack([self.first_inputs[0][flat], self.first_inputs[1][flat[reverse]]])
        x = np.empty((0, 0), np.float32)  # the previous layer's output, both directions side by side
        for k, (projection, bias, gates, candidate) in enumerate(self.layers):
            if k:
                inputs = np.empty((2, len(x), projection.shape[-1]), np.float32)
                np.matmul(x, projection[0], out=inputs[0])
                np.matmul(x[reverse], projection[1], out=inputs[1])
                inputs += bias[:, None]
            out = _gru(inputs.reshape(2, len(texts), width, -1), gates, candidate).reshape(2, len(flat), HIDDEN)
            x = np.concatenate([out[0], out[1][reverse]], -1)
        scores = x.reshape(len(texts), width, -1) @ self.arrays["out_w"] + self.arrays["out_b"]
        return padded_marginals(scores, lengths, self.start, self.arrays["end"], self.transitions)



def _gru(inputs: np.ndarray, gates: np.ndarray, candidate: np.ndarray) -> np.ndarray:
    """Paddle's GRU (origin_mode off): h = h + u * (tanh(x_c + (r * h) W_c) - h), gates sigmoid.
    In place where it can be: the loop runs once per position, so allocations count."""
    directions, rows, width, _ = inputs.shape
    out = np.empty((directions, rows, width, HIDDEN), np.float32)
    h = np.zeros((directions, rows, HIDDEN), np.float32)
    g = np.empty((directions, rows, 2 * HIDDEN), np.float32)
    c = np.empty((directions, rows, HIDDEN), np.float32)
    for t in range(width):
        x = inputs[:, :, t]
        np.matmul(h, gates, out=g)
        g += x[..., :2 * HIDDEN]
        g *= 0.5
        np.tanh(g, out=g)
        g *= 0.5
        g += 0.5  # the sigmoid, with one transcendental
        np.matmul(g[..., HIDDEN:] * h, candidate, out=c)
        c += x[..., 2 * HIDDEN:]
        np.tanh(c, out=c)
        c -= h
        c *= g[..., :HIDDEN]
        h = h + c
        out[:, :, t] = h
    return out




def bio_spans(tags: list[str]) -> list[tuple[int, int, str]]:
    """(start, end, label) of each `B-X I-X …` run."""
    spans, start, label = [], -1, ""
    for i, tag in enumerate([*tags, "O"]):
        if start >= 0 and tag != "I-" + label:
            spans.append((start, i, label))
            start = -1
        if tag.startswith("B-"):
            start, label = i, tag[2:]
    return spans
