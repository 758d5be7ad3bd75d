"""The benchmark's synthetic libraries stay valid: what the generator makes passes `check`, and the baseline
export writes out exactly the pages our build generates."""

from __future__ import annotations

import subprocess
import sys

from conftest import CASE_IDS, ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))

from export_markdown import export  # noqa: E402
from generate import generate  # noqa: E402


def test_generated_library_passes_check(tmp_path):
    lib = generate(12, tmp_path / "lib12")
    ids = sorted(p.name for p in (lib / "cases").iterdir())
    assert len(ids) == 12 and set(CASE_IDS) <= set(ids)
    result = subprocess.run([sys.executable, "-m", "casebook", "--root", str(lib), "check"],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    # every copy is a case of its own: 12 cases, and copies cite as many values as their originals
    assert result.stdout.startswith("ok: 12 cases,"), result.stdout


def test_baseline_export_has_every_generated_page(tmp_path):
    from casebook.site import SiteBuild

    lib = generate(7, tmp_path / "lib7")
    build = SiteBuild.prepare(lib)
    base = export(lib, tmp_path / "base7")
    exported = {p.relative_to(base / "docs").as_posix() for p in (base / "docs").rglob("*") if p.is_file()}
    assert set(build.pages) | set(build.files) <= exported
    text = (base / "mkdocs.yml").read_text(encoding="utf-8")
    assert "hooks:" not in text and "nav:" in text
    # the baseline pages are the same Markdown our hooks hand to MkDocs
    some = sorted(build.pages)[len(build.pages) // 2]
    assert (base / "docs" / some).read_text(encoding="utf-8") == build.pages[some]
