"""Site search: a Pagefind index of the built site (extended build, for Chinese word segmentation).

Material's built-in search ships one JSON index the browser downloads whole (about 1 MB for five cases,
150 MB for a thousand); Pagefind splits its index into chunks and a first query loads only what it needs.
The comparison is in benchmarks/search.md.

Only each page's ``<article>`` is indexed (not the navigation repeated on every page), as Chinese (``zh``)
for every page, so Traditional-script source text is segmented the same way. Printed handouts and the print
edition (``print/``) are not indexed: they repeat the reading pages, and a search result should open the page
a reader reads, not a handout.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import threading
from pathlib import Path

BUNDLE = "pagefind"
# Not indexed: heading permalinks (¶) and the text that only prints (citations, pinyin, notes).
EXCLUDED = (".headerlink", ".print-cite", ".print-pinyin", ".print-note", ".handout-link")
# Top-level folders of the built site that are not indexed.
NOT_INDEXED = ("print", BUNDLE, "assets", "javascripts", "stylesheets")


class SearchIndexError(Exception):
    """Pagefind could not index the site; the message says why and what to do."""


def indexed_glob(site_dir: Path) -> str:
    """Pagefind's glob for the pages it indexes: every HTML page but those under NOT_INDEXED folders."""
    parts = ["*.html"]
    for entry in sorted(p.name for p in Path(site_dir).iterdir() if p.is_dir()):
        if entry not in NOT_INDEXED:
            parts.append(f"{entry}/**/*.html")
    return "{" + ",".join(parts) + "}"


def _command(site_dir: Path) -> list[str]:
    cmd = [
        sys.executable,
        "-m",
        "pagefind",
        "--site",
        str(site_dir),
        "--output-subdir",
        BUNDLE,
        "--root-selector",
        "article",
        "--force-language",
        "zh",
        "--silent",
        "--glob",
        indexed_glob(site_dir),
    ]
    for selector in EXCLUDED:
        cmd += ["--exclude-selectors", selector]
    return cmd


def _failure(bundle: Path, returncode: int, output: str) -> SearchIndexError | None:
    if returncode == 0 and (bundle / "pagefind.js").exists():
        return None
    detail = output.strip().splitlines()[-5:]
    return SearchIndexError(
        "Pagefind could not index the site"
        + (":\n  " + "\n  ".join(detail) if detail else "")
        + "\n— install the pinned dependencies (`python3 tasks.py build` does) "
        "so that `pagefind[extended]` is present"
    )


def index_site(site_dir: Path) -> Path:
    """Write the search bundle into ``site_dir/pagefind``; return its path."""
    site_dir = Path(site_dir)
    bundle = site_dir / BUNDLE
    if bundle.exists():
        shutil.rmtree(bundle)
    try:
        result = subprocess.run(_command(site_dir), capture_output=True, text=True)
    except OSError as exc:  # pragma: no cover - a broken interpreter
        raise SearchIndexError(f"could not run Pagefind: {exc}") from None
    failure = _failure(bundle, result.returncode, result.stderr or result.stdout)
    if failure is not None:
        raise failure
    return bundle


class BackgroundIndex:
    """`mkdocs serve`: the search index written by a Pagefind process in the background after each rebuild, so
    that the changed page is served without waiting for it. The next rebuild stops an index still being written
    (it would index pages about to be replaced) before MkDocs empties the site folder."""

    def __init__(self) -> None:
        self._process: subprocess.Popen[str] | None = None
        self._thread: threading.Thread | None = None

    def start(self, site_dir: Path) -> None:
        self.cancel()
        site_dir = Path(site_dir)
        bundle = site_dir / BUNDLE
        try:
            process = subprocess.Popen(_command(site_dir), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        except OSError as exc:  # pragma: no cover - a broken interpreter
            print(f"search index not written: could not run Pagefind: {exc}", file=sys.stderr)
            return
        self._process = process

        def report() -> None:  # Pagefind's output is read as it comes, so its pipe never fills
            output = process.communicate()[0] or ""
            if process.returncode >= 0:  # < 0: stopped by cancel()
                failure = _failure(bundle, process.returncode, output)
                if failure is not None:
                    print(f"search index not written: {failure}", file=sys.stderr)

        self._thread = threading.Thread(target=report, name="pagefind", daemon=True)
        self._thread.start()

    def wait(self) -> None:
        """Until the index being written is done (tests, and a clean exit)."""
        if self._thread is not None:
            self._thread.join()
        self._process = self._thread = None

    def cancel(self) -> None:
        """Stop an index still being written."""
        if self._process is not None and self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:  # pragma: no cover
                self._process.kill()
        self.wait()


if __name__ == "__main__":  # python -m casebook.search <site>: index a site built elsewhere (benchmarks)
    index_site(Path(sys.argv[1]))
