"""Citation verification: every cited value of the real library, and the mistakes it must catch."""

from __future__ import annotations

import re
from pathlib import Path

from conftest import CASE_IDS, run_build, run_check


def test_every_cited_value_is_verified(library):
    """The real library loads with no problem: every case folder is a case (none dropped), every quote found once
    and stating its value."""
    assert sorted(c.id for c in library.cases) == CASE_IDS
    for case in library.cases:
        for v in case.values:
            if v.data.derived is None:
                assert v.citation is not None, (case.id, v.data.indicator)
                assert case.source.raw[v.citation.start : v.citation.end].strip()


def test_derived_values_cite_their_inputs(library):
    derived = [(c, v) for c in library.cases for v in c.values if v.data.derived]
    assert derived, "the sources contain derivable values (e.g. Baicheng's communities)"
    for _case, v in derived:
        assert v.citation is None and v.inputs
        assert all(i.citation is not None for i in v.inputs)


def _line_of(text: str, needle: str) -> int:
    for n, line in enumerate(text.splitlines(), start=1):
        if needle in line:
            return n
    raise AssertionError(f"{needle!r} not in file")


def _value_line_after(text: str, quote_line: int) -> int:
    """The `value:` line of the YAML item that holds the quote on ``quote_line``."""
    lines = text.splitlines()
    start = quote_line - 1
    while not lines[start].lstrip().startswith("- indicator:"):
        start -= 1
    for n in range(start, len(lines)):
        if lines[n].lstrip().startswith("value:"):
            return n + 1
    raise AssertionError("no value line")


def _mutate(project: Path, case: str, old: str, new: str) -> tuple[Path, str]:
    path = project / "cases" / case / "case.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path, text


def _assert_fails(project: Path, expected: str, tmp_path: Path):
    result = run_check(project)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert re.search(expected, result.stderr), result.stderr
    site = tmp_path / "out-site"
    build = run_build(project, site)
    assert build.returncode != 0
    assert "Traceback" not in build.stdout + build.stderr
    assert not site.exists(), "a failed check must not publish anything"
    return result.stderr


def test_changed_digit_fails_with_file_and_line(project, tmp_path):
    path, text = _mutate(project, "karamay", "value: 2017\n", "value: 2018\n")
    line = _value_line_after(text, _line_of(text, "建立网格党组织2017个"))
    err = _assert_fails(
        project,
        rf"cases/karamay/case\.yaml:{line}:\d+: indicator 'grid_party_orgs': "
        r"the quote does not state 2018",
        tmp_path,
    )
    assert "it states 2017" in err


def test_quote_not_in_source_fails_with_closest_passage(project, tmp_path):
    path, text = _mutate(project, "karamay", "建立网格党组织2017个", "建立网格党支部2017个")
    line = _line_of(text, "建立网格党组织2017个")
    err = _assert_fails(
        project,
        rf"cases/karamay/case\.yaml:{line}:\d+: indicator 'grid_party_orgs': "
        r"quote not found in the source",
        tmp_path,
    )
    assert "closest passage is ¶" in err and "网格党组织2017个" in err


def test_quote_found_twice_fails(project, tmp_path):
    text = (project / "cases/karamay/case.yaml").read_text(encoding="utf-8")
    quote_line = _line_of(text, "建立网格党组织2017个")
    old = text.splitlines()[quote_line - 1]
    new = re.sub(r"quote: .*", "quote: 网格", old)
    _mutate(project, "karamay", old, new)
    _assert_fails(
        project,
        rf"cases/karamay/case\.yaml:{quote_line}:\d+: indicator 'grid_party_orgs': "
        r"quote occurs \d+ times in the source \(¶",
        tmp_path,
    )


def test_lost_qualifier_fails(project, tmp_path):
    path = project / "cases/karamay/case.yaml"
    text = path.read_text(encoding="utf-8")
    quote_line = _line_of(text, "2600余家")
    lines = text.splitlines()
    # the item's qualifier line: more_than -> exact (余 dropped from the coding)
    start = quote_line - 1
    while not lines[start].lstrip().startswith("- indicator:"):
        start -= 1
    end = start + 1
    while end < len(lines) and not lines[end].lstrip().startswith("- "):
        end += 1
    q = next(i for i in range(start, end) if lines[i].strip() == "qualifier: more_than")
    lines[q] = lines[q].replace("more_than", "exact")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    value_line = next(i for i in range(start, end) if lines[i].strip().startswith("value:")) + 1
    err = _assert_fails(
        project,
        rf"cases/karamay/case\.yaml:{value_line}:\d+: indicator 'units_reporting': "
        r"qualifier 'exact' does not match",
        tmp_path,
    )
    assert "set `qualifier: more_than`" in err


def test_quote_with_qualifier_dropped_is_not_verbatim(project, tmp_path):
    text = (project / "cases/karamay/case.yaml").read_text(encoding="utf-8")
    old = next(line for line in text.splitlines() if "2600余家" in line)
    _mutate(project, "karamay", old, old.replace("2600余家", "2600家"))
    _assert_fails(project, r"cases/karamay/case\.yaml:\d+:\d+: indicator 'units_reporting': quote not found", tmp_path)


def test_edited_source_fails_with_checksum_line(project, tmp_path):
    src = project / "cases/yanbian/source.txt"
    src.write_bytes(src.read_bytes().replace("154个社区".encode(), "155个社区".encode(), 1))
    text = (project / "cases/yanbian/case.yaml").read_text(encoding="utf-8")
    line = _line_of(text, "sha256:")
    _assert_fails(project, rf"cases/yanbian/case\.yaml:{line}:\d+: source\.txt has changed", tmp_path)


def test_archived_sources_match_recorded_checksums(library):
    import hashlib

    for case in library.cases:
        data = (case.folder / case.data.source.file).read_bytes()
        assert hashlib.sha256(data).hexdigest() == case.data.source.sha256, case.id


def _value_block(text: str, start: str, quote: str) -> str:
    """The lines of one value from its ``start`` line (e.g. its qualifier) to its quote line."""
    end = text.index(quote) + len(quote)
    return text[text.rindex(start, 0, end) : end]


def test_chaoguo_coded_at_least_fails(project, tmp_path):
    """超过 is more than (>), not at least (≥): an item coded at_least for 超过87% is refused."""
    path = project / "cases/ordos/case.yaml"
    text = path.read_text(encoding="utf-8")
    old = _value_block(text, "    qualifier: more_than", "    quote: 大專以上學歷超過87%")
    _mutate(project, "ordos", old, old.replace("more_than", "at_least"))
    value_line = _value_line_after(text, _line_of(text, "大專以上學歷超過87%"))
    err = _assert_fails(
        project,
        rf"cases/ordos/case\.yaml:{value_line}:\d+: indicator 'secretary_college_share': "
        r"qualifier 'at_least' does not match",
        tmp_path,
    )
    assert "87 with 超过 — set `qualifier: more_than`" in err


def test_projection_coded_exact_fails(project, tmp_path):
    """预计 makes a projection: coding it as an exact (reported) figure is refused."""
    path = project / "cases/yanbian/case.yaml"
    text = path.read_text(encoding="utf-8")
    old = _value_block(text, "    qualifier: projected", "    quote: 预计每月增加财政投入4300万元")
    _mutate(project, "yanbian", old, old.replace("projected", "exact"))
    value_line = _value_line_after(text, _line_of(text, "quote: 预计每月增加财政投入4300万元"))
    err = _assert_fails(
        project,
        rf"cases/yanbian/case\.yaml:{value_line}:\d+: indicator 'added_fiscal_spending': "
        r"qualifier 'exact' does not match",
        tmp_path,
    )
    assert "4300万 with 预计 — set `qualifier: projected`" in err
