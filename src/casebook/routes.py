"""The route table: every page the site generates, in one place.

A :class:`Route` knows a page's source uri (``cases/karamay.md``), URL (``cases/karamay/``), title and kind.
The navigation, the templates' relative links, the link check, the annotation scope and ``check`` all ask
the :class:`RouteTable`; no other list of pages exists. ``page_uris`` gives the same uris from a library's
case ids alone (for ``check``, which does not build pages).
"""

from __future__ import annotations

from dataclasses import dataclass, field

# The print edition is one page up to this many cases; a larger library gets volumes of this many cases each
# (a single page grows with the library, and a page of tens of MB slows every tool that reads it).
EDITION_CASES_PER_VOLUME = 50

# Hand-written pages (docs/) and their titles in the navigation; a page of docs/ that is not listed here would
# make the strict build fail (MkDocs warns about pages left out of the navigation), so check reports it.
DOCS_IN_NAV = {"methodology.md": "方法说明", "guide.md": "编辑指南"}

# Up to this many cases, the navigation lists every case and source; beyond it only the cases index (whose cards
# link each case and its source). MkDocs renders the whole navigation into every page, so a navigation that
# grows with the library makes the build quadratic, and a sidebar of hundreds of cities helps no reader.
NAV_CASES_LISTED_UP_TO = 30

# The case × mechanism matrix (its own page, grouped by province, filterable like the cases index) and the
# pick-and-compare view (2–4 cases side by side; the URL holds the selection: side-by-side/?c=a,b,c).
MATRIX_TITLE = "案例 × 机制"
SIDE_BY_SIDE_TITLE = "案例对照"
# One small JSON file per case that the pick-and-compare view loads for the cases a reader chose (site path).
SIDE_BY_SIDE_DATA = "side-by-side/data"

# The codebook page (every indicator: what it counts, units, levels, comparability, the cases reporting it).
CODEBOOK_TITLE = "指标编码手册"

# The downloads published beside the pages (site path -> what it holds, for the downloads page).
DOWNLOADS = (
    "downloads/indicators.csv",
    "downloads/indicators.json",
    "downloads/codebook.csv",
    "downloads/codebook.json",
    "downloads/mechanisms.csv",
    "downloads/mechanisms.json",
    "downloads/cases.json",
    "downloads/sources.csl.json",
    "downloads/sources.bib",
)

PRINT_KINDS = {"handout_case", "handout_mechanism", "edition", "edition_volume"}
# The build prints every printed page to PDF into this folder of the site (casebook.site_pdf); names are stable.
PDF_FOLDER = "pdf"
# Pages whose terms get glossary links and tooltips (reading pages about cases and mechanisms).
ANNOTATED_KINDS = {"case", "source", "mechanism", "handout_case", "handout_mechanism", "edition", "edition_volume"}


def pdf_name(kind: str, key: str | None) -> str:
    """The PDF file name of a printed page: case-<id>.pdf, mechanism-<id>.pdf, casebook-edition[-<k>].pdf."""
    return {
        "handout_case": f"case-{key}.pdf",
        "handout_mechanism": f"mechanism-{key}.pdf",
        "edition": "casebook-edition.pdf",
        "edition_volume": f"casebook-edition-{key}.pdf",
    }[kind]


def side_by_side_data(case_id: str) -> str:
    """The site path of a case's data file for the pick-and-compare view."""
    return f"{SIDE_BY_SIDE_DATA}/{case_id}.json"


def n_volumes(n_cases: int) -> int:
    return max(1, -(-n_cases // EDITION_CASES_PER_VOLUME))


def page_url(src_uri: str, directory_urls: bool = True) -> str:
    """The URL path MkDocs gives a page (``cases/baicheng.md`` -> ``cases/baicheng/``); other files keep theirs."""
    if not src_uri.endswith(".md"):
        return src_uri
    stem = src_uri[:-3]
    if not directory_urls:
        return stem + ".html"
    if stem == "index" or stem.endswith("/index"):
        return stem[:-5]
    return stem + "/"


def relative_url(target_url: str, from_url: str) -> str:
    """``target_url`` relative to the page at ``from_url`` (both site-relative URL paths, as MkDocs writes
    them: ``cases/karamay/``, ``downloads/indicators.csv``, ``""`` for the home page): the shortest path, the
    way ``posixpath.relpath`` gives it (a test compares the two)."""
    here = from_url.split("/")[:-1]  # the folder the page is in: "a/b/" -> [a, b]; "a/b.html" -> [a]
    target = target_url.split("/")
    folders, last = target[:-1], target[-1]  # "cases/x/" -> [cases, x] and ""; "d/f.csv" -> [d] and "f.csv"
    common = 0
    while common < len(here) and common < len(folders) and here[common] == folders[common]:
        common += 1
    parts = [".."] * (len(here) - common) + folders[common:]
    if last:
        parts.append(last)
        return "/".join(parts)
    return "/".join(parts) + "/" if parts else "./"


@dataclass(frozen=True)
class Route:
    uri: str  # source uri, e.g. cases/karamay.md
    url: str  # URL path, e.g. cases/karamay/
    title: str  # page title, plain text
    kind: str  # which template renders it: case, source, mechanism, compare, ...
    key: str | None = None  # the case, mechanism or group id, or the volume number
    template: str = ""
    meta: dict = field(default_factory=dict, hash=False, compare=False)

    @property
    def annotated(self) -> bool:
        return self.kind in ANNOTATED_KINDS

    @property
    def printed(self) -> bool:
        return self.kind in PRINT_KINDS


def page_uris(case_ids: list[str], group_ids: list[str], mechanism_ids: list[str], glossary: bool) -> set[str]:
    """Every generated page's uri, from ids alone (``check`` knows no more before the cases are loaded).
    ``group_ids``: indicator groups with at least one cited value. Equal to the route table's uris (tested)."""
    pages = {
        "index.md",
        "cases/index.md",
        "mechanisms/index.md",
        "compare/index.md",
        "matrix.md",
        "side-by-side.md",
        "codebook.md",
        "downloads.md",
        "print/index.md",
        "print/edition.md",
    }
    if glossary:
        pages.add("glossary.md")
    for c in case_ids:
        pages |= {f"cases/{c}.md", f"sources/{c}.md", f"print/cases/{c}.md"}
    for m in mechanism_ids:
        pages |= {f"mechanisms/{m}.md", f"print/mechanisms/{m}.md"}
    pages |= {f"compare/{g}.md" for g in group_ids}
    volumes = n_volumes(len(case_ids))
    if volumes > 1:
        pages |= {f"print/edition-{k}.md" for k in range(1, volumes + 1)}
    return pages


_PRINT_META = {"search": {"exclude": True}, "hide": ["navigation", "toc"]}
#: Comparison pages are wide tables and charts: they use the whole width, without the navigation sidebar (on a
#: phone the navigation is in the drawer as on every page).
_WIDE_META = {"hide": ["navigation"]}


class RouteTable:
    """Every generated page of one library, in a stable order, and how pages link to one another."""

    def __init__(self, library, directory_urls: bool = True):
        self.directory_urls = directory_urls
        self.routes: dict[str, Route] = {}
        lib = library
        self._add("index.md", "首页", "home")
        self._add("cases/index.md", "案例", "cases_index")
        for c in lib.cases:
            self._add(f"cases/{c.id}.md", f"{c.data.city} {c.data.city_en}", "case", c.id)
            self._add(f"sources/{c.id}.md", f"原文：{c.data.city}", "source", c.id)
        self._add("mechanisms/index.md", "机制", "mechanisms_index")
        for m in lib.mechanisms.values():
            self._add(f"mechanisms/{m.id}.md", f"机制：{m.name}", "mechanism", m.id)
        self._add("compare/index.md", "数据比较", "compare_index")
        used = {v.definition.group for c in lib.cases for v in c.values}
        self.groups = [g for g in lib.groups if g.id in used]
        for g in self.groups:
            self._add(f"compare/{g.id}.md", f"比较：{g.name}", "compare", g.id, _WIDE_META)
        self._add("matrix.md", MATRIX_TITLE, "matrix", None, _WIDE_META)
        # the chosen cases in columns: the whole width, without the side menus
        self._add("side-by-side.md", SIDE_BY_SIDE_TITLE, "side_by_side", None, {"hide": ["navigation", "toc"]})
        self._add("codebook.md", CODEBOOK_TITLE, "codebook")
        self._add("downloads.md", "数据下载", "downloads")
        if lib.glossary:
            self._add("glossary.md", "术语表", "glossary")
        self._add("print/index.md", "打印", "print_index")
        for c in lib.cases:
            self._add(f"print/cases/{c.id}.md", f"讲义：{c.data.city}", "handout_case", c.id, _PRINT_META)
        for m in lib.mechanisms.values():
            self._add(f"print/mechanisms/{m.id}.md", f"讲义：{m.name}", "handout_mechanism", m.id, _PRINT_META)
        volumes = n_volumes(len(lib.cases))
        self._add("print/edition.md", "城市基层党建比较案例库 · 全库印刷版", "edition", None, _PRINT_META)
        if volumes > 1:
            for k in range(1, volumes + 1):
                self._add(
                    f"print/edition-{k}.md",
                    f"城市基层党建比较案例库 · 全库印刷版 · 第 {k} 册",
                    "edition_volume",
                    str(k),
                    _PRINT_META,
                )
        self.files = {name: name for name in DOWNLOADS}
        self.files.update({side_by_side_data(c.id): side_by_side_data(c.id) for c in lib.cases})
        # the PDF of each printed page (site path -> the page's uri); pages link them only where the build
        # printed them (casebook.site_pdf removes the other links)
        self.pdfs = {f"{PDF_FOLDER}/{pdf_name(r.kind, r.key)}": r.uri for r in self.routes.values() if r.printed}
        self.files.update({name: name for name in self.pdfs})
        self._hrefs: dict[tuple[str, str], str] = {}
        self.docs = dict(DOCS_IN_NAV)
        self._nav_library = lib

    def _add(self, uri: str, title: str, kind: str, key: str | None = None, meta: dict | None = None) -> None:
        template = {"edition_volume": "edition"}.get(kind, kind) + ".html.j2"
        self.routes[uri] = Route(uri, page_url(uri, self.directory_urls), title, kind, key, template, meta or {})

    def __iter__(self):
        return iter(self.routes.values())

    def __contains__(self, uri: str) -> bool:
        return uri in self.routes

    def __getitem__(self, uri: str) -> Route:
        return self.routes[uri]

    def __len__(self) -> int:
        return len(self.routes)

    def url_of(self, target: str) -> str:
        """URL path of a generated page, a hand-written page or a download (KeyError for anything else)."""
        if target in self.routes:
            return self.routes[target].url
        if target in self.docs or target in self.files:
            return page_url(target, self.directory_urls)
        raise KeyError(target)

    def href(self, from_uri: str, target: str, anchor: str | None = None) -> str:
        """A relative link from the page ``from_uri`` to ``target`` (a page or file uri) and an anchor."""
        key = (from_uri, target)
        url = self._hrefs.get(key)
        if url is None:
            here = self.url_of(from_uri) if from_uri in self.routes or from_uri in self.docs else page_url(from_uri)
            url = self._hrefs[key] = relative_url(self.url_of(target), here)
        return url + (f"#{anchor}" if anchor else "")

    def nav(self) -> list:
        """The site navigation: one entry per mechanism group and comparison group, and per case while the
        library is small (see NAV_CASES_LISTED_UP_TO). Titles are HTML-escaped (the theme prints them as is)."""
        from html import escape

        lib = self._nav_library
        by_group: dict[str, list] = {}
        for m in lib.mechanisms.values():
            by_group.setdefault(m.group, []).append({escape(m.name): f"mechanisms/{m.id}.md"})
        listed = lib.cases if len(lib.cases) <= NAV_CASES_LISTED_UP_TO else []
        return [
            {"首页": "index.md"},
            {
                "案例": ["cases/index.md", {MATRIX_TITLE: "matrix.md"}, {SIDE_BY_SIDE_TITLE: "side-by-side.md"}]
                + [{escape(c.data.city): f"cases/{c.id}.md"} for c in listed]
            },
            {
                "机制": ["mechanisms/index.md"]
                + [{escape(g.name): by_group[g.id]} for g in lib.mechanism_groups if g.id in by_group]
            },
            {"数据比较": ["compare/index.md"] + [{escape(g.name): f"compare/{g.id}.md"} for g in self.groups]},
            {CODEBOOK_TITLE: "codebook.md"},
            *([{"原始来源": [{escape(c.data.city): f"sources/{c.id}.md"} for c in listed]}] if listed else []),
            *([{"术语表": "glossary.md"}] if "glossary.md" in self.routes else []),
            {DOCS_IN_NAV["methodology.md"]: "methodology.md"},
            {"数据下载": "downloads.md"},
            {"打印": "print/index.md"},
            {DOCS_IN_NAV["guide.md"]: "guide.md"},
        ]

    def not_in_nav(self) -> set[str]:
        """Generated pages reached from other pages, not from the navigation."""
        in_nav: set[str] = set()

        def walk(items):
            for item in items:
                if isinstance(item, str):
                    in_nav.add(item)
                elif isinstance(item, dict):
                    for v in item.values():
                        walk([v] if isinstance(v, str) else v)

        walk(self.nav())
        return set(self.routes) - in_nav
