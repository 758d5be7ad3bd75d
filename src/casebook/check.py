"""`casebook check`: every problem in the library, found by the same function the build loads it with
(:func:`casebook.library.load_library`), on every core for a large library."""

from __future__ import annotations

from pathlib import Path

from .library import Library, load_library
from .problems import Problem


def check_library(root: Path, jobs: int | None = None) -> tuple[Library, list[Problem]]:
    """(the library, counted but its cases not kept, and every problem)."""
    return load_library(Path(root), jobs=jobs, keep_cases=False)
