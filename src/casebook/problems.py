"""Problems found in the library, reported as ``path:line:column: what — fix``."""

from __future__ import annotations

import difflib
import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong in one file, with where it is and how to fix it."""

    path: Path
    line: int
    column: int
    message: str
    hint: str = ""

    def format(self, root: Path | None = None) -> str:
        path = Path(self.path)
        if root is not None:
            # abspath, not resolve: a symbolic link is named where it is, never by where it points
            here = Path(os.path.abspath(self.path))
            for base in (Path(os.path.abspath(root)), Path(root).resolve()):
                try:
                    path = here.relative_to(base)
                    break
                except ValueError:
                    continue
        text = f"{path.as_posix()}:{self.line}:{self.column}: {self.message}"
        if self.hint:
            text += f" — {self.hint}"
        return text


class LibraryError(Exception):
    """Raised when the library has problems; carries all of them."""

    def __init__(self, problems: list[Problem], root: Path | None = None):
        self.problems = sorted(problems, key=lambda p: (str(p.path), p.line, p.column, p.message))
        self.root = root
        super().__init__(self.report())

    def report(self) -> str:
        lines = [p.format(self.root) for p in self.problems]
        lines.append(f"{len(self.problems)} problem(s) found; nothing was built.")
        return "\n".join(lines)


def did_you_mean(word: str, choices) -> str:
    """' — did you mean 'x'?' text, or a hint listing the choices."""
    choices = sorted(set(choices))
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.5)
    if close:
        return f"did you mean '{close[0]}'?"
    if len(choices) <= 8:
        return "use one of: " + ", ".join(choices)
    return "see the list of valid values in the schema"
