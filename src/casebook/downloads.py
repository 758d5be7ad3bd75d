"""Data downloads built with the site: CSV/JSON of cited values, mechanisms, case metadata, citations.

URLs are site-relative (the site has no fixed host), e.g. ``cases/karamay/#v-grid_party_orgs``.
"""

from __future__ import annotations

import csv
import io
import json

from .display import value_text
from .library import Library

VALUE_COLUMNS = [
    ("case", "案例 id（文件夹名）"),
    ("city", "城市"),
    ("indicator", "指标键（data/indicators.yaml）"),
    ("indicator_name", "指标中文名"),
    ("indicator_name_en", "指标英文名"),
    ("value", "数值（已按万、亿、成换算）"),
    ("unit", "单位"),
    ("qualifier", "限定词：exact / more_than / about / at_least / less_than / at_most"),
    ("value_text", "按来源写法显示的数值"),
    ("year", "年份（来源写明时）"),
    ("period", "时段（来源写法）"),
    ("scope", "统计范围"),
    ("status", "stated（来源陈述）或 derived（推算）"),
    ("formula", "推算公式（仅推算值）"),
    ("quote", "原文引文（推算值为空）"),
    ("paragraph", "原文段落编号 ¶（推算值为其输入的段落）"),
    ("page_url", "案例页上该数值的位置（站内相对地址）"),
    ("source_url", "原文页上高亮段落的位置（站内相对地址）"),
]


def value_rows(library: Library) -> list[dict]:
    rows = []
    for case in library.cases:
        for v in case.values:
            d = v.data
            c = v.citation or (v.inputs[0].citation if v.inputs else None)
            paras = (
                [str(v.citation.paragraph)]
                if v.citation
                else sorted({str(i.citation.paragraph) for i in v.inputs if i.citation}, key=int)
            )
            rows.append(
                {
                    "case": case.id,
                    "city": case.data.city,
                    "indicator": d.indicator,
                    "indicator_name": v.definition.name,
                    "indicator_name_en": v.definition.name_en,
                    "value": d.value,
                    "unit": d.unit,
                    "qualifier": d.qualifier,
                    "value_text": value_text(d.value, d.unit, d.qualifier),
                    "year": d.year,
                    "period": d.period,
                    "scope": d.scope,
                    "status": "derived" if d.derived else "stated",
                    "formula": d.derived.formula if d.derived else None,
                    "quote": d.quote,
                    "paragraph": ";".join(paras),
                    "page_url": f"cases/{case.id}/#{v.anchor}",
                    "source_url": f"sources/{case.id}/#{c.anchor}" if c else None,
                }
            )
    return rows


def mechanism_rows(library: Library) -> list[dict]:
    rows = []
    for case in library.cases:
        for t in case.tags:
            rows.append(
                {
                    "case": case.id,
                    "city": case.data.city,
                    "mechanism": t.data.mechanism,
                    "mechanism_name": t.definition.name,
                    "mechanism_name_en": t.definition.name_en,
                    "local_name": t.data.local_name,
                    "summary": t.data.summary,
                    "quotes": [
                        {"text": c.quote, "paragraph": c.paragraph, "source_url": f"sources/{case.id}/#{c.anchor}"}
                        for c in t.citations
                    ],
                    "page_url": f"mechanisms/{t.data.mechanism}/#{case.id}",
                }
            )
    return rows


def case_rows(library: Library) -> list[dict]:
    rows = []
    for case in library.cases:
        d = case.data
        s = d.source
        rows.append(
            {
                "case": case.id,
                "city": d.city,
                "city_en": d.city_en,
                "province": d.province,
                "province_en": d.province_en,
                "level": d.level,
                "level_en": d.level_en,
                "parent": d.parent,
                "source": {
                    "file": f"cases/{case.id}/{s.file}",
                    "sha256": s.sha256,
                    "title": s.title,
                    "author": s.author,
                    "author_role": s.author_role,
                    "outlet": s.outlet,
                    "published": s.published,
                    "edition": s.edition,
                    "script": s.script,
                    "notes": list(s.notes),
                    "defects": [{"kind": x.kind, "lines": x.lines, "note": x.note} for x in s.defects],
                },
                "n_values": len(case.values),
                "n_mechanisms": len(case.tags),
                "page_url": f"cases/{case.id}/",
                "source_url": f"sources/{case.id}/",
            }
        )
    return rows


def _csl_type(s) -> str:
    if s.outlet and ("报" in s.outlet and "网" not in s.outlet):
        return "article-newspaper"
    if s.outlet:
        return "webpage" if "网" in s.outlet else "article"
    return "manuscript"


def csl_items(library: Library) -> list[dict]:
    """CSL-JSON for each archived source; only what the text states."""
    items = []
    for case in library.cases:
        s = case.data.source
        item: dict[str, object] = {
            "id": f"casebook-{case.id}",
            "type": _csl_type(s),
            "language": s.script,
            "title": s.title or f"{case.data.city}城市基层党建材料（无标题）",
        }
        if s.author:
            item["author"] = [{"literal": s.author}]
        if s.outlet:
            item["container-title"] = s.outlet
        if s.published:
            parts = [int(x) for x in s.published[:10].split("-")]
            item["issued"] = {"date-parts": [parts]}
        if s.edition:
            item["section"] = s.edition
        item["note"] = f"存档于城市基层党建比较案例库 cases/{case.id}/{s.file}，SHA-256 {s.sha256}"
        items.append(item)
    return items


def bibtex(library: Library) -> dict[str, str]:
    """BibTeX entry per case id; unknown fields are left out, never guessed."""
    out = {}
    for case in library.cases:
        s = case.data.source
        fields = [("title", "{" + (s.title or f"{case.data.city}城市基层党建材料（无标题）") + "}")]
        if s.author:
            fields.append(("author", "{" + s.author + "}"))
        if s.outlet:
            fields.append(("journal" if _csl_type(s) == "article-newspaper" else "howpublished", s.outlet))
        if s.published:
            fields.append(("year", s.published[:4]))
            fields.append(("date", s.published[:10]))
        fields.append(("note", f"存档：cases/{case.id}/{s.file}，SHA-256 {s.sha256[:16]}…"))
        kind = "article" if _csl_type(s) == "article-newspaper" else "misc"
        body = ",\n".join(f"  {k} = {{{v}}}" if not v.startswith("{") else f"  {k} = {v}" for k, v in fields)
        out[case.id] = f"@{kind}{{casebook-{case.id},\n{body}\n}}"
    return out


# A spreadsheet reads a cell that starts with one of these as a formula (CSV injection). Text cells that
# start with one get a leading apostrophe, which spreadsheets show as text and do not display (OWASP's rule).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value) -> str | int | float:
    """A cell of a CSV download: numbers as they are, text neutralised if a spreadsheet would run it."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def indicators_csv(rows: list[dict]) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=[c for c, _ in VALUE_COLUMNS], lineterminator="\n")
    writer.writeheader()
    for r in rows:
        writer.writerow({k: csv_cell(v) for k, v in r.items()})
    return buf.getvalue()


def _json(records: list) -> str:
    """A JSON array with one record per line: readable, diffable, and written by the C encoder (``indent``
    would switch to the pure-Python one, which took most of the time of the downloads)."""
    if not records:
        return "[]\n"
    return "[\n" + ",\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n]\n"


def files(library: Library) -> dict[str, str]:
    """Download files, by site path."""
    values = value_rows(library)
    return {
        "downloads/indicators.csv": "\ufeff" + indicators_csv(values),  # BOM: Excel opens UTF-8 correctly
        "downloads/indicators.json": _json(values),
        "downloads/mechanisms.json": _json(mechanism_rows(library)),
        "downloads/cases.json": _json(case_rows(library)),
        "downloads/sources.csl.json": _json(csl_items(library)),
        "downloads/sources.bib": "\n\n".join(bibtex(library).values()) + "\n",
    }
