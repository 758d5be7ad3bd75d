"""Printed pages in a real browser: Playwright driving Debian's Chromium.

Locally, without Chromium these tests are skipped with a reason; in CI (CI=true or
CASEBOOK_REQUIRE_BROWSER=1) a missing browser is a failure, and .ci/run installs it.
"""

from __future__ import annotations

import re
import subprocess

import pytest

from conftest import REQUIRED

from casebook.pdf import find_chromium, print_pdf

A4_PRINTABLE_PX = round((210 - 32) / 25.4 * 96)  # A4 width less the 16 mm side margins, in CSS px


def _pdf_text(path) -> str:
    from pypdf import PdfReader

    reader = PdfReader(str(path))
    return "".join(page.extract_text() or "" for page in reader.pages)


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text).replace("，", ",")


@pytest.mark.parametrize("kind, ident", [("cases", "karamay"), ("cases", "ordos"), ("mechanisms", "grid_governance")])
def test_handout_pdf_holds_every_quote_and_citation(browser, server, library, tmp_path, kind, ident):
    target = tmp_path / f"{ident}.pdf"
    print_pdf(browser, f"{server.url}print/{kind}/{ident}/", target)
    text = _squash(_pdf_text(target))
    assert "城市基层党建比较案例库" in text  # running header: real Chinese text in the text layer
    # copied text is the page's text: no radical or look-alike dash where the page has an ideograph or a dash
    assert not re.findall("[\u2e80-\u2fdf\u2012\u2015]", text)
    expected = []
    if kind == "cases":
        case = library.case(ident)
        for v in case.values:
            if v.citation:
                expected.append((v.data.quote, f"{case.data.city}¶{v.citation.paragraph}"))
    else:
        for case in library.cases:
            for t in case.tags:
                if t.data.mechanism == ident:
                    expected += [(c.quote, f"{case.data.city}¶{c.paragraph}") for c in t.citations]
    assert expected
    for quote, cite in expected:
        assert _squash(quote) in text, quote
        assert cite in text, cite
    from pypdf import PdfReader

    for page in PdfReader(str(target)).pages:
        fonts = page.get("/Resources", {}).get("/Font", {})
        for name, ref in fonts.items():
            font = ref.get_object()
            assert "/ToUnicode" in font, f"{name}: text would not be copyable"


def test_print_is_set_in_the_truetype_faces_without_fallback(browser, server):
    """Handouts are set in AR PL UMing CN with WenQuanYi Micro Hei as its bold (TrueType outlines, which Chromium
    embeds as subset CID fonts; see print.css): no glyph falls back to Noto CJK, whose CFF glyphs would print as
    Type 3, and none is missing. DejaVu Sans (TrueType too) only for symbols the CJK faces lack."""
    page = browser.new_page()
    page.goto(f"{server.url}print/mechanisms/grid_governance/")
    page.emulate_media(media="print")
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument", {"depth": -1})["root"]["nodeId"]
    families: dict[str, int] = {}
    for selector in ("h1", "h2", ".md-typeset p", ".md-typeset blockquote p", ".md-typeset td", ".md-typeset strong"):
        for node in cdp.send("DOM.querySelectorAll", {"nodeId": root, "selector": selector})["nodeIds"][:20]:
            for f in cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]:
                families[f["familyName"]] = families.get(f["familyName"], 0) + f["glyphCount"]
    page.close()
    assert {"AR PL UMing CN", "WenQuanYi Micro Hei"} <= set(families), families
    assert set(families) <= {"AR PL UMing CN", "WenQuanYi Micro Hei", "DejaVu Sans"}, families


@pytest.mark.parametrize(
    "url",
    [
        "print/cases/yanbian/",
        "print/mechanisms/member_reporting/",
        "compare/participation/",
        "sources/ordos/",
        "print/edition/",
    ],
)
def test_nothing_is_wider_than_the_printable_area(browser, server, url):
    page = browser.new_page(viewport={"width": A4_PRINTABLE_PX, "height": 1000})
    page.goto(server.url + url)
    page.emulate_media(media="print")
    too_wide = page.evaluate(
        """(limit) => {
        const out = [];
        for (const el of document.querySelectorAll('article table, article svg, article blockquote, article mark, article pre')) {
            const r = el.getBoundingClientRect();
            if (r.width === 0) continue;
            if (r.right > limit + 1 || r.left < -1) out.push(el.tagName + ' ' + Math.round(r.left) + '..' + Math.round(r.right));
        }
        return out;
    }""",
        A4_PRINTABLE_PX,
    )
    page.close()
    assert not too_wide, too_wide


@pytest.mark.parametrize("url", ["cases/karamay/", "mechanisms/grid_governance/", "print/cases/karamay/"])
def test_no_interactive_chrome_in_print(browser, server, url):
    page = browser.new_page(viewport={"width": 1280, "height": 1000})
    page.goto(server.url + url)
    page.emulate_media(media="print")
    visible = page.evaluate("""() => {
        const sel = ['.md-header', '.md-tabs', '.md-sidebar', '.md-search', '.md-footer', '.md-top', 'button',
                     'input', '.md-content__button', '.headerlink', '.handout-link', 'nav'];
        const out = [];
        for (const s of sel) for (const el of document.querySelectorAll(s)) {
            const r = el.getBoundingClientRect();
            const st = getComputedStyle(el);
            if (st.display !== 'none' && st.visibility !== 'hidden' && r.width > 0 && r.height > 0) out.push(s);
        }
        return out;
    }""")
    page.close()
    assert not visible, visible


def test_citations_and_pinyin_print_as_text(browser, server, library):
    page = browser.new_page()
    page.goto(server.url + "cases/karamay/")
    page.emulate_media(media="print")
    shown = page.evaluate("""() => ({
        cites: [...document.querySelectorAll('.print-cite')].filter(e => getComputedStyle(e).display !== 'none').length,
        pinyin: [...document.querySelectorAll('.print-pinyin')].filter(e => getComputedStyle(e).display !== 'none').length,
    })""")
    page.emulate_media(media="screen")
    on_screen = page.evaluate("""() => [...document.querySelectorAll('.print-cite, .print-pinyin')]
        .filter(e => getComputedStyle(e).display !== 'none').length""")
    page.close()
    assert shown["cites"] == len(library.case("karamay").values)
    assert shown["pinyin"] > 0
    assert on_screen == 0


def test_pdf_command_renders_every_handout(site, tmp_path, library):
    """`python3 tasks.py pdf` (here on the already built site): stable names, one file per handout."""
    if find_chromium() is None and not REQUIRED:
        pytest.skip("Chromium not installed")
    import sys

    out = tmp_path / "pdf"
    result = subprocess.run(
        [sys.executable, "-m", "casebook.pdf", "--site", str(site), "--out", str(out), "--no-install"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    names = sorted(p.name for p in out.glob("*.pdf"))
    expected = sorted(
        [f"case-{c.id}.pdf" for c in library.cases]
        + [f"mechanism-{m}.pdf" for m in library.mechanisms]
        + ["casebook-edition.pdf"]
    )
    assert names == expected
    edition = _squash(_pdf_text(out / "casebook-edition.pdf"))
    for case in library.cases:
        assert case.data.city in edition


def test_a_large_library_prints_in_volumes_holding_each_case_once(tmp_path):
    """Above 50 cases the print edition is a cover with a table of volumes, and each volume holds its own
    cases with only their mechanism evidence and comparison values; no case is lost or printed twice."""
    import sys

    from conftest import ROOT

    from casebook.pdf import handouts
    from casebook.routes import EDITION_CASES_PER_VOLUME
    from casebook.site import SiteBuild

    sys.path.insert(0, str(ROOT / "benchmarks"))
    from generate import generate

    n = EDITION_CASES_PER_VOLUME + 7
    build = SiteBuild.prepare(generate(n, tmp_path / "lib"))
    cases = build.library.cases
    volumes = sorted(
        (p for p in build.routes.routes if re.fullmatch(r"print/edition-\d+\.md", p)),
        key=lambda p: int(re.search(r"\d+", p).group()),
    )
    assert volumes == ["print/edition-1.md", "print/edition-2.md"]
    pages = {uri: build.renderer.render(uri) for uri in ["print/edition.md", "print/index.md", *volumes]}
    cover = pages["print/edition.md"]
    assert 'href="../edition-1/"' in cover and 'href="../edition-2/"' in cover and "casebook-edition-2.pdf" in cover
    assert "第 2 册（共 2 册）" in pages[volumes[1]]
    printed = []
    for k, page in enumerate(volumes):
        ids = re.findall(r'<h2 id="c-([a-z0-9_-]+)">', pages[page])
        printed += ids
        own = {c.id for c in cases[k * EDITION_CASES_PER_VOLUME : (k + 1) * EDITION_CASES_PER_VOLUME]}
        assert set(ids) == own
        # comparison rows and mechanism evidence name only this volume's cases
        assert set(re.findall(r'data-case="([^"]+)"', pages[page])) <= own
        assert set(re.findall(r'href="\.\./\.\./cases/([^/"]+)/"', pages[page])) <= own
    assert sorted(printed) == sorted(c.id for c in cases)
    assert 'href="edition-2/"' in pages["print/index.md"]
    from casebook.routes import page_uris

    groups = sorted({v.definition.group for c in cases for v in c.values})
    assert page_uris(
        [c.id for c in cases], groups, list(build.library.mechanisms), bool(build.library.glossary)
    ) == set(build.routes.routes)
    # and the PDF list names every volume, in order
    site = tmp_path / "site"
    for page in ["print/edition", "print/edition-1", "print/edition-2", "print/edition-10"]:
        (site / page).mkdir(parents=True)
        (site / page / "index.html").write_text("x", encoding="utf-8")
    assert [name for _, name in handouts(site)][-4:] == [
        "casebook-edition.pdf",
        "casebook-edition-1.pdf",
        "casebook-edition-2.pdf",
        "casebook-edition-10.pdf",
    ]
