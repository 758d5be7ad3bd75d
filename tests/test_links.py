"""Links: every internal link of the built site leads to a page and an anchor that exist, the anchors the
link check knows are really on the pages, and the route list names exactly the pages that are built."""

from __future__ import annotations

import posixpath
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from conftest import ROOT


class _Refs(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.refs: list[tuple[str, str]] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        for key in ("id", "name"):
            if a.get(key):
                self.ids.add(a[key])
        for key in ("href", "src"):
            if a.get(key) and tag != "link":
                self.refs.append((tag, a[key]))


def _parse(site: Path) -> dict[str, _Refs]:
    pages = {}
    for path in site.rglob("*.html"):
        parser = _Refs()
        parser.feed(path.read_text(encoding="utf-8"))
        pages[path.relative_to(site).as_posix()] = parser
    return pages


def test_every_internal_link_and_anchor_of_the_built_site_resolves(site):
    pages = _parse(site)
    broken = []
    for rel, parser in pages.items():
        if rel == "404.html":
            continue  # its links are absolute (it is served for any path)
        for tag, ref in parser.refs:
            parts = urlsplit(ref)
            if parts.scheme or ref.startswith("//"):
                continue
            path = unquote(parts.path)
            target = posixpath.normpath(posixpath.join(posixpath.dirname(rel), path)) if path else rel
            if path.endswith("/") or (path and (site / target).is_dir()):
                target = posixpath.join(target, "index.html")
            if not (site / target).exists():
                broken.append(f"{rel}: <{tag}> {ref} (no {target})")
                continue
            if parts.fragment and target.endswith(".html"):
                ids = pages[target].ids
                if unquote(parts.fragment) not in ids:
                    broken.append(f"{rel}: <{tag}> {ref} (no #{parts.fragment} in {target})")
    assert not broken, "\n".join(broken[:40])


def test_the_anchors_the_link_check_knows_are_on_the_built_pages(site, library):
    from casebook.links import case_links, docs_pages, page_anchors
    from casebook.narrative import page_url

    anchors = page_anchors(
        [case_links(c) for c in library.cases],
        library.indicators,
        library.mechanisms,
        library.glossary,
        docs_pages(ROOT),
    )
    pages = _parse(site)
    assert len(anchors) > 5 * len(library.cases)
    for uri, ids in anchors.items():
        html = posixpath.join(page_url(uri), "index.html")
        assert html in pages, uri
        missing = set(ids or ()) - pages[html].ids
        assert not missing, f"{uri}: the link check expects {sorted(missing)}"


def test_the_route_list_names_exactly_the_generated_pages(library):
    from casebook.routes import RouteTable, page_uris

    built = set(RouteTable(library).routes)
    groups = sorted({v.definition.group for c in library.cases for v in c.values})
    assert page_uris([c.id for c in library.cases], groups, list(library.mechanisms), bool(library.glossary)) == built


def test_a_narrative_link_works_on_the_case_page_the_handout_and_the_edition(library, tmp_path):
    """Links are written relative to the case page; the handout and the print edition get them rewritten."""
    from casebook.narrative import Narrative

    n = Narrative(
        "## 背景\n\n见[白城市](baicheng.md#v-communities)与[网格治理](../mechanisms/grid_governance.md)。\n",
        "cases/karamay.md",
    )
    assert 'href="../baicheng/#v-communities"' in n.html("cases/karamay.md")
    assert 'href="../../../cases/baicheng/#v-communities"' in n.html("print/cases/karamay.md")
    assert 'href="../../cases/baicheng/#v-communities"' in n.html("print/edition.md")
    assert 'href="../../mechanisms/grid_governance/"' in n.html("print/edition.md")
    assert 'href="baicheng.html#v-communities"' in n.html("cases/karamay.md", directory_urls=False)


def test_the_guides_link_examples_work_on_every_page_a_narrative_appears_on(project, tmp_path):
    """The contributor guide's own examples (docs/guide.md, 链接), pasted into a narrative: `check` passes, the
    strict build passes, and on the case page, its handout and the print edition each link leads to the page
    and anchor it names."""
    import re

    from conftest import run_build, run_check

    guide = (ROOT / "docs" / "guide.md").read_text(encoding="utf-8")
    row = next(line for line in guide.splitlines() if line.startswith("| 链接 |"))
    examples = re.findall(r"`(\[[^\]]+\]\([^)]+\))`", row)
    assert len(examples) >= 3, row
    host = next(p for p in sorted((project / "cases").iterdir()) if p.name != "baicheng" and (p / "case.md").exists())
    narrative = host / "case.md"
    narrative.write_text(
        narrative.read_text(encoding="utf-8") + "\n## 延伸阅读\n\n" + "、".join(examples) + "。\n", encoding="utf-8"
    )
    checked = run_check(project)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    site = tmp_path / "site"
    built = run_build(project, site)
    assert built.returncode == 0, built.stderr
    pages = _parse(site)
    wanted = [urlsplit(re.search(r"\(([^)]+)\)", e).group(1)) for e in examples]
    for page_path in (
        f"cases/{host.name}/index.html",
        f"print/cases/{host.name}/index.html",
        "print/edition/index.html",
    ):
        refs = pages[page_path]
        for want in wanted:
            name = posixpath.splitext(posixpath.basename(want.path))[0]
            hits = [
                href
                for tag, href in refs.refs
                if tag == "a" and f"/{name}/" in href and unquote(urlsplit(href).fragment) == want.fragment
            ]
            assert hits, (page_path, want.geturl())
            for href in hits:
                parts = urlsplit(href)
                target = posixpath.normpath(posixpath.join(posixpath.dirname(page_path), unquote(parts.path)))
                target_page = pages.get(target + "/index.html") or pages.get(target)
                assert target_page is not None, (page_path, href)
                assert not parts.fragment or unquote(parts.fragment) in target_page.ids, (page_path, href)
