"""The HTML report as a small static site that stays fast at a thousand documents.

    report/index.html              documents (status, counts, dates covered, errors), a timeline by month
    report/documents/<n>.html      one document: its text with highlighted mentions, its events
    report/entities.html           every person, organisation and place, with a search box
    report/entities/<id>.html      one entity's events across documents, its titles and affiliations
    report/events.html             every event, filtered by action, document, entity, dates and text

Each page is self-contained and readable without JavaScript. The events and entities pages carry one
small script for filtering, allowed by its hash in the Content-Security-Policy (no other script can
run); the filters also read the address (`events.html#who=E…`, `#from=2023-05-01&to=2023-05-31`), so
links can open a filtered view.
"""
from __future__ import annotations

import base64
import calendar
import hashlib
import shutil
from collections import Counter, defaultdict
from datetime import date
from html import escape
from pathlib import Path

import typer

from pipeline.cli_errors import fail
from pipeline.export import OutputMissingError, read_jsonl
from pipeline.html_page import page_head
from pipeline.output import entity_id
from pipeline.report import (
    LABEL_COLOURS,
    STYLE,
    RunOutput,
    label_css,
    legend,
    load_run,
    render_document,
)
from pipeline.report_charts import iso_date, render_scores, timeline_svg

SITE_STYLE = STYLE + """
nav.top { margin: .6rem 0; } nav.top a { margin-right: 1rem; }
table.list { border-collapse: collapse; font-size: .85rem; margin: .5rem 0; }
table.list th, table.list td { border: 1px solid #ddd; padding: .15rem .45rem; text-align: left; vertical-align: top; }
table.list td.n { text-align: right; font-variant-numeric: tabular-nums; }
.filters { position: sticky; top: 0; background: #fff; padding: .4rem 0; border-bottom: 1px solid #ddd; }
.filters label { margin-right: .8rem; font-size: .85rem; }
.bar { display: inline-block; height: .7rem; background: #4c78a8; vertical-align: middle; }
.outliers { color: #a00; font-size: .85rem; }
"""
# The share of dated events at each end the timeline's axis leaves out (marked at the edge instead).
OUTLIER_SHARE = 0.02
FILTER_SCRIPT = """(function () {
  var ids = ["action", "doc", "who", "from", "to", "q"], f = {}, rows = [];
  ids.forEach(function (k) { f[k] = document.getElementById("f-" + k); });
  rows = Array.prototype.slice.call(document.querySelectorAll("table.filterable tbody tr"));
  function fromHash() {
    var p = new URLSearchParams(location.hash.slice(1));
    ids.forEach(function (k) { if (f[k] && p.has(k)) { f[k].value = p.get(k); } });
  }
  function keep(r) {
    var d = r.dataset, v = function (k) { return f[k] ? f[k].value.trim() : ""; };
    return (!v("action") || d.action === v("action")) && (!v("doc") || d.doc === v("doc"))
      && (!v("who") || d.who === v("who") || (d.name || "").indexOf(v("who")) >= 0)
      && (!v("from") || (d.end || "") >= v("from")) && (!v("to") || (d.start && d.start <= v("to")))
      && (!v("q") || r.textContent.indexOf(v("q")) >= 0);
  }
  function apply() {
    var shown = 0;
    rows.forEach(function (r) { r.hidden = !keep(r); if (!r.hidden) { shown += 1; } });
    var counter = document.getElementById("shown");
    if (counter) { counter.textContent = shown + " shown"; }
  }
  ids.forEach(function (k) { if (f[k]) { f[k].addEventListener("input", apply); } });
  window.addEventListener("hashchange", function () { fromHash(); apply(); });
  fromHash();
  apply();
})();"""
SCRIPT_HASH = base64.b64encode(hashlib.sha256(FILTER_SCRIPT.encode("utf-8")).digest()).decode("ascii")


def _page(title: str, body: str, depth: int = 0, script: bool = False) -> str:
    """A page of the site: the shared head (with the filter script's hash when it has it) and navigation."""
    up = "../" * depth
    head = page_head(title, SITE_STYLE + "\n" + label_css(list(LABEL_COLOURS)))
    if script:
        head = head.replace("default-src 'none';", f"default-src 'none'; script-src 'sha256-{SCRIPT_HASH}';", 1)
    nav = (f'<nav class="top"><a href="{up}index.html">documents</a><a href="{up}events.html">events</a>'
           f'<a href="{up}entities.html">entities</a></nav>')
    tail = f"<script>{FILTER_SCRIPT}</script>" if script else ""
    return f"{head}{nav}<h1>{escape(title)}</h1>{body}{tail}</body>\n</html>\n"


def _covered(events: list[dict]) -> str:
    days = sorted(d for d in (iso_date((e.get("when") or {}).get("start")) for e in events) if d)
    return "" if not days else days[0].isoformat() if days[0] == days[-1] else f"{days[0]} – {days[-1]}"


def _dense_range(days: list[date]) -> tuple[date, date]:
    """The range holding all but OUTLIER_SHARE of the dates at each end (all of them when few)."""
    cut = int(len(days) * OUTLIER_SHARE)
    return days[cut], days[len(days) - 1 - cut]


def _month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def _timeline(run: RunOutput) -> str:
    """Events by month over the dense range (counts per action, a link to each month's events), the
    outliers named at the edges, and an overview axis."""
    events = [e for rows in run.events.values() for e in rows]
    days = sorted(d for d in (iso_date((e.get("when") or {}).get("start")) for e in events) if d)
    if not days:
        return "<h2>Timeline</h2><p>No dated events.</p>"
    lo, hi = _dense_range(days)
    before, after = [d for d in days if d < lo], [d for d in days if d > hi]
    months: dict[date, Counter] = defaultdict(Counter)
    for event in events:
        day = iso_date((event.get("when") or {}).get("start"))
        if day and lo <= day <= hi:
            months[day.replace(day=1)][event.get("action") or "?"] += 1
    widest = max(sum(c.values()) for c in months.values())
    rows = "".join(
        f'<tr><td><a href="events.html#from={m.isoformat()}&amp;to={_month_end(m).isoformat()}">{m:%Y-%m}</a></td>'
        f'<td class="n">{sum(c.values())}</td><td><span class="bar" style="width:{12 * sum(c.values()) // widest}rem">'
        f'</span></td><td>{escape(", ".join(f"{a} {n}" for a, n in c.most_common()))}</td></tr>'
        for m, c in sorted(months.items()))
    edges = []
    if before:
        edges.append(f'<a href="events.html#to={lo.isoformat()}">{len(before)} earlier</a> (from {before[0]})')
    if after:
        edges.append(f'<a href="events.html#from={hi.isoformat()}">{len(after)} later</a> (to {after[-1]})')
    outliers = f'<p class="outliers">Outside the axis: {"; ".join(edges)}</p>' if edges else ""
    return (f"<h2>Timeline <small>{len(days)} dated events, {lo} – {hi}</small></h2>{outliers}"
            f"{timeline_svg([d for d in days if lo <= d <= hi])}"
            f'<table class="list"><thead><tr><th>month</th><th>events</th><th></th><th>by action</th></tr></thead>'
            f"<tbody>{rows}</tbody></table>")


def _index(run: RunOutput) -> str:
    rows = []
    for n, doc in enumerate(run.documents):
        doc_id, events = str(doc.get("doc_id")), run.events.get(str(doc.get("doc_id")), [])
        error = escape(str(doc.get("error") or ""))
        rows.append(f'<tr><td><a href="documents/{n}.html">{escape(doc_id)}</a></td><td>{escape(str(doc.get("status")))}'
                    f'</td><td class="n">{len(run.marks.get(doc_id, []))}</td><td class="n">{len(events)}</td>'
                    f"<td>{_covered(events)}</td><td class=\"warn\">{error}</td></tr>")
    failed = sum(doc.get("status") != "ok" for doc in run.documents)
    n_events = sum(len(e) for e in run.events.values())
    summary = f"<p>{len(run.documents)} documents ({failed} failed) · {n_events} events</p>"
    table = ('<table class="list"><thead><tr><th>document</th><th>status</th><th>mentions</th><th>events</th>'
             f'<th>dates covered</th><th>error</th></tr></thead><tbody>{"".join(rows)}</tbody></table>')
    return summary + _timeline(run) + "<h2>Documents</h2>" + table + render_scores(run.scores)


def _who_id(event: dict) -> str:
    """The event's `who.entity_id`, or the id the writer derives from its label and canonical name."""
    who = event.get("who") or {}
    return str(who.get("entity_id") or entity_id(str(who.get("label")), str(who.get("canonical") or who.get("text"))))


def _entity_entries(out_dir: Path) -> list[dict]:
    """`entity_index.jsonl`, or the same entries gathered from `entities.jsonl` when a run has no index."""
    index_file = out_dir / "entity_index.jsonl"
    if index_file.is_file():
        return read_jsonl(index_file)
    entries: dict[str, dict] = {}
    for row in read_jsonl(out_dir / "entities.jsonl"):
        key = row.get("entity_id") or entity_id(row["label"], row["canonical"])
        entry = entries.setdefault(key, {"entity_id": key, "label": row["label"], "canonical": row["canonical"],
                                         "aliases": [], "mentions": 0, "documents": []})
        entry["mentions"] += 1
        if row["text"] != row["canonical"] and row["text"] not in entry["aliases"]:
            entry["aliases"].append(row["text"])
        if row["doc_id"] not in entry["documents"]:
            entry["documents"].append(row["doc_id"])
    return list(entries.values())


def _event_row(event: dict, doc_link: str, up: str = "") -> str:
    who, when = event.get("who") or {}, event.get("when") or {}
    entity = _who_id(event)
    name = who.get("canonical") or who.get("text") or "?"
    role = "，".join(p for p in (who.get("affiliation"), who.get("title")) if p)
    data = (f' data-action="{escape(str(event.get("action")))}" data-doc="{escape(str(event.get("doc_id")))}"'
            f' data-who="{escape(entity)}" data-name="{escape(name)}"'
            f' data-start="{escape(when.get("start") or "")}" data-end="{escape(when.get("end") or "")}"')
    span = when.get("start") or ""
    span += f" – {when['end']}" if when.get("end") and when.get("end") != when.get("start") else ""
    return (f"<tr{data}><td>{escape(span)}</td><td>{escape(str(event.get('action')))}</td>"
            f'<td><a href="{up}events.html#who={escape(entity)}" title="only this one\'s events">{escape(name)}</a> '
            f'<a href="{up}entities/{escape(entity)}.html" title="all about {escape(name)}">↗</a>'
            f'{escape(f"（{role}）") if role else ""}</td><td>{escape(event.get("what") or "")}</td>'
            f'<td>{escape(event.get("where") or "")}</td><td>{doc_link}</td></tr>')


def _filters(run: RunOutput) -> str:
    actions = sorted({str(e.get("action")) for rows in run.events.values() for e in rows})
    docs = [str(d.get("doc_id")) for d in run.documents if run.events.get(str(d.get("doc_id")))]

    def options(values: list[str]) -> str:
        return '<option value="">all</option>' + "".join(f'<option value="{escape(v)}">{escape(v)}</option>'
                                                          for v in values)

    return ('<div class="filters">'
            f'<label>action <select id="f-action">{options(actions)}</select></label>'
            f'<label>document <select id="f-doc">{options(docs)}</select></label>'
            '<label>who <input id="f-who" size="12" placeholder="name or id"></label>'
            '<label>from <input id="f-from" type="date"></label><label>to <input id="f-to" type="date"></label>'
            '<label>text <input id="f-q" size="12"></label><span id="shown"></span></div>')


def _events_page(run: RunOutput) -> str:
    index = {str(d.get("doc_id")): n for n, d in enumerate(run.documents)}
    rows = []
    for doc_id, events in run.events.items():
        for number, event in enumerate(events):
            link = f'<a href="documents/{index.get(doc_id, 0)}.html#doc-{index.get(doc_id, 0)}-e{number}">{escape(doc_id)}</a>'
            rows.append(((event.get("when") or {}).get("start") or "9999", _event_row(event, link)))
    body = "".join(row for _, row in sorted(rows, key=lambda r: r[0]))
    return _filters(run) + ('<table class="list filterable"><thead><tr><th>when</th><th>action</th><th>who</th>'
                            f'<th>what</th><th>where</th><th>document</th></tr></thead><tbody>{body}</tbody></table>')


def _entity_page(entry: dict, events: list[tuple[int, int, dict]], posts: list[dict]) -> str:
    """An entity's facts, the posts the relation stage found for it (dated where the text dates them),
    and its events across documents by date."""
    rows = "".join(_event_row(e, f'<a href="../documents/{n}.html#doc-{n}-e{k}">{escape(str(e.get("doc_id")))}</a>',
                              up="../")
                   for n, k, e in sorted(events, key=lambda t: (t[2].get("when") or {}).get("start") or "9999"))
    held: dict[tuple[str, str, bool], list[str]] = defaultdict(list)  # (title, organisation, former) -> dates
    for post in posts:
        held[(post.get("object") or "", post.get("organisation") or "", bool(post.get("former")))].append(post.get("date") or "")
    spans = sorted((min((d for d in days if d), default=""), max(days), len(days), t, o, f)
                   for (t, o, f), days in held.items())
    role_rows = "".join(f"<tr><td>{escape(first)}{escape(f' – {last}') if last and last != first else ''}</td>"
                        f'<td>{escape(t)}{" (former)" if f else ""}</td><td>{escape(o)}</td><td class="n">{n}</td></tr>'
                        for first, last, n, t, o, f in spans)
    facts = (f"<p>{escape(entry['label'])} · {entry['mentions']} mentions in {len(entry['documents'])} documents"
             + (f" · also written {escape('、'.join(entry['aliases']))}" if entry.get("aliases") else "") + "</p>")
    titles = ('<h2>Posts</h2><table class="list"><thead><tr><th>dates</th><th>post</th><th>organisation</th>'
              f'<th>documents</th></tr></thead><tbody>{role_rows}</tbody></table>') if role_rows else ""
    return (facts + titles + f"<h2>Events <small>{len(events)}</small></h2>"
            '<table class="list"><thead><tr><th>when</th><th>action</th><th>who</th><th>what</th><th>where</th>'
            f"<th>document</th></tr></thead><tbody>{rows}</tbody></table>")


def _entities_page(entries: list[dict]) -> str:
    rows = "".join(
        f'<tr data-name="{escape(e["canonical"])}" data-who="{escape(e["entity_id"])}"><td>{escape(e["label"])}</td>'
        f'<td><a href="entities/{escape(e["entity_id"])}.html">{escape(e["canonical"])}</a></td>'
        f'<td>{escape("、".join(e.get("aliases") or []))}</td><td class="n">{e["mentions"]}</td>'
        f'<td class="n">{len(e["documents"])}</td></tr>'
        for e in sorted(entries, key=lambda e: (-e["mentions"], e["label"], e["canonical"])))
    search = ('<div class="filters"><label>name <input id="f-who" size="16"></label>'
              '<label>text <input id="f-q" size="12"></label><span id="shown"></span></div>')
    return search + ('<table class="list filterable"><thead><tr><th>label</th><th>name</th><th>also written</th>'
                     f'<th>mentions</th><th>documents</th></tr></thead><tbody>{rows}</tbody></table>')


def write_site(out_dir: Path, dest: Path) -> Path:
    """Write the report site for the run in `out_dir` into `dest` (replaced whole); returns its index."""
    run = load_run(out_dir)
    tmp = dest.with_name(f".{dest.name}.partial")
    shutil.rmtree(tmp, ignore_errors=True)
    (tmp / "documents").mkdir(parents=True)
    (tmp / "entities").mkdir()
    (tmp / "index.html").write_text(_page(f"zhie report: {out_dir.name}", _index(run)), encoding="utf-8")
    labels = legend(list(LABEL_COLOURS))
    for n, doc in enumerate(run.documents):
        body = labels + render_document(n, doc, run, out_dir)
        (tmp / "documents" / f"{n}.html").write_text(_page(str(doc.get("doc_id")), body, depth=1), encoding="utf-8")
    (tmp / "events.html").write_text(_page("Events", _events_page(run), script=True), encoding="utf-8")
    entries = _entity_entries(out_dir)
    by_entity: dict[str, list[tuple[int, int, dict]]] = defaultdict(list)
    for n, doc in enumerate(run.documents):
        for k, event in enumerate(run.events.get(str(doc.get("doc_id")), [])):
            by_entity[_who_id(event)].append((n, k, event))
    posts: dict[str, list[dict]] = defaultdict(list)
    relations_file = out_dir / "relations.jsonl"
    for row in read_jsonl(relations_file) if relations_file.is_file() else []:
        if row.get("relation") == "holds_title":
            posts[str(row.get("subject_id"))].append(row)
    for entry in entries:
        page = _page(entry["canonical"], _entity_page(entry, by_entity.get(entry["entity_id"], []),
                                                      posts.get(entry["entity_id"], [])), depth=1)
        (tmp / "entities" / f"{entry['entity_id']}.html").write_text(page, encoding="utf-8")
    (tmp / "entities.html").write_text(_page("Entities", _entities_page(entries), script=True), encoding="utf-8")
    shutil.rmtree(dest, ignore_errors=True)
    tmp.replace(dest)
    return dest / "index.html"


def report_command(
    out: Path = typer.Option(Path("data/out"), "--out", help="Pipeline output folder (holds documents.jsonl, clean/, ...)."),
    dest: Path | None = typer.Option(None, "--dest", help="Folder for the report's pages (default: <out>/report)."),
) -> None:
    """Write the report: an index of documents with a timeline, a page per document and per entity, and
    all events with filters. No network and no server: open index.html in any browser."""
    try:
        path = write_site(out, dest if dest is not None else out / "report")
    except OutputMissingError as error:
        fail(f"Error: {error}", 2)
    except ValueError as error:
        fail(f"Error: {error}", 1)
    typer.echo(f"wrote {path}")
