"""Data downloads built with the site: CSV/JSON of cited values, mechanisms, case metadata, citations.

Links are absolute, e.g. ``https://…/cases/karamay/#v-grid_party_orgs``, so that they still lead somewhere
once a file is saved: the address is data/site.yaml's ``site_url``, the one place it is set (:func:`site_url`).
A project without one (a test library with only the other data files) gets site-relative links, as before.

Citations (CSL-JSON, BibTeX) hold only what the text states: no title, author, outlet or date is made up;
the type follows the outlet (:func:`source_kind`); every author is written as a literal name (never split
into family and given names, which would be a guess for Chinese names); every BibTeX value is escaped.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

from .data_files import load_site
from .display import scope_text, value_text, when_text
from .library import Library

LIBRARY_TITLE = "城市基层党建比较案例库"


def site_url(root: Path) -> str:
    """data/site.yaml's address for the project at ``root`` (see :func:`casebook.data_files.load_site`); a
    ValueError naming the file and line if it is not an http(s) address. The build takes it from the loaded
    library (``Library.site_url``), and `check` reports the same problem there."""
    problems: list = []
    url = load_site(Path(root), problems)
    if problems:
        raise ValueError("; ".join(p.format(Path(root)) for p in problems))
    return url


def page_urls(base: str, case_id: str) -> tuple[str, str]:
    """Absolute addresses (with ``base``, a :func:`site_url`) of a case's page and of its source page."""
    return f"{base}cases/{case_id}/", f"{base}sources/{case_id}/"


VALUE_COLUMNS = [
    ("case", "案例 id（文件夹名）"),
    ("city", "城市"),
    ("indicator", "指标键（data/indicators.yaml）"),
    ("indicator_name", "指标中文名"),
    ("indicator_name_en", "指标英文名"),
    ("value", "数值（已按万、亿、成换算）"),
    ("unit", "单位"),
    ("qualifier", "限定词：exact / more_than / about / at_least / less_than / at_most / projected（预计值）"),
    ("value_text", "按来源写法显示的数值"),
    ("period_kind", "时间类型：year（某年）/ range（跨年度）/ as_of（时点）/ since（累计）/ not_stated（未注明）"),
    ("period_year", "年份（year、as_of：该年；range、since：起始年；未注明时为空）"),
    ("period_end", "截止年份（仅 range）"),
    ("period_wording", "来源对时间的原话"),
    ("period_text", "时间（按标准写法）"),
    (
        "scope_level",
        "统计层级：city（全域）/ district（区县）/ subdistrict（街道）/ community（社区）/ subset（部分范围）",
    ),
    ("scope_place", "地名"),
    ("scope_part", "范围内所计的部分（编者用语）"),
    ("scope_text", "统计范围（按标准写法）"),
    ("status", "stated（来源陈述）或 derived（推算）"),
    ("formula", "推算公式（仅推算值）"),
    ("quote", "原文引文（推算值为空）"),
    ("note", "编者注：来源批判与归类说明"),
    ("paragraph", "原文段落编号 ¶（推算值为其输入的段落）"),
    ("page_url", "案例页上该数值的位置（完整网址）"),
    ("source_url", "原文页上高亮段落的位置（完整网址）"),
]


def value_rows(library: Library) -> list[dict]:
    base = library.site_url
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
                    "period_kind": d.period.kind,
                    "period_year": d.period.year,
                    "period_end": d.period.end,
                    "period_wording": d.period.wording,
                    "period_text": when_text(d),
                    "scope_level": d.scope.level,
                    "scope_place": d.scope.place,
                    "scope_part": d.scope.part,
                    "scope_text": scope_text(d.scope),
                    "status": "derived" if d.derived else "stated",
                    "formula": d.derived.formula if d.derived else None,
                    "quote": d.quote,
                    "note": d.note,
                    "paragraph": ";".join(paras),
                    "page_url": f"{base}cases/{case.id}/#{v.anchor}",
                    "source_url": f"{base}sources/{case.id}/#{c.anchor}" if c else None,
                }
            )
    return rows


MECHANISM_COLUMNS = [
    ("case", "案例 id（文件夹名）"),
    ("city", "城市"),
    ("mechanism", "机制 id（data/mechanisms.yaml）"),
    ("mechanism_name", "机制中文名"),
    ("mechanism_name_en", "机制英文名"),
    ("local_name", "当地名称（来源的说法）"),
    ("summary", "做法概要（编者用语）"),
    ("evidence", "证据强度：explicit（● 来源明确提到这种做法）/ inferred（○ 编者据描述推断）"),
    ("basis", "编者判断依据（inferred 必填；explicit 为空）"),
    ("quotes", "原文引文（JSON：text、paragraph、source_url 的列表；CSV：每段一行）"),
    ("page_url", "机制页上该城市证据的位置（完整网址）"),
]


def mechanism_rows(library: Library) -> list[dict]:
    base = library.site_url
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
                    "evidence": t.data.evidence,
                    "basis": t.data.basis,
                    "quotes": [
                        {
                            "text": c.quote,
                            "paragraph": c.paragraph,
                            "source_url": f"{base}sources/{case.id}/#{c.anchor}",
                        }
                        for c in t.citations
                    ],
                    "page_url": f"{base}mechanisms/{t.data.mechanism}/#{case.id}",
                }
            )
    return rows


def case_rows(library: Library) -> list[dict]:
    base = library.site_url
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
                "page_url": f"{base}cases/{case.id}/",
                "source_url": f"{base}sources/{case.id}/",
            }
        )
    return rows


# What an outlet's name says it is: a web site (网/網, e.g. 人民網-中國共產黨新聞網), a newspaper (报/報,
# e.g. 中国城市报), a magazine. A newspaper's web site (人民日报网) is a web site. An outlet none of these
# words name stays a document of that outlet; a text that names no outlet is a manuscript (nothing says it
# was published, nor that it was not).
_OUTLET_KINDS = (
    (("网", "網"), "webpage"),
    (("报", "報"), "article-newspaper"),
    (("杂志", "雜誌", "期刊"), "article-magazine"),
)


def source_kind(s) -> str:
    """The CSL type of a source, from what the text states about where it appeared."""
    if not s.outlet:
        return "manuscript"
    for words, kind in _OUTLET_KINDS:
        if any(w in s.outlet for w in words):
            return kind
    return "document"


def _date_parts(published: str) -> list[int]:
    """``2019-09-03 09:10`` -> [2019, 9, 3]; the model allows ``YYYY``, ``YYYY-MM`` and ``YYYY-MM-DD[ hh:mm]``."""
    return [int(x) for x in published[:10].split("-")]


def _archive_note(case, base: str) -> str:
    s = case.data.source
    source_page = page_urls(base, case.id)[1]
    return f"存档于{LIBRARY_TITLE}：{source_page}（cases/{case.id}/{s.file}，SHA-256 {s.sha256}）"


def csl_items(library: Library) -> list[dict]:
    """CSL-JSON for each archived source; only what the text states (an untitled text has no title)."""
    base = library.site_url
    items = []
    for case in library.cases:
        s = case.data.source
        kind = source_kind(s)
        item: dict[str, object] = {"id": f"casebook-{case.id}", "type": kind, "language": s.script}
        if s.title:
            item["title"] = s.title
        if s.author:
            item["author"] = [{"literal": s.author}]  # a body (中共白城市委组织部) or a person, as written
        if s.outlet:
            item["container-title"] = s.outlet
        if s.published:
            item["issued"] = {"date-parts": [_date_parts(s.published)]}
        if s.edition:
            item["section"] = s.edition
        item["archive"] = LIBRARY_TITLE
        item["archive_location"] = f"cases/{case.id}/{s.file}"
        item["note"] = _archive_note(case, base)
        items.append(item)
    return items


# BibTeX's special characters, written as LaTeX commands with balanced braces only: BibTeX counts every
# brace, escaped or not, so ``\{`` would still unbalance an entry; ``%`` would start a comment in LaTeX.
_BIBTEX_ESCAPES = {
    "\\": r"\textbackslash{}",
    "{": r"\textbraceleft{}",
    "}": r"\textbraceright{}",
    "%": r"\%",
    "#": r"\#",
    "&": r"\&",
    "$": r"\$",
    "_": r"\_",
    "^": r"\textasciicircum{}",
    "~": r"\textasciitilde{}",
}
_BIBTEX_SPECIAL = re.compile("[" + re.escape("".join(_BIBTEX_ESCAPES)) + "]")


def bibtex_escape(text: str) -> str:
    """A value safe inside ``{…}`` of a BibTeX field: special characters escaped, whitespace runs (line
    breaks and control characters included) made one space, so no value can end an entry or start another."""
    text = " ".join("".join(ch if ch.isprintable() else " " for ch in text).split())
    return _BIBTEX_SPECIAL.sub(lambda m: _BIBTEX_ESCAPES[m.group()], text)


def bibtex_type(s) -> str:
    """The BibTeX entry type: @article for a newspaper or magazine piece, @unpublished for a text that names
    no outlet but has an author and a title (the fields that type requires), @misc for anything else (a web
    page, with the site as ``howpublished``; an untitled or unsigned text)."""
    kind = source_kind(s)
    if kind in ("article-newspaper", "article-magazine"):
        return "article"
    if kind == "manuscript" and s.title and s.author:
        return "unpublished"
    return "misc"


def bibtex(library: Library) -> dict[str, str]:
    """BibTeX entry per case id; unknown fields are left out, never guessed."""
    base = library.site_url
    out = {}
    for case in library.cases:
        s = case.data.source
        kind = bibtex_type(s)
        fields: list[tuple[str, str]] = []
        if s.author:
            fields.append(("author", "{" + bibtex_escape(s.author) + "}"))  # one name, as written, never split
        if s.title:
            fields.append(("title", "{" + bibtex_escape(s.title) + "}"))  # its case as written
        if s.outlet:
            fields.append(("journal" if kind == "article" else "howpublished", bibtex_escape(s.outlet)))
        if kind == "article" and source_kind(s) == "article-newspaper":
            fields.append(("entrysubtype", "newspaper"))  # biblatex's newspaper article
        if s.published:
            parts = _date_parts(s.published)
            fields.append(("year", str(parts[0])))
            fields.append(("date", "-".join(f"{p:02d}" for p in parts)))
        # the page or section (第30版…) in the note: BibTeX's ``edition`` is a book's edition, a different thing
        note = (s.edition + "；" if s.edition else "") + _archive_note(case, base)
        fields.append(("note", bibtex_escape(note)))
        body = ",\n".join(f"  {k} = {{{v}}}" for k, v in fields)
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


def mechanisms_csv(rows: list[dict]) -> str:
    """mechanism_rows as CSV: one row per tag; the quotes in one cell, one line each with its paragraph."""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=[c for c, _ in MECHANISM_COLUMNS], lineterminator="\n")
    writer.writeheader()
    for r in rows:
        quotes = "\n".join(f"{q['text']}（¶{q['paragraph']}）" for q in r["quotes"])
        writer.writerow({k: csv_cell(quotes if k == "quotes" else v) for k, v in r.items()})
    return buf.getvalue()


def _json(records: list) -> str:
    """A JSON array with one record per line: readable, diffable, and written by the C encoder (``indent``
    would switch to the pure-Python one, which took most of the time of the downloads)."""
    if not records:
        return "[]\n"
    return "[\n" + ",\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n]\n"


def files(library: Library) -> dict[str, str]:
    """Download files, by site path."""
    from . import codebook  # it uses csv_cell of this module

    values = value_rows(library)
    tags = mechanism_rows(library)
    indicators = codebook.rows(library)
    return {
        "downloads/indicators.csv": "\ufeff" + indicators_csv(values),  # BOM: Excel opens UTF-8 correctly
        "downloads/indicators.json": _json(values),
        "downloads/codebook.csv": "\ufeff" + codebook.codebook_csv(indicators),
        "downloads/codebook.json": _json(indicators),
        "downloads/mechanisms.csv": "\ufeff" + mechanisms_csv(tags),  # BOM: Excel opens UTF-8 correctly
        "downloads/mechanisms.json": _json(tags),
        "downloads/cases.json": _json(case_rows(library)),
        "downloads/sources.csl.json": _json(csl_items(library)),
        "downloads/sources.bib": "\n\n".join(bibtex(library).values()) + "\n",
    }
