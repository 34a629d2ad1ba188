"""Charts as inline SVG, each with a text alternative: the SVG is an image named by its
``<title>`` and described by its ``<desc>`` (``role="img"``, ``aria-labelledby``), and the
figure's caption and the table beside it say the same in words and numbers."""
from __future__ import annotations

from html import escape
from typing import Sequence

WIDTH = 560
BAR = 22
GAP = 8
LABEL = 130


def _number(n: float) -> str:
    return f"{n:,.0f}" if float(n).is_integer() else f"{n:,.1f}"


def describe(title: str, rows: Sequence[tuple[str, float]], unit: str) -> str:
    """The words a chart's ``<desc>`` and caption say: every value, largest first."""
    if not rows or not any(v for _, v in rows):
        return f"{title}: none."
    ordered = sorted(rows, key=lambda r: -r[1])
    return f"{title}: " + "; ".join(f"{label} {_number(value)} {unit}" for label, value in ordered) + "."


def bar_chart(chart_id: str, title: str, rows: Sequence[tuple[str, float]], unit: str) -> str:
    """Horizontal bars, one a row, labelled on the left and valued on the right."""
    top = max((v for _, v in rows), default=0) or 1
    height = len(rows) * (BAR + GAP) + GAP
    span = WIDTH - LABEL - 70
    parts = [f'<svg class="chart" id="{chart_id}" role="img" aria-labelledby="{chart_id}-t {chart_id}-d" '
             f'viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}">',
             f'<title id="{chart_id}-t">{escape(title)}</title>',
             f'<desc id="{chart_id}-d">{escape(describe(title, rows, unit))}</desc>']
    for k, (label, value) in enumerate(rows):
        y = GAP + k * (BAR + GAP)
        w = round(span * value / top, 1)
        parts.append(f'<text class="label" x="{LABEL - 8}" y="{y + BAR * 0.7:.0f}" text-anchor="end">{escape(label)}</text>')
        parts.append(f'<rect class="bar bar-{k % 6}" x="{LABEL}" y="{y}" width="{max(w, 1 if value else 0)}" height="{BAR}"/>')
        parts.append(f'<text class="value" x="{LABEL + w + 6:.1f}" y="{y + BAR * 0.7:.0f}">{escape(_number(value))}</text>')
    parts.append("</svg>")
    return "".join(parts)


def column_chart(chart_id: str, title: str, rows: Sequence[tuple[str, float]], unit: str, axis: str) -> str:
    """Vertical columns (a histogram), labelled under each column, ``axis`` naming what they are."""
    top = max((v for _, v in rows), default=0) or 1
    height = 220
    plot = height - 50
    column = (WIDTH - 40) / max(len(rows), 1)
    parts = [f'<svg class="chart" id="{chart_id}" role="img" aria-labelledby="{chart_id}-t {chart_id}-d" '
             f'viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}">',
             f'<title id="{chart_id}-t">{escape(title)}</title>',
             f'<desc id="{chart_id}-d">{escape(describe(title, rows, unit))}</desc>',
             f'<line class="axis" x1="20" y1="{plot + 10}" x2="{WIDTH - 20}" y2="{plot + 10}"/>']
    for k, (label, value) in enumerate(rows):
        x = 20 + k * column + column * 0.15
        w = column * 0.7
        h = round((plot - 20) * value / top, 1)
        y = plot + 10 - h
        parts.append(f'<rect class="bar bar-{k % 6}" x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h}"/>')
        parts.append(f'<text class="value" x="{x + w / 2:.1f}" y="{y - 4:.1f}" text-anchor="middle">{escape(_number(value))}</text>')
        parts.append(f'<text class="label" x="{x + w / 2:.1f}" y="{plot + 28}" text-anchor="middle">{escape(label)}</text>')
    parts.append(f'<text class="label" x="{WIDTH / 2:.0f}" y="{height - 4}" text-anchor="middle">{escape(axis)}</text>')
    parts.append("</svg>")
    return "".join(parts)
