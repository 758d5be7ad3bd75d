"""Render every printed handout and the whole-library edition to PDF with headless Chromium.

    python3 tasks.py pdf            # -> output/pdf/
    python -m casebook.pdf --site site --out output/pdf
    python -m casebook.pdf --ensure-browser   # only install/check Chromium and the fonts (tasks.py test runs it)

Uses Debian's Chromium (or, where there is none, the one `playwright install chromium` downloaded), driven
by Playwright, on the built site served on 127.0.0.1. When Chromium or the fonts are missing and this runs as
root or with passwordless sudo, they are installed with apt-get; otherwise it stops with the command to run
(``INSTALL_COMMAND``). Needs the ``[pdf]`` extra (playwright, pypdf, fonttools). File names are stable:
``case-<id>.pdf``, ``mechanism-<id>.pdf`` and ``casebook-edition.pdf`` (with ``casebook-edition-<k>.pdf`` for
the volumes of a library of more than 50 cases). The build publishes the same files in the site's ``pdf/``
folder (casebook.site_pdf).

Handouts are set in two faces with TrueType outlines (AR PL UMing CN and WenQuanYi Micro Hei, see
docs/stylesheets/print.css), which Chromium embeds as subset CID fonts; each PDF is then finished by
casebook.pdf_finish (fonts Chromium embedded whole are subset, print dates removed).
"""

from __future__ import annotations

import argparse
import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Playwright

CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")
# Flags for a closed network: no background requests, no sandbox as root.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--font-render-hinting=none",
]


# Debian packages the print tests, the build's PDFs and `tasks.py pdf` need, and the command an editor runs to
# install them: Chromium; Noto CJK, the screen pages' CJK font; the two print faces with TrueType outlines
# (fonts-arphic-uming: AR PL UMing CN, the text face; fonts-wqy-microhei: WenQuanYi Micro Hei, its bold);
# poppler-utils (pdffonts/pdftotext, for looking at a PDF by hand); fontconfig (fc-list, which finds the fonts).
APT_PACKAGES = (
    "chromium",
    "fonts-noto-cjk",
    "fonts-arphic-uming",
    "fonts-wqy-microhei",
    "poppler-utils",
    "fontconfig",
)
# The font families each font package gives (as fc-list names them).
FONT_PACKAGES = {
    "fonts-noto-cjk": ("Noto Sans CJK SC", "Noto Serif CJK SC"),
    "fonts-arphic-uming": ("AR PL UMing CN",),
    "fonts-wqy-microhei": ("WenQuanYi Micro Hei",),
}
INSTALL_COMMAND = "sudo apt-get install -y " + " ".join(APT_PACKAGES)


@functools.cache
def playwright_chromium() -> str | None:
    """The Chromium that `python -m playwright install chromium` downloaded, if any (None without the [pdf]
    extra or without that download)."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None
    try:
        with sync_playwright() as pw:
            path = pw.chromium.executable_path
    except Exception:  # the driver could not start (or runs inside an event loop): no Chromium from it
        return None
    return path if Path(path).is_file() else None


def find_chromium() -> str | None:
    """A Chromium binary: $CASEBOOK_CHROMIUM, the system's Chromium or Chrome, else Playwright's download.
    CASEBOOK_CHROMIUM=none: no Chromium, as on a machine without one (a build then makes no PDF)."""
    if os.environ.get("CASEBOOK_CHROMIUM") == "none":
        return None
    for path in (os.environ.get("CASEBOOK_CHROMIUM"), *CHROMIUM_CANDIDATES):
        if path and Path(path).exists():
            return path
    return shutil.which("chromium") or playwright_chromium()


def _zh_families() -> str:
    try:
        return subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True, check=False).stdout
    except FileNotFoundError:
        return ""


def missing_fonts() -> list[str]:
    """The font packages of FONT_PACKAGES none of whose families fontconfig knows."""
    families = _zh_families()
    return [pkg for pkg, names in FONT_PACKAGES.items() if not any(name in families for name in names)]


def has_cjk_font() -> bool:
    """Noto CJK (the screen pages) and both print faces (the PDFs) are installed."""
    return not missing_fonts()


def missing_packages() -> list[str]:
    """The APT_PACKAGES that are not installed (Chromium counts as installed when any Chromium is found)."""
    fonts = set(missing_fonts())
    present = {
        "chromium": find_chromium() is not None,
        **{pkg: pkg not in fonts for pkg in FONT_PACKAGES},
        "poppler-utils": shutil.which("pdffonts") is not None,
        "fontconfig": shutil.which("fc-list") is not None,
    }
    return [name for name in APT_PACKAGES if not present[name]]


def root_prefix() -> list[str] | None:
    """How to run apt-get as root here: [] as root, ["sudo", "-n"] with passwordless sudo, None if we cannot."""
    if shutil.which("apt-get") is None:
        return None
    if os.geteuid() == 0:
        return []
    if shutil.which("sudo") and subprocess.run(["sudo", "-n", "true"], capture_output=True).returncode == 0:
        return ["sudo", "-n"]
    return None


def _is_ubuntu() -> bool:
    try:
        text = Path("/etc/os-release").read_text(encoding="utf-8")
    except OSError:
        return False
    return any(line.strip() in ("ID=ubuntu", 'ID="ubuntu"') for line in text.splitlines())


def install_packages(packages: Sequence[str], prefix: list[str]) -> bool:
    """Install ``packages`` with apt-get (run through ``prefix``); True if every command succeeded.

    On Ubuntu the ``chromium`` package is only a stub that installs a snap, so Chromium comes from
    ``python -m playwright install --with-deps chromium`` there instead."""
    packages = list(packages)
    ok = True
    if "chromium" in packages and _is_ubuntu():
        packages.remove("chromium")
        ok = subprocess.run([sys.executable, "-m", "playwright", "install", "--with-deps", "chromium"]).returncode == 0
        playwright_chromium.cache_clear()
    if packages:
        apt = [*prefix, "env", "DEBIAN_FRONTEND=noninteractive", "apt-get"]
        subprocess.run([*apt, "update", "-qq"], check=False)
        ok = subprocess.run([*apt, "install", "-y", "-qq", *packages]).returncode == 0 and ok
        if shutil.which("fc-cache"):
            subprocess.run(["fc-cache", "-f"], capture_output=True, check=False)
    return ok


class BrowserMissing(Exception):
    """Chromium or the CJK fonts are missing and could not be installed; the message says how to."""


def missing_message(what: Sequence[str], tried: bool) -> str:
    """What is missing and the exact command that installs it."""
    why = (
        "Installing them with apt-get did not succeed."
        if tried
        else "`python3 tasks.py test` and `python3 tasks.py pdf` install them only when run as root or with "
        "passwordless sudo, on a system with apt-get."
    )
    return (
        f"{' and '.join(what)} {'is' if len(what) == 1 else 'are'} missing: the print tests and PDFs need "
        f"Chromium and the CJK fonts. {why} Install them with:\n\n"
        f"    {INSTALL_COMMAND}\n\n"
        "On Ubuntu, whose chromium package is a snap, install Playwright's Chromium instead: "
        "`.venv/bin/python -m playwright install --with-deps chromium` and "
        f"`sudo apt-get install -y {' '.join(p for p in APT_PACKAGES if p != 'chromium')}`. "
        "A Chromium elsewhere can be named with "
        "CASEBOOK_CHROMIUM=/path/to/chromium. To run the tests without the browser tests: "
        "CASEBOOK_SKIP_BROWSER=1 python3 tasks.py test"
    )


def ensure_browser(install: bool = True) -> str:
    """Path of a Chromium with the CJK fonts available; install what is missing with apt-get if allowed.

    Raises BrowserMissing, whose message gives the install command, when they are missing and cannot be
    installed."""
    chromium, fonts = find_chromium(), has_cjk_font()
    tried = False
    if (chromium is None or not fonts) and install:
        prefix = root_prefix()
        if prefix is not None:
            need = missing_packages()
            print(f"installing {' '.join(need)} …", file=sys.stderr, flush=True)
            install_packages(need, prefix)
            tried = True
            chromium, fonts = find_chromium(), has_cjk_font()
    if chromium is None or not fonts:
        what = [name for name, ok in (("Chromium", chromium is not None), ("the CJK fonts", fonts)) if not ok]
        raise BrowserMissing(missing_message(what, tried))
    return chromium


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


class SiteServer:
    """The built site on http://127.0.0.1:<free port>/ for as long as the context lasts."""

    def __init__(self, site: Path):
        handler = functools.partial(_Quiet, directory=str(site))
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/"

    def __enter__(self) -> SiteServer:
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def handouts(site: Path) -> list[tuple[str, str]]:
    """(site path, pdf file name) of every handout, in a stable order."""
    out = []
    for kind, prefix in (("cases", "case"), ("mechanisms", "mechanism")):
        folder = site / "print" / kind
        for page in sorted(folder.glob("*/index.html")):
            out.append((f"print/{kind}/{page.parent.name}/", f"{prefix}-{page.parent.name}.pdf"))
    out.append(("print/edition/", "casebook-edition.pdf"))
    volumes = sorted(
        (int(page.parent.name.removeprefix("edition-")), page.parent.name)
        for page in (site / "print").glob("edition-*/index.html")
        if page.parent.name.removeprefix("edition-").isdigit()
    )
    out += [(f"print/{name}/", f"casebook-{name}.pdf") for _, name in volumes]
    return out


def launch(chromium: str) -> tuple[Playwright, Browser]:
    """A Playwright browser on the given Chromium (Playwright downloads nothing)."""
    from playwright.sync_api import sync_playwright

    pw = sync_playwright().start()
    browser = pw.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS, headless=True)
    return pw, browser


def print_pdf(browser: Browser, url: str, target: Path, finish: bool = True) -> None:
    """Print one page to PDF; with ``finish``, finish it (see pdf_finish) before returning."""
    page = browser.new_page()
    try:
        page.goto(url, wait_until="load")
        page.emulate_media(media="print")
        page.evaluate("document.fonts.ready")
        page.pdf(path=str(target), prefer_css_page_size=True, print_background=False, display_header_footer=False)
    finally:
        page.close()
    if finish:
        from .pdf_finish import finish_pdf

        finish_pdf(target)


async def _render_async(site: Path, out: Path, chromium: str, jobs: int) -> list[Path]:
    import asyncio
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    from playwright.async_api import async_playwright

    from .pdf_finish import finish_pdf

    loop = asyncio.get_running_loop()
    gate = asyncio.Semaphore(jobs)
    # spawn, not fork: this process runs the HTTP server thread and Playwright's driver
    spawn = multiprocessing.get_context("spawn")
    with SiteServer(site) as server, ProcessPoolExecutor(max_workers=jobs, mp_context=spawn) as pool:
        async with async_playwright() as pw:
            browser = await pw.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS, headless=True)

            async def one(path: str, target: Path) -> Path:
                async with gate:
                    page = await browser.new_page()
                    try:
                        await page.goto(server.url + path, wait_until="load")
                        await page.emulate_media(media="print")
                        await page.evaluate("document.fonts.ready")
                        await page.pdf(
                            path=str(target),
                            prefer_css_page_size=True,
                            print_background=False,
                            display_header_footer=False,
                        )
                    finally:
                        await page.close()
                # the file is finished in a worker process while Chromium prints the next page
                await loop.run_in_executor(pool, finish_pdf, target, server.url)
                return target

            try:
                return list(await asyncio.gather(*(one(path, out / name) for path, name in handouts(site))))
            finally:
                await browser.close()


def render_all(site: Path, out: Path, chromium: str, jobs: int | None = None) -> list[Path]:
    """Print every handout to ``out``, a few pages at a time (one per core by default)."""
    import asyncio

    out.mkdir(parents=True, exist_ok=True)
    return asyncio.run(_render_async(site, out, chromium, jobs or max(2, os.cpu_count() or 1)))


def build_site(root: Path, site: Path) -> None:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-f", str(root / "mkdocs.yml"), "-d", str(site)],
        env=env,
        cwd=root,
    )
    if result.returncode != 0:
        raise SystemExit(result.returncode)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m casebook.pdf", description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--root", type=Path, default=Path.cwd())
    parser.add_argument("--site", type=Path, help="an already built site (default: build one)")
    parser.add_argument("--out", type=Path, default=Path("output/pdf"))
    parser.add_argument("--no-install", action="store_true", help="never run apt-get")
    parser.add_argument(
        "--ensure-browser",
        action="store_true",
        help="only make sure Chromium and the CJK fonts are there (installing them if allowed)",
    )
    parser.add_argument(
        "--if-allowed",
        action="store_true",
        help="with --ensure-browser: install what is missing only if apt-get may run, and never fail "
        "(`tasks.py build`, whose PDFs are optional)",
    )
    args = parser.parse_args(argv)
    if args.ensure_browser and args.if_allowed:
        if (find_chromium() is None or not has_cjk_font()) and root_prefix() is not None:
            try:
                ensure_browser(install=True)
            except BrowserMissing:
                pass  # the build says so, in one line
        return 0
    try:
        chromium = ensure_browser(install=not args.no_install)
    except BrowserMissing as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    if args.ensure_browser:
        print(f"Chromium: {chromium}; CJK fonts: installed")
        return 0
    site = args.site
    if site is None:
        site = args.root / "output" / "site-for-pdf"
        if site.exists():
            shutil.rmtree(site)
        build_site(args.root, site)
    written = render_all(site, args.out, chromium)
    for path in written:
        print(path)
    print(f"{len(written)} PDF files in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
