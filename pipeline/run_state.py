"""What a run keeps in its output folder beside the outputs: a lock against a second run, the manifest
of what produced the outputs, and a journal of the documents finished so far.

`--resume` reuses a document only when its bytes and everything that changes results (pipeline
version, model checksums, the options that matter) match: from the published outputs of a finished
run, or from the journal of a run that was killed.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from pipeline import __version__
from pipeline.stages import DEFAULT_NER

LOCK = ".zhie.lock"
MANIFEST = "manifest.json"
JOURNAL = ".journal"
# Files made from the outputs by other commands; they no longer describe outputs a new run publishes.
DERIVED = ("eval.json", "eval-*.json", "report", "report.html", "export")


class UsageError(Exception):
    """A problem with what the user asked for (a path that does not exist, a busy output folder...)."""


def _holder(lock: Path) -> int | None:
    try:
        return int(lock.read_text(encoding="ascii").strip())
    except (OSError, ValueError):
        return None


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: alive
        return True
    return True


@contextmanager
def locked(out: Path) -> Iterator[None]:
    """Hold `out` for this run; a second run into it is refused, naming the holder's pid. A lock left by
    a killed run (its pid gone) is taken over."""
    lock = out / LOCK
    while True:
        try:
            descriptor = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
            break
        except FileExistsError:
            holder = _holder(lock)
            if holder is not None and holder != os.getpid() and _alive(holder):
                raise UsageError(f"another zhie run (pid {holder}) is writing to {out}; wait for it to end "
                                 f"or choose another --out") from None
            lock.unlink(missing_ok=True)
    os.write(descriptor, str(os.getpid()).encode("ascii"))
    os.close(descriptor)
    try:
        yield
    finally:
        lock.unlink(missing_ok=True)


def _checksum(path: Path) -> str | None:
    """One digest over a model file or folder (names and bytes), or None when there is none."""
    if not path.exists():
        return None
    digest = hashlib.sha256()
    files = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file())
    for file in files:
        digest.update(file.relative_to(path).as_posix().encode("utf-8") if file != path else b"")
        digest.update(file.read_bytes())
    return digest.hexdigest()[:16]


def run_settings(options: dict, segmenter: Path) -> dict:
    """Everything besides a document's bytes that changes what the run writes for it."""
    model = options.get("ner_model")
    # A model folder by its contents (wherever the checkout lies); a HanLP id by its name.
    ner_model = (_checksum(Path(model)) or str(model)) if model else None
    return {"pipeline_version": __version__, "ner_backend": options.get("ner_backend", DEFAULT_NER), "ner_model": ner_model,
            "segmenter": _checksum(segmenter), "reference_date": options.get("reference_date"),
            "pack": options.get("pack", "auto"),
            # The user's packs by their contents: an edited pack redoes the documents.
            "knowledge": [_checksum(Path(folder)) for folder in options.get("knowledge") or []]}


def differences(before: dict, now: dict) -> list[str]:
    return [f"{key} {before.get(key)!r} -> {now[key]!r}" for key in now if before.get(key) != now[key]]


def read_manifest(out: Path) -> dict | None:
    try:
        return json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def write_manifest(folder: Path, settings: dict, inputs: dict[str, str]) -> None:
    (folder / MANIFEST).write_text(json.dumps({"settings": settings, "inputs": inputs}, ensure_ascii=False,
                                              indent=1) + "\n", encoding="utf-8")


class Journal:
    """Each finished document's rows and clean text, appended and flushed as it finishes, after a first
    line naming the settings they were made with. A new run starts a new journal."""

    def __init__(self, out: Path, settings: dict) -> None:
        self.path = out / JOURNAL
        self.handle = self.path.open("w", encoding="utf-8", newline="\n")
        self._write({"settings": settings})

    def _write(self, entry: dict) -> None:
        # One string, by the C encoder (json.dump encodes in pure Python, a twentieth of a run's time).
        self.handle.write(json.dumps(entry, ensure_ascii=False) + "\n")
        self.handle.flush()
        os.fsync(self.handle.fileno())

    def add(self, sha256: str, rows: dict[str, list[dict]], text: str) -> None:
        self._write({"sha256": sha256, "rows": rows, "text": text})

    def close(self, keep: bool) -> None:
        self.handle.close()
        if not keep:
            self.path.unlink(missing_ok=True)


def journal_entries(out: Path) -> tuple[dict | None, dict[str, dict]]:
    """The settings of a killed run's journal and the documents it finished, by doc_id."""
    path = out / JOURNAL
    if not path.exists():
        return None, {}
    settings, found = None, {}
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            try:
                entry = json.loads(line)
            except ValueError:  # the line being written when the run was killed
                continue
            if "settings" in entry:
                settings = entry["settings"]
            else:
                found[entry["rows"]["documents"][0]["doc_id"]] = entry
    return settings, found


def remove_derived(out: Path) -> list[str]:
    """Delete what other commands made from earlier outputs; returns their names."""
    removed = []
    for pattern in DERIVED:
        for path in sorted(out.glob(pattern)):
            shutil.rmtree(path) if path.is_dir() else path.unlink()
            removed.append(path.name)
    return removed
