"""How `zhie eval` pairs gold items with predictions, one to one by a maximum bipartite matching, and
counts what it paired: the counts and shares every score is made of."""
from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from pipeline.gold_files import LABELS, base_actions


def _hungarian(cost: list[list[int]]) -> list[int]:
    """The column given to each row by a minimum-cost assignment of a square matrix.

    The potentials formulation of Kuhn-Munkres, O(n^3): rows join one at a time, each
    through the cheapest augmenting path found with a Dijkstra-like scan over columns.
    """
    n = len(cost)
    row_pot, col_pot = [0] * (n + 1), [0] * (n + 1)
    row_of = [0] * (n + 1)  # 1-based row holding each column; column 0 is the row being added
    way = [0] * (n + 1)
    for row in range(1, n + 1):
        row_of[0], col = row, 0
        slack, used = [math.inf] * (n + 1), [False] * (n + 1)
        while row_of[col]:
            used[col] = True
            current, delta, next_col = row_of[col], math.inf, 0
            for j in range(1, n + 1):
                if not used[j]:
                    reduced = cost[current - 1][j - 1] - row_pot[current] - col_pot[j]
                    if reduced < slack[j]:
                        slack[j], way[j] = reduced, col
                    if slack[j] < delta:
                        delta, next_col = slack[j], j
            for j in range(n + 1):
                if used[j]:
                    row_pot[row_of[j]] += delta
                    col_pot[j] -= delta
                else:
                    slack[j] -= delta
            col = next_col
        while col:  # flip the augmenting path
            row_of[col] = row_of[way[col]]
            col = way[col]
    col_of = [0] * n
    for j in range(1, n + 1):
        col_of[row_of[j] - 1] = j - 1
    return col_of


def _components(edges: set[tuple[int, int]]) -> list[tuple[list[int], list[int]]]:
    """Connected components of a bipartite graph, as (gold indices, prediction indices)."""
    parent: dict[tuple[str, int], tuple[str, int]] = {}

    def root(node: tuple[str, int]) -> tuple[str, int]:
        while parent.setdefault(node, node) != node:
            node = parent[node]
        return node

    for g, p in edges:
        parent[root(("g", g))] = root(("p", p))
    groups: dict[tuple[str, int], tuple[list[int], list[int]]] = defaultdict(lambda: ([], []))
    for node in parent:
        side, index = node
        groups[root(node)][0 if side == "g" else 1].append(index)
    return sorted((sorted(golds), sorted(preds)) for golds, preds in groups.values())


_MAX_PREFERENCE = 2  # what + where agreement


def match_pairs(n_gold: int, n_pred: int, compatible: Callable[[int, int], bool],
           preference: Callable[[int, int], int] | None = None) -> list[tuple[int, int]]:
    """A maximum one-to-one matching of gold items to predictions, as sorted (gold, pred) pairs.

    Among the matchings of maximum size it takes one with the largest total `preference`
    (0.._MAX_PREFERENCE per pair), so what/where agreement does not hinge on which of two
    interchangeable gold tuples a prediction is paired with. The graph is split into
    connected components first: they are small, and the assignment is cubic in their size.
    """
    edges = {(g, p) for g in range(n_gold) for p in range(n_pred) if compatible(g, p)}
    pairs = []
    for golds, preds in _components(edges):
        # One more pair must outweigh any preference total, so the matching stays maximum.
        pair_weight = _MAX_PREFERENCE * min(len(golds), len(preds)) + 1
        size = max(len(golds), len(preds))
        cost = [[0] * size for _ in range(size)]  # padding and non-edges cost 0: "left unmatched"
        for i, g in enumerate(golds):
            for j, p in enumerate(preds):
                if (g, p) in edges:
                    cost[i][j] = -(pair_weight + (preference(g, p) if preference else 0))
        pairs += [(golds[i], preds[j]) for i, j in enumerate(_hungarian(cost)) if cost[i][j] < 0]
    return sorted(pairs)




@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @classmethod
    def of(cls, n_gold: int, n_pred: int, pairs: list[tuple[int, int]]) -> "Counts":
        return cls(tp=len(pairs), fp=n_pred - len(pairs), fn=n_gold - len(pairs))

    def __add__(self, other: "Counts") -> "Counts":
        return Counts(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)

    def as_dict(self) -> dict[str, Any]:
        # Single divisions of integers, so hand-computed fractions compare equal in tests.
        return {"precision": ratio(self.tp, self.tp + self.fp), "recall": ratio(self.tp, self.tp + self.fn),
                "f1": ratio(2 * self.tp, 2 * self.tp + self.fp + self.fn),
                "tp": self.tp, "fp": self.fp, "fn": self.fn}


@dataclass
class Share:
    hits: int = 0
    compared: int = 0

    def __add__(self, other: "Share") -> "Share":
        return Share(self.hits + other.hits, self.compared + other.compared)


def ratio(numerator: int, denominator: int) -> float:
    return numerator / denominator if denominator else 0.0


def _add_by_key(a: dict[str, Counts], b: dict[str, Counts]) -> dict[str, Counts]:
    return {key: a.get(key, Counts()) + b.get(key, Counts()) for key in a | b}


def counts_by(gold_keys: list[str], pred_keys: list[str], pairs: list[tuple[int, int]],
               known: Iterable[str]) -> dict[str, Counts]:
    """Split a matching's counts by label or action (a pair never joins two different ones)."""
    counts = {key: Counts() for key in known}
    for key in gold_keys:
        counts.setdefault(key, Counts()).fn += 1
    for key in pred_keys:
        counts.setdefault(key, Counts()).fp += 1
    for g, _ in pairs:
        matched = counts[gold_keys[g]]
        matched.tp, matched.fp, matched.fn = matched.tp + 1, matched.fp - 1, matched.fn - 1
    return counts


@dataclass
class Tally:
    """Raw counts of one document; the micro scores are the sum of the documents' tallies."""
    entities: dict[str, Counts]  # by label
    entities_canonical: Counts
    dates: Counts
    intervals: Share
    strict: dict[str, Counts]  # by action
    relaxed: dict[str, Counts]
    what: Share
    where: Share

    @classmethod
    def zero(cls) -> "Tally":
        return cls({label: Counts() for label in LABELS}, Counts(), Counts(), Share(),
                   {action: Counts() for action in base_actions()}, {action: Counts() for action in base_actions()},
                   Share(), Share())

    def __add__(self, other: "Tally") -> "Tally":
        return Tally(_add_by_key(self.entities, other.entities),
                      self.entities_canonical + other.entities_canonical, self.dates + other.dates,
                      self.intervals + other.intervals, _add_by_key(self.strict, other.strict),
                      _add_by_key(self.relaxed, other.relaxed), self.what + other.what,
                      self.where + other.where)
