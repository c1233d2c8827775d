"""`zhie eval --html PAGE`: where extraction goes wrong, shown in the text.

One self-contained page: the micro scores, a table of per-document scores, and for each document its
clean text with the entities and dates marked right (green), extra (red: predicted, not in the gold)
or missed (orange: in the gold, not predicted; placed at the first place its name or text occurs),
and its events as a table of right, extra and missed rows, each linked to its sentence. Whether an
item is right comes from `evaluate.error_rows`, so the page and the scores never disagree.
"""
from __future__ import annotations

from collections import defaultdict
from html import escape
from pathlib import Path

from pipeline.evaluate import error_rows
from pipeline.html_page import page_head

STATUS_CLASS = {"right": "ok", "extra": "fp", "missed": "fn"}
STYLE = """
:root { font-family: system-ui, "Noto Sans CJK SC", "WenQuanYi Micro Hei", "PingFang SC", "Microsoft YaHei", sans-serif; color: #222; }
body { margin: 0 auto; max-width: 1200px; padding: 0 1.5rem 3rem; line-height: 1.6; }
table { border-collapse: collapse; margin: .5rem 0; font-size: .85rem; }
th, td { border: 1px solid #ccc; padding: .15rem .5rem; text-align: left; vertical-align: top; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
.doc { border-top: 2px solid #444; margin-top: 2rem; }
.s { white-space: pre-wrap; line-height: 2.1; margin: 0; padding: .1rem .3rem; }
.s:target { background: #fffbe6; }
.sid { color: #999; font-size: .7rem; margin-right: .4rem; }
mark { padding: .05em .25em; border-radius: .3em; color: inherit; }
mark.ok { background: #c8efc8; } mark.fp { background: #f8c4c4; text-decoration: line-through #a00; }
mark.fn { background: #ffe0a8; outline: 2px dashed #d08000; }
tr.ok td:first-child { color: #1a7f1a; } tr.fp td:first-child { color: #b00; } tr.fn td:first-child { color: #b06000; }
.legend mark { margin-right: .6rem; }
"""


def _spans_of(text: str, names: list[str]) -> tuple[int, int] | None:
    """The first place one of `names` occurs in `text`."""
    found = [(text.find(name), name) for name in names if name and text.find(name) >= 0]
    if not found:
        return None
    start, name = min(found)
    return start, start + len(name)


def _marks(text: str, gold: dict, pred: dict, errors: list[dict]) -> tuple[list[tuple], list[str]]:
    """(start, end, status, title) marks of one document, disjoint and in order; and the missed items that
    could not be placed in the text."""
    extra_entities = {e["item"] for e in errors if e["kind"] == "entity" and e["error"] == "FP"}
    extra_dates = {e["item"] for e in errors if e["kind"] == "date" and e["error"] == "FP"}
    marks = []
    for m in pred["entities"]:
        status = "extra" if f"{m['label']} {m['canonical']}" in extra_entities else "right"
        marks.append((m["start"], m["end"], status, f"{m['label']} {m['canonical']} ({status})"))
    for d in pred["dates"]:
        key = f"{''.join(d['text'].split())} " + (d["value_start"] if d["value_start"] == d["value_end"]
                                                  else f"{d['value_start']}..{d['value_end']}")
        marks.append((d["start"], d["end"], "extra" if key in extra_dates else "right", f"date {key}"))
    unplaced = []
    missed = {e["item"] for e in errors if e["kind"] in ("entity", "date") and e["error"] == "FN"}
    for row in gold["entities"]:
        item = f"{row['label']} {row['text']}"
        if item in missed:
            span = _spans_of(text, [row["text"], *row.get("aliases", [])])
            marks.append((*span, "missed", f"{item} (missed)")) if span else unplaced.append(item)
    for row in gold["dates"]:
        item = f"{row['text']} " + (row["start"] if row["start"] == row["end"] else f"{row['start']}..{row['end']}")
        if item in missed:
            span = _spans_of(text, [row["text"]])
            marks.append((*span, "missed", f"date {item} (missed)")) if span else unplaced.append(item)
    ordered, end = [], -1
    for mark in sorted(marks):
        if mark[0] >= end:
            ordered.append(mark)
            end = mark[1]
    return ordered, unplaced


def _text_html(anchor: str, text: str, sentences: list[dict], marks: list[tuple]) -> str:
    rows, index = [], 0
    for s in sentences:
        parts, pos = [], s["start"]
        while index < len(marks) and marks[index][0] < s["end"]:
            start, end, status, title = marks[index]
            start, end = max(start, pos), min(end, s["end"])
            parts += [escape(text[pos:start]), f'<mark class="{STATUS_CLASS[status]}" title="{escape(title)}">'
                      f'{escape(text[start:end])}</mark>']
            pos = end
            if marks[index][1] <= s["end"]:
                index += 1
            else:
                break
        parts.append(escape(text[pos:s["end"]]))
        rows.append(f'<p class="s" id="{anchor}-s{s["sentence_id"]}"><span class="sid">{s["sentence_id"]}</span>'
                    f'{"".join(parts)}</p>')
    return "".join(rows)


def _event_rows(anchor: str, pred_rows: list[dict], errors: list[dict]) -> str:
    extra_ids = {e["id"] for e in errors if e["kind"] == "event" and e["error"] == "FP"}
    rows = []
    for e in pred_rows:
        status = "extra" if e["event_id"] in extra_ids else "right"
        when = e["when"] or {}
        cells = [status, e["who"]["canonical"], e["action"], _interval(when.get("start"), when.get("end")),
                 e["what"] or "", e["where"] or ""]
        link = f'<a href="#{anchor}-s{e["sentence_id"]}">sentence {e["sentence_id"]}</a>'
        rows.append((status, cells, link))
    for e in (e for e in errors if e["kind"] == "event" and e["error"] == "FN"):
        rows.append(("missed", ["missed", e["item"], "", "", "", ""], ""))
    body = "".join(f'<tr class="{STATUS_CLASS[status]}">' + "".join(f"<td>{escape(c)}</td>" for c in cells)
                   + f"<td>{link}</td></tr>" for status, cells, link in rows)
    return ("<table><thead><tr><th>status</th><th>who</th><th>action</th><th>when</th><th>what</th>"
            f"<th>where</th><th>evidence</th></tr></thead><tbody>{body}</tbody></table>")


def _interval(start: str | None, end: str | None) -> str:
    return "" if not start else start if start == end else f"{start}..{end}"


def _f1(block: dict) -> str:
    return f"{block['f1']:.3f}"


def _score_table(scores: dict) -> str:
    micro = scores["micro"]
    rows = [("entities", micro["entities"]), ("dates", micro["dates"]), ("events strict", micro["events"]["strict"]),
            ("events relaxed", micro["events"]["relaxed"])]
    body = "".join(f"<tr><th>{name}</th><td class=n>{b['precision']:.3f}</td><td class=n>{b['recall']:.3f}</td>"
                   f"<td class=n>{b['f1']:.3f}</td></tr>" for name, b in rows)
    return f"<table><thead><tr><th></th><th>P</th><th>R</th><th>F1</th></tr></thead><tbody>{body}</tbody></table>"


def render_eval_page(gold: dict[str, list[dict]], pred: dict[str, list[dict]], scores: dict, out: Path,
                     texts: dict[str, str], sentences: dict[str, list[dict]]) -> str:
    """The whole page: scores, then each gold document's text and events with right, extra and missed."""
    errors = defaultdict(list)
    for row in error_rows(gold, pred, out):
        errors[row["doc_id"]].append(row)
    by_doc: dict[str, dict[str, dict[str, list]]] = defaultdict(lambda: defaultdict(dict))
    for side, files in (("gold", gold), ("pred", pred)):
        for kind, rows in files.items():
            for row in rows:
                by_doc[row["doc_id"]][side].setdefault(kind, []).append(row)
    sections, index_rows = [], []
    for n, doc_id in enumerate(sorted(scores["documents"])):
        anchor, doc_scores = f"d{n}", scores["documents"][doc_id]
        gold_doc = defaultdict(list, by_doc[doc_id]["gold"])
        pred_doc = defaultdict(list, by_doc[doc_id]["pred"])
        index_rows.append(f'<tr><td><a href="#{anchor}">{escape(doc_id)}</a></td>'
                          f'<td class=n>{_f1(doc_scores["entities"])}</td><td class=n>{_f1(doc_scores["dates"])}</td>'
                          f'<td class=n>{_f1(doc_scores["events"]["strict"])}</td>'
                          f'<td class=n>{_f1(doc_scores["events"]["relaxed"])}</td></tr>')
        text = texts.get(doc_id)
        if text is None:
            body = "<p>Not in the run (or it failed there): every gold item is missed.</p>"
        else:
            marks, unplaced = _marks(text, gold_doc, pred_doc, errors[doc_id])
            body = _text_html(anchor, text, sentences.get(doc_id, []), marks)
            if unplaced:
                body += "<p>Missed, not found in the text: " + escape("; ".join(unplaced)) + "</p>"
        body += _event_rows(anchor, pred_doc["events"], errors[doc_id])
        sections.append(f'<section class="doc" id="{anchor}"><h2>{escape(doc_id)}</h2>{body}</section>')
    return _page(out, scores, "".join(index_rows), "".join(sections))


def _page(out: Path, scores: dict, index_rows: str, sections: str) -> str:
    return page_head(f"zhie eval: {out.name}", STYLE) + f"""<h1>zhie eval <small>{escape(str(out))}</small></h1>
{_score_table(scores)}
<p class="legend"><mark class="ok">right</mark><mark class="fp">extra</mark><mark class="fn">missed</mark></p>
<table><thead><tr><th>document</th><th>entities F1</th><th>dates F1</th><th>events strict F1</th>
<th>events relaxed F1</th></tr></thead><tbody>{index_rows}</tbody></table>
{sections}
</body>
</html>
"""


def write_eval_page(path: Path, gold: dict[str, list[dict]], pred: dict[str, list[dict]], scores: dict,
                    out: Path) -> Path:
    """Write the page for a run in `out` (its clean texts and sentences) against `gold`."""
    import json

    sentences: dict[str, list[dict]] = defaultdict(list)
    sentence_file = out / "sentences.jsonl"
    if sentence_file.is_file():
        for line in sentence_file.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                sentences[row["doc_id"]].append(row)
    texts = {}
    for doc_id in scores["documents"]:
        clean = out / "clean" / f"{doc_id}.txt"
        if clean.is_file():
            with clean.open(encoding="utf-8", newline="") as handle:
                texts[doc_id] = handle.read()
    path.write_text(render_eval_page(gold, pred, scores, out, texts, sentences), encoding="utf-8")
    return path
