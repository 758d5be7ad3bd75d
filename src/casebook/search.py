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


def index_site(site_dir: Path) -> Path:
    """Write the search bundle into ``site_dir/pagefind``; return its path."""
    site_dir = Path(site_dir)
    bundle = site_dir / BUNDLE
    if bundle.exists():
        shutil.rmtree(bundle)
    cmd = [sys.executable, "-m", "pagefind", "--site", str(site_dir), "--output-subdir", BUNDLE,
           "--root-selector", "article", "--force-language", "zh", "--silent", "--glob", indexed_glob(site_dir)]
    for selector in EXCLUDED:
        cmd += ["--exclude-selectors", selector]
    try:
        result = subprocess.run(cmd, capture_output=True, text=True)
    except OSError as exc:  # pragma: no cover - a broken interpreter
        raise SearchIndexError(f"could not run Pagefind: {exc}") from None
    if result.returncode != 0 or not (bundle / "pagefind.js").exists():
        detail = (result.stderr or result.stdout).strip().splitlines()[-5:]
        raise SearchIndexError("Pagefind could not index the site"
                               + (":\n  " + "\n  ".join(detail) if detail else "")
                               + "\n— install the pinned dependencies (`python3 tasks.py build` does) "
                                 "so that `pagefind[extended]` is present")
    return bundle


class BackgroundIndex:
    """`mkdocs serve`: the search index written in a thread after each rebuild, so that the changed page is
    served without waiting for it. The next rebuild waits for it before the site folder is emptied."""

    def __init__(self):
        self._thread = None

    def start(self, site_dir: Path) -> None:
        import threading

        self.wait()

        def run():
            try:
                index_site(site_dir)
            except SearchIndexError as exc:
                print(f"search index not written: {exc}", file=sys.stderr)

        self._thread = threading.Thread(target=run, name="pagefind", daemon=True)
        self._thread.start()

    def wait(self) -> None:
        if self._thread is not None:
            self._thread.join()
            self._thread = None


if __name__ == "__main__":  # python -m casebook.search <site>: index a site built elsewhere (benchmarks)
    index_site(Path(sys.argv[1]))
