"""Layout in a real browser (Playwright driving Chromium), at a laptop's width and a phone's, on the session's
built site: comparison charts that fill their column with readable labels, a case × mechanism matrix that fits
a laptop screen, no page that scrolls sideways, and case pages whose narrative starts within about a screen on
a phone. Pages are picked from the loaded library, never by a case's name."""

from __future__ import annotations

import pytest

WIDTHS = {"laptop": (1366, 900), "phone": (390, 844)}
MIN_LABEL_PX = 12
#: How far down a phone's page the narrative's first heading may start, in screens.
BACKGROUND_WITHIN_SCREENS = 1.3

#: Every chart on the page: its width, its column's width and the smallest computed size of any text in it.
CHARTS = """() => [...document.querySelectorAll('article .cb-chart')].map(chart => {
  const figure = chart.closest('figure') || chart;
  const column = chart.closest('.md-content__inner');
  let smallest = Infinity;
  const walker = document.createTreeWalker(figure, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const el = walker.currentNode.parentElement;
    if (!walker.currentNode.textContent.trim() || !el.getClientRects().length) continue;
    smallest = Math.min(smallest, parseFloat(getComputedStyle(el).fontSize));
  }
  return {id: chart.id, width: chart.getBoundingClientRect().width, column: column.clientWidth, smallest};
})"""

SIDEWAYS = "() => [document.scrollingElement.scrollWidth, window.innerWidth]"


def _group_ids(library) -> list[str]:
    used = {library.indicators[v.data.indicator].group for c in library.cases for v in c.values}
    return [g.id for g in library.groups if g.id in used]


def _pages(library) -> list[str]:
    """One page of every kind (every comparison page), as site paths."""
    case = library.cases[0].id
    mechanism = next(t.data.mechanism for c in library.cases for t in c.tags)
    pages = ["", "cases/", "matrix/", f"cases/{case}/", f"sources/{case}/", f"mechanisms/{mechanism}/", "compare/"]
    pages += [f"compare/{g}/" for g in _group_ids(library)]
    pages += ["codebook/", "downloads/", "print/"]
    if library.glossary:
        pages.append("glossary/")
    return pages


@pytest.fixture(scope="module", params=list(WIDTHS))
def page(request, browser):
    width, height = WIDTHS[request.param]
    context = browser.new_context(viewport={"width": width, "height": height})
    p = context.new_page()
    yield p
    context.close()


def test_no_page_scrolls_sideways(page, server, library):
    wide = []
    for path in _pages(library):
        page.goto(server.url + path)
        scroll_width, inner = page.evaluate(SIDEWAYS)
        if scroll_width > inner:
            wide.append((path, scroll_width, inner))
    assert not wide, f"pages wider than the window: {wide}"


def test_charts_fill_their_column_with_readable_labels(page, server, library):
    seen = 0
    for group in _group_ids(library):
        page.goto(f"{server.url}compare/{group}/")
        for chart in page.evaluate(CHARTS):
            seen += 1
            assert chart["width"] >= 0.9 * chart["column"], (group, chart)
            assert chart["smallest"] >= MIN_LABEL_PX, (group, chart)
    assert seen, "no comparison page has a chart"


def test_matrix_fits_a_laptop_screen_and_scrolls_on_a_phone(page, server):
    page.goto(server.url + "matrix/")
    scroll_width, client_width, inner = page.evaluate(
        "() => { const m = document.querySelector('.matrix-table');"
        " return [m.scrollWidth, m.clientWidth, window.innerWidth]; }"
    )
    if inner >= 1366:
        assert scroll_width <= client_width, "the matrix does not show all its columns at 1366 px"
    else:
        # a phone: the matrix scrolls in its own box, the city column stays, and a hint says so
        assert page.is_visible(".cb-scroll-hint")
        position = page.evaluate(
            "() => getComputedStyle(document.querySelector('.matrix-table tbody tr[data-f] > :first-child')).position"
        )
        assert position == "sticky"
    # city names are never broken across lines
    heights = page.evaluate(
        "() => [...document.querySelectorAll('.matrix-table tbody tr[data-f] > :first-child a')]"
        ".map(a => a.getClientRects().length)"
    )
    assert heights and set(heights) == {1}


def test_case_narrative_starts_within_about_a_screen_on_a_phone(page, server, library):
    if page.viewport_size["width"] > 400:
        pytest.skip("a phone's width only")
    measured = 0
    for case in library.cases:
        page.goto(f"{server.url}cases/{case.id}/")
        top, screen = page.evaluate(
            "() => { const h = [...document.querySelectorAll('article h2')]"
            ".find(h => h.textContent.trim().startsWith('背景'));"
            " return [h ? h.getBoundingClientRect().top + window.scrollY : null, window.innerHeight]; }"
        )
        if top is None:
            continue
        measured += 1
        assert top <= BACKGROUND_WITHIN_SCREENS * screen, (case.id, top, screen)
        # the values table scrolls in its own box with its first column in place, so 出处 can be reached
        sticky, scrolls = page.evaluate(
            "() => { const t = document.querySelector('.values-table');"
            " return [getComputedStyle(t.querySelector('tbody tr > :first-child')).position,"
            " getComputedStyle(t).overflowX]; }"
        )
        assert (sticky, scrolls) == ("sticky", "auto"), case.id
    assert measured, "no case page has a 背景 section"
