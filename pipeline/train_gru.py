"""Fine-tune LAC's small BiGRU-CRF (its weights ship in jieba) on MSRA train for PERSON / ORG / LOC.

The network starts from LAC's weights (`pipeline.gru_tagger`); its output layer and CRF
start from LAC's PER / LOC / ORG rows, O from its common-noun row. Adam (learning rate
1e-3, halved after each epoch), dropout 0.2, gradients clipped at 5, batches of up to 64
sentences and 4,000 characters in shuffled order, torch seeded with 0 on one thread:
the same corpora give the same weights. About 6 minutes an epoch on one core here. Needs
torch and jieba (the `train` extra); the saved tagger needs numpy only.
"""
from __future__ import annotations

import logging
import random
import time
from typing import TYPE_CHECKING

import numpy as np

from pipeline.corpora import LabelledText
from pipeline.gru_tagger import (
    HIDDEN,
    GRUTagger,
    bio_constraints,
    jieba_lac_folder,
    lac_weights,
)

if TYPE_CHECKING:
    import torch

TAGS = ["O", "B-PERSON", "I-PERSON", "B-LOC", "I-LOC", "B-ORG", "I-ORG"]
LAC_ROWS = {"O": "n-B", "B-PERSON": "PER-B", "I-PERSON": "PER-I", "B-LOC": "LOC-B", "I-LOC": "LOC-I",
            "B-ORG": "ORG-B", "I-ORG": "ORG-I"}
MSRA_LABELS = {"PER": "PERSON"}
BATCH_CHARS, BATCH_SENTENCES = 4000, 64


def bio_ids(item: LabelledText) -> list[int]:
    ids = [0] * len(item.text)
    for start, end, label in item.spans:
        if label:
            label = MSRA_LABELS.get(label, label)
            ids[start:end] = [TAGS.index("B-" + label)] + [TAGS.index("I-" + label)] * (end - start - 1)
    return ids


def batches(items: list[LabelledText], rng: random.Random) -> list[list[int]]:
    """Sentences of similar length together (little padding), the batches in shuffled order."""
    order = sorted(range(len(items)), key=lambda i: len(items[i].text))
    result, current = [], []
    for i in order:
        if current and ((len(current) + 1) * len(items[i].text) > BATCH_CHARS or len(current) >= BATCH_SENTENCES):
            result.append(current)
            current = []
        current.append(i)
    result.append(current)
    rng.shuffle(result)
    return result


def _lac_start() -> tuple[dict[str, np.ndarray], list[str]]:
    """LAC's weights and vocabulary, its output rows cut down to the PERSON/LOC/ORG tags (`LAC_ROWS`)."""
    arrays, vocabulary, lac_tags = lac_weights(jieba_lac_folder())
    rows = [lac_tags.index(LAC_ROWS[tag]) for tag in TAGS]
    arrays.update(out_w=arrays["out_w"][:, rows], out_b=arrays["out_b"][rows], start=arrays["start"][rows],
                  end=arrays["end"][rows], transitions=arrays["transitions"][np.ix_(rows, rows)])
    return arrays, vocabulary


def _batch_tensors(encoder: GRUTagger, items: list[LabelledText]) -> tuple["torch.Tensor", "torch.Tensor",
                                                                            "torch.Tensor"]:
    """Character ids, gold tag ids and the mask of a batch, padded to its longest text."""
    import torch

    width = max(len(item.text) for item in items)
    ids = torch.full((len(items), width), encoder.unknown, dtype=torch.long)
    gold = torch.zeros((len(items), width), dtype=torch.long)
    mask = torch.zeros((len(items), width))
    for row, item in enumerate(items):
        ids[row, :len(item.text)] = torch.tensor(encoder.ids(item.text))
        gold[row, :len(item.text)] = torch.tensor(bio_ids(item))
        mask[row, :len(item.text)] = 1
    return ids, gold, mask


def fine_tune(train: list[LabelledText], dev: list[LabelledText], epochs: int = 4, seed: int = 0,
              start: GRUTagger | None = None, learning_rate: float = 1e-3) -> GRUTagger:
    """Fine-tune LAC's network (or `start`, a tagger already fine-tuned over TAGS) on `train`."""
    import torch

    torch.manual_seed(seed)
    torch.set_num_threads(1)
    rng = random.Random(seed)
    arrays, vocabulary = (start.arrays, start.vocabulary_list) if start else _lac_start()
    params = {name: torch.nn.Parameter(torch.tensor(np.array(value, dtype=np.float32)))
              for name, value in arrays.items()}
    allowed, first = (torch.tensor(a) for a in bio_constraints(TAGS))
    encoder = GRUTagger(arrays, vocabulary, TAGS)  # for its input form and vocabulary
    optimizer = torch.optim.Adam(params.values(), lr=learning_rate)
    dropout = torch.nn.Dropout(0.2)

    def emissions(ids: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
        positions = torch.arange(ids.shape[1])[None]
        reverse = torch.where(positions < lengths[:, None], lengths[:, None] - 1 - positions, positions)
        x = params["embeddings"][ids]
        for k in (0, 2):
            x = dropout(x)
            backward = _gru(torch.gather(x, 1, reverse[:, :, None].expand_as(x)), params, k + 1)
            x = torch.cat([_gru(x, params, k), torch.gather(backward, 1, reverse[:, :, None].expand_as(backward))], -1)
        return dropout(x) @ params["out_w"] + params["out_b"]

    for epoch in range(epochs):
        started, characters, total = time.perf_counter(), 0, 0.0
        for number, batch in enumerate(batches(train, rng)):
            ids, gold, mask = _batch_tensors(encoder, [train[i] for i in batch])
            value = _crf_loss(emissions(ids, mask.sum(1).long()), gold, mask, params, (allowed, first))
            optimizer.zero_grad()
            (value / len(batch)).backward()
            torch.nn.utils.clip_grad_norm_(list(params.values()), 5.0)
            optimizer.step()
            characters, total = characters + int(mask.sum()), total + value.item()
            if number % 100 == 0:
                logging.info("epoch %d batch %d: loss %.4f per character, %.0f characters/s", epoch + 1, number,
                             total / characters, characters / (time.perf_counter() - started))
        for group in optimizer.param_groups:
            group["lr"] /= 2
        tagger = GRUTagger({name: p.detach().numpy() for name, p in params.items()}, vocabulary, TAGS)
        logging.info("epoch %d: dev F1 %.4f", epoch + 1, bio_f1(tagger, dev))
    return tagger


def _crf_loss(scores: "torch.Tensor", gold: "torch.Tensor", mask: "torch.Tensor", params: dict,
              constraints: tuple["torch.Tensor", "torch.Tensor"]) -> "torch.Tensor":
    """CRF negative log-likelihood, summed over the batch; `constraints`: the allowed transitions and first
    tags (BIO)."""
    import torch

    allowed, first = constraints
    transitions = torch.where(allowed, params["transitions"], torch.tensor(-1e4))
    start = torch.where(first, params["start"], torch.tensor(-1e4))
    gold_score = start[gold[:, 0]] + scores[:, 0].gather(1, gold[:, :1]).squeeze(1)
    alpha = start + scores[:, 0]
    for t in range(1, scores.shape[1]):
        m = mask[:, t]
        gold_score = gold_score + m * (transitions[gold[:, t - 1], gold[:, t]]
                                       + scores[:, t].gather(1, gold[:, t:t + 1]).squeeze(1))
        step = torch.logsumexp(alpha[:, :, None] + transitions[None], 1) + scores[:, t]
        alpha = m[:, None] * step + (1 - m[:, None]) * alpha
    last = gold.gather(1, (mask.sum(1).long() - 1)[:, None]).squeeze(1)
    return (torch.logsumexp(alpha + params["end"], 1) - gold_score - params["end"][last]).sum()


def _gru(x: "torch.Tensor", params: dict, k: int) -> "torch.Tensor":
    """The GRU of `pipeline.gru_tagger._gru`, in torch for training."""
    import torch

    inputs = x @ params[f"proj_{k}"] + params[f"bias_{k}"]
    h = x.new_zeros(x.shape[0], HIDDEN)
    out = []
    for t in range(x.shape[1]):
        step = inputs[:, t]
        gates = torch.sigmoid(h @ params[f"gates_{k}"] + step[:, :2 * HIDDEN])
        update, reset = gates[:, :HIDDEN], gates[:, HIDDEN:]
        h = h + update * (torch.tanh(step[:, 2 * HIDDEN:] + (reset * h) @ params[f"candidate_{k}"]) - h)
        out.append(h)
    return torch.stack(out, 1)


def bio_f1(tagger: GRUTagger, items: list[LabelledText]) -> float:
    """Exact-span F1 of the tagger alone (its most probable tag at each character, BIO-constrained)."""
    gold = {(i, s, e, MSRA_LABELS.get(label, label)) for i, item in enumerate(items) for s, e, label in item.spans
            if label}
    found = {(i, s, e, label) for i, spans in enumerate(tagger.spans(tagger.marginals([item.text for item in items])))
             for s, e, label in spans}
    correct = len(gold & found)
    return 2 * correct / (len(gold) + len(found)) if correct else 0.0
