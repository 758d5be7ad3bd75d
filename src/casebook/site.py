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
import posixpath
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .display import front_matter_string
from .downloads import files as download_files
from .library import Library, load_library
from .links import doc_anchors, docs_pages
from .problems import LibraryError
from .render import Renderer, RenderError, page_ids, page_links, toc_tokens
from .routes import RouteTable

MARKER = "<!--casebook:page-body-->"


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

    class Failed(Exception):
        """The library has problems; the message lists all of them."""

    @classmethod
    def prepare(cls, root: Path, directory_urls: bool = True) -> "SiteBuild":
        library, problems = load_library(root)
        if problems:
            raise cls.Failed(LibraryError(problems, root).report())
        routes = RouteTable(library, directory_urls)
        return cls(library, routes, Renderer(library, routes, root / "templates"), download_files(library))

    @property
    def nav(self) -> list:
        return self.routes.nav()

    def markdown(self, uri: str) -> str:
        """The Markdown source MkDocs reads for a generated page: front matter only."""
        route = self.routes[uri]
        lines = [f"title: {front_matter_string(route.title)}"]
        for key, value in route.meta.items():
            lines.append(f"{key}: {json.dumps(value, ensure_ascii=False)}")
        return "---\n" + "\n".join(lines) + "\n---\n"

    # -- pages ------------------------------------------------------------------------------------------
    def render(self, uri: str) -> RenderedPage:
        """Render one page; record its ids and the links it writes."""
        try:
            html = self.renderer.render(uri)
        except RenderError as exc:
            raise self.Failed(str(exc)) from None
        end = html.find("</h1>")
        cut = end + len("</h1>") if end >= 0 else 0
        page = RenderedPage(html[:cut] + MARKER, zlib.compress(html[cut:].encode("utf-8"), 1), toc_tokens(html),
                            frozenset(page_ids(html)))
        self._record_links(uri, html)
        self.rendered[uri] = page
        return page

    def inject(self, uri: str, output: str) -> str:
        """The themed page with its content's body put back in place of the marker."""
        page = self.rendered.get(uri)
        if page is None:
            return output
        body = zlib.decompress(page.body).decode("utf-8")
        return output.replace(MARKER, body, 1)

    # -- links ------------------------------------------------------------------------------------------
    def _record_links(self, uri: str, html: str) -> None:
        route = self.routes[uri]
        for href in page_links(html):
            parts = urlsplit(href)
            if parts.scheme or href.startswith("//"):
                continue  # another site (narratives may link to http(s) addresses)
            target = self._target(route.url, unquote(parts.path)) if parts.path else uri
            if target is None:
                self.errors.append(f"templates/{route.template} ({uri}): a link to {href}, which is not a page or "
                                   "file of this site")
                continue
            self.targets.setdefault((target, unquote(parts.fragment)), uri)

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
        problems = list(self.errors)
        docs = {uri: doc_anchors(text) for uri, (_, text) in docs_pages(self.library.root).items()}
        for (target, anchor), origin in sorted(self.targets.items()):
            if not anchor:
                continue
            if target in self.rendered:
                ids = self.rendered[target].ids
            elif target in docs:
                ids = docs[target]
            else:
                continue  # a download: it has no anchors to check
            if anchor not in ids:
                route = self.routes[origin]
                problems.append(f"templates/{route.template} ({origin}): a link to {target}#{anchor}, which has "
                                f"no such anchor")
        return problems
