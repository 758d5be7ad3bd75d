"""The PDFs the build publishes (site/pdf/): real embedded fonts, a text layer that needs no repair, pages that
link each PDF with its size, and a build that goes on without them where Chromium is missing.

The cases and mechanisms are picked from the library, whatever it holds. Without Chromium these tests fail
with the install command (skipped only with CASEBOOK_SKIP_BROWSER=1), as the browser tests do; the
no-Chromium build is tested on a copy of the project, whatever this machine has.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import REQUIRED, run_build

from casebook.pdf_links import human_size, settle
from casebook.routes import PDF_FOLDER


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def published(site) -> list[Path]:
    pdfs = sorted((site / PDF_FOLDER).glob("*.pdf"))
    if not pdfs:
        if REQUIRED:
            pytest.fail(
                "the build published no PDF: Chromium or the print fonts are missing "
                "(`python3 tasks.py test` installs them when it may, and says how otherwise)",
                pytrace=False,
            )
        pytest.skip("browser tests skipped: CASEBOOK_SKIP_BROWSER=1")
    return pdfs


def _fonts(reader) -> list:
    """Every font of every page, its form XObjects included (Chromium draws running headers as forms)."""
    out, seen = [], set()

    def walk(resources) -> None:
        resources = resources.get_object() if resources is not None else {}
        for ref in resources.get("/Font", {}).values():
            if ref.idnum not in seen:
                seen.add(ref.idnum)
                out.append(ref.get_object())
        for ref in resources.get("/XObject", {}).values():
            xobject = ref.get_object()
            if ref.idnum not in seen and xobject.get("/Subtype") == "/Form":
                seen.add(ref.idnum)
                walk(xobject.get("/Resources"))

    for page in reader.pages:
        walk(page.get("/Resources"))
    return out


def _text(path: Path) -> str:
    """pdftotext's text where poppler is installed, else pypdf's: as a reader copying from the PDF gets it."""
    if shutil.which("pdftotext"):
        return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    from pypdf import PdfReader

    return "".join(page.extract_text() or "" for page in PdfReader(str(path)).pages)


def test_every_published_pdf_embeds_subset_truetype_fonts_and_no_type3(site, library, published):
    from pypdf import PdfReader

    from casebook.pdf_finish import WHOLE_FONT_BYTES

    expected = {f"case-{c.id}.pdf" for c in library.cases} | {f"mechanism-{m}.pdf" for m in library.mechanisms}
    assert expected | {"casebook-edition.pdf"} <= {p.name for p in published}
    for path in published:
        fonts = _fonts(PdfReader(str(path)))
        assert fonts, path.name
        for font in fonts:
            assert font["/Subtype"] == "/Type0", f"{path.name}: a {font['/Subtype']} font"
            cid = font["/DescendantFonts"][0].get_object()
            assert cid["/Subtype"] == "/CIDFontType2", f"{path.name}: {cid['/Subtype']}"
            assert re.fullmatch(r"/[A-Z]{6}\+\S+", str(font["/BaseFont"])), font["/BaseFont"]  # a subset
            program = cid["/FontDescriptor"].get_object()["/FontFile2"].get_object()
            assert int(program["/Length1"]) <= WHOLE_FONT_BYTES, f"{path.name}: a whole font is embedded"
            assert "/ToUnicode" in font, f"{path.name}: text would not be copyable"
        if shutil.which("pdffonts"):
            listing = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
            assert "Type 3" not in listing, listing


def test_handout_text_is_the_pages_text_without_repair(site, library, published):
    """What a reader copies from a handout is its text: every quote, citation and the running header, with no
    radical or look-alike dash standing in for an ideograph or a dash (nothing repairs the text layer)."""
    case = max(library.cases, key=lambda c: len(c.values))
    text = _squash(_text(site / PDF_FOLDER / f"case-{case.id}.pdf"))
    assert "城市基层党建比较案例库" in text and case.data.city in text
    assert not re.findall("[\u2e80-\u2fdf\u2012\u2015\uf900-\ufaff]", text)
    quotes = [(v.data.quote, f"{case.data.city}¶{v.citation.paragraph}") for v in case.values if v.citation]
    assert quotes
    for quote, cite in quotes:
        assert _squash(quote) in text, quote
        assert cite in text, cite
    mechanism = next(iter(library.mechanisms))
    evidence = [c.quote for k in library.cases for t in k.tags if t.data.mechanism == mechanism for c in t.citations]
    text = _squash(_text(site / PDF_FOLDER / f"mechanism-{mechanism}.pdf"))
    for quote in evidence:
        assert _squash(quote) in text, quote


_PDF_LINK = re.compile(r'<a href="([^"]+\.pdf)" type="application/pdf" download="[^"]+">PDF，([^<]+)</a>')


def _links(page: Path) -> dict[str, str]:
    """PDF file (resolved from the page) -> the size the page shows."""
    html = page.read_text(encoding="utf-8")
    assert "cb-pdf" not in html  # every block settled
    return {str((page.parent / href).resolve()): size for href, size in _PDF_LINK.findall(html)}


def test_print_page_and_case_pages_link_each_pdf_with_its_size(site, library, published):
    index = site / "print" / "index.html"
    links = _links(index)
    assert {Path(p).name for p in links} == {p.name for p in published}
    for path, size in links.items():
        assert Path(path).is_file(), path
        assert size == human_size(Path(path).stat().st_size), path
    html = index.read_text(encoding="utf-8")
    article = html[html.index("<article") : html.index("</article>")]
    assert "<code>" not in article and "tasks.py" not in article
    for page, name in [
        (site / "cases" / library.cases[-1].id / "index.html", f"case-{library.cases[-1].id}.pdf"),
        (site / "mechanisms" / next(iter(library.mechanisms)) / "index.html", ""),
    ]:
        found = _links(page)
        assert len(found) == 1, page
        [(path, size)] = found.items()
        assert Path(path).is_file() and size == human_size(Path(path).stat().st_size)
        if name:
            assert Path(path).name == name


def test_without_chromium_the_build_goes_on_without_pdfs_and_says_so_once(project, tmp_path):
    site = tmp_path / "site"
    result = run_build(project, site, pdf=True, CASEBOOK_CHROMIUM="none", CI="", CASEBOOK_REQUIRE_BROWSER="")
    assert result.returncode == 0, result.stderr
    notices = [line for line in result.stderr.splitlines() if "without PDFs" in line]
    assert len(notices) == 1 and "Chromium" in notices[0], result.stderr
    assert not (site / PDF_FOLDER).exists()
    for page in site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert "cb-pdf" not in html and ".pdf" not in re.sub(r"<code>[^<]*</code>", "", html), page
    assert "PDF，" not in (site / "print" / "index.html").read_text(encoding="utf-8")


def test_where_pdfs_are_required_a_build_without_chromium_publishes_nothing(project, tmp_path):
    site = tmp_path / "site"
    result = run_build(project, site, pdf=True, CASEBOOK_CHROMIUM="none", CASEBOOK_REQUIRE_BROWSER="1")
    assert result.returncode != 0
    assert "Chromium was not found" in result.stdout + result.stderr
    assert not site.exists() and not list(tmp_path.glob(".site.*"))


def test_pdf_blocks_settle_with_sizes_or_vanish():
    html = (
        "<p>a<!--cb-pdf:*-->b<!--/cb-pdf-->c"
        '<!--cb-pdf:case-x.pdf--><a href="x">PDF，<!--cb-pdf-size--></a><!--/cb-pdf--></p>'
    )
    assert settle(html, {"case-x.pdf": 312 * 1024 - 5}) == '<p>abc<a href="x">PDF，312 KB</a></p>'
    assert settle(html, {"other.pdf": 1}) == "<p>abc</p>"
    assert settle(html, {}) == "<p>ac</p>"
    assert human_size(1) == "1 KB" and human_size(3 * 1024 * 1024 // 2) == "1.5 MB"
