"""Generated pages rendered as HTML, one Jinja template per page kind, autoescaped.

:class:`Renderer` renders the content of one route (``templates/<kind>.html.j2``) into HTML: every value from
the data is escaped by Jinja's autoescape, links between pages come from the route table (``link``), the
narratives arrive converted and sanitised (:mod:`casebook.narrative`), and glossary terms are annotated on
the pages the route table marks. :func:`finish` gives narrative headings their ids and permalinks the way
Python-Markdown's toc extension would, so ids and the table of contents are the same as before; the hooks
hand the HTML to MkDocs without Python-Markdown ever parsing it.
"""

from __future__ import annotations

import html as htmllib
import json
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import jinja2
from markupsafe import Markup, escape

from . import __version__, codebook, pdf_links, province_tiles
from . import facets as facets_mod
from .cache import jinja_bytecode_cache
from .charts import bar_chart
from .compare import YEAR_GAP, Column, columns, tags_by_mechanism
from .display import (
    DEFECT_ZH,
    FURNITURE_ZH,
    LEVEL_SCRIPT,
    LEVEL_ZH,
    QUALIFIER_EN,
    QUALIFIER_ZH,
    scope_text,
    unit_text,
    value_text,
    when_text,
)
from .downloads import LIBRARY_TITLE, MECHANISM_COLUMNS, VALUE_COLUMNS, bibtex, csl_items
from .library import CaseRecord, Library, ValueRecord
from .models import SCOPE_LEVELS, IndicatorDef
from .routes import EDITION_CASES_PER_VOLUME, PDF_FOLDER, Route, RouteTable, pdf_name
from .source_view import BackRef, render_source

CHUNK = 5  # indicator columns per comparison table, so tables fit an A4 page
# A mechanism tag's strength of evidence (MechanismTag.evidence): the mark pages show, and what it means in words
EVIDENCE = {"explicit": ("●", "来源明确提到"), "inferred": ("○", "编者据描述推断")}
#: How many of the newest cases (by their source's publication date) the home page lists.
NEWEST_CASES = 6
#: The facets in the order the panel shows them (casebook.facets.SLOTS is the order of the row code and the URL).
FACET_PANEL_ORDER = ("province", "level", "mechanism", "indicator", "year", "script")


class RenderError(Exception):
    """A template asked for something that does not exist; the message names the template and the data."""


def environment(templates_dir: Path) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates_dir)),
        undefined=jinja2.StrictUndefined,
        autoescape=True,  # every value from the data is escaped; Markup marks HTML built by the core
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
        bytecode_cache=jinja_bytecode_cache(),
    )
    env.filters.update(
        qzh=lambda q: QUALIFIER_ZH[q], qen=lambda q: QUALIFIER_EN[q], join_notes=join_notes, source_lang=source_lang
    )
    env.globals.update(
        FURNITURE_ZH=FURNITURE_ZH, DEFECT_ZH=DEFECT_ZH, SCRIPT=LEVEL_SCRIPT, EVIDENCE=EVIDENCE, slug=heading_slug
    )
    return env


# Sentence-final marks: a note that ends with one is not followed by the list separator too ("。；").
_SENTENCE_END = ("。", "！", "？", "…")


def join_notes(notes, sep: str = "；") -> str:
    """Notes written as a list, joined into one run of text: with ``sep`` between two notes, except after a note
    that already ends a sentence (``。`` and the like), where the next simply follows."""
    out = ""
    for note in notes:
        note = str(note).strip()
        if not note:
            continue
        if out:
            out += "" if out.endswith(_SENTENCE_END) else sep
        out += note
    return out


def source_lang(text, case) -> Markup:
    """Text of a case's source (a quote, its title, a local name), in ``<span lang="zh-Hant">`` where the source
    is in Traditional script, so that browsers pick Traditional glyph forms; as it is for a Simplified source (the
    page is zh-Hans). Escaped either way."""
    text = escape(text)
    return Markup(f'<span lang="zh-Hant">{text}</span>') if case.data.source.script == "zh-Hant" else text


# -- views of the data, as the templates use them -------------------------------------------------------------


@dataclass
class ValueRow:
    """A value as shown in tables."""

    record: ValueRecord
    case: CaseRecord

    @property
    def data(self):
        return self.record.data

    @property
    def text(self) -> str:
        d = self.record.data
        return ("≈" if d.derived else "") + value_text(d.value, d.unit, d.qualifier)

    @property
    def unit(self) -> str:
        return unit_text(self.record.data.unit)

    @property
    def when(self) -> str:
        return when_text(self.record.data)

    @property
    def scope(self) -> str:
        return scope_text(self.record.data.scope, self.case.data.city)

    @property
    def derived(self) -> bool:
        return self.record.data.derived is not None

    @property
    def citation(self):
        """The passage to link: the value's own, or a derived value's first input's."""
        r = self.record
        return r.citation or (r.inputs[0].citation if r.inputs else None)

    def citation_label(self) -> str:
        """Citation as text: city and ¶ numbers (what survives on paper)."""
        if self.record.citation:
            return f"{self.case.data.city} ¶{self.record.citation.paragraph}"
        paras = sorted({i.citation.paragraph for i in self.record.inputs if i.citation})
        return f"{self.case.data.city} " + "、".join(f"¶{p}" for p in paras)

    def input_citations(self) -> list:
        return [i.citation for i in self.record.inputs if i.citation]


@dataclass
class CellView:
    values: list[ValueRow]
    reasons: list[str]  # what sets the cell apart from its column (structured differences only)
    notes: list[str]  # the editors' notes on its values
    footnotes: list[int] = field(default_factory=list)  # numbers of its reasons and notes in the table's footnotes

    @property
    def flagged(self) -> bool:
        return bool(self.reasons)


@dataclass
class ColumnView:
    key: str
    definition: IndicatorDef
    cells: dict[str, CellView]  # case id -> cell
    n_cases: int
    varies: list[str]


@dataclass
class TableChunk:
    """Some columns of a comparison table, and the footnotes their cells refer to (each text once)."""

    columns: list[ColumnView]
    footnotes: list[str]

    def __iter__(self):
        return iter(self.columns)


def value_rows(case: CaseRecord) -> list[ValueRow]:
    return [ValueRow(v, case) for v in case.values]


def edition_volumes(cases: list) -> list[list]:
    """The cases of each volume of the print edition, in library order; one volume for a small library."""
    size = EDITION_CASES_PER_VOLUME
    return [cases[i : i + size] for i in range(0, len(cases), size)] or [[]]


class Links:
    """Relative links from one page, asked of the route table; a link to a page that does not exist is an error
    naming the template and the page it was rendering."""

    def __init__(self, routes: RouteTable, route: Route):
        self.routes, self.route = routes, route

    def to(self, uri: str, anchor: str | None = None) -> str:
        try:
            return self.routes.href(self.route.uri, uri, anchor)
        except KeyError:
            raise RenderError(
                f"templates/{self.route.template} ({self.route.uri}): a link to {uri}, which is not a page of this site"
            ) from None

    def case(self, case_id: str, anchor: str | None = None) -> str:
        return self.to(f"cases/{case_id}.md", anchor)

    def source(self, case_id: str, anchor: str | None = None) -> str:
        return self.to(f"sources/{case_id}.md", anchor)

    def mechanism(self, mechanism_id: str, anchor: str | None = None) -> str:
        return self.to(f"mechanisms/{mechanism_id}.md", anchor)

    def compare(self, group_id: str, anchor: str | None = None) -> str:
        return self.to(f"compare/{group_id}.md", anchor)

    def glossary(self, anchor: str | None = None) -> str:
        return self.to("glossary.md", anchor)

    def handout_case(self, case_id: str) -> str:
        return self.to(f"print/cases/{case_id}.md")

    def handout_mechanism(self, mechanism_id: str) -> str:
        return self.to(f"print/mechanisms/{mechanism_id}.md")

    def pdf(self, printed_uri: str, before: str = "", after: str = "") -> Markup:
        """A link to the PDF of a printed page with its size ("PDF，312 KB"), with ``before`` and ``after`` around
        it (a span of class pdf-link, hidden in print); the build settles it once the PDFs are printed and
        removes it where none was (casebook.pdf_links)."""
        if printed_uri not in self.routes or not self.routes[printed_uri].printed:
            raise RenderError(
                f"templates/{self.route.template} ({self.route.uri}): a PDF of {printed_uri}, which is not printed"
            )
        route = self.routes[printed_uri]
        name = pdf_name(route.kind, route.key)
        href = self.to(f"{PDF_FOLDER}/{name}")
        return Markup(
            f'{pdf_links.start(name)}<span class="pdf-link">{htmllib.escape(before)}<a href="{href}" '
            f'type="application/pdf" download="{name}">PDF，{pdf_links.SIZE}</a>{htmllib.escape(after)}</span>'
            f"{pdf_links.END}"
        )

    def pdf_case(self, case_id: str, before: str = "", after: str = "") -> Markup:
        return self.pdf(f"print/cases/{case_id}.md", before, after)

    def pdf_mechanism(self, mechanism_id: str, before: str = "", after: str = "") -> Markup:
        return self.pdf(f"print/mechanisms/{mechanism_id}.md", before, after)

    def if_pdfs(self) -> Markup:
        """Opens a block kept only when the build printed PDFs (closed by :meth:`end_pdfs`)."""
        return Markup(pdf_links.start(pdf_links.ANY))

    def end_pdfs(self) -> Markup:
        return Markup(pdf_links.END)

    def passage(self, row: ValueRow) -> str:
        """A value's passage on its source page (its case page if it has none)."""
        c = row.citation
        return self.source(row.case.id, c.anchor) if c else self.case(row.case.id)

    def here(self, anchor: str) -> str:
        return f"#{anchor}"


# -- the renderer ---------------------------------------------------------------------------------------------


class Renderer:
    """Renders the content HTML of any route of one library."""

    def __init__(self, library: Library, routes: RouteTable, templates_dir: Path):
        self.library = library
        self.routes = routes
        self.env = environment(templates_dir)
        # where a case's archived source is, written out: a handout prints it in place of a link's text
        self.env.globals["source_address"] = lambda case: self.citation(case)["source_url"]
        self.cases_by_id = {c.id: c for c in library.cases}
        self._case_order = {c.id: i for i, c in enumerate(library.cases)}
        self._annotator = None

    # shared views, computed once per build
    @cached_property
    def tags(self) -> dict:
        return tags_by_mechanism(self.library)

    @cached_property
    def columns(self) -> dict[str, Column]:
        return columns(self.library)

    @cached_property
    def compare_groups(self) -> list[dict]:
        groups = []
        for g in self.routes.groups:
            cols = [c for c in self.columns.values() if c.definition.group == g.id]
            if cols:
                groups.append({"group": g, "columns": cols})
        return groups

    @cached_property
    def mechanisms_by_group(self) -> dict[str, list]:
        by_group: dict[str, list] = {g.id: [] for g in self.library.mechanism_groups}
        for m in self.library.mechanisms.values():
            by_group.setdefault(m.group, []).append(m)
        return by_group

    @cached_property
    def volumes(self) -> list[list]:
        return edition_volumes(self.library.cases)

    def render(self, uri: str) -> str:
        """The content HTML of the page ``uri`` (its h1 included), finished and annotated."""
        route = self.routes[uri]
        context = getattr(self, f"_{route.kind}")(route)
        links = Links(self.routes, route)

        def narrative(case, shift: int = 0):
            return Markup(case.narrative_doc.html(route.uri, shift, self.routes.directory_urls))

        try:
            html = self.env.get_template(route.template).render(
                library=self.library, route=route, link=links, narrative=narrative, **context
            )
        except jinja2.TemplateError as exc:
            raise RenderError(f"templates/{route.template} ({uri}): {exc}") from None
        html = finish(html)
        if route.annotated and self.library.glossary and "glossary.md" in self.routes:
            html = self.annotator.annotate(html, self.routes.href(uri, "glossary.md"))
        return html

    @cached_property
    def annotator(self):
        from .annotate import Annotator

        return Annotator(self.library.glossary)

    # -- context of each page kind ------------------------------------------------------------------------
    @cached_property
    def facets(self) -> dict[str, facets_mod.Facet]:
        return facets_mod.build_facets(self.library)

    @cached_property
    def row_codes(self) -> dict[str, str]:
        """Case id -> the ``data-f`` code of its row in the cases index and the matrix (casebook.facets)."""
        return {c.id: facets_mod.row_code(c, self.facets) for c in self.library.cases}

    @cached_property
    def mechanism_list(self) -> list:
        return [m for g in self.library.mechanism_groups for m in self.mechanisms_by_group.get(g.id, [])]

    def _facet_context(self) -> dict:
        shorts = {p.name: p.short for p in self.library.provinces}
        return {
            "facets": self.facets,
            "facet_order": FACET_PANEL_ORDER,
            "codes": self.row_codes,
            "province_short": shorts,
            "year_of": facets_mod.year_of,
            "mode_param": facets_mod.MODE_PARAM,
            "packed": facets_mod.packed,
        }

    def _home(self, route):
        """The home page: counts, the newest cases, the province tiles and the entry points; nothing on it
        grows with the number of cases (tests/test_case_index_browser.py compares its size at 5 and 200)."""
        lib = self.library
        dated = [c for c in lib.cases if c.data.source.published]
        # newest first by the source's publication date as stated; equal dates in library order (a stable sort)
        newest = sorted(dated, key=lambda c: c.data.source.published or "", reverse=True)[:NEWEST_CASES]
        n_by_mechanism = {m: len(entries) for m, entries in self.tags.items()}
        return {
            "n_cases": len(lib.cases),
            "n_provinces": len({c.data.province for c in lib.cases}),
            "n_values": sum(len(c.values) for c in lib.cases),
            "n_mechanisms": len(lib.mechanisms),
            "n_indicators": len(lib.indicators),
            "n_reported": len(self.facets["indicator"].values),
            "newest": newest,
            "n_newest": NEWEST_CASES,
            "n_undated": len(lib.cases) - len(dated),
            "undated_query": facets_mod.query({"year": [facets_mod.NO_YEAR]}),
            "grid": province_tiles.tile_grid(lib),
            "steps": province_tiles.step_labels(),
            "tile_columns": province_tiles.COLUMNS,
            "mechanism_groups": [(g, self.mechanisms_by_group.get(g.id, [])) for g in lib.mechanism_groups],
            "n_by_mechanism": n_by_mechanism,
            "compare_groups": self.compare_groups,
        }

    def _cases_index(self, route):
        return {"cases": self.library.cases, **self._facet_context()}

    def _matrix(self, route):
        """The case × mechanism matrix, a row group per province (in the province facet's order)."""
        tagged = {(c.id, t.data.mechanism): t for c in self.library.cases for t in c.tags}
        by_province: dict[str, list[CaseRecord]] = {}
        for c in self.library.cases:
            by_province.setdefault(c.data.province, []).append(c)
        groups = [(v, by_province[v.key]) for v in self.facets["province"].values]
        return {"tagged": tagged, "mechanism_list": self.mechanism_list, "groups": groups, **self._facet_context()}

    def _side_by_side(self, route):
        from .routes import relative_url
        from .side_by_side import MAX_CASES, MIN_CASES, RULES, dumps

        examples = self.library.cases[:MIN_CASES]
        return {
            "root": relative_url("", route.url),  # the site root, from this page (the data files are under it)
            "rules": dumps(RULES),
            "min_cases": MIN_CASES,
            "max_cases": MAX_CASES,
            "example": ",".join(c.id for c in examples) if len(examples) == MIN_CASES else "",
            "example_label": "、".join(c.data.city for c in examples),
        }

    def _case(self, route):
        case = self.cases_by_id[route.key]
        return {"case": case, "rows": value_rows(case), "cite": self.citation(case)}

    @cached_property
    def site_url(self) -> str:
        """data/site.yaml's site_url (``""`` when a project has none): the one place the site's address is set."""
        return self.library.site_url

    def citation(self, case: CaseRecord) -> dict:
        """What a case page's 引用本案例 block shows: the page's and its source's permanent absolute addresses
        (their site paths when the project sets no site_url), the library version and the source citation."""
        page = self.routes.url_of(f"cases/{case.id}.md")
        source = self.routes.url_of(f"sources/{case.id}.md")
        return {
            "url": self.site_url + page if self.site_url else page,
            "source_url": self.site_url + source if self.site_url else source,
            "absolute": bool(self.site_url),
            "library": LIBRARY_TITLE,
            "version": __version__,
            "source": source_citation(case),
        }

    def _source(self, route):
        case = self.cases_by_id[route.key]
        links = Links(self.routes, route)
        refs = self._backrefs(case, links)
        cites = case.citations()
        original = render_source(case.source, cites, refs)
        simplified = (
            render_source(case.source, cites, refs, simplified=True, with_ids=False)
            if case.data.source.script == "zh-Hant"
            else None
        )
        return {
            "case": case,
            "original": Markup(original),
            "simplified": Markup(simplified) if simplified else None,
            "n_cited": len(cites),
        }

    def _backrefs(self, case: CaseRecord, links: Links) -> dict[str, list[BackRef]]:
        """Passage anchor -> links back to the values and mechanisms that cite it, from the source page."""
        refs: dict[str, list[BackRef]] = {}
        for v in case.values:
            if v.citation is None:
                continue
            label = (
                f"{v.definition.name} {value_text(v.data.value, v.data.unit, v.data.qualifier)}{unit_text(v.data.unit)}"
            )
            refs.setdefault(v.citation.anchor, []).append(BackRef(label, links.case(case.id, v.anchor)))
        for tag in case.tags:
            for c in tag.citations:
                refs.setdefault(c.anchor, []).append(
                    BackRef(f"机制：{tag.definition.name}", links.mechanism(tag.definition.id, case.id))
                )
        return refs

    def _mechanisms_index(self, route):
        return {"tags": self.tags, "mechanisms_by_group": self.mechanisms_by_group}

    def _absent(self, m) -> list:
        tagged_ids = {c.id for c, _ in self.tags.get(m.id, [])}
        return [c for c in self.library.cases if c.id not in tagged_ids]

    def _mechanism(self, route):
        m = self.library.mechanisms[route.key]
        indicator_rows: list[tuple[IndicatorDef, ValueRow]] = []
        for key in m.related_indicators:
            col = self.columns.get(key)
            if col is None:
                continue
            for case in self.library.cases:
                cell = col.cells.get(case.id)
                if cell:
                    indicator_rows.extend((col.definition, ValueRow(v, case)) for v in cell.values)
        related = [self.library.mechanisms[r] for r in m.related_mechanisms if r in self.library.mechanisms]
        terms = [e for e in self.library.glossary if m.id in e.data.mechanisms] if "glossary.md" in self.routes else []
        return {
            "m": m,
            "entries": self.tags.get(m.id, []),
            "absent": self._absent(m),
            "indicator_rows": indicator_rows,
            "related": related,
            "terms": terms,
        }

    def compare_view(self, cols_in: list, px: str = "") -> tuple[list, list]:
        """Comparison tables (chunked) and bar charts for some indicator columns."""
        cols = []
        for col in cols_in:
            view = ColumnView(col.key, col.definition, {}, col.n_cases, col.varies)
            for cid, cell in col.cells.items():
                view.cells[cid] = CellView([ValueRow(v, cell.case) for v in cell.values], cell.reasons, cell.notes)
            cols.append(view)
        chunks = []
        for i in range(0, len(cols), CHUNK):
            numbers: dict[str, int] = {}
            for col in cols[i : i + CHUNK]:
                for cid in sorted(col.cells, key=self._case_order.__getitem__):
                    cell = col.cells[cid]
                    cell.footnotes = [numbers.setdefault(t, len(numbers) + 1) for t in [*cell.reasons, *cell.notes]]
            chunks.append(TableChunk(cols[i : i + CHUNK], list(numbers)))
        charts = []
        for col in cols_in:
            if col.n_cases >= 2:
                rows = [
                    (cell.case.data.city + (f"（{scope_text(v.data.scope)}）" if len(cell.values) > 1 else ""), v)
                    for cell in col.cells.values()
                    for v in cell.values
                ]
                title = f"{col.definition.name}（{col.definition.unit}）"
                charts.append(
                    (
                        col.key,
                        col.definition.name,
                        Markup(bar_chart(title, rows, col.definition.unit, f"{px}svg-{col.key}", col.definition)),
                    )
                )
        return chunks, charts

    def _compare_index(self, route):
        return {"groups": self.compare_groups}

    def _compare(self, route):
        g = next(g for g in self.compare_groups if g["group"].id == route.key)
        chunks, charts = self.compare_view(g["columns"])
        return {"group": g["group"], "chunks": chunks, "cases": self.library.cases, "charts": charts}

    @cached_property
    def codebook_groups(self) -> list[codebook.GroupEntries]:
        return codebook.entries(self.library)

    def _codebook(self, route):
        return {
            "groups": self.codebook_groups,
            "n_indicators": len(self.library.indicators),
            "n_reported": sum(1 for g in self.codebook_groups for e in g.entries if e.n_cases),
            "year_gap": YEAR_GAP,
            "kind_zh": codebook.KIND_ZH,
            "levels_zh": codebook.levels_zh,
            "factor_text": codebook.factor_text,
            "not_convertible": codebook.NOT_CONVERTIBLE,
            "level_words": "、".join(LEVEL_ZH[level] for level in SCOPE_LEVELS),
        }

    def _downloads(self, route):
        csl = {
            item["id"].removeprefix("casebook-"): json.dumps(item, ensure_ascii=False, indent=1)
            for item in csl_items(self.library)
        }
        return {
            "columns": VALUE_COLUMNS,
            "codebook_columns": codebook.CODEBOOK_COLUMNS,
            "mechanism_columns": MECHANISM_COLUMNS,
            "n_indicators": len(self.library.indicators),
            "bib": bibtex(self.library),
            "csl": csl,
            "n_values": sum(len(c.values) for c in self.library.cases),
            "n_tags": sum(len(c.tags) for c in self.library.cases),
            "n_cases": len(self.library.cases),
            "version": __version__,
            "code": highlight,
        }

    def _glossary(self, route):
        sections: dict[str, dict] = {}
        for e in self.library.glossary:
            sid = "sec-09" if e.section == "0–9" else f"sec-{e.section.lower()}"
            sections.setdefault(e.section, {"label": e.section, "id": sid, "entries": []})["entries"].append(e)
        return {"sections": list(sections.values()), "cases": self.cases_by_id, "mechanisms": self.library.mechanisms}

    def _print_index(self, route):
        return {"mechanisms": list(self.library.mechanisms.values()), "volumes": self.volumes}

    def _handout_case(self, route):
        case = self.cases_by_id[route.key]
        return {"case": case, "rows": value_rows(case)}

    def _handout_mechanism(self, route):
        m = self.library.mechanisms[route.key]
        cols = [self.columns[k] for k in m.related_indicators if k in self.columns]
        chunks, charts = self.compare_view(cols)
        return {
            "m": m,
            "entries": self.tags.get(m.id, []),
            "absent": self._absent(m),
            "chunks": chunks,
            "charts": charts,
            "cases": self.library.cases,
        }

    def _edition(self, route):
        if len(self.volumes) > 1:  # the cover of a library printed in volumes
            return {
                "volumes": self.volumes,
                "volume": None,
                "cases": self.library.cases,
                "mechanisms": list(self.library.mechanisms.values()),
                "n_values": sum(len(c.values) for c in self.library.cases),
            }
        return self._edition_part(self.library.cases, None)

    def _edition_volume(self, route):
        k = int(route.key)
        return self._edition_part(self.volumes[k - 1], (k, len(self.volumes)))

    def _edition_part(self, cases: list[CaseRecord], volume: tuple[int, int] | None) -> dict:
        """The print edition, or one volume of it: these cases, and the mechanism evidence and comparison
        columns of these cases only."""
        ids = {c.id for c in cases}
        compare = []
        for g in self.compare_groups:
            cols = g["columns"]
            if volume is not None:
                cols = [
                    Column(col.key, col.definition, {k: v for k, v in col.cells.items() if k in ids}) for col in cols
                ]
                cols = [col for col in cols if col.cells]
            if not cols:
                continue
            chunks, charts = self.compare_view(cols, px=f"g-{g['group'].id}-")
            compare.append({"group": g["group"], "chunks": chunks, "charts": charts})
        tags = (
            self.tags
            if volume is None
            else {m: [(c, t) for c, t in entries if c.id in ids] for m, entries in self.tags.items()}
        )
        return {
            "mechanisms": list(self.library.mechanisms.values()),
            "tags": tags,
            "compare": compare,
            "rows": {c.id: value_rows(c) for c in cases},
            "cases": cases,
            "volume": volume,
            "volumes": None,
            "n_values": sum(len(c.values) for c in cases),
        }


def source_citation(case: CaseRecord) -> str:
    """The archived source cited from what its text states, in the order author, title, outlet (and page or
    section), date as written; an untitled text is said to be untitled, never given a title."""
    s = case.data.source
    parts = [s.author] if s.author else []
    parts.append(f"《{s.title}》" if s.title else "（原文无标题）" if s.author else "（原文无标题，未署名）")
    if s.outlet or s.edition:
        parts.append(" ".join(x for x in (s.outlet, s.edition) if x))
    if s.published:
        parts.append(s.published)
    return "，".join(parts)


def highlight(code: str, language: str) -> Markup:
    """A code block highlighted the way the site's Markdown (pymdownx.highlight with Pygments) does."""
    from pygments import highlight as pyg
    from pygments.formatters import HtmlFormatter
    from pygments.lexers import get_lexer_by_name

    formatter = HtmlFormatter(wrapcode=True)
    return Markup(pyg(code, get_lexer_by_name(language), formatter).rstrip("\n"))


# -- finishing: heading ids and permalinks ---------------------------------------------------------------------

_ANY_ID = re.compile(r'\sid="([^"]*)"')
_SLUG_HEADING = re.compile(r"<h([1-6]) data-slug>(.*?)</h\1>", re.DOTALL)
_TAG = re.compile(r"<[^>]+>")


def heading_slug(text) -> str:
    """The id Python-Markdown's toc extension gives a heading with this (HTML) text."""
    from .links import _slugify

    return _slugify()(plain_text(str(text)), "-")


def plain_text(fragment: str) -> str:
    return htmllib.unescape(_TAG.sub("", fragment))


def finish(html: str) -> str:
    """Give the headings written ``<hN data-slug>`` (narrative headings) the ids Python-Markdown's toc extension
    would: a slug of their text, unique on the page, every explicit id being taken first; and a permalink."""
    if "data-slug>" not in html:
        return html
    from .links import heading_ids

    taken = set(_ANY_ID.findall(html))

    def repl(m: re.Match) -> str:
        level, inner = m.group(1), m.group(2)
        anchor = heading_ids([plain_text(inner)], taken)[0]
        return (
            f'<h{level} id="{anchor}">{inner}<a class="headerlink" href="#{anchor}" '
            f'title="Permanent link">&para;</a></h{level}>'
        )

    return _SLUG_HEADING.sub(repl, html)


_HEADING = re.compile(r'<h([1-6]) id="([^"]+)"[^>]*>(.*?)<a class="headerlink"', re.DOTALL)
_LINK = re.compile(r'\s(?:href|src)="([^"]*)"')


def toc_tokens(html: str) -> list[dict]:
    """The page's headings as Python-Markdown toc tokens (nested by level), for MkDocs' table of contents."""
    flat: list[dict] = [
        {
            "level": int(m.group(1)),
            "id": m.group(2),
            "name": htmllib.escape(plain_text(m.group(3)).strip(), quote=False),
            "children": [],
        }
        for m in _HEADING.finditer(html)
    ]
    root: list[dict] = []
    stack: list[dict] = []
    for token in flat:
        while stack and stack[-1]["level"] >= token["level"]:
            stack.pop()
        (stack[-1]["children"] if stack else root).append(token)
        stack.append(token)
    return root


def page_ids(html: str) -> set[str]:
    return set(_ANY_ID.findall(html))


def page_links(html: str) -> list[str]:
    return [htmllib.unescape(x) for x in _LINK.findall(html)]
