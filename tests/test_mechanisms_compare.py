"""Mechanism pages, comparison tables, the case × mechanism matrix and the downloads, read back from the built site."""

from __future__ import annotations

import csv
import json
import re
import shutil
from collections import Counter

import yaml

from conftest import FICTIONAL_ADCODE, ROOT, run_build
from htmlutil import page

from casebook.downloads import site_url


def test_taxonomy_is_used_and_every_tag_is_quoted(library):
    assert len(library.mechanisms) >= 15
    counts = Counter(t.data.mechanism for c in library.cases for t in c.tags)
    for mid in library.mechanisms:
        assert counts[mid] >= 1, f"mechanism {mid} is reported by no city: its page would be empty"
    for case in library.cases:
        for t in case.tags:
            assert t.citations and len(t.citations) == len(t.data.quotes)


def test_each_mechanism_page_lists_exactly_the_cities_that_tag_it(site, library):
    case_ids = {c.id for c in library.cases}
    for mid in library.mechanisms:
        p = page(site, f"mechanisms/{mid}")
        tagged = {c.id for c in library.cases for t in c.tags if t.data.mechanism == mid}
        sections = {i for i in p.ids if i in case_ids}
        assert sections == tagged, mid
        html = (site / "mechanisms" / mid / "index.html").read_text(encoding="utf-8")
        absent_part = html.split('id="not-reported"', 1)[1].split("<h2", 1)[0]
        absent = set(re.findall(r'href="\.\./\.\./cases/([a-z0-9-]+)/"', absent_part))
        assert absent == case_ids - tagged, mid


def test_mechanism_quotes_link_to_highlighted_passages(site, library):
    for case in library.cases:
        spage = page(site, f"sources/{case.id}")
        for t in case.tags:
            mpage = page(site, f"mechanisms/{t.data.mechanism}")
            hrefs = {a["href"] for a in mpage.links}
            for c in t.citations:
                assert f"../../sources/{case.id}/#{c.anchor}" in hrefs
                assert c.anchor in spage.in_mark_ids


def test_comparison_cells_equal_yaml_values_and_link_to_passages(site, library):
    expected = {(c.id, v.data.indicator, float(v.data.value)) for c in library.cases for v in c.values}
    seen = set()
    source_pages = {c.id: page(site, f"sources/{c.id}") for c in library.cases}
    for group in {v.definition.group for c in library.cases for v in c.values}:
        p = page(site, f"compare/{group}")
        for a in p.links:
            if "data-indicator" not in a:
                continue
            seen.add((a["data-case"], a["data-indicator"], float(a["data-value"])))
            anchor = a["href"].split("#", 1)[1]
            assert a["href"].startswith(f"../../sources/{a['data-case']}/#")
            assert anchor in source_pages[a["data-case"]].in_mark_ids
    assert seen == expected


def test_limited_comparisons_are_flagged_with_a_reason(site, library):
    html = "".join(
        (site / "compare" / g / "index.html").read_text(encoding="utf-8")
        for g in {v.definition.group for c in library.cases for v in c.values}
    )
    flags = re.findall(r'<span class="flag" tabindex="0" role="note" title="([^"]+)"', html)
    assert flags and all(f.strip() for f in flags)
    derived = any(v.data.derived for c in library.cases for v in c.values)
    approx = any(v.data.qualifier != "exact" for c in library.cases for v in c.values)
    assert any("推算值" in f for f in flags) == derived
    assert any(re.search("约数|下限|上限|预计值", f) for f in flags) == approx


def test_bar_charts_are_inline_svg_for_shared_indicators(site, library):
    shared = Counter(v.data.indicator for c in library.cases for v in {x.data.indicator: x for x in c.values}.values())
    for key, n in shared.items():
        group = library.indicators[key].group
        html = (site / "compare" / group / "index.html").read_text(encoding="utf-8")
        assert (f'id="svg-{key}"' in html) == (n >= 2), key
    assert "<script" not in html.split("<article", 1)[1].split("</article>", 1)[0]


def test_matrix_marks_every_tag(site, library):
    p = page(site, "matrix")
    marks = [a["href"] for a in p.links if "matrix-mark" in (a.get("class") or "")]
    expected = sorted(f"../mechanisms/{t.data.mechanism}/#{c.id}" for c in library.cases for t in c.tags)
    assert sorted(marks) == expected


def test_downloads_have_one_row_per_cited_value_and_tag(site, library):
    n_values = sum(len(c.values) for c in library.cases)
    n_tags = sum(len(c.tags) for c in library.cases)
    with open(site / "downloads" / "indicators.csv", encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == n_values
    assert {r["status"] for r in rows} == {"stated", "derived"}
    assert all(r["quote"] for r in rows if r["status"] == "stated")
    data = json.loads((site / "downloads" / "indicators.json").read_text(encoding="utf-8"))
    assert len(data) == n_values
    mech = json.loads((site / "downloads" / "mechanisms.json").read_text(encoding="utf-8"))
    assert len(mech) == n_tags
    cases = json.loads((site / "downloads" / "cases.json").read_text(encoding="utf-8"))
    assert len(cases) == len(library.cases)
    csl = json.loads((site / "downloads" / "sources.csl.json").read_text(encoding="utf-8"))
    assert len(csl) == len(library.cases)
    # nothing invented: a source without an outlet has no container-title
    by_id = {c["id"]: c for c in csl}
    for case in library.cases:
        item = by_id[f"casebook-{case.id}"]
        assert ("container-title" in item) == bool(case.data.source.outlet)
        assert ("issued" in item) == bool(case.data.source.published)
        assert ("title" in item) == bool(case.data.source.title)  # an untitled text gets no made-up title
    # links start with data/site.yaml's site_url (absolute once it is set: tests/test_citations_export.py)
    base = site_url(ROOT)
    assert all(r["page_url"].startswith(base + "cases/") for r in rows)
    assert all(r["source_url"].startswith(base + "sources/") for r in rows if r["source_url"])
    assert all(m["page_url"].startswith(base + "mechanisms/") for m in mech)
    assert all(c["page_url"] == f"{base}cases/{c['case']}/" for c in cases)


def test_a_sixth_case_appears_everywhere_without_code_change(project, tmp_path):
    """A relabelled copy of a real case (a test fixture) shows up on every page it should."""
    src = project / "cases" / "dengzhou"
    dst = project / "cases" / "testcity"
    shutil.copytree(src, dst)
    text = (dst / "case.yaml").read_text(encoding="utf-8")
    text = text.replace("id: dengzhou", "id: testcity").replace("city: 邓州市", "city: 测试市", 1)
    text = text.replace('adcode: "411381"', f'adcode: "{FICTIONAL_ADCODE}"', 1)  # in the copy's supplement
    text = text.replace("city_en: Dengzhou", "city_en: Testcity", 1)
    (dst / "case.yaml").write_text(text, encoding="utf-8")
    data = yaml.safe_load(text)
    site = tmp_path / "site6"
    result = run_build(project, site)
    assert result.returncode == 0, result.stderr
    for tag in data["mechanisms"]:
        p = page(site, f"mechanisms/{tag['mechanism']}")
        assert "testcity" in p.ids, tag["mechanism"]
    groups = {}
    indicators = yaml.safe_load((project / "data" / "indicators.yaml").read_text(encoding="utf-8"))["indicators"]
    group_of = {i["key"]: i["group"] for i in indicators}
    for v in data["indicators"]:
        groups.setdefault(group_of[v["indicator"]], set()).add(v["indicator"])
    for group, keys in groups.items():
        p = page(site, f"compare/{group}")
        shown = {a["data-indicator"] for a in p.links if a.get("data-case") == "testcity"}
        assert shown == keys, group
    matrix = page(site, "matrix")
    marks = [a["href"] for a in matrix.links if a.get("href", "").endswith("#testcity")]
    assert len(marks) == len(data["mechanisms"])
    index = page(site, "cases")
    assert "testcity/" in [a.get("href") for a in index.links]
    assert (site / "cases" / "testcity" / "index.html").exists()
