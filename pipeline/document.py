"""The record one input file becomes, and how it is built from the stages."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline import __version__
from pipeline.encoding import repair_bytes

if TYPE_CHECKING:  # the parent of a worker pool never loads spaCy (nor torch, which thinc imports)
    from spacy.language import Language


class InputError(Exception):
    """A file that cannot be processed; the message names the problem."""


@dataclass
class Document:
    doc_id: str
    source: str
    sha256: str
    encoding: str | None = None
    repairs: list[str] = field(default_factory=list)
    reference_date: dict | None = None
    status: str = "ok"
    error: str | None = None
    lost_chars: int = 0
    text: str = ""
    offsets: list[int] = field(default_factory=list)
    sentences: list[dict] = field(default_factory=list)
    dates: list[dict] = field(default_factory=list)
    mentions: list[dict] = field(default_factory=list)
    events: list[dict] = field(default_factory=list)

    def record(self) -> dict:
        """The documents.jsonl row."""
        return {"doc_id": self.doc_id, "source": self.source, "sha256": self.sha256, "encoding": self.encoding,
                "repairs": self.repairs, "reference_date": self.reference_date, "status": self.status,
                "error": self.error, "chars": len(self.text), "lost_chars": self.lost_chars,
                "pipeline_version": __version__}


def check_bytes(data: bytes, max_bytes: int) -> None:
    """Reject what is not a text document, with the reason."""
    if not data.strip():
        raise InputError("empty file (no text)" if not data else "file holds only whitespace")
    if len(data) > max_bytes:
        raise InputError(f"file is {len(data):,} bytes, over the limit of {max_bytes:,} bytes (--max-bytes)")
    head = data[:4096]
    signatures = {b"\x89PNG": "a PNG image", b"%PDF": "a PDF document", b"PK\x03\x04": "a ZIP/Office archive",
                  b"\xff\xd8\xff": "a JPEG image", b"GIF8": "a GIF image", b"\x7fELF": "an executable"}
    for magic, kind in signatures.items():
        if head.startswith(magic):
            raise InputError(f"binary file ({kind}), not text")
    utf16 = head[:2] in (b"\xff\xfe", b"\xfe\xff")
    controls = sum(b < 9 or 13 < b < 32 for b in head)
    if not utf16 and controls > len(head) * 0.1:
        raise InputError("binary file (too many control bytes), not text")


def process_file(nlp: Language, path: Path, doc_id: str, max_bytes: int) -> Document:
    """Read, repair and annotate one file; failures become a `status: error` record."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        return Document(doc_id, str(path), "", status="error", error=f"cannot read {path}: {exc.strerror or exc}")
    document = Document(doc_id, str(path), hashlib.sha256(data).hexdigest())
    try:
        check_bytes(data, max_bytes)
        repaired = repair_bytes(data)
        if not repaired.text.strip():
            raise InputError("no text left after repair")
        doc = nlp(repaired.text)
    except InputError as exc:
        document.status, document.error = "error", str(exc)
        return document
    except Exception as exc:  # a bug on one document must not stop the batch; the record says what broke
        document.status, document.error = "error", f"internal error ({type(exc).__name__}): {exc}"
        return document
    document.encoding, document.repairs, document.lost_chars = repaired.encoding, repaired.repairs, repaired.lost_chars
    document.text, document.offsets = repaired.text, repaired.offsets
    document.reference_date = doc._.reference_date
    document.sentences, document.dates = doc._.sentences, doc._.dates
    document.mentions, document.events = doc._.mentions, doc._.events
    return document
