"""Server-side SVG charts: no JavaScript, crisp on A4, allowed by the strict CSP.

Colours and sizes are SVG attributes (not inline styles); the text comes from the caller, already
translated. Every chart is shown with its table under it (templates/reports/*.html).
"""

from __future__ import annotations

from markupsafe import Markup, escape

BAR = "#0b5cad"
WIDTH = 640


def bar_chart(title: str, items: list[tuple[str, float]], *, unit: str = "") -> Markup:
    """Horizontal bars, one per (label, value)."""
    row, label_w, pad = 26, 210, 8
    height = max(1, len(items)) * row + 2 * pad
    top = max((v for _, v in items), default=0) or 1
    parts = [
        f'<svg class="chart" role="img" viewBox="0 0 {WIDTH} {height}" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>'
    ]
    for i, (label, value) in enumerate(items):
        y = pad + i * row
        width = (WIDTH - label_w - 90) * (value / top)
        shown = f"{value:g}{unit}"
        parts.append(
            f'<text x="{label_w - 6}" y="{y + 17}" text-anchor="end" font-size="13">'
            f"{escape(label)}</text>"
            f'<rect x="{label_w}" y="{y + 4}" width="{width:.1f}" height="{row - 8}" '
            f'fill="{BAR}" rx="3"/>'
            f'<text x="{label_w + width + 6:.1f}" y="{y + 17}" font-size="13">'
            f"{escape(shown)}</text>"
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def column_chart(title: str, items: list[tuple[str, float]]) -> Markup:
    """Vertical columns over time (e.g. tickets per day); labels thinned to stay legible."""
    height, bottom, left = 220, 28, 36
    n = max(1, len(items))
    step = (WIDTH - left - 8) / n
    top = max((v for _, v in items), default=0) or 1
    every = max(1, n // 12)
    parts = [
        f'<svg class="chart" role="img" viewBox="0 0 {WIDTH} {height}" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>'
        f'<text x="{left - 4}" y="14" text-anchor="end" font-size="11">{top:g}</text>'
        f'<line x1="{left}" y1="{height - bottom}" x2="{WIDTH}" y2="{height - bottom}" '
        f'stroke="#94a3b8"/>'
    ]
    for i, (label, value) in enumerate(items):
        h = (height - bottom - 10) * (value / top)
        x = left + i * step
        bar = min(40.0, max(1.0, step * 0.8))
        parts.append(
            f'<rect x="{x + (step - bar) / 2:.1f}" y="{height - bottom - h:.1f}" '
            f'width="{bar:.1f}" height="{h:.1f}" fill="{BAR}">'
            f"<title>{escape(label)}: {value:g}</title></rect>"
        )
        if i % every == 0:
            parts.append(
                f'<text x="{x + step / 2:.1f}" y="{height - 10}" text-anchor="middle" '
                f'font-size="11">{escape(label)}</text>'
            )
    parts.append("</svg>")
    return Markup("".join(parts))


def heat_map(title: str, days: list[str], hours: list[int], cells: dict) -> Markup:
    """Arrivals by weekday (rows) x hour (columns); darker is busier, counts written in."""
    cell_w, cell_h, left, top_pad = 40, 28, 80, 22
    width = left + cell_w * max(1, len(hours)) + 4
    height = top_pad + cell_h * len(days) + 4
    peak = max(cells.values(), default=0) or 1
    parts = [
        f'<svg class="chart heat" role="img" viewBox="0 0 {width} {height}" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>'
    ]
    for j, hour in enumerate(hours):
        parts.append(
            f'<text x="{left + j * cell_w + cell_w / 2}" y="15" text-anchor="middle" '
            f'font-size="12">{hour:02d}</text>'
        )
    for i, day in enumerate(days):
        y = top_pad + i * cell_h
        parts.append(
            f'<text x="{left - 6}" y="{y + 19}" text-anchor="end" font-size="12">'
            f"{escape(day)}</text>"
        )
        for j, hour in enumerate(hours):
            n = cells.get((i, hour), 0)
            opacity = 0.08 + 0.92 * n / peak if n else 0.03
            ink = "#ffffff" if n / peak > 0.55 else "#0f172a"
            x = left + j * cell_w
            parts.append(
                f'<rect x="{x}" y="{y}" width="{cell_w - 2}" height="{cell_h - 2}" fill="{BAR}" '
                f'fill-opacity="{opacity:.2f}"/>'
            )
            if n:
                parts.append(
                    f'<text x="{x + cell_w / 2 - 1}" y="{y + 18}" text-anchor="middle" '
                    f'font-size="11" fill="{ink}">{n}</text>'
                )
    parts.append("</svg>")
    return Markup("".join(parts))


def charts_for(report: dict) -> dict[str, Markup]:
    """The charts of a built report (counter.reports.build), keyed like its tables."""
    from flask_babel import gettext as _

    tables = {t.key: t for t in report["tables"]}
    heat = tables["heatmap"]
    hours = [int(h) for h in heat.headers[1:]]
    cells = {(i, hours[j]): n for i, row in enumerate(heat.rows) for j, n in enumerate(row[1:])}
    elements = tables["skm_elements"]
    return {
        "per_day": column_chart(
            _("Tickets per day"), [(row[0][5:], row[1]) for row in tables["per_day"].rows]
        ),
        "heatmap": heat_map(heat.title, [row[0] for row in heat.rows], hours, cells),
        "sources": bar_chart(
            tables["sources"].title, [(r[0], r[1]) for r in tables["sources"].rows]
        ),
        "skm_elements": bar_chart(elements.title, [(f"U{r[0]}", r[4] or 0) for r in elements.rows]),
    }
