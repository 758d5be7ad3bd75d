"""README's test command: it installs the browser when it can, stops with the install command when it cannot,
and runs lint, types and tests, reporting each."""

from __future__ import annotations

import importlib.util
import subprocess
import sys

import pytest

from conftest import ROOT

from casebook import pdf

EXACT_COMMAND = (
    "sudo apt-get install -y chromium fonts-noto-cjk fonts-arphic-uming fonts-wqy-microhei poppler-utils fontconfig"
)


def _tasks():
    spec = importlib.util.spec_from_file_location("tasks", ROOT / "tasks.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def no_browser(monkeypatch):
    """A machine without Chromium and without the right to install it."""
    monkeypatch.setattr(pdf, "find_chromium", lambda: None)
    monkeypatch.setattr(pdf, "has_cjk_font", lambda: True)
    monkeypatch.setattr(pdf, "root_prefix", lambda: None)

    def never(*args, **kwargs):
        raise AssertionError("nothing may be installed without root")

    monkeypatch.setattr(pdf, "install_packages", never)


def test_missing_browser_that_cannot_be_installed_stops_with_the_install_command(no_browser, capsys):
    assert pdf.main(["--ensure-browser"]) == 1
    err = capsys.readouterr().err
    assert EXACT_COMMAND in err
    assert "Chromium is missing" in err
    assert "CASEBOOK_SKIP_BROWSER=1" in err
    assert "Traceback" not in err


def test_missing_browser_is_installed_with_apt_get_as_root(monkeypatch):
    state = {"chromium": None}
    installed = []
    monkeypatch.setattr(pdf, "find_chromium", lambda: state["chromium"])
    monkeypatch.setattr(pdf, "has_cjk_font", lambda: True)
    monkeypatch.setattr(pdf, "root_prefix", lambda: [])
    monkeypatch.setattr(pdf, "missing_packages", lambda: ["chromium", "poppler-utils"])

    def install(packages, prefix):
        installed.append((list(packages), prefix))
        state["chromium"] = "/usr/bin/chromium"
        return True

    monkeypatch.setattr(pdf, "install_packages", install)
    assert pdf.ensure_browser() == "/usr/bin/chromium"
    assert installed == [(["chromium", "poppler-utils"], [])]


def test_playwrights_chromium_is_found_when_there_is_no_system_chromium(monkeypatch, tmp_path):
    monkeypatch.delenv("CASEBOOK_CHROMIUM", raising=False)
    monkeypatch.setattr(pdf, "CHROMIUM_CANDIDATES", (str(tmp_path / "none"),))
    monkeypatch.setattr(pdf.shutil, "which", lambda name: None)
    monkeypatch.setattr(pdf, "playwright_chromium", lambda: "/cache/ms-playwright/chromium/chrome")
    assert pdf.find_chromium() == "/cache/ms-playwright/chromium/chrome"


def _fake_run(monkeypatch, tasks, results: dict[str, int]) -> list[str]:
    """tasks.run recording each command; ``results`` maps a word of the command to its exit status."""
    calls: list[str] = []

    def run(*args):
        command = " ".join(str(a) for a in args[1:])
        calls.append(command)
        return next((rc for word, rc in results.items() if word in command), 0)

    monkeypatch.setattr(tasks, "run", run)
    monkeypatch.delenv("CASEBOOK_SKIP_BROWSER", raising=False)
    return calls


def test_bare_test_command_stops_before_pytest_when_the_browser_is_missing(monkeypatch, capsys):
    tasks = _tasks()
    calls = _fake_run(monkeypatch, tasks, {"--ensure-browser": 1})
    assert tasks.test([]) != 0
    assert not any("pytest" in c or "ruff" in c for c in calls)
    assert "stopped before running the tests" in capsys.readouterr().err


def test_bare_test_command_runs_lint_types_and_tests_and_fails_if_one_failed(monkeypatch, capsys):
    tasks = _tasks()
    calls = _fake_run(monkeypatch, tasks, {"format": 1})
    assert tasks.test([]) == 1
    assert calls == [
        "-m casebook.pdf --ensure-browser",
        "-m ruff check",
        "-m ruff format --check",
        "-m mypy",
        "-m pytest",
    ]
    captured = capsys.readouterr()
    assert "ruff format --check FAILED" in captured.out and "FAILED: ruff format --check" in captured.err
    assert captured.out.rstrip().endswith("==> pytest"), "pytest's own closing line ends the output"


def test_pytest_arguments_run_only_pytest(monkeypatch):
    tasks = _tasks()
    calls = _fake_run(monkeypatch, tasks, {})
    assert tasks.test(["tests/test_numbers.py", "-q"]) == 0
    assert calls == ["-m casebook.pdf --ensure-browser", "-m pytest tests/test_numbers.py -q"]


@pytest.mark.parametrize(
    ("env", "required"),
    [({}, True), ({"CASEBOOK_SKIP_BROWSER": "1"}, False), ({"CASEBOOK_SKIP_BROWSER": "1", "CI": "true"}, True)],
)
def test_browser_tests_are_skipped_only_on_explicit_request(env, required, monkeypatch):
    for name in ("CI", "CASEBOOK_REQUIRE_BROWSER", "CASEBOOK_SKIP_BROWSER"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    code = f"import sys; sys.path.insert(0, {str(ROOT / 'tests')!r}); import conftest; print(conftest.REQUIRED)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.stdout.strip() == str(required), out.stderr
    assert _tasks().browser_required() is required


def test_ci_runs_exactly_readmes_test_command():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    command = next(line for line in readme.splitlines() if line.startswith("python3 tasks.py test"))
    ci = [
        line
        for line in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
        if line and not line.startswith(("#", "set ", "cd ", "export "))
    ]
    assert ci == [command]


def test_check_needs_none_of_the_pdf_packages():
    """playwright, pypdf and fonttools are the optional [pdf] extra: `casebook check` runs without them."""
    code = (
        "import sys\n"
        "for name in ('playwright', 'pypdf', 'fontTools'):\n"
        "    sys.modules[name] = None  # importing it raises ImportError\n"
        "from casebook.cli import main\n"
        f"sys.exit(main(['--root', {str(ROOT)!r}, 'check']))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
