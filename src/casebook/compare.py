"""Cross-case views: values by indicator, comparison cells with their caveats, tags by mechanism.

Everything is built in one pass over the cases (no case × case loops), so
the cost grows linearly with the library.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from .display import unit_text, value_text, when_text
from .library import CaseRecord, Library, TagRecord, ValueRecord
from .models import IndicatorDef


@dataclass
class Cell:
    """One city's value(s) for one indicator, with why comparison is limited."""

    case: CaseRecord
    values: list[ValueRecord]
    reasons: list[str] = field(default_factory=list)

    @property
    def flagged(self) -> bool:
        return bool(self.reasons)

    @property
    def sort_value(self) -> float:
        return float(self.values[0].data.value)


@dataclass
class Column:
    """One indicator across the cities that report it."""

    key: str
    definition: IndicatorDef
    cells: dict[str, Cell]  # case id -> cell

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


def _value_reasons(v: ValueRecord) -> list[str]:
    d = v.data
    reasons = []
    if d.derived is not None:
        reasons.append("推算值，来源未直接陈述")
    if d.qualifier == "projected":
        reasons.append(f"预计值，不是已实现的数（{value_text(d.value, d.unit, d.qualifier)}{unit_text(d.unit)}）")
    elif d.qualifier != "exact":
        reasons.append(f"约数（{value_text(d.value, d.unit, d.qualifier)}{unit_text(d.unit)}）")
    return reasons


def build_column(key: str, definition, entries: list[tuple[CaseRecord, ValueRecord]]) -> Column:
    cells: dict[str, Cell] = {}
    for case, v in entries:
        cells.setdefault(case.id, Cell(case, [])).values.append(v)
    whens = {when_text(v.data) for _, v in entries}
    scopes = {v.data.scope for _, v in entries}
    for cell in cells.values():
        reasons = []
        if len(whens) > 1:
            reasons.append("各城市年份或时段不同（本列：" + "；".join(sorted(whens)) + "）")
        if len(scopes) > 1:
            reasons.append("统计范围不同（本列：" + "；".join(sorted(scopes)) + "）")
        if len(cell.values) > 1:
            reasons.append("该市有多个口径的数值")
        for v in cell.values:
            for r in _value_reasons(v):
                if r not in reasons:
                    reasons.append(r)
        cell.reasons = reasons
    return Column(key, definition, cells)


def columns(library: Library) -> dict[str, Column]:
    """Every reported indicator as a column, in catalogue order."""
    by_ind = values_by_indicator(library)
    return {key: build_column(key, d, by_ind[key]) for key, d in library.indicators.items() if key in by_ind}
