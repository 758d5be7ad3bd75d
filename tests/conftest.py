"""Shared fixtures: the real library, a strict build of the real site, and a scratch copy to mutate."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# The build's on-disk cache (casebook.cache) starts empty for every test session, here and in subprocesses.
if "CASEBOOK_CACHE_DIR" not in os.environ:
    import tempfile

    os.environ["CASEBOOK_CACHE_DIR"] = tempfile.mkdtemp(prefix="casebook-cache-")
# Every case folder of the library, whatever the editors have added: no test names the cases it expects.
CASE_IDS = sorted(p.name for p in (ROOT / "cases").iterdir() if (p / "case.yaml").is_file())


def unused_slug(base: str) -> str:
    """A case id no case of the library has: tests that add a case must not collide with one an editor added."""
    return next(s for s in (base, *(f"{base}-{k}" for k in range(2, 100))) if s not in CASE_IDS)


# A missing browser is a failure, never a silent skip (`python3 tasks.py test` installs Chromium and Noto CJK
# when it can, and says how otherwise). Only CASEBOOK_SKIP_BROWSER=1 skips the browser tests, and not in CI.
REQUIRED = (
    os.environ.get("CI") == "true"
    or os.environ.get("CASEBOOK_REQUIRE_BROWSER") == "1"
    or os.environ.get("CASEBOOK_SKIP_BROWSER") != "1"
)


# The fictional cities of the test fixtures (tests/fixtures/editor_case, fictional_city, the hostile corpus, the
# golden library): codes that data/adcodes.csv does not have, in 河南省, county-level like the fixture case. A test
# project gets them in its copy of data/adcodes-supplement.csv, never the repository: no real city's code is given
# to a made-up one.
FICTIONAL_DIVISIONS = (("419099", "测试市"), ("419098", "第二市"))
FICTIONAL_SOURCE = "测试用虚构城市，仅用于测试"
FICTIONAL_ADCODE = FICTIONAL_DIVISIONS[0][0]  # 测试市's


def supplement_row(code: str, name: str, source: str = FICTIONAL_SOURCE) -> str:
    return f"{code},{name},{source}\n"


def add_fictional_divisions(project: Path, divisions=FICTIONAL_DIVISIONS) -> None:
    """Add the fictional cities to ``project``'s data/adcodes-supplement.csv (made, with its header, if absent)."""
    path = project / "data" / "adcodes-supplement.csv"
    text = path.read_text(encoding="utf-8") if path.exists() else "adcode,name,source\n"
    if text and not text.endswith("\n"):
        text += "\n"
    path.write_text(text + "".join(supplement_row(code, name) for code, name in divisions), encoding="utf-8")


def copy_project(dest: Path, fictional: bool = True) -> Path:
    """A copy of everything a build reads, to mutate without touching the repository; with ``fictional``, the
    fixtures' fictional cities are in its data/adcodes-supplement.csv."""
    dest.mkdir(parents=True, exist_ok=True)
    for name in ("mkdocs.yml", "docs", "hooks", "templates", "data", "cases", "schema", "overrides"):
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, dest / name)
        elif src.exists():
            shutil.copy2(src, dest / name)
    if fictional:
        add_fictional_divisions(dest)
    return dest


def run_build(project: Path, site: Path, pdf: bool = False, **env_vars: str) -> subprocess.CompletedProcess:
    """A strict build of ``project`` into ``site``; with ``pdf``, the build prints and publishes the PDFs (about
    half a minute with Chromium), otherwise it prints none (CASEBOOK_PDF=0: most builds here are thrown away)."""
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONHASHSEED="0", CASEBOOK_PDF="1" if pdf else "0", **env_vars)
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-f", str(project / "mkdocs.yml"), "-d", str(site)],
        capture_output=True,
        text=True,
        env=env,
        cwd=project,
    )


def run_check(project: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "casebook", "--root", str(project), "check"], capture_output=True, text=True
    )


@pytest.fixture(scope="session")
def library():
    from casebook.library import load_library

    lib, problems = load_library(ROOT)
    assert not problems, "\n".join(p.format(ROOT) for p in problems)
    return lib


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Path:
    """The real site, built once with --strict, PDFs included (where Chromium is there)."""
    out = tmp_path_factory.mktemp("site") / "site"
    result = run_build(ROOT, out, pdf=True)
    assert result.returncode == 0, result.stderr
    return out


@pytest.fixture
def project(tmp_path) -> Path:
    return copy_project(tmp_path / "project")


@pytest.fixture(scope="session")
def browser():
    from casebook.pdf import CHROMIUM_ARGS, BrowserMissing, ensure_browser

    if not REQUIRED:
        pytest.skip("browser tests skipped: CASEBOOK_SKIP_BROWSER=1")
    try:
        chromium = ensure_browser(install=False)
    except BrowserMissing as exc:
        pytest.fail(str(exc), pytrace=False)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture(scope="session")
def server(site):
    from casebook.pdf import SiteServer

    with SiteServer(site) as s:
        yield s


def pytest_addoption(parser):
    parser.addoption(
        "--update-golden",
        action="store_true",
        default=False,
        help="rewrite tests/golden/*.html from the current templates (review the diff before committing)",
    )
