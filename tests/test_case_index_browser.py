"""The faceted cases index, the matrix and the home page's province tiles in a real browser (issue 17), at the
real library and at a generated library of 200 cases (benchmarks/generate.py, built once for this module).

Every expectation is computed in Python from the loaded library (casebook.facets), never typed: facet counts,
the rows a filter shows, the URL it writes, the cases a tile leads to."""

from __future__ import annotations

import re
import sys
from urllib.parse import unquote

import pytest

from conftest import ROOT, run_build

from casebook.facets import SLOTS, build_facets, counts, matching, query
from schemes import SCHEMES, scheme_context, serious_violations

sys.path.insert(0, str(ROOT / "benchmarks"))

from generate import generate  # noqa: E402

GENERATED_N = 200


@pytest.fixture(scope="module")
def generated_site(tmp_path_factory):
    """A library of 200 generated cases, loaded and built once (no PDFs)."""
    from casebook.library import load_library

    root = generate(GENERATED_N, tmp_path_factory.mktemp("lib200") / "lib")
    lib, problems = load_library(root)
    assert not problems
    out = tmp_path_factory.mktemp("site200") / "site"
    result = run_build(root, out)
    assert result.returncode == 0, result.stderr
    return lib, out


@pytest.fixture(scope="module", params=["real", "generated"])
def built(request, site, library, generated_site, browser):
    """(library, site folder, server URL) of the real library and of the generated one."""
    from casebook.pdf import SiteServer

    lib, folder = (library, site) if request.param == "real" else generated_site
    with SiteServer(folder) as server:
        yield lib, folder, server.url


@pytest.fixture(scope="module")
def page(browser):
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    p = context.new_page()
    yield p
    context.close()


# -- reading the page --------------------------------------------------------------------------------------------

SHOWN_ROWS = """() => [...document.querySelectorAll('[data-facets] tr[data-f]')].filter(r => !r.hidden
    && r.getClientRects().length).map(r => r.querySelector('a').getAttribute('href'))"""
PANEL = """() => Object.fromEntries([...document.querySelectorAll('fieldset[data-facet]')].map(fs => [
    fs.getAttribute('data-facet'),
    [...fs.querySelectorAll('input[type=checkbox]')].map(b => [b.value, b.checked,
        Number(b.closest('label').querySelector('.cb-n').textContent)])]))"""


def _ids(hrefs: list[str]) -> list[str]:
    """Case ids from row links (written relative to the page: cases/ -> "<id>/", matrix/ -> "../cases/<id>/")."""
    return [h.rstrip("/").rsplit("/", 1)[-1] for h in hrefs]


def _expected_ids(lib, filters, modes=None) -> list[str]:
    return [c.id for c in matching(lib, filters, modes)]


def _panel_counts(page) -> dict[str, dict[str, int]]:
    return {f: {k: n for k, _, n in values} for f, values in page.evaluate(PANEL).items()}


def _checked(page) -> dict[str, list[str]]:
    return {f: [k for k, on, _ in values if on] for f, values in page.evaluate(PANEL).items()}


def _tick(page, facet: str, key: str) -> None:
    """Tick a value as a reader does: open its group if it is folded, then click its checkbox."""
    box = page.locator(f'fieldset[data-facet="{facet}"] input[type=checkbox][value="{key}"]')
    details = box.locator("xpath=ancestor::details[1]")
    if details.count() and not details.evaluate("d => d.open"):
        details.locator("summary").click()
    box.check()


def _status(page) -> str:
    return re.sub(r"\s+", " ", page.locator(".cb-facet-status").inner_text()).strip()


def _pick_two_mechanisms(lib) -> list[str]:
    """Two mechanisms for which "any" and "all" differ, where the library has such a pair (the most used first)."""
    built = build_facets(lib)
    keys = [v.key for v in sorted(built["mechanism"].values, key=lambda v: -v.count)]
    for a in keys:
        for b in keys:
            if a < b:
                any_n = len(matching(lib, {"mechanism": [a, b]}))
                all_n = len(matching(lib, {"mechanism": [a, b]}, {"mechanism": "all"}))
                if any_n != all_n and all_n:
                    return [v for v in (v.key for v in built["mechanism"].values) if v in (a, b)]
    return [v.key for v in built["mechanism"].values][:2]


# -- the cases index ---------------------------------------------------------------------------------------------


def test_facet_counts_are_the_librarys(built, page):
    lib, _, url = built
    page.goto(url + "cases/", wait_until="load")
    facets = build_facets(lib)
    assert list(_panel_counts(page)) == ["province", "level", "mechanism", "indicator", "year", "script"]
    assert _panel_counts(page) == counts(lib, {})
    for f in SLOTS:  # every value some case has, in the panel's order
        assert [k for k, _, _ in page.evaluate(PANEL)[f]] == [v.key for v in facets[f].values]
    assert _status(page) == f"显示 {len(lib.cases)} / 共 {len(lib.cases)} 个案例"
    # after ticking a value of two facets, every count is what Python computes for the same filters
    province = max(facets["province"].values, key=lambda v: v.count).key
    mechanism = facets["mechanism"].values[0].key
    _tick(page, "province", province)
    _tick(page, "mechanism", mechanism)
    filters = {"province": [province], "mechanism": [mechanism]}
    assert _panel_counts(page) == counts(lib, filters)
    n = len(matching(lib, filters))
    assert _status(page) == f"显示 {n} / 共 {len(lib.cases)} 个案例"


def test_ticking_narrows_the_rows_and_writes_the_url(built, page):
    lib, _, url = built
    page.goto(url + "cases/", wait_until="load")
    assert _ids(page.evaluate(SHOWN_ROWS)) == [c.id for c in lib.cases]
    facets = build_facets(lib)
    filters: dict[str, list[str]] = {}
    # one facet after another, each a value that leaves some case shown
    for f in ("province", "level", "year", "script", "indicator"):
        candidates = [v.key for v in facets[f].values if matching(lib, {**filters, f: [v.key]})]
        key = candidates[len(candidates) // 2]
        _tick(page, f, key)
        filters[f] = [key]
        assert _ids(page.evaluate(SHOWN_ROWS)) == _expected_ids(lib, filters), filters
        assert unquote(page.evaluate("location.search")) == unquote("?" + query(filters))
        assert page.evaluate("location.search") == "?" + query(filters)
    # 清除筛选: every case again, and no query
    page.get_by_role("button", name="清除筛选").click()
    assert _ids(page.evaluate(SHOWN_ROWS)) == [c.id for c in lib.cases]
    assert page.evaluate("location.search") == ""
    assert all(not on for values in _checked(page).values() for on in values)


def test_a_filtered_url_restores_the_filter_and_back_goes_back(built, page):
    lib, _, url = built
    facets = build_facets(lib)
    province = max(facets["province"].values, key=lambda v: v.count).key
    mechanisms = _pick_two_mechanisms(lib)
    filters = {"province": [province], "mechanism": mechanisms}
    modes = {"mechanism": "all"}
    page.goto(url + "cases/?" + query(filters, modes), wait_until="load")
    assert _checked(page) == {
        f: filters.get(f, []) for f in ("province", "level", "mechanism", "indicator", "year", "script")
    }
    assert page.locator('input[name="cb-mode"][value="all"]').is_checked()
    assert _ids(page.evaluate(SHOWN_ROWS)) == _expected_ids(lib, filters, modes)
    assert _panel_counts(page) == counts(lib, filters, modes)
    # a change is a step in the history: back restores the shared view, forward the change
    page.locator('input[name="cb-mode"][value="any"]').check()
    assert _ids(page.evaluate(SHOWN_ROWS)) == _expected_ids(lib, filters)
    assert "mode=" not in page.evaluate("location.search")
    page.go_back()
    page.wait_for_function("() => location.search.includes('mode=all')")
    assert page.locator('input[name="cb-mode"][value="all"]').is_checked()
    assert _ids(page.evaluate(SHOWN_ROWS)) == _expected_ids(lib, filters, modes)
    page.go_forward()
    page.wait_for_function("() => !location.search.includes('mode=')")
    assert _ids(page.evaluate(SHOWN_ROWS)) == _expected_ids(lib, filters)
    # a value the library does not have is dropped from the URL, not silently kept
    page.goto(url + "cases/?province=" + "不存在省" + "&level=" + facets["level"].values[0].key, wait_until="load")
    kept = {"level": [facets["level"].values[0].key]}
    assert page.evaluate("location.search") == "?" + query(kept)
    assert _ids(page.evaluate(SHOWN_ROWS)) == _expected_ids(lib, kept)


def test_mechanism_any_versus_all(built, page):
    lib, _, url = built
    mechanisms = _pick_two_mechanisms(lib)
    page.goto(url + "cases/", wait_until="load")
    for m in mechanisms:
        _tick(page, "mechanism", m)
    any_ids = _expected_ids(lib, {"mechanism": mechanisms})
    all_ids = _expected_ids(lib, {"mechanism": mechanisms}, {"mechanism": "all"})
    assert _ids(page.evaluate(SHOWN_ROWS)) == any_ids
    page.get_by_role("radio", name="同时符合所有项").first.check()
    assert _ids(page.evaluate(SHOWN_ROWS)) == all_ids
    assert page.evaluate("location.search") == "?" + query({"mechanism": mechanisms}, {"mechanism": "all"})
    tagged = [{t.data.mechanism for t in lib.case(i).tags} for i in all_ids]
    assert all(set(mechanisms) <= t for t in tagged)
    assert set(all_ids) <= set(any_ids)
    # counts in "all" mode: ticking a third value shows exactly its count
    counts_all = counts(lib, {"mechanism": mechanisms}, {"mechanism": "all"})
    assert _panel_counts(page) == counts_all


def test_the_filter_is_keyboard_usable(built, page):
    lib, _, url = built
    page.goto(url + "cases/", wait_until="load")
    first = page.locator('fieldset[data-facet="province"] input[type=checkbox]').first
    key = first.get_attribute("value")
    page.locator("body").focus()
    for _ in range(200):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement && document.activeElement.matches('fieldset[data-facet] input')"):
            break
    assert page.evaluate("document.activeElement.value") == key
    page.keyboard.press("Space")
    assert _ids(page.evaluate(SHOWN_ROWS)) == _expected_ids(lib, {"province": [key]})
    # a folded group opens with Enter on its summary
    summary = page.locator('fieldset[data-facet="mechanism"] summary').first
    summary.focus()
    page.keyboard.press("Enter")
    assert summary.evaluate("s => s.parentElement.open")


def test_every_row_has_a_pick_box_and_the_panel_is_accessible(built, page):
    lib, _, url = built
    page.goto(url + "cases/", wait_until="load")
    boxes = page.evaluate(
        """() => [...document.querySelectorAll('tr[data-f] input.cb-pick')].map(b => [b.value,
            b.getAttribute('aria-label'), b.type])"""
    )
    assert boxes == [[c.id, f"选择对照：{c.data.city}", "checkbox"] for c in lib.cases]
    legends = page.evaluate(
        "() => [...document.querySelectorAll('fieldset[data-facet] > legend')].map(l => l.textContent)"
    )
    assert legends == ["省份", "行政级别", "机制", "报告的指标", "来源年份", "来源文字"]
    assert page.locator(".cb-facet-status").get_attribute("aria-live") == "polite"
    # every checkbox of the panel has a label (it is inside one)
    assert page.evaluate(
        "() => [...document.querySelectorAll('fieldset[data-facet] input')].every(b => b.labels.length === 1)"
    )


# -- the matrix ------------------------------------------------------------------------------------------------


def test_the_matrix_is_grouped_by_province_and_filters_alike(built, page):
    lib, _, url = built
    facets = build_facets(lib)
    page.goto(url + "matrix/", wait_until="load")
    groups = page.evaluate(
        """() => [...document.querySelectorAll('tbody[data-group]')].map(g => [
            g.querySelector('.cb-group th').textContent.trim(),
            [...g.querySelectorAll('tr[data-f] > td:first-child a')].map(a => a.getAttribute('href'))])"""
    )
    expected = [(v, [c.id for c in lib.cases if c.data.province == v.key]) for v in facets["province"].values]
    assert [(re.sub(r"\s+", " ", name), _ids(rows)) for name, rows in groups] == [
        (f"{v.label} {len(ids)} 个案例", ids) for v, ids in expected
    ]
    assert _panel_counts(page) == counts(lib, {})
    # the same URL parameters as the index; a province left without a case has its group hidden
    mechanisms = _pick_two_mechanisms(lib)
    filters, modes = {"mechanism": mechanisms}, {"mechanism": "all"}
    page.goto(url + "matrix/?" + query(filters, modes), wait_until="load")
    shown = _expected_ids(lib, filters, modes)
    assert sorted(_ids(page.evaluate(SHOWN_ROWS))) == sorted(shown)
    visible = page.evaluate(
        """() => [...document.querySelectorAll('tbody[data-group]')].filter(g => !g.hidden)
            .map(g => g.querySelector('.cb-gn').textContent)"""
    )
    per = {v.key: sum(1 for i in shown if lib.case(i).data.province == v.key) for v in facets["province"].values}
    assert visible == [f"{per[v.key]} / {v.count} 个案例" for v in facets["province"].values if per[v.key]]


# -- the home page and its province tiles ---------------------------------------------------------------------


def test_tiles_lead_to_the_filtered_index(built, page):
    lib, _, url = built
    page.goto(url, wait_until="load")
    tiles = page.evaluate(
        """() => [...document.querySelectorAll('.cb-tiles > li')].map(li => {
            const a = li.querySelector('a');
            return {link: a ? a.getAttribute('href') : null, name: a ? a.getAttribute('aria-label') : li.textContent};
        })"""
    )
    assert len(tiles) == len(lib.provinces) == 34
    per = {p.name: sum(1 for c in lib.cases if c.data.province == p.name) for p in lib.provinces}
    links = [t for t in tiles if t["link"]]
    assert len(links) == sum(1 for n in per.values() if n)  # tiles with no case are not links
    for t in tiles:
        if not t["link"]:
            assert t["name"].endswith("：0 个案例")
    for t in links:
        name, n = re.fullmatch(r"(.+)：(\d+) 个案例", t["name"]).groups()
        assert per[name] == int(n)
        assert t["link"] == "cases/?province=" + "".join(f"%{b:02X}" for b in name.encode())
        page.goto(url + t["link"], wait_until="load")
        assert _ids(page.evaluate(SHOWN_ROWS)) == [c.id for c in lib.cases if c.data.province == name], name
        assert _checked(page)["province"] == [name]


def test_home_has_no_per_case_list_or_matrix(built):
    lib, folder, _ = built
    html = (folder / "index.html").read_text(encoding="utf-8")
    assert "matrix-table" not in html and "case-cards" not in html and "data-f=" not in html
    assert f"<strong>{len(lib.cases)}</strong> 个案例" in html
    # every case of the library is reachable from it: every province's tile (or the index)
    assert 'href="cases/"' in html


def test_home_page_size_does_not_grow_with_the_library(site, generated_site):
    """Home page bytes at 5 and at 200 cases: the page's own content within a small margin (counts, the newest
    cases: 2 of the real library's sources are dated, 6 are shown at 200), and the whole page no larger (the
    navigation lists the cases of a library of up to 30, so the small library's page is the larger)."""

    def article(html: str) -> int:
        return len(re.search(r"<article.*?</article>", html, re.S).group(0).encode())

    small_html = (site / "index.html").read_text(encoding="utf-8")
    large_html = (generated_site[1] / "index.html").read_text(encoding="utf-8")
    small, large = len(small_html.encode()), len(large_html.encode())
    assert large <= small + 1024, (small, large)
    assert abs(article(large_html) - article(small_html)) <= 1024, (article(small_html), article(large_html))


def test_without_javascript_the_index_is_the_full_list(built, browser):
    lib, folder, url = built
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1366, "height": 900})
    try:
        p = context.new_page()
        for path in ("cases/", "cases/?province=" + lib.cases[0].data.province, "matrix/"):
            p.goto(url + path, wait_until="load")
            assert sorted(_ids(p.evaluate(SHOWN_ROWS))) == sorted(c.id for c in lib.cases), path
            assert not p.locator(".cb-facets").is_visible()
        p.goto(url + "cases/", wait_until="load")
        links = p.evaluate("() => [...document.querySelectorAll('tr[data-f] a')].map(a => a.getAttribute('href'))")
        assert _ids(links) == [c.id for c in lib.cases]
        assert p.locator("input.cb-pick").first.is_hidden()
        assert f"共 {len(lib.cases)} 个案例" in p.locator(".cb-facet-status").inner_text()
    finally:
        context.close()


# -- layout, accessibility -------------------------------------------------------------------------------------


def test_no_sideways_scroll_on_a_phone_and_readable_tiles(built, browser):
    _, _, url = built
    context = browser.new_context(viewport={"width": 390, "height": 844})
    try:
        p = context.new_page()
        for path in ("", "cases/", "matrix/"):
            p.goto(url + path, wait_until="load")
            scroll, inner = p.evaluate("() => [document.scrollingElement.scrollWidth, window.innerWidth]")
            assert scroll <= inner, (path, scroll, inner)
        p.goto(url, wait_until="load")
        tiles = p.evaluate(
            """() => [...document.querySelectorAll('.cb-tile__body')].map(t => {
                const r = t.getBoundingClientRect();
                const sizes = [...t.querySelectorAll('span')].map(s => parseFloat(getComputedStyle(s).fontSize));
                const over = [...t.querySelectorAll('span')].some(s => s.scrollWidth > t.clientWidth + 1);
                return {w: r.width, h: r.height, right: r.right, font: Math.min(...sizes), over};
            })"""
        )
        assert len(tiles) == 34
        for t in tiles:
            assert t["font"] >= 12 and t["right"] <= 390 and not t["over"], t
            assert abs(t["w"] - t["h"]) < 1.5, t  # squares
    finally:
        context.close()


def test_tiles_print_on_a4(built, browser):
    _, _, url = built
    p = browser.new_page()
    try:
        p.goto(url, wait_until="load")
        p.emulate_media(media="print")
        box = p.evaluate(
            """() => { const u = document.querySelector('.cb-tiles').getBoundingClientRect();
                const li = document.querySelectorAll('.cb-tiles > li');
                const bg = getComputedStyle(document.querySelector('.cb-tile--1 .cb-tile__body, .cb-tile--2 .cb-tile__body,'
                    + ' .cb-tile--3 .cb-tile__body, .cb-tile--4 .cb-tile__body')).printColorAdjust;
                return {width: u.width, n: li.length, adjust: bg}; }"""
        )
        # A4 is 210 mm wide; the tiles are at most 12 cm
        assert box["n"] == 34 and 0 < box["width"] <= 12 / 2.54 * 96 + 1 and box["adjust"] == "exact", box
        pdf = p.pdf(format="A4")
        assert pdf[:4] == b"%PDF"
    finally:
        p.close()


@pytest.fixture(scope="module")
def scheme_contexts(browser):
    out = {scheme: scheme_context(browser, scheme) for scheme in SCHEMES}
    yield out
    for ctx in out.values():
        ctx.close()


@pytest.mark.parametrize("scheme", SCHEMES)
def test_no_serious_or_critical_axe_violation(built, scheme_contexts, scheme):
    from axe_playwright_python.sync_playwright import Axe

    lib, _, url = built
    mechanisms = _pick_two_mechanisms(lib)
    axe = Axe()
    p = scheme_contexts[scheme].new_page()
    found = []
    try:
        for path in ("", "cases/", "cases/?" + query({"mechanism": mechanisms}, {"mechanism": "all"}), "matrix/"):
            p.goto(url + path, wait_until="load")
            assert p.evaluate("document.body.getAttribute('data-md-color-scheme')") == scheme
            found += serious_violations(axe, p, f"/{path}")
    finally:
        p.close()
    assert not found, f"axe-core, {scheme} scheme:\n" + "\n".join(found)


# -- the benchmark's measurement hook --------------------------------------------------------------------------


def test_the_benchmark_measures_weight_and_filter_time(built, browser):
    import bench

    lib, folder, _ = built
    weights = bench.reader_weights(folder)
    for name, page_path in (("home", ""), ("cases_index", "cases")):
        html = (folder / page_path / "index.html").stat().st_size
        w = weights[name]
        assert w["html"] == html
        assert w["html_facets_js"] == html + (folder / "javascripts" / "facets.js").stat().st_size
        assert w["html_facets_js"] <= w["html_own_js"] < w["with_assets"]
    timing = bench.filter_ms(folder, runs=3, browser=browser)
    assert timing is not None and timing["filters"] == 15
    assert 0 <= timing["median_ms"] <= timing["max_ms"] < 100, timing
    cells = bench._reader_cells({**weights, "filter": timing})
    assert cells.count("|") == 6
