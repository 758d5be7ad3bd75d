"""The scaffold's placeholders, and the check that none is left in a case.

`casebook new` (:func:`casebook.editor_tools.scaffold`) writes case.yaml and case.md from the constants
here, and `check` reports every value or paragraph still equal to one of them, so the two cannot drift
apart: a placeholder the template writes is a placeholder the check knows.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .problems import Problem

#: Chinese text the editor still has to write (city, province, quote …).
TO_WRITE = "待填写"
#: English text, or a key, the editor still has to write (city_en, an indicator key …).
TO_WRITE_EN = "TODO"
VALUE_PLACEHOLDERS = (TO_WRITE, TO_WRITE_EN)

#: The narrative's sections, each with the paragraph the template puts under it.
NARRATIVE_SECTIONS: tuple[tuple[str, str], ...] = (
    ("背景", "（用自己的话介绍城市和来源：谁写的、何时、为何而写。）"),
    ("主要做法", "（用自己的话概括来源报告的做法和机制；机制请写在 case.yaml 中并引用原文。）"),
    ("报告的成效", "（来源报告的成效；数值请写在 case.yaml 中并引用原文。）"),
    ("来源未说明的内容", "（来源没有说明的：统计口径、基数、问题与不足、独立评估等。）"),
)
NARRATIVE_PLACEHOLDERS = tuple(text for _, text in NARRATIVE_SECTIONS)

#: The words every placeholder problem says (cli.py keeps only this one of several problems at one place).
MARK = "is still the template's placeholder"

_HINTS = {
    "city": "write the city's name in Chinese, as the source gives it, e.g. 克拉玛依市",
    "city_en": "write the city's English name, e.g. Karamay",
    "province": "write the province or autonomous region in Chinese, e.g. 新疆维吾尔自治区",
    "province_en": "write the province's English name, e.g. Xinjiang Uygur Autonomous Region",
    "level": "write one of 直辖市 副省级市 地级市 自治州 地区 盟 县级市 市辖区",
    "level_en": "write the level in English, e.g. prefecture-level city, county-level city, district",
    "adcode": 'write the division\'s six-digit code from data/adcodes.csv, in quotes, e.g. "650200" for 克拉玛依市 '
    "(`casebook migrate {slug}` fills it in from `city:` when the table has one division of that name; a "
    "division created since the table's snapshot goes in data/adcodes-supplement.csv with its source)",
    "parent": "write the city a county-level city or district belongs to, e.g. 南阳市, or remove the line",
    "indicator": "write the indicator's key from data/indicators.yaml",
    "unit": "write the measure word the quote uses, e.g. 个; it must be one of the indicator's units in "
    "data/indicators.yaml",
    "scope.level": "write the scope's level: city (the whole case, 全市/全州), district (one district or county in "
    "it), subdistrict, community (one or each community) or subset (a named part, e.g. 包保小区); see 范围 in "
    "docs/guide.md",
    "scope.place": "write the place's name; for level city the case's city, e.g. 克拉玛依市",
    "scope.part": "say in your words which part of the place the value covers, or remove the line",
    "period.kind": "write the period's kind: year, range, as_of (目前, 截至…), since (累计, …以来) or not_stated; "
    "add `year:` where the text states one (see 时间 in docs/guide.md)",
    "quote": "paste the passage `casebook cite {slug} <number>` prints",
    "quotes": "paste a passage `casebook cite {slug} <text>` prints",
    "mechanism": "write the mechanism's id from data/mechanisms.yaml",
    "evidence": "write explicit if the source names the practice (its name or the city's local name), or inferred "
    "if you read it from a description, and then say why in `basis:` (see 证据强度 in docs/guide.md)",
}


def _leaves(data: Any, path: tuple = ()):
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _leaves(value, path + (key,))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from _leaves(value, path + (i,))
    else:
        yield path, data


def placeholder_problems(loaded, path: Path) -> list[Problem]:
    """One problem for every value of a loaded case.yaml (:class:`casebook.yamlload.Loaded`) that is still a
    placeholder of the template."""
    problems = []
    slug = path.parent.name
    for where, value in _leaves(loaded.data):
        if not isinstance(value, str) or value.strip() not in VALUE_PLACEHOLDERS:
            continue
        names = [x for x in where if isinstance(x, str)]
        field = (
            ".".join(names[-2:]) if len(names) >= 2 and ".".join(names[-2:]) in _HINTS else names[-1] if names else ""
        )
        dotted = ".".join(str(x) for x in where)
        hint = _HINTS.get(field, "write what the source states, or remove the line if the field is optional")
        line, col = loaded.where(where)
        problems.append(Problem(path, line, col, f"{dotted}: '{value.strip()}' {MARK}", hint.replace("{slug}", slug)))
    return problems


def narrative_placeholder_problems(text: str, path: Path) -> list[Problem]:
    """One problem for every paragraph of case.md the template wrote and the editor has not replaced."""
    problems = []
    for number, line in enumerate(text.splitlines(), start=1):
        for placeholder in NARRATIVE_PLACEHOLDERS:
            col = line.find(placeholder)
            if col >= 0:
                problems.append(
                    Problem(
                        path,
                        number,
                        col + 1,
                        f"“{placeholder[:12]}…” {MARK}",
                        "replace it with your own words, or delete it",
                    )
                )
    return problems


def keep_placeholder_problems_only(problems: list[Problem]) -> list[Problem]:
    """Where a value is still a placeholder, the other checks of that value (its quote is not in the source,
    its key is unknown …) say nothing more useful: keep only the placeholder problem at that place."""
    marked = {(str(p.path), p.line, p.column) for p in problems if MARK in p.message}
    return [p for p in problems if MARK in p.message or (str(p.path), p.line, p.column) not in marked]
