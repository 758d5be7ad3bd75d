"""Facets of the cases index and the matrix (casebook.facets), the province tiles (casebook.province_tiles) and
the home page that does not grow with the library, without a browser: values and counts computed from the
loaded library (the real one and generated ones), the row code read back, the tile layout."""

from __future__ import annotations

import itertools
import random
import re
import sys
from collections import Counter
from urllib.parse import unquote

import pytest
import yaml

from conftest import ROOT

from casebook import facets, province_tiles
from casebook.facets import (
    MULTI,
    SLOTS,
    build_facets,
    case_keys,
    counts,
    mask,
    matching,
    read_code,
    row_code,
    unmask,
)

sys.path.insert(0, str(ROOT / "benchmarks"))

from generate import generate  # noqa: E402


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    """Generated libraries of 40 and 120 cases (benchmarks/generate.py), loaded."""
    from casebook.library import load_library

    out = {}
    for n in (40, 120):
        lib, problems = load_library(generate(n, tmp_path_factory.mktemp(f"lib{n}") / "lib"))
        assert not problems
        out[n] = lib
    return out


@pytest.fixture(scope="module", params=["real", "generated"])
def lib(request, library, generated):
    return library if request.param == "real" else generated[120]


def _by_hand(lib) -> dict[str, Counter]:
    """Cases per value of each facet, counted from the case data directly."""
    out: dict[str, Counter] = {f: Counter() for f in SLOTS}
    for c in lib.cases:
        d = c.data
        out["province"][d.province] += 1
        out["level"][d.level] += 1
        out["year"][d.source.published[:4] if d.source.published else "未注明"] += 1
        out["script"][d.source.script] += 1
        for m in {t.data.mechanism for t in c.tags}:
            out["mechanism"][m] += 1
        for k in {v.data.indicator for v in c.values}:
            out["indicator"][k] += 1
    return out


def test_facet_values_are_what_cases_have_with_their_counts(lib):
    built = build_facets(lib)
    expected = _by_hand(lib)
    assert list(built) == list(SLOTS)
    for f in SLOTS:
        got = {v.key: v.count for v in built[f].values}
        assert got == dict(expected[f]), f
        assert all(n > 0 for n in got.values()), f  # only values some case has
    # indicators: only those reported, never all that are defined (unless every one is reported)
    assert set(built["indicator"].index) <= set(lib.indicators)


def test_facet_values_are_in_the_readers_order(lib):
    built = build_facets(lib)
    codes = [p.name for p in lib.provinces]
    provinces = [v.key for v in built["province"].values]
    known = [p for p in provinces if p in codes]
    assert known == sorted(known, key=codes.index)  # data/provinces.yaml's order (by code)
    assert provinces[: len(known)] == known
    years = [v.key for v in built["year"].values]
    dated = [y for y in years if y != "未注明"]
    assert dated == sorted(dated, reverse=True) and years[len(dated) :] in ([], ["未注明"])
    taxonomy = [m.id for g in lib.mechanism_groups for m in lib.mechanisms.values() if m.group == g.id]
    mechanisms = [v.key for v in built["mechanism"].values]
    assert mechanisms == [m for m in taxonomy if m in set(mechanisms)]
    groups = [g.id for g in lib.groups]
    ind = [lib.indicators[v.key] for v in built["indicator"].values]
    assert [groups.index(d.group) for d in ind] == sorted(groups.index(d.group) for d in ind)
    assert {v.label for v in built["script"].values} <= {"简体", "繁体"}
    assert [v.group for v in built["indicator"].values] == [
        next(g.name for g in lib.groups if g.id == d.group) for d in ind
    ]


def test_mask_round_trips():
    rng = random.Random(17)
    assert mask([]) == "0" and unmask("0") == set()
    assert mask([0]) == "1" and mask([5]) == "W" and mask([6]) == "01"
    for _ in range(300):
        s = set(rng.sample(range(130), rng.randint(0, 40)))
        code = mask(s)
        assert unmask(code) == s
        assert code == "0" or not code.endswith("0")  # no trailing zero digit
        assert re.fullmatch(r"[0-9A-Za-z_-]+", code)


def test_row_code_reads_back_to_the_case(lib):
    built = build_facets(lib)
    for c in lib.cases:
        code = row_code(c, built)
        single, *masks = code.split(" ")
        assert len(masks) == len(MULTI)
        assert len(single) == sum(facets.width(len(built[f].values)) for f in SLOTS if f not in MULTI)
        keys = case_keys(c)
        for f, indices in read_code(code, built).items():
            assert sorted(built[f].values[i].key for i in indices) == sorted(keys[f]), (c.id, f)


def test_index_widths_and_digits():
    assert [facets.width(n) for n in (1, 64, 65, 4096, 4097)] == [1, 1, 2, 2, 3]
    assert facets.number(0, 1) == "0" and facets.number(63, 1) == "_" and facets.number(64, 2) == "10"


def _states(lib, rng):
    """Filter states for a library: each facet alone, pairs, both modes, drawn from its values."""
    built = build_facets(lib)
    keys = {f: [v.key for v in built[f].values] for f in SLOTS}
    states = [({}, {})]
    for f in SLOTS:
        states.append(({f: keys[f][:1]}, {}))
        states.append(({f: keys[f][:2]}, {}))
        if f in MULTI:
            states.append(({f: keys[f][:2]}, {f: "all"}))
    for f, g in itertools.combinations(SLOTS, 2):
        states.append(({f: rng.sample(keys[f], min(2, len(keys[f]))), g: keys[g][:1]}, {}))
    for _ in range(10):
        filters = {f: rng.sample(keys[f], rng.randint(0, min(3, len(keys[f])))) for f in SLOTS}
        states.append((filters, {f: rng.choice(["any", "all"]) for f in MULTI}))
    return states


def _shown(keys: list[dict], filters, modes) -> int:
    """How many cases these filters show, by the definition (written apart from casebook.facets)."""
    n = 0
    for k in keys:
        ok = True
        for f, chosen in filters.items():
            chosen = set(chosen)
            if chosen and not (chosen <= k[f] if modes.get(f) == "all" else chosen & k[f]):
                ok = False
                break
        n += ok
    return n


def test_counts_follow_the_convention(lib):
    """The count beside a value = the cases shown once that value is ticked with the other filters as they are
    (in "any" mode: the value alone in its facet; in "all" mode: added to the facet's chosen values)."""
    rng = random.Random(5)
    built = build_facets(lib)
    keys = [{f: set(v) for f, v in case_keys(c).items()} for c in lib.cases]
    for filters, modes in _states(lib, rng):
        got = counts(lib, filters, modes)
        assert len(matching(lib, filters, modes)) == _shown(keys, filters, modes)
        for f in SLOTS:
            for v in built[f].values:
                other = dict(filters)
                other[f] = sorted(set(filters.get(f, ())) | {v.key}) if modes.get(f) == "all" else [v.key]
                assert got[f][v.key] == _shown(keys, other, modes), (filters, modes, f, v.key)


def test_matching_any_and_all(lib):
    built = build_facets(lib)
    m = [v.key for v in built["mechanism"].values][:2]
    has = [{c.id for c in lib.cases if key in {t.data.mechanism for t in c.tags}} for key in m]
    any_ids = {c.id for c in matching(lib, {"mechanism": m})}
    all_ids = {c.id for c in matching(lib, {"mechanism": m}, {"mechanism": "all"})}
    assert any_ids == has[0] | has[1]
    assert all_ids == has[0] & has[1]
    assert len(matching(lib, {})) == len(lib.cases)


def test_query_is_what_the_script_writes():
    q = facets.query({"province": ["吉林省"], "mechanism": ["grid_governance", "red_property"]}, {"mechanism": "all"})
    assert q == "province=%E5%90%89%E6%9E%97%E7%9C%81&mechanism=grid_governance,red_property&mode=all"
    assert facets.query({}) == ""


# -- the province tiles ----------------------------------------------------------------------------------------


def test_every_province_has_exactly_one_tile():
    provinces = yaml.safe_load((ROOT / "data" / "provinces.yaml").read_text(encoding="utf-8"))["provinces"]
    codes = [p["code"] for p in provinces]
    assert len(codes) == 34 == len(set(codes))
    assert sorted(province_tiles.LAYOUT) == sorted(codes)  # each province once, nothing else
    cells = list(province_tiles.LAYOUT.values())
    assert len(set(cells)) == len(cells), "two provinces on one square"
    for r, c in cells:
        assert 0 <= r < province_tiles.ROWS and 0 <= c < province_tiles.COLUMNS
    # every row and column of the grid is used (no empty margin)
    assert {r for r, _ in cells} == set(range(province_tiles.ROWS))
    assert {c for _, c in cells} == set(range(province_tiles.COLUMNS))


def test_tiles_count_each_provinces_cases(lib):
    grid = province_tiles.tile_grid(lib)
    assert len(grid.tiles) == len(lib.provinces) == 34
    per = Counter(c.data.province for c in lib.cases)
    for t in grid.tiles:
        assert t.count == per.get(t.name, 0)
        assert t.label == f"{t.name}：{t.count} 个案例"
        assert unquote(t.query) == f"province={t.name}"
        assert t.shade == sum(1 for s in province_tiles.STEPS if t.count >= s)
        assert (t.shade == 0) == (t.count == 0)
    assert sum(t.count for t in grid.tiles) + grid.unplaced == len(lib.cases)
    assert [(t.row, t.column) for t in grid.tiles] == sorted((t.row, t.column) for t in grid.tiles)


def test_shade_steps_and_legend():
    assert [province_tiles.shade(n) for n in (0, 1, 2, 3, 9, 10, 29, 30, 500)] == [0, 1, 1, 2, 2, 3, 3, 4, 4]
    assert province_tiles.step_labels() == [(0, "0"), (1, "1–2"), (2, "3–9"), (3, "10–29"), (4, "30 以上")]


# -- the home page does not grow with the library --------------------------------------------------------------


def _home(lib) -> str:
    from casebook.render import Renderer
    from casebook.routes import RouteTable

    return Renderer(lib, RouteTable(lib), ROOT / "templates").render("index.md")


def test_home_page_size_is_constant_in_the_number_of_cases(generated):
    small, large = _home(generated[40]), _home(generated[120])
    # the same page but for a few numbers (counts, the tiles' counts and shades, the newest cases)
    assert abs(len(large.encode()) - len(small.encode())) < 400, (len(small.encode()), len(large.encode()))
    for lib, html in ((generated[40], small), (generated[120], large)):
        assert "case-cards" not in html and "matrix-table" not in html
        assert html.count('class="cb-tile ') == 34
        newest = re.findall(r'<ol class="cb-newest">(.*?)</ol>', html, re.S)
        assert newest and newest[0].count("<li>") == min(6, sum(1 for c in lib.cases if c.data.source.published))


def test_newest_cases_are_the_latest_dated_sources(library, generated):
    for lib in (library, generated[120]):
        html = _home(lib)
        shown = re.findall(r'<li><a href="cases/([^/"]+)/">', html.split('class="cb-newest"', 1)[1].split("</ol>")[0])
        dated = [c for c in lib.cases if c.data.source.published]
        expected = sorted(dated, key=lambda c: c.data.source.published, reverse=True)[:6]
        assert shown == [c.id for c in expected]
        undated = len(lib.cases) - len(dated)
        assert (f"（{undated} 个）" in html) == bool(undated)
