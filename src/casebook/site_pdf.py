"""The build's PDF step: every handout and the edition printed into the site's ``pdf/`` folder, and the pages'
PDF links settled (casebook.pdf_links).

The hooks run it at the end of ``mkdocs build`` (and ``gh-deploy``), on the staging folder, before the search
index and before the staging folder replaces the site (casebook.publish): a build whose printing fails
publishes nothing. The pages are printed from that folder, so each PDF is exactly its page as built.

Where Chromium, the fonts or the ``[pdf]`` extra are missing, a local build goes on without PDFs and says so
in one line; the pages then link no PDF. In CI (``CI=true`` or ``CASEBOOK_REQUIRE_BROWSER=1``) that is a
failure, since CI builds what is published. ``CASEBOOK_PDF=0`` builds without PDFs on purpose, silently (the
tests' many throw-away builds).
"""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path

from . import pdf_links
from .routes import PDF_FOLDER, RouteTable


class PdfStepFailed(Exception):
    """PDFs are required here and could not be printed; the message says why and how to install."""


def required() -> bool:
    return os.environ.get("CI") == "true" or os.environ.get("CASEBOOK_REQUIRE_BROWSER") == "1"


def wanted() -> bool:
    return os.environ.get("CASEBOOK_PDF", "1") != "0"


def _missing() -> tuple[str | None, str | None]:
    """(what is missing, None) or (None, the Chromium to print with)."""
    absent = [name for name in ("playwright", "pypdf", "fontTools") if importlib.util.find_spec(name) is None]
    if absent:
        return f"the [pdf] extra ({', '.join(absent)}) is not installed", None
    from .pdf import find_chromium, missing_fonts

    chromium = find_chromium()
    if chromium is None:
        return "Chromium was not found", None
    fonts = missing_fonts()
    if fonts:
        return f"fonts are missing ({', '.join(fonts)})", None
    return None, chromium


def page_file(site: Path, url: str) -> Path:
    """The file MkDocs writes for a page URL (``cases/x/`` -> cases/x/index.html; ``cases/x.html`` as is)."""
    return site / (url + "index.html" if url == "" or url.endswith("/") else url)


def settle_pages(site: Path, routes: RouteTable, sizes: dict[str, int]) -> None:
    """Put the PDFs' sizes into every generated page that links them; remove the links of PDFs not printed.
    Printed pages are left alone (no PDF link is printed)."""
    for route in routes:
        if route.printed:
            continue
        path = page_file(site, route.url)
        if not path.is_file():
            continue
        html = path.read_text(encoding="utf-8")
        settled = pdf_links.settle(html, sizes)
        if settled != html:
            path.write_text(settled, encoding="utf-8")


def publish_pdfs(site: Path, routes: RouteTable) -> dict[str, int]:
    """Print every handout and the edition into ``site/pdf/`` and settle the pages' links; the sizes of the
    PDFs written, by file name (empty when none could be printed, see the module's docstring)."""
    sizes: dict[str, int] = {}
    if wanted():
        problem, chromium = _missing()
        if chromium is not None:
            from .pdf import render_all

            written = render_all(site, site / PDF_FOLDER, chromium)
            sizes = {path.name: path.stat().st_size for path in written}
        elif required():
            from .pdf import INSTALL_COMMAND

            raise PdfStepFailed(
                f"casebook: {problem}, and this build must publish the PDFs (CI). Install with: {INSTALL_COMMAND}"
            )
        else:
            print(
                f"casebook: {problem}: the site is built without PDFs and links none "
                "(`python3 tasks.py build` installs what is missing when run as root or with sudo)",
                file=sys.stderr,
                flush=True,
            )
    settle_pages(site, routes, sizes)
    return sizes
