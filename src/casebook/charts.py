"""Bar charts as inline SVG, drawn at build time (no JavaScript, nothing fetched).

Colours come from CSS custom properties and ``currentColor`` so the chart
follows light and dark mode and prints in black on white; the SVG scales to
the width of its container.
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from .display import unit_text, value_text, when_text

if TYPE_CHECKING:
    from .library import ValueRecord

BAR_H = 22
GAP = 8
LABEL_W = 150
CHART_W = 640
VALUE_W = 170


def bar_chart(title: str, rows: list[tuple[str, ValueRecord]], unit: str, chart_id: str) -> str:
    """``rows``: (city label, ValueRecord). Approximate and derived values are hatched.

    Projections (qualifier ``projected``: 预计/计划/目标) are not facts and are not drawn; the chart's description
    names the ones it leaves out."""
    left_out = [(label, v) for label, v in rows if v.data.qualifier == "projected"]
    rows = [(label, v) for label, v in rows if v.data.qualifier != "projected"]
    if not rows:
        return ""
    top = max(float(v.data.value) for _, v in rows) or 1.0
    plot_w = CHART_W - LABEL_W - VALUE_W
    height = len(rows) * (BAR_H + GAP) + GAP
    parts = [
        f'<svg class="cb-chart" id="{escape(chart_id)}" role="img" viewBox="0 0 {CHART_W} {height}" '
        f'preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg" '
        f'aria-labelledby="{escape(chart_id)}-title">',
        f'<title id="{escape(chart_id)}-title">{escape(title)}</title>',
    ]
    if left_out:
        named = "；".join(
            f"{label}：{value_text(v.data.value, v.data.unit, v.data.qualifier)}{unit_text(v.data.unit)}"
            for label, v in left_out
        )
        parts.append(f"<desc>预计值不是实际数，未绘入本图：{escape(named)}</desc>")
    for i, (label, v) in enumerate(rows):
        d = v.data
        y = GAP + i * (BAR_H + GAP)
        w = max(1.0, plot_w * float(d.value) / top)
        approx = d.qualifier != "exact" or d.derived is not None
        cls = "cb-bar cb-bar--approx" if approx else "cb-bar"
        shown = ("≈" if d.derived else "") + value_text(d.value, d.unit, d.qualifier) + unit_text(d.unit)
        when = when_text(d)
        parts.append(
            f'<text class="cb-label" x="{LABEL_W - 8}" y="{y + BAR_H * 0.7:.1f}" text-anchor="end">'
            f"{escape(label)}</text>"
        )
        parts.append(
            f'<rect class="{cls}" x="{LABEL_W}" y="{y}" width="{w:.1f}" height="{BAR_H}" rx="2">'
            f"<title>{escape(label)}：{escape(shown)}（{escape(when)}）</title></rect>"
        )
        parts.append(
            f'<text class="cb-value" x="{LABEL_W + w + 6:.1f}" y="{y + BAR_H * 0.7:.1f}">'
            f'{escape(shown)} <tspan class="cb-when">{escape(when)}</tspan></text>'
        )
    parts.append("</svg>")
    return "".join(parts)
