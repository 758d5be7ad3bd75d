"""Pick and compare (issue 17, point 3): the per-case data files of the side-by-side view, and in a real browser
picking cases (case pages, the cases index, the tray), the view side-by-side/?c=… with the flags Python's
compare.build_column computes for the chosen set, invalid selections, no request to another host, axe in both
schemes, a phone's width, and the view printed to an A4 PDF. At the real library and at a generated library of
200 cases (benchmarks/generate.py). Cases are picked from the loaded library, never by name."""

from __future__ import annotations

import dataclasses
import itertools
import json
import random
import re
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from conftest import ROOT, copy_project, run_build

from casebook.compare import build_column
from casebook.render import ValueRow
from casebook.routes import side_by_side_data
from casebook.side_by_side import MAX_CASES, RULES, rule_inputs
from schemes import LAPTOP, SCHEMES, scheme_context, serious_violations

PHONE = {"width": 390, "height": 844}
HOSTILE = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">'


# -- fixtures -------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def build():
    from casebook.site import SiteBuild

    return SiteBuild.prepare(ROOT)


def _data(site: Path, case_id: str) -> dict:
    return json.loads((site / side_by_side_data(case_id)).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def library200(tmp_path_factory):
    """A generated library of 200 cases (relabelled copies of the real ones), loaded, and its site built."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from generate import generate

    from casebook.library import load_library

    root = generate(200, tmp_path_factory.mktemp("lib200") / "lib")
    lib, problems = load_library(root)
    assert not problems, "\n".join(p.format(root) for p in problems[:5])
    site = root.parent / "site"
    result = run_build(root, site)
    assert result.returncode == 0, result.stderr[-3000:]
    return lib, site


@pytest.fixture(scope="module")
def server200(library200):
    from casebook.pdf import SiteServer

    with SiteServer(library200[1]) as s:
        yield s


@pytest.fixture
def context(browser):
    """A fresh browser context (its own localStorage), at a laptop's width; page errors fail the test."""
    ctx = browser.new_context(viewport=LAPTOP)
    errors: list[str] = []
    ctx.on("weberror", lambda e: errors.append(str(e.error)))
    yield ctx
    ctx.close()
    assert not errors, errors


def _scheme_context(browser, scheme: str, viewport=LAPTOP):
    """A context in one of Material's colour schemes (read from localStorage before the page is drawn)."""
    return scheme_context(browser, scheme, viewport)


def _view(page, url: str) -> None:
    """Open the view and wait until it is built (or has said why not)."""
    page.goto(url, wait_until="load")
    page.wait_for_function(
        "() => { const h = document.getElementById('cb-sbs'); return h && (h.hasAttribute('data-ready')"
        " || h.querySelector('.cb-sbs-message, .cb-sbs-picker')); }"
    )


def _open(page, url: str) -> None:
    """Open a page of the site; the view is waited for."""
    if "/side-by-side/" in url:
        _view(page, url)
    else:
        page.goto(url, wait_until="load")


def _heads(page) -> list[str]:
    return page.eval_on_selector_all(".cb-sbs-meta thead th[data-case]", "ths => ths.map(th => th.dataset.case)")


# -- the data files -------------------------------------------------------------------------------------------


def test_every_case_has_one_data_file_listed_by_the_route_table(build, library):
    ours = {k for k in build.files if k.startswith("side-by-side/")}
    assert ours == {side_by_side_data(c.id) for c in library.cases}
    assert ours <= set(build.routes.files)


def test_data_files_hold_what_the_library_holds(build, library):
    from casebook.compare import reference_year

    for case in library.cases:
        data = json.loads(build.files[side_by_side_data(case.id)])
        d, s = case.data, case.data.source
        assert (data["id"], data["city"], data["city_en"], data["province"], data["level"], data["parent"]) == (
            case.id,
            d.city,
            d.city_en,
            d.province,
            d.level,
            d.parent,
        )
        src = data["source"]
        assert (src["title"], src["author"], src["outlet"], src["published"], src["script"]) == (
            s.title,
            s.author,
            s.outlet,
            s.published,
            s.script,
        )
        assert data["links"] == {"case": f"cases/{case.id}/", "source": f"sources/{case.id}/"}
        # mechanisms: every tag, its local name, evidence mark and verbatim quotes with their passages
        assert [m["id"] for m in data["mechanisms"]] == [t.data.mechanism for t in case.tags]
        for m, t in zip(data["mechanisms"], case.tags, strict=True):
            assert m["local_name"] == t.data.local_name and m["evidence"] == t.data.evidence
            assert m["mark"] == {"explicit": "●", "inferred": "○"}[t.data.evidence]
            assert [q["text"] for q in m["quotes"]] == [c.quote for c in t.citations] == t.data.quotes
            assert [q["href"] for q in m["quotes"]] == [f"sources/{case.id}/#{c.anchor}" for c in t.citations]
            assert m["href"] == f"mechanisms/{t.data.mechanism}/#{t.anchor}"
        # values: shown as the case page shows them, with the inputs of the comparability rules
        assert [v["key"] for v in data["values"]] == [v.data.indicator for v in case.values]
        for out, v in zip(data["values"], case.values, strict=True):
            row = ValueRow(v, case)
            assert (out["text"], out["unit"], out["when"], out["scope"]) == (row.text, row.unit, row.when, row.scope)
            assert out["cite_label"] == row.citation_label()
            assert out["name"] == v.definition.name and out["indicator_unit"] == v.definition.unit
            assert (out["year"], out["year_stated"]) == reference_year(case, v)
            assert out["level"] == v.data.scope.level and out["value_unit"] == v.data.unit
            assert out["derived"] == (v.data.derived is not None) and out["qualifier"] == v.data.qualifier
            assert out["note"] == v.data.note
            paragraphs = (
                [v.citation.paragraph] if v.citation else [i.citation.paragraph for i in v.inputs if i.citation]
            )
            assert [c["paragraph"] for c in out["cites"]] == paragraphs


def test_data_file_links_lead_to_pages_and_anchors_of_the_site(build, library):
    """Every link a data file holds is a page of the site (relative to its root) with that anchor."""
    by_url = {r.url: r.uri for r in build.routes}
    checked = 0
    for case in library.cases:
        data = json.loads(build.files[side_by_side_data(case.id)])
        hrefs = [data["links"]["case"], data["links"]["source"]]
        for m in data["mechanisms"]:
            hrefs += [m["href"]] + [q["href"] for q in m["quotes"]]
        for v in data["values"]:
            hrefs += [v["page"], v["compare"]] + [c["href"] for c in v["cites"]]
        for href in hrefs:
            path, _, anchor = href.partition("#")
            assert path in by_url, href
            if anchor:
                assert anchor in build.render(by_url[path]).ids, href
            checked += 1
    assert checked > len(library.cases) * 10


def test_data_files_are_compact_sorted_and_the_same_each_build(build):
    from casebook.site import SiteBuild

    again = SiteBuild.prepare(ROOT)
    for name, text in build.files.items():
        if not name.startswith("side-by-side/"):
            continue
        assert again.files[name] == text
        data = json.loads(text)
        assert text == json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n"


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    """The real library with one value's editor's note set to markup (a note is Text: any printable characters),
    built; returns (site, case id, indicator key)."""
    from casebook.library import load_library

    project = copy_project(tmp_path_factory.mktemp("hostile") / "project")
    lib, problems = load_library(project)
    assert not problems
    case = lib.cases[0]
    i, value = next((i, v) for i, v in enumerate(case.values) if v.data.note is None)
    path = project / "cases" / case.id / "case.yaml"
    lines = path.read_text(encoding="utf-8").split("\n")
    items = [n for n, line in enumerate(lines) if re.match(r"^  - indicator: ", line)]
    lines.insert(items[i] + 1, f"    note: {json.dumps(HOSTILE)}")
    path.write_text("\n".join(lines), encoding="utf-8")
    site = project.parent / "site"
    result = run_build(project, site)
    assert result.returncode == 0, result.stderr[-3000:]
    return site, case.id, value.data.indicator, [c.id for c in lib.cases]


def test_editor_text_with_markup_stays_a_json_string(hostile_site):
    site, case_id, key, _ = hostile_site
    text = (site / side_by_side_data(case_id)).read_text(encoding="utf-8")
    notes = [v["note"] for v in json.loads(text)["values"] if v["key"] == key]
    assert HOSTILE in notes


def test_editor_text_with_markup_is_shown_as_text(browser, hostile_site):
    from casebook.pdf import SiteServer

    site, case_id, _, ids = hostile_site
    other = next(i for i in ids if i != case_id)
    with SiteServer(site) as server:
        page = browser.new_page()
        _view(page, f"{server.url}side-by-side/?c={case_id},{other}")
        if page.locator(".cb-sbs-toggle").count():
            page.click(".cb-sbs-toggle")  # the values only this case reports
        page.wait_for_timeout(300)
        assert page.evaluate("window.__pwned") is None
        assert page.locator(".cb-sbs-view img, .cb-sbs-view script").count() == 0
        assert HOSTILE in page.locator(".cb-sbs-view").inner_text()
        page.close()


# -- picking --------------------------------------------------------------------------------------------------


def _tick_on_case_page(page, server, case_id: str) -> None:
    page.goto(f"{server.url}cases/{case_id}/", wait_until="load")
    box = page.get_by_role("checkbox", name="加入对照")
    assert box.is_visible()
    box.check()


def test_pick_two_on_case_pages_then_the_tray_opens_the_view(context, server, library):
    from playwright.sync_api import expect

    first, second = library.cases[0], library.cases[1]
    page = context.new_page()
    page.goto(f"{server.url}cases/{first.id}/", wait_until="load")
    assert page.locator(".cb-tray[data-empty]").count() == 1 or page.locator(".cb-tray").count() == 0
    _tick_on_case_page(page, server, first.id)
    tray = page.locator(".cb-tray")
    expect(tray).to_contain_text(first.data.city)
    expect(tray.locator(".cb-tray__go")).to_have_attribute("aria-disabled", "true")  # one is not enough
    _tick_on_case_page(page, server, second.id)
    expect(tray).to_contain_text(first.data.city)
    expect(tray).to_contain_text(second.data.city)
    go = tray.get_by_role("link", name="对照所选（2）")
    expect(go).to_be_visible()
    go.click()
    page.wait_for_url(re.compile(r"side-by-side/\?c="))
    _view(page, page.url)
    assert _heads(page) == [first.id, second.id]
    expect(page.locator(".cb-sbs-meta thead")).to_contain_text(first.data.city)
    expect(page.locator(".cb-sbs-meta thead")).to_contain_text(second.data.city)
    # back on a case page, its box shows the selection
    page.goto(f"{server.url}cases/{second.id}/", wait_until="load")
    expect(page.get_by_role("checkbox", name="加入对照")).to_be_checked()


def test_pick_on_the_cases_index_and_a_fifth_is_refused(context, server200, library200):
    """The index's boxes and the case pages' share one selection; a fifth pick is refused with a message and
    leaves four; the tray's remove buttons work from the keyboard."""
    from playwright.sync_api import expect

    lib, _ = library200
    page = context.new_page()
    page.goto(server200.url + "cases/", wait_until="load")
    boxes = page.locator("input.cb-pick")
    assert boxes.count() == len(lib.cases)
    picked = [lib.cases[k] for k in (7, 0, 123, 61)]
    for case in picked[:3]:
        page.locator(f'input.cb-pick[value="{case.id}"]').check()
    _tick_on_case_page(page, server200, picked[3].id)
    tray = page.locator(".cb-tray")
    expect(tray.get_by_role("link", name="对照所选（4）")).to_be_visible()
    for case in picked:  # the cities come from the data files where a box does not carry them
        expect(tray).to_contain_text(case.data.city)
    fifth = lib.cases[199]
    page.goto(f"{server200.url}cases/{fifth.id}/", wait_until="load")
    box = page.get_by_role("checkbox", name="加入对照")
    box.focus()
    page.keyboard.press("Space")
    expect(box).not_to_be_checked()
    expect(tray.locator(".cb-tray__msg")).to_be_visible()
    expect(tray.locator(".cb-tray__msg")).to_contain_text("最多对照 4 个案例")
    assert tray.locator(".cb-tray__msg").get_attribute("aria-live") == "polite"
    stored = json.loads(page.evaluate("localStorage.getItem('casebook-pick')"))
    assert [x["id"] for x in stored] == [c.id for c in picked]
    # remove the first from the keyboard; the link follows the selection, in the order picked
    tray.get_by_role("button", name=f"移除{picked[0].data.city}").first.focus()
    page.keyboard.press("Enter")
    go = tray.get_by_role("link", name="对照所选（3）")
    expect(go).to_have_attribute("href", re.compile(r"\?c=" + ",".join(c.id for c in picked[1:]) + "$"))
    page.goto(server200.url + "cases/", wait_until="load")
    for case in lib.cases[:10] + picked:
        checked = page.locator(f'input.cb-pick[value="{case.id}"]').is_checked()
        assert checked == (case in picked[1:]), case.id
    # from the index too (its boxes carry no link to the view: the script finds it from the site root)
    page.locator(".cb-tray").get_by_role("link", name="对照所选（3）").click()
    page.wait_for_url(re.compile(r"side-by-side/\?c="))
    _view(page, page.url)
    assert _heads(page) == [c.id for c in picked[1:]]


def test_a_shared_link_shows_its_cases_in_its_order_in_a_fresh_browser(context, server200, library200):
    lib, site = library200
    chosen = [lib.cases[k] for k in (150, 3, 77)]
    page = context.new_page()
    _view(page, f"{server200.url}side-by-side/?c={','.join(c.id for c in chosen)}")
    assert _heads(page) == [c.id for c in chosen]
    assert page.evaluate("localStorage.getItem('casebook-pick')") is None  # the URL, not the storage
    text = page.locator(".cb-sbs-view").inner_text()
    for c in chosen:
        assert c.data.city in text
    # a row per mechanism any of them reports, "来源未报告" where one does not
    tags = {c.id: {t.data.mechanism: t for t in c.tags} for c in chosen}
    mechanisms = {m for ts in tags.values() for m in ts}
    rows = page.eval_on_selector_all(
        ".cb-sbs-mechanisms tbody tr",
        """rows => rows.map(r => [r.dataset.mechanism, [...r.querySelectorAll('td')].map(td => [td.dataset.case,
            td.querySelector('.not-reported') ? null : td.querySelector('.cb-sbs-local strong').textContent,
            td.querySelector('.evidence') ? td.querySelector('.evidence').textContent : null])])""",
    )
    assert {r[0] for r in rows} == mechanisms
    for mechanism, cells in rows:
        for cid, local, mark in cells:
            t = tags[cid].get(mechanism)
            assert local == (t.data.local_name if t else None)
            assert mark == ({"explicit": "●", "inferred": "○"}[t.data.evidence] if t else None)
    assert page.locator(".cb-sbs-mechanisms .not-reported").first.inner_text() == "来源未报告" or all(
        len(ts) == len(mechanisms) for ts in tags.values()
    )


# -- flags: the browser's equal Python's ----------------------------------------------------------------------


DOM_FLAGS = """() => [...document.querySelectorAll('.cb-sbs-indicators tbody tr[data-indicator]')].map(tr => ({
    key: tr.dataset.indicator,
    varies: tr.querySelector('th .col-varies') ? tr.querySelector('th .col-varies').textContent : '',
    cells: Object.fromEntries([...tr.querySelectorAll('td[data-case]')].filter(td => !td.querySelector('.not-reported'))
        .map(td => [td.dataset.case, [...td.querySelectorAll('.cb-sbs-reason')].map(x => x.textContent)])),
    texts: Object.fromEntries([...tr.querySelectorAll('td[data-case]')].filter(td => !td.querySelector('.not-reported'))
        .map(td => [td.dataset.case, [...td.querySelectorAll('.cited-value')].map(x => x.textContent)])),
}))"""


def _expected(library, ids: list[str]) -> list[dict]:
    """What the view must show for these cases: the indicators at least two report (by group, in catalogue
    order), each with compare.build_column's flags for these cases only."""
    cases = [library.case(i) for i in ids]
    by: dict[str, dict[str, list]] = {}
    for c in cases:
        for v in c.values:
            by.setdefault(v.data.indicator, {}).setdefault(c.id, []).append(v)
    groups = [g.id for g in library.groups]
    keys = [k for k in library.indicators if len(by.get(k, {})) >= 2]
    keys.sort(key=lambda k: groups.index(library.indicators[k].group))  # stable: catalogue order within a group
    out = []
    for k in keys:
        entries = [(c, v) for c in cases for v in by[k].get(c.id, [])]
        col = build_column(k, library.indicators[k], entries)
        out.append(
            {
                "key": k,
                "varies": "本列差异：" + "、".join(col.varies) if col.varies else "",
                "cells": {cid: cell.reasons for cid, cell in col.cells.items()},
                "texts": {cid: [ValueRow(v, cell.case).text for v in cell.values] for cid, cell in col.cells.items()},
            }
        )
    return out


def _sets(ids: list[str], limit: int) -> list[list[str]]:
    """Chosen sets of 2–4 cases, in varied orders: every combination while there are few, else a seeded sample."""
    rng = random.Random(17)
    combos = [list(c) for n in range(2, MAX_CASES + 1) for c in itertools.combinations(ids, n)]
    if len(combos) > limit:
        combos = rng.sample(combos, limit)
    for c in combos:
        rng.shuffle(c)
    return combos


def test_flags_in_the_browser_equal_build_columns_for_the_chosen_set(context, server, library):
    page = context.new_page()
    flagged = 0
    for ids in _sets([c.id for c in library.cases], 40):
        _view(page, f"{server.url}side-by-side/?c={','.join(ids)}")
        shown = page.evaluate(DOM_FLAGS)
        assert shown == _expected(library, ids), ids
        flagged += sum(1 for row in shown for reasons in row["cells"].values() if reasons)
    assert flagged, "no chosen set has a flagged value: the comparison says nothing"


def test_flags_equal_python_at_200_cases(context, server200, library200):
    lib, _ = library200
    ids = [c.id for c in lib.cases]
    rng = random.Random(200)
    sets = [rng.sample(ids, n) for n in (2, 3, 4, 4, 3, 2, 4)] + [ids[:1] + ids[5:6], ids[-4:]]  # copies too
    page = context.new_page()
    for chosen in sets:
        _view(page, f"{server200.url}side-by-side/?c={','.join(chosen)}")
        assert page.evaluate(DOM_FLAGS) == _expected(lib, chosen), chosen


def _synthetic_columns(library, n_columns: int, seed: int = 7):
    """Columns that exercise every rule: levels, convertible and unconvertible units, stated, publication and
    unknown years far apart, bounds, approximations, projections, derived values and several scopes per case."""
    from casebook.library import ValueRecord
    from casebook.models import SCOPE_LEVELS, IndicatorValue

    rng = random.Random(seed)
    base = library.cases[0]
    definitions = sorted(library.indicators.values(), key=lambda d: (-len(d.other_units), d.key))[:6]
    qualifiers = ["exact", "exact", "more_than", "about", "at_least", "less_than", "at_most", "projected"]
    published = [None, "2005", "2012-05", "2019-09-03", "2021-01-04 10:00", "2024-12-31"]
    columns = []
    for k in range(n_columns):
        definition = rng.choice(definitions)
        units = [definition.unit] + [u.unit for u in definition.other_units] + ["某单位"]
        entries = []
        for j in range(rng.randint(2, 4)):
            source = base.data.source.model_copy(update={"published": rng.choice(published)})
            case = dataclasses.replace(
                base, id=f"s{k}-{j}", data=base.data.model_copy(update={"id": f"s{k}-{j}", "source": source})
            )
            for n in range(rng.choice([1, 1, 1, 2, 3])):
                kind = rng.choice(["year", "range", "as_of", "as_of", "since", "not_stated", "not_stated"])
                year = rng.randint(2000, 2020)
                period: dict = {"kind": kind}
                if kind in ("year", "range") or (kind in ("as_of", "since") and rng.random() < 0.6):
                    period["year"] = year
                if kind == "range":
                    period["end"] = year + rng.randint(0, 5)
                derived = rng.random() < 0.1
                data = {
                    "indicator": definition.key,
                    "value": rng.choice([3, 12.5, 2600, 87]),
                    "unit": rng.choice(units),
                    "qualifier": rng.choice(qualifiers),
                    "period": period,
                    "scope": {"level": rng.choice(SCOPE_LEVELS), "place": rng.choice(["甲市", "乙区"]), "part": None},
                }
                if derived:
                    data["derived"] = {"formula": "a * 2", "inputs": {"a": definition.key}}
                else:
                    data["quote"] = "引文"
                value = IndicatorValue.model_validate(data)
                entries.append((case, ValueRecord(n, f"v-{definition.key}", value, definition, None)))
        columns.append((definition, entries))
    return columns


def test_the_ported_rules_agree_with_build_column_on_every_rule(context, server, library):
    """side-by-side-view.js's buildColumn and compare.build_column on the same synthetic columns, each rule exercised."""
    columns = _synthetic_columns(library, 400)
    payload = [
        {
            "unit": d.unit,
            "entries": [{"id": case.id, "v": rule_inputs(case, v)} for case, v in entries],
        }
        for d, entries in columns
    ]
    page = context.new_page()
    page.goto(server.url + "side-by-side/", wait_until="load")  # the view's script, with the rules, loads there
    page.wait_for_function("() => !!window.casebookSideBySide")
    got = page.evaluate(
        """([columns, rules]) => columns.map(c => {
            const col = window.casebookSideBySide.buildColumn(c.unit, c.entries, rules);
            return {varies: col.varies, cells: Object.fromEntries(col.cells.map(x => [x.id, x.reasons]))};
        })""",
        [payload, RULES],
    )
    kinds: set[str] = set()
    for (definition, entries), out in zip(columns, got, strict=True):
        col = build_column(definition.key, definition, entries)
        assert out == {"varies": col.varies, "cells": {cid: cell.reasons for cid, cell in col.cells.items()}}
        kinds |= {r.split("（")[0].split("：")[0] for cell in col.cells.values() for r in cell.reasons}
    assert {
        "统计层级不同",
        "时间不明",
        "下限",
        "上限",
        "约数",
        "预计值",
        "推算值",
        "该市有多个范围的数值，各注其范围",
    } <= kinds
    assert any(k.startswith("年份相差") for k in kinds) and any(k.startswith("单位为") for k in kinds), kinds


# -- invalid selections, without JavaScript, the picker -------------------------------------------------------


@pytest.mark.parametrize(
    "query, says",
    [
        ("?c={a}", "至少需要 2 个不同的案例"),
        ("?c={a},{a}", "至少需要 2 个不同的案例"),
        ("?c={a},no-such-case", "本库没有这些案例：no-such-case"),
        ("?c={a},../../etc/passwd", "本库没有这些案例：../../etc/passwd"),
        ("?c={a},{b},{a}x,{b}x,{a}y", "一次最多对照 4 个"),
    ],
)
def test_an_invalid_selection_says_so_and_leads_back(context, server, library, query, says):
    a, b = library.cases[0].id, library.cases[1].id
    page = context.new_page()
    _view(page, f"{server.url}side-by-side/{query.format(a=a, b=b)}")
    message = page.locator(".cb-sbs-message")
    assert says in message.inner_text()
    assert page.locator(".cb-sbs-view").is_hidden()
    back = message.get_by_role("link", name="回到案例索引重新选择")
    back.click()
    page.wait_for_url(re.compile(r"/cases/$"))


def test_too_many_offers_the_first_four(context, server200, library200):
    lib, _ = library200
    ids = [c.id for c in lib.cases[:6]]
    page = context.new_page()
    _view(page, f"{server200.url}side-by-side/?c={','.join(ids)}")
    page.get_by_role("link", name="只对照前 4 个").click()
    _view(page, page.url)
    assert _heads(page) == ids[:4]


def test_without_a_selection_the_page_says_how_to_choose(context, server, library):
    page = context.new_page()
    _view(page, server.url + "side-by-side/")
    picker = page.locator(".cb-sbs-picker")
    assert "尚未选择" in picker.inner_text()
    assert picker.get_by_role("link", name="案例索引").get_attribute("href") == "../cases/"
    example = picker.get_by_role("link", name=re.compile("^对照"))
    example.click()
    _view(page, page.url)
    assert _heads(page) == [c.id for c in library.cases[:2]]


def test_without_javascript_the_page_explains_and_links_the_index(browser, server):
    ctx = browser.new_context(java_script_enabled=False)
    page = ctx.new_page()
    page.goto(server.url + "side-by-side/")
    text = page.locator("article").inner_text()
    assert "怎样选择案例" in text and "需要 JavaScript" in text
    assert page.locator("article a[href='../cases/']").count() >= 1
    page.goto(server.url + "cases/")
    assert page.locator("input.cb-pick:visible").count() == 0  # boxes that would do nothing are not shown
    ctx.close()


# -- served by the site itself, accessible, fits a phone, prints on A4 ------------------------------------------


def test_no_request_leaves_the_site(context, server, library):
    hosts: set[str] = set()
    context.on("request", lambda r: hosts.add(urlsplit(r.url).netloc))
    page = context.new_page()
    ids = [c.id for c in library.cases[:3]]
    _tick_on_case_page(page, server, ids[0])
    page.goto(server.url + "cases/", wait_until="load")
    _view(page, f"{server.url}side-by-side/?c={','.join(ids)}")
    page.wait_for_load_state("networkidle")
    assert hosts == {urlsplit(server.url).netloc}, hosts


@pytest.mark.parametrize("scheme", SCHEMES)
def test_no_serious_or_critical_axe_violation(browser, server, library, scheme):
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    ctx = _scheme_context(browser, scheme)
    page = ctx.new_page()
    found = []
    ids = [c.id for c in library.cases[: min(MAX_CASES, len(library.cases))]]
    try:
        _tick_on_case_page(page, server, ids[0])  # the tray is on every page from now on
        page.locator(".cb-tray__go").wait_for()
        for path in ("side-by-side/", f"side-by-side/?c={','.join(ids)}", "side-by-side/?c=nope", f"cases/{ids[1]}/"):
            _open(page, server.url + path)
            if page.locator(".cb-sbs-toggle").count():
                page.click(".cb-sbs-toggle")
                # the click scrolled the page: Material fades the page title into the header; let it settle
                page.evaluate("window.scrollTo(0, 0)")
                page.wait_for_timeout(600)
            assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == scheme
            found += serious_violations(axe, page, f"/{path}", 160)
    finally:
        ctx.close()
    assert not found, f"axe-core, {scheme} scheme:\n" + "\n".join(found)


def test_no_sideways_scroll_on_a_phone(browser, server200, library200):
    lib, _ = library200
    ctx = browser.new_context(viewport=PHONE)
    page = ctx.new_page()
    ids = [lib.cases[k].id for k in (4, 9, 2, 190)]  # copies, whose names are longer than the real cities'
    wide = []
    try:
        for cid in ids[:3]:
            _tick_on_case_page(page, server200, cid)
        for path in (f"cases/{ids[0]}/", "cases/", f"side-by-side/?c={','.join(ids)}", "side-by-side/"):
            _open(page, server200.url + path)
            page.wait_for_timeout(200)
            scroll_width, inner = page.evaluate("() => [document.scrollingElement.scrollWidth, window.innerWidth]")
            if scroll_width > inner:
                wide.append((path, scroll_width, inner))
        tray = page.locator(".cb-tray").bounding_box()
        assert tray and tray["width"] <= PHONE["width"] and tray["height"] < PHONE["height"] / 3, tray
    finally:
        ctx.close()
    assert not wide, wide


def _pdf_text(path: Path) -> str:
    from pypdf import PdfReader

    return "".join(page.extract_text() or "" for page in PdfReader(str(path)).pages)


def test_the_view_prints_as_an_a4_handout(browser, server, library, tmp_path):
    from pypdf import PdfReader

    cases = library.cases[:3]
    ctx = browser.new_context(viewport=LAPTOP)
    page = ctx.new_page()
    _view(page, f"{server.url}side-by-side/?c={','.join(c.id for c in cases)}")
    page.emulate_media(media="print")
    # the columns fit the printable width (A4 less the 16 mm margins), no control is printed
    page.set_viewport_size({"width": round((210 - 32) / 25.4 * 96), "height": 1000})
    too_wide = page.evaluate(
        """() => [...document.querySelectorAll('.cb-sbs-view table')].filter(t => t.getBoundingClientRect().right
            > document.querySelector('.md-content__inner').getBoundingClientRect().right + 1).length"""
    )
    assert too_wide == 0
    visible = page.evaluate(
        """() => [...document.querySelectorAll('.cb-tray, button, input, .cb-sbs-actions')]
            .filter(e => getComputedStyle(e).display !== 'none' && e.getClientRects().length).map(e => e.className)"""
    )
    assert not visible, visible
    target = tmp_path / "side-by-side.pdf"
    page.evaluate("document.fonts.ready")
    page.pdf(path=str(target), format="A4")
    ctx.close()
    width, height = (float(x) for x in PdfReader(str(target)).pages[0].mediabox[2:])
    assert abs(width - 595.3) < 1.5 and abs(height - 841.9) < 1.5, (width, height)  # A4 in points
    text = re.sub(r"\s+", "", _pdf_text(target))
    for c in cases:
        assert c.data.city in text, c.data.city
    quote = next(t.citations[0].quote for c in cases for t in c.tags if t.citations)
    assert re.sub(r"\s+", "", quote) in text
    assert "打印或存为PDF" not in text and "清空" not in text
