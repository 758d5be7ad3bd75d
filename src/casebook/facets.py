"""Facets of the cases index and the matrix: what a reader can filter cases by, the values of each facet with
their counts, and the compact code each case row carries for the filter script (docs/javascripts/facets.js).

Facets (each is also the name of its URL parameter, ``cases/?province=吉林省&mechanism=a,b&mode=all``):

- ``province``: the case's province (``case.data.province``, the full name as in data/provinces.yaml), in the
  order of data/provinces.yaml (by code); a name the file does not have comes after, in library order;
- ``level``: its administrative level (``case.data.level``), in the order the model lists the levels;
- ``year``: the year its source was published (``source.published[:4]``), newest first, ``未注明`` last;
- ``script``: the script of its source (``zh-Hans`` 简体, ``zh-Hant`` 繁体);
- ``mechanism``: the mechanisms it reports (``case.tags``), in taxonomy order; a case has several;
- ``indicator``: the indicators it reports a value of (``case.values``), by indicator group; a case has several.

Only values some case has are listed (103 indicators are defined; the index lists those reported).

Matching: a case matches a facet with no value chosen; with values chosen it matches if it has any of them, or,
for ``mechanism`` with ``mode=all`` and ``indicator`` with ``imode=all``, all of them. A case is shown if it
matches every facet.

Counts (the usual convention of faceted search): the count beside a value is the number of cases that match
every *other* facet and have this value; for a facet in ``all`` mode, cases that also have every value already
chosen in it (so it is the number of cases shown once the value is ticked). With nothing chosen, a value's count
is the number of cases that have it.

Row code (``data-f`` on every case row, one attribute, a few dozen bytes), written with the 64 digits of
:data:`DIGITS` (``0``–``9``, ``A``–``Z``, ``a``–``z``, ``-``, ``_``; six bits each): first the single-valued facets in
:data:`SLOTS` order, each the index of the case's value in that facet's value list, most significant digit
first, in as many digits as the facet's largest index needs (one digit up to 64 values) and without separators;
then, after a space each, the multi-valued facets, each a bitmask of the indices, least significant digit first
(value ``k`` is bit ``k mod 6`` of digit ``k // 6``), trailing zero digits left out (``0`` for none). The facet
panel lists each facet's values in the same order, so the filter needs no other data and computes each width
from the number of values. At 1,000 cases every byte of a row is a kilobyte of the page: this code is about half
as long as indices written in decimal and separated by spaces, and hexadecimal masks would be a third longer.
"""

from __future__ import annotations

import typing
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from .display import LEVEL_SCRIPT
from .models import Case
from .records import CaseRecord, Library

#: Facet ids in the order of the row code (and of the URL): single-valued facets first, then multi-valued.
SLOTS = ("province", "level", "year", "script", "mechanism", "indicator")
MULTI = ("mechanism", "indicator")
#: The URL parameter that switches a multi-valued facet from "any" to "all" of its chosen values.
MODE_PARAM = {"mechanism": "mode", "indicator": "imode"}
#: The year facet's value for a source that states no date.
NO_YEAR = "未注明"
LEGENDS = {
    "province": "省份",
    "level": "行政级别",
    "year": "来源年份",
    "script": "来源文字",
    "mechanism": "机制",
    "indicator": "报告的指标",
}
LEVELS: tuple[str, ...] = typing.get_args(Case.model_fields["level"].annotation)


@dataclass(frozen=True)
class FacetValue:
    key: str  # as written in the URL
    label: str  # as a reader sees it
    group: str = ""  # the value's group in the panel (mechanism and indicator groups), "" for none
    count: int = 0  # cases that have it, in the whole library


@dataclass
class Facet:
    id: str
    legend: str
    values: list[FacetValue]
    index: dict[str, int] = field(default_factory=dict)  # key -> position in values

    @property
    def multi(self) -> bool:
        return self.id in MULTI

    @property
    def slot(self) -> int:
        """The facet's place in the row code."""
        return SLOTS.index(self.id)

    @property
    def groups(self) -> list[tuple[str, list[tuple[int, FacetValue]]]]:
        """The values with their positions, in runs of one group (the panel's sub-lists)."""
        runs: list[tuple[str, list[tuple[int, FacetValue]]]] = []
        for i, v in enumerate(self.values):
            if not runs or runs[-1][0] != v.group:
                runs.append((v.group, []))
            runs[-1][1].append((i, v))
        return runs


#: Separates keys and labels in a packed list of values (the panel's data-v): no name, key or year can hold it
#: (casebook.shapes.NAME_PUNCTUATION has no "|").
SEPARATOR = "|"


def packed(values: Iterable[FacetValue]) -> str:
    """Values as the panel carries them for facets.js to make its checkboxes: key|label|key|label... (one
    attribute instead of a label and a checkbox each: at 1,000 cases the panel is a fifteenth of the page)."""
    parts = []
    for v in values:
        if SEPARATOR in v.key or SEPARATOR in v.label:
            raise ValueError(f"facet value {v.key!r} ({v.label!r}) holds {SEPARATOR!r}")
        parts += [v.key, v.label]
    return SEPARATOR.join(parts)


def year_of(case: CaseRecord) -> str:
    published = case.data.source.published
    return published[:4] if published else NO_YEAR


def case_keys(case: CaseRecord) -> dict[str, list[str]]:
    """The keys of one case's values, facet by facet (each key once, in the case's order)."""
    d = case.data
    return {
        "province": [d.province],
        "level": [d.level],
        "year": [year_of(case)],
        "script": [d.source.script],
        "mechanism": list(dict.fromkeys(t.data.mechanism for t in case.tags)),
        "indicator": list(dict.fromkeys(v.data.indicator for v in case.values)),
    }


def build_facets(library: Library) -> dict[str, Facet]:
    """Every facet of the library, with the values some case has, in the panel's order; one pass over the
    cases."""
    counts: dict[str, dict[str, int]] = {f: {} for f in SLOTS}
    for case in library.cases:
        for f, keys in case_keys(case).items():
            for k in keys:
                counts[f][k] = counts[f].get(k, 0) + 1

    def ordered(facet: str, order: Iterable[str]) -> list[str]:
        """The keys of ``order`` that some case has, then any other key cases have, in the order first met."""
        have = counts[facet]
        listed = [k for k in dict.fromkeys(order) if k in have]
        return listed + [k for k in have if k not in set(listed)]

    province_order = [p.name for p in library.provinces]
    years = sorted((y for y in counts["year"] if y != NO_YEAR), reverse=True) + [NO_YEAR]
    mech_group = {g.id: g.name for g in library.mechanism_groups}
    mechanisms = [m.id for g in library.mechanism_groups for m in library.mechanisms.values() if m.group == g.id]
    ind_group = {g.id: g.name for g in library.groups}
    indicators = [k for g in library.groups for k, d in library.indicators.items() if d.group == g.id]
    facets: dict[str, Facet] = {}

    def add(facet: str, keys: list[str], label: Mapping[str, str] | None = None, group=None) -> None:
        values = [FacetValue(k, (label or {}).get(k, k), group(k) if group else "", counts[facet][k]) for k in keys]
        facets[facet] = Facet(facet, LEGENDS[facet], values, {v.key: i for i, v in enumerate(values)})

    add("province", ordered("province", province_order))
    add("level", ordered("level", LEVELS))
    add("year", ordered("year", years))
    add("script", ordered("script", LEVEL_SCRIPT), LEVEL_SCRIPT)
    mech_keys = ordered("mechanism", mechanisms)
    add(
        "mechanism",
        mech_keys,
        {k: library.mechanisms[k].name for k in mech_keys if k in library.mechanisms},
        lambda k: mech_group.get(library.mechanisms[k].group, "") if k in library.mechanisms else "",
    )
    ind_keys = ordered("indicator", indicators)
    add(
        "indicator",
        ind_keys,
        {k: library.indicators[k].name for k in ind_keys if k in library.indicators},
        lambda k: ind_group.get(library.indicators[k].group, "") if k in library.indicators else "",
    )
    return {f: facets[f] for f in SLOTS}


#: The digits of a multi-valued facet's bitmask in the row code, six bits each (facets.js has the same).
DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_"
BITS = 6


def mask(indices: Iterable[int]) -> str:
    """A set of indices as the row code writes it: digits of :data:`DIGITS`, least significant first, no
    trailing zero digits ("0" for the empty set)."""
    digits: list[int] = []
    for i in indices:
        j = i // BITS
        if j >= len(digits):
            digits.extend([0] * (j + 1 - len(digits)))
        digits[j] |= 1 << (i % BITS)
    return "".join(DIGITS[d] for d in digits) or "0"


def unmask(code: str) -> set[int]:
    """The indices of a mask (the inverse of :func:`mask`)."""
    return {BITS * j + b for j, ch in enumerate(code) for b in range(BITS) if DIGITS.index(ch) >> b & 1}


def width(n_values: int) -> int:
    """Digits of a single-valued facet's index in the row code: enough for its largest index, at least one."""
    w = 1
    while n_values > len(DIGITS) ** w:
        w += 1
    return w


def number(i: int, w: int) -> str:
    """``i`` in ``w`` digits of :data:`DIGITS`, most significant first."""
    out = ""
    for _ in range(w):
        out = DIGITS[i % len(DIGITS)] + out
        i //= len(DIGITS)
    return out


def row_code(case: CaseRecord, facets: Mapping[str, Facet]) -> str:
    """The ``data-f`` attribute of a case's row (the module docstring says how it is written)."""
    keys = case_keys(case)
    single = "".join(number(facets[f].index[keys[f][0]], width(len(facets[f].values))) for f in SLOTS if f not in MULTI)
    return " ".join([single, *(mask(facets[f].index[k] for k in keys[f]) for f in SLOTS if f in MULTI)])


def read_code(code: str, facets: Mapping[str, Facet]) -> dict[str, set[int]]:
    """The indices a row code holds, facet by facet (the inverse of :func:`row_code`, as facets.js reads it)."""
    single, *masks = code.split(" ")
    out: dict[str, set[int]] = {}
    at = 0
    for f in SLOTS:
        if f in MULTI:
            continue
        w = width(len(facets[f].values))
        i = 0
        for ch in single[at : at + w]:
            i = i * len(DIGITS) + DIGITS.index(ch)
        out[f] = {i}
        at += w
    for f, m in zip([f for f in SLOTS if f in MULTI], masks):
        out[f] = unmask(m)
    return out


# -- filtering, as the script does it (for tests, and for anyone who wants the same answer in Python) ----------

Filters = Mapping[str, Iterable[str]]


def _matches(keys: Mapping[str, list[str]], facet: str, chosen: set[str], all_mode: bool) -> bool:
    if not chosen:
        return True
    have = set(keys[facet])
    return chosen <= have if all_mode else bool(chosen & have)


def _normalise(filters: Filters, modes: Mapping[str, str] | None) -> tuple[dict[str, set[str]], set[str]]:
    chosen = {f: set(filters.get(f, ())) for f in SLOTS}
    all_mode = {f for f in MULTI if (modes or {}).get(f) == "all"}
    return chosen, all_mode


def matching(library: Library, filters: Filters, modes: Mapping[str, str] | None = None) -> list[CaseRecord]:
    """The cases shown for these filters (facet -> chosen keys; ``modes``: facet -> "any" or "all")."""
    chosen, all_mode = _normalise(filters, modes)
    out = []
    for case in library.cases:
        keys = case_keys(case)
        if all(_matches(keys, f, chosen[f], f in all_mode) for f in SLOTS):
            out.append(case)
    return out


def counts(library: Library, filters: Filters, modes: Mapping[str, str] | None = None) -> dict[str, dict[str, int]]:
    """The count beside every value of every facet for these filters (the module docstring's convention):
    facet -> value key -> count, every listed value included (0 where no case qualifies)."""
    facets = build_facets(library)
    chosen, all_mode = _normalise(filters, modes)
    out: dict[str, dict[str, int]] = {f: dict.fromkeys((v.key for v in facets[f].values), 0) for f in SLOTS}
    for case in library.cases:
        keys = case_keys(case)
        failed = [f for f in SLOTS if not _matches(keys, f, chosen[f], f in all_mode)]
        if len(failed) > 1:
            continue
        # a case failing one facet in "any" mode still counts for that facet's values: ticking one of them
        # would let it in; in "all" mode it lacks a chosen value, and no further value would let it in
        targets = SLOTS if not failed else [f for f in failed if f not in all_mode]
        for f in targets:
            for k in keys[f]:
                out[f][k] += 1
    return out


def query(filters: Filters, modes: Mapping[str, str] | None = None) -> str:
    """The URL query the script writes for these filters (no leading "?"), parameters in :data:`SLOTS` order,
    each facet's keys joined by commas, percent-encoded as encodeURIComponent does."""
    from urllib.parse import quote

    parts = []
    for f in SLOTS:
        keys = list(filters.get(f, ()))
        if keys:
            parts.append(f"{f}=" + ",".join(quote(k, safe="-_.!~*'()") for k in keys))
        if f in MULTI and (modes or {}).get(f) == "all":
            parts.append(f"{MODE_PARAM[f]}=all")
    return "&".join(parts)
