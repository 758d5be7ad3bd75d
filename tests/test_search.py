"""Search in a real browser: Chinese queries in both scripts find the pages that hold them, through the header
search box, with nothing requested from another host."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest


def _search(browser, server, query: str, path: str = "") -> tuple[list[str], list[str]]:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    hosts: list[str] = []
    page.on("request", lambda req: hosts.append(urlparse(req.url).netloc))
    page.goto(server.url + path, wait_until="load")
    page.keyboard.press("/")  # Material's shortcut focuses the search box
    page.keyboard.type(query)
    page.wait_for_selector(".pagefind-ui__result-link", timeout=20_000)
    links = _settled_links(page)
    page.close()
    return links, hosts


def _settled_links(page, timeout_s: float = 20.0) -> list[str]:
    """The result links once the results stop changing. Pagefind's UI searches as the query is typed and fills
    in results one by one, so the first links shown can be an earlier, partial list."""
    import time

    read = "els => els.map(e => e.getAttribute('href'))"
    deadline = time.monotonic() + timeout_s
    previous = None
    while time.monotonic() < deadline:
        links = page.eval_on_selector_all(".pagefind-ui__result-link", read)
        loading = page.query_selector(".pagefind-ui__loading") is not None
        if not loading and links and links == previous:
            return links
        previous = links
        page.wait_for_timeout(300)
    return previous or []


def _pages(links: list[str]) -> list[str]:
    """Result pages in order, once each (a page's sub-results follow it)."""
    out: list[str] = []
    for link in links:
        path = link.split("?")[0].split("#")[0]
        if path not in out:
            out.append(path)
    return out


@pytest.mark.parametrize(
    "query, expected",
    [
        ("网格员", "/mechanisms/grid_governance/"),
        ("双报到", "/mechanisms/member_reporting/"),
        ("红色物业", "/mechanisms/red_property/"),
    ],
)
def test_simplified_query_finds_its_mechanism_page(browser, server, query, expected):
    links, hosts = _search(browser, server, query, "cases/karamay/")
    assert expected in _pages(links)[:5], links
    assert set(hosts) == {urlparse(server.url).netloc}  # no third-party request
    assert all("h=" in link for link in links)  # the query is highlighted on the page a result opens


def test_traditional_query_finds_the_traditional_source(browser, server):
    links, _ = _search(browser, server, "社區黨組織")
    assert {"/sources/baicheng/", "/sources/ordos/"} & set(_pages(links)[:5]), links


def test_result_page_highlights_the_query(browser, server):
    page = browser.new_page()
    page.goto(server.url + "mechanisms/member_reporting/?h=双报到", wait_until="load")
    page.wait_for_selector("mark.pagefind-highlight", timeout=10_000)
    assert page.inner_text("mark.pagefind-highlight") == "双报到"
    page.close()
