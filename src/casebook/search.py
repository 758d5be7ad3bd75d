"""Site search: a Pagefind index of the built site (extended build, for Chinese word segmentation).

Material's built-in search ships one JSON index the browser downloads whole (about 1 MB for five cases,
150 MB for a thousand); Pagefind splits its index into chunks and a first query loads only what it needs.
The comparison is in benchmarks/search.md.

Only each page's ``<article>`` is indexed (not the navigation repeated on every page), as Chinese (``zh``)
for every page, so Traditional-script source text is segmented the same way.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

BUNDLE = "pagefind"
# Not indexed: heading permalinks (¶) and the text that only prints (citations, pinyin, notes).
EXCLUDED = (".headerlink", ".print-cite", ".print-pinyin", ".print-note", ".handout-link")


class SearchIndexError(Exception):
    """Pagefind could not index the site; the message says why and what to do."""


def index_site(site_dir: Path) -> Path:
    """Write the search bundle into ``site_dir/pagefind``; return its path."""
    site_dir = Path(site_dir)
    bundle = site_dir / BUNDLE
    if bundle.exists():
        shutil.rmtree(bundle)
    cmd = [sys.executable, "-m", "pagefind", "--site", str(site_dir), "--output-subdir", BUNDLE,
           "--root-selector", "article", "--force-language", "zh", "--silent"]
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


if __name__ == "__main__":  # python -m casebook.search <site>: index a site built elsewhere (benchmarks)
    index_site(Path(sys.argv[1]))
