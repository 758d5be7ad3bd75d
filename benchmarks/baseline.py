"""The plain-MkDocs baseline: the same synthetic library as Markdown, built by MkDocs + Material alone.

The baseline is fixed: the Markdown that commit ``BASELINE_COMMIT`` (the last build that handed MkDocs
Markdown pages) writes for the synthetic library of N cases. It is made from a temporary git worktree of that
commit, with that commit's own generator and exporter, so it stays the same while our pages change:

    python benchmarks/baseline.py 50 /tmp/base50      # -> /tmp/base50/mkdocs.yml and docs/

Build it with ``mkdocs build`` and index it with ``python -m casebook.search <site>``, as bench.py does.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
BASELINE_COMMIT = "0d22fc8"


def worktree(dest: Path, root: Path = ROOT) -> Path:
    """A checkout of the baseline commit at ``dest`` (made once; a git worktree of this repository)."""
    if (dest / "benchmarks" / "export_markdown.py").exists():
        return dest
    if dest.exists():
        shutil.rmtree(dest)
    subprocess.run(["git", "-C", str(root), "worktree", "prune"], check=True, capture_output=True)
    subprocess.run(
        ["git", "-C", str(root), "worktree", "add", "--detach", "--force", str(dest), BASELINE_COMMIT],
        check=True,
        capture_output=True,
        text=True,
    )
    return dest


def remove_worktree(dest: Path, root: Path = ROOT) -> None:
    subprocess.run(["git", "-C", str(root), "worktree", "remove", "--force", str(dest)], capture_output=True)
    shutil.rmtree(dest, ignore_errors=True)


def make_baseline(n: int, dest: Path, src: Path) -> Path:
    """The baseline project for N cases at ``dest``, written by the baseline commit's code in ``src``."""
    lib = dest.parent / f"{dest.name}-lib"
    env = dict(
        os.environ,
        NO_MKDOCS_2_WARNING="1",
        CASEBOOK_NO_CACHE="1",
        PYTHONPATH=str(src / "src") + os.pathsep + os.environ.get("PYTHONPATH", ""),
    )
    code = (
        "import sys; sys.path.insert(0, sys.argv[1] + '/benchmarks'); from generate import generate; "
        "from export_markdown import export; from pathlib import Path; "
        "export(generate(int(sys.argv[2]), Path(sys.argv[3]), Path(sys.argv[1])), Path(sys.argv[4]))"
    )
    subprocess.run([sys.executable, "-c", code, str(src), str(n), str(lib), str(dest)], check=True, env=env, cwd=src)
    shutil.rmtree(lib, ignore_errors=True)
    return dest


if __name__ == "__main__":
    n, dest = int(sys.argv[1]), Path(sys.argv[2]).resolve()
    tree = worktree(dest.parent / "baseline-src")
    make_baseline(n, dest, tree)
    print(dest)
