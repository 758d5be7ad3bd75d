"""Comparison flags computed from structured scope, period, unit and qualifier (issue 15, point 2), and the
editors' notes published next to each value (point 5).

The rules are tested on made-up values (each rule alone, and wording differences that must not flag), then on
the built site of the real library: every flag names a structured difference, a printed table lists each note
once, and every value's note is on its case page and in the downloads.
"""

from __future__ import annotations

import csv
import json
import re
from types import SimpleNamespace

import pytest
from lxml import html as lxml_html

from casebook.compare import YEAR_GAP, build_column, columns
from casebook.models import IndicatorDef, Period, Scope

DEFINITION = IndicatorDef.model_validate(
    {
        "key": "grids",
        "name": "网格数",
        "name_en": "Grids",
        "unit": "个",
        "other_units": [{"unit": "块", "factor": 1}, {"unit": "片"}],
        "kind": "count",
        "group": "grid",
        "counts": "一个网格",
        "definition": "网格数。",
        "comparability": "口径不同。",
    }
)
STRUCTURED = (
    "统计层级不同",
    "单位为",
    "年份相差",
    "时间不明",
    "推算值",
    "预计值",
    "下限",
    "上限",
    "约数",
    "该市有多个范围",
)


def entry(case_id, *, level="city", part=None, kind="not_stated", year=None, wording=None, unit="个",
          qualifier="exact", published="2020-01-01"):  # fmt: skip
    case = SimpleNamespace(id=case_id, data=SimpleNamespace(source=SimpleNamespace(published=published)))
    period = Period(kind=kind, year=year, wording=wording)
    data = SimpleNamespace(
        scope=Scope(level=level, place=f"{case_id}市", part=part),
        period=period,
        unit=unit,
        qualifier=qualifier,
        derived=None,
        note=None,
        value=1,
    )
    return case, SimpleNamespace(data=data)


def reasons(entries) -> dict[str, list[str]]:
    return {cid: cell.reasons for cid, cell in build_column("grids", DEFINITION, entries).cells.items()}


def test_wording_differences_alone_never_flag():
    got = reasons(
        [
            entry("a", part="全市各网格", wording="目前", kind="as_of"),
            entry("b", part="网格", wording="截至目前", kind="as_of"),
            entry("c", kind="since", wording="今年以来"),
        ]
    )
    assert got == {"a": [], "b": [], "c": []}


def test_a_different_level_flags_only_that_cell():
    column = build_column("grids", DEFINITION, [entry("a"), entry("b"), entry("c", level="district")])
    assert column.cells["a"].reasons == [] and column.cells["b"].reasons == []
    assert column.cells["c"].reasons == ["统计层级不同：本格为区县级（c市，区县级），本列多为全域"]
    assert column.varies == ["统计层级"]


def test_units_flag_only_when_they_cannot_be_converted():
    got = reasons([entry("a"), entry("b", unit="块"), entry("c", unit="片")])
    assert got["a"] == [] and got["b"] == []
    assert got["c"] == ["单位为“片”，不能换算为本列的“个”"]


@pytest.mark.parametrize("gap", [YEAR_GAP, YEAR_GAP + 1])
def test_years_further_apart_than_the_documented_gap_flag(gap):
    got = reasons(
        [
            entry("a", kind="year", year=2020),
            entry("b", kind="year", year=2020),
            entry("c", kind="year", year=2020 + gap),
        ]
    )
    assert got["a"] == [] and got["b"] == []
    if gap <= YEAR_GAP:
        assert got["c"] == []
    else:
        assert got["c"] == [f"年份相差{gap}年：本格为{2020 + gap}年，本列中位为2020年"]


def test_an_unstated_time_is_compared_at_the_publication_year_and_says_so():
    got = reasons(
        [entry("a", kind="year", year=2012), entry("b", kind="year", year=2012), entry("c", published="2021")]
    )
    assert got["c"] == ["年份相差9年：本格为2021年（未注明时间，按发表年份），本列中位为2012年"]
    unknown = [entry("a", published=None), entry("b", published=None)]
    assert reasons([*unknown, entry("c")]) == {"a": ["时间不明：来源既未注明时间，也无发表日期"]} | {
        "b": ["时间不明：来源既未注明时间，也无发表日期"],
        "c": [],
    }
    column = build_column("grids", DEFINITION, unknown)
    assert [c.reasons for c in column.cells.values()] == [[], []], "no cell differs from the others"
    assert column.varies == ["年份（各值均不明）"]


@pytest.mark.parametrize(
    "qualifier, start", [("projected", "预计值"), ("more_than", "下限"), ("less_than", "上限"), ("about", "约数")]
)
def test_qualifiers_flag_the_value_itself(qualifier, start):
    got = reasons([entry("a"), entry("b", qualifier=qualifier)])
    assert got["a"] == [] and len(got["b"]) == 1 and got["b"][0].startswith(start)


# -- the real library ------------------------------------------------------------------------------------------


def _article(site, url: str):
    """The page's article, without the pinyin that print adds after glossary terms."""
    doc = lxml_html.fromstring((site / url / "index.html").read_bytes())
    article = doc.xpath("//article")[0]
    for span in article.xpath(f".//span[{_has_class('print-pinyin')}]"):
        span.drop_tree()
    return article


def _has_class(name: str) -> str:
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"


def _compare_pages(site, library):
    groups = sorted({v.definition.group for c in library.cases for v in c.values})
    return {g: _article(site, f"compare/{g}") for g in groups}


def test_every_flag_on_the_site_names_a_structured_difference(library):
    for col in columns(library).values():
        for cell in col.cells.values():
            for reason in cell.reasons:
                assert reason.startswith(STRUCTURED), (col.key, cell.case.id, reason)


def test_printed_tables_list_each_note_once_and_cells_point_to_it(site, library):
    cols = columns(library)
    seen_cells = 0
    for group, article in _compare_pages(site, library).items():
        for table in article.xpath(f".//div[{_has_class('compare-table')}]"):
            notes = [li.text_content() for li in table.xpath(f"./ol[{_has_class('print-footnotes')}]/li")]
            assert len(notes) == len(set(notes)), f"a note printed twice in compare/{group}/"
            keys = [span.get("id") for span in table.xpath(".//thead//th/span[@id]")]
            for tr in table.xpath(".//tbody/tr"):
                tds = tr.xpath("./td")
                case_id = tds[0].xpath(".//a/@href")[0].rstrip("/").split("/")[-1]
                for key, td in zip(keys, tds[1:], strict=True):
                    cell = cols[key].cells.get(case_id)
                    sups = td.xpath(f".//sup[{_has_class('print-fn')}]")
                    if cell is None:
                        assert not sups
                        continue
                    expected = [*cell.reasons, *cell.notes]
                    numbers = [int(n) for n in sups[0].text_content().split(",")] if sups else []
                    assert [notes[n - 1] for n in numbers] == expected, (key, case_id)
                    flags = td.xpath(f".//span[{_has_class('flag')}]")
                    assert bool(flags) == bool(cell.reasons)
                    if flags:
                        assert flags[0].get("tabindex") == "0" and flags[0].get("title") == "；".join(cell.reasons)
                    seen_cells += 1
    assert seen_cells == sum(len(c.cells) for c in cols.values())


def test_column_headers_say_what_varies(site, library):
    cols = columns(library)
    for article in _compare_pages(site, library).values():
        for th in article.xpath(f".//div[{_has_class('compare-table')}]//thead//th[span[@id]]"):
            col = cols[th.xpath("./span[@id]")[0].get("id")]
            varies = th.xpath(f"./span[{_has_class('col-varies')}]")
            if col.varies:
                assert varies and varies[0].text_content() == "本列差异：" + "、".join(col.varies)
            else:
                assert not varies


def test_every_note_is_on_its_case_page_and_in_the_downloads(site, library):
    with open(site / "downloads" / "indicators.csv", encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    data = json.loads((site / "downloads" / "indicators.json").read_text(encoding="utf-8"))
    n = 0
    for case in library.cases:
        text = re.sub(r"\s+", " ", _article(site, f"cases/{case.id}").text_content())
        for v in case.values:
            if not v.data.note:
                continue
            n += 1
            assert re.sub(r"\s+", " ", v.data.note.strip()) in text, (case.id, v.anchor)
            csv_row = next(r for r in rows if r["page_url"].endswith(f"cases/{case.id}/#{v.anchor}"))
            assert csv_row["note"] == v.data.note
            json_row = next(r for r in data if r["page_url"].endswith(f"cases/{case.id}/#{v.anchor}"))
            assert json_row["note"] == v.data.note
    assert n == sum(1 for c in library.cases for v in c.values if v.data.note)


def test_downloads_carry_the_structured_scope_and_period(site, library):
    with open(site / "downloads" / "indicators.csv", encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    for case in library.cases:
        for v in case.values:
            row = next(r for r in rows if r["page_url"].endswith(f"cases/{case.id}/#{v.anchor}"))
            assert row["scope_level"] == v.data.scope.level and row["scope_place"] == v.data.scope.place
            assert row["period_kind"] == v.data.period.kind
            assert row["period_year"] == ("" if v.data.period.year is None else str(v.data.period.year))
