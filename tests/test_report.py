"""The HTML report: an index with a timeline, document pages with highlighted mentions and events,
entity pages and a filterable events page; self-contained, tested in headless Chromium."""
from __future__ import annotations

import base64
import hashlib
import json
import re
import shutil
import subprocess
from html import unescape
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from pipeline.report_site import report_command, write_site

TEXTS = {
    "000_a": "1月5日，上海市总工会召开大会。\n黄芸出席并讲话。\n同日，市总工会发布<通知> & 公告。",
    "001_b": "3月1日，中国铸造协会在安徽合肥举行年会，徐明当选会长。\n会议由张三主持。",
}


def _mention(doc_id: str, n: int, surface: str, label: str, sentence_id: int, canonical: str = "", after: int = 0) -> dict:
    start = TEXTS[doc_id].index(surface, after)
    return {"doc_id": doc_id, "mention_id": f"{doc_id}:m{n}", "text": surface, "label": label, "start": start,
            "end": start + len(surface), "sentence_id": sentence_id, "canonical": canonical or surface}


def _sentences(doc_id: str) -> list[dict]:
    rows, pos = [], 0
    for number, line in enumerate(TEXTS[doc_id].split("\n")):
        rows.append({"doc_id": doc_id, "sentence_id": number, "start": pos, "end": pos + len(line), "kind": "sentence"})
        pos += len(line) + 1
    return rows


def _event(doc_id: str, n: int, who: str, label: str, action: str, sentence_id: int, when: tuple | None,
           what: str | None = None, where: str | None = None) -> dict:
    return {
        "doc_id": doc_id, "event_id": f"{doc_id}:e{n}", "sentence_id": sentence_id,
        "who": {"text": who, "label": label, "canonical": who, "title": None, "affiliation": None},
        "action": action, "trigger": "x", "what": what, "where": where,
        "when": None if when is None else {"text": when[0], "start": when[1], "end": when[2], "granularity": "day"},
        "evidence": TEXTS[doc_id].split("\n")[sentence_id], "confidence": 0.9,
    }


def write_run(root: Path, with_eval: bool = True) -> dict[str, list[dict]]:
    """Two documents with text, one failed document, dated and undated events, and eval scores."""
    records = {
        "documents": [
            {"doc_id": doc_id, "source": f"raw/{doc_id}.txt", "sha256": "0" * 64, "encoding": "utf-8",
             "repairs": ["boilerplate"], "reference_date": {"value": "2023", "source": "stamp"},
             "status": "ok", "error": None}
            for doc_id in TEXTS
        ] + [{"doc_id": "002_bad", "source": "raw/002_bad.txt", "sha256": "1" * 64, "encoding": None,
              "repairs": [], "reference_date": None, "status": "error", "error": "cannot decode <bytes>"}],
        "sentences": _sentences("000_a") + _sentences("001_b"),
        "entities": [
            _mention("000_a", 0, "上海市总工会", "ORG", 0),
            _mention("000_a", 1, "黄芸", "PERSON", 1),
            _mention("000_a", 2, "市总工会", "ORG", 2, canonical="上海市总工会", after=20),
            _mention("001_b", 0, "中国铸造协会", "ORG", 0),
            _mention("001_b", 1, "安徽", "LOC", 0),
            _mention("001_b", 2, "合肥", "LOC", 0),
            _mention("001_b", 3, "徐明", "PERSON", 0),
            _mention("001_b", 4, "张三", "PERSON", 1),
        ],
        "dates": [
            {"doc_id": "000_a", "date_id": "000_a:d0", "text": "1月5日", "start": 0, "end": 4,
             "value_start": "2023-01-05", "value_end": "2023-01-05", "granularity": "day", "anchor": "reference_date"},
        ],
        "events": [
            _event("000_a", 0, "上海市总工会", "ORG", "ORGANIZE", 0, ("1月5日", "2023-01-05", "2023-01-05"), "大会"),
            _event("000_a", 1, "黄芸", "PERSON", "SPEAK", 1, ("1月5日", "2023-01-05", "2023-01-05")),
            _event("000_a", 2, "上海市总工会", "ORG", "ISSUE", 2, None, "<通知>"),
            _event("001_b", 0, "中国铸造协会", "ORG", "ORGANIZE", 0, ("3月1日", "2023-03-01", "2023-03-01"),
                   "年会", "安徽合肥"),
            _event("001_b", 1, "徐明", "PERSON", "ELECT", 0, ("3月1日", "2023-03-01", "2023-03-01")),
        ],
    }
    for stem, rows in records.items():
        lines = "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)
        (root / f"{stem}.jsonl").write_text(lines, encoding="utf-8", newline="")
    (root / "clean").mkdir()
    for doc_id, text in TEXTS.items():
        (root / "clean" / f"{doc_id}.txt").write_text(text, encoding="utf-8", newline="")
    if with_eval:
        scores = {"entities": {"p": 0.8571428, "r": 0.75, "f1": 0.8, "PERSON": {"p": 1.0, "r": 1.0, "f1": 1.0}},
                  "events": {"strict": {"p": 0.5, "r": 0.5, "f1": 0.5}}}
        (root / "eval.json").write_text(
            json.dumps({"micro": scores, "documents": {"000_a": scores}}, ensure_ascii=False), encoding="utf-8"
        )
    return records


@pytest.fixture
def out_dir(tmp_path: Path) -> Path:
    root = tmp_path / "out"
    root.mkdir()
    write_run(root)
    return root


@pytest.fixture
def site(out_dir: Path) -> Path:
    return write_site(out_dir, out_dir / "report")


@pytest.fixture
def html(site: Path) -> str:
    """The documents' pages, in document order."""
    return "".join((site.parent / "documents" / f"{n}.html").read_text(encoding="utf-8") for n in range(3))


def page(site: Path, name: str) -> str:
    return (site.parent / name).read_text(encoding="utf-8")


def test_every_document_is_shown(site: Path, html: str) -> None:
    for doc_id in ("000_a", "001_b", "002_bad"):
        assert f">{doc_id} <small>" in html
    index = page(site, "index.html")
    assert "cannot decode &lt;bytes&gt;" in html and "cannot decode &lt;bytes&gt;" in index
    assert '<a href="documents/1.html">001_b</a>' in index and "2023-03-01" in index


def test_mentions_are_highlighted_in_text_order(out_dir: Path, html: str) -> None:
    marks = re.findall(r'<mark class="ent l-(\w+)"[^>]*>([^<]*)<span class="lbl">(\w+)</span></mark>', html)
    assert all(label == shown for label, _surface, shown in marks)
    spans = [json.loads(line) for name in ("entities", "dates")
             for line in (out_dir / f"{name}.jsonl").read_text(encoding="utf-8").splitlines()]
    spans.sort(key=lambda row: (row["doc_id"], row["start"]))
    expected = [(row.get("label", "DATE"), row["text"]) for row in spans]
    assert [(label, unescape(surface)) for label, surface, _shown in marks] == expected
    assert 'title="上海市总工会"' in html  # the short form 市总工会 shows its canonical name
    assert "发布&lt;通知&gt; &amp; 公告" in html  # the text is escaped, not interpreted


def test_events_are_listed_with_their_sentence(html: str) -> None:
    row = html[html.index('id="doc-1-s0"'): html.index('id="doc-1-s1"')]
    for shown in ("ORGANIZE", "中国铸造协会", "年会", "安徽合肥", "3月1日 (2023-03-01)", "ELECT", "徐明"):
        assert shown in row
    assert "SPEAK" not in row  # 黄芸 speaks in another document


def test_timeline_groups_months_and_the_events_page_keeps_undated_events(site: Path) -> None:
    index = page(site, "index.html")
    assert "<svg" in index and "<circle" in index
    assert index.index("2023-01</a>") < index.index("2023-03</a>")
    assert 'href="events.html#from=2023-03-01&amp;to=2023-03-31"' in index
    events = page(site, "events.html")
    issue = events[events.index('data-action="ISSUE"'):]
    assert "&lt;通知&gt;" in issue and 'data-start=""' in issue[:400]
    assert 'href="documents/0.html#doc-0-e2"' in issue  # links back to the event in its document


def test_a_timeline_outlier_is_named_at_the_edge_not_stretching_the_axis(tmp_path: Path) -> None:
    records = write_run(tmp_path)
    far = dict(records["events"][0], event_id="000_a:e9", when={"text": "1986年", "start": "1986-01-01",
                                                                 "end": "1986-12-31", "granularity": "year"})
    events = [far] + [dict(records["events"][1], event_id=f"000_a:e{10 + n}") for n in range(60)]
    (tmp_path / "events.jsonl").write_text("".join(json.dumps(e, ensure_ascii=False) + "\n" for e in events),
                                           encoding="utf-8")
    index = write_site(tmp_path, tmp_path / "report").read_text(encoding="utf-8")
    assert "Outside the axis" in index and "1 earlier</a> (from 1986-01-01)" in index
    assert "1986" not in index[index.index("<svg"):index.index("</svg>")]


def test_entity_pages_gather_an_entitys_events_across_documents(site: Path, out_dir: Path) -> None:
    from pipeline.output import entity_id

    person = page(site, f"entities/{entity_id('PERSON', '徐明')}.html")
    assert "ELECT" in person and "001_b" in person and "SPEAK" not in person
    listing = page(site, "entities.html")
    assert f'href="entities/{entity_id("ORG", "上海市总工会")}.html"' in listing


def test_scores_table(site: Path) -> None:
    index = page(site, "index.html")
    scores = index[index.index('<section id="scores">'):]
    assert "<table" in scores and "0.857" in scores and "events.strict" in scores and "entities.PERSON" in scores
    assert "<summary>000_a</summary>" in scores


def test_no_scores_section_without_eval(tmp_path: Path) -> None:
    write_run(tmp_path, with_eval=False)
    index = write_site(tmp_path, tmp_path / "report").read_text(encoding="utf-8")
    assert 'id="scores"' not in index


def test_pages_are_self_contained_and_run_only_their_hashed_script(site: Path) -> None:
    for path in site.parent.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"""(?:src|href|action)\s*=\s*["']?\s*(?:https?:)?//""", text, re.I), path
        assert "http://" not in text and "https://" not in text and "@import" not in text
        scripts = re.findall(r"<script>(.*?)</script>", text, re.S)
        policy = re.search(r'Content-Security-Policy" content="([^"]+)"', text).group(1)
        assert ("script-src" in policy) == bool(scripts), path
        for script in scripts:
            digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode()
            assert f"'sha256-{digest}'" in policy


def test_command_default_path_and_missing_input(out_dir: Path) -> None:
    app = typer.Typer()
    app.command("report")(report_command)
    result = CliRunner().invoke(app, ["--out", str(out_dir)])
    assert result.exit_code == 0, result.output
    assert (out_dir / "report" / "index.html").is_file()
    (out_dir / "sentences.jsonl").unlink()
    result = CliRunner().invoke(app, ["--out", str(out_dir)])
    assert result.exit_code == 2 and "sentences.jsonl" in result.output


def _chromium() -> str | None:
    return next((path for path in ("/usr/bin/chromium", shutil.which("chromium")) if path and Path(path).exists()), None)


def _render(chromium: str, page: Path, work: Path) -> tuple[Path, list[str]]:
    """Screenshot `page` headless; return the PNG and the console lines the page produced."""
    png = work / "report.png"
    command = [
        chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        f"--user-data-dir={work / 'profile'}", f"--screenshot={png}", "--window-size=1280,2000",
        "--enable-logging=stderr", "--v=0", page.resolve().as_uri(),
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120)
    # Chromium logs page console output as `...:CONSOLE:<line>] "message", source: <url> (<line>)`.
    console = [line for line in done.stderr.splitlines() if "Uncaught" in line or re.search(r":CONSOLE[:(]", line)]
    return png, console


def _dom(chromium: str, url: str, work: Path) -> str:
    """The page's DOM after its script ran (what a reader sees), as headless Chromium gives it."""
    command = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
               f"--user-data-dir={work / 'profile'}", "--virtual-time-budget=3000", "--dump-dom", url]
    return subprocess.run(command, capture_output=True, text=True, timeout=120).stdout


@pytest.mark.slow
def test_renders_in_headless_chromium_without_console_errors(site: Path, tmp_path: Path) -> None:
    chromium = _chromium()
    if chromium is None:
        pytest.skip("chromium not installed (apt-get install chromium)")
    # Control: a page with a script error must be caught, or an empty log would prove nothing.
    broken = tmp_path / "broken.html"
    broken.write_text("<!DOCTYPE html><p>x</p><script>console.error('boom'); missing();</script>", encoding="utf-8")
    (tmp_path / "control").mkdir()
    _png, console = _render(chromium, broken, tmp_path / "control")
    assert any("Uncaught" in line for line in console), "chromium did not log console errors; check flags"
    for name in ("index.html", "documents/0.html", "events.html", "entities.html"):
        work = tmp_path / name.replace("/", "_")
        work.mkdir()
        png, console = _render(chromium, site.parent / name, work)
        assert png.is_file() and png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert png.stat().st_size > 10_000 and console == [], name  # a blank page compresses to a few KB


def test_clicking_a_person_shows_only_their_events(site: Path, tmp_path: Path) -> None:
    from pipeline.output import entity_id

    chromium = _chromium()
    if chromium is None:
        pytest.skip("chromium not installed (apt-get install chromium)")
    person = entity_id("PERSON", "徐明")
    events = page(site, "events.html")
    assert f'href="events.html#who={person}"' in events  # the link a reader clicks on the name
    dom = _dom(chromium, (site.parent / "events.html").as_uri() + f"#who={person}", tmp_path)
    rows = re.findall(r"<tr data-action[^>]*>", dom)
    shown = [row for row in rows if " hidden" not in row]
    assert len(rows) == 5 and len(shown) == 1 and f'data-who="{person}"' in shown[0]
    dated = _dom(chromium, (site.parent / "events.html").as_uri() + "#from=2023-03-01&to=2023-03-31&action=ELECT",
                 tmp_path)
    assert [r for r in re.findall(r"<tr data-action[^>]*>", dated) if " hidden" not in r] == shown
    searched = _dom(chromium, (site.parent / "events.html").as_uri() + "#q=年会", tmp_path)
    visible = [r for r in re.findall(r"<tr data-action[^>]*>", searched) if " hidden" not in r]
    assert len(visible) == 1 and 'data-action="ORGANIZE"' in visible[0] and 'data-doc="001_b"' in visible[0]


def test_report_of_the_five_documents_renders(run_output: Path, tmp_path: Path) -> None:
    chromium = _chromium()
    if chromium is None:
        pytest.skip("chromium not installed (apt-get install chromium)")
    index = write_site(run_output, tmp_path / "report")
    text = "".join(p.read_text(encoding="utf-8") for p in (tmp_path / "report" / "documents").glob("*.html"))
    assert all(doc_id in text for doc_id in ("000_30793a095a71568a", "003_a9f7d36ab5c9dbbc", "004_3c97cd865ef99b3a"))
    (tmp_path / "page").mkdir()
    png, console = _render(chromium, index, tmp_path / "page")
    assert png.stat().st_size > 20_000 and console == []


@pytest.mark.slow
def test_a_thousand_documents_give_an_index_that_grows_linearly_and_renders(tmp_path: Path) -> None:
    from report_batch import write_batch

    sizes = {}
    for count in (250, 500, 1000):
        out = tmp_path / f"run{count}"
        write_batch(out, count)
        sizes[count] = write_site(out, out / "report").stat().st_size
    # Linear: a fixed part (head, timeline) and the same bytes per document, so 500 more documents add
    # twice what 250 more did.
    assert 1.9 < (sizes[1000] - sizes[500]) / (sizes[500] - sizes[250]) < 2.1
    chromium = _chromium()
    if chromium is None:
        pytest.skip("chromium not installed (apt-get install chromium)")
    (tmp_path / "page").mkdir()
    png, console = _render(chromium, tmp_path / "run1000" / "report" / "index.html", tmp_path / "page")
    assert png.stat().st_size > 20_000 and console == []
