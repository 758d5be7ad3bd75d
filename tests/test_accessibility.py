"""Accessibility in the real browser (issue 16, points 3 and 9): axe-core finds no serious or critical violation on
any page kind in the light and the dark scheme; glossary terms and ⚠ flags are Tab stops with a description;
sortable headers stay column headers; the page language is zh-Hans and Traditional source text is zh-Hant.
Pages and cases are picked from the loaded library, never by name. One browser, one context per scheme."""

from __future__ import annotations

import re

import pytest

from casebook.render import join_notes
from schemes import SCHEMES, scheme_context, serious_violations


def _first_page_with(site, folder: str, needle: str) -> str | None:
    for page in sorted((site / folder).glob("*/index.html")):
        if needle in page.read_text(encoding="utf-8"):
            return f"{folder}/{page.parent.name}/"
    return None


@pytest.fixture(scope="module")
def picked(site, library) -> dict[str, str]:
    """Site path of one page of each kind, chosen from the library that is loaded."""
    cases = library.cases
    simplified = next((c for c in cases if c.data.source.script == "zh-Hans"), cases[0])
    traditional = next((c for c in cases if c.data.source.script == "zh-Hant"), None)
    mechanism = next(t.definition.id for c in cases for t in c.tags)
    group = sorted({v.definition.group for c in cases for v in c.values})[0]
    pages = {
        "home": "",
        "case": f"cases/{simplified.id}/",
        "source (Simplified)": f"sources/{simplified.id}/",
        "mechanisms index": "mechanisms/",
        "mechanism": f"mechanisms/{mechanism}/",
        "comparison index": "compare/",
        "comparison": f"compare/{group}/",
        "glossary": "glossary/",
        "codebook": "codebook/",
        "downloads": "downloads/",
        "print index": "print/",
        "case handout": f"print/cases/{simplified.id}/",
    }
    if traditional is not None:
        pages["case (Traditional source)"] = f"cases/{traditional.id}/"
        pages["source (Traditional)"] = f"sources/{traditional.id}/"
        pages["case handout (Traditional source)"] = f"print/cases/{traditional.id}/"
    for path in pages.values():
        assert (site / path / "index.html").is_file(), path
    return pages


@pytest.fixture(scope="module")
def contexts(browser):
    """A browser context per colour scheme."""
    out = {scheme: scheme_context(browser, scheme) for scheme in SCHEMES}
    yield out
    for ctx in out.values():
        ctx.close()


@pytest.fixture(scope="module")
def page(contexts):
    p = contexts["default"].new_page()
    yield p
    p.close()


@pytest.mark.parametrize("scheme", SCHEMES)
def test_no_serious_or_critical_axe_violation(contexts, server, picked, scheme):
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    page = contexts[scheme].new_page()
    found = []
    try:
        for kind, path in picked.items():
            page.goto(server.url + path, wait_until="load")
            assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == scheme
            found += serious_violations(axe, page, f"{kind} (/{path})")
    finally:
        page.close()
    assert not found, f"axe-core, {scheme} scheme:\n" + "\n".join(found)


def _tab_to(page, selector: str, limit: int = 600) -> bool:
    """Press Tab until the focused element matches ``selector``; whether it did within ``limit`` presses."""
    page.locator("body").focus()
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => !!document.activeElement && document.activeElement.matches(s)", selector):
            return True
    return False


def _description(page) -> str:
    """The focused element's accessible description, as its aria-describedby references compute it."""
    return page.evaluate(
        """() => (document.activeElement.getAttribute('aria-describedby') || '').split(/\\s+/).filter(Boolean)
            .map(id => document.getElementById(id)).map(el => el ? el.textContent.trim() : '').join(' ')"""
    )


def test_tab_reaches_a_glossary_term_with_its_definition(page, server, picked, library):
    """The first occurrence (a link to the glossary) and a later one (an abbr) are Tab stops, each described by
    the term's pinyin and short definition (aria-describedby; Material's tooltips manage it on an abbr)."""
    from playwright.sync_api import expect

    page.goto(server.url + picked["mechanism"], wait_until="load")
    shorts = {e.short for e in library.glossary}
    selectors = ["a.gloss-term"] + (["abbr.gloss"] if page.locator("abbr.gloss").count() else [])
    assert page.locator("a.gloss-term").count(), "the mechanism page has no glossary term"
    for selector in selectors:
        assert _tab_to(page, selector), f"Tab never reaches a glossary term ({selector})"
        page.wait_for_timeout(100)  # Material's tooltip (on an abbr) takes the description on focus
        text = _description(page)
        short = next((s for s in shorts if s in text), None)
        assert short, f"the focused glossary term ({selector}) is not described by its definition: {text!r}"
        expect(page.locator(":focus")).to_have_accessible_description(re.compile(re.escape(short)))


def test_tab_reaches_a_flag_with_its_reasons(page, server, site):
    from playwright.sync_api import expect

    path = _first_page_with(site, "compare", 'class="flag"')
    if path is None:
        pytest.skip("no comparison cell of the library is flagged")
    page.goto(server.url + path, wait_until="load")
    assert _tab_to(page, ".flag"), "Tab never reaches a ⚠ flag"
    page.wait_for_timeout(100)  # Material's tooltip takes the description on focus
    text = _description(page)
    reasons = page.evaluate("document.activeElement.nextElementSibling.textContent.trim()")  # its hidden .cb-desc
    assert reasons and text == reasons, f"the ⚠ flag is not described by its reasons: {text!r} ≠ {reasons!r}"
    expect(page.locator(":focus")).to_have_accessible_description(text)
    expect(page.locator(":focus")).to_have_accessible_name("比较提示")


def test_sortable_headers_stay_column_headers(page, server, picked):
    page.goto(server.url + picked["comparison"], wait_until="load")
    heads = page.evaluate(
        """() => [...document.querySelectorAll('.sortable thead th')].map(th => ({
            role: th.getAttribute('role'), sort: th.getAttribute('aria-sort'), tabindex: th.getAttribute('tabindex'),
            buttons: th.querySelectorAll(':scope > button.cb-sort').length, children: th.children.length,
            numeric: [...th.closest('table').tBodies[0].rows].some(r => r.cells[th.cellIndex]
                && r.cells[th.cellIndex].querySelector('[data-value]')),
        }))"""
    )
    assert heads, "the comparison page has no sortable table"
    for h in heads:
        assert h["role"] is None and h["tabindex"] is None, h  # a th, not a role=button Tab stop
        assert h["buttons"] == 1 and h["children"] == 1, h
        assert h["sort"] == "none", h
    table = page.locator(".sortable table").first
    text_col = next(i for i, h in enumerate(heads) if not h["numeric"])
    th = table.locator("thead th").nth(text_col)
    th.locator("button").click()
    assert th.get_attribute("aria-sort") == "ascending"  # a text column: first click sorts A→Z
    cells = table.locator("tbody tr").evaluate_all(
        f"rows => rows.map(r => r.cells[{text_col}].textContent.trim()).filter(t => t && t !== '–')"
    )
    collator = page.evaluate("(xs) => [...xs].sort((a, b) => a.localeCompare(b, 'zh-Hans-CN-u-co-pinyin'))", cells)
    assert cells == collator
    th.locator("button").click()
    assert th.get_attribute("aria-sort") == "descending"
    numeric = [i for i, h in enumerate(heads[: table.locator("thead th").count()]) if h["numeric"]]
    if numeric:
        nth = table.locator("thead th").nth(numeric[0])
        nth.locator("button").click()
        assert nth.get_attribute("aria-sort") == "descending"  # numbers: largest first
        assert th.get_attribute("aria-sort") == "none"


def test_page_language_and_traditional_source_text(page, server, picked):
    page.goto(server.url + picked["home"], wait_until="load")
    assert page.evaluate("document.documentElement.lang") == "zh-Hans"
    if "source (Traditional)" not in picked:
        pytest.skip("the library has no Traditional-script source")
    page.goto(server.url + picked["source (Traditional)"], wait_until="load")
    langs = page.evaluate(
        """() => [...document.querySelectorAll('.src-para[id^="p"]')]
            .map(p => p.closest('[lang]').getAttribute('lang'))"""
    )
    assert langs and set(langs) == {"zh-Hant"}, set(langs)
    # the Simplified reading copy below it is not marked Traditional
    simplified = page.evaluate(
        """() => [...document.querySelectorAll('.src-para[id^="s"]')].map(p => p.closest('[lang]').getAttribute('lang'))"""
    )
    assert "zh-Hant" not in simplified


# -- without a browser -----------------------------------------------------------------------------------------


def test_notes_are_joined_without_a_doubled_mark():
    assert join_notes(["文本未写明发表日期。", "作者为组织部门。"]) == "文本未写明发表日期。作者为组织部门。"
    assert join_notes(["未写年份", "未写范围。", "疑有误"]) == "未写年份；未写范围。疑有误"
    assert join_notes([]) == ""
    assert join_notes(["只有一条。"]) == "只有一条。"


def test_no_doubled_mark_on_case_pages(site, library):
    for case in library.cases:
        html = (site / "cases" / case.id / "index.html").read_text(encoding="utf-8")
        meta = html[html.index('<div class="case-meta">') :]
        meta = meta[: meta.index("</table>")]
        assert "。；" not in meta, case.id


def test_handout_prints_where_the_source_is(site, library):
    """On paper the link text 查看原文与引文位置 means nothing: the handout's metadata table prints the source
    page's address (print-only), and print.css hides the link there."""
    css = (site / "stylesheets" / "print.css").read_text(encoding="utf-8")
    assert re.search(r"\.case-meta a\.source-link\s*\{\s*display:\s*none", css)
    assert re.search(r"\.print-only\s*\{\s*display:\s*inline", css)
    for case in library.cases:
        html = (site / "print" / "cases" / case.id / "index.html").read_text(encoding="utf-8")
        m = re.search(r'<span class="print-only">([^<]*)</span>', html)
        assert m and f"sources/{case.id}/" in m.group(1), case.id


def test_traditional_quotes_are_marked_wherever_they_appear(site, library):
    """Quotes of a Traditional-script source are inside lang="zh-Hant" on mechanism pages and handouts."""
    from html import escape

    hant = [c for c in library.cases if c.data.source.script == "zh-Hant"]
    if not hant:
        pytest.skip("the library has no Traditional-script source")
    case = hant[0]
    handout = (site / "print" / "cases" / case.id / "index.html").read_text(encoding="utf-8")
    quotes = [v.data.quote for v in case.values if getattr(v.data, "quote", None)]
    assert quotes
    for q in quotes:
        assert f'<span lang="zh-Hant">{escape(q, quote=False)}</span>' in handout, q
    for tag in case.tags:
        page = (site / "mechanisms" / tag.definition.id / "index.html").read_text(encoding="utf-8")
        for cite in tag.citations:
            assert f'<span lang="zh-Hant">{escape(cite.quote, quote=False)}</span>' in page
