"""Which files a run reads and the doc_id each gets; the output folder is never among them."""
from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

from pipeline.run_state import UsageError

# `clean/<doc_id>.txt` must be a legal file name (255 bytes on common file systems), with room to spare.
MAX_DOC_ID_BYTES = 200


def check_output_folder(inputs: list[Path], out: Path) -> None:
    """Refuse an `--out` that is a file, holds an input, or cannot be written, before any work starts."""
    if out.exists() and not out.is_dir():
        raise UsageError(f"--out {out} is a file, not a folder")
    real_out = out.resolve()
    for path in inputs:
        if path.exists() and path.resolve().is_relative_to(real_out):
            raise UsageError(f"--out {out} holds the input {path}: choose an output folder outside the inputs")
    try:
        out.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=out):
            pass
    except OSError as exc:
        raise UsageError(f"cannot write to --out {out}: {exc.strerror or exc}") from None


def _folder_files(folder: Path, exclude: Path | None, follow_links: bool, notes: list[str]) -> list[Path]:
    """The files under `folder` in sorted order, hidden ones and `exclude` left out; symlinks that lead
    out of the folder (or to folders) are followed only with `follow_links`."""
    top = folder.resolve()
    files: list[Path] = []
    seen: set[Path] = set()
    for root, dirs, names in os.walk(folder, followlinks=follow_links):
        real = Path(root).resolve()
        if real in seen:  # a symlink loop, met while following links
            notes.append(f"skipped {root}: symlink loop")
            dirs[:] = []
            continue
        seen.add(real)
        kept = []
        for name in sorted(d for d in dirs if not d.startswith(".")):
            child = Path(root) / name
            if exclude is not None and child.resolve() == exclude:
                notes.append(f"skipped {child}: it is the output folder")
            elif child.is_symlink() and not follow_links:
                target = child.resolve()
                loop = target in seen or real.is_relative_to(target)
                notes.append(f"skipped {child}: symlink loop" if loop else
                             f"skipped {child}: a symlink to the folder {target} (--follow-links to read it)")
            else:
                kept.append(name)
        dirs[:] = kept
        for name in sorted(n for n in names if not n.startswith(".")):
            file = Path(root) / name
            if file.is_symlink() and not follow_links and not file.resolve().is_relative_to(top):
                notes.append(f"skipped {file}: a symlink to {file.resolve()}, outside {folder} "
                             f"(--follow-links to read it)")
                continue
            files.append(file)
    return files


def collect_inputs(paths: list[Path], exclude: Path | None = None,
                   follow_links: bool = False) -> tuple[list[tuple[Path, str]], list[str]]:
    """Files to process with their doc_ids, and notes on what was skipped or renamed."""
    exclude = exclude.resolve() if exclude is not None else None
    found: list[tuple[Path, Path | None]] = []
    notes: list[str] = []
    for path in paths:
        if not path.exists():
            raise UsageError(f"input not found: {path}")
        if path.is_dir():
            found += [(file, path) for file in _folder_files(path, exclude, follow_links, notes)]
        else:
            found.append((path, None))
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
    """A doc_id that fits in a file name: a long one is cut, with a hash of `key` after it."""
    if len(doc_id.encode("utf-8")) <= MAX_DOC_ID_BYTES:
        return doc_id
    cut = doc_id.encode("utf-8")[:MAX_DOC_ID_BYTES - 11].decode("utf-8", errors="ignore")
    return f"{cut}-{hashlib.sha1(key.encode('utf-8')).hexdigest()[:10]}"


def unique_doc_id(file: Path, base: Path | None, used: set[str]) -> str:
    """The stem; on a clash the path relative to its input folder (for a file named on the command line,
    the path as given), `/` as `__`, without and then with its suffix (`report.pdf` beside
    `report.html`); failing those, the stem with a hash of the whole path."""
    if base is not None and file.is_relative_to(base):
        relative = file.relative_to(base).as_posix()
    else:
        relative = "/".join(part for part in file.parts if part not in ("/", "..", "."))
    key = str(file.absolute())
    without_suffix = relative[:-len(file.suffix)] if file.suffix else relative
    for candidate in (file.stem, without_suffix, relative):
        doc_id = _bounded(candidate.replace("/", "__"), key)
        if doc_id not in used:
            return doc_id
    attempt = 0
    while True:  # the same file named twice still gets an id of its own
        digest = hashlib.sha1(f"{key}#{attempt}".encode("utf-8")).hexdigest()[:10]
        doc_id = _bounded(f"{file.stem}-{digest}", key)
        if doc_id not in used:
            return doc_id
        attempt += 1
