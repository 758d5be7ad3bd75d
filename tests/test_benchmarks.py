"""The benchmark's synthetic libraries stay valid: what the generator makes passes `check`, and the baseline,
written by the baseline commit, has every page our build generates."""

from __future__ import annotations

import subprocess
import sys

from conftest import CASE_IDS, ROOT

from casebook.routes import SIDE_BY_SIDE_DATA

sys.path.insert(0, str(ROOT / "benchmarks"))

from generate import generate, real_cases  # noqa: E402

# Pages and downloads added after the baseline commit: the baseline cannot have them (one page and its two
# files among hundreds of pages do not change what the benchmark measures).
ADDED_SINCE_BASELINE = {
    "codebook.md",
    "downloads/codebook.csv",
    "downloads/codebook.json",
    "downloads/mechanisms.csv",
    "matrix.md",
    "side-by-side.md",
}


def test_generated_library_passes_check(tmp_path):
    lib = generate(12, tmp_path / "lib12")
    ids = sorted(p.name for p in (lib / "cases").iterdir())
    assert len(ids) == 12 and set(CASE_IDS) <= set(ids)
    result = subprocess.run(
        [sys.executable, "-m", "casebook", "--root", str(lib), "check"], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
    # every copy is a case of its own: 12 cases, and copies cite as many values as their originals
    assert result.stdout.startswith("ok: 12 cases,"), result.stdout


def test_a_generated_library_of_200_has_real_places_in_every_province_the_table_can_give(tmp_path):
    """Copies are placed in real divisions of data/adcodes.csv of their original's kind, each its own, and the
    provinces take turns: at 200 cases every province with such divisions has cases (not 台湾省, 香港, 澳门: the
    table has no divisions below them). Nothing is made up: the English name says it is a sample."""
    import yaml

    from casebook.divisions import LEVEL_KINDS, load_divisions

    lib = generate(200, tmp_path / "lib200")
    table = load_divisions(lib, [])
    originals = {p.name: yaml.safe_load((p / "case.yaml").read_text(encoding="utf-8")) for p in real_cases()}
    cases = [yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted((lib / "cases").glob("*/case.yaml"))]
    assert len({c["adcode"] for c in cases}) == len(cases), "each case its own place"
    for c in cases:
        assert table.name_of(c["adcode"]) == c["city"] and table.province_of(c["adcode"])[1] == c["province"]
        if c["id"] not in originals:
            base = originals[c["id"].rsplit("-", 1)[0]]
            assert table.kind_of(c["adcode"]) == LEVEL_KINDS[base["level"]], c["id"]
            assert c["city_en"].startswith("Synthetic sample "), c["id"]
    # the provinces a copy of each kind can be in, from the table
    possible = {d.code[:2] for d in table.of_kind("prefecture") if d.name.endswith(("市", "州", "地区", "盟"))}
    possible |= {d.code[:2] for d in table.of_kind("county") if d.name.endswith(("市", "区"))}
    assert {c["adcode"][:2] for c in cases} == possible
    assert generate(200, tmp_path / "again") and all(
        (tmp_path / "again" / "cases" / c["id"] / "case.yaml").read_text(encoding="utf-8")
        == (lib / "cases" / c["id"] / "case.yaml").read_text(encoding="utf-8")
        for c in cases
    ), "deterministic"
    result = subprocess.run(
        [sys.executable, "-m", "casebook", "--root", str(lib), "check"], capture_output=True, text=True
    )
    assert result.returncode == 0 and result.stdout.startswith("ok: 200 cases,"), result.stdout + result.stderr


def test_baseline_is_the_markdown_the_baseline_commit_writes(tmp_path):
    """The baseline comes from a worktree of the last commit that handed MkDocs Markdown pages, so it stays the
    same while our pages change; it has the same pages our build generates, as Markdown, and no hooks."""
    from baseline import BASELINE_COMMIT, make_baseline, remove_worktree, worktree

    from casebook.site import SiteBuild

    tree = worktree(tmp_path / "baseline-src")
    try:
        head = subprocess.run(["git", "-C", str(tree), "rev-parse", "HEAD"], capture_output=True, text=True)
        assert head.stdout.startswith(BASELINE_COMMIT)
        base = make_baseline(7, tmp_path / "base7", tree)
        # our side of the benchmark: today's code on the same cases (those of the baseline commit)
        build = SiteBuild.prepare(generate(7, tmp_path / "lib7", cases_root=tree))
    finally:
        remove_worktree(tree)
    exported = {p.relative_to(base / "docs").as_posix() for p in (base / "docs").rglob("*") if p.is_file()}
    added = {f for f in build.files if f.startswith(SIDE_BY_SIDE_DATA + "/")}  # the side-by-side view's data
    assert (set(build.routes.routes) | set(build.files)) - ADDED_SINCE_BASELINE - added <= exported
    text = (base / "mkdocs.yml").read_text(encoding="utf-8")
    assert "hooks:" not in text and "nav:" in text
    page = (base / "docs" / "cases" / "karamay.md").read_text(encoding="utf-8")
    assert page.startswith("---\ntitle: 克拉玛依市 Karamay") and "| 城市 | 克拉玛依市（Karamay） |" in page


def test_timed_build_times_our_hooks_and_keeps_mkdocs_exit_status(tmp_path):
    """timed_build.py: the hooks' import and on_config are timed even when the build is aborted, and an aborted
    build still exits 1 with MkDocs' message (the benchmark must not time a failed build as a fast one)."""
    import json
    import os

    from conftest import copy_project

    project = copy_project(tmp_path / "project")
    with open(project / "data" / "indicators.yaml", "a", encoding="utf-8") as f:
        f.write("oops: [\n")
    times = tmp_path / "times.json"
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "benchmarks" / "timed_build.py"),
            str(times),
            "--strict",
            "-q",
            "-f",
            str(project / "mkdocs.yml"),
            "-d",
            str(tmp_path / "site"),
        ],
        capture_output=True,
        text=True,
        env=dict(os.environ, NO_MKDOCS_2_WARNING="1"),
    )
    assert result.returncode == 1
    output = result.stdout + result.stderr  # where `mkdocs build` writes it
    assert "data/indicators.yaml:" in output and "nothing was built" in output, output
    data = json.loads(times.read_text())
    assert data["hooks_import_s"] > 0 and data["events"]["config"] > 0
    assert data["total_s"] > data["hooks_import_s"] + data["events"]["config"]
    assert not (tmp_path / "site").exists()
