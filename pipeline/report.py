"""The parts of the HTML report: reading a run, and rendering a document, a timeline axis and scores.

Per document: the clean text with entity and date mentions highlighted by label (displaCy-like
marks, built here from the offsets, so no spaCy Doc is needed) and each sentence's events beside it.
`report_site` puts these parts into pages; the label toggles are CSS only.
"""
from __future__ import annotations

import json
import re
from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from typing import Any

from pipeline.export import read_jsonl, require_files

REQUIRED = ("documents.jsonl", "sentences.jsonl", "entities.jsonl", "events.jsonl")
# displaCy's palette, so the marks look familiar.
LABEL_COLOURS = {"PERSON": "#aa9cfc", "ORG": "#7aecec", "LOC": "#feca74", "DATE": "#bfe1d9"}
OTHER_COLOUR = "#dddddd"


@dataclass(frozen=True)
class Mark:
    """A highlighted span of the clean text."""

    start: int
    end: int
    label: str
    title: str


@dataclass
class RunOutput:
    """The parts of an output folder the report shows, grouped by document."""

    documents: list[dict]
    sentences: dict[str, list[dict]] = field(default_factory=dict)
    marks: dict[str, list[Mark]] = field(default_factory=dict)
    events: dict[str, list[dict]] = field(default_factory=dict)
    scores: dict | None = None


def _by_doc(records: list[dict]) -> dict[str, list[dict]]:
    grouped: dict[str, list[dict]] = defaultdict(list)
    for record in records:
        grouped[record.get("doc_id")].append(record)
    return grouped


def _entity_mark(entity: dict) -> Mark:
    canonical = entity.get("canonical") or ""
    title = canonical if canonical and canonical != entity.get("text") else ""
    return Mark(entity["start"], entity["end"], entity.get("label") or "?", title)


def _date_mark(item: dict) -> Mark:
    return Mark(item["start"], item["end"], "DATE", _interval(item.get("value_start"), item.get("value_end")))


def _non_overlapping(marks: list[Mark]) -> list[Mark]:
    """Sort marks and drop any that overlaps an earlier one (the spec allows no nesting)."""
    kept: list[Mark] = []
    for mark in sorted(marks, key=lambda m: (m.start, -m.end)):
        if mark.end > mark.start and (not kept or mark.start >= kept[-1].end):
            kept.append(mark)
    return kept


def _load_marks(out_dir: Path) -> dict[str, list[Mark]]:
    marks: dict[str, list[Mark]] = defaultdict(list)
    for entity in read_jsonl(out_dir / "entities.jsonl"):
        marks[entity.get("doc_id")].append(_entity_mark(entity))
    dates_path = out_dir / "dates.jsonl"  # optional: dates are only highlighted
    for item in read_jsonl(dates_path) if dates_path.is_file() else []:
        marks[item.get("doc_id")].append(_date_mark(item))
    return {doc_id: _non_overlapping(rows) for doc_id, rows in marks.items()}


def load_run(out_dir: Path) -> RunOutput:
    """Read the output folder; raises OutputMissingError when a required file is missing."""
    require_files(out_dir, REQUIRED)
    sentences = _by_doc(read_jsonl(out_dir / "sentences.jsonl"))
    return RunOutput(
        documents=read_jsonl(out_dir / "documents.jsonl"),
        sentences={doc_id: sorted(rows, key=lambda s: s["start"]) for doc_id, rows in sentences.items()},
        marks=_load_marks(out_dir),
        events=_by_doc(read_jsonl(out_dir / "events.jsonl")),
        scores=_read_scores(out_dir / "eval.json"),
    )


def _read_scores(path: Path) -> dict | None:
    if not path.is_file():
        return None
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise ValueError(f"{path}: invalid JSON: {error.msg}") from error


def _interval(start: str | None, end: str | None) -> str:
    if not start:
        return ""
    return start if end in (None, start) else f"{start} – {end}"


def _label_class(label: str) -> str:
    return "l-" + re.sub(r"[^A-Za-z0-9_-]", "_", label)


def _mark_html(surface: str, mark: Mark) -> str:
    title = f' title="{escape(mark.title)}"' if mark.title else ""
    return (
        f'<mark class="ent {_label_class(mark.label)}"{title}>{escape(surface)}'
        f'<span class="lbl">{escape(mark.label)}</span></mark>'
    )


class _Highlighter:
    """Renders spans of one document's text with its marks (sorted and disjoint)."""

    def __init__(self, text: str, marks: list[Mark]) -> None:
        self.text, self.marks = text, marks
        self.ends = [mark.end for mark in marks]

    def html(self, start: int, end: int) -> str:
        parts, pos = [], start
        for index in range(bisect_right(self.ends, start), len(self.marks)):
            mark = self.marks[index]
            if mark.start >= end:
                break
            # A mark crossing the span's edge is clipped, so each row stays well-formed HTML.
            mark_start, mark_end = max(mark.start, pos), min(mark.end, end)
            parts += [escape(self.text[pos:mark_start]), _mark_html(self.text[mark_start:mark_end], mark)]
            pos = mark_end
        parts.append(escape(self.text[pos:end]))
        return "".join(parts)


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _row_spans(text: str, sentences: list[dict]) -> list[tuple[int, int, dict | None]]:
    """Cut the text at sentence ends: a gap goes with the next sentence, trailing text is its own row."""
    rows: list[tuple[int, int, dict | None]] = []
    pos = 0
    for sentence in sentences:
        end = min(max(sentence["end"], pos), len(text))
        rows.append((*_trim(text, pos, end), sentence))
        pos = end
    if text[pos:].strip():
        rows.append((*_trim(text, pos, len(text)), None))
    return rows


def _when_text(when: dict | None) -> str:
    if not when:
        return ""
    interval = _interval(when.get("start"), when.get("end"))
    return f"{when.get('text') or ''} ({interval})" if interval else when.get("text") or ""


def _event_html(event: dict, element_id: str = "", link: str = "") -> str:
    """One event: action, who (with title/affiliation), what, where, when."""
    who = event.get("who") or {}
    name = who.get("canonical") or who.get("text") or "?"
    role = "，".join(part for part in (who.get("affiliation"), who.get("title")) if part)
    fields = [("what", event.get("what")), ("where", event.get("where")), ("when", _when_text(event.get("when")))]
    details = "".join(f' <span class="k">{key}</span> {escape(str(value))}' for key, value in fields if value)
    hint = f"trigger: {event.get('trigger') or '?'} · confidence: {event.get('confidence', '?')}"
    id_attr = f' id="{element_id}"' if element_id else ""
    return (
        f'<li class="ev"{id_attr} title="{escape(hint)}">'
        f'<span class="act">{escape(str(event.get("action") or "?"))}</span> '
        f'<span class="who {_label_class(str(who.get("label") or "?"))}">{escape(name)}</span>'
        + (f' <span class="role">（{escape(role)}）</span>' if role else "")
        + details + link + "</li>"
    )


def _event_list(items: list[str]) -> str:
    return f'<ul class="events">{"".join(items)}</ul>' if items else ""


def _document_body(anchor: str, text: str, sentences: list[dict], marks: list[Mark], events: list[dict]) -> str:
    """The text row by row, each sentence with its events beside it; unplaced events at the end."""
    by_sentence: dict[Any, list[int]] = defaultdict(list)
    for index, event in enumerate(events):
        by_sentence[event.get("sentence_id")].append(index)
    highlighter, rows, placed = _Highlighter(text, marks), [], set()
    for start, end, sentence in _row_spans(text, sentences):
        sentence_id = sentence.get("sentence_id") if sentence else None
        indexes = by_sentence.get(sentence_id, []) if sentence else []
        placed.update(indexes)
        kind = escape(str(sentence.get("kind", "sentence"))) if sentence else "rest"
        row_id = f' id="{anchor}-s{escape(str(sentence_id))}"' if sentence else ""
        items = [_event_html(events[i], f"{anchor}-e{i}") for i in indexes]
        rows.append(
            f'<div class="row k-{kind}"{row_id}><div class="txt">{highlighter.html(start, end)}</div>'
            f"{_event_list(items)}</div>"
        )
    rest = [_event_html(events[i], f"{anchor}-e{i}") for i in range(len(events)) if i not in placed]
    if rest:
        rows.append(f'<h4>Events not placed in a sentence</h4>{_event_list(rest)}')
    return "".join(rows)


def _document_meta(doc: dict) -> str:
    reference = doc.get("reference_date") or {}
    facts = [
        ("source", doc.get("source")),
        ("encoding", doc.get("encoding")),
        ("repairs", ", ".join(doc.get("repairs") or []) or "none"),
        ("reference date", f"{reference.get('value')} ({reference.get('source')})" if reference else "none"),
        ("status", doc.get("status")),
    ]
    return '<p class="meta">' + " · ".join(f"{k}: {escape(str(v))}" for k, v in facts if v) + "</p>"


def _clean_text(out_dir: Path, doc_id: str) -> str | None:
    path = out_dir / "clean" / f"{doc_id}.txt"
    if not path.is_file():
        return None
    with path.open(encoding="utf-8", newline="") as handle:  # offsets count a "\r" as one character
        return handle.read()


def render_document(index: int, doc: dict, run: RunOutput, out_dir: Path) -> str:
    doc_id = str(doc.get("doc_id"))
    anchor = f"doc-{index}"
    events = run.events.get(doc_id, [])
    text = _clean_text(out_dir, doc_id) if doc.get("status") != "error" else None
    if doc.get("status") == "error":
        body = f'<p class="warn">error: {escape(str(doc.get("error")))}</p>'
    elif text is None:
        items = [_event_html(event, f"{anchor}-e{i}") for i, event in enumerate(events)]
        body = f'<p class="warn">clean text not found: clean/{escape(doc_id)}.txt</p>{_event_list(items)}'
    else:
        body = _document_body(anchor, text, run.sentences.get(doc_id, []), run.marks.get(doc_id, []), events)
    return (
        f'<section class="doc" id="{anchor}"><h3>{escape(doc_id)} '
        f'<small>{len(run.marks.get(doc_id, []))} mentions · {len(events)} events</small></h3>'
        f"{_document_meta(doc)}{body}</section>"
    )


STYLE = """
:root { font-family: system-ui, "Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei", "PingFang SC", "Microsoft YaHei", sans-serif; color: #222; }
body { margin: 0 auto; max-width: 1200px; padding: 0 1.5rem 3rem; line-height: 1.6; }
h1 { margin-bottom: .2rem; } small { color: #666; font-weight: normal; }
.legend { position: sticky; top: 0; background: #fff; padding: .4rem 0; border-bottom: 1px solid #ddd; z-index: 1; }
.legend label { margin-right: .8rem; cursor: pointer; }
.doc { border-top: 2px solid #444; margin-top: 2rem; }
.meta { color: #555; font-size: .85rem; }
.warn { color: #a00; }
.row { display: grid; grid-template-columns: minmax(0, 3fr) minmax(0, 2fr); gap: 1rem; padding: .3rem 0; border-bottom: 1px dashed #eee; }
.row:target { background: #fffbe6; }
.txt { white-space: pre-wrap; line-height: 2.2; }
.k-header .txt, .k-title .txt { font-weight: bold; }
mark.ent { padding: .1em .3em; border-radius: .35em; color: inherit; }
mark.ent .lbl { font-size: .6em; font-weight: bold; margin-left: .3em; text-transform: uppercase; vertical-align: middle; }
ul.events { margin: 0; padding-left: 1rem; font-size: .9rem; }
.ev { margin: .15rem 0; }
.ev:target { background: #fffbe6; }
.act { font-family: ui-monospace, monospace; font-size: .75rem; background: #333; color: #fff; padding: 0 .3em; border-radius: .2em; }
.who { padding: 0 .2em; border-radius: .2em; font-weight: bold; }
.k { color: #888; font-size: .75rem; margin-left: .3em; }
svg.overview { width: 100%; height: auto; }
svg .axis, svg .tick { stroke: #555; }
svg text { font-size: 11px; text-anchor: middle; fill: #444; }
svg circle { fill: #4c78a8; fill-opacity: .75; }
table.scores { border-collapse: collapse; margin: .5rem 0; font-size: .85rem; }
table.scores th, table.scores td { border: 1px solid #ccc; padding: .15rem .5rem; text-align: right; }
table.scores tbody th { text-align: left; }
"""


def label_css(labels: list[str]) -> str:
    """A colour per label, and CSS-only toggles: unchecking a legend box hides that label's marks."""
    rules = []
    for label in labels:
        cls, colour = _label_class(label), LABEL_COLOURS.get(label, OTHER_COLOUR)
        rules.append(f".{cls} {{ background: {colour}; }}")
        rules.append(f"body:has(#show-{cls}:not(:checked)) mark.{cls} {{ background: none; }}")
        rules.append(f"body:has(#show-{cls}:not(:checked)) mark.{cls} .lbl {{ display: none; }}")
    return "\n".join(rules)


def legend(labels: list[str]) -> str:
    boxes = "".join(
        f'<label><input type="checkbox" id="show-{_label_class(label)}" checked> '
        f'<mark class="ent {_label_class(label)}">{escape(label)}</mark></label>'
        for label in labels
    )
    return f'<div class="legend">{boxes}</div>'


