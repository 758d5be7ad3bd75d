"""One site build: check the library, then render every generated page in memory."""

from __future__ import annotations

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
    def prepare(cls, root: Path) -> "SiteBuild":
        library, problems = load_library(root)
        if problems:
            raise cls.Failed(LibraryError(problems, root).report())
        return cls(library, build_pages(library, root / "templates"), nav(library), build_files(library))
