"""Bar charts as inline HTML and CSS, drawn at build time (no JavaScript, no image, nothing fetched).

A chart is an ordered list, one item per value: the city, a bar and the value in words. The list is the text
alternative: a screen reader reads every city and number as text, and the bars are hidden from it. Text is set
by the stylesheet (``casebook.css``, section "Bar charts"), so labels keep their size at every width and wrap
instead of shrinking; bars are widths in per cent of one shared axis. A bar is drawn with a border, not a
background, so that it prints (the handouts are printed without backgrounds).

Only values on the indicator's own unit, or on a unit that converts to it (``compare.convertible``), share the
axis. Projections (预计/计划/目标: not facts) and values whose unit cannot be converted are listed below the
chart, with the reason, and not drawn.
"""

from __future__ import annotations

import math
from html import escape
from typing import TYPE_CHECKING

from .compare import convertible
from .display import unit_text, value_text, when_text
from .normalize import to_simplified
from .numbers import format_value

if TYPE_CHECKING:
    from .library import ValueRecord
    from .models import IndicatorDef

#: Above this many bars the chart scrolls inside a box of its own rather than push the page's text far down.
SCROLL_ROWS = 24


def _factor(definition: IndicatorDef | None, unit: str, chart_unit: str) -> float | None:
    """How many of the chart's unit one ``unit`` is, or None when the two cannot be compared."""
    if definition is None:
        return 1.0 if to_simplified(unit) == to_simplified(chart_unit) else None
    if not convertible(definition, unit):
        return None
    simple = to_simplified(unit)
    if simple == definition.unit:
        return 1.0
    return next(float(u.factor) for u in definition.other_units if u.unit == simple and u.factor is not None)


def _step(top: float) -> float:
    """A round tick step that divides the axis into about four parts: 1, 2, 2.5 or 5 times a power of ten."""
    raw = top / 4
    power = 10 ** math.floor(math.log10(raw))
    return next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)


def _shown(d) -> str:
    return ("≈" if d.derived else "") + value_text(d.value, d.unit, d.qualifier) + unit_text(d.unit)


def bar_chart(
    title: str,
    rows: list[tuple[str, ValueRecord]],
    unit: str,
    chart_id: str,
    definition: IndicatorDef | None = None,
) -> str:
    """``rows``: (city label, ValueRecord). Bars in descending order on one axis; approximate and derived values
    are drawn as outlined, dashed bars. Returns "" when no value can be drawn."""
    drawn: list[tuple[str, ValueRecord, float]] = []
    apart: list[tuple[str, ValueRecord, str]] = []
    for label, v in rows:
        d = v.data
        factor = _factor(definition, d.unit, unit)
        if d.qualifier == "projected":
            apart.append((label, v, "预计值，不是已实现的数"))
        elif factor is None:
            apart.append((label, v, f"单位为“{d.unit}”，不能换算为“{unit}”"))
        else:
            drawn.append((label, v, float(d.value) * factor))
    if not drawn:
        return ""
    drawn.sort(key=lambda r: -r[2])  # stable: equal values keep the library's case order
    top = max(x for _, _, x in drawn)
    step = _step(top) if top > 0 else 1.0
    axis_max = step * math.ceil(top / step - 1e-9) if top > 0 else 1.0
    cid = escape(chart_id)
    long = len(drawn) > SCROLL_ROWS
    parts = [
        f'<div class="cb-chart-scroll" tabindex="0" role="region" aria-label="{escape(title)}（可滚动）">'
        if long
        else "",
        f'<ol class="cb-chart" id="{cid}" aria-label="{escape(title)}：条形图，{len(drawn)} 个数值，同一坐标轴">',
    ]
    for label, v, x in drawn:
        d = v.data
        approx = d.qualifier != "exact" or d.derived is not None
        cls = "cb-bar cb-bar--approx" if approx else "cb-bar"
        width = 100 * x / axis_max
        parts.append(
            f'<li class="cb-row"><span class="cb-label">{escape(label)}</span>'
            f'<span class="cb-track" aria-hidden="true"><span class="{cls}" style="width: {width:.2f}%"></span></span>'
            f'<span class="cb-value">{escape(_shown(d))}<span class="cb-when">{escape(when_text(d))}</span></span></li>'
        )
    parts.append("</ol>")
    ticks = [step * k for k in range(int(round(axis_max / step)) + 1)]
    parts.append('<div class="cb-axis" aria-hidden="true"><span class="cb-axis__track">')
    for t in ticks:
        parts.append(
            f'<span class="cb-tick" style="left: {100 * t / axis_max:.2f}%">{escape(format_value(_round(t)))}</span>'
        )
    parts.append(f'</span><span class="cb-axis__unit">{escape(unit)}</span></div>')
    if long:
        parts.append("</div>")
    if apart:
        parts.append(
            '<div class="cb-apart"><p><strong>不在同一坐标轴上</strong>（未画入上图，不能与上图的数值直接比较）：</p><ul>'
        )
        for label, v, why in apart:
            parts.append(
                f"<li>{escape(label)}：{escape(_shown(v.data))}（{escape(when_text(v.data))}）——{escape(why)}</li>"
            )
        parts.append("</ul></div>")
    return "".join(p for p in parts if p)


def _round(t: float) -> int | float:
    """A tick value as a plain number: 2.5 stays 2.5, 1000.0 becomes 1000."""
    return int(t) if float(t).is_integer() else round(t, 6)
