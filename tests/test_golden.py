"""Golden pages: the HTML of one case, source, mechanism and comparison page of a small fixture library,
committed, so that any change to a table cell, a link or an id shows up as a diff.

    python3 tasks.py test tests/test_golden.py --update-golden   # after an intended change; review the diff
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from conftest import FICTIONAL_DIVISIONS, ROOT, add_fictional_divisions

HERE = Path(__file__).parent
GOLDEN = HERE / "golden"
FIXTURE = HERE / "fixtures" / "editor_case"
PAGES = {
    "case.html": "cases/fixture.md",
    "source.html": "sources/fixture.md",
    "mechanism.html": "mechanisms/grid_governance.md",
    "compare.html": "compare/grid.md",
}
GLOSSARY = """terms:
  - term: 网格
    en: grid
    definition: 城市社区划分的管理单元。
    mechanisms: [grid_governance]
"""


def golden_library(tmp: Path) -> Path:
    """Two cases on the same (Dengzhou) source: the fixture case and a relabelled copy."""
    project = tmp / "golden"
    (project / "data").mkdir(parents=True)
    for name in ("indicators.yaml", "mechanisms.yaml", "policy.yaml", "provinces.yaml", "adcodes.csv"):
        shutil.copy2(ROOT / "data" / name, project / "data" / name)
    add_fictional_divisions(project)  # 测试市 and 第二市
    (project / "data" / "glossary.yaml").write_text(GLOSSARY, encoding="utf-8")
    shutil.copytree(ROOT / "templates", project / "templates")
    shutil.copytree(ROOT / "docs", project / "docs")
    for case_id, city in (("fixture", "测试市"), ("second", "第二市")):
        folder = project / "cases" / case_id
        shutil.copytree(FIXTURE, folder)
        shutil.copyfile(ROOT / "cases" / "dengzhou" / "source.txt", folder / "source.txt")
        yaml_text = (folder / "case.yaml").read_text(encoding="utf-8")
        yaml_text = yaml_text.replace("id: fixture", f"id: {case_id}").replace("city: 测试市", f"city: {city}")
        code = {name: code for code, name in FICTIONAL_DIVISIONS}[city]
        yaml_text = yaml_text.replace(f'adcode: "{FICTIONAL_DIVISIONS[0][0]}"', f'adcode: "{code}"')
        (folder / "case.yaml").write_text(yaml_text, encoding="utf-8")
        narrative = (folder / "case.md").read_text(encoding="utf-8")
        (folder / "case.md").write_text(narrative.replace("(dengzhou.md)", "(second.md)"), encoding="utf-8")
    return project


def rendered(tmp: Path) -> dict[str, str]:
    from casebook.site import SiteBuild

    build = SiteBuild.prepare(golden_library(tmp))
    return {name: build.renderer.render(uri) for name, uri in PAGES.items()}


def test_golden_pages(tmp_path, request):
    pages = rendered(tmp_path)
    if request.config.getoption("--update-golden"):
        GOLDEN.mkdir(exist_ok=True)
        for name, html in pages.items():
            (GOLDEN / name).write_text(html, encoding="utf-8")
        pytest.skip("golden pages rewritten: review `git diff tests/golden`")
    for name, html in pages.items():
        path = GOLDEN / name
        assert path.exists(), f"no {path}: run the test with --update-golden"
        expected = path.read_text(encoding="utf-8")
        if html != expected:
            old, new = expected.splitlines(), html.splitlines()
            line = next((i for i, (a, b) in enumerate(zip(old, new)) if a != b), min(len(old), len(new)))
            pytest.fail(
                f"{name} differs from tests/golden/{name} at line {line + 1}:\n"
                f"  golden:  {old[line] if line < len(old) else '(end)'}\n"
                f"  now:     {new[line] if line < len(new) else '(end)'}\n"
                "if the change is intended, run with --update-golden and review the diff"
            )


def test_golden_pages_are_real_pages():
    """The committed pages are what a reader gets: a title, values linking to highlighted passages, both cities
    in the comparison table, and no placeholder text."""
    case = (GOLDEN / "case.html").read_text(encoding="utf-8")
    assert case.startswith('<h1 id="测试市-fixture">测试市 <small>Fixture</small>')
    assert re.search(
        r'<a class="cited-value" data-value="514" href="\.\./\.\./sources/fixture/#q-[0-9a-f]{10}">514</a>', case
    )
    assert '<a href="../second/">' in case  # the narrative's link, rewritten for the case page
    source = (GOLDEN / "source.html").read_text(encoding="utf-8")
    assert '<mark class="cite" id="q-' in source and 'id="p14"' in source
    compare = (GOLDEN / "compare.html").read_text(encoding="utf-8")
    assert "测试市" in compare and "第二市" in compare and 'id="chart-grids"' in compare
    mechanism = (GOLDEN / "mechanism.html").read_text(encoding="utf-8")
    assert '<h2 id="fixture">' in mechanism and '<h2 id="second">' in mechanism
