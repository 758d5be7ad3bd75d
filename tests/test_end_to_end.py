"""An editor's whole path with a new source: `new` → `cite` → a filled case.yaml → `check` → a strict build.

The source (tests/fixtures/fictional_city/source.txt) describes 测试市, a city made up for this test, so nothing
here states a fact about a real place. It is added to a scratch copy of the project, never to the site. Every
quote in the finished case.yaml is one `cite` printed: the test pastes the tool's own output, as an editor does.
As 测试市 is in no table of administrative divisions, the editor first adds it to the copy's
data/adcodes-supplement.csv, as the guide says for a division the table lacks (with a code no real place has).
"""

from __future__ import annotations

import re
from pathlib import Path

from conftest import CASE_IDS, FICTIONAL_ADCODE, FICTIONAL_SOURCE, copy_project, run_build, unused_slug

from casebook.cli import main

FIXTURE = Path(__file__).parent / "fixtures" / "fictional_city"
SLUG = unused_slug("ceshi")  # unless an editor's case already has that id

# The editor's decisions for this source: the number to cite, the indicator it is, and the scope's level and
# part when the passage names one (None: keep the whole city, as cite proposes). The source says the city's
# urban area (城区) is divided into its streets and communities: the totals, of the whole city's urban part.
VALUES = [
    ("3", "subdistricts", ("city", "城区")),
    ("28", "communities", ("city", "城区")),
    ("416", "grids", None),
    ("350", "community_workers", None),
    ("1200", "training_person_times", None),
    ("600", "avg_premises_area", None),
    ("20万", "service_funds_per_community", None),
]
MECHANISMS = [
    ("grid_governance", "一格一员", "推行“一格一员”网格化管理", "每个网格配备专职网格员，小事在网格中解决。"),
    ("whistle_report", "街道吹哨、部门报到", "实行“街道吹哨、部门报到”", "街道发现难题后召集相关部门限时处理。"),
    ("volunteer_services", "“红帆”志愿服务队", "组建“红帆”志愿服务队", "在职党员到居住地社区报到并参与志愿服务。"),
]
UNCODED = [("6500余人次", "志愿服务人次，案例库没有对应指标")]
# What `new --city 测试市` cannot know; the code, the province and its English name it fills in from the table.
METADATA = {
    "city_en": "Ceshi (fictional)",
    "level": "县级市",
    "level_en": "county-level city",
}
NARRATIVE = """## 背景

测试市是为检验编辑工具而虚构的城市；来源是一篇同样虚构的报道。

## 主要做法

来源报告了网格化管理、“街道吹哨、部门报到”和在职党员参与的志愿服务。

## 报告的成效

来源给出了街道、社区、网格和社区工作者的数目，以及阵地面积和经费。

## 来源未说明的内容

来源没有说明统计口径和基数，也没有独立评估。
"""


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main([*argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_a_new_source_goes_from_new_to_a_strict_build(tmp_path, capsys):
    project = copy_project(tmp_path / "project", fictional=False)
    root = ["--root", str(project)]
    # the city is in no table: the editor adds it to the supplement, with its source (guide: 行政区划代码)
    with open(project / "data" / "adcodes-supplement.csv", "a", encoding="utf-8") as f:
        f.write(f"{FICTIONAL_ADCODE},测试市,{FICTIONAL_SOURCE}\n")
    code, out, err = run(capsys, *root, "new", SLUG, "--source", str(FIXTURE / "source.txt"), "--city", "测试市")
    assert code == 0, err
    assert f"adcode: 测试市 is {FICTIONAL_ADCODE} (河南省) in data/adcodes.csv" in out, out
    case_yaml = project / "cases" / SLUG / "case.yaml"
    scaffolded = case_yaml.read_text(encoding="utf-8")
    for key, value in (("adcode", f'"{FICTIONAL_ADCODE}"'), ("province", "河南省"), ("province_en", "Henan")):
        assert re.search(rf"^{key}: {value} ", scaffolded, re.MULTILINE), key

    # cite works on the fresh scaffold, says nothing about the case not loading, and proposes the city as scope
    code, out, err = run(capsys, *root, "cite", SLUG, "416")
    assert code == 0 and err == "", err
    assert 'quote: "全市共划分网格416个"' in out and "place: 测试市" in out
    # the byline is searched until it is marked as furniture
    code, out, _ = run(capsys, *root, "cite", SLUG, "31")
    assert code == 0 and "# ¶2" in out

    # check refuses the scaffold: every placeholder is named
    code, _, err = run(capsys, *root, "check")
    assert code == 1
    assert re.search(rf"cases/{SLUG}/case\.yaml:\d+:\d+: level: '待填写' is still the template's placeholder", err), err
    assert not re.search(r": (city|adcode|province|province_en): ", err), "new filled them in"
    assert re.search(rf"cases/{SLUG}/case\.md:3:1: .* is still the template's placeholder", err), err

    # the editor fills in the metadata and marks the title, byline and editor credit as furniture
    text = case_yaml.read_text(encoding="utf-8")
    for key, value in METADATA.items():
        text, n = re.subn(rf"^{key}: \S+", f"{key}: {value}", text, count=1, flags=re.MULTILINE)
        assert n == 1, key
    text = text.replace("  title: null", "  title: 测试市以党建引领社区治理（为软件测试虚构的材料）")
    text = text.replace("  outlet: null", "  outlet: 测试日报").replace(
        "  published: null", "  published: '2024-03-05'"
    )
    text = text.replace("    - 文本未注明标题、作者、刊发媒体和日期。", "    - 文本未注明作者。")
    text = text.replace(
        "  furniture: []",
        '  furniture:\n    - {lines: "1-2", kind: page_furniture}\n    - {lines: "10", kind: boilerplate}',
    )
    case_yaml.write_text(text, encoding="utf-8")
    code, out, err = run(capsys, *root, "cite", SLUG, "31")
    assert code == 1 and "does not occur" in err, out

    # each value is what cite prints, with the indicator key (and a narrower scope where the passage says so)
    items = []
    for query, key, scope in VALUES:
        code, out, err = run(capsys, *root, "cite", SLUG, query)
        assert code == 0, err
        block = out.strip().split("\n\n")
        assert len(block) == 1, f"{query} is cited once in the body: {out}"
        assert re.search(r"level: city .*\n +place: 测试市 ", block[0]), "cite proposes the whole city"
        item = re.sub(r"indicator: TODO\b.*", f"indicator: {key}", block[0])
        if scope is not None:
            level, part = scope
            item = re.sub(r"level: city .*", f"level: {level}\n      part: {part}", item)
        items.append(item)
    tags = []
    for mechanism, local_name, search, summary in MECHANISMS:
        code, out, err = run(capsys, *root, "cite", SLUG, search)
        assert code == 0, err
        quote = re.search(r'^      - (".*")$', out, re.MULTILINE).group(1)
        tags.append(
            f"  - mechanism: {mechanism}\n    local_name: {local_name}\n    summary: {summary}\n    evidence: explicit\n"
            f"    quotes:\n      - {quote}"
        )
    text = case_yaml.read_text(encoding="utf-8")
    start, end = text.index("indicators:"), text.index("mechanisms: []")
    text = text[:start] + "indicators:\n" + "\n".join(items) + "\n\n" + text[end:]
    text = re.sub(r"^mechanisms: \[\].*$", "mechanisms:\n" + "\n".join(tags), text, count=1, flags=re.MULTILINE)
    text = re.sub(
        r"^uncoded: \[\].*$",
        "uncoded:\n" + "\n".join(f"  - {{quote: {q}, reason: {r}}}" for q, r in UNCODED),
        text,
        count=1,
        flags=re.MULTILINE,
    )
    case_yaml.write_text(text, encoding="utf-8")
    (project / "cases" / SLUG / "case.md").write_text(NARRATIVE, encoding="utf-8")

    code, out, err = run(capsys, *root, "check")
    assert code == 0, err
    assert out.startswith(f"ok: {len(CASE_IDS) + 1} cases"), out
    code, out, err = run(capsys, *root, "coverage", SLUG)
    assert code == 0, err
    assert "NOT ACCOUNTED FOR" not in out, out
    n = re.search(r"(\d+) of (\d+) numbers accounted for", out)
    assert n and n.group(1) == n.group(2) and int(n.group(2)) >= len(VALUES), out

    site = tmp_path / "site"
    build = run_build(project, site)
    assert build.returncode == 0, build.stderr
    page = (site / "cases" / SLUG / "index.html").read_text(encoding="utf-8")
    assert "测试市" in page
    for value in ("416", "350", "1200"):
        assert re.search(
            rf'class="cited-value" data-value="{value}" href="[^"]*sources/{SLUG}/#q-[0-9a-f]{{10}}"', page
        ), value
    source_page = (site / "sources" / SLUG / "index.html").read_text(encoding="utf-8")
    assert "全市共划分网格416个" in source_page
