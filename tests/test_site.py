"""The built site, read back as HTML: pages, values, links to highlighted passages, determinism."""

from __future__ import annotations

import filecmp
import re

from conftest import CASE_IDS, ROOT, run_build
from htmlutil import page


def test_expected_pages_are_built(site):
    for cid in CASE_IDS:
        assert (site / "cases" / cid / "index.html").exists()
        assert (site / "sources" / cid / "index.html").exists()
    assert (site / "cases" / "index.html").exists()
    assert (site / "methodology" / "index.html").exists()


def test_generated_pages_are_not_in_docs():
    generated = list((ROOT / "docs").rglob("*.md"))
    names = {p.relative_to(ROOT / "docs").as_posix() for p in generated}
    assert not any(n.startswith(("cases/", "sources/")) for n in names)


def test_case_pages_show_every_value_linking_to_a_highlighted_passage(site, library):
    for case in library.cases:
        cpage = page(site, f"cases/{case.id}")
        spage = page(site, f"sources/{case.id}")
        cited = [a for a in cpage.links if "cited-value" in (a.get("class") or "")]
        assert len(cited) == len(case.values), case.id
        for v in case.values:
            assert v.anchor in cpage.ids, (case.id, v.anchor)
        for a, v in zip(cited, case.values):
            assert float(a["data-value"]) == float(v.data.value)
            href = a["href"]
            assert href.startswith(f"../../sources/{case.id}/#"), href
            anchor = href.split("#", 1)[1]
            assert anchor in spage.in_mark_ids, f"{case.id}: {anchor} is not a highlighted passage"
            c = v.citation or v.inputs[0].citation
            passage = re.sub(r"\s+", "", case.source.raw[c.start : c.end])
            assert passage[:4] in re.sub(r"\s+", "", spage.text) or case.data.source.script == "zh-Hant"


def test_source_pages_number_paragraphs_and_link_back(site, library):
    for case in library.cases:
        spage = page(site, f"sources/{case.id}")
        for p in case.source.paragraphs:
            assert f"p{p.number}" in spage.ids
        back = [a["href"] for a in spage.links if a.get("href", "").startswith(f"../../cases/{case.id}/#v-")]
        assert {h.split("#")[1] for h in back} == {v.anchor for v in case.values if v.citation}


def test_furniture_is_marked_not_deleted(site, library):
    for case in library.cases:
        html = (site / "sources" / case.id / "index.html").read_text(encoding="utf-8")
        for p in case.source.paragraphs:
            if p.kind != "body":
                assert (
                    re.search(
                        rf'id="p{p.number}"[^>]*class="[^"]*src-furniture|class="[^"]*src-furniture[^"]*"[^>]*id="p{p.number}"',
                        html,
                    )
                    or f'id="p{p.number}"' in html
                )


def test_traditional_sources_have_a_simplified_reading(site):
    html = (site / "sources" / "ordos" / "index.html").read_text(encoding="utf-8")
    assert 'id="simplified"' in html
    assert "内蒙古鄂尔多斯市" in html  # simplified reading
    text = html.split('id="original"', 1)[1]
    assert "(nèi)" not in text and "(qū)" not in text  # artifacts removed for display
    assert "內蒙古" in text  # the original script is kept


def test_no_third_party_requests(site):
    for html_file in site.rglob("*.html"):
        html = html_file.read_text(encoding="utf-8")
        for m in re.finditer(r'<(?:script|link|img|iframe)[^>]+(?:src|href)="(https?:)?//([^"/]+)', html):
            raise AssertionError(f"{html_file}: loads from {m.group(2)}")
        assert "fonts.googleapis" not in html and "fonts.gstatic" not in html


def test_search_bundle_is_built_and_served_from_the_site(site):
    """Pagefind's bundle is part of every build; pages load its UI from this site only."""
    bundle = site / "pagefind"
    assert (bundle / "pagefind.js").exists() and (bundle / "pagefind-ui.js").exists()
    from casebook.search import INDEX_LANGUAGE

    # one index, in the language casebook.search gives it (its copies need no segmenter)
    assert [p.name.split("_")[0] for p in bundle.glob("pagefind.*.pf_meta")] == [f"pagefind.{INDEX_LANGUAGE}"]
    assert (site / "javascripts" / "phrase-search" / "pagefind.js").exists()  # the engine the search box uses
    assert not (site / "search" / "search_index.json").exists()  # Material's whole-site index is gone
    html = (site / "cases" / "karamay" / "index.html").read_text(encoding="utf-8")
    assert 'src="../../pagefind/pagefind-ui.js"' in html


def test_build_is_deterministic(site, tmp_path, monkeypatch):
    """Same input, byte-identical pages and PDFs (whose sizes the pages print): here once with the on-disk cache
    (pinyin, compiled templates) switched off, against the session's build that used it."""
    again = tmp_path / "again"
    monkeypatch.setenv("CASEBOOK_NO_CACHE", "1")
    result = run_build(ROOT, again, pdf=True)
    assert result.returncode == 0, result.stderr
    pages = sorted(p.relative_to(site) for p in [*site.rglob("*.html"), *site.rglob("*.pdf")])
    assert pages == sorted(p.relative_to(again) for p in [*again.rglob("*.html"), *again.rglob("*.pdf")])
    _, mismatch, errors = filecmp.cmpfiles(site, again, [str(p) for p in pages], shallow=False)
    assert not mismatch and not errors


def test_navigation_stops_listing_cases_in_a_large_library(library):
    """MkDocs renders the navigation into every page: a nav that grows with the library would make the build
    quadratic. Small libraries list each case and source; large ones link the cases index only."""
    import copy
    import json

    from casebook.routes import NAV_CASES_LISTED_UP_TO, RouteTable

    def nav(lib):
        return RouteTable(lib).nav()

    def entries(lib):
        return [e for section in nav(lib) for e in section.values()]

    small = entries(library)
    assert any(isinstance(e, list) and {"克拉玛依市": "cases/karamay.md"} in e for e in small)
    big = copy.copy(library)
    big.cases = library.cases * (NAV_CASES_LISTED_UP_TO // len(library.cases) + 1)
    flat = json.dumps(nav(big), ensure_ascii=False)
    assert "cases/karamay.md" not in flat and "sources/" not in flat and "cases/index.md" in flat
    assert len(flat) < len(json.dumps(nav(library), ensure_ascii=False))
