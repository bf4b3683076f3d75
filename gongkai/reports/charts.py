"""Server-side SVG charts: the same markup is embedded in the HTML page and the PDF.

Plain SVG (no script, no external fonts): bars with their values written on them, a
``<title>`` and ``role="img"`` with an ``aria-label`` so screen readers get the figures.
"""

from __future__ import annotations

from html import escape


def bar_chart(
    title: str, data: list[tuple[str, int]], *, width: int = 640, bar_color: str = "#2f5d8a"
) -> str:
    """A vertical bar chart of (label, value) pairs."""
    n = max(len(data), 1)
    height, top, bottom, left = 260, 36, 48, 16
    plot_h = height - top - bottom
    slot = (width - 2 * left) / n
    peak = max((v for _l, v in data), default=0) or 1
    summary = "；".join(f"{label}{value}" for label, value in data)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" '
        f'role="img" aria-label="{escape(title)}：{escape(summary)}" class="report-chart">',
        f"<title>{escape(title)}</title>",
        f'<text x="{width / 2}" y="20" text-anchor="middle" font-size="15" font-weight="bold">'
        f"{escape(title)}</text>",
        f'<line x1="{left}" y1="{top + plot_h}" x2="{width - left}" y2="{top + plot_h}" '
        'stroke="#555" stroke-width="1"/>',
    ]
    for i, (label, value) in enumerate(data):
        h = plot_h * value / peak
        x = left + i * slot + slot * 0.15
        w = slot * 0.7
        y = top + plot_h - h
        parts.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h:.1f}" fill="{bar_color}"/>'
        )
        parts.append(
            f'<text x="{x + w / 2:.1f}" y="{y - 4:.1f}" text-anchor="middle" font-size="11">'
            f"{value}</text>"
        )
        parts.append(
            f'<text x="{x + w / 2:.1f}" y="{top + plot_h + 16}" text-anchor="middle" '
            f'font-size="11">{escape(label)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def hbar_chart(title: str, data: list[tuple[str, int]], *, width: int = 640) -> str:
    """A horizontal bar chart (long Chinese labels fit on the left)."""
    row_h, top, label_w = 24, 34, 230
    height = top + row_h * max(len(data), 1) + 12
    peak = max((v for _l, v in data), default=0) or 1
    plot_w = width - label_w - 60
    summary = "；".join(f"{label}{value}" for label, value in data)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" '
        f'role="img" aria-label="{escape(title)}：{escape(summary)}" class="report-chart">',
        f"<title>{escape(title)}</title>",
        f'<text x="{width / 2}" y="20" text-anchor="middle" font-size="15" font-weight="bold">'
        f"{escape(title)}</text>",
    ]
    for i, (label, value) in enumerate(data):
        y = top + i * row_h
        w = plot_w * value / peak
        parts.append(
            f'<text x="{label_w - 6}" y="{y + 15}" text-anchor="end" font-size="12">'
            f"{escape(label)}</text>"
        )
        parts.append(
            f'<rect x="{label_w}" y="{y + 4}" width="{w:.1f}" height="{row_h - 8}" fill="#8a4b2f"/>'
        )
        parts.append(f'<text x="{label_w + w + 4:.1f}" y="{y + 15}" font-size="12">{value}</text>')
    parts.append("</svg>")
    return "".join(parts)
