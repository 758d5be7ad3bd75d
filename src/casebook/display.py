"""How values, qualifiers and text are shown on pages."""

from __future__ import annotations

import html
import json

from .numbers import format_value

QUALIFIER_ZH = {
    "exact": "确数",
    "more_than": "余（多于）",
    "about": "近/约",
    "at_least": "以上（不少于）",
    "less_than": "不足",
    "at_most": "以下（不超过）",
    "projected": "预计（测算或计划，非实际）",
}

QUALIFIER_EN = {
    "exact": "exact",
    "more_than": "more than",
    "about": "about / nearly",
    "at_least": "at least",
    "less_than": "less than",
    "at_most": "at most",
    "projected": "projected / planned",
}

FURNITURE_ZH = {"page_furniture": "版面信息", "caption": "图片说明", "boilerplate": "网页模板文字"}

DEFECT_ZH = {
    "caption_splice": "图片说明插入句中",
    "broken_paragraph": "段落在句中断开",
    "broken_heading": "标题被拆成多行",
    "garbled": "语句错乱",
    "missing_text": "文字缺失",
    "pinyin_artifacts": "转换残留的拼音注音",
    "split_value": "数值被空行拆开",
    "other": "其他",
}

LEVEL_SCRIPT = {"zh-Hans": "简体", "zh-Hant": "繁体"}


def value_text(value, unit: str, qualifier: str) -> str:
    """The value as a reader sees it: 2600余, 超过87%, 约70%, 1600以上, 不足100万, 预计4300万."""
    number = format_value(value)
    pct = "%" if unit.strip() == "%" else ""
    core = f"{number}{pct}"
    if qualifier == "more_than":
        return f"超过{core}" if pct else f"{number}余"  # 87余% is not written; 超过87% is
    if qualifier == "projected":
        return f"预计{core}"
    if qualifier == "about":
        return f"约{core}"
    if qualifier == "at_least":
        return f"{core}以上"
    if qualifier == "less_than":
        return f"不足{core}"
    if qualifier == "at_most":
        return f"{core}以下"
    return core


def unit_text(unit: str) -> str:
    return "" if unit.strip() == "%" else unit


#: Scope levels as readers see them (the methodology explains each).
LEVEL_ZH = {"city": "全域", "district": "区县级", "subdistrict": "街道级", "community": "社区级", "subset": "部分范围"}
#: Period kinds as readers see them.
PERIOD_KIND_ZH = {"year": "年度", "range": "跨年度", "as_of": "时点", "since": "累计", "not_stated": "时间未注明"}


def period_base(period) -> str:
    """A period in standard words: 2019年, 2018—2020年, 截至2019年, 2018年以来（累计）, 时间未注明."""
    k, y = period.kind, period.year
    if k == "year":
        return f"{y}年"
    if k == "range":
        return f"{y}—{period.end}年"
    if k == "as_of":
        return f"截至{y}年" if y else "截至发表时"
    if k == "since":
        return f"{y}年以来（累计）" if y else "累计（起点未注明）"
    return "时间未注明"


def when_text(record_data) -> str:
    """When a value holds, in standard words, with the source's own words where they say more."""
    period = record_data.period
    base = period_base(period)
    if period.wording and period.kind not in ("year", "range") and period.wording not in base:
        return f"{base}，原文“{period.wording}”"
    return base


def scope_text(scope, city: str | None = None) -> str:
    """克拉玛依市，全域：社区工作者; on the case's own pages (``city`` given) the case's city is not repeated:
    全域：社区工作者, 延吉市，区县级."""
    place = "" if city is not None and scope.place == city else f"{scope.place}，"
    return f"{place}{LEVEL_ZH[scope.level]}" + (f"：{scope.part}" if scope.part else "")


def scope_key(scope) -> tuple[str, str, str]:
    return (scope.level, scope.place, scope.part or "")


# HTML specials become entities; Markdown's backslash-escapable punctuation gets a backslash
_MD_ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", **{ch: "\\" + ch for ch in "\\`*_{}[]()#+!-"}}
_MD_TEXT = str.maketrans(_MD_ESCAPES)
_MD_CELL = str.maketrans({**_MD_ESCAPES, "|": "\\|", "\n": " "})


def md_escape(text: str) -> str:
    """Escape text so Markdown shows it literally (HTML specials become entities)."""
    return text.translate(_MD_TEXT)


def md_cell(text: str) -> str:
    """Text safe inside a Markdown table cell."""
    return text.translate(_MD_CELL)


def html_text(text: str) -> str:
    """Text for places MkDocs and the theme put into HTML unescaped (navigation titles)."""
    return html.escape(text, quote=True)


def front_matter_string(text: str) -> str:
    """A page title for YAML front matter: HTML-escaped (the theme prints titles unescaped into <title> and
    the header) and written as a JSON string, which YAML reads back unchanged whatever the text holds."""
    return json.dumps(html_text(text), ensure_ascii=False)
