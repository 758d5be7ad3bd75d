"""`mkdocs serve` keeps unchanged cases and pages from one rebuild to the next (casebook.memory). What it
builds must be what a fresh build builds: after an edit, every page equals the fresh build's page, the edited
case's pages show the edit, and the pages that do not depend on it were taken from memory."""

from __future__ import annotations

import re
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
    assert memory.hits == {"cases": 0, "pages": 0, "themed": 0}

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

    # a city renamed: every page that lists the cities is rendered again, and still equals a fresh build. The
    # copy moves to another real division of its kind and province that no case has (its name and code go together)
    from casebook.divisions import load_divisions

    case_yaml = lib / "cases" / "ordos-0001" / "case.yaml"
    text = case_yaml.read_text(encoding="utf-8")
    table = load_divisions(lib, [])
    code_of = re.compile(r'^adcode: "(\d{6})"', re.MULTILINE)
    code = code_of.search(text).group(1)
    taken = {code_of.search(p.read_text(encoding="utf-8")).group(1) for p in (lib / "cases").glob("*/case.yaml")}
    name = table.name_of(code)
    other = next(
        d
        for d in table.of_kind(table.kind_of(code))
        if d.code[:2] == code[:2] and d.code not in taken and d.name[-1] == name[-1]
    )
    case_yaml.write_text(text.replace(f"city: {name}\n", f"city: {other.name}\n").replace(code, other.code), "utf-8")
    renamed = pages(SiteBuild.prepare(lib, memory=memory))
    assert renamed == pages(SiteBuild.prepare(lib))
    grid = "mechanisms/grid_governance.md"
    assert other.name in renamed[grid] and other.name not in first[grid]


def test_serve_rebuild_keeps_themed_pages_and_writes_what_a_fresh_build_writes(project, tmp_path):
    """Two `mkdocs serve` rebuilds in one process (the hooks stay loaded, as in `serve`), with one case.yaml edited
    between them: every page written equals the page a serve build with an empty memory writes, the pages the
    edit does not reach are taken from the kept themed output, and the edited case's page shows the edit."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    from casebook.memory import BuildMemory

    def serve_build(site):
        config = load_config(config_file=str(project / "mkdocs.yml"), site_dir=str(site))
        config.site_url = "http://127.0.0.1:8000/"
        config.plugins.on_startup(command="serve", dirty=False)
        hooks = config.plugins["hooks/casebook_hooks.py"]
        build(config, serve_url="http://127.0.0.1:8000/")
        hooks._indexing.cancel()
        return hooks

    def written(site):
        return {
            p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*.html") if "pagefind" not in p.parts
        }

    hooks = serve_build(tmp_path / "a")
    hooks._memory.hits.update(cases=0, pages=0, themed=0)
    case = sorted(p for p in (project / "cases").iterdir() if (p / "case.yaml").exists())[0]
    text = (case / "case.yaml").read_text(encoding="utf-8")
    at = text.index("  notes:\n    - ") + len("  notes:\n    - ")
    (case / "case.yaml").write_text(text[:at] + "（修订测试）" + text[at:], encoding="utf-8")
    serve_build(tmp_path / "b")
    kept = hooks._memory.hits["themed"]
    hooks._memory = BuildMemory()  # a serve build that remembers nothing
    serve_build(tmp_path / "c")
    b, c = written(tmp_path / "b"), written(tmp_path / "c")
    assert b.keys() == c.keys()
    assert [name for name in b if b[name] != c[name]] == []
    assert "（修订测试）" in b[f"cases/{case.name}/index.html"].decode("utf-8")
    assert 0 < kept < len(b), "the pages the edit does not reach are kept, the others themed again"


def test_mechanism_and_comparison_pages_show_nothing_outside_a_cases_view(tmp_path):
    """memory.view_digest names what mechanism, handout and comparison pages show of a case. Editing what it leaves
    out (the source's notes, a furniture note, the narrative) must leave those pages byte-identical in a fresh
    build; if a template starts to show such a field, this test fails and view_digest must take it in."""
    from casebook.site import SiteBuild

    lib = generate(6, tmp_path / "lib6")
    kinds = ("mechanism", "handout_mechanism", "compare")
    before = {u: p for u, p in pages(SiteBuild.prepare(lib)).items()}
    for folder in sorted((lib / "cases").iterdir()):
        text = (folder / "case.yaml").read_text(encoding="utf-8")
        text = text.replace("  notes:\n    - ", "  notes:\n    - 编辑补注。", 1).replace("note: ", "note: 补注", 1)
        (folder / "case.yaml").write_text(text, encoding="utf-8")
        md = folder / "case.md"
        md.write_text(md.read_text(encoding="utf-8") + "\n编辑补充的一句话。\n", encoding="utf-8")
    build = SiteBuild.prepare(lib)
    after = pages(build)
    checked = [r.uri for r in build.routes if r.kind in kinds]
    assert checked and all(after[u] == before[u] for u in checked)
    assert any(after[u] != before[u] for u in after if u.startswith("cases/")), "the edits show on case pages"
