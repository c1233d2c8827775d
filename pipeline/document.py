"""The record one input file becomes, and how it is built from the stages."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import TYPE_CHECKING, Sequence

from pipeline import __version__
from pipeline.decoding import utf16_without_bom
from pipeline.pieces import PIECE_CHARS, Annotations, annotate
from pipeline.readers import InputError, read_input, sniff_format

if TYPE_CHECKING:  # the parent of a worker pool never loads spaCy (nor torch, which thinc imports)
    from spacy.language import Language


@dataclass(kw_only=True)
class Document(Annotations):
    """One input file: what was read from it, how, and its annotations (`Annotations`: the text stages')."""
    doc_id: str
    source: str
    sha256: str
    encoding: str | None = None
    input_format: str | None = None
    reader: str | None = None
    metadata_date: dict | None = None
    repairs: list[str] = field(default_factory=list)
    status: str = "ok"
    error: str | None = None
    lost_chars: int = 0
    text: str = ""
    offsets: Sequence[int] = field(default_factory=list)  # clean character -> raw index

    def record(self) -> dict:
        """The documents.jsonl row."""
        return {"doc_id": self.doc_id, "source": self.source, "sha256": self.sha256, "encoding": self.encoding,
                "format": self.input_format, "reader": self.reader, "metadata_date": self.metadata_date,
                "repairs": self.repairs, "reference_date": self.reference_date, "knowledge": self.knowledge,
                "status": self.status,
                "error": self.error, "chars": len(self.text), "lost_chars": self.lost_chars,
                "pipeline_version": __version__}


def check_bytes(data: bytes, max_bytes: int) -> None:
    """Reject what is not a text document, with the reason."""
    if not data.strip():
        raise InputError("empty file (no text)" if not data else "file holds only whitespace")
    if len(data) > max_bytes:
        raise InputError(f"file is {len(data):,} bytes, over the limit of {max_bytes:,} bytes (--max-bytes)")
    head = data[:4096]
    signatures = {b"\x89PNG": "a PNG image", b"\xd0\xcf\x11\xe0": "a legacy Office .doc/.xls file; save it as .docx",
                  b"\xff\xd8\xff": "a JPEG image", b"GIF8": "a GIF image", b"\x7fELF": "an executable"}
    for magic, kind in signatures.items():
        if head.startswith(magic):
            raise InputError(f"binary file ({kind}), not text")
    if sniff_format(data) in ("pdf", "docx"):
        return
    utf16 = head[:2] in (b"\xff\xfe", b"\xfe\xff") or utf16_without_bom(data) is not None
    controls = sum(b < 9 or 13 < b < 32 for b in head)
    if not utf16 and controls > len(head) * 0.1:
        raise InputError("binary file (too many control bytes), not text")


def load_pipeline(options: dict) -> Language:
    """The pipeline a run's workers give `process_file`, from the run's options, with one token per
    character instead of pkuseg's words: a document's records carry the annotations' character offsets
    and never a word, and each mention's boundaries depend only on where the whitespace lies (both
    tokenizers align whitespace alike), so the words, a quarter of the time after loading, were thrown away."""
    import pipeline

    return pipeline.load(**options, segmenter=None)


def process_file(nlp: Language, path: Path, doc_id: str, max_bytes: int, piece_chars: int = PIECE_CHARS) -> Document:
    """Read, repair and annotate one file (a long one in pieces of `piece_chars`); failures become a
    `status: error` record."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        return Document(doc_id=doc_id, source=str(path), sha256="", status="error",
                        error=f"cannot read {path}: {exc.strerror or exc}")
    document = Document(doc_id=doc_id, source=str(path), sha256=hashlib.sha256(data).hexdigest())
    try:
        check_bytes(data, max_bytes)
        repaired = read_input(data, path.suffix)
        if not repaired.text.strip():
            raise InputError("no text left after repair")
        annotated = annotate(nlp, repaired.text, repaired.metadata_date, piece_chars)
    except InputError as exc:
        document.status, document.error = "error", str(exc)
        return document
    except Exception as exc:  # a bug on one document must not stop the batch; the record says what broke
        document.status, document.error = "error", f"internal error ({type(exc).__name__}): {exc}"
        return document
    document.encoding, document.repairs, document.lost_chars = repaired.encoding, repaired.repairs, repaired.lost_chars
    document.input_format, document.reader, document.metadata_date = (repaired.input_format, repaired.reader,
                                                                       repaired.metadata_date)
    document.text, document.offsets = repaired.text, repaired.offsets
    for annotation in fields(Annotations):
        setattr(document, annotation.name, getattr(annotated, annotation.name))
    return document
