"""Render every printed handout and the whole-library edition to PDF with headless Chromium.

    python3 tasks.py pdf            # -> output/pdf/
    python -m casebook.pdf --site site --out output/pdf

Uses Debian's Chromium (installed with fonts-noto-cjk through apt-get when missing and run as root),
driven by Playwright, on the built site served on 127.0.0.1. File names are stable:
``case-<id>.pdf``, ``mechanism-<id>.pdf`` and ``casebook-edition.pdf`` (with ``casebook-edition-<k>.pdf`` for
the volumes of a library of more than 50 cases).
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
from pathlib import Path

CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")
# Flags for a closed network: no background requests, no sandbox as root.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--font-render-hinting=none"]


def find_chromium() -> str | None:
    for path in (os.environ.get("CASEBOOK_CHROMIUM"), *CHROMIUM_CANDIDATES):
        if path and Path(path).exists():
            return path
    return shutil.which("chromium")


def has_cjk_font() -> bool:
    try:
        out = subprocess.run(["fc-list", ":lang=zh"], capture_output=True, text=True, check=False).stdout
    except FileNotFoundError:
        return False
    return "Noto Sans CJK" in out or "Noto Serif CJK" in out


def ensure_browser(install: bool = True) -> str:
    """Path of a Chromium with Noto CJK fonts available; install them with apt-get if allowed."""
    chromium = find_chromium()
    if (chromium is None or not has_cjk_font()) and install and shutil.which("apt-get") and os.geteuid() == 0:
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        subprocess.run(["apt-get", "update", "-qq"], check=False, env=env)
        subprocess.run(["apt-get", "install", "-y", "-qq", "chromium", "fonts-noto-cjk"], check=True, env=env)
        chromium = find_chromium()
    if chromium is None:
        raise SystemExit("casebook pdf: Chromium not found; install Debian's `chromium` and `fonts-noto-cjk` "
                         "(or set CASEBOOK_CHROMIUM to a Chromium binary)")
    if not has_cjk_font():
        raise SystemExit("casebook pdf: no Noto CJK font; install `fonts-noto-cjk`")
    return chromium


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


class SiteServer:
    """The built site on http://127.0.0.1:<free port>/ for as long as the context lasts."""

    def __init__(self, site: Path):
        handler = functools.partial(_Quiet, directory=str(site))
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/"

    def __enter__(self):
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc):
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
    volumes = sorted((int(page.parent.name.removeprefix("edition-")), page.parent.name)
                     for page in (site / "print").glob("edition-*/index.html")
                     if page.parent.name.removeprefix("edition-").isdigit())
    out += [(f"print/{name}/", f"casebook-{name}.pdf") for _, name in volumes]
    return out


def launch(chromium: str):
    """A Playwright browser on the given Chromium (Playwright downloads nothing)."""
    from playwright.sync_api import sync_playwright

    pw = sync_playwright().start()
    browser = pw.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS, headless=True)
    return pw, browser


def print_pdf(browser, url: str, target: Path, fix: bool = True) -> None:
    """Print one page to PDF; with ``fix``, repair its text layer (see pdf_text) before returning."""
    page = browser.new_page()
    try:
        page.goto(url, wait_until="load")
        page.emulate_media(media="print")
        page.evaluate("document.fonts.ready")
        page.pdf(path=str(target), prefer_css_page_size=True, print_background=False, display_header_footer=False)
    finally:
        page.close()
    if fix:
        from .pdf_text import fix_text_layer

        fix_text_layer(target)


async def _render_async(site: Path, out: Path, chromium: str, jobs: int) -> list[Path]:
    import asyncio
    from concurrent.futures import ProcessPoolExecutor

    from playwright.async_api import async_playwright

    from .pdf_text import fix_text_layer

    import multiprocessing

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
                        await page.pdf(path=str(target), prefer_css_page_size=True, print_background=False,
                                       display_header_footer=False)
                    finally:
                        await page.close()
                # the text layer is repaired in a worker process while Chromium prints the next page
                await loop.run_in_executor(pool, fix_text_layer, target)
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
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-f",
                             str(root / "mkdocs.yml"), "-d", str(site)], env=env, cwd=root)
    if result.returncode != 0:
        raise SystemExit(result.returncode)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m casebook.pdf", description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=Path.cwd())
    parser.add_argument("--site", type=Path, help="an already built site (default: build one)")
    parser.add_argument("--out", type=Path, default=Path("output/pdf"))
    parser.add_argument("--no-install", action="store_true", help="never run apt-get")
    args = parser.parse_args(argv)
    chromium = ensure_browser(install=not args.no_install)
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
