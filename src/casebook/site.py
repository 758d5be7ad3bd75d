"""One site build: check the library, then render every generated page in memory."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .library import Library, load_library
from .pages import build_pages, nav
from .problems import LibraryError


@dataclass
class SiteBuild:
    library: Library
    pages: dict[str, str]
    nav: list
    extra_files: dict[str, bytes] = field(default_factory=dict)  # written beside the site (downloads)

    class Failed(Exception):
        """The library has problems; the message lists all of them."""

    @classmethod
    def prepare(cls, root: Path) -> "SiteBuild":
        library, problems = load_library(root)
        if problems:
            raise cls.Failed(LibraryError(problems, root).report())
        return cls(library, build_pages(library, root / "templates"), nav(library))

    def write_extra(self, site_dir: Path) -> None:
        for name, data in sorted(self.extra_files.items()):
            target = site_dir / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
