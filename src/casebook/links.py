"""Links written by editors (narratives, hand-written pages) must lead to a page and an anchor that exist.

``check`` and the build run :func:`check_links` after every case has loaded, so a dead link is reported
with its file, line and column before anything is built. The anchors of generated pages are computed from
the data, page kind by page kind, the way the templates write them (a test compares them with a built
site); a page kind whose anchors are not modelled accepts links to the page itself, not to an anchor in it.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from .narrative import Link, _masked, resolve
from .problems import Problem
from .routes import DOWNLOADS  # the files the site publishes besides pages, which a narrative may link to


@lru_cache(maxsize=1)
def _slugify():
    from pymdownx.slugs import slugify  # the same slugify as mkdocs.yml's toc extension

    return slugify(case="lower")


def heading_ids(headings: list[str], taken: set[str]) -> list[str]:
    """The ids Python-Markdown's toc extension gives these headings (duplicates get _1, _2 …)."""
    from markdown.extensions.toc import unique

    slug = _slugify()
    out = []
    for text in headings:
        out.append(unique(slug(text, "-"), taken))  # unique() adds the id to ``taken``
    return out


@dataclass
class CaseLinks:
    """What the link check needs of one case (computed where the case was loaded, also in a worker)."""

    id: str
    narrative_path: Path
    links: list[Link]
    anchors: dict[str, set[str] | None]  # page -> anchors, for the case's own pages (None: not known)
    indicators: set[str] = field(default_factory=set)
    mechanisms: set[str] = field(default_factory=set)


def case_links(case) -> CaseLinks:
    """``case``: a loaded CaseRecord."""
    fixed = {"values"}
    if any(v.data.derived is not None for v in case.values):
        fixed.add("derived")
    if case.tags:
        fixed.add("mechanisms")
    page_ids = fixed | {v.anchor for v in case.values}
    page_ids |= set(heading_ids([text for _, text in case.narrative_doc.headings()], set(page_ids)))
    source_ids = {"original"} | {f"p{p.number}" for p in case.source.paragraphs} | {c.anchor for c in case.citations()}
    if case.data.source.script == "zh-Hant":
        source_ids |= {"simplified"} | {f"s{p.number}" for p in case.source.paragraphs}
    return CaseLinks(
        case.id,
        case.folder / "case.md",
        case.narrative_doc.links,
        {f"cases/{case.id}.md": page_ids, f"sources/{case.id}.md": source_ids},
        {v.data.indicator for v in case.values},
        {t.data.mechanism for t in case.tags},
    )


def narrative_links(folder: Path, narrative) -> CaseLinks:
    """The links of a case that did not load: its pages exist, but their anchors are unknown (``anchors`` None)."""
    return CaseLinks(
        folder.name,
        folder / "case.md",
        narrative.links,
        {f"cases/{folder.name}.md": None, f"sources/{folder.name}.md": None},
    )


_DOC_HEADING = re.compile(r"^(#{1,6})[ \t]+(.*?)(?:[ \t]+\{[ \t]*#([\w-]+)[^}]*\})?[ \t#]*$", re.MULTILINE)
_MD_LINK = re.compile(r"!?\[[^\]\n]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")


def docs_pages(root: Path, problems: list[Problem] | None = None) -> dict[str, tuple[Path, str]]:
    """Hand-written pages: src uri -> (path, text). Symbolic links are not followed (they are reported by
    :func:`casebook.confine.symlinks_under`)."""
    import os

    from .confine import read_bytes
    from .yamlload import decode

    docs = root / "docs"
    out: dict[str, tuple[Path, str]] = {}
    if not docs.is_dir() or docs.is_symlink():
        return out
    sink: list[Problem] = problems if problems is not None else []
    for dirpath, dirnames, filenames in os.walk(docs):
        dirnames[:] = sorted(d for d in dirnames if not (Path(dirpath) / d).is_symlink())
        for name in sorted(filenames):
            path = Path(dirpath) / name
            if not name.endswith(".md") or path.is_symlink():
                continue
            raw = read_bytes(path, root, "markdown", sink)
            text = decode(raw, path, sink) if raw is not None else None
            if text is not None:
                out[path.relative_to(docs).as_posix()] = (path, text)
    return dict(sorted(out.items()))


def docs_files(root: Path) -> set[str]:
    """Every file of docs/ by its site path (stylesheets, scripts, images), symbolic links left out."""
    import os

    docs = root / "docs"
    out = set()
    if docs.is_dir() and not docs.is_symlink():
        for dirpath, dirnames, filenames in os.walk(docs):
            dirnames[:] = [d for d in dirnames if not (Path(dirpath) / d).is_symlink()]
            out |= {
                (Path(dirpath) / f).relative_to(docs).as_posix()
                for f in filenames
                if not (Path(dirpath) / f).is_symlink()
            }
    return out


def doc_anchors(text: str) -> set[str]:
    body = re.sub(r"^---\n.*?\n---\n", "", text, count=1, flags=re.DOTALL)
    taken: set[str] = set()
    ids = set()
    for m in _DOC_HEADING.finditer(body):
        if m.group(3):
            taken.add(m.group(3))
            ids.add(m.group(3))
        else:
            ids.update(heading_ids([re.sub(r"[*_`]", "", m.group(2))], taken))
    return ids


def doc_links(text: str, uri: str) -> list[Link]:
    links = []
    for m in _MD_LINK.finditer(_masked(text)):
        target = m.group(1)
        line = text.count("\n", 0, m.start(1)) + 1
        col = m.start(1) - (text.rfind("\n", 0, m.start(1)) + 1) + 1
        site_path, anchor = resolve(target, uri)
        links.append(Link(target, site_path, anchor, line, col))
    return links


def page_anchors(
    cases: list[CaseLinks], indicators: dict, mechanisms: dict, glossary: list | None, docs: dict[str, tuple[Path, str]]
) -> dict[str, set[str] | None]:
    """The anchors of every page whose anchors are known: page uri -> ids (None: a page of a case that did not
    load, whose anchors are unknown)."""
    anchors: dict[str, set[str] | None] = {}
    for c in cases:
        anchors.update(c.anchors)
    tagged: dict[str, list[str]] = {}
    counts: dict[str, int] = {}
    for c in cases:
        for k in c.indicators:
            counts[k] = counts.get(k, 0) + 1
        for m in c.mechanisms:
            tagged.setdefault(m, []).append(c.id)
    for mid, m in mechanisms.items():
        ids = set(tagged.get(mid, [])) | {"not-reported"}
        if any(k in counts for k in m.related_indicators):
            ids.add("indicators")
        if any(r in mechanisms for r in m.related_mechanisms):
            ids.add("related")
        anchors[f"mechanisms/{mid}.md"] = ids  # "terms" is added below when a glossary entry names it
    for key, n in counts.items():
        d = indicators.get(key)
        if d is None:
            continue
        group_ids = anchors.setdefault(f"compare/{d.group}.md", {"definitions"})
        assert group_ids is not None  # comparison pages' anchors are always known
        group_ids.add(key)
        if n >= 2:
            group_ids |= {"charts", f"chart-{key}", f"svg-{key}"}
    if glossary is not None:  # glossary.Entry objects; None when the glossary did not load
        ids = {e.anchor for e in glossary}
        ids |= {"sec-09" if e.section == "0–9" else f"sec-{e.section.lower()}" for e in glossary}
        anchors["glossary.md"] = ids
        for e in glossary:
            for m in e.data.mechanisms:
                if anchors.get(f"mechanisms/{m}.md") is not None:
                    anchors[f"mechanisms/{m}.md"].add("terms")  # type: ignore[union-attr]
    for uri, (_, text) in docs.items():
        anchors[uri] = doc_anchors(text)
    return anchors


def check_links(
    root: Path,
    cases: list[CaseLinks],
    pages: set[str],
    indicators: dict,
    mechanisms: dict,
    glossary: list | None,
    problems: list[Problem],
    docs: dict[str, tuple[Path, str]] | None = None,
) -> None:
    """Every narrative and hand-written link leads to a page (or download) of the site, and to an anchor
    that page has. ``pages``: every page source uri of the site."""
    docs = docs if docs is not None else docs_pages(root)
    anchors = page_anchors(cases, indicators, mechanisms, glossary, docs)
    targets = [(c.narrative_path, f"cases/{c.id}.md", link) for c in cases for link in c.links]
    targets += [(path, uri, link) for uri, (path, text) in docs.items() for link in doc_links(text, uri)]
    files = pages | set(DOWNLOADS) | docs_files(root)
    for path, home, link in targets:
        _check_one(path, home, link, files, anchors, problems)


def _check_one(path: Path, home: str, link: Link, files: set[str], anchors: dict, problems: list[Problem]) -> None:
    where = (path, link.line, link.column)
    if link.target.startswith("//"):
        problems.append(
            Problem(
                *where, f"link without a scheme: {link.target}", f"write the address in full, e.g. https:{link.target}"
            )
        )
        return
    if link.site_path is None:
        return  # an http(s) address (other schemes never get this far: check reports them)
    if link.target.startswith("/"):
        problems.append(
            Problem(
                *where,
                f"absolute link {link.target}",
                "write the link relative to this page, e.g. ../mechanisms/grid_governance.md",
            )
        )
        return
    target = link.site_path
    if target not in files:
        if target.endswith("/") or "." not in posixpath.basename(target):
            guess = target.rstrip("/") + ".md"
            hint = (
                f"link to the page's Markdown file: {posixpath.relpath(guess, posixpath.dirname(home) or '.')}"
                if guess in files
                else _closest(target, home, files)
            )
        else:
            hint = _closest(target, home, files)
        problems.append(Problem(*where, f"link to a page that does not exist: {link.target}", hint))
        return
    if not link.anchor:
        return
    if target in anchors and anchors[target] is None:
        return  # a page of a case that did not load: its anchors are unknown until its problems are fixed
    known = anchors.get(target)
    if known is None:
        problems.append(
            Problem(
                *where,
                f"link to '#{link.anchor}' in {target}, whose anchors are not checked",
                f"link to the page without '#{link.anchor}'",
            )
        )
    elif link.anchor not in known:
        import difflib

        close = difflib.get_close_matches(link.anchor, sorted(known), n=1, cutoff=0.5)
        hint = (
            f"did you mean '#{close[0]}'?"
            if close
            else "its anchors are: " + ", ".join(sorted(known)[:8]) + (" …" if len(known) > 8 else "")
        )
        problems.append(
            Problem(
                *where,
                f"link to an anchor that does not exist: {link.target}",
                f"{target} has no '#{link.anchor}'; {hint}",
            )
        )


def _closest(target: str, home: str, files: set[str]) -> str:
    """A hint naming the existing page most like ``target``, written relative to ``home``: file names are
    compared first (a misspelt case id), then whole paths; printed handouts only for a link into print/."""
    import difflib

    base = posixpath.dirname(home) or "."

    def ratio(a: str, b: str) -> float:
        return difflib.SequenceMatcher(None, a, b).ratio()

    name = posixpath.basename(target)
    scored = []
    for f in files:
        if f == target or (f.startswith("print/") and not target.startswith("print/")):
            continue
        if posixpath.splitext(f)[1] != posixpath.splitext(target)[1]:
            continue  # a page for a page, a download for a download
        by_name, by_path = ratio(name, posixpath.basename(f)), ratio(target, f)
        if by_name >= 0.6 or by_path >= 0.75:  # folders alike make any two paths look alike
            same_folder = posixpath.dirname(f) == posixpath.dirname(target)
            scored.append((max(by_name, by_path), same_folder, by_path, f))
    if scored:
        best = max(scored)[3]
        return f"no page {target}; did you mean {posixpath.relpath(best, base)}?"
    return f"no page {target} in this site; link to an existing page, e.g. {posixpath.relpath('index.md', base)}"
