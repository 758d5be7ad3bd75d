"""The codebook (issue 15, point 7): a page listing every indicator with what it counts, its units, the
scope levels its values may have, its comparability and the cases that report it, and the same as a CSV and
JSON download. Every expectation is computed from the loaded library: no test names a case."""

from __future__ import annotations

import csv
import io
import json
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import ROOT

HOSTILE = "<script>alert(1)</script>"


class _Entries(HTMLParser):
    """The codebook page's indicator entries: for each ``<h3 id="i-…">``, the text and links up to the next
    heading of level 2 or 3; also every element name seen."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.entries: dict[str, dict] = {}
        self.tags: set[str] = set()
        self._current: dict | None = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.add(tag)
        if tag in ("h2", "h3"):
            self._current = None
            if tag == "h3" and (a.get("id") or "").startswith("i-"):
                self._current = self.entries.setdefault(a["id"][2:], {"text": [], "links": []})
        if tag == "a" and self._current is not None and a.get("href"):
            self._current["links"].append(a["href"])

    def handle_data(self, data):
        if self._current is not None:
            self._current["text"].append(data)

    def text(self, key: str) -> str:
        return "".join(self.entries[key]["text"])


def _prepare(root: Path):
    from casebook.site import SiteBuild

    return SiteBuild.prepare(root)


@pytest.fixture(scope="module")
def build():
    return _prepare(ROOT)


@pytest.fixture(scope="module")
def page(build) -> _Entries:
    return _Entries(build.renderer.render("codebook.md"))


def _reported(library) -> dict[str, list[str]]:
    """Indicator key -> the ids of the cases that report it, in library order (one pass over the values)."""
    out: dict[str, list[str]] = {}
    for case in library.cases:
        for v in case.values:
            ids = out.setdefault(v.data.indicator, [])
            if case.id not in ids:
                ids.append(case.id)
    return out


def _page_order(lib) -> list[str]:
    """Indicators by group (in the groups' order), in catalogue order within a group (sorted is stable)."""
    group_order = [g.id for g in lib.groups]
    return sorted(lib.indicators, key=lambda k: group_order.index(lib.indicators[k].group))


def _csv(build) -> list[dict]:
    text = build.files["downloads/codebook.csv"]
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"), newline="")))


def test_the_codebook_is_a_route_in_the_navigation_and_its_files_are_downloads(build):
    from casebook.routes import page_uris

    assert build.routes["codebook.md"].kind == "codebook"
    assert build.routes["codebook.md"].template == "codebook.html.j2"
    assert "codebook.md" not in build.routes.not_in_nav()
    lib = build.library
    groups = [g.id for g in build.routes.groups]
    assert "codebook.md" in page_uris([c.id for c in lib.cases], groups, list(lib.mechanisms), bool(lib.glossary))
    assert {"downloads/codebook.csv", "downloads/codebook.json"} <= set(build.files) & set(build.routes.files)


def test_the_page_lists_every_indicator_with_what_it_counts_its_units_and_levels(build, page):
    from casebook.codebook import KIND_ZH, NOT_CONVERTIBLE, factor_text
    from casebook.display import LEVEL_ZH

    lib = build.library
    assert set(page.entries) == set(lib.indicators)
    for key, d in lib.indicators.items():
        text = page.text(key)
        for part in (d.key, d.name, d.name_en, d.counts, d.definition, d.comparability, KIND_ZH[d.kind]):
            assert part in text, (key, part)
        assert d.unit in text, key
        for u in d.other_units:
            shown = f"1{u.unit} = {factor_text(u.factor)}{d.unit}" if u.factor is not None else NOT_CONVERTIBLE
            assert f"{u.unit}（" in text and shown in text, (key, u)
        for level in d.levels:
            assert LEVEL_ZH[level] in text, (key, level)


def test_entries_follow_the_groups_and_the_catalogue(build, page):
    assert list(page.entries) == _page_order(build.library)


def test_each_reporting_case_is_linked_at_its_value_and_the_comparison_column(build, page):
    lib = build.library
    reported = _reported(lib)
    first_anchor = {}
    for case in lib.cases:
        for v in case.values:
            first_anchor.setdefault((v.data.indicator, case.id), v.anchor)
    for key, d in lib.indicators.items():
        links = page.entries[key]["links"]
        text = page.text(key)
        if key not in reported:
            assert "尚无案例报告" in text, key
            assert not any("cases/" in href for href in links), key
            continue
        assert "尚无案例报告" not in text, key
        case_links = [h for h in links if "cases/" in h]
        expected = [
            build.routes.href("codebook.md", f"cases/{cid}.md", first_anchor[(key, cid)]) for cid in reported[key]
        ]
        assert case_links == expected, key
        assert build.routes.href("codebook.md", f"compare/{d.group}.md", key) in links, key


def test_the_page_states_the_library_wide_rules_with_compares_year_gap(build):
    from casebook.compare import YEAR_GAP

    html = build.renderer.render("codebook.md")
    rules = html[html.index('id="rules"') : html.index('id="group-')]
    assert f"年份相差超过 {YEAR_GAP} 年" in rules
    for words in ("统计层级不同", "单位不能换算", "按发表年份", "预计值", "推算值", "下限", "约数", "措辞不同"):
        assert words in rules, words
    methodology = (ROOT / "docs" / "methodology.md").read_text(encoding="utf-8")
    assert "{ #comparison-flags }" in methodology and "codebook.md" in methodology
    assert f"年份相差超过 {YEAR_GAP} 年" in methodology  # the hand-written page says what compare.py does


def test_the_csv_has_one_row_per_indicator_and_the_cases_reporting_it(build):
    from casebook.codebook import CODEBOOK_COLUMNS, other_units_text

    lib = build.library
    rows = _csv(build)
    assert [r["key"] for r in rows] == _page_order(lib)
    assert list(rows[0]) == [c for c, _ in CODEBOOK_COLUMNS]
    reported = _reported(lib)
    for r in rows:
        d = lib.indicators[r["key"]]
        assert int(r["n_cases"]) == len(reported.get(d.key, [])), d.key
        assert r["cases"] == ";".join(reported.get(d.key, [])), d.key
        assert r["unit"] == d.unit and r["kind"] == d.kind and r["group"] == d.group
        assert r["levels"] == ";".join(d.levels)
        assert r["other_units"] == other_units_text(d.unit, [(u.unit, u.factor) for u in d.other_units])
        for field in ("counts", "definition", "comparability", "name", "name_en"):
            assert r[field].removeprefix("'") == getattr(d, field), (d.key, field)
    records = json.loads(build.files["downloads/codebook.json"])
    assert [x["key"] for x in records] == [r["key"] for r in rows]
    assert [x["n_cases"] for x in records] == [int(r["n_cases"]) for r in rows]


def test_other_units_are_written_with_their_factor_or_as_not_convertible():
    from casebook.codebook import other_units_text

    assert other_units_text("个", [("家", 1), ("名", None)]) == "家=1个; 名=不能换算"
    assert other_units_text("元", [("万元", 10000.0), ("角", 0.1)]) == "万元=10000元; 角=0.1元"
    assert other_units_text("个", []) == ""


def test_the_downloads_page_links_the_codebook_and_documents_its_columns(build):
    from casebook.codebook import CODEBOOK_COLUMNS

    html = build.renderer.render("downloads.md")
    for name in ("codebook.csv", "codebook.json"):
        assert f'href="{build.routes.href("downloads.md", "downloads/" + name)}"' in html
    section = html[html.index('id="codebook-columns"') :]
    for column, _ in CODEBOOK_COLUMNS:
        assert f"<code>{column}</code>" in section


def _add_indicator(project: Path, **fields: str) -> str:
    """Append an indicator nobody reports to the copy's data/indicators.yaml; returns its key."""
    from casebook.library import load_library

    lib, _ = load_library(ROOT)
    key = next(f"codebook_probe_{k}" for k in range(100) if f"codebook_probe_{k}" not in lib.indicators)
    group = lib.groups[0].id
    entry = {
        "key": key,
        "name": "测试指标",
        "name_en": "Probe",
        "unit": "个",
        "other_units": [{"unit": "家", "factor": 1}, {"unit": "名"}],
        "kind": "count",
        "group": group,
        "counts": "一个测试对象",
        "definition": "测试用的定义。",
        "comparability": "测试用的比较局限。",
        **fields,
    }
    path = project / "data" / "indicators.yaml"
    text = path.read_text(encoding="utf-8").rstrip("\n") + "\n\n  - " + json.dumps(entry, ensure_ascii=False) + "\n"
    path.write_text(text, encoding="utf-8")
    return key


def test_an_unreported_indicator_is_listed_and_hostile_text_is_shown_as_text(project):
    key = _add_indicator(
        project,
        counts=f"一个{HOSTILE}对象",
        definition=f'</dd></dl>{HOSTILE}<img src=x onerror="alert(1)">定义。',
        comparability='=HYPERLINK("http://example.invalid")比较局限。',
    )
    build = _prepare(project)
    html = build.renderer.render("codebook.md")
    page = _Entries(html)
    assert "script" not in page.tags and "img" not in page.tags  # nothing the editor wrote became markup
    text = page.text(key)
    assert f"一个{HOSTILE}对象" in text
    assert f'</dd></dl>{HOSTILE}<img src=x onerror="alert(1)">定义。' in text
    assert "尚无案例报告" in text
    assert "1家 = 1个" in text and "名（不能换算为个）" in text
    rows = {r["key"]: r for r in _csv(build)}
    assert rows[key]["n_cases"] == "0" and rows[key]["cases"] == ""
    assert rows[key]["other_units"] == "家=1个; 名=不能换算"
    assert rows[key]["comparability"].startswith("'=")  # neutralised like every CSV download
    assert rows[key]["counts"] == f"一个{HOSTILE}对象"
    record = next(x for x in json.loads(build.files["downloads/codebook.json"]) if x["key"] == key)
    assert record["comparability"].startswith("=")  # JSON keeps the text as it is


def test_the_codebook_is_deterministic(tmp_path):
    first, second = _prepare(ROOT), _prepare(ROOT)
    assert first.renderer.render("codebook.md") == second.renderer.render("codebook.md")
    assert first.files["downloads/codebook.csv"] == second.files["downloads/codebook.csv"]
