"""The reporter of one file: it knows the file and where each of its values is written, and turns a location, a
message and a hint into a :class:`~casebook.problems.Problem`, so a loader says what is wrong and never how to
find the line."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from .problems import Problem
from .yamlload import Loaded

Location = tuple[str | int, ...]


class Reporter:
    def __init__(self, path: Path, problems: list[Problem], loaded: Loaded | None = None) -> None:
        self.path = path
        self.problems = problems
        self.loaded = loaded

    def where(self, loc: Location) -> tuple[int, int]:
        """Line and column of the value at ``loc`` (of its nearest written ancestor; 1:1 without a document)."""
        return self.loaded.where(loc) if self.loaded is not None else (1, 1)

    def lazily(self, loc: Location) -> Callable[[], tuple[int, int]]:
        """:meth:`where`, to be called only if a problem needs it (positions may have to be re-read)."""
        return lambda: self.where(loc)

    def at(self, loc: Location, message: str, hint: str = "") -> None:
        """A problem with the value at ``loc``."""
        self.problems.append(Problem(self.path, *self.where(loc), message, hint))

    def key_position(self, loc: Location) -> tuple[int, int]:
        """Line and column of the key ``loc`` itself (where it is written, not its value)."""
        if self.loaded is None:
            return 1, 1
        position: tuple[int, int] = self.loaded.key_positions.get(loc) or self.where(loc)
        return position

    def at_key(self, loc: Location, message: str, hint: str = "") -> None:
        """A problem with the key ``loc`` itself."""
        self.problems.append(Problem(self.path, *self.key_position(loc), message, hint))

    def at_line(self, line: int, column: int, message: str, hint: str = "") -> None:
        self.problems.append(Problem(self.path, line, column, message, hint))

    def file(self, message: str, hint: str = "") -> None:
        """A problem with the file as a whole."""
        self.problems.append(Problem(self.path, 1, 1, message, hint))

    def count(self) -> int:
        return len(self.problems)
