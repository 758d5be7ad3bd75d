"""The codebook: every indicator of data/indicators.yaml with what it counts, its units, the scope levels a
value may have, its comparability and the cases that report it, as a page (templates/codebook.html.j2) and
as downloads (codebook.csv, codebook.json).

Which cases report an indicator comes from one pass over the values (:func:`casebook.compare.values_by_indicator`),
never from a loop over indicators × cases. Order is deterministic: indicator groups in the order of
data/indicators.yaml, indicators in catalogue order within their group, cases in library order.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from .compare import values_by_indicator
from .display import LEVEL_ZH
from .downloads import csv_cell
from .library import CaseRecord, Library, ValueRecord
from .models import SCOPE_LEVELS, Group, IndicatorDef
from .numbers import as_decimal

#: Indicator kinds as readers see them (data/indicators.yaml's ``kind``).
KIND_ZH = {
    "count": "计数",
    "ratio": "比值",
    "money": "金额",
    "area": "面积",
    "percent": "百分比",
    "age": "年龄",
    "times": "次数",
    "duration": "时长",
}

#: What an other unit without a factor is called on the page and in the downloads.
NOT_CONVERTIBLE = "不能换算"

CODEBOOK_COLUMNS = [
    ("key", "指标键（data/indicators.yaml；案例文件和 indicators.csv 的 indicator 字段用它）"),
    ("group", "指标分组 id（data/indicators.yaml 的 groups）"),
    ("group_name", "指标分组中文名"),
    ("name", "指标中文名"),
    ("name_en", "指标英文名"),
    ("counts", "计数单位：该指标的“一个”是什么（编者用语）；计的对象更窄或不同的数值不归入该指标"),
    ("unit", "主单位：比较表以它为准"),
    (
        "other_units",
        "其他单位及换算：CSV 中写作“家=1个; 名=不能换算”（以 ; 分隔），JSON 中为 {unit, factor} 的数组，"
        "factor 为空表示不能换算（比较表中该数值会被提示）",
    ),
    ("kind", "类型：" + " / ".join(f"{k}（{v}）" for k, v in KIND_ZH.items())),
    (
        "levels",
        "数值可以具有的统计层级："
        + " / ".join(f"{k}（{v}）" for k, v in LEVEL_ZH.items())
        + "；CSV 中以 ; 分隔，JSON 中为数组",
    ),
    ("definition", "定义（编者用语）"),
    ("comparability", "该指标已知的比较局限（编者用语）；全库通用的比较提示规则见指标编码手册页和方法说明"),
    ("n_cases", "报告该指标的案例数（0 表示尚无案例报告）"),
    ("cases", "报告该指标的案例 id，按案例库顺序；CSV 中以 ; 分隔，JSON 中为数组"),
    ("page_url", "指标编码手册页上该指标的位置（完整网址）"),
]


def anchor(key: str) -> str:
    """The id of an indicator's entry on the codebook page."""
    return f"i-{key}"


def factor_text(factor: float | int) -> str:
    """A conversion factor as written: 1, 10000, 0.5 (never 1e+04)."""
    text = format(as_decimal(factor).normalize(), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def other_units_text(unit: str, others: list[tuple[str, float | int | None]]) -> str:
    """``家=1个; 名=不能换算``: each other unit (unit, factor) with how many of the main ``unit`` one of it is."""
    return "; ".join(
        f"{other}={factor_text(factor)}{unit}" if factor is not None else f"{other}={NOT_CONVERTIBLE}"
        for other, factor in others
    )


def levels_zh(definition: IndicatorDef) -> str:
    """The scope levels a value may have, in the readers' words (全域、区县级), or 任何层级 when all are allowed."""
    words = "、".join(LEVEL_ZH[level] for level in definition.levels)
    return f"任何层级（{words}）" if set(definition.levels) >= set(SCOPE_LEVELS) else words


@dataclass
class Report:
    """One case reporting an indicator: its first value of that indicator (the case page's anchor) and how
    many values of it the case has."""

    case: CaseRecord
    first: ValueRecord
    n_values: int = 1


@dataclass
class Entry:
    definition: IndicatorDef
    reports: list[Report]

    @property
    def key(self) -> str:
        return self.definition.key

    @property
    def anchor(self) -> str:
        return anchor(self.definition.key)

    @property
    def n_cases(self) -> int:
        return len(self.reports)


@dataclass
class GroupEntries:
    group: Group
    entries: list[Entry]


def entries(library: Library) -> list[GroupEntries]:
    """Every indicator, grouped by indicator group, with the cases that report it (one pass over the values)."""
    reports: dict[str, dict[str, Report]] = {}
    for key, pairs in values_by_indicator(library).items():
        by_case = reports.setdefault(key, {})
        for case, v in pairs:  # cases in library order, each case's values in case.yaml order
            report = by_case.get(case.id)
            if report is None:
                by_case[case.id] = Report(case, v)
            else:
                report.n_values += 1
    grouped: dict[str, list[Entry]] = {g.id: [] for g in library.groups}
    for key, definition in library.indicators.items():
        entry = Entry(definition, list(reports.get(key, {}).values()))
        grouped.setdefault(definition.group, []).append(entry)
    by_id = {g.id: g for g in library.groups}
    return [GroupEntries(by_id[gid], items) for gid, items in grouped.items() if items and gid in by_id]


def rows(library: Library, groups: list[GroupEntries] | None = None) -> list[dict]:
    """One record per indicator (the codebook downloads), in the page's order."""
    base = library.site_url
    out = []
    for g in groups if groups is not None else entries(library):
        for e in g.entries:
            d = e.definition
            out.append(
                {
                    "key": d.key,
                    "group": d.group,
                    "group_name": g.group.name,
                    "name": d.name,
                    "name_en": d.name_en,
                    "counts": d.counts,
                    "unit": d.unit,
                    "other_units": [{"unit": u.unit, "factor": u.factor} for u in d.other_units],
                    "kind": d.kind,
                    "levels": list(d.levels),
                    "definition": d.definition,
                    "comparability": d.comparability,
                    "n_cases": e.n_cases,
                    "cases": [r.case.id for r in e.reports],
                    "page_url": f"{base}codebook/#{e.anchor}",
                }
            )
    return out


def _csv_record(row: dict) -> dict:
    flat = dict(row)
    flat["other_units"] = other_units_text(row["unit"], [(u["unit"], u["factor"]) for u in row["other_units"]])
    flat["levels"] = ";".join(row["levels"])
    flat["cases"] = ";".join(row["cases"])
    return {k: csv_cell(v) for k, v in flat.items()}


def codebook_csv(records: list[dict]) -> str:
    """The codebook as CSV (text cells neutralised as in every CSV download: casebook.downloads.csv_cell)."""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=[c for c, _ in CODEBOOK_COLUMNS], lineterminator="\n")
    writer.writeheader()
    for r in records:
        writer.writerow(_csv_record(r))
    return buf.getvalue()
