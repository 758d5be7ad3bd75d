"""The editors' tools in process: `casebook new`, `cite` and `coverage` called through the CLI's main(), the
scaffold's placeholders, and the advice a message gives (indentation, dead links, files named).

Every test works on a scratch copy of the project or on the real library read-only, whatever cases it holds.
"""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest

from conftest import CASE_IDS, ROOT, copy_project, unused_slug

from casebook.cli import main
from casebook.placeholders import MARK, NARRATIVE_PLACEHOLDERS, VALUE_PLACEHOLDERS

FICTIONAL = Path(__file__).parent / "fixtures" / "fictional_city" / "source.txt"
SLUG = unused_slug("ceshi")  # the fictional case's id, unless an editor's case already has it
EDITOR_CASE = Path(__file__).parent / "fixtures" / "editor_case"


def run(capsys, *argv) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def scratch(tmp_path) -> Path:
    return copy_project(tmp_path / "project")


def new_case(capsys, project: Path, slug: str | None = None, source: Path | None = FICTIONAL) -> Path:
    slug = slug or SLUG
    args = ["--root", project, "new", slug] + (["--source", source] if source else [])
    code, out, err = run(capsys, *args)
    assert code == 0, err
    return project / "cases" / slug


# -- new ---------------------------------------------------------------------------------------------------


def test_new_archives_the_source_unchanged_and_records_its_checksum(scratch, capsys):
    import hashlib

    code, out, err = run(capsys, "--root", scratch, "new", SLUG, "--source", FICTIONAL)
    assert code == 0, err
    folder = scratch / "cases" / SLUG
    assert (folder / "source.txt").read_bytes() == FICTIONAL.read_bytes()
    digest = hashlib.sha256(FICTIONAL.read_bytes()).hexdigest()
    assert f'sha256: "{digest}"' in (folder / "case.yaml").read_text(encoding="utf-8")
    assert f"created cases/{SLUG}/case.yaml" in out and f"casebook cite {SLUG}" in out


def test_new_refuses_a_bad_id_and_an_existing_case_and_changes_nothing(scratch, capsys):
    code, _, err = run(capsys, "--root", scratch, "new", "Xiamen")
    assert code == 1 and "'Xiamen' is not a valid case id" in err and "Traceback" not in err
    assert not (scratch / "cases" / "Xiamen").exists()
    existing = CASE_IDS[0]
    before = (scratch / "cases" / existing / "case.yaml").read_bytes()
    code, _, err = run(capsys, "--root", scratch, "new", existing)
    assert code == 1 and f"cases/{existing}/ already exists; nothing was changed" in err
    assert (scratch / "cases" / existing / "case.yaml").read_bytes() == before


def _metadata(folder: Path) -> dict:
    import yaml

    return yaml.safe_load((folder / "case.yaml").read_text(encoding="utf-8"))


def test_new_fills_in_the_code_and_province_of_a_city_the_table_has_once(scratch, capsys):
    import yaml

    code, out, err = run(capsys, "--root", scratch, "new", SLUG, "--source", FICTIONAL, "--city", "克拉玛依市")
    assert code == 0, err
    data = _metadata(scratch / "cases" / SLUG)
    assert (data["city"], data["adcode"], data["province"]) == ("克拉玛依市", "650200", "新疆维吾尔自治区")
    provinces = yaml.safe_load((ROOT / "data" / "provinces.yaml").read_text(encoding="utf-8"))["provinces"]
    assert data["province_en"] == next(p["en"] for p in provinces if p["code"] == "65")
    assert data["level"] == "待填写" and data["city_en"] == "TODO", "what the table does not say is left to the editor"
    assert "adcode: 克拉玛依市 is 650200 (新疆维吾尔自治区) in data/adcodes.csv" in out
    text = (scratch / "cases" / SLUG / "case.yaml").read_text(encoding="utf-8")
    assert re.search(r"^level: 待填写 +# 副省级市 地级市 自治州 地区 盟 \(the code is prefecture-level\)", text, re.M)
    # check then asks only for what is still a placeholder: the code, city and province are not among them
    code, _, err = run(capsys, "--root", scratch, "check")
    assert code == 1
    assert not re.search(r": (adcode|city|province|province_en): ", err), err


def test_new_with_a_city_of_several_codes_lists_them_and_leaves_todo(scratch, capsys):
    code, out, err = run(capsys, "--root", scratch, "new", SLUG, "--city", "朝阳区")
    assert code == 0, err
    assert "data/adcodes.csv has 2 divisions named 朝阳区: 110105 (北京市) or 220104 (吉林省)" in out
    text = (scratch / "cases" / SLUG / "case.yaml").read_text(encoding="utf-8")
    assert re.search(
        r"^adcode: TODO +# several divisions are named 朝阳区: write the one you mean\n"
        r"#   110105 朝阳区 \(北京市\)\n#   220104 朝阳区 \(吉林省\)\n",
        text,
        re.MULTILINE,
    ), text
    data = _metadata(scratch / "cases" / SLUG)
    assert data["adcode"] == "TODO" and data["province"] == "待填写", "two provinces: the editor decides"
    code, _, err = run(capsys, "--root", scratch, "check")
    line = text[: text.index("adcode: TODO")].count("\n") + 1
    assert f"cases/{SLUG}/case.yaml:{line}:9: adcode: 'TODO' {MARK}" in err


def test_new_with_a_city_the_table_lacks_points_to_the_supplement(tmp_path, capsys):
    project = copy_project(tmp_path / "project", fictional=False)
    code, out, err = run(capsys, "--root", project, "new", SLUG, "--city", "测试市")
    assert code == 0, err
    assert "data/adcodes.csv has no division named 测试市" in out and "data/adcodes-supplement.csv" in out
    data = _metadata(project / "cases" / SLUG)
    assert data["city"] == "测试市" and data["adcode"] == "TODO" and data["province"] == "待填写"
    text = (project / "cases" / SLUG / "case.yaml").read_text(encoding="utf-8")
    assert re.search(
        r"^adcode: TODO +# 测试市 is not in data/adcodes\.csv: see data/adcodes-supplement\.csv", text, re.M
    )


def test_new_takes_a_division_of_the_supplement(scratch, capsys):
    """The test project's supplement has the fictional 测试市 (in 河南省): new fills it in like any other."""
    from conftest import FICTIONAL_ADCODE

    code, out, err = run(capsys, "--root", scratch, "new", SLUG, "--city", "测试市")
    assert code == 0, err
    data = _metadata(scratch / "cases" / SLUG)
    assert (data["adcode"], data["province"], data["province_en"]) == (FICTIONAL_ADCODE, "河南省", "Henan")


def test_new_refuses_a_city_that_is_not_a_name_and_writes_nothing(scratch, capsys):
    code, _, err = run(capsys, "--root", scratch, "new", SLUG, "--city", "测试市: <b>")
    assert code == 1 and "--city '测试市: <b>' contains characters a name may not contain" in err, err
    assert not (scratch / "cases" / SLUG).exists()


# -- placeholders ------------------------------------------------------------------------------------------


def _placeholder_lines(folder: Path) -> set[tuple[str, int]]:
    """Where the scaffold wrote a placeholder, found in its text (not by the code under test)."""
    where = set()
    values = "|".join(map(re.escape, VALUE_PLACEHOLDERS))
    for n, line in enumerate((folder / "case.yaml").read_text(encoding="utf-8").splitlines(), start=1):
        if re.match(rf"^\s*(?:- )?[a-z_]+: (?:{values})(?:\s|$)", line):
            where.add(("case.yaml", n))
    for n, line in enumerate((folder / "case.md").read_text(encoding="utf-8").splitlines(), start=1):
        if any(p in line for p in NARRATIVE_PLACEHOLDERS):
            where.add(("case.md", n))
    return where


def test_check_names_every_placeholder_of_a_fresh_scaffold_and_nothing_else(scratch, capsys):
    folder = new_case(capsys, scratch)
    expected = _placeholder_lines(folder)
    assert len(expected) >= 5 and any(f == "case.md" for f, _ in expected)
    code, out, err = run(capsys, "--root", scratch, "check")
    assert code == 1, out
    reported = set()
    for line in err.splitlines()[:-1]:
        m = re.match(rf"cases/{SLUG}/(case\.yaml|case\.md):(\d+):\d+: (.*)", line)
        assert m, f"only the new case has problems: {line}"
        assert MARK in m.group(3), f"a fresh scaffold's only problems are its placeholders: {line}"
        reported.add((m.group(1), int(m.group(2))))
    assert reported == expected


def test_a_placeholder_left_in_a_finished_case_fails_check(scratch, capsys):
    folder = scratch / "cases" / CASE_IDS[0]
    path = folder / "case.yaml"
    text = path.read_text(encoding="utf-8")
    text, n = re.subn(r"^city_en: .*$", "city_en: TODO", text, count=1, flags=re.MULTILINE)
    assert n == 1
    path.write_text(text, encoding="utf-8")
    line = text[: text.index("city_en: TODO")].count("\n") + 1
    narrative = folder / "case.md"
    narrative.write_text(
        narrative.read_text(encoding="utf-8") + "\n" + NARRATIVE_PLACEHOLDERS[0] + "\n", encoding="utf-8"
    )
    n_lines = narrative.read_text(encoding="utf-8").count("\n")
    code, _, err = run(capsys, "--root", scratch, "check")
    assert code == 1
    assert f"cases/{CASE_IDS[0]}/case.yaml:{line}:10: city_en: 'TODO' {MARK} — write the city's English name" in err
    assert re.search(rf"cases/{CASE_IDS[0]}/case\.md:{n_lines}:1: .*{MARK} — replace it with your own words", err)


# -- cite --------------------------------------------------------------------------------------------------


def test_cite_works_on_a_fresh_scaffold_and_asks_for_the_scope(scratch, capsys):
    new_case(capsys, scratch)
    code, out, err = run(capsys, "--root", scratch, "cite", SLUG, "416")
    assert code == 0
    assert err == "", "a new case's placeholders are check's business, not cite's"
    assert "value: 416" in out and 'quote: "全市共划分网格416个"' in out
    assert re.search(r"^      place: 待填写 +# .*set `city:`", out, re.MULTILINE), out


def _write_city(folder, city: str) -> None:
    """Fill in a scaffold's `city:` line, as the editor does first."""
    path = folder / "case.yaml"
    text = re.sub(r"^city: \S+", f"city: {city}", path.read_text(encoding="utf-8"), count=1, flags=re.MULTILINE)
    path.write_text(text, encoding="utf-8")


def test_cite_proposes_the_whole_city_as_scope_once_the_city_is_written(scratch, capsys):
    _write_city(new_case(capsys, scratch), "测试市")
    code, out, _ = run(capsys, "--root", scratch, "cite", SLUG, "350")
    assert code == 0
    assert re.search(
        r"^    scope:\n      level: city +#.*\n      place: 测试市 +# the case's city", out, re.MULTILINE
    ), out


def test_what_cite_prints_is_a_valid_value_once_the_key_is_chosen(scratch, capsys):
    """The block is pasted as it is: with the indicator key written, it is a value the schema accepts."""
    import yaml

    from casebook.models import IndicatorValue

    _write_city(new_case(capsys, scratch), "测试市")
    code, out, _ = run(capsys, "--root", scratch, "cite", SLUG, "416")
    assert code == 0
    block = out.split("\n\n")[0].replace("indicator: TODO", "indicator: grids")
    item = yaml.safe_load(block)[0]
    value = IndicatorValue.model_validate(item)
    assert value.value == 416 and value.scope.level == "city" and value.scope.place == "测试市"
    assert value.period.kind == "not_stated"


def test_cite_leaves_out_the_lines_marked_as_furniture(scratch, capsys):
    folder = new_case(capsys, scratch)
    code, out, _ = run(capsys, "--root", scratch, "cite", SLUG, "31")  # the byline's 09:31
    assert code == 0 and "# ¶2" in out
    path = folder / "case.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "  furniture: []", '  furniture:\n    - {lines: "1-2", kind: page_furniture}'
        ),
        encoding="utf-8",
    )
    code, out, err = run(capsys, "--root", scratch, "cite", SLUG, "31")
    assert code == 1 and out == ""
    assert f"'31' does not occur in the text of cases/{SLUG}/source.txt" in err


def test_cite_still_searches_when_case_yaml_does_not_parse(scratch, capsys):
    folder = new_case(capsys, scratch)
    (folder / "case.yaml").write_text(f"id: {SLUG}\nsource: [\n", encoding="utf-8")
    code, out, err = run(capsys, "--root", scratch, "cite", SLUG, "416")
    assert code == 0 and "全市共划分网格416个" in out
    assert re.search(rf"cases/{SLUG}/case\.yaml:\d+:\d+: invalid YAML", err), err
    assert f"no line of cases/{SLUG}/source.txt is left out as furniture" in err


def test_cite_without_a_source_or_case_says_what_to_do(scratch, capsys):
    new_case(capsys, scratch, SLUG, source=None)
    code, out, err = run(capsys, "--root", scratch, "cite", SLUG, "416")
    assert code == 1 and out == ""
    assert (
        f"cases/{SLUG}/source.txt:1:1: source.txt is missing — save the source text, unchanged, as "
        f"cases/{SLUG}/source.txt" in err
    )
    misspelt = CASE_IDS[0][:-1] + ("x" if CASE_IDS[0][-1] != "x" else "y")
    code, _, err = run(capsys, "--root", scratch, "cite", misspelt, "1")
    assert code == 1 and f"no case '{misspelt}' — did you mean '{CASE_IDS[0]}'?" in err
    code, _, err = run(capsys, "--root", scratch, "cite", "../etc", "1")
    assert code == 1 and "is not a case id" in err


def test_cite_reads_every_case_as_check_does(library):
    from casebook.editor_tools import read_case_source

    for case in library.cases:
        found = read_case_source(case.folder)
        assert not found.problems, case.id
        assert found.source.body == case.source.body, case.id
        assert found.city == case.data.city


# -- coverage ----------------------------------------------------------------------------------------------


def test_coverage_lists_every_number_of_a_case(capsys):
    case_id = CASE_IDS[0]
    code, out, err = run(capsys, "--root", ROOT, "coverage", case_id)
    assert code == 0, err
    first = out.splitlines()[0]
    m = re.match(rf"# {case_id} \(.+\): (\d+) numbers in the source$", first)
    assert m, first
    rows = [line for line in out.splitlines()[1:-1] if line]
    assert len(rows) == int(m.group(1))
    assert all(line[0] in "✓·✗" for line in rows)
    assert re.match(r"\d+ of \d+ numbers accounted for", out.splitlines()[-1])


def test_coverage_of_every_case_and_of_a_case_that_does_not_load(scratch, capsys):
    code, out, _ = run(capsys, "--root", ROOT, "coverage")
    assert code == 0 and len(re.findall(r"^# ", out, re.MULTILINE)) == len(CASE_IDS)
    new_case(capsys, scratch)
    code, _, err = run(capsys, "--root", scratch, "coverage", SLUG)
    assert code == 1 and f"cases/{SLUG} cannot be loaded yet; fix these first" in err and MARK in err
    code, _, err = run(capsys, "--root", scratch, "coverage", "nosuchcase")
    assert code == 1 and "no case 'nosuchcase'" in err


# -- the advice a message gives ----------------------------------------------------------------------------


@pytest.mark.parametrize("spaces", [3, 5])
def test_a_misindented_key_gets_indentation_advice_not_quoting_advice(tmp_path, spaces):
    from casebook.yamlload import load_yaml

    path = tmp_path / "case.yaml"
    path.write_text(
        "indicators:\n  - indicator: grids\n    value: 514\n" + " " * spaces + "unit: 个\n    qualifier: exact\n",
        encoding="utf-8",
    )
    problems = []
    assert load_yaml(path, problems) is None
    [p] = problems
    assert (p.line, p.column) == (4, spaces + 1)
    assert "quotes" not in p.hint
    assert f"`unit:` starts in column {spaces + 1}, but `value:` on line 3 starts in column 5" in p.hint


def test_a_colon_inside_a_value_still_gets_quoting_advice(tmp_path):
    from casebook.yamlload import load_yaml

    path = tmp_path / "case.yaml"
    path.write_text("mechanisms:\n  - summary: 做法: 以社区为基础\n", encoding="utf-8")
    problems = []
    assert load_yaml(path, problems) is None
    assert problems[0].hint == "a value containing ': ' must be put in quotes"


def test_a_link_to_a_misspelt_case_suggests_the_existing_page(scratch, capsys):
    target = CASE_IDS[0]
    misspelt = target[:-2] + target[-1] + target[-2]  # two letters swapped, e.g. dengzhou -> dengzhuo
    assert misspelt != target
    narrative = scratch / "cases" / CASE_IDS[-1] / "case.md"
    narrative.write_text(
        narrative.read_text(encoding="utf-8") + f"\n见[另一个案例]({misspelt}.md)和"
        f"[它的原文](../sources/{misspelt}.md)，以及[不存在的页面](qqqqqq.md)。\n",
        encoding="utf-8",
    )
    code, _, err = run(capsys, "--root", scratch, "check")
    assert code == 1
    hints = re.findall(r"link to a page that does not exist: (\S+) — no page \S+; did you mean (\S+)\?", err)
    assert sorted(hints) == sorted(
        [(f"{misspelt}.md", f"{target}.md"), (f"../sources/{misspelt}.md", f"../sources/{target}.md")]
    ), err
    # a name like no page's gets no "did you mean" of a page that only shares its folder (cases/index.md)
    assert (
        "link to a page that does not exist: qqqqqq.md — no page cases/qqqqqq.md in this site; link to an "
        "existing page, e.g. ../index.md" in err
    )


def _named_files(text: str) -> set[str]:
    return set(re.findall(r"(?<![\w/.{<-])((?:\.\./)*[a-zA-Z_][\w./-]*\.(?:md|ya?ml|json|txt|py|csv|toml))\b", text))


def test_no_message_or_schema_names_a_file_editors_do_not_have(library):
    """Messages, the scaffold's comments and the schema's descriptions name only files of the repository, of
    a case folder, or pages of the site."""
    from casebook.routes import page_uris

    texts = []
    for path in (ROOT / "schema").glob("*.schema.json"):

        def descriptions(node):
            if isinstance(node, dict):
                for key, value in node.items():
                    if key == "description" and isinstance(value, str):
                        yield value
                    else:
                        yield from descriptions(value)
            elif isinstance(node, list):
                for value in node:
                    yield from descriptions(value)

        texts += list(descriptions(json.loads(path.read_text(encoding="utf-8"))))
    for path in (ROOT / "src" / "casebook").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            name = getattr(getattr(node, "func", None), "id", getattr(getattr(node, "func", None), "attr", ""))
            if isinstance(node, ast.Call) and name in ("Problem", "at", "at_key", "at_line", "file"):  # or a Reporter's
                texts += [c.value for c in ast.walk(node) if isinstance(c, ast.Constant) and isinstance(c.value, str)]
    from casebook import editor_tools, placeholders

    texts += [editor_tools.CASE_TEMPLATE, editor_tools.NARRATIVE_TEMPLATE, *placeholders._HINTS.values()]
    pages = page_uris(
        [c.id for c in library.cases],
        sorted({d.group for d in library.indicators.values()}),
        list(library.mechanisms),
        bool(library.glossary),
    )
    case_files = {p.name for c in library.cases for p in c.folder.iterdir()}
    missing = set()
    for name in set().union(*map(_named_files, texts)):
        plain = re.sub(r"^(\.\./)+", "", name)
        if not (
            (ROOT / plain).exists()
            or plain in case_files
            or plain in pages
            or f"cases/{plain}" in pages
            or (ROOT / "docs" / plain).exists()
            or (ROOT / "schema" / Path(plain).name).exists()
        ):
            missing.add(name)
    assert not missing, f"named but not in the repository: {sorted(missing)}"
