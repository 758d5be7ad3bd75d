"""`mkdocs serve` keeps unchanged cases and pages from one rebuild to the next (casebook.memory). What it
builds must be what a fresh build builds: after an edit, every page equals the fresh build's page, the edited
case's pages show the edit, and the pages that do not depend on it were taken from memory."""

from __future__ import annotations

import sys
import zlib

from conftest import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))
from generate import generate  # noqa: E402


def pages(build) -> dict[str, str]:
    out = {}
    for route in build.routes:
        page = build.render(route.uri)
        out[route.uri] = page.head + zlib.decompress(page.body).decode("utf-8")
    return out


def test_a_rebuild_with_memory_builds_what_a_fresh_build_builds(tmp_path):
    from casebook.memory import BuildMemory
    from casebook.site import SiteBuild

    lib = generate(12, tmp_path / "lib12")
    memory = BuildMemory()
    first = pages(SiteBuild.prepare(lib, memory=memory))
    assert memory.hits == {"cases": 0, "pages": 0}

    # an unchanged library: everything comes from memory
    again = SiteBuild.prepare(lib, memory=memory)
    assert pages(again) == first
    assert memory.hits["cases"] == 12 and memory.hits["pages"] == len(first)

    # one narrative edited: that case's pages change, pages about other cases are kept
    narrative = lib / "cases" / "karamay-0001" / "case.md"
    narrative.write_text(narrative.read_text(encoding="utf-8").replace("## 背景", "## 背景与来源"), encoding="utf-8")
    memory.hits.update(cases=0, pages=0)
    edited = pages(SiteBuild.prepare(lib, memory=memory))
    fresh = pages(SiteBuild.prepare(lib))
    assert edited == fresh
    assert "背景与来源" in edited["cases/karamay-0001.md"] and "背景与来源" not in first["cases/karamay-0001.md"]
    assert memory.hits["cases"] == 11
    assert edited["cases/karamay.md"] == first["cases/karamay.md"]
    reused = memory.hits["pages"]
    assert len(first) - 20 < reused < len(first), "only the pages that show the edited case are rendered again"

    # a city renamed: every page that lists the cities is rendered again, and still equals a fresh build
    case_yaml = lib / "cases" / "ordos-0001" / "case.yaml"
    case_yaml.write_text(case_yaml.read_text(encoding="utf-8").replace("·样本1", "·样本一"), encoding="utf-8")
    renamed = pages(SiteBuild.prepare(lib, memory=memory))
    assert renamed == pages(SiteBuild.prepare(lib))
    assert "鄂尔多斯市·样本一" in renamed["mechanisms/grid_governance.md"]
