"""Input formats: saved web pages, MHTML, PDFs and Word files give the same extraction as the article's
plain text, and the date their metadata carries when the text states none. Every input is made here."""
from __future__ import annotations

import datetime as dt
import email.charset
import io
import os
import sys
from email.mime.image import MIMEImage
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from pathlib import Path

import pytest

from pipeline.document import process_file
from pipeline.readers import InputError, drop_running_lines, read_input, sniff_format
from pipeline.reference_date import find_reference_date
from pipeline.segment import segment_text

TITLE = "滨江市电子商会召开第三届会员大会"
PARAGRAPHS = [
    ("11日上午，滨江市电子商会在市会展中心召开第三届会员大会第二次会议。会长周立平作工作报告，"
     "秘书长韩志远主持会议。"),
    "会议审议通过了商会章程修正案，选举郑海涛为副会长。市工商联副主席吴建华出席会议并讲话。",
    "与会会员表示，将在新的一年里加强行业自律，服务会员企业发展。",
]
TABLE = [["职务", "姓名"], ["会长", "周立平"], ["副会长", "郑海涛"]]
PUBLISHED = dt.date(2023, 5, 12)
PAGE_WIDTH = 24  # characters per PDF line: the article arrives hard-wrapped


def article_text(with_table: bool = False) -> str:
    rows = ["\t".join(row) for row in TABLE] if with_table else []
    return "\n".join([TITLE, *PARAGRAPHS, *rows])


def html_page() -> str:
    body = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    return ("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>" + TITLE + " - 新闻动态</title>"
            f"<meta property=\"article:published_time\" content=\"{PUBLISHED.isoformat()}T09:30:00+08:00\">"
            "<script>var banner = '商会召开理事会议';</script><style>p {margin: 0}</style></head><body>"
            "<nav><ul><li><a href=\"/\">首页</a></li><li><a href=\"/news\">新闻动态</a></li>"
            "<li><a href=\"/join\">入会指南</a></li><li><a href=\"/contact\">联系我们</a></li></ul></nav>"
            f"<div class=\"main\"><article><h1>{TITLE}</h1>{body}</article></div>"
            "<footer><p>版权所有 滨江市电子商会 地址：滨江市新华路1号 电话：0000-1234567</p></footer>"
            "</body></html>")


def mhtml_archive() -> bytes:
    archive = MIMEMultipart("related", type="text/html")
    archive["Subject"] = TITLE
    archive["Snapshot-Content-Location"] = "https://example.org/news/1.html"
    quoted = email.charset.Charset("utf-8")
    quoted.body_encoding = email.charset.QP
    archive.attach(MIMEText(html_page(), "html", quoted))
    archive.attach(MIMEImage(b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", "gif"))
    return archive.as_bytes()


def pdf_file(pages: list[list[str]] | None = None, creation: dt.date | None = PUBLISHED) -> bytes:
    """An A4 PDF with a running header and a page number on every page; its lines as given, or the
    article hard-wrapped and cut between two pages in mid-sentence."""
    from pypdf import PdfReader, PdfWriter
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    if pages is None:
        lines = [TITLE] + [p[i:i + PAGE_WIDTH] for p in PARAGRAPHS for i in range(0, len(p), PAGE_WIDTH)]
        pages = [lines[:6], lines[6:]]
    buffer = io.BytesIO()
    sheet = canvas.Canvas(buffer, invariant=1)
    for number, lines in enumerate(pages, 1):
        sheet.setFont("STSong-Light", 9)
        sheet.drawString(72, 800, "滨江市电子商会年鉴 2023")
        sheet.setFont("STSong-Light", 12)
        for row, line in enumerate(lines):
            sheet.drawString(72, 760 - 18 * row, line)
        sheet.setFont("STSong-Light", 9)
        sheet.drawString(290, 40, f"- {number} -")
        sheet.showPage()
    sheet.save()
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(buffer.getvalue())))
    if creation:
        writer.add_metadata({"/CreationDate": f"D:{creation:%Y%m%d}093000+08'00'"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def image_only_pdf() -> bytes:
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    sheet = canvas.Canvas(buffer, invariant=1)
    for row in range(30):  # the scan of a page: marks, no text layer
        sheet.rect(72, 760 - 20 * row, 400, 12, fill=1)
    sheet.showPage()
    sheet.save()
    return buffer.getvalue()


def docx_file(created: dt.datetime | None = dt.datetime(2023, 5, 12, 9, 30)) -> bytes:
    import docx

    document = docx.Document()
    document.add_heading(TITLE, level=1)
    for paragraph in PARAGRAPHS:
        document.add_paragraph(paragraph)
    table = document.add_table(rows=len(TABLE), cols=2)
    for cells, row in zip(table.rows, TABLE):
        for cell, value in zip(cells.cells, row):
            cell.text = value
    document.core_properties.created = created
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def events_of(nlp, path: Path) -> tuple[dict, list[tuple]]:
    document = process_file(nlp, path, path.stem, 10_000_000)
    assert document.status == "ok", document.error
    return document.record(), sorted((e["action"], e["who"]["canonical"], e["what"], e["where"],
                                      (e["when"] or {}).get("start")) for e in document.events)


@pytest.fixture(scope="module")
def plain_events(nlp, tmp_path_factory) -> dict[bool, list[tuple]]:
    """The article's plain text, its day of writing given as a stamp line the way a saved text would."""
    folder = tmp_path_factory.mktemp("plain")
    found = {}
    for with_table in (False, True):
        path = folder / f"article{int(with_table)}.txt"
        path.write_text(article_text(with_table) + f"\n发布时间：{PUBLISHED.isoformat()}", encoding="utf-8")
        found[with_table] = events_of(nlp, path)[1]
    return found


@pytest.mark.parametrize("name,make,with_table,input_format", [
    ("page.html", lambda: html_page().encode("utf-8"), False, "html"),
    ("page.mhtml", mhtml_archive, False, "mhtml"),
    ("yearbook.pdf", pdf_file, False, "pdf"),
    ("report.docx", docx_file, True, "docx"),
])
def test_each_format_gives_the_plain_texts_events_and_its_metadata_date(
        nlp, tmp_path, plain_events, name, make, with_table, input_format):
    path = tmp_path / name
    path.write_bytes(make())
    record, events = events_of(nlp, path)
    assert record["format"] == input_format and record["reader"]
    assert record["metadata_date"]["value"] == PUBLISHED.isoformat()
    assert record["reference_date"] == record["metadata_date"]
    assert events == plain_events[with_table]
    assert ("ELECT", "郑海涛", "副会长", "市会展中心", "2023-05-11") in events  # 11日 in the metadata's month


def test_the_clean_text_keeps_the_article_and_drops_the_page_around_it(tmp_path):
    for data, suffix in ((html_page().encode("utf-8"), ".html"), (mhtml_archive(), ".mhtml"), (pdf_file(), ".pdf")):
        text = read_input(data, suffix).text
        assert text.startswith(TITLE) and all(p in text for p in PARAGRAPHS), suffix
        for furniture in ("首页", "版权所有", "banner", "margin", "年鉴 2023", "- 1 -", "- 2 -"):
            assert furniture not in text, (suffix, furniture)


def test_word_tables_come_in_document_order_a_row_per_line():
    text = read_input(docx_file(), ".docx").text
    assert text.index(PARAGRAPHS[-1]) < text.index("会长\t周立平") < text.index("副会长\t郑海涛")


def test_formats_are_known_by_their_bytes_not_their_names():
    assert sniff_format(pdf_file(), ".txt") == "pdf"
    assert sniff_format(docx_file(), "") == "docx"
    assert sniff_format(mhtml_archive(), ".txt") == "mhtml"
    assert sniff_format(html_page().encode("utf-8"), ".txt") == "html"
    assert sniff_format("协会召开<b>理事会</b>。".encode("utf-8"), ".html") == "html"
    assert sniff_format("协会召开理事会。".encode("utf-8"), ".html") == "text"


def test_a_text_date_outranks_the_metadata_date_which_refines_a_year_it_agrees_with():
    def reference(text: str, metadata: dict | None) -> tuple[str, str] | None:
        found = find_reference_date(text, segment_text(text), metadata)
        return (found.value, found.source) if found else None

    page = {"value": "2023-05-12", "source": "page_metadata"}
    assert reference("协会召开年会。\n发布时间：2022-03-01", page) == ("2022-03-01", "publication_stamp")
    assert reference("2019年，协会召开年会。2019年底换届。", page) == ("2019", "dominant_year")
    assert reference("2023年，协会召开年会。", page) == ("2023-05-12", "page_metadata")
    assert reference("协会召开年会。", page) == ("2023-05-12", "page_metadata")
    assert reference("协会召开年会。", None) is None


def test_running_headers_and_page_numbers_go_but_a_line_on_one_page_stays():
    pages = ["协会年鉴 第3页\n协会年鉴\n理事会在本月召开。\n- 3 -", "协会年鉴 第4页\n会员大会在下月召开。\n4 / 9",
             "协会年鉴 第5页\n会长讲话。\n第 5 页"]
    kept = drop_running_lines(pages)
    assert kept == ["协会年鉴\n理事会在本月召开。", "会员大会在下月召开。", "会长讲话。"]


@pytest.mark.parametrize("data,message", [
    (image_only_pdf, "scanned PDF without a text layer (OCR it first)"),
    (lambda: b"%PDF-1.4\n" + os.urandom(400), "unreadable PDF"),
    (lambda: b"PK\x03\x04" + os.urandom(400), "unreadable Word document"),
    (lambda: _zip_of({"notes.txt": "协会"}), "a ZIP archive, not a Word document"),
])
def test_unreadable_files_give_one_line_errors(data, message):
    with pytest.raises(InputError) as raised:
        read_input(data(), "")
    assert message in str(raised.value) and "\n" not in str(raised.value)


def _zip_of(files: dict[str, str]) -> bytes:
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def test_without_the_formats_extra_the_error_names_the_install_line(monkeypatch):
    monkeypatch.setitem(sys.modules, "pypdf", None)  # `import pypdf` now fails as if it were not installed
    with pytest.raises(InputError, match=r"pip install 'zhie\[formats\]'"):
        read_input(b"%PDF-1.4\n%%EOF", ".pdf")


def test_a_text_file_carrying_some_tags_is_cleaned_of_them():
    raw = ("<div class=\"title\">协会召开理事会</div><script>var x = 1;</script>\n"
           "<p>王明出席会议&nbsp;并讲话。</p><!-- 栏目 --><p>会议由<b>李华</b>主持。</p>")
    repaired = read_input(raw.encode("utf-8"), ".txt")
    assert repaired.input_format == "text"
    assert repaired.text.split("\n") == ["协会召开理事会", "王明出席会议 并讲话。", "会议由李华主持。"]
    start = repaired.text.index("李华")
    assert raw[repaired.offsets[start]:repaired.offsets[start + 1] + 1] == "李华"
    assert "html_markup" in repaired.repairs


def test_a_page_in_its_declared_charset_is_read_in_it():
    page = html_page().replace('<meta charset="utf-8">', '<meta http-equiv="Content-Type" content="text/html; charset=gb2312">')
    repaired = read_input(page.encode("gbk"), ".htm")
    assert repaired.encoding == "gb2312" and PARAGRAPHS[1] in repaired.text
