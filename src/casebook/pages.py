"""Generated pages: Markdown text for every page built from the data.

``build_pages(library, templates_dir)`` returns ``{src_uri: markdown}``; the
MkDocs hooks hand each one to MkDocs as an in-memory file. One Jinja template
per page kind lives in ``templates/``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import jinja2

from .display import (DEFECT_ZH, FURNITURE_ZH, LEVEL_SCRIPT, QUALIFIER_EN, QUALIFIER_ZH, front_matter_string,
                      html_text, md_cell, md_escape, unit_text, value_text, when_text)
from . import __version__
from .charts import bar_chart
from .compare import Column, columns, tags_by_mechanism
from .cache import jinja_bytecode_cache
from .downloads import VALUE_COLUMNS, bibtex, csl_items
from .downloads import files as download_files
from .library import CaseRecord, Library, ValueRecord
from .routes import DOCS_IN_NAV, EDITION_CASES_PER_VOLUME
from .source_view import BackRef, render_source

CHUNK = 5  # indicator columns per comparison table, so tables fit an A4 page


def environment(templates_dir: Path) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates_dir)),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,  # templates produce Markdown; text is escaped with md_escape / md_cell
        bytecode_cache=jinja_bytecode_cache(),
    )
    env.filters.update(md=md_escape, cell=md_cell, qzh=lambda q: QUALIFIER_ZH[q], qen=lambda q: QUALIFIER_EN[q],
                       fm=front_matter_string)
    env.globals.update(FURNITURE_ZH=FURNITURE_ZH, DEFECT_ZH=DEFECT_ZH, SCRIPT=LEVEL_SCRIPT)
    return env


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
    def derived(self) -> bool:
        return self.record.data.derived is not None

    def passage_url(self, prefix: str) -> str:
        """Link to the highlighted passage, relative to a page ``prefix`` ('../' from a sub-folder)."""
        c = self.record.citation or (self.record.inputs[0].citation if self.record.inputs else None)
        return f"{prefix}sources/{self.case.id}.md#{c.anchor}" if c else f"{prefix}cases/{self.case.id}.md"

    def citation_label(self) -> str:
        """Citation as text: city and ¶ numbers (what survives on paper)."""
        if self.record.citation:
            return f"{self.case.data.city} ¶{self.record.citation.paragraph}"
        paras = sorted({i.citation.paragraph for i in self.record.inputs if i.citation})
        return f"{self.case.data.city} " + "、".join(f"¶{p}" for p in paras)

    def sources_md(self, prefix: str) -> str:
        """The 出处 cell: ¶ links to the passage(s)."""
        if self.record.citation:
            c = self.record.citation
            return f"[¶{c.paragraph}]({prefix}sources/{self.case.id}.md#{c.anchor})"
        links = [f"[¶{i.citation.paragraph}]({prefix}sources/{self.case.id}.md#{i.citation.anchor})"
                 for i in self.record.inputs if i.citation]
        return "推算自 " + "、".join(links)


@dataclass
class _CellView:
    values: list[ValueRow]
    reasons: list[str]

    @property
    def flagged(self) -> bool:
        return bool(self.reasons)


@dataclass
class _ColumnView:
    key: str
    definition: object
    cells: dict
    n_cases: int


def value_rows(case: CaseRecord) -> list[ValueRow]:
    return [ValueRow(v, case) for v in case.values]


def backrefs_for(case: CaseRecord, extra: dict[str, list[BackRef]] | None = None) -> dict[str, list[BackRef]]:
    """Passage anchor -> links back to what cites it, from the source page."""
    refs: dict[str, list[BackRef]] = {}
    for v in case.values:
        if v.citation is None:
            continue
        label = f"{v.definition.name} {value_text(v.data.value, v.data.unit, v.data.qualifier)}{unit_text(v.data.unit)}"
        refs.setdefault(v.citation.anchor, []).append(BackRef(label, f"../cases/{case.id}.md#{v.anchor}"))
    for anchor, items in (extra or {}).items():
        refs.setdefault(anchor, []).extend(items)
    return refs


class PageBuilder:
    """Renders every generated page of one library."""

    def __init__(self, library: Library, templates_dir: Path, directory_urls: bool = True):
        self.library = library
        self.env = environment(templates_dir)
        self.env.globals["narrative"] = lambda case, page_uri, shift=0: case.narrative_doc.markdown(
            page_uri, shift, directory_urls)

    def render(self, template: str, **context) -> str:
        return self.env.get_template(template).render(library=self.library, **context)

    def case_page(self, case: CaseRecord) -> str:
        return self.render("case.md.j2", case=case, rows=value_rows(case))

    def source_page(self, case: CaseRecord, extra_refs: dict[str, list[BackRef]] | None = None) -> str:
        refs = backrefs_for(case, extra_refs)
        cites = case.citations()
        original = render_source(case.source, cites, refs)
        simplified = None
        if case.data.source.script == "zh-Hant":
            simplified = render_source(case.source, cites, refs, simplified=True, with_ids=False)
        return self.render("source.md.j2", case=case, original=original, simplified=simplified,
                           n_cited=len(cites))

    def cases_index(self) -> str:
        return self.render("cases_index.md.j2", cases=self.library.cases)

    def pages(self) -> dict[str, str]:
        lib = self.library
        self.tags = tags_by_mechanism(lib)
        self.columns = columns(lib)
        out: dict[str, str] = {"index.md": self.home(), "cases/index.md": self.cases_index()}
        for case in lib.cases:
            out[f"cases/{case.id}.md"] = self.case_page(case)
            out[f"sources/{case.id}.md"] = self.source_page(case, self.mechanism_backrefs(case))
        out["mechanisms/index.md"] = self.render("mechanisms_index.md.j2", tags=self.tags,
                                                 mechanisms_by_group=self.mechanisms_by_group())
        for m in lib.mechanisms.values():
            out[f"mechanisms/{m.id}.md"] = self.mechanism_page(m)
        groups = self.compare_groups()
        out["compare/index.md"] = self.render("compare_index.md.j2", groups=groups)
        for g in groups:
            out[f"compare/{g['group'].id}.md"] = self.compare_page(g)
        out["downloads.md"] = self.downloads_page()
        if lib.glossary:
            out["glossary.md"] = self.glossary_page()
        volumes = edition_volumes(lib.cases)
        out["print/index.md"] = self.render("print_index.md.j2", mechanisms=list(lib.mechanisms.values()),
                                            volumes=volumes)
        for case in lib.cases:
            out[f"print/cases/{case.id}.md"] = self.handout_case(case)
        for m in lib.mechanisms.values():
            out[f"print/mechanisms/{m.id}.md"] = self.handout_mechanism(m)
        if len(volumes) == 1:
            out["print/edition.md"] = self.edition(groups, lib.cases)
        else:
            out["print/edition.md"] = self.render("edition.md.j2", volumes=volumes, volume=None, cases=lib.cases,
                                                  page_uri="print/edition.md",
                                                  mechanisms=list(lib.mechanisms.values()),
                                                  n_values=sum(len(c.values) for c in lib.cases))
            for k, part in enumerate(volumes, start=1):
                out[f"print/edition-{k}.md"] = self.edition(groups, part, (k, len(volumes)))
        return out

    def glossary_page(self) -> str:
        sections: dict[str, dict] = {}
        for e in self.library.glossary:
            sid = "sec-09" if e.section == "0–9" else f"sec-{e.section.lower()}"
            sections.setdefault(e.section, {"label": e.section, "id": sid, "entries": []})["entries"].append(e)
        return self.render("glossary.md.j2", sections=list(sections.values()),
                           cases={c.id: c for c in self.library.cases}, mechanisms=self.library.mechanisms)

    def mechanisms_by_group(self) -> dict[str, list]:
        by_group: dict[str, list] = {g.id: [] for g in self.library.mechanism_groups}
        for m in self.library.mechanisms.values():
            by_group.setdefault(m.group, []).append(m)
        return by_group

    def home(self) -> str:
        tagged = {(c.id, t.data.mechanism): t for c in self.library.cases for t in c.tags}
        by_group = self.mechanisms_by_group()
        mechanism_list = [m for g in self.library.mechanism_groups for m in by_group.get(g.id, [])]
        return self.render("home.md.j2", tagged=tagged, mechanism_list=mechanism_list,
                           n_values=sum(len(c.values) for c in self.library.cases))

    def mechanism_page(self, m) -> str:
        entries = self.tags.get(m.id, [])
        tagged_ids = {c.id for c, _ in entries}
        absent = [c for c in self.library.cases if c.id not in tagged_ids]
        indicator_rows = []
        for key in m.related_indicators:
            col = self.columns.get(key)
            if col is None:
                continue
            for case in self.library.cases:
                cell = col.cells.get(case.id)
                if cell:
                    indicator_rows.extend((col.definition, ValueRow(v, case)) for v in cell.values)
        related = [self.library.mechanisms[r] for r in m.related_mechanisms if r in self.library.mechanisms]
        terms = [e for e in self.library.glossary if m.id in e.data.mechanisms]
        return self.render("mechanism.md.j2", m=m, entries=entries, absent=absent,
                           indicator_rows=indicator_rows, related=related, terms=terms)

    def compare_groups(self) -> list[dict]:
        groups = []
        for g in self.library.groups:
            cols = [c for c in self.columns.values() if c.definition.group == g.id]
            if cols:
                groups.append({"group": g, "columns": cols})
        return groups

    def compare_view(self, cols_in: list, px: str = "") -> tuple[list, list]:
        """Comparison tables (chunked) and bar charts for some indicator columns."""
        cols = []
        for col in cols_in:
            view = _ColumnView(col.key, col.definition, {}, col.n_cases)
            for cid, cell in col.cells.items():
                view.cells[cid] = _CellView([ValueRow(v, cell.case) for v in cell.values], cell.reasons)
            cols.append(view)
        chunks = [cols[i:i + CHUNK] for i in range(0, len(cols), CHUNK)]
        charts = []
        for col in cols_in:
            if col.n_cases >= 2:
                rows = [(cell.case.data.city + (f"（{v.data.scope}）" if len(cell.values) > 1 else ""), v)
                        for cell in col.cells.values() for v in cell.values]
                title = f"{col.definition.name}（{col.definition.unit}）"
                charts.append((col.key, col.definition.name,
                               bar_chart(title, rows, col.definition.unit, f"{px}svg-{col.key}")))
        return chunks, charts

    def compare_page(self, g: dict) -> str:
        chunks, charts = self.compare_view(g["columns"])
        return self.render("compare.md.j2", group=g["group"], chunks=chunks, cases=self.library.cases,
                           charts=charts)

    def handout_case(self, case: CaseRecord) -> str:
        return self.render("handout_case.md.j2", case=case, rows=value_rows(case))

    def handout_mechanism(self, m) -> str:
        entries = self.tags.get(m.id, [])
        tagged_ids = {c.id for c, _ in entries}
        absent = [c for c in self.library.cases if c.id not in tagged_ids]
        cols = [self.columns[k] for k in m.related_indicators if k in self.columns]
        chunks, charts = self.compare_view(cols)
        return self.render("handout_mechanism.md.j2", m=m, entries=entries, absent=absent, chunks=chunks,
                           charts=charts, cases=self.library.cases)

    def edition(self, groups: list[dict], cases: list[CaseRecord], volume: tuple[int, int] | None = None) -> str:
        """The print edition, or one volume of it: these cases, and the mechanism evidence and comparison
        columns of these cases only."""
        ids = {c.id for c in cases}
        compare = []
        for g in groups:
            cols = g["columns"]
            if volume is not None:
                cols = [Column(col.key, col.definition, {k: v for k, v in col.cells.items() if k in ids})
                        for col in cols]
                cols = [col for col in cols if col.cells]
            if not cols:
                continue
            chunks, charts = self.compare_view(cols, px=f"g-{g['group'].id}-")
            compare.append({"group": g["group"], "chunks": chunks, "charts": charts})
        tags = self.tags if volume is None else \
            {m: [(c, t) for c, t in entries if c.id in ids] for m, entries in self.tags.items()}
        page_uri = "print/edition.md" if volume is None else f"print/edition-{volume[0]}.md"
        return self.render("edition.md.j2", mechanisms=list(self.library.mechanisms.values()), tags=tags,
                           page_uri=page_uri,
                           compare=compare, rows={c.id: value_rows(c) for c in cases}, cases=cases,
                           volume=volume, volumes=None, n_values=sum(len(c.values) for c in cases))

    def downloads_page(self) -> str:
        import json

        csl = {item["id"].removeprefix("casebook-"): json.dumps(item, ensure_ascii=False, indent=1)
               for item in csl_items(self.library)}
        return self.render("downloads.md.j2", columns=VALUE_COLUMNS, bib=bibtex(self.library), csl=csl,
                           n_values=sum(len(c.values) for c in self.library.cases),
                           n_tags=sum(len(c.tags) for c in self.library.cases),
                           n_cases=len(self.library.cases), version=__version__)

    def mechanism_backrefs(self, case: CaseRecord) -> dict[str, list[BackRef]]:
        refs: dict[str, list[BackRef]] = {}
        for tag in case.tags:
            for c in tag.citations:
                refs.setdefault(c.anchor, []).append(
                    BackRef(f"机制：{tag.definition.name}", f"../mechanisms/{tag.definition.id}.md#{case.id}"))
        return refs


def build_pages(library: Library, templates_dir: Path, directory_urls: bool = True) -> dict[str, str]:
    """Every generated page, as ``{src_uri: markdown}``, in a stable order."""
    return PageBuilder(library, templates_dir, directory_urls).pages()


def build_files(library: Library) -> dict[str, str]:
    """Generated non-page files (downloads), as ``{src_uri: text}``."""
    return download_files(library)


def edition_volumes(cases: list) -> list[list]:
    """The cases of each volume of the print edition, in library order; one volume for a small library."""
    size = EDITION_CASES_PER_VOLUME
    return [cases[i:i + size] for i in range(0, len(cases), size)] or [[]]


# Up to this many cases, the navigation lists every case and source; beyond it only the cases index (whose cards
# link each case and its source). MkDocs renders the whole navigation into every page, so a navigation that
# grows with the library makes the build quadratic (benchmarks/report.md) and a sidebar of hundreds of cities
# helps no reader.
NAV_CASES_LISTED_UP_TO = 30


def nav(library: Library) -> list:
    """The site navigation: one entry per mechanism group and comparison group, and per case while the
    library is small (see NAV_CASES_LISTED_UP_TO)."""
    by_group: dict[str, list] = {}
    for m in library.mechanisms.values():
        by_group.setdefault(m.group, []).append({html_text(m.name): f"mechanisms/{m.id}.md"})
    used_groups = {v.definition.group for c in library.cases for v in c.values}
    listed = library.cases if len(library.cases) <= NAV_CASES_LISTED_UP_TO else []
    return [
        {"首页": "index.md"},
        {"案例": ["cases/index.md"] + [{html_text(c.data.city): f"cases/{c.id}.md"} for c in listed]},
        {"机制": ["mechanisms/index.md"] + [{html_text(g.name): by_group[g.id]} for g in library.mechanism_groups
                                           if g.id in by_group]},
        {"数据比较": ["compare/index.md"] + [{html_text(g.name): f"compare/{g.id}.md"} for g in library.groups
                                            if g.id in used_groups]},
        *([{"原始来源": [{html_text(c.data.city): f"sources/{c.id}.md"} for c in listed]}] if listed else []),
        *([{"术语表": "glossary.md"}] if library.glossary else []),
        {DOCS_IN_NAV["methodology.md"]: "methodology.md"},
        {"数据下载": "downloads.md"},
        {"打印": "print/index.md"},
        {DOCS_IN_NAV["guide.md"]: "guide.md"},
    ]
