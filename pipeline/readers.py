"""Stage 1's front door: an input file read by what it is, not by its name.

Plain text goes straight to the repairs. Saved web pages (HTML, MHTML), PDFs with a text layer and
Word files (DOCX) are first reduced to their text by a maintained library (trafilatura, pypdf,
python-docx: the `formats` extra), and the date their metadata carries is kept as one more
reference-date candidate. The offsets of such a document point into that extracted text.
"""
from __future__ import annotations

import datetime as dt
import email
import email.policy
import importlib
import importlib.metadata
import io
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, replace

from pipeline.decoding import decode
from pipeline.encoding import RepairedText, repair_bytes, repair_text

FORMATS_EXTRA = "pip install 'zhie[formats]'"
HTML_SUFFIXES = (".html", ".htm", ".xhtml", ".shtml")
MHTML_SUFFIXES = (".mht", ".mhtml")
# The edge lines of a PDF page searched for running headers and footers.
PAGE_EDGE_LINES = 2
PAGE_NUMBER = re.compile(r"[-—–\s]*(?:第\s*)?\d{1,4}\s*(?:页)?(?:\s*(?:/|of|共)\s*\d{1,4}\s*页?)?[-—–\s]*"
                         r"|(?i:page)\s*\d{1,4}(?:\s*(?:/|of)\s*\d{1,4})?")
META_CHARSET = re.compile(rb"<meta[^>]{0,200}?charset\s*=\s*[\"']?([A-Za-z0-9_-]{2,20})", re.IGNORECASE)


class InputError(Exception):
    """A file that cannot be processed; the message names the problem."""


@dataclass(frozen=True)
class Extracted:
    """What a reader gives: the document's text and what the file says about it."""
    text: str
    encoding: str
    reader: str
    metadata_date: dict | None = None
    laid_out: bool = False  # lines broken by a page layout, not by the author


def sniff_format(data: bytes, suffix: str = "") -> str:
    """`text`, `html`, `mhtml`, `pdf` or `docx`, from the bytes first and the file name second."""
    head = data[:4096]
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return "docx"
    lowered = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if b"mime-version:" in lowered[:1024] and b"multipart/related" in lowered:
        return "mhtml"
    if lowered.startswith((b"<!doctype html", b"<html")) or (lowered.startswith(b"<?xml") and b"<html" in lowered):
        return "html"
    suffix = suffix.lower()
    if suffix in MHTML_SUFFIXES and b"mime-version:" in lowered:
        return "mhtml"
    if suffix in HTML_SUFFIXES and b"<" in lowered:
        return "html"
    return "text"


def read_input(data: bytes, suffix: str = "") -> RepairedText:
    """Stage 1 for any supported file: extract its text by format, then repair it."""
    input_format = sniff_format(data, suffix)
    if input_format == "text":
        return repair_bytes(data)
    extracted = READERS[input_format](data)
    repaired = repair_text(extracted.text, extracted.encoding, extracted.laid_out)
    return replace(repaired, input_format=input_format, reader=extracted.reader,
                   metadata_date=extracted.metadata_date)


def _require(module: str, what: str) -> object:
    try:
        return importlib.import_module(module)
    except ImportError:
        raise InputError(f"reading {what} files needs the formats extra: {FORMATS_EXTRA}") from None


def _reader_name(distribution: str) -> str:
    return f"{distribution} {importlib.metadata.version(distribution)}"


def _metadata_date(value: dt.datetime | dt.date | str | None, source: str) -> dict | None:
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value[:10])
        except ValueError:
            return None
    if isinstance(value, dt.datetime):
        value = value.date()
    if not isinstance(value, dt.date) or not 1900 <= value.year <= 2099:
        return None
    return {"value": value.isoformat(), "source": source}


def _one_line(exc: Exception) -> str:
    message = str(exc).strip().split("\n")[0][:160]
    return f"{type(exc).__name__}: {message}" if message else type(exc).__name__


# --------------------------------------------------------------------------- web pages

def _decode_html(data: bytes) -> tuple[str, str]:
    """The page's declared charset when it decodes cleanly, else the repairs' own detection."""
    declared = META_CHARSET.search(data[:4096])
    if declared:
        codec = declared.group(1).decode("ascii").lower()
        try:
            return data.decode("gb18030" if codec in ("gb2312", "gbk") else codec), codec
        except (LookupError, UnicodeDecodeError):
            pass
    return decode(data)


def _main_text(html: str, encoding: str) -> Extracted:
    trafilatura = _require("trafilatura", "HTML")
    htmldate = _require("htmldate", "HTML")
    text = trafilatura.extract(html, output_format="txt", favor_recall=True, include_comments=False,
                               include_tables=True, deduplicate=False)
    if not text or not text.strip():
        raise InputError("web page without a main text")
    # The bounds keep the answer independent of today's date: a page dated later is still a page.
    found = htmldate.find_date(html, original_date=True, extensive_search=False,
                               min_date="1900-01-01", max_date="2099-12-31")
    return Extracted(text, encoding, _reader_name("trafilatura"), _metadata_date(found, "page_metadata"))


def read_html(data: bytes) -> Extracted:
    html, encoding = _decode_html(data)
    return _main_text(html, encoding)


def read_mhtml(data: bytes) -> Extracted:
    """A page saved by a browser as one MIME archive: its first HTML part."""
    message = email.message_from_bytes(data, policy=email.policy.default)
    for part in message.walk():
        if part.get_content_type() == "text/html":
            try:
                html = part.get_content()
            except (LookupError, UnicodeDecodeError) as exc:
                raise InputError(f"unreadable MHTML page ({_one_line(exc)})") from None
            return _main_text(html, part.get_content_charset() or "utf-8")
    raise InputError("MHTML archive without an HTML page")


# --------------------------------------------------------------------------- PDF

def _edge_keys(lines: list[str]) -> set[str]:
    edges = lines[:PAGE_EDGE_LINES] + lines[-PAGE_EDGE_LINES:]
    return {re.sub(r"\d+", "#", line) for line in edges}


def drop_running_lines(pages: list[str]) -> list[str]:
    """Each page's text without the page numbers and the headers and footers repeated at the top or
    bottom of most pages (numbers in them may change: `2023年鉴 · 第3页`)."""
    page_lines = [[line.strip() for line in page.split("\n") if line.strip()] for page in pages]
    counts: dict[str, int] = {}
    for lines in page_lines:
        for key in _edge_keys(lines):
            counts[key] = counts.get(key, 0) + 1
    enough = max(2, (len(pages) + 1) // 2)
    kept = []
    for lines in page_lines:
        edge = set(range(min(PAGE_EDGE_LINES, len(lines)))) | set(range(max(0, len(lines) - PAGE_EDGE_LINES), len(lines)))
        kept.append("\n".join(line for i, line in enumerate(lines)
                              if i not in edge or not (PAGE_NUMBER.fullmatch(line)
                                                       or counts[re.sub(r"\d+", "#", line)] >= enough)))
    return kept


def read_pdf(data: bytes) -> Extracted:
    pypdf = _require("pypdf", "PDF")
    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise InputError("encrypted PDF (remove its password first)")
        pages = [page.extract_text() or "" for page in reader.pages]
        created = reader.metadata.creation_date if reader.metadata else None
    except InputError:
        raise
    except Exception as exc:  # pypdf raises many kinds on a damaged file; each is one bad input
        raise InputError(f"unreadable PDF ({_one_line(exc)})") from None
    if not any(page.strip() for page in pages):
        raise InputError("scanned PDF without a text layer (OCR it first)")
    text = "\n".join(drop_running_lines(pages))
    return Extracted(text, "utf-8", _reader_name("pypdf"), _metadata_date(created, "pdf_metadata"), laid_out=True)


# --------------------------------------------------------------------------- Word

def _docx_blocks(document: object) -> list[str]:
    """Paragraphs and table rows in the order they stand; a row's cells (a merged cell once) by tabs."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    blocks = []
    for child in document.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            blocks.append(Paragraph(child, document).text)
        elif tag == "tbl":
            for row in Table(child, document).rows:
                cells, seen = [], set()
                for cell in row.cells:
                    if id(cell._tc) not in seen:
                        seen.add(id(cell._tc))
                        cells.append(cell.text.strip())
                blocks.append("\t".join(cells))
    return blocks


def read_docx(data: bytes) -> Extracted:
    docx = _require("docx", "Word")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if "word/document.xml" not in archive.namelist():
                raise InputError("a ZIP archive, not a Word document (.docx)")
        document = docx.Document(io.BytesIO(data))
        blocks = _docx_blocks(document)
        created = document.core_properties.created
    except InputError:
        raise
    except Exception as exc:  # zipfile, lxml and python-docx each raise their own kinds on a damaged file
        raise InputError(f"unreadable Word document ({_one_line(exc)})") from None
    text = "\n".join(blocks)
    if not text.strip():
        raise InputError("Word document without text")
    return Extracted(text, "utf-8", _reader_name("python-docx"), _metadata_date(created, "docx_metadata"))


READERS: dict[str, Callable[[bytes], Extracted]] = {
    "html": read_html, "mhtml": read_mhtml, "pdf": read_pdf, "docx": read_docx}
