#!/usr/bin/env python3
"""Project tasks that need nothing but Python 3.11 and pip.

    python3 tasks.py serve   # create .venv if needed, build and serve the site on http://127.0.0.1:8000
    python3 tasks.py test    # create .venv if needed, run every test
    python3 tasks.py build   # strict build into site/
    python3 tasks.py check   # the editors' check (same as `casebook check`)
    python3 tasks.py pdf     # every handout and the whole-library edition as PDF, into output/pdf/
    python3 tasks.py bench   # the build benchmark (see benchmarks/README.md)

The virtual environment is (re)installed from requirements.lock whenever that
file or pyproject.toml changes.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = Path(os.environ.get("CASEBOOK_VENV", ROOT / ".venv"))
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / ("python.exe" if os.name == "nt" else "python")
STAMP = VENV / ".casebook-installed"


def _fingerprint() -> str:
    h = hashlib.sha256()
    for name in ("requirements.lock", "pyproject.toml"):
        h.update((ROOT / name).read_bytes())
    return h.hexdigest()


def ensure_venv() -> None:
    """Create .venv and install the pinned requirements and this project, if not done yet."""
    if STAMP.exists() and STAMP.read_text() == _fingerprint() and PY.exists():
        return
    if not PY.exists():
        print(f"creating {VENV} …", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    pip = [str(PY), "-m", "pip", "install", "--disable-pip-version-check", "-q"]
    subprocess.run(pip + ["-r", str(ROOT / "requirements.lock")], check=True)
    subprocess.run(pip + ["--no-deps", "-e", str(ROOT)], check=True)
    STAMP.write_text(_fingerprint())


def run(*args: str) -> int:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    return subprocess.call([str(a) for a in args], cwd=ROOT, env=env)


def main(argv: list[str]) -> int:
    task = argv[0] if argv else "help"
    rest = argv[1:]
    if task not in {"serve", "test", "build", "check", "pdf", "bench"}:
        print(__doc__)
        return 0 if task in ("help", "-h", "--help") else 2
    ensure_venv()
    if task == "serve":
        return run(PY, "-m", "mkdocs", "serve", "--strict", "-a", "127.0.0.1:8000", *rest)
    if task == "build":
        return run(PY, "-m", "mkdocs", "build", "--strict", *rest)
    if task == "check":
        return run(PY, "-m", "casebook", "check", *rest)
    if task == "test":
        return run(PY, "-m", "pytest", *rest)
    if task == "pdf":
        return run(PY, "-m", "casebook.pdf", "--root", ROOT, *rest)
    if task == "bench":
        return run(PY, ROOT / "benchmarks" / "bench.py", *rest)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
