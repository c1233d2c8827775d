"""Linear-chain CRF arithmetic in numpy, shared by the NER model's two taggers.

Both the character CRF (`pipeline.crf_weights`) and the BiGRU-CRF (`pipeline.gru_tagger`) end in per-character
tag scores and tag-to-tag transition scores; from those, the probability of each tag at each character
(forward-backward) and the best tag sequence (Viterbi) are computed here, many sequences at once.
"""
from __future__ import annotations

import numpy as np

BATCH_CELLS = 16_000  # sequences x length per batch: long sequences go in small batches
BATCH_SEQUENCES = 1024
PADDING = 1.2  # a batch's longest sequence is at most this many times its shortest (+ 8): little is padding


def length_batches(lengths: list[int], cells: int = BATCH_CELLS, padding: float = PADDING) -> list[list[int]]:
    """Indices of the non-empty sequences in batches of similar length (shortest first): a batch holds at most
    `cells` (sequences x longest length), and its longest is at most `padding` times its shortest (+ 8)."""
    batches: list[list[int]] = []
    for k in sorted((i for i, n in enumerate(lengths) if n), key=lambda i: lengths[i]):
        batch = batches[-1] if batches else []
        if not batch or ((len(batch) + 1) * lengths[k] > cells or len(batch) >= BATCH_SEQUENCES
                         or lengths[k] > padding * lengths[batch[0]] + 8):
            batches.append(batch := [])
        batch.append(k)
    return batches


def reversed_positions(lengths: np.ndarray, width: int) -> np.ndarray:
    """For each row, the position each position of the row's reversed copy comes from (padding stays put).
    Reading a sequence backwards = reading its reversed copy, left-aligned, forwards: padding then always
    lies after the real positions and never reaches them."""
    positions = np.arange(width)[None, :]
    return np.where(positions < lengths[:, None], lengths[:, None] - 1 - positions, positions)


def scaled_forward(first: np.ndarray, transitions: np.ndarray, scores: np.ndarray, shift: bool = False) -> np.ndarray:
    """The forward recursion in probability space, each step rescaled to sum to one (the scale of a position
    cancels in its marginals): a[0] ~ exp(first + s[0]), a[t] ~ (a[t-1] @ exp(T)) * exp(s[t]). One matrix
    product a step instead of a log-sum-exp over (rows, tags, tags): several times faster.
    With `shift`, the backward pass on reversed scores: b[0] ~ exp(first), b[t] ~ exp(T') @ (exp(s[t-1]) * b[t-1])
    (called with the transposed transitions), which adds each score one position later."""
    rows, width, n_tags = scores.shape
    weights = np.exp(scores - scores.max(-1, keepdims=True))  # each position's best tag weighs 1: no overflow
    step = np.exp(transitions - transitions.max())
    out = np.empty_like(weights)
    out[:, 0] = np.exp(first - first.max()) * (1 if shift else weights[:, 0])
    for t in range(1, width):
        previous = out[:, t - 1] * weights[:, t - 1] if shift else out[:, t - 1]
        current = previous @ step
        if not shift:
            current *= weights[:, t]
        out[:, t] = current / current.sum(-1, keepdims=True)
    return out


def padded_marginals(scores: np.ndarray, lengths: np.ndarray, start: np.ndarray, end: np.ndarray,
                     transitions: np.ndarray) -> list[np.ndarray]:
    """Per row of padded scores (rows, width, tags), the probability of each tag at each of its `lengths`
    positions under a linear-chain CRF with these start, end and transition scores."""
    reverse = reversed_positions(lengths, scores.shape[1])[:, :, None]
    forward = scaled_forward(start, transitions, scores)
    backward = np.take_along_axis(scaled_forward(end, transitions.T, np.take_along_axis(scores, reverse, 1),
                                                 shift=True), reverse, 1)
    total = forward * backward
    total /= total.sum(-1, keepdims=True)
    return [total[row, :n] for row, n in enumerate(lengths)]


def padded_rows(scores: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Sequences of per-position tag scores as one zero-padded (rows, width, tags) array, and their lengths."""
    lengths = np.array([len(s) for s in scores])
    padded = np.zeros((len(scores), int(lengths.max()), scores[0].shape[1]))
    for row, s in enumerate(scores):
        padded[row, :len(s)] = s
    return padded, lengths


def best_paths(log_scores: list[np.ndarray], transitions: np.ndarray, first: np.ndarray) -> list[list[int]]:
    """For each sequence of per-position tag scores, the best tag sequence under these transition and first-tag
    scores (Viterbi, all sequences at once; positions past a sequence's end leave its scores as they are)."""
    scores, lengths = padded_rows(log_scores)
    rows, width, n_tags = scores.shape
    best = first + scores[:, 0]
    pointers = np.zeros((rows, width, n_tags), dtype=np.intp)
    for t in range(1, width):
        step = best[:, :, None] + transitions[None]
        pointers[:, t] = step.argmax(1)
        best = np.where((t < lengths)[:, None], step.max(1) + scores[:, t], best)
    current, everyone = best.argmax(1), np.arange(rows)
    paths = np.zeros((rows, width), dtype=np.intp)
    for t in range(width - 1, -1, -1):
        paths[:, t] = current
        current = np.where(t < lengths, pointers[everyone, t, current], current)
    return [paths[row, :n].tolist() for row, n in enumerate(lengths)]
