#!/usr/bin/env python3
"""Project tasks that need nothing but Python 3.11 and pip.

    python3 tasks.py serve   # create .venv if needed, build and serve the site on http://127.0.0.1:8000
    python3 tasks.py test    # create .venv if needed, run every check and test (see below)
    python3 tasks.py build   # strict build into site/, with every handout and the edition as PDF in site/pdf/
    python3 tasks.py check   # the editors' check (same as `casebook check`)
    python3 tasks.py pdf     # every handout and the whole-library edition as PDF, into output/pdf/
    python3 tasks.py bench   # the build benchmark (see benchmarks/README.md)
    python3 tasks.py setup   # only create or update .venv

The virtual environment is (re)installed from requirements.lock, with this project and its [pdf,test,dev]
extras, whenever that file or pyproject.toml changes.

`test` first makes sure Chromium and the CJK fonts (Noto CJK for the pages; AR PL UMing and WenQuanYi Micro Hei,
whose TrueType outlines the PDFs embed) are there for the browser tests: when they are
missing it installs them with apt-get if it runs as root or with passwordless sudo, and otherwise stops,
before running anything, with the command to run. Then it runs `ruff check`, `ruff format --check`,
`mypy` and pytest, each step reported, and fails if any of them failed. Given pytest arguments
(`python3 tasks.py test tests/test_numbers.py -q`) it runs only pytest, and a missing browser does not
stop it (the browser tests then fail with the install command). CASEBOOK_SKIP_BROWSER=1 skips the browser
tests instead of failing them (not in CI, where CI=true or CASEBOOK_REQUIRE_BROWSER=1 makes them required).
`pdf` installs Chromium and the fonts the same way. So does `build`, whose PDFs need them, but only where
apt-get may run: elsewhere the build goes on without PDFs and says so in one line.
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
EXTRAS = "[pdf,test,dev]"
# What `test` runs before pytest (paths and settings are in pyproject.toml).
LINT_STEPS: list[tuple[str, list[str]]] = [
    ("ruff check", ["-m", "ruff", "check"]),
    ("ruff format --check", ["-m", "ruff", "format", "--check"]),
    ("mypy", ["-m", "mypy"]),
]


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
    subprocess.run([*pip, "-r", str(ROOT / "requirements.lock")], check=True)
    subprocess.run([*pip, "--no-deps", "-e", f"{ROOT}{EXTRAS}"], check=True)
    STAMP.write_text(_fingerprint())


def run(*args: str | Path) -> int:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    return subprocess.call([str(a) for a in args], cwd=ROOT, env=env)


def browser_required() -> bool:
    """False only when the editor opted out of the browser tests (and this is not CI)."""
    required = os.environ.get("CI") == "true" or os.environ.get("CASEBOOK_REQUIRE_BROWSER") == "1"
    return required or os.environ.get("CASEBOOK_SKIP_BROWSER") != "1"


def ensure_browser() -> int:
    """Chromium and the CJK fonts: installed with apt-get when missing and allowed (casebook.pdf holds the
    one copy of that logic); otherwise a message with the install command and a non-zero status."""
    return run(PY, "-m", "casebook.pdf", "--ensure-browser")


def test(rest: list[str]) -> int:
    if not browser_required():
        print("CASEBOOK_SKIP_BROWSER=1: the browser tests will be skipped", flush=True)
    elif ensure_browser() != 0:
        if not rest:
            print("tasks.py test: stopped before running the tests (see above)", file=sys.stderr)
            return 1
        print("tasks.py test: continuing; the browser tests will fail (see above)", file=sys.stderr)
    results: list[tuple[str, int]] = []
    steps = [] if rest else LINT_STEPS
    for name, args in steps:
        print(f"==> {name}", flush=True)
        results.append((name, run(PY, *args)))
    if steps:
        print("==> " + ", ".join(f"{name} {'ok' if rc == 0 else 'FAILED'}" for name, rc in results), flush=True)
    print("==> pytest", flush=True)
    results.append(("pytest", run(PY, "-m", "pytest", *rest)))  # last, so its closing line ends the output
    failed = [name for name, rc in results if rc != 0]
    if failed:
        print(f"==> FAILED: {', '.join(failed)}", file=sys.stderr)
    return next((rc for _, rc in results if rc != 0), 0)


def main(argv: list[str]) -> int:
    task = argv[0] if argv else "help"
    rest = argv[1:]
    if task not in {"serve", "test", "build", "check", "pdf", "bench", "setup"}:
        print(__doc__)
        return 0 if task in ("help", "-h", "--help") else 2
    ensure_venv()
    if task == "setup":
        return 0
    if task == "serve":
        return run(PY, "-m", "mkdocs", "serve", "--strict", "-a", "127.0.0.1:8000", *rest)
    if task == "build":
        run(PY, "-m", "casebook.pdf", "--ensure-browser", "--if-allowed")  # the PDFs'; never fails
        return run(PY, "-m", "mkdocs", "build", "--strict", *rest)
    if task == "check":
        return run(PY, "-m", "casebook", "check", *rest)
    if task == "test":
        return test(rest)
    if task == "pdf":
        return run(PY, "-m", "casebook.pdf", "--root", ROOT, *rest)
    if task == "bench":
        return run(PY, ROOT / "benchmarks" / "bench.py", *rest)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
