"""Cross-case views: values by indicator, comparison cells with their caveats, tags by mechanism.

Everything is built in one pass over the cases (no case × case loops), so
the cost grows linearly with the library.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from .display import LEVEL_ZH, scope_text, unit_text, value_text
from .library import CaseRecord, Library, TagRecord, ValueRecord
from .models import SCOPE_LEVELS, IndicatorDef
from .normalize import to_simplified

#: Values whose reference years lie more than this many years from the column's median year are flagged
#: (the methodology explains it): counts and pay move within a few years, so a gap beyond three is a difference
#: a reader must weigh.
YEAR_GAP = 3


@dataclass
class Cell:
    """One city's value(s) for one indicator, with what sets it apart from the rest of its column."""

    case: CaseRecord
    values: list[ValueRecord]
    reasons: list[str] = field(default_factory=list)

    @property
    def flagged(self) -> bool:
        return bool(self.reasons)

    @property
    def notes(self) -> list[str]:
        """The editors' notes on this cell's values."""
        return [v.data.note.strip() for v in self.values if v.data.note]

    @property
    def sort_value(self) -> float:
        return float(self.values[0].data.value)


@dataclass
class Column:
    """One indicator across the cities that report it."""

    key: str
    definition: IndicatorDef
    cells: dict[str, Cell]  # case id -> cell
    varies: list[str] = field(default_factory=list)  # what differs within the column, for its header

    @property
    def n_cases(self) -> int:
        return len(self.cells)


def values_by_indicator(library: Library) -> dict[str, list[tuple[CaseRecord, ValueRecord]]]:
    out: dict[str, list[tuple[CaseRecord, ValueRecord]]] = defaultdict(list)
    for case in library.cases:
        for v in case.values:
            out[v.data.indicator].append((case, v))
    return out


def tags_by_mechanism(library: Library) -> dict[str, list[tuple[CaseRecord, TagRecord]]]:
    out: dict[str, list[tuple[CaseRecord, TagRecord]]] = defaultdict(list)
    for case in library.cases:
        for t in case.tags:
            out[t.data.mechanism].append((case, t))
    return out


def reference_year(case: CaseRecord, v: ValueRecord) -> tuple[int | None, bool]:
    """The year a value is compared at, and whether the source states it (else it is the publication year:
    目前, 累计 and an unstated time are read as of the time the text was written)."""
    p = v.data.period
    if p.kind == "range":
        return p.end, True
    if p.kind in ("year", "as_of") and p.year is not None:
        return p.year, True
    published = case.data.source.published
    return (int(published[:4]) if published else None), False


def convertible(definition: IndicatorDef, unit: str) -> bool:
    """Whether a value in ``unit`` can be put on the indicator's own unit."""
    unit = to_simplified(unit)
    if unit == definition.unit:
        return True
    return any(u.unit == unit and u.factor is not None for u in definition.other_units)


def _own_reasons(v: ValueRecord) -> list[str]:
    """What the value is, whatever its column: derived, projected, a bound or an approximation."""
    d = v.data
    shown = f"{value_text(d.value, d.unit, d.qualifier)}{unit_text(d.unit)}"
    if d.derived is not None:
        return ["推算值：来源没有直接陈述这个数"]
    if d.qualifier == "projected":
        return [f"预计值（{shown}），不是已实现的数"]
    if d.qualifier in ("more_than", "at_least"):
        return [f"下限（{shown}）：实际数不低于此"]
    if d.qualifier in ("less_than", "at_most"):
        return [f"上限（{shown}）：实际数不高于此"]
    if d.qualifier == "about":
        return [f"约数（{shown}）"]
    return []


def _mode(items: Sequence[str], order: Sequence[str]) -> str:
    counts = Counter(items)
    return max(counts, key=lambda x: (counts[x], -order.index(x)))


def build_column(key: str, definition: IndicatorDef, entries: list[tuple[CaseRecord, ValueRecord]]) -> Column:
    """A column with per-cell flags computed from the values' structured scope, period, unit and qualifier."""
    cells: dict[str, Cell] = {}
    for case, v in entries:
        cells.setdefault(case.id, Cell(case, [])).values.append(v)
    levels = [v.data.scope.level for _, v in entries]
    usual_level = _mode(levels, SCOPE_LEVELS) if levels else "city"
    years = sorted(y for y in (reference_year(c, v)[0] for c, v in entries) if y is not None)
    median = years[(len(years) - 1) // 2] if years else None
    varies: list[str] = []
    for cell in cells.values():
        reasons: list[str] = []
        for v in cell.values:
            d = v.data
            if d.scope.level != usual_level:
                reasons.append(
                    f"统计层级不同：本格为{LEVEL_ZH[d.scope.level]}（{scope_text(d.scope)}），"
                    f"本列多为{LEVEL_ZH[usual_level]}"
                )
                _add(varies, "统计层级")
            if not convertible(definition, d.unit):
                reasons.append(f"单位为“{d.unit}”，不能换算为本列的“{definition.unit}”")
                _add(varies, "单位")
            year, stated = reference_year(cell.case, v)
            if year is None and median is not None:
                reasons.append("时间不明：来源既未注明时间，也无发表日期")
                _add(varies, "年份")
            elif year is None and len(cells) > 1:
                _add(varies, "年份（各值均不明）")
            elif year is not None and median is not None and abs(year - median) > YEAR_GAP:
                how = "" if stated else "（未注明时间，按发表年份）"
                reasons.append(f"年份相差{abs(year - median)}年：本格为{year}年{how}，本列中位为{median}年")
                _add(varies, "年份")
            for r in _own_reasons(v):
                reasons.append(r)
                _add(varies, r.split("（")[0].split("：")[0])
        if len(cell.values) > 1:
            reasons.append("该市有多个范围的数值，各注其范围")
        cell.reasons = list(dict.fromkeys(reasons))
    return Column(key, definition, cells, varies)


def _add(items: list[str], item: str) -> None:
    if item not in items:
        items.append(item)


def columns(library: Library) -> dict[str, Column]:
    """Every reported indicator as a column, in catalogue order."""
    by_ind = values_by_indicator(library)
    return {key: build_column(key, d, by_ind[key]) for key, d in library.indicators.items() if key in by_ind}
