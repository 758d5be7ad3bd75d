"""`casebook migrate`: case files in the format before structured scope and period (issue 15, point 1).

tests/fixtures/old_format/ holds the five seed cases' files as they were on the day the format changed
(case.yaml in the old format, with their sources): a pull request opened before the change looks like them.
Each goes through `casebook migrate` in a copy of the project; then `check` must name only what needs a
person (the TODO markers migrate wrote), and nothing the editor wrote may be lost or reordered.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml

from conftest import FICTIONAL_ADCODE, copy_project, run_check

from casebook.cli import main
from casebook.placeholders import MARK

OLD = Path(__file__).parent / "fixtures" / "old_format"
OLD_CASES = sorted(p.name for p in OLD.iterdir() if (p / "case.yaml").is_file())


@pytest.fixture(scope="module")
def migrated(tmp_path_factory):
    """A project whose cases/ are the old-format files, after one `casebook migrate`."""
    project = copy_project(tmp_path_factory.mktemp("migrate") / "project")
    shutil.rmtree(project / "cases")
    shutil.copytree(OLD, project / "cases")
    before = {slug: (OLD / slug / "case.yaml").read_text(encoding="utf-8") for slug in OLD_CASES}
    code = main(["--root", str(project), "migrate"])
    return project, before, code


def _comments(text: str) -> list[str]:
    return [line.split("#", 1)[1].strip() for line in text.splitlines() if re.match(r"^\s*#", line)]


def test_the_fixtures_are_in_the_old_format():
    for slug in OLD_CASES:
        items = yaml.safe_load((OLD / slug / "case.yaml").read_text(encoding="utf-8"))["indicators"]
        assert all(isinstance(v["scope"], str) for v in items), slug


def test_migrate_upgrades_every_case_and_check_names_only_what_needs_a_person(migrated):
    project, _, code = migrated
    assert code == 0
    result = run_check(project)
    assert result.returncode == 1, "the TODO markers are for a person to decide"
    problems = [line for line in result.stderr.splitlines() if re.match(r"^cases/", line)]
    assert problems
    for line in problems:
        assert MARK in line and "'TODO'" in line, line
        field = re.search(r": ([a-z_.0-9]+): 'TODO'", line).group(1)
        assert re.search(r"\.(scope\.level|period\.kind|evidence)$", field), line
    # each TODO is one migrate announced: a comment beside it keeps the old string where the level was unsure
    for slug in OLD_CASES:
        text = (project / "cases" / slug / "case.yaml").read_text(encoding="utf-8")
        n_todo = len(re.findall(r": TODO\b", text))
        assert n_todo == sum(1 for p in problems if p.startswith(f"cases/{slug}/")), slug


def test_nothing_the_editor_wrote_is_lost(migrated):
    project, before, _ = migrated
    for slug, old_text in before.items():
        new_text = (project / "cases" / slug / "case.yaml").read_text(encoding="utf-8")
        old, new = yaml.safe_load(old_text), yaml.safe_load(new_text)
        # every comment is kept, in order
        kept = _comments(new_text)
        assert [c for c in kept if c in _comments(old_text)] == _comments(old_text), slug
        # top-level keys and the source block are untouched, in order; `adcode` is added after `level_en`
        keys = list(old)
        keys.insert(keys.index("level_en") + 1, "adcode")
        assert list(new) == keys and new["source"] == old["source"], slug
        assert len(new["indicators"]) == len(old["indicators"]), slug
        for o, n in zip(old["indicators"], new["indicators"], strict=True):
            for key in ("indicator", "value", "unit", "qualifier", "quote", "note", "derived"):
                assert o.get(key) == n.get(key), (slug, key)
            assert [k for k in n if k not in ("period", "scope")] == [
                k for k in o if k not in ("period", "scope", "year")
            ], slug
            old_year = o.get("year")
            if old_year is not None:
                assert n["period"]["year"] == old_year
            # a scope migrate could decide keeps the old words: the whole city's name, or the part it names
            if n["scope"]["level"] != "TODO":
                assert n["scope"]["place"] in (old["city"], *re.findall(r"[\u4e00-\u9fff]{2,5}[市县旗区]", o["scope"]))
        assert [t["mechanism"] for t in new["mechanisms"]] == [t["mechanism"] for t in old["mechanisms"]]
        assert new["uncoded"] == old["uncoded"]


def test_decided_fields_follow_the_old_strings(migrated):
    project, before, _ = migrated
    for slug, old_text in before.items():
        old = yaml.safe_load(old_text)["indicators"]
        new = yaml.safe_load((project / "cases" / slug / "case.yaml").read_text(encoding="utf-8"))["indicators"]
        for o, n in zip(old, new, strict=True):
            period = o.get("period") or ""
            if o.get("year") is not None:
                assert n["period"]["kind"] == "year"
            elif period.startswith(("未注明", "年份未注明")):
                assert n["period"] == {"kind": "not_stated"}
            elif period.startswith("目前"):
                assert n["period"]["kind"] == "as_of"
            elif period.startswith("累计"):
                assert n["period"]["kind"] == "since"
            if o["scope"].startswith(("全市", "全州", "全盟")):
                assert n["scope"]["level"] == "city"


def test_a_second_run_changes_nothing(migrated, capsys):
    project, _, _ = migrated
    texts = {p: p.read_text(encoding="utf-8") for p in (project / "cases").glob("*/case.yaml")}
    capsys.readouterr()
    assert main(["--root", str(project), "migrate"]) == 0
    out = capsys.readouterr().out
    assert out.count("already in the current format") == len(texts)
    assert {p: p.read_text(encoding="utf-8") for p in texts} == texts


def test_the_library_of_today_is_already_migrated(tmp_path, capsys):
    project = copy_project(tmp_path / "project")
    texts = {p: p.read_bytes() for p in (project / "cases").glob("*/case.yaml")}
    assert main(["--root", str(project), "migrate"]) == 0
    assert {p: p.read_bytes() for p in texts} == texts


def test_migrate_names_an_unknown_case(tmp_path, capsys):
    project = copy_project(tmp_path / "project")
    slug = sorted(p.name for p in (project / "cases").iterdir() if p.is_dir())[0]
    assert main(["--root", str(project), "migrate", slug[:-1] + "x"]) == 1
    assert "no case" in capsys.readouterr().err


def test_migrate_adds_each_cases_administrative_division_code(migrated):
    """Old files had no `adcode`: migrate adds it from `city` where data/adcodes.csv has one division of that name,
    and the code `check` then accepts (its name, province and kind are the case's)."""
    from casebook.divisions import load_divisions

    project, before, _ = migrated
    table = load_divisions(project, [])
    for slug, old_text in before.items():
        assert "adcode" not in yaml.safe_load(old_text)
        text = (project / "cases" / slug / "case.yaml").read_text(encoding="utf-8")
        new = yaml.safe_load(text)
        assert [new["adcode"]] == table.codes_named(new["city"]), slug
        assert re.search(rf'^level_en: .*\nadcode: "{new["adcode"]}"\n', text, re.MULTILINE), "quoted, after level_en"
    result = run_check(project)
    assert "adcode" not in result.stderr, result.stderr


def _old_case(project: Path, city: str) -> Path:
    """An old-format copy of a fixture case whose city is ``city`` (its source and values unchanged)."""
    slug = OLD_CASES[0]
    shutil.rmtree(project / "cases")
    (project / "cases").mkdir()
    shutil.copytree(OLD / slug, project / "cases" / slug)
    path = project / "cases" / slug / "case.yaml"
    text = re.sub(r"^city: .*$", f"city: {city}", path.read_text(encoding="utf-8"), count=1, flags=re.MULTILINE)
    path.write_text(text, encoding="utf-8")
    return path


def test_a_city_with_several_codes_gets_todo_and_the_candidates(tmp_path, capsys):
    project = copy_project(tmp_path / "project")
    path = _old_case(project, "朝阳区")
    assert main(["--root", str(project), "migrate"]) == 0
    out = capsys.readouterr().out
    assert "TODO adcode: data/adcodes.csv has 2 divisions named 朝阳区: 110105 (北京市) or 220104 (吉林省)" in out
    text = path.read_text(encoding="utf-8")
    assert re.search(r"^adcode: TODO +# data/adcodes\.csv has 2 divisions named 朝阳区: 110105 \(北京市\)", text, re.M)
    result = run_check(project)
    assert re.search(rf"^cases/{OLD_CASES[0]}/case\.yaml:\d+:9: adcode: 'TODO' {MARK}", result.stderr, re.M)
    # a second run leaves the decision to the editor
    assert main(["--root", str(project), "migrate"]) == 0
    assert path.read_text(encoding="utf-8") == text


def test_a_city_the_table_lacks_gets_todo_and_the_supplement_named(tmp_path, capsys):
    project = copy_project(tmp_path / "project", fictional=False)
    path = _old_case(project, "测试市")
    assert main(["--root", str(project), "migrate"]) == 0
    assert "TODO adcode: data/adcodes.csv has no division named 测试市" in capsys.readouterr().out
    assert "adcode: TODO" in path.read_text(encoding="utf-8")
    assert "data/adcodes-supplement.csv" in path.read_text(encoding="utf-8")


def test_a_scaffolds_todo_is_filled_once_the_city_is_written(tmp_path, capsys):
    """`casebook new` without a city writes `adcode: TODO`; migrate fills it in from the city written since."""
    project = copy_project(tmp_path / "project")
    assert main(["--root", str(project), "new", "ceshi-migrate"]) == 0
    path = project / "cases" / "ceshi-migrate" / "case.yaml"
    text = path.read_text(encoding="utf-8")
    assert re.search(r"^adcode: TODO\b", text, re.MULTILINE)
    path.write_text(re.sub(r"^city: \S+", "city: 测试市", text, count=1, flags=re.MULTILINE), encoding="utf-8")
    capsys.readouterr()
    assert main(["--root", str(project), "migrate", "ceshi-migrate"]) == 0
    assert re.search(rf'^adcode: "{FICTIONAL_ADCODE}"', path.read_text(encoding="utf-8"), re.MULTILINE)
