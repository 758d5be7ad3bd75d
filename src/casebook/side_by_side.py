"""The pick-and-compare view's data: one small JSON file per case (``side-by-side/data/<id>.json``).

The view (``side-by-side/?c=a,b,c``, templates/side_by_side.html.j2 and docs/javascripts/side-by-side-view.js) loads the files of
the 2–4 cases a reader chose and sets them side by side: metadata, the mechanisms each reports, and the indicators
they share with comparability flags. Those flags are relative to the set compared (the most common scope level of
the set, its median year), so a file holds what the rules of :func:`casebook.compare.build_column` read from each
value (its scope level, reference year and whether the source states it, whether its unit converts, what the value
itself is), never the flags of the whole library's column; side-by-side-view.js applies the same rules to the chosen set, and a
test checks that it gets what ``build_column`` gets.

Everything a page shows is here as displayed elsewhere (value, unit, period and scope as the case page writes them,
● ○ for evidence), with links relative to the site root. Editors' text is data: JSON strings, which the script puts
on the page with ``textContent``. One file per case, each built from its case alone: linear in the library.
"""

from __future__ import annotations

import json

from .compare import YEAR_GAP, convertible, reference_year
from .display import LEVEL_SCRIPT, LEVEL_ZH, scope_text, unit_text, value_text
from .library import CaseRecord, Library, ValueRecord
from .models import SCOPE_LEVELS
from .render import EVIDENCE, ValueRow, source_citation
from .routes import RouteTable, side_by_side_data

#: How many cases the view sets side by side.
MIN_CASES, MAX_CASES = 2, 4
#: What pick.js needs to apply compare.build_column's rules to a chosen set: the year gap and the scope levels in
#: the order that breaks a tie for the most common level, with their names. The template gives it to the script.
RULES = {"year_gap": YEAR_GAP, "levels": [[level, LEVEL_ZH[level]] for level in SCOPE_LEVELS]}


def dumps(data: object) -> str:
    """Deterministic, compact JSON (keys sorted, characters as they are)."""
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


class Orders:
    """Where mechanisms and indicators come in the library (taxonomy and catalogue order), for the view's rows."""

    def __init__(self, library: Library):
        groups = [g.id for g in library.mechanism_groups]
        ranked = sorted(
            enumerate(library.mechanisms.values()),
            key=lambda im: (groups.index(im[1].group) if im[1].group in groups else len(groups), im[0]),
        )
        self.mechanism = {m.id: rank for rank, (_, m) in enumerate(ranked)}
        self.indicator = {key: i for i, key in enumerate(library.indicators)}
        self.group_name = {g.id: g.name for g in library.groups}
        self.group_order = {g.id: i for i, g in enumerate(library.groups)}


def _site_link(routes: RouteTable, uri: str, anchor: str | None = None) -> str:
    """A page's URL relative to the site root, with an anchor."""
    return routes.url_of(uri) + (f"#{anchor}" if anchor else "")


def _value(case: CaseRecord, row: ValueRow, routes: RouteTable, orders: Orders) -> dict:
    v, d, definition = row.record, row.record.data, row.record.definition
    cites = [v.citation] if v.citation else [i.citation for i in v.inputs if i.citation]
    return {
        # the indicator
        "key": definition.key,
        "name": definition.name,
        "group": definition.group,
        "group_name": orders.group_name.get(definition.group, definition.group),
        "group_order": orders.group_order.get(definition.group, len(orders.group_order)),
        "order": orders.indicator[definition.key],
        "indicator_unit": definition.unit,
        "compare": _site_link(routes, f"compare/{definition.group}.md", definition.key),
        # the value as the case page shows it
        "value": d.value,
        "text": row.text,
        "unit": row.unit,
        "when": row.when,
        "scope": row.scope,
        "note": d.note,
        "page": _site_link(routes, f"cases/{case.id}.md", v.anchor),
        "cite_label": row.citation_label(),
        "cites": [
            {"paragraph": c.paragraph, "href": _site_link(routes, f"sources/{case.id}.md", c.anchor)} for c in cites
        ],
        **rule_inputs(case, v),
    }


def rule_inputs(case: CaseRecord, v: ValueRecord) -> dict:
    """What compare.build_column's rules read of one value (pick.js applies them to the chosen set): its scope
    level and scope, its unit and whether it converts to the indicator's, its reference year and whether the
    source states it (else it is the publication year), whether it is derived, its qualifier and how it is shown
    in a flag's words."""
    d = v.data
    year, stated = reference_year(case, v)
    return {
        "level": d.scope.level,
        "scope_full": scope_text(d.scope),
        "value_unit": d.unit,
        "convertible": convertible(v.definition, d.unit),
        "year": year,
        "year_stated": stated,
        "derived": d.derived is not None,
        "qualifier": d.qualifier,
        "shown": f"{value_text(d.value, d.unit, d.qualifier)}{unit_text(d.unit)}",
    }


def _mechanism(case: CaseRecord, t, routes: RouteTable, orders: Orders) -> dict:
    mark, words = EVIDENCE[t.data.evidence]
    return {
        "id": t.definition.id,
        "name": t.definition.name,
        "order": orders.mechanism.get(t.definition.id, len(orders.mechanism)),
        "local_name": t.data.local_name,
        "evidence": t.data.evidence,
        "mark": mark,
        "evidence_text": words,
        "href": _site_link(routes, f"mechanisms/{t.definition.id}.md", t.anchor),
        "quotes": [
            {
                "text": c.quote,
                "paragraph": c.paragraph,
                "href": _site_link(routes, f"sources/{case.id}.md", c.anchor),
            }
            for c in t.citations
        ],
    }


def case_data(case: CaseRecord, routes: RouteTable, orders: Orders) -> dict:
    """What the view shows of one case, and the inputs of its comparability rules."""
    d, s = case.data, case.data.source
    return {
        "id": case.id,
        "city": d.city,
        "city_en": d.city_en,
        "province": d.province,
        "province_en": d.province_en,
        "level": d.level,
        "level_en": d.level_en,
        "parent": d.parent,
        "source": {
            "title": s.title,
            "author": s.author,
            "author_role": s.author_role,
            "outlet": s.outlet,
            "edition": s.edition,
            "published": s.published,
            "script": s.script,
            "script_zh": LEVEL_SCRIPT[s.script],
            "citation": source_citation(case),
        },
        "links": {
            "case": _site_link(routes, f"cases/{case.id}.md"),
            "source": _site_link(routes, f"sources/{case.id}.md"),
        },
        "n_values": len(case.values),
        "mechanisms": [_mechanism(case, t, routes, orders) for t in case.tags],
        "values": [_value(case, ValueRow(v, case), routes, orders) for v in case.values],
    }


def files(library: Library, routes: RouteTable) -> dict[str, str]:
    """Each case's data file, by site path (``routes.side_by_side_data``)."""
    orders = Orders(library)
    return {side_by_side_data(c.id): dumps(case_data(c, routes, orders)) + "\n" for c in library.cases}
