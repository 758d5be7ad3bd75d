"""One site build: check the library, then render every generated page in memory."""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path

from .library import Library, load_library
from .pages import build_files, build_pages, nav
from .problems import LibraryError


@dataclass
class SiteBuild:
    library: Library
    pages: dict[str, str]  # generated Markdown pages
    nav: list
    files: dict[str, str] = field(default_factory=dict)  # generated non-page files (downloads)

    class Failed(Exception):
        """The library has problems; the message lists all of them."""

    @classmethod
    def prepare(cls, root: Path, directory_urls: bool = True) -> "SiteBuild":
        library, problems = load_library(root)
        if problems:
            raise cls.Failed(LibraryError(problems, root).report())
        return cls(library, build_pages(library, root / "templates", directory_urls), nav(library),
                   build_files(library))

    _ANNOTATED = re.compile(r"^(cases/(?!index\.md)|sources/|mechanisms/(?!index\.md)|print/(?!index\.md))")

    def annotate(self, html: str, src_uri: str, page_url: str, glossary_url: str) -> str:
        """Glossary tooltips and links on case, source and mechanism pages."""
        if not self.library.glossary or not self._ANNOTATED.match(src_uri):
            return html
        if not hasattr(self, "_annotator"):
            from .annotate import Annotator

            self._annotator = Annotator(self.library.glossary)
        here = posixpath.dirname(page_url.rstrip("/")) if not page_url.endswith("/") else page_url
        rel = posixpath.relpath(glossary_url or ".", here or ".")
        if glossary_url.endswith("/") and not rel.endswith("/"):
            rel += "/"
        return self._annotator.annotate(html, rel)
