"""The administrative division table (data/adcodes.csv, vendored from cpca 0.5.5, and data/adcodes-supplement.csv)
and its loader (casebook.divisions): what the table holds, how it is read, and how a case's `adcode` is checked.

Every assertion about the table holds for the file as committed; the messages of each mistake an editor can make
are in tests/test_bad_input.py.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
import yaml

from conftest import CASE_IDS, FICTIONAL_ADCODE, FICTIONAL_SOURCE, ROOT, copy_project, supplement_row

from casebook import divisions as D
from casebook.problems import Problem

TABLE = ROOT / "data" / "adcodes.csv"
PLACEHOLDER_NAMES = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}


@pytest.fixture(scope="module")
def table() -> D.Divisions:
    problems: list[Problem] = []
    divisions = D.load_divisions(ROOT, problems)
    assert divisions is not None and not problems, problems
    return divisions


def _data_lines(path: Path) -> list[str]:
    return [line for line in path.read_text(encoding="utf-8").splitlines() if line and not line.startswith("#")]


# -- the file ---------------------------------------------------------------------------------------------------


def test_the_table_cites_its_source_in_its_header():
    header = "\n".join(line for line in TABLE.read_text(encoding="utf-8").splitlines() if line.startswith("#"))
    assert "cpca" in header and "0.5.5" in header and "cpca/resources/adcodes.csv" in header
    assert re.search(r"SHA-256: [0-9a-f]{64}\b", header)
    assert "MIT" in header and "https://github.com/DQinYuan/chinese_province_city_area_mapper" in header
    assert "行政区划代码" in header
    # what was changed is said, with the count of rows dropped
    dropped = re.search(r"dropped \((\d+) of (\d+):", header)
    assert dropped and int(dropped.group(2)) - int(dropped.group(1)) == len(_data_lines(TABLE)) - 1


def test_the_table_is_codes_and_names_sorted_by_code_without_placeholder_rows():
    lines = _data_lines(TABLE)
    assert lines[0] == "adcode,name"
    rows = [line.split(",") for line in lines[1:]]
    assert all(len(r) == 2 and re.fullmatch(r"[1-8][0-9]{5}", r[0]) for r in rows)
    codes = [r[0] for r in rows]
    assert codes == sorted(set(codes)), "sorted by code, each code once"
    assert not PLACEHOLDER_NAMES & {r[1] for r in rows}
    assert all(re.fullmatch(r"[\u4e00-\u9fff·]+", r[1]) for r in rows)
    assert len(rows) > 3000


def test_every_division_lies_in_a_province_of_data_provinces_yaml(table):
    provinces = yaml.safe_load((ROOT / "data" / "provinces.yaml").read_text(encoding="utf-8"))["provinces"]
    in_table = {d.code[:2]: d.name for d in table.of_kind("province")}
    assert in_table == {p["code"]: p["name"] for p in provinces}, "the two files name the same 34 provinces"
    for kind in ("prefecture", "county"):
        for d in table.of_kind(kind):
            assert table.province_of(d.code) is not None, d


def test_the_supplement_of_the_repository_has_only_its_header():
    """Divisions are added to it with their announcement; the test cities go into test projects only."""
    assert _data_lines(ROOT / "data" / "adcodes-supplement.csv") == ["adcode,name,source"]


# -- the loader -------------------------------------------------------------------------------------------------


def test_names_provinces_kinds_and_ambiguous_names(table):
    assert table.name_of("650200") == "克拉玛依市" and table.province_of("650200") == ("65", "新疆维吾尔自治区")
    assert table.name_of("222400") == "延边朝鲜族自治州" and table.province_of("222401") == ("22", "吉林省")
    assert table.name_of("999999") is None and table.province_of("990101") is None
    assert [D.kind_of(c) for c in ("110000", "650200", "411381", "110105")] == [
        "province",
        "prefecture",
        "county",
        "county",
    ]
    assert table.kind_of("222400") == "prefecture"
    assert table.codes_named("朝阳区") == ["110105", "220104"]  # Beijing's and Changchun's
    assert table.describe_all(table.codes_named("朝阳区")) == "110105 (北京市) or 220104 (吉林省)"
    assert table.codes_named("朝阳市") == ["211300"] and table.codes_named("测试市") == []
    found = D.look_up_city(table, "鼓楼区")
    assert found.adcode is None and len(found.codes) > 2 and found.province is None
    assert D.look_up_city(table, "邓州市").adcode == "411381"
    assert D.look_up_city(table, "邓州市").province == ("41", "河南省")


def test_every_case_of_the_library_has_its_code(table):
    """For any library: each case's code names its city, in its province (check enforces it; here from the file)."""
    for case_id in CASE_IDS:
        data = yaml.safe_load((ROOT / "cases" / case_id / "case.yaml").read_text(encoding="utf-8"))
        assert isinstance(data["adcode"], str), case_id
        assert table.name_of(data["adcode"]) == data["city"], case_id
        assert table.province_of(data["adcode"])[1] == data["province"], case_id


def test_parsed_once_per_content_and_fast(tmp_path):
    project = copy_project(tmp_path / "project", fictional=False)
    D._CACHE.clear()
    start = time.perf_counter()
    first = D.load_divisions(project, [])
    cold = time.perf_counter() - start
    start = time.perf_counter()
    again = D.load_divisions(project, [])
    warm = time.perf_counter() - start
    assert first is again, "the same content is parsed once"
    assert cold < 0.5 and warm < 0.05, (cold, warm)
    (project / "data" / "adcodes-supplement.csv").write_text(
        "adcode,name,source\n" + supplement_row(FICTIONAL_ADCODE, "测试市"), encoding="utf-8"
    )
    changed = D.load_divisions(project, [])
    assert changed is not first and changed is not None
    assert changed.name_of(FICTIONAL_ADCODE) == "测试市" and first.name_of(FICTIONAL_ADCODE) is None
    assert changed.get(FICTIONAL_ADCODE).source == FICTIONAL_SOURCE


def test_the_supplement_is_optional_and_may_have_comments_and_blank_lines(tmp_path):
    project = copy_project(tmp_path / "project", fictional=False)
    (project / "data" / "adcodes-supplement.csv").unlink()
    problems: list[Problem] = []
    table = D.load_divisions(project, problems)
    assert table is not None and not problems and len(table) == len(_data_lines(TABLE)) - 1
    (project / "data" / "adcodes-supplement.csv").write_text(
        "# a comment\n\nadcode,name,source\n# another\n"
        + supplement_row(FICTIONAL_ADCODE, "测试市")
        + '419098,第二市,"民政部公告, 第1号"\n',
        encoding="utf-8",
    )
    table = D.load_divisions(project, problems)
    assert not problems and table is not None
    assert table.get("419098").source == "民政部公告, 第1号", "a quoted field may hold a comma"
    assert table.codes_named("测试市") == [FICTIONAL_ADCODE]


def test_a_wrong_header_is_one_problem(tmp_path):
    project = copy_project(tmp_path / "project", fictional=False)
    (project / "data" / "adcodes-supplement.csv").write_text("code,name\n419099,测试市\n", encoding="utf-8")
    problems: list[Problem] = []
    D.load_divisions(project, problems)
    assert [p.format(project) for p in problems] == [
        "data/adcodes-supplement.csv:1:1: the header is 'code,name', not 'adcode,name,source' — the first line "
        "that is not a comment names the columns: adcode,name,source"
    ]


def test_a_row_of_the_main_table_is_checked_too(tmp_path):
    """The table is an editor's file like any other: a changed row is refused with its line."""
    project = copy_project(tmp_path / "project", fictional=False)
    path = project / "data" / "adcodes.csv"
    text = path.read_text(encoding="utf-8")
    line = text[: text.index("650200,克拉玛依市")].count("\n") + 1
    path.write_text(text.replace("650200,克拉玛依市", '650200,"克拉玛依市<img src=x>"'), encoding="utf-8")
    problems: list[Problem] = []
    table = D.load_divisions(project, problems)
    assert len(problems) == 1 and problems[0].line == line, problems
    assert "name: contains characters a name may not contain" in problems[0].message
    assert table is not None and "650200" not in table


def test_a_worker_process_checks_the_code_as_the_parent_does(tmp_path):
    """Large libraries are loaded in forked workers (library._load_chunk): they check the code as well."""
    from casebook.library import _load_chunk

    project = copy_project(tmp_path / "project")
    case_id = CASE_IDS[0]
    path = project / "cases" / case_id / "case.yaml"
    text = path.read_text(encoding="utf-8")
    code = re.search(r'^adcode: "(\d{6})"', text, re.MULTILINE).group(1)
    other = "411381" if code != "411381" else "650200"
    path.write_text(text.replace(f'adcode: "{code}"', f'adcode: "{other}"'), encoding="utf-8")
    D._CACHE.clear()  # as in a worker started afresh
    [item] = _load_chunk(project, [project / "cases" / case_id])
    assert item.record is None
    assert any(f"adcode {other} is" in p.message for p in item.problems), item.problems


def test_level_zhixiashi_is_for_the_four_municipalities(tmp_path, table):
    from casebook.case_loader import CaseContext, load_case

    project = copy_project(tmp_path / "project")
    case_id = CASE_IDS[0]
    path = project / "cases" / case_id / "case.yaml"
    text = path.read_text(encoding="utf-8")
    for key, value in (("city", "河南省"), ("province", "河南省"), ("level", "直辖市"), ("adcode", '"410000"')):
        text = re.sub(rf"^{key}: .*$", f"{key}: {value}", text, count=1, flags=re.MULTILINE)
    path.write_text(text, encoding="utf-8")
    problems: list[Problem] = []
    load_case(project / "cases" / case_id, CaseContext({}, {}, None, table), problems)
    messages = [p.message for p in problems]
    assert (
        "level 直辖市 is for 北京市, 天津市, 上海市 and 重庆市 (110000, 120000, 310000, 500000); 河南省 (410000) is not one of them"
        in messages
    ), messages
