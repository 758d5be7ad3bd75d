"""Reading the library's files without ever leaving the repository.

A pull request can contain symbolic links and file names chosen by anybody. Every file the tools read
from ``cases/`` and ``data/`` is read through :func:`read_bytes`, which refuses — before opening anything —
a path with a symbolic link in it (tested with ``lstat``, never followed), anything that is not a regular
file, and a file larger than its limit. A refused file is never read, hashed or quoted.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from pathlib import Path

from .problems import Problem

# Size limits, by file kind (bytes). The largest real files are far below them (a source of 10 KB,
# data/indicators.yaml of 40 KB); a file beyond them is a mistake or an attack, and reading it would
# only slow every check down.
LIMITS = {"yaml": 1_000_000, "narrative": 200_000, "source": 2_000_000, "markdown": 500_000}


def _human(n: int) -> str:
    return f"{n / 1_000_000:.1f} MB" if n >= 1_000_000 else f"{n // 1000} KB"


def refusal(path: Path, root: Path) -> str | None:
    """Why ``path`` may not be read (None: it may). Only ``lstat`` is used: nothing is followed or opened."""
    try:
        rel = path.relative_to(root)
    except ValueError:
        return "is outside the repository"
    if ".." in rel.parts:
        return "is outside its folder ('..' in the path)"
    current = root
    for part in rel.parts:
        current = current / part
        try:
            st = os.lstat(current)
        except FileNotFoundError:
            return "is missing"
        except OSError as exc:
            return f"cannot be read ({exc.strerror})"
        if stat.S_ISLNK(st.st_mode):
            return "is a symbolic link" if current == path else f"lies under a symbolic link ({current.name})"
    if not stat.S_ISREG(st.st_mode):
        return "is not a regular file"
    return None


def read_bytes(
    path: Path,
    root: Path,
    kind: str,
    problems: list[Problem],
    report_path: Path | None = None,
    where: tuple[int, int] | Callable[[], tuple[int, int]] = (1, 1),
) -> bytes | None:
    """The file's bytes, or None with a problem (reported at ``report_path``:``where``, default the file;
    ``where`` may be a function giving (line, column), called only when there is a problem)."""
    report_at = report_path or path

    def problem(message: str, hint: str) -> None:
        line, column = where() if callable(where) else where
        problems.append(Problem(report_at, line, column, message, hint))

    why = refusal(path, root)
    if why is not None:
        name = path.name if report_path is not None else "this file"
        hint = {"is missing": "add the file", "is not a regular file": "replace it with an ordinary file"}.get(
            why, "commit the file itself, not a link to it; files outside the repository are never read"
        )
        problem(f"{name} {why}", hint)
        return None
    limit = LIMITS[kind]
    size = os.lstat(path).st_size
    if size > limit:
        problem(
            f"{path.name} is {_human(size)}, more than the limit of {_human(limit)} for this kind of file",
            "check that this is the right file; the limits are listed in the contributor guide",
        )
        return None
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        problem(f"cannot read {path.name} ({exc.strerror})", "check that the file exists and is readable")
        return None
    with os.fdopen(fd, "rb") as fh:
        data = fh.read(limit + 1)
    if len(data) > limit:  # grew while being read
        problem(f"{path.name} is larger than the limit of {_human(limit)}", "check that this is the right file")
        return None
    return data


def symlinks_under(root: Path, folders: tuple[str, ...]) -> list[Problem]:
    """Symbolic links anywhere in the folders MkDocs publishes from (they could pull in outside files)."""
    problems = []
    for name in folders:
        top = root / name
        if top.is_symlink():
            problems.append(Problem(top, 1, 1, f"{name}/ is a symbolic link", "make it a real folder"))
            continue
        for dirpath, dirnames, filenames in os.walk(top):
            for entry in sorted(dirnames + filenames):
                path = Path(dirpath) / entry
                if path.is_symlink():
                    problems.append(
                        Problem(
                            path,
                            1,
                            1,
                            "is a symbolic link",
                            "commit the file itself; links could publish files from outside the repository",
                        )
                    )
    return problems
