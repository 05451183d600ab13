"""Charts drawn on the server as SVG: no JavaScript, the same picture on the page and in the PDF.

Accessible: each chart is `role="img"` named by its `<title>` and described by a `<desc>` that
says what the bars or lines show in words, every bar and point is labelled with its number
(nothing is told by colour alone: lines also differ by dash and marker), and the page puts
the chart's data table straight after it. Colours from the GOV.UK palette.
"""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .pack import Section

BLUE = "#1d70b8"
COLOURS = ("#1d70b8", "#d4351c", "#00703c", "#4c2c92", "#f47738")
DASHES = ("", "6 3", "2 3", "8 3 2 3", "1 2")
MARKERS = ("circle", "square", "diamond", "triangle", "circle")
FONT = 'font-family="Arial, sans-serif" font-size="13"'


def _describe(section: Section) -> str:
    if section.chart == "line":
        parts = [
            f"{label}: "
            + ", ".join(f"{col} {v}" for col, v in zip(section.columns, values, strict=True))
            for label, values in section.rows
        ]
    else:
        parts = [f"{label} {values[0]}" for label, values in section.rows]
    return f"{section.what} " + "; ".join(parts) + "."


def _frame(section: Section, width: int, height: int, body: str) -> SafeString:
    ident = f"chart-{section.slug}"
    return mark_safe(  # noqa: S308 (every text in `body` and here is escaped)
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" aria-labelledby="{ident}-title {ident}-desc" '
        f'class="cme-chart">'
        f'<title id="{ident}-title">{escape(section.title)}</title>'
        f'<desc id="{ident}-desc">{escape(_describe(section))}</desc>{body}</svg>'
    )


def bar_chart(section: Section, *, width: int = 640) -> SafeString:
    """One horizontal bar per row, its number at its end."""
    label_w, bar_h, gap, top = 260, 18, 8, 8
    plot_w = width - label_w - 60
    top_value = max((values[0] for _, values in section.rows), default=0) or 1
    parts = []
    for n, (label, values) in enumerate(section.rows):
        y = top + n * (bar_h + gap)
        length = round(plot_w * values[0] / top_value)
        parts.append(
            f'<text x="{label_w - 8}" y="{y + 13}" text-anchor="end" {FONT} fill="#0b0c0c">'
            f"{escape(label)}</text>"
            f'<rect x="{label_w}" y="{y}" width="{length}" height="{bar_h}" fill="{BLUE}"/>'
            f'<text x="{label_w + length + 6}" y="{y + 13}" {FONT} fill="#0b0c0c">'
            f"{values[0]}</text>"
        )
    height = top * 2 + len(section.rows) * (bar_h + gap)
    return _frame(section, width, height, "".join(parts))


def _marker(kind: str, x: float, y: float, colour: str) -> str:
    if kind == "square":
        return f'<rect x="{x - 4}" y="{y - 4}" width="8" height="8" fill="{colour}"/>'
    if kind == "diamond":
        return f'<path d="M{x} {y - 5} L{x + 5} {y} L{x} {y + 5} L{x - 5} {y} Z" fill="{colour}"/>'
    if kind == "triangle":
        return f'<path d="M{x} {y - 5} L{x + 5} {y + 4} L{x - 5} {y + 4} Z" fill="{colour}"/>'
    return f'<circle cx="{x}" cy="{y}" r="4" fill="{colour}"/>'


def line_chart(section: Section, *, width: int = 640) -> SafeString:
    """Each row a line across the columns (school years), each point labelled, with a key."""
    left, right, top, plot_h = 50, 30, 20, 200
    key_h = 20 * len(section.rows)
    height = top + plot_h + 30 + key_h + 10
    top_value = max((v for _, values in section.rows for v in values), default=0) or 1
    steps = max(len(section.columns) - 1, 1)
    plot_w = width - left - right

    def x(i: int) -> float:
        return left + plot_w * i / steps

    def y(v: int) -> float:
        return top + plot_h - plot_h * v / top_value

    parts = [
        f'<line x1="{left}" y1="{top + plot_h}" x2="{width - right}" y2="{top + plot_h}" '
        'stroke="#505a5f"/>'
    ]
    for i, col in enumerate(section.columns):
        parts.append(
            f'<text x="{x(i)}" y="{top + plot_h + 18}" text-anchor="middle" {FONT} '
            f'fill="#0b0c0c">{escape(col)}</text>'
        )
    for n, (label, values) in enumerate(section.rows):
        colour, dash, marker = (seq[n % len(seq)] for seq in (COLOURS, DASHES, MARKERS))
        points = " ".join(f"{x(i)},{y(v)}" for i, v in enumerate(values))
        dashing = f' stroke-dasharray="{dash}"' if dash else ""
        parts.append(
            f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="2"{dashing}/>'
        )
        for i, v in enumerate(values):
            parts.append(_marker(marker, x(i), y(v), colour))
            parts.append(f'<text x="{x(i) + 6}" y="{y(v) - 6}" {FONT} fill="#0b0c0c">{v}</text>')
        ky = top + plot_h + 36 + n * 20
        parts.append(
            f'<line x1="{left}" y1="{ky}" x2="{left + 30}" y2="{ky}" stroke="{colour}" '
            f'stroke-width="2"{dashing}/>'
            + _marker(marker, left + 15, ky, colour)
            + f'<text x="{left + 40}" y="{ky + 4}" {FONT} fill="#0b0c0c">{escape(label)}</text>'
        )
    return _frame(section, width, height, "".join(parts))


def chart(section: Section) -> SafeString:
    return line_chart(section) if section.chart == "line" else bar_chart(section)
