"""Running the pipeline over files and folders: workers, the journal, resume, publishing."""
from __future__ import annotations

import hashlib
import multiprocessing
import signal
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from threadpoolctl import threadpool_limits

from pipeline import MODELS
from pipeline.document import Document, load_pipeline, process_file
from pipeline.inputs import check_output_folder, collect_inputs
from pipeline.knowledge_packs import AUTO, PackSet
from pipeline.output import OutputWriter, document_rows, previous_rows
from pipeline.run_state import (
    Journal,
    UsageError,
    differences,
    journal_entries,
    locked,
    read_manifest,
    remove_derived,
    run_settings,
    write_manifest,
)

__all__ = ["DEFAULT_MAX_BYTES", "Summary", "UsageError", "collect_inputs", "run"]
# pkuseg, `pipeline.load`'s word segmenter: still in a run's settings, so the manifests of earlier runs
# still match for --resume, though runs make their documents with one token per character.
SEGMENTER = MODELS / "pkuseg"

DEFAULT_MAX_BYTES = 20 * 1024 * 1024


@dataclass
class Summary:
    ok: int = 0
    failed: int = 0
    entities: int = 0
    events: int = 0
    seconds: float = 0.0
    chars: int = 0
    reused: int = 0
    notes: list[str] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)
    published: bool = True  # False when every document failed and the previous outputs were kept


_worker_nlp = None
_worker_error: Exception | None = None
_blas_limit: threadpool_limits | None = None  # kept for the worker's life: the limit lasts while it does


def _init_worker(options: dict) -> None:
    """Load the models once per worker, with one BLAS thread: the workers are the parallelism, and a
    network whose matrix products spread over every core collapses when the machine is shared. A
    failure (a missing model or extra) is raised by the worker's first job, so it reaches the caller:
    a pool whose initializer raises starts new workers forever."""
    global _worker_nlp, _worker_error, _blas_limit
    import numpy  # noqa: F401  (threadpoolctl limits the BLAS already loaded: a spawned worker had none yet)

    _blas_limit = threadpool_limits(limits=1, user_api="blas")
    _worker_nlp, _worker_error = None, None
    try:
        _worker_nlp = load_pipeline(options)
    except Exception as exc:
        _worker_error = exc


def _work(job: tuple[Path, str, int]) -> Document:
    if _worker_error is not None:
        raise _worker_error
    path, doc_id, max_bytes = job
    return process_file(_worker_nlp, path, doc_id, max_bytes)


def process_all(jobs: list[tuple[Path, str]], options: dict, workers: int, max_bytes: int,
                engine: str = "local") -> Iterator[Document]:
    """Documents in input order, from one process, a pool that loads the models once per worker,
    or Ray actors (`engine="ray"`)."""
    if engine == "ray":
        from pipeline.ray_engine import process_with_ray

        yield from process_with_ray(jobs, options, workers, max_bytes)
        return
    tasks = [(path, doc_id, max_bytes) for path, doc_id in jobs]
    if workers <= 1:
        _init_worker(options)
        yield from map(_work, tasks)
        return
    context = multiprocessing.get_context("spawn")
    # Workers start with Ctrl-C ignored (a disposition a spawned interpreter inherits), so a Ctrl-C while
    # they load reaches only this process, which stops the pool.
    handler = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        pool = context.Pool(workers, initializer=_init_worker, initargs=(options,))
    finally:
        signal.signal(signal.SIGINT, handler)
    with pool:
        yield from pool.imap(_work, tasks, chunksize=1)


def _reusable(jobs: list[tuple[Path, str]], out: Path, settings: dict, notes: list[str]) -> dict[str, tuple]:
    """(rows, clean text) of the documents an earlier run finished with these settings and the same bytes:
    the published outputs of a finished run and the journal of a killed one."""
    candidates: dict[str, tuple[dict, str]] = {}
    manifest = read_manifest(out)
    if manifest is not None and manifest.get("settings") == settings:
        previous = previous_rows(out)
        for _, doc_id in jobs:
            clean = out / "clean" / f"{doc_id}.txt"
            if doc_id in previous and clean.exists():
                with clean.open(encoding="utf-8", newline="") as handle:  # offsets count a "\r" too
                    candidates[doc_id] = (previous[doc_id], handle.read())
    elif manifest is not None:
        notes.append("--resume: the earlier outputs were made with other settings "
                     f"({'; '.join(differences(manifest.get('settings', {}), settings))}), so they are not reused")
    elif (out / "documents.jsonl").exists():
        notes.append("--resume: the earlier outputs carry no manifest of their settings, so they are not reused")
    journal_settings, entries = journal_entries(out)
    if entries and journal_settings == settings:
        candidates.update((doc_id, (e["rows"], e["text"])) for doc_id, e in entries.items())
    elif entries:
        notes.append("--resume: the interrupted run used other settings "
                     f"({'; '.join(differences(journal_settings or {}, settings))}), so its documents are redone")
    done = {}
    for path, doc_id in jobs:
        rows, text = candidates.get(doc_id, ({}, ""))
        record = (rows.get("documents") or [{}])[0]
        if record.get("status") == "ok" and record.get("sha256") == _sha256(path):
            done[doc_id] = (rows, text)
    notes.append(f"--resume: reused {len(done)} of {len(jobs)} documents; {len(jobs) - len(done)} are processed "
                 "(new, changed, failed before, or made with other settings)")
    return done


def _sha256(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def run(inputs: list[Path], out: Path, options: dict | None = None, workers: int = 1,
        max_bytes: int = DEFAULT_MAX_BYTES, progress: Callable[[str], None] | None = None,
        resume: bool = False, engine: str = "local", follow_links: bool = False) -> Summary:
    """Process every input and write the output folder; one bad document never stops the batch.

    Each finished document goes to a journal at once; the outputs are published together at the end,
    in input order, with a manifest of the settings that made them. With `resume`, documents an earlier
    run finished (published or journalled) with the same settings and bytes are reused. A run whose
    documents all failed publishes nothing and leaves the previous outputs as they were.
    """
    started = time.perf_counter()
    check_output_folder(inputs, out)
    jobs, notes = collect_inputs(inputs, exclude=out, follow_links=follow_links)
    if not jobs:
        raise UsageError(f"no documents found in {', '.join(map(str, inputs))}; previous outputs kept")
    summary = Summary(notes=notes)
    settings = run_settings(options or {}, SEGMENTER)
    with locked(out):
        done = _reusable(jobs, out, settings, summary.notes) if resume else {}
        journal = Journal(out, settings)
        writer = OutputWriter(out)
        try:
            _process(jobs, done, options or {}, workers, max_bytes, engine, writer, journal, summary, progress)
        except BaseException:
            writer.abort()
            journal.close(keep=True)
            raise
        if summary.ok == 0:
            writer.abort()
            journal.close(keep=True)
            summary.published = False
        else:
            removed = remove_derived(out)
            if removed:
                summary.notes.append(f"removed {', '.join(removed)}: made from the earlier outputs")
            write_manifest(writer.tmp, settings, {doc_id: sha for doc_id, sha in writer.hashes.items()})
            writer.close()
            journal.close(keep=False)
    summary.seconds = time.perf_counter() - started
    return summary


def _process(jobs: list[tuple[Path, str]], done: dict[str, tuple], options: dict, workers: int, max_bytes: int,
             engine: str, writer: OutputWriter, journal: Journal, summary: Summary,
             progress: Callable[[str], None] | None) -> None:
    todo = [job for job in jobs if job[1] not in done]
    packs = PackSet(options.get("knowledge") or [], options.get("pack", AUTO))
    processed = iter(process_all(todo, options, workers, max_bytes, engine)) if todo else iter(())
    for _, doc_id in jobs:
        if doc_id in done:
            rows, text = done[doc_id]
            summary.reused += 1
        else:
            document = next(processed)
            organising = packs.knowledge(document.knowledge).actions_where(relation="organises") \
                if document.knowledge else frozenset()
            rows, text = document_rows(document, organising), document.text
            summary.chars += len(text)
            if document.status != "ok":
                summary.errors.append((document.source, document.error or ""))
            del document  # its rows hold what is written; a yearbook's annotations need not be held twice
        record = rows["documents"][0]
        journal.add(record["sha256"], rows, text)
        counts = writer.add_rows(rows, text if record["status"] == "ok" else None)
        summary.ok += record["status"] == "ok"
        summary.failed += record["status"] != "ok"
        summary.entities += counts["entities"]
        summary.events += counts["events"]
        if progress:
            progress(doc_id)
