"""The report's timeline (an SVG of events per day) and its tables of evaluation scores."""
from __future__ import annotations

from collections import Counter
from datetime import date
from html import escape
from math import ceil, sqrt
from typing import Any

MAX_TICKS = 12
SVG_WIDTH, SVG_HEIGHT, SVG_PAD = 960, 80, 40


def iso_date(value: Any) -> date | None:
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        return None


def _month_starts(lo: date, hi: date) -> list[date]:
    months, year, month = [], lo.year, lo.month
    while True:
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        if date(year, month, 1) > hi:
            return months
        months.append(date(year, month, 1))


def _ticks(lo: date, hi: date) -> list[tuple[date, str]]:
    """Month ticks for spans up to a year, year ticks beyond; thinned to MAX_TICKS."""
    if (hi - lo).days <= 366:
        ticks = [(day, day.strftime("%Y-%m")) for day in _month_starts(lo, hi)]
    else:
        ticks = [(date(year, 1, 1), str(year)) for year in range(lo.year + 1, hi.year + 1)]
    return ticks[:: max(1, ceil(len(ticks) / MAX_TICKS))]


def timeline_svg(days: list[date]) -> str:
    """An overview axis: one dot per event date, larger for more events, with a tooltip."""
    lo, hi = min(days), max(days)
    span, usable = max((hi - lo).days, 1), SVG_WIDTH - 2 * SVG_PAD

    def x(day: date) -> float:
        return SVG_PAD + ((day - lo).days / span * usable if hi > lo else usable / 2)

    axis_y = SVG_HEIGHT / 2
    parts = [f'<line class="axis" x1="{SVG_PAD}" y1="{axis_y}" x2="{SVG_WIDTH - SVG_PAD}" y2="{axis_y}"/>']
    for day, label in _ticks(lo, hi):
        parts.append(f'<line class="tick" x1="{x(day):.1f}" y1="{axis_y - 5}" x2="{x(day):.1f}" y2="{axis_y + 5}"/>')
        parts.append(f'<text x="{x(day):.1f}" y="{axis_y - 10}">{label}</text>')
    parts.append(f'<text class="end" x="{SVG_PAD}" y="{SVG_HEIGHT - 6}">{lo.isoformat()}</text>')
    parts.append(f'<text class="end" x="{SVG_WIDTH - SVG_PAD}" y="{SVG_HEIGHT - 6}">{hi.isoformat()}</text>')
    for day, count in sorted(Counter(days).items()):
        radius = min(14.0, 3 + 2 * sqrt(count))
        parts.append(
            f'<circle cx="{x(day):.1f}" cy="{axis_y}" r="{radius:.1f}">'
            f"<title>{day.isoformat()}: {count} event{'s' if count > 1 else ''}</title></circle>"
        )
    return (
        f'<svg class="overview" viewBox="0 0 {SVG_WIDTH} {SVG_HEIGHT}" role="img" '
        f'aria-label="events from {lo.isoformat()} to {hi.isoformat()}">{"".join(parts)}</svg>'
    )


def _score_rows(block: dict, path: str = "") -> list[tuple[str, dict]]:
    """Flatten nested score objects into rows: (dotted path, {metric: value})."""
    scalars = {key: value for key, value in block.items() if not isinstance(value, dict)}
    rows = [(path or "all", scalars)] if scalars else []
    for key, value in block.items():
        if isinstance(value, dict):
            rows += _score_rows(value, f"{path}.{key}" if path else str(key))
    return rows


def _score_cell(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.3f}"
    if value is None:
        return "–"
    return escape(str(value))


def _score_table(block: dict) -> str:
    rows = _score_rows(block)
    columns = list(dict.fromkeys(key for _path, metrics in rows for key in metrics))
    head = "".join(f"<th>{escape(str(column))}</th>" for column in columns)
    body = "".join(
        f"<tr><th>{escape(path)}</th>" + "".join(f"<td>{_score_cell(metrics.get(c))}</td>" for c in columns) + "</tr>"
        for path, metrics in rows
    )
    return f'<table class="scores"><thead><tr><th></th>{head}</tr></thead><tbody>{body}</tbody></table>'


def render_scores(scores: dict | None) -> str:
    if scores is None:
        return ""
    micro = scores.get("micro") or {}
    documents = scores.get("documents") or {}
    per_doc = "".join(
        f"<details><summary>{escape(str(doc_id))}</summary>{_score_table(block)}</details>"
        for doc_id, block in documents.items() if isinstance(block, dict)
    )
    return (
        f'<section id="scores"><h2>Evaluation scores</h2><h3>Micro-averaged</h3>{_score_table(micro)}'
        + (f"<h3>Per document</h3>{per_doc}" if per_doc else "")
        + "</section>"
    )
