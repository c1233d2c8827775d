"""Running the pipeline over files and folders: inputs, doc_ids, workers, progress."""
from __future__ import annotations

import hashlib
import multiprocessing
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

from pipeline import __version__
from pipeline.document import Document, process_file
from pipeline.output import OutputWriter, previous_rows

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
# `clean/<doc_id>.txt` must be a legal file name (255 bytes on common file systems), with room to spare.
MAX_DOC_ID_BYTES = 200


class UsageError(Exception):
    """A problem with what the user asked for (a path that does not exist...)."""


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


def collect_inputs(paths: list[Path]) -> tuple[list[tuple[Path, str]], list[str]]:
    """Files to process with their doc_ids (the stem; for a clash, the path relative to its folder)."""
    found: list[tuple[Path, Path]] = []
    notes: list[str] = []
    for path in paths:
        if not path.exists():
            raise UsageError(f"input not found: {path}")
        if path.is_dir():
            seen: set[Path] = set()
            for root, dirs, files in os.walk(path, followlinks=True):
                real = Path(root).resolve()
                if real in seen:  # a symlink loop
                    notes.append(f"skipped {root}: symlink loop")
                    dirs[:] = []
                    continue
                seen.add(real)
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                found += [(Path(root) / f, path) for f in sorted(files) if not f.startswith(".")]
        else:
            found.append((path, path.parent))
    assigned: list[tuple[Path, str]] = []
    used: set[str] = set()
    for file, base in found:
        doc_id = unique_doc_id(file, base, used)
        if doc_id != file.stem:
            notes.append(f"{file}: doc_id {file.stem!r} already used, so this one is {doc_id!r}")
        used.add(doc_id)
        assigned.append((file, doc_id))
    return assigned, notes


def _bounded(doc_id: str, key: str) -> str:
    """A doc_id that fits in a file name (`clean/<doc_id>.txt`): a long one is cut, with a hash of `key`."""
    if len(doc_id.encode("utf-8")) <= MAX_DOC_ID_BYTES:
        return doc_id
    cut = doc_id.encode("utf-8")[:MAX_DOC_ID_BYTES - 11].decode("utf-8", errors="ignore")
    return f"{cut}-{hashlib.sha1(key.encode('utf-8')).hexdigest()[:10]}"


def unique_doc_id(file: Path, base: Path, used: set[str]) -> str:
    """The stem; on a clash the path relative to its folder (`/` as `__`), without and then with its
    suffix (`report.pdf` beside `report.html`); failing those, the stem with a hash of the whole path."""
    relative = (file.relative_to(base) if file.is_relative_to(base) else file).as_posix().lstrip("/")
    key = str(file.absolute())
    candidates = [file.stem, relative.rsplit(".", 1)[0] if "." in Path(relative).name else relative, relative]
    for candidate in candidates:
        doc_id = _bounded(candidate.replace("/", "__"), key)
        if doc_id not in used:
            return doc_id
    attempt = 0
    while True:  # a second file at the very same path (given twice) still gets its own id
        digest = hashlib.sha1(f"{key}#{attempt}".encode("utf-8")).hexdigest()[:10]
        doc_id = _bounded(f"{file.stem}-{digest}", key)
        if doc_id not in used:
            return doc_id
        attempt += 1


_worker_nlp = None
_worker_error: Exception | None = None


def _init_worker(options: dict) -> None:
    """Load the models once per worker. A failure (a missing model or extra) is raised by the
    worker's first job, so it reaches the caller: a pool whose initializer raises starts new
    workers forever."""
    global _worker_nlp, _worker_error
    import pipeline

    _worker_nlp, _worker_error = None, None
    try:
        _worker_nlp = pipeline.load(**options)
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
    with context.Pool(workers, initializer=_init_worker, initargs=(options,)) as pool:
        yield from pool.imap(_work, tasks, chunksize=1)


def _done_before(jobs: list[tuple[Path, str]], out: Path) -> dict[str, dict[str, list[dict]]]:
    """Documents an earlier run finished with this pipeline version and the same bytes."""
    previous = previous_rows(out)
    done = {}
    for path, doc_id in jobs:
        record = (previous.get(doc_id) or {}).get("documents") or [{}]
        record = record[0]
        if (record.get("status") == "ok" and record.get("pipeline_version") == __version__
                and (out / "clean" / f"{doc_id}.txt").exists() and record.get("sha256") == _sha256(path)):
            done[doc_id] = previous[doc_id]
    return done


def _sha256(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def run(inputs: list[Path], out: Path, options: dict | None = None, workers: int = 1,
        max_bytes: int = DEFAULT_MAX_BYTES, progress: Callable[[str], None] | None = None,
        resume: bool = False, engine: str = "local") -> Summary:
    """Process every input and write the output folder; one bad document never stops the batch.

    With `resume`, documents whose bytes and pipeline version match an earlier
    run's `ok` record are copied from the earlier outputs instead of processed.
    """
    started = time.perf_counter()
    jobs, notes = collect_inputs(inputs)
    summary = Summary(notes=notes)
    done = _done_before(jobs, out) if resume else {}
    todo = [job for job in jobs if job[1] not in done]
    writer = OutputWriter(out)
    processed = iter(process_all(todo, options or {}, workers, max_bytes, engine)) if todo else iter(())
    try:
        for path, doc_id in jobs:
            if doc_id in done:
                counts = writer.add_reused(done[doc_id], out / "clean" / f"{doc_id}.txt")
                summary.ok += 1
                summary.reused += 1
                summary.entities += counts["entities"]
                summary.events += counts["events"]
                if progress:
                    progress(doc_id)
                continue
            document = next(processed)
            counts = writer.add(document)
            if document.status == "ok":
                summary.ok += 1
            else:
                summary.failed += 1
                summary.errors.append((document.source, document.error or ""))
            summary.entities += counts["entities"]
            summary.events += counts["events"]
            summary.chars += len(document.text)
            if progress:
                progress(doc_id)
    except BaseException:
        writer.abort()
        raise
    writer.close()
    summary.seconds = time.perf_counter() - started
    return summary
