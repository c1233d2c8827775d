"""Distributional clusters of characters and bigrams, learnt from the corpora's raw text.

A character CRF sees a name it never saw as a string of unknown characters. A
cluster id groups characters (and bigrams) that occur in the same contexts
(`张 王 周 李 …`, `京 州 港 …`, `会 局 部 委 …`), so what the model learnt of one
member carries to the others. Each character is described by the characters
two to the left and right of it, each bigram by the characters just outside
it; the counts are weighted by positive PMI, reduced by a truncated SVD and
grouped by spherical k-means (fixed seeds). The clusters join the CRF's typed
lexicon as kinds `K64_…`, `K512_…` (characters) and `J256_…` (bigrams).

Raw text: the sentences of the corpora the model may learn from and whose terms
carry no share-alike clause (MSRA train, CLUENER, Resume train/dev, FinRE),
labels unused. What the model is scored on (MSRA test, People's Daily, Weibo)
is left out, and so are the CC BY-SA corpora (Weibo, UD GSDSimp, FewFC): a
model holding clusters learnt from them would inherit their share-alike terms.
"""
from __future__ import annotations

import logging
from collections import Counter
from pathlib import Path

import numpy as np

from pipeline.corpora import msra_train, read_char_columns, read_cluener

CHAR_CLUSTERS = (64, 512)
BIGRAM_CLUSTERS = (256,)
CHAR_DIMENSIONS, BIGRAM_DIMENSIONS = 80, 64
MIN_COUNT = 3  # characters and bigrams seen fewer times get no cluster
CONTEXT_CHARACTERS = 6000  # the most frequent characters are contexts; the rest share one
SEED = 0


def raw_sentences(corpora: Path) -> list[str]:
    """Each distinct sentence of the corpora the model may learn from, in a fixed order."""
    texts = [item.text for item in msra_train(corpora)]
    for split in ("train", "dev", "test"):  # CLUENER's test is unlabelled and scored nowhere
        texts += [item.text for item in read_cluener(corpora / "cluener2020" / f"{split}.json")]
    for split in ("train", "dev"):
        texts += [item.text for item in read_char_columns(corpora / "resume_ner" / f"{split}.char.bmes", "resume", "BMES")]
    for split in ("train", "valid", "test"):  # FinRE: one line per entity pair, the sentence last
        lines = (corpora / "finre" / f"{split}.txt").read_text(encoding="utf-8").splitlines()
        texts += list(dict.fromkeys(parts[3] for parts in (line.split("\t") for line in lines) if len(parts) == 4))
    return list(dict.fromkeys(texts))


def _spherical_kmeans(vectors: np.ndarray, k: int, iterations: int = 20) -> np.ndarray:
    rng = np.random.default_rng(SEED)
    centres = vectors[rng.choice(len(vectors), k, replace=False)]
    assignment = np.zeros(len(vectors), dtype=int)
    for _ in range(iterations):
        assignment = (vectors @ centres.T).argmax(1)
        for j in range(k):
            members = vectors[assignment == j]
            if len(members):
                centre = members.mean(0)
                centres[j] = centre / (np.linalg.norm(centre) + 1e-9)
    return assignment


def _embed(rows: dict[str, int], pairs: Counter, dimensions: int) -> np.ndarray:
    """Unit vectors from the positive-PMI matrix of (row, context) counts, by truncated SVD."""
    from scipy.sparse import coo_matrix
    from scipy.sparse.linalg import svds

    contexts: dict = {}
    row_ids, column_ids, counts = [], [], []
    for (item, context), n in pairs.items():
        row_ids.append(rows[item])
        column_ids.append(contexts.setdefault(context, len(contexts)))
        counts.append(n)
    matrix = coo_matrix((np.array(counts, float), (row_ids, column_ids)), shape=(len(rows), len(contexts))).tocsr()
    total = matrix.sum()
    row_sums = np.asarray(matrix.sum(1)).ravel()
    column_sums = np.asarray(matrix.sum(0)).ravel() ** 0.75  # smoothed: rare contexts weigh less
    column_sums = column_sums / column_sums.sum() * total
    matrix = matrix.tocoo()
    pmi = np.log(matrix.data * total / (row_sums[matrix.row] * column_sums[matrix.col]))
    keep = pmi > 0
    ppmi = coo_matrix((pmi[keep], (matrix.row[keep], matrix.col[keep])), shape=matrix.shape).tocsr()
    u, s, _ = svds(ppmi, k=min(dimensions, min(ppmi.shape) - 1), random_state=SEED)
    vectors = u * np.sqrt(s)
    return vectors / (np.linalg.norm(vectors, axis=1, keepdims=True) + 1e-9)


def distributional_clusters(texts: list[str]) -> dict[str, tuple[str, ...]]:
    """Cluster kinds per character and bigram (`张 -> ("K512_9", "K64_…")`)."""
    chars = Counter(char for text in texts for char in text)
    vocabulary = {char: i for i, (char, n) in enumerate(chars.most_common()) if n >= MIN_COUNT}
    context_chars = {char for char, _ in chars.most_common(CONTEXT_CHARACTERS)}
    char_pairs: Counter = Counter()
    bigrams: Counter = Counter()
    for text in texts:
        padded = "^^" + text + "$$"
        for i in range(2, len(padded) - 2):
            if padded[i] in vocabulary:
                for offset in (-2, -1, 1, 2):
                    context = padded[i + offset]
                    char_pairs[padded[i], (offset, context if context in context_chars else "?")] += 1
        for i in range(1, len(padded) - 2):
            bigrams[padded[i:i + 2]] += 1
    bigram_ids = {b: i for i, b in enumerate(b for b, n in bigrams.items()
                                             if n >= MIN_COUNT and "^" not in b and "$" not in b)}
    bigram_pairs: Counter = Counter()
    for text in texts:
        padded = "^" + text + "$"
        for i in range(1, len(padded) - 2):
            if padded[i:i + 2] in bigram_ids:
                left, right = padded[i - 1], padded[i + 2]
                bigram_pairs[padded[i:i + 2], (-1, left if left in context_chars else "?")] += 1
                bigram_pairs[padded[i:i + 2], (1, right if right in context_chars else "?")] += 1
    logging.info("clusters: %d sentences, %d characters, %d bigrams", len(texts), len(vocabulary), len(bigram_ids))
    kinds: dict[str, set[str]] = {}
    for prefix, ids, pairs, dimensions, sizes in (("K", vocabulary, char_pairs, CHAR_DIMENSIONS, CHAR_CLUSTERS),
                                                  ("J", bigram_ids, bigram_pairs, BIGRAM_DIMENSIONS, BIGRAM_CLUSTERS)):
        if len(ids) < 4:
            continue
        vectors = _embed(ids, pairs, dimensions)
        for k in sizes:
            for item, cluster in zip(ids, _spherical_kmeans(vectors, min(k, len(ids) // 2))):
                kinds.setdefault(item, set()).add(f"{prefix}{k}_{cluster}")
    return {item: tuple(sorted(found)) for item, found in kinds.items()}
