"""The bad-input corpus: mistakes an editor could commit, each caught with its exact message and line.

Each mistake is a small mutation of a valid fixture case (tests/fixtures/editor_case, a relabelled copy of
the Dengzhou source) or of a data file. Every mistake is loaded in process with the loading function `check`
and the build share: it raises nothing, and the report names the file, line and column with the expected
message. A few mistakes go the whole way, as real processes: `casebook check` exits 1 with the same line and
the strict MkDocs build fails and writes nothing.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from conftest import FICTIONAL_ADCODE, copy_project, run_build, run_check

FIXTURE = Path(__file__).parent / "fixtures" / "editor_case"
CASE = "cases/fixture/case.yaml"
NARR = "cases/fixture/case.md"
URBAN = "    scope:\n      level: subset\n      place: 测试市\n      part: 城区"  # the grids value's scope


def base(tmp_path: Path) -> Path:
    project = copy_project(tmp_path / "project")
    folder = project / "cases" / "fixture"
    shutil.copytree(FIXTURE, folder)
    shutil.copyfile(project / "cases" / "dengzhou" / "source.txt", folder / "source.txt")
    return project


def edit(project: Path, rel: str, old: str, new: str, count: int = 1) -> int:
    """Replace ``old`` by ``new`` in a file; return the 1-based line where ``old`` started."""
    path = project / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {rel}"
    line = text[: text.index(old)].count("\n") + 1
    path.write_text(text.replace(old, new, count), encoding="utf-8")
    return line


def line_of(project: Path, rel: str, needle: str) -> int:
    text = (project / rel).read_text(encoding="utf-8")
    return text[: text.index(needle)].count("\n") + 1


# Each mutation returns the exact expected "path:line:col: message" prefix (a regex for the column where
# it depends on indentation) after changing the project.


def m_duplicate_key(p):
    first = line_of(p, CASE, "    unit: 名")
    line = edit(p, CASE, "    unit: 名\n", "    unit: 名\n    unit: 人\n") + 1
    return rf"{CASE}:{line}:5: duplicate key 'unit' \(first written on line {first}\) — keep only one"


def m_anchor(p):
    line = edit(p, CASE, "    unit: 名", "    unit: &u 名")
    return rf"{CASE}:{line}:11: YAML anchor '&u' is not allowed"


def m_alias(p):
    edit(p, CASE, "    unit: 名", "    unit: &u 名")
    line = edit(
        p,
        CASE,
        "    unit: 个\n    qualifier: exact\n    period:\n      kind: not_stated",
        "    unit: *u\n    qualifier: exact\n    period:\n      kind: not_stated",
    )
    return rf"{CASE}:{line}:11: YAML alias '\*u' is not allowed"


def m_bool_word(p):
    line = edit(p, CASE, "    qualifier: more_than", "    qualifier: no")
    return (
        rf"{CASE}:{line}:16: indicators\.1\.qualifier: wrong type \(the boolean false where .* is expected\) — "
        r"YAML reads the bare word 'no' as false; put it in quotes \('no'\)"
    )


def m_date(p):
    line = edit(p, CASE, "  published: null", "  published: 2021-01-04")
    return (
        rf"{CASE}:{line}:14: source\.published: wrong type .* — YAML reads the bare value 2021-01-04 as a date; "
        r"put it in quotes \('2021-01-04'\)"
    )


def m_octal(p):
    line = edit(p, CASE, "    value: 7\n", "    value: 010\n")
    return rf"{CASE}:{line}:12: the number 010 has a leading zero, which YAML 1.1 reads as octal \(8\)"


def m_not_utf8(p):
    path = p / CASE
    text = path.read_text(encoding="utf-8")
    path.write_bytes(text.encode("gbk"))
    line = text[: text.index("测试市")].count("\n") + 1
    return rf"{CASE}:{line}:7: the file is not UTF-8 text — save the file as UTF-8 \(it looks like GBK"


def m_tab_indent(p):
    line = edit(p, CASE, "    unit: 名", "\tunit: 名")
    return rf"{CASE}:{line}:\d+: invalid YAML: .* — YAML does not allow tab characters for indentation"


def m_unquoted_colon(p):
    line = edit(p, CASE, "    summary: 以社区居民小组为基础", "    summary: 做法: 以社区居民小组为基础")
    return rf"{CASE}:{line}:\d+: invalid YAML: mapping values are not allowed (?:here|in this context) — a value containing ': ' must be put in quotes"


def m_empty_file(p):
    (p / CASE).write_text("# nothing here yet\n", encoding="utf-8")
    return rf"{CASE}:1:1: the file is empty"


def m_wrong_type(p):
    line = edit(p, CASE, "    value: 514", '    value: "514"')
    return rf"{CASE}:{line}:12: indicators\.2\.value: the text '514' where a number is expected — write the number without quotes"


def m_list_expected(p):
    line = edit(p, CASE, "    quotes:\n      - 推行", "    quotes: 推行")
    return rf"{CASE}:{line}:13: mechanisms\.0\.quotes: the text '推行.*' where .* is expected — `quotes:` is a list"


def m_missing_field(p):
    item = line_of(p, CASE, "  - indicator: grids")
    edit(p, CASE, URBAN + "\n    quote: 将城区", "    quote: 将城区")
    return rf"{CASE}:{item}:5: missing required field 'scope' — add `scope:` to this item"


def m_missing_year_and_period(p):
    line = edit(p, CASE, "      kind: not_stated\n" + URBAN, "      kind: year\n" + URBAN)
    return rf"{CASE}:{line}:7: indicators\.2\.period: a period of kind year needs `year:`"


def m_range_backwards(p):
    line = edit(
        p, CASE, "      kind: not_stated\n" + URBAN, "      kind: range\n      year: 2020\n      end: 2018\n" + URBAN
    )
    return rf"{CASE}:{line}:7: indicators\.2\.period: a range needs `end:`, a year not before `year:`"


def m_scope_level_misfiled(p):
    line = edit(
        p,
        CASE,
        "      level: city\n      place: 测试市\n      part: 城市社区",
        "      level: subset\n      place: 测试市\n      part: 城市社区",
    )
    return (
        rf"{CASE}:{line}:14: indicator 'communities' counts .*, at scope level city or district; this value's "
        rf"scope is subset — file the value under an indicator that counts what it counts"
    )


def m_period_wording_not_in_source(p):
    line = (
        edit(p, CASE, "      kind: not_stated\n" + URBAN, "      kind: not_stated\n      wording: 去年以来\n" + URBAN)
        + 1
    )
    return rf"{CASE}:{line}:16: period wording '去年以来' does not occur in the source — copy the source's own words"


def m_unknown_key(p):
    line = edit(p, CASE, "    qualifier: more_than", "    qualifer: more_than")
    return rf"{CASE}:{line}:5: unknown key 'qualifer' — did you mean 'qualifier'\?"


def m_bad_literal(p):
    line = edit(p, CASE, "level: 县级市", "level: 县级")
    return rf"{CASE}:{line}:8: level: '县级' is not allowed — did you mean '县级市'\?"


def m_empty_quote(p):
    line = edit(p, CASE, "    quote: 将城区划分514个网格", '    quote: ""')
    return rf"{CASE}:{line}:12: indicator 'grids': the quote is empty"


def m_quote_not_found(p):
    line = edit(p, CASE, "    quote: 将城区划分514个网格", "    quote: 将市区划分514个网格")
    return rf"{CASE}:{line}:12: indicator 'grids': quote not found in the source — closest passage is ¶14 \(line 14\)"


def m_quote_twice(p):
    line = edit(p, CASE, "    quote: 改扩建社区阵地7个", "    quote: 网格")
    return rf"{CASE}:{line}:12: indicator 'premises_renovated': quote occurs \d+ times in the source \(¶"


def m_value_not_stated(p):
    line = edit(p, CASE, "    value: 514", "    value: 541")
    return rf"{CASE}:{line}:12: indicator 'grids': the quote does not state 541; it states 514"


def m_qualifier_lost(p):
    value_line = line_of(p, CASE, "    value: 8900")
    edit(p, CASE, "    qualifier: more_than", "    qualifier: exact")
    return (
        rf"{CASE}:{value_line}:12: indicator 'serving_members_reporting': qualifier 'exact' does not match the "
        r"quote, which says 8900 with 余 — set `qualifier: more_than`"
    )


def m_unknown_indicator(p):
    line = edit(p, CASE, "  - indicator: communities", "  - indicator: comunities")
    return (
        rf"{CASE}:{line}:16: unknown indicator 'comunities' — did you mean 'communities'\? "
        r"\(indicators are defined in data/indicators\.yaml\)"
    )


def m_unknown_mechanism(p):
    line = edit(p, CASE, "  - mechanism: grid_governance", "  - mechanism: grid_govrnance")
    return (
        rf"{CASE}:{line}:16: unknown mechanism 'grid_govrnance' — did you mean 'grid_governance'\? "
        r"\(mechanisms are defined in data/mechanisms\.yaml\)"
    )


def m_unknown_glossary_mechanism(p):
    rel = "data/glossary.yaml"
    text = (p / rel).read_text(encoding="utf-8")
    m = re.search(r"mechanisms: \[([a-z_]+)", text) or re.search(r"mechanisms:\n  - ([a-z_]+)", text)
    assert m, "the glossary has terms tagged with mechanisms"
    wrong = m.group(1)[:-1] + "x"
    line = text[: m.start(1)].count("\n") + 1
    col = m.start(1) - (text.rfind("\n", 0, m.start(1)) + 1) + 1
    (p / rel).write_text(text[: m.start(1)] + wrong + text[m.end(1) :], encoding="utf-8")
    return rf"{rel}:{line}:{col}: unknown mechanism '{wrong}' — did you mean '{m.group(1)}'\?"


def m_duplicate_case_id(p):
    shutil.copytree(p / "cases" / "fixture", p / "cases" / "fixture-copy")
    return (
        r"cases/fixture/case\.yaml:3:1: duplicate case id 'fixture' \(also used by cases/fixture-copy/case\.yaml\)|"
        r"cases/fixture-copy/case\.yaml:3:1: duplicate case id 'fixture' \(also used by cases/fixture/case\.yaml\)"
    )


def m_folder_not_id(p):
    line = edit(p, CASE, "id: fixture", "id: fixtures")
    return rf"{CASE}:{line}:5: id 'fixtures' differs from the folder name 'fixture' — set `id: fixture`"


def m_source_missing(p):
    (p / "cases" / "fixture" / "source.txt").unlink()
    line = line_of(p, CASE, "  file: source.txt")
    return rf"{CASE}:{line}:9: source file source\.txt is missing — copy the source text, unchanged"


def m_checksum(p):
    src = p / "cases" / "fixture" / "source.txt"
    src.write_bytes(src.read_bytes() + b"\n")
    line = line_of(p, CASE, "  sha256:")
    return rf"{CASE}:{line}:11: source\.txt has changed: its SHA-256 is [0-9a-f]{{64}}, not the recorded one"


def m_metadata_not_in_text(p):
    line = edit(p, CASE, "  title: null", "  title: 邓州市城市基层党建工作经验")
    return rf"{CASE}:{line}:10: source title '邓州市城市基层党建工作经验' does not occur in the text"


def m_furniture_past_end(p):
    line = edit(p, CASE, "  furniture: []", '  furniture:\n    - lines: "90"\n      kind: caption') + 1
    return rf"{CASE}:{line}:14: line 90 is past the end of source\.txt \(16 lines\)"


def m_duplicate_value(p):
    item = line_of(p, CASE, "  - indicator: premises_renovated")
    edit(p, CASE, "  - indicator: premises_renovated", "  - indicator: grids")
    edit(
        p, CASE, "    scope:\n      level: city\n      place: 测试市\n    quote: 改扩建", URBAN + "\n    quote: 改扩建"
    )
    return rf"{CASE}:{item}:5: indicator 'grids' with scope '测试市，部分范围：城区' is already cited at item 3"


def m_derived_wrong(p):
    edit(
        p,
        CASE,
        "mechanisms:\n",
        "  - indicator: workers_per_community\n    value: 12\n    unit: 名\n"
        "    qualifier: about\n    period: {kind: year, year: 2020}\n    scope: {level: city, place: 测试市}\n    derived:\n"
        '      formula: "grids / communities"\n      inputs: {grids: grids, communities: communities}\n'
        "mechanisms:\n",
    )
    line = line_of(p, CASE, "    derived:")
    return rf"{CASE}:{line}:5: indicator 'workers_per_community': formula gives 11, not 12 — set `value: 11`"


def m_dead_link(p):
    line = edit(p, NARR, "[邓州市](dengzhou.md)", "[邓州市](dengzou.md)")
    return (
        rf"{NARR}:{line}:\d+: link to a page that does not exist: dengzou\.md — no page cases/dengzou\.md; "
        r"did you mean dengzhou\.md\?"
    )


def m_h1_in_narrative(p):
    edit(p, NARR, "## 背景", "# 背景")
    return rf"{NARR}:1:1: a first-level heading in the narrative — the page title comes from case\.yaml"


# -- the administrative division code (adcode; data/adcodes.csv and data/adcodes-supplement.csv) ----------------
ADCODE = f'adcode: "{FICTIONAL_ADCODE}"'  # the fixture's fictional 测试市, in the test project's supplement
SUPPLEMENT = "data/adcodes-supplement.csv"


def m_adcode_unknown(p):
    line = edit(p, CASE, ADCODE, 'adcode: "419097"')
    return (
        rf"{CASE}:{line}:9: adcode 419097 is not in data/adcodes\.csv \(nor in its supplement\) — 测试市 is "
        rf'{FICTIONAL_ADCODE} \(河南省\) in the table: set `adcode: "{FICTIONAL_ADCODE}"`$'
    )


def m_adcode_of_another_city(p):
    line = edit(p, CASE, ADCODE, 'adcode: "411381"')
    return (
        rf"{CASE}:{line}:9: adcode 411381 is 邓州市 \(河南省\), not 测试市 — 测试市 is {FICTIONAL_ADCODE} "
        rf'\(河南省\) in the table: set `adcode: "{FICTIONAL_ADCODE}"`$'
    )


def m_adcode_city_not_in_table(p):
    line = line_of(p, CASE, ADCODE)
    edit(p, CASE, "city: 测试市", "city: 测验市")
    return (
        rf"{CASE}:{line}:9: adcode {FICTIONAL_ADCODE} is 测试市 \(河南省\), not 测验市 — the table has no division "
        rf"named 测验市: write `city: 测试市` if that is the division, or give the code of 测验市$"
    )


def m_adcode_wrong_province(p):
    line = edit(p, CASE, "province: 河南省", "province: 湖北省")
    return (
        rf"{CASE}:{line}:11: province 湖北省 does not match adcode {FICTIONAL_ADCODE}: 测试市 is in 河南省 — "
        r"set `province: 河南省` \(the name as data/adcodes\.csv writes it\), or correct the code$"
    )


def m_adcode_kind_not_level(p):
    line = edit(p, CASE, "level: 县级市", "level: 地级市")
    return (
        rf"{CASE}:{line}:8: level 地级市 needs a prefecture-level code \(XXYY00\); adcode {FICTIONAL_ADCODE} "
        r"\(测试市\) is a county-level code — set `level:` to 县级市 or 市辖区, or correct the code$"
    )


def m_adcode_five_digits(p):
    line = edit(p, CASE, ADCODE, 'adcode: "41909"')
    return (
        rf"{CASE}:{line}:9: adcode: '41909' is not a division code — write the division's six-digit code from "
        r'data/adcodes\.csv, in quotes, e\.g\. "650200" \(克拉玛依市\)$'
    )


def m_adcode_letters(p):
    line = edit(p, CASE, ADCODE, 'adcode: "41909a"')
    return rf"{CASE}:{line}:9: adcode: '41909a' is not a division code — write the division's six-digit code"


def m_adcode_unquoted(p):
    line = edit(p, CASE, ADCODE, f"adcode: {FICTIONAL_ADCODE}")
    return (
        rf"{CASE}:{line}:9: adcode: the number {FICTIONAL_ADCODE} where the code is expected as text — put the code "
        rf'in quotes: `adcode: "{FICTIONAL_ADCODE}"` \(without them YAML reads it as a number\)$'
    )


def m_adcode_missing(p):
    edit(p, CASE, ADCODE + "  #", "#")
    return rf"{CASE}:3:1: missing required field 'adcode' — add `adcode:` to this item$"


def m_adcode_placeholder_left(p):
    line = edit(p, CASE, ADCODE, "adcode: TODO")
    return (
        rf"{CASE}:{line}:9: adcode: 'TODO' is still the template's placeholder — write the division's six-digit "
        r"code from data/adcodes\.csv, in quotes, .*`casebook migrate fixture` fills it in from `city:`"
    )


def _supplement(p, row: str) -> int:
    """Append ``row`` to the test project's data/adcodes-supplement.csv; return its line number."""
    path = p / SUPPLEMENT
    text = path.read_text(encoding="utf-8")
    path.write_text(text + row + "\n", encoding="utf-8")
    return text.count("\n") + 1


def m_supplement_without_source(p):
    line = _supplement(p, "419097,新测市,")
    return (
        rf"{SUPPLEMENT}:{line}:12: adcode 419097 \(新测市\) has no source — name the announcement that created the "
        r"division: who announced it, when, its title and its address$"
    )


def m_supplement_duplicates_the_table(p):
    table = (p / "data" / "adcodes.csv").read_text(encoding="utf-8")
    table_line = table[: table.index("411381,邓州市")].count("\n") + 1
    line = _supplement(p, "411381,邓州市,某年某月的公告")
    return (
        rf"{SUPPLEMENT}:{line}:1: adcode 411381 is already in data/adcodes\.csv \(line {table_line}, 邓州市\) — "
        r"remove this row: the supplement is for divisions the table does not have$"
    )


def m_supplement_malformed_code(p):
    line = _supplement(p, "41909,新测市,某年某月的公告")
    return rf"{SUPPLEMENT}:{line}:1: adcode '41909' is not a division code — write the division's six-digit code"


def m_supplement_name_with_markup(p):
    line = _supplement(p, "419097,新测市<script>,某年某月的公告")
    return rf"{SUPPLEMENT}:{line}:8: name: contains characters a name may not contain: '<', '>' — a name may contain"


def m_supplement_code_of_no_province(p):
    line = _supplement(p, "890001,新测市,某年某月的公告")
    return (
        rf"{SUPPLEMENT}:{line}:1: adcode 890001 \(新测市\): the table has no province 890000 — the first two digits "
        r"of a code are its province's; check the code$"
    )


def m_supplement_missing_field(p):
    line = _supplement(p, "419097,新测市")
    return (
        rf"{SUPPLEMENT}:{line}:1: 2 fields where 3 are expected \(adcode,name,source\) — write one division per "
        r"line: adcode,name,source"
    )


def m_adcode_table_missing(p):
    (p / "data" / "adcodes.csv").unlink()
    return (
        r"data/adcodes\.csv:1:1: data/adcodes\.csv is missing: every case's `adcode:` is checked against it — "
        r"restore it from the main branch"
    )


def _break_yaml(p, rel: str) -> str:
    """An unclosed flow sequence at the end of a data file: the whole file fails to parse."""
    path = p / rel
    text = path.read_text(encoding="utf-8")
    path.write_text(text + "oops: [\n", encoding="utf-8")
    line = text.count("\n") + 2  # libyaml reports the line after the unclosed bracket
    return rf"{rel}:{line}:1: invalid YAML: did not find expected node content"


def m_extra_space_before_key(p):
    line = edit(p, CASE, "    unit: 名", "     unit: 名")
    return (
        rf"{CASE}:{line}:6: invalid YAML: mapping values are not allowed (?:here|in this context) — check the "
        rf"indentation: `unit:` starts in column 6, but `value:` on line {line - 1} starts in column 5"
    )


def m_placeholder_left(p):
    line = edit(p, CASE, "city_en: Fixture", "city_en: TODO")
    return rf"{CASE}:{line}:10: city_en: 'TODO' is still the template's placeholder — write the city's English name"


def m_narrative_placeholder_left(p):
    from casebook.placeholders import NARRATIVE_PLACEHOLDERS

    line = edit(p, NARR, "划分网格，党员进社区。", NARRATIVE_PLACEHOLDERS[1])
    return rf"{NARR}:{line}:1: “{re.escape(NARRATIVE_PLACEHOLDERS[1][:12])}…” is still the template's placeholder"


def m_indicators_not_yaml(p):
    return _break_yaml(p, "data/indicators.yaml")


def m_mechanisms_not_yaml(p):
    return _break_yaml(p, "data/mechanisms.yaml")


def m_glossary_not_yaml(p):
    return _break_yaml(p, "data/glossary.yaml")


MISTAKES = {name[2:]: fn for name, fn in sorted(globals().items()) if name.startswith("m_") and callable(fn)}
# The mistakes that also go through a real `casebook check` process and a strict MkDocs build.
END_TO_END = [
    "unquoted_colon",
    "extra_space_before_key",
    "checksum",
    "dead_link",
    "placeholder_left",
    "adcode_of_another_city",
    "supplement_without_source",
]


def report(project: Path) -> str:
    """What `check` and the build print for ``project``: every problem, then the closing line ("" if none)."""
    from casebook.library import load_library
    from casebook.problems import LibraryError

    _, problems = load_library(project)
    return LibraryError(problems, project).report() if problems else ""


def test_the_corpus_has_at_least_thirty_mistakes():
    assert len(MISTAKES) >= 30
    assert set(END_TO_END) <= set(MISTAKES)


def test_the_fixture_itself_is_valid(tmp_path):
    project = base(tmp_path)
    assert report(project) == ""


@pytest.mark.parametrize("name", sorted(MISTAKES))
def test_mistake_is_reported_exactly(name, tmp_path):
    project = base(tmp_path)
    expected = MISTAKES[name](project)
    text = report(project)  # an exception here would be a traceback for the editor
    lines = text.splitlines()
    assert lines, "the mistake must be reported"
    assert any(re.match(expected, line) for line in lines), f"expected {expected!r} in:\n{text}"
    assert lines[-1].endswith("nothing was built.")


@pytest.mark.parametrize("name", END_TO_END)
def test_mistake_fails_check_and_the_strict_build_and_nothing_is_built(name, tmp_path):
    project = base(tmp_path)
    expected = MISTAKES[name](project)
    result = run_check(project)
    assert result.returncode == 1, result.stdout
    assert "Traceback" not in result.stderr + result.stdout
    lines = result.stderr.splitlines()
    assert any(re.match(expected, line) for line in lines), f"expected {expected!r} in:\n{result.stderr}"
    assert lines[-1].endswith("nothing was built.")
    site = tmp_path / "site"
    build = run_build(project, site)
    assert build.returncode != 0
    output = build.stdout + build.stderr
    assert "Traceback" not in output
    assert re.search(expected, output, re.MULTILINE), output
    assert not site.exists(), "the build must not publish anything when the check fails"


@pytest.mark.parametrize("name", ["indicators_not_yaml", "mechanisms_not_yaml", "glossary_not_yaml"])
def test_a_data_file_that_does_not_parse_is_one_problem_not_a_cascade(name, tmp_path):
    """Cases that refer to indicators or mechanisms of a file that did not load are not reported as wrong:
    the one message is the file's own."""
    project = base(tmp_path)
    # links to pages that exist only when the data files load
    edit(
        project,
        NARR,
        "划分网格，",
        "划分[网格](../mechanisms/grid_governance.md)，比较见[网格治理](../compare/grid.md)，",
    )
    assert report(project) == ""
    expected = MISTAKES[name](project)
    text = report(project)
    assert re.match(expected, text.splitlines()[0]), text
    assert "1 problem(s) found" in text, text[-3000:]


def test_all_problems_are_reported_in_one_run(tmp_path):
    project = base(tmp_path)
    m_value_not_stated(project)
    m_unknown_mechanism(project)
    m_dead_link(project)
    text = report(project)
    assert "3 problem(s) found" in text, text


def test_bom_is_accepted(tmp_path):
    project = base(tmp_path)
    path = project / CASE
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert report(project) == ""


@pytest.mark.parametrize(
    "mistake",
    [m_unknown_key, m_quote_not_found, m_value_not_stated, m_derived_wrong, m_unknown_indicator, m_duplicate_value],
)
def test_the_document_cache_changes_no_message(mistake, tmp_path, monkeypatch):
    """YAML that loaded cleanly is read from the cache next time; problems found after loading (schema,
    citations, derived values) still name the same line and column, re-read from the text on demand."""
    from casebook.check import check_library
    from casebook.problems import LibraryError

    def report() -> str:
        _, problems = check_library(project, jobs=1)
        return LibraryError(problems, project).report()

    project = base(tmp_path)
    expected = mistake(project)
    monkeypatch.setenv("CASEBOOK_CACHE_DIR", str(tmp_path / "cache"))
    cold = report()
    assert re.search(expected, cold, re.MULTILINE), cold
    assert list((tmp_path / "cache" / "yaml").rglob("*.json")), "documents that loaded cleanly are cached"
    assert report() == cold
    monkeypatch.setenv("CASEBOOK_NO_CACHE", "1")
    assert report() == cold


def test_the_document_cache_gives_the_data_yaml_gives(tmp_path, monkeypatch):
    from casebook.problems import Problem
    from casebook.yamlload import load_yaml

    project = base(tmp_path)
    path = project / CASE
    monkeypatch.setenv("CASEBOOK_NO_CACHE", "1")
    fresh = load_yaml(path, []).data
    monkeypatch.delenv("CASEBOOK_NO_CACHE")
    monkeypatch.setenv("CASEBOOK_CACHE_DIR", str(tmp_path / "cache"))
    assert load_yaml(path, []).data == fresh  # stores
    [stored] = list((tmp_path / "cache" / "yaml").rglob("*.json"))
    assert load_yaml(path, []).data == fresh  # reads
    stored.write_text("{not json", encoding="utf-8")  # a damaged cache entry is ignored
    problems: list[Problem] = []
    assert load_yaml(path, problems).data == fresh and not problems
    # a document with a YAML 1.1 surprise keeps its per-node notes, so it is never cached
    surprise = tmp_path / "surprise.yaml"
    surprise.write_text("a: no\n", encoding="utf-8")
    loaded = load_yaml(surprise, [])
    assert ("a",) in loaded.surprises and len(list((tmp_path / "cache" / "yaml").rglob("*.json"))) == 1
