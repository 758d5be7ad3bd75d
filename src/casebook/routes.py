"""The pages the site generates, by source uri (until the route table of issue 13 replaces this list).

``page_uris`` must name exactly the pages :func:`casebook.pages.build_pages` renders; a test builds both
from the real library and compares them.
"""

from __future__ import annotations

# The print edition is one page up to this many cases; a larger library gets volumes of this many cases each
# (a single page grows with the library, and Python-Markdown slows down more than linearly on pages of tens of MB).
EDITION_CASES_PER_VOLUME = 50


# Hand-written pages (docs/) and their titles in the navigation; a page of docs/ that is not listed here would
# make the strict build fail (MkDocs warns about pages left out of the navigation), so check reports it.
DOCS_IN_NAV = {"methodology.md": "方法说明", "guide.md": "编辑指南"}


def n_volumes(n_cases: int) -> int:
    return max(1, -(-n_cases // EDITION_CASES_PER_VOLUME))


def page_uris(case_ids: list[str], group_ids: list[str], mechanism_ids: list[str], glossary: bool) -> set[str]:
    """Every generated page. ``group_ids``: indicator groups with at least one cited value."""
    pages = {"index.md", "cases/index.md", "mechanisms/index.md", "compare/index.md", "downloads.md",
             "print/index.md", "print/edition.md"}
    if glossary:
        pages.add("glossary.md")
    for c in case_ids:
        pages |= {f"cases/{c}.md", f"sources/{c}.md", f"print/cases/{c}.md"}
    for m in mechanism_ids:
        pages |= {f"mechanisms/{m}.md", f"print/mechanisms/{m}.md"}
    pages |= {f"compare/{g}.md" for g in group_ids}
    volumes = n_volumes(len(case_ids))
    if volumes > 1:
        pages |= {f"print/edition-{k}.md" for k in range(1, volumes + 1)}
    return pages
