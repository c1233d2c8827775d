"""Linear-chain CRF arithmetic (`pipeline.chain_crf`) against brute force over every tag sequence."""
from __future__ import annotations

import itertools

import numpy as np

from pipeline.chain_crf import best_paths, length_batches, padded_marginals


def _brute_force(scores: np.ndarray, start: np.ndarray, end: np.ndarray, transitions: np.ndarray):
    """Each tag sequence's score, exponentiated and normalised: the marginals and the best sequence."""
    n, k = scores.shape
    weights = {}
    for path in itertools.product(range(k), repeat=n):
        total = start[path[0]] + end[path[-1]] + sum(scores[t, y] for t, y in enumerate(path))
        total += sum(transitions[a, b] for a, b in zip(path, path[1:]))
        weights[path] = np.exp(total)
    z = sum(weights.values())
    marginals = np.zeros((n, k))
    for path, w in weights.items():
        for t, y in enumerate(path):
            marginals[t, y] += w / z
    return marginals, list(max(weights, key=weights.get))


def test_marginals_and_best_paths_match_brute_force_for_padded_rows_of_different_lengths():
    rng = np.random.default_rng(3)
    k = 3
    transitions, start, end = rng.normal(0, 2, (k, k)), rng.normal(0, 1, k), rng.normal(0, 1, k)
    transitions[0, 2] = -1e4  # a forbidden transition stays forbidden
    rows = [rng.normal(0, 3, (n, k)) for n in (4, 1, 3)]
    padded = np.zeros((3, 4, k))
    for r, s in enumerate(rows):
        padded[r, :len(s)] = s
    found = padded_marginals(padded, np.array([4, 1, 3]), start, end, transitions)
    paths = best_paths(rows, transitions, np.zeros(k))
    for s, marginals, path in zip(rows, found, paths):
        expected, _ = _brute_force(s, start, end, transitions)
        assert np.allclose(marginals, expected, atol=1e-9)
        assert path == _brute_force(s, np.zeros(k), np.zeros(k), transitions)[1]
    assert all(not (a == 0 and b == 2) for path in paths for a, b in zip(path, path[1:]))


def test_length_batches_keep_similar_lengths_together_and_skip_empty_texts():
    lengths = [5, 0, 300, 6, 2400, 7, 290]
    batches = length_batches(lengths)
    assert sorted(i for batch in batches for i in batch) == [0, 2, 3, 4, 5, 6]
    assert [4] in batches and any({2, 6} <= set(batch) for batch in batches)
    assert all(max(lengths[i] for i in b) <= 1.2 * min(lengths[i] for i in b) + 8 for b in batches)
    assert length_batches(lengths, cells=10_000, padding=100.0) == [[0, 3, 5, 6, 2], [4]]
