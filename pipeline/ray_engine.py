"""The same pipeline on Ray Data, for batches bigger than one machine (optional `ray` extra).

    zhie run data/raw --engine ray --workers 4

Files are read as a Ray dataset of paths; `map_batches` runs a stateful actor
per worker that loads the models once (`DocumentProcessor`) and returns the
finished `Document` records, which the driver writes in input order with the
same writer as the local engine, so both engines give identical files. To use
a cluster, start Ray there (`ray start --head`, then `ray start --address …`
on the other machines) and set `RAY_ADDRESS` before running `zhie`; the input
paths must be readable from every node (a shared file system).
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Iterator

import numpy
from threadpoolctl import threadpool_limits

from pipeline.document import Document, load_pipeline, process_file


class DocumentProcessor:
    """A Ray actor: loads the pipeline once, then processes one file per call."""

    def __init__(self, options: dict, max_bytes: int) -> None:
        self.blas_limit = threadpool_limits(limits=1, user_api="blas")  # one BLAS thread an actor, as a worker
        self.nlp = load_pipeline(options)
        self.max_bytes = max_bytes

    def __call__(self, batch: dict[str, numpy.ndarray]) -> dict[str, numpy.ndarray]:
        documents = [process_file(self.nlp, Path(path), str(doc_id), self.max_bytes)
                     for path, doc_id in zip(batch["path"], batch["doc_id"])]
        return {"index": batch["index"], "document": numpy.array(documents, dtype=object)}


def process_with_ray(jobs: list[tuple[Path, str]], options: dict, workers: int, max_bytes: int) -> Iterator[Document]:
    """Documents in input order, processed by `workers` Ray actors."""
    try:
        import ray
    except ImportError as exc:
        raise RuntimeError("the ray engine needs Ray: pip install 'zhie[ray]'") from exc
    if not ray.is_initialized():
        if os.environ.get("RAY_ADDRESS"):
            ray.init(log_to_driver=False)
        else:
            ray.init(num_cpus=workers, include_dashboard=False, log_to_driver=False)
    items = [{"index": i, "path": str(path), "doc_id": doc_id} for i, (path, doc_id) in enumerate(jobs)]
    dataset = ray.data.from_items(items).map_batches(
        DocumentProcessor, fn_constructor_kwargs={"options": options, "max_bytes": max_bytes},
        concurrency=workers, batch_size=1, num_cpus=1)
    for row in sorted(dataset.take_all(), key=lambda r: r["index"]):
        yield row["document"]
