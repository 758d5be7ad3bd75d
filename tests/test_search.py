"""Search in a real browser: Chinese queries in both scripts find the pages that hold them, through the header
search box, with nothing requested from another host."""

from __future__ import annotations

from urllib.parse import unquote, urlparse

import pytest

from htmlutil import Page


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
    """A Traditional query is folded to Simplified, so it ranks the pages in both scripts together (the seed's
    two Traditional sources among them; test_traditional_query_finds_both_scripts holds for any library)."""
    links, _ = _search(browser, server, "社區黨組織")
    assert links
    assert {"/sources/baicheng/", "/sources/ordos/"} <= set(_found(browser, server, "社區黨組織"))


def test_result_page_highlights_the_query(browser, server):
    page = browser.new_page()
    page.goto(server.url + "mechanisms/member_reporting/?h=双报到", wait_until="load")
    page.wait_for_selector("mark.pagefind-highlight", timeout=10_000)
    assert page.inner_text("mark.pagefind-highlight") == "双报到"
    page.close()


# -- issue 16: terms kept whole, both scripts, glossary entry first (queries chosen from the loaded library) ------


class _Visible(Page):
    """The article's text as Pagefind indexes it: without the elements casebook.search.EXCLUDED leaves out and
    those a template marks ``data-pagefind-ignore`` (the filter panels)."""

    def handle_data(self, data):
        from casebook.search import EXCLUDED

        classes = {c[1:] for c in EXCLUDED}
        left_out = any(
            classes & set((a.get("class") or "").split()) or "data-pagefind-ignore" in a for _, a in self.stack
        )
        if self._article and not left_out:
            if not any(t in ("script", "style") for t, _ in self.stack):
                self.text_parts.append(data)


@pytest.fixture(scope="module")
def indexed_texts(site) -> dict[str, str]:
    """Site path ('/cases/karamay/') of every indexed page -> its normalised article text."""
    from casebook.normalize import normalize
    from casebook.search import indexed_pages

    out = {}
    for rel in indexed_pages(site):
        folder = rel.parent.as_posix()
        path = "/" if folder == "." else f"/{folder}/"
        out[path] = normalize(_Visible((site / rel).read_text(encoding="utf-8")).text)
    return out


def _pages_with(texts: dict[str, str], *forms: str) -> set[str]:
    from casebook.normalize import normalize

    wanted = {normalize(f) for f in forms if f}
    return {p for p, t in texts.items() if any(w in t for w in wanted)}


def _found(browser, server, query: str) -> list[str]:
    """Every page Pagefind returns for the query as the search box sends it, best first."""
    page = browser.new_page()
    page.goto(server.url, wait_until="load")
    urls = page.evaluate(
        """async (q) => {
          const cb = window.casebookSearch; await cb.ready;
          const pf = await import(cb.engine);  // the module the search box's UI searches through
          const r = await pf.search(cb.processTerm(q));
          return Promise.all(r.results.map(async x => (await x.data()).url));
        }""",
        query,
    )
    page.close()
    return _pages([urlparse(u).path for u in urls])


@pytest.fixture(scope="module")
def term(library):
    """A glossary term to search for: 一肩挑 (issue 16) where the library has it, else the Han-only term of
    three characters or more that occurs in the most cases."""
    from casebook.glossary import is_han

    entries = [e for e in library.glossary or [] if e.occurrences]
    if not entries:
        pytest.skip("the library has no glossary term that occurs in a case")
    named = [e for e in entries if e.term == "一肩挑"]
    if named:
        return named[0]
    han = [e for e in entries if len(e.term) >= 3 and all(is_han(ch) for ch in e.term)] or entries
    return max(han, key=lambda e: (len({o.case_id for o in e.occurrences}), e.term))


def test_glossary_term_finds_exactly_the_pages_that_contain_it(browser, server, indexed_texts, term):
    """一肩挑 found one page, which did not contain it, while nine did: now every indexed page that contains the
    term (in any of its written forms and scripts, the glossary included) is found, and only those."""
    from casebook.glossary import written_forms

    expected = _pages_with(indexed_texts, *written_forms(term.term, term.data.aliases))
    assert "/glossary/" in expected
    assert set(_found(browser, server, term.term)) == expected


def test_glossary_term_shows_its_entry_first(browser, server, library, term):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(server.url + "cases/", wait_until="load")
    page.keyboard.press("/")
    page.keyboard.type(term.term)
    page.wait_for_selector(".cb-search-term", timeout=20_000)
    page.wait_for_selector(".pagefind-ui__result-link", timeout=20_000)
    box = page.locator(".cb-search-term")
    text = box.inner_text()
    assert term.term in text and term.pinyin in text and term.data.en in text and term.short in text
    link = box.locator("a.cb-search-term__term")
    assert urlparse(link.get_attribute("href")).path.endswith("/glossary/")
    assert unquote(urlparse(link.get_attribute("href")).fragment) == term.anchor
    cities = {c.id: c.data.city for c in library.cases}
    cases = box.locator(".cb-search-term__cases a")
    hrefs = {urlparse(cases.nth(i).get_attribute("href")).path for i in range(cases.count())}
    assert hrefs == {f"/cases/{o.case_id}/" for o in term.occurrences}
    for o in term.occurrences:
        assert cities[o.case_id] in box.inner_text()
    # the entry comes before Pagefind's results
    first = page.evaluate(
        """() => {
          const box = document.querySelector('.cb-search-term');
          const result = document.querySelector('.pagefind-ui__result');
          return !!(box.compareDocumentPosition(result) & Node.DOCUMENT_POSITION_FOLLOWING);
        }"""
    )
    assert first
    page.close()


def test_a_query_that_is_no_term_shows_no_entry(browser, server, library):
    forms = {f for e in library.glossary or [] for f in (e.term, *e.data.aliases)}
    query = next(q for q in ("党建", "社区", "城市") if q not in forms)
    page = browser.new_page()
    page.goto(server.url, wait_until="load")
    page.keyboard.press("/")
    page.keyboard.type(query)
    page.wait_for_selector(".pagefind-ui__result-link", timeout=20_000)
    _settled_links(page)
    assert page.locator(".cb-search-term").count() == 0
    page.close()


def test_a_word_is_kept_whole(browser, server, indexed_texts):
    """网格 was split into 网 + 格 and found pages with 网页 and 格; the first result opened a handout. Every page
    found now contains the query, every page that contains it is found, and no result is a print page."""
    query = "网格"
    expected = _pages_with(indexed_texts, query)
    if not expected:
        pytest.skip("the library has no page with 网格")
    found = _found(browser, server, query)
    assert set(found) == expected
    assert not any(p.startswith("/print/") for p in found)
    links, _ = _search(browser, server, query)
    assert not _pages(links)[0].startswith("/print/")


@pytest.fixture(scope="module")
def traditional(library):
    """(case, Simplified text, Traditional text): a glossary term that occurs in the source of a case in
    Traditional script, written the way that source writes it. Skips if the library has no such source."""
    from casebook.glossary import written_forms

    hant = [c for c in library.cases if c.data.source.script == "zh-Hant"]
    if not hant:
        pytest.skip("the library has no source in Traditional script")
    for case in hant:
        text = "".join(case.source.raw.split())
        for e in library.glossary or []:
            if not any(o.case_id == case.id and o.paragraph is not None for o in e.occurrences):
                continue
            for form in sorted(written_forms(e.term, e.data.aliases) - {e.term}, key=len, reverse=True):
                if len(form) >= 3 and form in text:
                    return case, e.term, form
    pytest.skip("no glossary term is written in Traditional script in a Traditional source")


def test_traditional_query_finds_both_scripts(browser, server, indexed_texts, traditional):
    """A query in Traditional script finds the Traditional source and the Simplified pages about the same thing."""
    case, simplified, written = traditional
    found = set(_found(browser, server, written))
    assert f"/sources/{case.id}/" in found
    assert found == _pages_with(indexed_texts, written)
    assert any(not p.startswith("/sources/") for p in found)


def test_simplified_query_finds_the_traditional_source(browser, server, indexed_texts, traditional):
    """No engine converted scripts: a Simplified query found a Traditional source only where the page happened to
    hold the Simplified form too. The index holds a Simplified copy of Traditional text (never shown)."""
    case, simplified, written = traditional
    found = set(_found(browser, server, simplified))
    assert f"/sources/{case.id}/" in found
    assert found == _pages_with(indexed_texts, simplified)


def test_the_copies_are_only_in_the_index(site, traditional):
    """The Simplified copy is made for Pagefind only: no served page holds it."""
    case, _, _ = traditional
    html = (site / "sources" / case.id / "index.html").read_text(encoding="utf-8")
    assert "cb-index-simplified" not in html


def test_search_box_is_labelled_and_readable(browser, server):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(server.url, wait_until="load")
    page.wait_for_selector(".pagefind-ui__search-input")
    field = page.locator(".pagefind-ui__search-input")
    assert field.get_attribute("aria-label")
    clear = page.locator(".pagefind-ui__search-clear")
    assert clear.get_attribute("tabindex") == "-1"  # invisible while the box is empty: no Tab stop
    page.keyboard.press("/")
    page.keyboard.type("社区")
    page.wait_for_selector(".pagefind-ui__result-excerpt", timeout=20_000)
    assert clear.get_attribute("tabindex") is None
    size = page.evaluate(
        "() => parseFloat(getComputedStyle(document.querySelector('.pagefind-ui__result-excerpt')).fontSize)"
    )
    assert size >= 14
    page.close()


def test_the_browser_sends_the_words_the_index_holds(browser, server, library):
    """search.js and casebook.search agree: a query's key (glossary look-up) is query_key's, and each run of
    Han characters goes to Pagefind as a quoted phrase of its characters, which is how the index holds them."""
    import re

    from casebook.search import query_key

    terms = sorted({f for e in library.glossary or [] for f in (e.term, *e.data.aliases)})[:60] + ["社區黨組織"]
    page = browser.new_page()
    page.goto(server.url, wait_until="load")
    sent = page.evaluate(
        """async (ts) => { const cb = window.casebookSearch; await cb.ready;
            return ts.map(t => [cb.key(t), cb.processTerm(t)]); }""",
        terms,
    )
    page.close()
    han_run = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]{2,}")
    for t, (key, words) in zip(terms, sent):
        assert key == query_key(t), t
        runs = [r for piece in re.split(r'["“”\s]', t) for r in han_run.findall(query_key(piece))]
        phrases = re.findall(r'"([^"]*)"', words)
        for run in runs:  # a quotation mark parts runs, in the query as in the index
            assert " ".join(run) in phrases, t
        assert not han_run.search(words), t  # no run of characters left to a segmenter


def test_a_phrase_is_ranked_by_its_characters(browser, server):
    """Pagefind scores every page of a phrase search alike (in page order); the engine ranks them by the
    characters, so the mechanism page about 网格 comes before pages that mention it once."""
    page = browser.new_page()
    page.goto(server.url, wait_until="load")
    scores = page.evaluate(
        """async () => { const cb = window.casebookSearch; await cb.ready;
            const pf = await import(cb.engine);
            const r = await pf.search(cb.processTerm('网格'));
            return r.results.map(x => x.score); }"""
    )
    page.close()
    assert len(scores) > 2 and len(set(scores)) > 1
    assert scores == sorted(scores, reverse=True)


def test_index_copy_spaces_characters_and_adds_a_simplified_copy():
    from casebook.search import index_copy

    html = (
        '<html lang="zh-Hans"><head><title>原文</title></head><body><nav>導航</nav>'
        '<article><h1>原文</h1><p>社區<a href="#">黨組織</a>書記，APP平台</p></article><footer>頁腳</footer></body></html>'
    )
    copy, chars = index_copy(html)
    assert copy.startswith('<html lang="zh-Hans"><head><title>原文</title></head><body><article>')
    assert "導航" not in copy and "頁腳" not in copy  # only what Pagefind reads: the head and the article
    article = copy[copy.index("<article>") :]
    assert "社 區" in article and " 黨 組 織 " in article
    assert '<div class="cb-index-simplified">社 区 党 组 织 书 记' in article
    assert "APP" in article
    assert {"社", "区", "党"} <= chars and "導" not in chars
