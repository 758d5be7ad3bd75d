"""One way to load the library: `check`, the build and the editors' tools all go through
casebook.library.load_library. Its options (workers, not keeping the cases) change how it runs, never what it
finds; the policy every case must meet (data/policy.yaml) is checked there; and schema errors are worded from the
model of the file being read."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import yaml

from conftest import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))
from generate import generate  # noqa: E402


def _formatted(problems, root: Path) -> list[str]:
    return sorted(p.format(root) for p in problems)


def test_workers_and_one_process_find_the_same_problems(tmp_path):
    from casebook.library import PARALLEL_FROM, load_library

    lib = generate(PARALLEL_FROM + 2, tmp_path / "lib")
    folders = sorted(p for p in (lib / "cases").iterdir())
    broken = folders[3] / "case.yaml"  # a quote that is not in the source
    text = broken.read_text(encoding="utf-8")
    quote = re.search(r"^    quote: (.+)$", text, re.MULTILINE)
    broken.write_text(text.replace(quote.group(0), "    quote: 这句话不在原文里", 1), encoding="utf-8")
    (folders[7] / "case.md").write_text("见[不存在的页](nowhere.md)。\n", encoding="utf-8")

    one, one_problems = load_library(lib, jobs=1)
    many, many_problems = load_library(lib, jobs=2, keep_cases=False)
    assert _formatted(one_problems, lib) == _formatted(many_problems, lib)
    assert len(one_problems) >= 2
    assert many.cases == [] and many.n_cases == one.n_cases == len(one.cases) == len(folders) - 1
    assert many.n_values == sum(len(c.values) for c in one.cases)
    assert [e.term for e in many.glossary] == [e.term for e in one.glossary]
    assert [[(o.case_id, o.paragraph) for o in e.occurrences] for e in many.glossary] == [
        [(o.case_id, o.paragraph) for o in e.occurrences] for e in one.glossary
    ]


def test_check_reports_a_case_below_the_policy_with_its_line(project):
    from casebook.library import load_library

    policy = yaml.safe_load((ROOT / "data" / "policy.yaml").read_text(encoding="utf-8"))
    case_yaml = sorted((project / "cases").iterdir())[0] / "case.yaml"
    data = yaml.safe_load(case_yaml.read_text(encoding="utf-8"))
    stated = sum(1 for v in data["indicators"] if not v.get("derived"))
    (project / "data" / "policy.yaml").write_text(
        f"min_values: {stated + 1}\nmin_tags: {len(data['mechanisms']) + 1}\n", encoding="utf-8"
    )
    _, problems = load_library(project)
    lines = case_yaml.read_text(encoding="utf-8").splitlines()
    mine = [p for p in problems if p.path == case_yaml]
    assert len(mine) == 2, [p.format(project) for p in problems]
    by_key = {lines[p.line - 1].split(":")[0]: p for p in mine}
    assert (
        f"{stated} values cited from the source; every case needs at least {stated + 1}" in by_key["indicators"].message
    )
    assert "data/policy.yaml" in by_key["mechanisms"].message and "coverage" in by_key["indicators"].hint
    # the real policy holds for every case of the real library (and is what the guide states)
    guide = (ROOT / "docs" / "guide.md").read_text(encoding="utf-8")
    assert f"至少 {policy['min_values']} 个" in guide and f"至少 {policy['min_tags']} 个" in guide


def test_a_missing_or_wrong_policy_is_one_clear_problem(project):
    from casebook.library import load_library

    (project / "data" / "policy.yaml").write_text("min_values: 5\nmin_tgas: 2\n", encoding="utf-8")
    _, problems = load_library(project)
    assert "data/policy.yaml:2:1: unknown key 'min_tgas' — did you mean 'min_tags'?" in [
        p.format(project) for p in problems
    ]
    assert all(p.path.name == "policy.yaml" for p in problems)
    (project / "data" / "policy.yaml").unlink()
    _, problems = load_library(project)
    assert len(problems) == 1 and problems[0].format(project).startswith("data/policy.yaml:1:1: ")


def test_unknown_keys_get_hints_from_the_model_of_their_own_file(project):
    """An unknown key in data/indicators.yaml is compared with what an indicator may have ('name'), not with a
    case's fields ('note')."""
    from casebook.library import load_library

    path = project / "data" / "indicators.yaml"
    text = path.read_text(encoding="utf-8")
    first = re.search(r"^(\s+)name: ", text, re.MULTILINE)
    path.write_text(text[: first.start()] + first.group(1) + "nmae: " + text[first.end() :], encoding="utf-8")
    _, problems = load_library(project)
    unknown = [p for p in problems if "unknown key 'nmae'" in p.message]
    assert unknown and unknown[0].hint == "did you mean 'name'?", [p.format(project) for p in problems]
