"""One site build: check the library, then hand every generated page to MkDocs as HTML.

MkDocs gets, for each route, a minimal Markdown source (front matter only) and, when it asks for the page's
content, the HTML our templates render: the heading up to the page's ``<h1>`` and a marker. The rest of the
page is kept compressed until MkDocs has put the page into the theme (``inject``), so a build holds one page's
HTML at a time rather than every page's, whatever the size of the library. Python-Markdown never parses
generated content. Every link a page writes is checked against the route table and the ids the pages
really have (:meth:`SiteBuild.check_links`).
"""

from __future__ import annotations

import json
import multiprocessing
import os
import posixpath
import re
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

from .display import front_matter_string
from .downloads import files as download_files
from .library import Library, load_library
from .links import doc_anchors, docs_pages
from .memory import BuildMemory, digest, files_digest, page_inputs, view_digest
from .problems import LibraryError
from .render import Renderer, RenderError, page_ids, page_links, toc_tokens
from .routes import RouteTable
from .side_by_side import files as side_by_side_files

MARKER = "<!--casebook:page-body-->"
_EXTERNAL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:|^//")
# The theme template MkDocs is given for a page whose themed output is kept from the previous `serve` rebuild
# (overrides/casebook-kept.html: one comment, replaced by the kept output in on_post_page).
KEPT_TEMPLATE = "casebook-kept.html"
PARALLEL_FROM = 200  # pages; below this, starting workers costs more than it saves
_WORKER_BUILD: SiteBuild | None = None  # the build a forked worker renders pages of


def _version(distribution: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(distribution)
    except PackageNotFoundError:
        return "-"


def _render_chunk(uris: list[str]) -> list:
    build = _WORKER_BUILD
    assert build is not None
    out = []
    for uri in uris:
        page, targets, errors = build._render(uri)
        out.append((uri, page, targets, errors))
    return out


@dataclass
class RenderedPage:
    head: str  # the content up to the end of its <h1> (what MkDocs and the theme see), plus MARKER
    body: bytes  # the rest, compressed
    toc: list[dict]  # Python-Markdown toc tokens
    ids: frozenset[str]


@dataclass
class SiteBuild:
    library: Library
    routes: RouteTable
    renderer: Renderer
    files: dict[str, str] = field(default_factory=dict)  # generated non-page files (downloads)
    rendered: dict[str, RenderedPage] = field(default_factory=dict)
    # every internal link target (page uri, anchor) written, with the first page that wrote it
    targets: dict[tuple[str, str], str] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    memory: BuildMemory | None = None  # during `mkdocs serve`: pages and cases kept from the previous build
    # with a memory: digests of what every page depends on (templates, data files), of the list of cases' names,
    # of each case (memory.page_inputs), and of what the theme puts around every page
    _global: str = ""
    _names: str = ""
    _case_digests: dict[str, str] = field(default_factory=dict)
    _theme: str = ""

    class Failed(Exception):
        """The library has problems; the message lists all of them."""

    @classmethod
    def prepare(cls, root: Path, directory_urls: bool = True, memory: BuildMemory | None = None) -> SiteBuild:
        # in this process: sending loaded cases back from workers costs about what loading them does
        library, problems = load_library(root, jobs=1, memory=memory)
        if problems:
            raise cls.Failed(LibraryError(problems, root).report())
        routes = RouteTable(library, directory_urls)
        build = cls(
            library,
            routes,
            Renderer(library, routes, root / "templates"),
            download_files(library) | side_by_side_files(library, routes),
            memory=memory,
        )
        if memory is not None:
            templates = sorted(p for p in (root / "templates").rglob("*") if p.is_file())
            data = [
                root / "data" / name
                for name in ("indicators.yaml", "mechanisms.yaml", "glossary.yaml", "policy.yaml", "site.yaml")
            ]
            build._global = digest(files_digest(templates + data), str(directory_urls))
            build._names = digest(*(f"{c.id}\t{c.data.city}\t{c.data.city_en}" for c in library.cases))
            build._case_digests = {c.id: c.digest for c in library.cases}
            build._case_digests.update({c.id + "/data": c.data_digest for c in library.cases})
            build._case_digests.update({c.id + "/view": view_digest(c) for c in library.cases})
            # what MkDocs' theme puts around every page besides its content: the navigation (it sets prev/next
            # too), the theme override, the hand-written pages and the configuration, and the theme's version
            theme_files = sorted(
                p for folder in ("overrides", "docs") for p in (root / folder).rglob("*") if p.is_file()
            ) + [root / "mkdocs.yml"]
            build._theme = digest(
                files_digest(theme_files), repr(build.nav), *(_version(name) for name in ("mkdocs", "mkdocs-material"))
            )
            live = set(routes.routes)
            for store in (memory.pages, memory.themed):
                for uri in [u for u in store if u not in live]:
                    del store[uri]
        return build

    @property
    def nav(self) -> list:
        return self.routes.nav()

    def search_glossary(self) -> dict:
        """The glossary as the search box shows a term's entry (``casebook.search.glossary_data``)."""
        from .search import glossary_data

        cities = {c.id: c.data.city for c in self.library.cases}
        return glossary_data(self.library.glossary or [], self.routes, cities)

    def markdown(self, uri: str) -> str:
        """The Markdown source MkDocs reads for a generated page: front matter only."""
        route = self.routes[uri]
        lines = [f"title: {front_matter_string(route.title)}"]
        for key, value in route.meta.items():
            lines.append(f"{key}: {json.dumps(value, ensure_ascii=False)}")
        return "---\n" + "\n".join(lines) + "\n---\n"

    # -- pages ------------------------------------------------------------------------------------------
    def render(self, uri: str) -> RenderedPage:
        """The page, rendered now unless :meth:`prerender` rendered it already; its ids and links recorded."""
        page = self.rendered.get(uri)
        if page is None:
            fingerprint = self._fingerprint(uri)
            kept = self.memory.pages.get(uri) if self.memory is not None else None
            if self.memory is not None and kept is not None and kept[0] == fingerprint:
                _, page, targets, errors = kept
                self.memory.hits["pages"] += 1
            else:
                page, targets, errors = self._render(uri)
                if self.memory is not None:
                    self.memory.pages[uri] = (fingerprint, page, targets, errors)
            self._keep(uri, page, targets, errors)
        return page

    def _fingerprint(self, uri: str) -> str | None:
        """A digest of everything the page's HTML depends on (None without a memory)."""
        if self.memory is None:
            return None
        route = self.routes[uri]
        inputs = page_inputs(route, self.library, self._case_digests, self._names, self.renderer)
        return digest(self._global, route.kind, route.key or "", *inputs)

    def _render(self, uri: str) -> tuple[RenderedPage, dict[tuple[str, str], str], list[str]]:
        try:
            html = self.renderer.render(uri)
        except RenderError as exc:
            raise self.Failed(str(exc)) from None
        end = html.find("</h1>")
        cut = end + len("</h1>") if end >= 0 else 0
        page = RenderedPage(
            html[:cut] + MARKER,
            zlib.compress(html[cut:].encode("utf-8"), 1),
            toc_tokens(html),
            frozenset(page_ids(html)),
        )
        targets, errors = self._links_of(uri, html)
        return page, targets, errors

    def _keep(self, uri: str, page: RenderedPage, targets: dict, errors: list[str]) -> None:
        self.rendered[uri] = page
        for key, origin in targets.items():
            if key not in self.targets or origin < self.targets[key]:
                self.targets[key] = origin  # the first page by uri: the same message whatever the order
        self.errors.extend(errors)

    def prerender(self, jobs: int | None = None) -> None:
        """Render every page before MkDocs asks for them, on every core: pages are independent of one another,
        and each worker (a fork of this process) returns compressed pages. One process for a small site."""
        uris = [r.uri for r in self.routes if r.uri not in self.rendered]
        jobs = jobs or os.cpu_count() or 1
        if jobs < 2 or len(uris) < PARALLEL_FROM or "fork" not in multiprocessing.get_all_start_methods():
            for uri in uris:
                self.render(uri)
            return
        # the views every page kind shares, computed once here and inherited by the workers
        for name in ("tags", "columns", "compare_groups", "mechanisms_by_group", "volumes", "annotator"):
            getattr(self.renderer, name)
        # the heaviest pages first, so that no worker is left with one at the end
        weight = {
            "edition_volume": 0,
            "edition": 1,
            "compare": 2,
            "handout_mechanism": 2,
            "mechanism": 2,
            "downloads": 3,
            "glossary": 3,
            "home": 3,
        }
        uris.sort(key=lambda u: weight.get(self.routes[u].kind, 9))
        chunks = [uris[i : i + 16] for i in range(0, len(uris), 16)]
        global _WORKER_BUILD
        _WORKER_BUILD = self
        try:
            with multiprocessing.get_context("fork").Pool(jobs) as pool:
                for results in pool.imap_unordered(_render_chunk, chunks):
                    for uri, page, targets, errors in results:
                        self._keep(uri, page, targets, errors)
        finally:
            _WORKER_BUILD = None

    def inject(self, uri: str, output: str) -> str:
        """The themed page with its content's body put back in place of the marker."""
        page = self.rendered.get(uri)
        if page is None:
            return output
        body = zlib.decompress(page.body).decode("utf-8")
        return output.replace(MARKER, body, 1)

    # -- themed pages kept across `mkdocs serve` rebuilds ---------------------------------------------------
    def _themed_key(self, uri: str) -> str | None:
        if self.memory is None or uri not in self.routes:
            return None
        return digest(self._fingerprint(uri) or "", self._theme)

    def themed_is_kept(self, uri: str) -> bool:
        """True when the page's themed output from the previous rebuild is still right (its content and everything
        the theme puts around it are unchanged), so the theme need not render it again: MkDocs is given
        KEPT_TEMPLATE for it, and :meth:`finish` puts the kept output in its place."""
        key = self._themed_key(uri)
        kept = self.memory.themed.get(uri) if self.memory is not None and key is not None else None
        return kept is not None and kept[0] == key

    def finish(self, uri: str, output: str) -> str:
        """The page as written: the themed output with its body put back (and kept for the next rebuild), or,
        for a page whose themed output was kept, that output."""
        key = self._themed_key(uri)
        if key is not None and self.memory is not None:
            kept = self.memory.themed.get(uri)
            if kept is not None and kept[0] == key:
                self.memory.hits["themed"] = self.memory.hits.get("themed", 0) + 1
                return zlib.decompress(kept[1]).decode("utf-8")
            output = self.inject(uri, output)
            self.memory.themed[uri] = (key, zlib.compress(output.encode("utf-8"), 1))
            return output
        return self.inject(uri, output)

    # -- links ------------------------------------------------------------------------------------------
    def _links_of(self, uri: str, html: str) -> tuple[dict[tuple[str, str], str], list[str]]:
        """The internal link targets (page uri, anchor) a page writes, and links that lead nowhere."""
        route = self.routes[uri]
        targets: dict[tuple[str, str], str] = {}
        errors: list[str] = []
        resolved: dict[str, str | None] = {}
        for href in set(page_links(html)):
            path, _, fragment = href.partition("#")
            path = path.partition("?")[0]  # a query (the cases index's filters) is not part of the page's address
            if _EXTERNAL.match(path):
                continue  # another site (narratives may link to http(s) addresses)
            if path not in resolved:
                resolved[path] = self._target(route.url, unquote(path)) if path else uri
            target = resolved[path]
            if target is None:
                errors.append(
                    f"templates/{route.template} ({uri}): a link to {href}, which is not a page or file of this site"
                )
                continue
            targets.setdefault((target, unquote(fragment)), uri)
        return targets, errors

    def _target(self, here_url: str, path: str) -> str | None:
        """The page uri (or file) a relative URL written on the page at ``here_url`` leads to."""
        base = here_url if here_url.endswith("/") or not here_url else posixpath.dirname(here_url) + "/"
        resolved = posixpath.normpath(posixpath.join(base, path))
        resolved = "" if resolved == "." else resolved
        if path.endswith("/") and resolved:
            resolved += "/"
        return self._by_url.get(resolved)

    @property
    def _by_url(self) -> dict[str, str]:
        if not hasattr(self, "_urls"):
            urls = {r.url: r.uri for r in self.routes}
            for uri in list(self.routes.docs) + list(self.routes.files):
                urls[self.routes.url_of(uri)] = uri
            self._urls = urls
        return self._urls

    def check_links(self) -> list[str]:
        """Every link written by every rendered page: the page exists (checked as it was written) and has the
        anchor. Returns the problems, each naming the template and page that wrote the link."""
        problems = sorted(self.errors)
        docs = {uri: doc_anchors(text) for uri, (_, text) in docs_pages(self.library.root).items()}
        for (target, anchor), origin in sorted(self.targets.items()):
            if not anchor:
                continue
            if target in self.rendered:
                ids = self.rendered[target].ids
            elif target in docs:
                ids = frozenset(docs[target])
            else:
                continue  # a download: it has no anchors to check
            if anchor not in ids:
                route = self.routes[origin]
                problems.append(
                    f"templates/{route.template} ({origin}): a link to {target}#{anchor}, which has no such anchor"
                )
        return problems
