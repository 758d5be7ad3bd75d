"""Strength of evidence of mechanism tags: `evidence: explicit | inferred` (and `basis:` for inferred ones).

The model refuses an inferred tag without a basis and any other value, naming the file and line; the built
pages mark every tag of every case with ● (explicit) or ○ (inferred) as its case file says, with a legend and
words for screen readers; the mechanism page shows an inferred tag's basis; the downloads carry both fields.
No case is named: every check runs over the library as loaded.
"""

from __future__ import annotations

import csv
import io
import json
import re
from html import unescape
from pathlib import Path

import pytest

from test_bad_input import base

CASE = "cases/fixture/case.yaml"
SYMBOL = {"explicit": "●", "inferred": "○"}
WORDS = {"explicit": "来源明确提到", "inferred": "编者据描述推断"}


def _tags(library):
    return [(c, t) for c in library.cases for t in c.tags]


def _text(html: str) -> str:
    """The text of some HTML, tags and printed pinyin removed (glossary annotations wrap terms in summaries and
    bases, and add each term's pinyin for print)."""
    html = re.sub(r'<span class="print-pinyin">[^<]*</span>', "", html)
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", "", html)))


def _html(site: Path, path: str) -> str:
    return (site / path / "index.html").read_text(encoding="utf-8")


# -- the model ----------------------------------------------------------------------------------------------
def _project(tmp_path: Path) -> Path:
    return base(tmp_path)  # the bad-input corpus's project: the library plus the fixture case


def _report(project: Path) -> list[str]:
    from casebook.library import load_library
    from casebook.problems import LibraryError

    _, problems = load_library(project)
    return LibraryError(problems, project).report().splitlines() if problems else []


def _set_first_evidence(project: Path, new: str) -> tuple[int, int]:
    """Replace the first tag's `evidence: explicit` by ``new``; return the lines of the tag and of the field."""
    path = project / CASE
    text = path.read_text(encoding="utf-8")
    at = text.index("    evidence: explicit\n", text.index("\nmechanisms:\n"))
    item = text.rindex("  - mechanism: ", 0, at)
    path.write_text(text[:at] + new + text[at + len("    evidence: explicit\n") :], encoding="utf-8")
    return text[:item].count("\n") + 1, text[:at].count("\n") + 1


def test_the_fixture_tags_are_valid(tmp_path):
    assert _report(_project(tmp_path)) == []


def test_an_inferred_tag_without_basis_is_refused_with_its_line(tmp_path):
    project = _project(tmp_path)
    item, _ = _set_first_evidence(project, "    evidence: inferred\n")
    lines = _report(project)
    expected = rf"^{CASE}:{item}:5: mechanisms\.0: an inferred tag needs `basis:` — say in your own words why"
    assert any(re.match(expected, line) for line in lines), "\n".join(lines)
    assert lines[-1].endswith("nothing was built.")


def test_an_inferred_tag_with_basis_is_accepted(tmp_path):
    project = _project(tmp_path)
    _set_first_evidence(
        project, "    evidence: inferred\n    basis: 来源描述了划分网格并在网格上建党小组，符合定义。\n"
    )
    assert _report(project) == []


@pytest.mark.parametrize(
    "value, message",
    [
        ("strong", r"'strong' is not allowed — use one of: explicit, inferred"),
        ("Explicit", r"'Explicit' is not allowed — did you mean 'explicit'\?"),
        ("yes", r"wrong type \(the boolean true where .*'explicit' or 'inferred'.*\) — YAML reads the bare word 'yes'"),
    ],
)
def test_an_unknown_evidence_value_is_refused_with_its_line(tmp_path, value, message):
    project = _project(tmp_path)
    _, line = _set_first_evidence(project, f"    evidence: {value}\n")
    lines = _report(project)
    expected = rf"^{CASE}:{line}:15: mechanisms\.0\.evidence: {message}"
    assert any(re.match(expected, x) for x in lines), "\n".join(lines)


def test_a_tag_without_evidence_is_refused_with_its_line(tmp_path):
    project = _project(tmp_path)
    item, _ = _set_first_evidence(project, "")
    lines = _report(project)
    expected = rf"^{CASE}:{item}:5: missing required field 'evidence' — add `evidence:` to this item"
    assert any(re.match(expected, x) for x in lines), "\n".join(lines)


def test_every_inferred_tag_of_the_library_says_why(library):
    tags = _tags(library)
    assert tags
    for c, t in tags:
        assert t.data.evidence in SYMBOL, (c.id, t.data.mechanism)
        if t.data.evidence == "inferred":
            assert t.data.basis and len(t.data.basis) >= 20, (c.id, t.data.mechanism)


# -- the pages ----------------------------------------------------------------------------------------------
def _legend_shown(html: str) -> bool:
    text = _text(html)
    return all(f"{SYMBOL[k]} {WORDS[k]}" in text for k in SYMBOL)


def test_case_pages_mark_each_tag_as_its_evidence(site, library):
    for case in library.cases:
        if not case.tags:
            continue
        html = _html(site, f"cases/{case.id}")
        assert _legend_shown(html), case.id
        for t in case.tags:
            ev = t.data.evidence
            mark = re.search(
                r'<span class="evidence evidence-(\w+)" title="([^"]*)" aria-hidden="true">(.)</span>'
                r'<span class="cb-visually-hidden">（([^<]*)）</span> <a href="[^"]*mechanisms/'
                + re.escape(f"{t.data.mechanism}/#{case.id}")
                + '"',
                html,
            )
            assert mark, (case.id, t.data.mechanism)
            assert mark.groups() == (ev, WORDS[ev], SYMBOL[ev], WORDS[ev]), (case.id, t.data.mechanism)


def test_case_handouts_mark_each_tag_as_its_evidence(site, library):
    for case in library.cases:
        if not case.tags:
            continue
        html = _html(site, f"print/cases/{case.id}")
        assert _legend_shown(html), case.id
        for t in case.tags:
            ev = t.data.evidence
            assert re.search(
                rf'evidence-{ev}" title="{WORDS[ev]}" aria-hidden="true">{SYMBOL[ev]}</span>'
                rf'<span class="cb-visually-hidden">（{WORDS[ev]}）</span> <a href="[^"]*'
                + re.escape(f"{t.data.mechanism}/#{case.id}"),
                html,
            ), (case.id, t.data.mechanism)


def _section(html: str, anchor: str) -> str:
    """A city's section of a mechanism page: from its heading to the next heading of any level."""
    start = html.index(f'<h2 id="{anchor}">')
    end = re.compile(r"<h[1-6][ >]").search(html, start + 1)
    return html[start : end.start() if end else len(html)]


@pytest.mark.parametrize("page", ["mechanisms", "print/mechanisms"])
def test_mechanism_pages_mark_each_city_and_show_the_basis_of_inferred_tags(site, library, page):
    by_mechanism: dict[str, list] = {}
    for c, t in _tags(library):
        by_mechanism.setdefault(t.data.mechanism, []).append((c, t))
    for mechanism, entries in by_mechanism.items():
        html = _html(site, f"{page}/{mechanism}")
        assert _legend_shown(html), mechanism
        for c, t in entries:
            ev = t.data.evidence
            section = _section(html, c.id)
            marks = re.findall(
                r'<span class="evidence evidence-(\w+)" aria-hidden="true">(.)</span> (\S+?)<br', section
            )
            assert marks == [(ev, SYMBOL[ev], WORDS[ev])], (mechanism, c.id, marks)
            text = _text(section)
            if ev == "inferred":
                assert f"编者判断依据：{_text(t.data.basis or '')}" in text, (mechanism, c.id)
            else:
                assert "编者判断依据" not in text, (mechanism, c.id)


def test_the_matrix_marks_each_tag_as_its_evidence_with_words(site, library):
    html = _html(site, "matrix")  # its own page since issue 17 (the home page no longer grows with the library)
    assert _legend_shown(html)
    cells = re.findall(
        r'<a class="matrix-mark evidence-(\w+)" href="\.\./mechanisms/(\w+)/#([\w-]+)" title="([^"]*)" '
        r'aria-label="([^"]*)">(.)</a>',
        html,
    )
    found = {(case, mechanism): (ev, title, label, sym) for ev, mechanism, case, title, label, sym in cells}
    expected = {(c.id, t.data.mechanism): t.data.evidence for c, t in _tags(library)}
    assert sorted(found) == sorted(expected)
    for key, ev in expected.items():
        got_ev, title, label, sym = found[key]
        assert (got_ev, sym) == (ev, SYMBOL[ev]), key
        assert unescape(title) == unescape(label) and unescape(label).endswith(f"（{WORDS[ev]}）"), key


def test_the_print_stylesheet_hides_neither_marks_nor_legend():
    """The print tests in a browser print whole pages; this guards the rules that could hide the marks."""
    root = Path(__file__).resolve().parent.parent
    for name in ("print.css", "casebook.css"):
        css = (root / "docs" / "stylesheets" / name).read_text(encoding="utf-8")
        for rule in re.findall(r"([^{}]*)\{([^{}]*)\}", css):
            selector, body = rule
            if re.search(r"display:\s*none|visibility:\s*hidden", body):
                assert not re.search(r"\.evidence|\.matrix-mark|\.tag-list", selector), (name, selector)


def test_marks_and_legend_print(browser, server, library):
    case = next(c for c in library.cases if c.tags)
    page = browser.new_page()
    try:
        for url in (f"cases/{case.id}/", f"mechanisms/{case.tags[0].data.mechanism}/", f"print/cases/{case.id}/"):
            page.goto(server.url + url)
            page.emulate_media(media="print")
            shown = page.eval_on_selector_all(
                ".evidence, .evidence-legend",
                "els => els.map(e => { const r = e.getBoundingClientRect(); const s = getComputedStyle(e);"
                " return s.display !== 'none' && s.visibility !== 'hidden' && r.width > 0 && r.height > 0; })",
            )
            assert shown and all(shown), url
    finally:
        page.close()


# -- the downloads ------------------------------------------------------------------------------------------
def test_mechanism_downloads_carry_evidence_and_basis(site, library):
    from casebook.downloads import MECHANISM_COLUMNS

    expected = {(c.id, t.data.mechanism): (t.data.evidence, t.data.basis or "") for c, t in _tags(library)}
    text = (site / "downloads" / "mechanisms.csv").read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert list(rows[0]) == [c for c, _ in MECHANISM_COLUMNS]
    assert {"evidence", "basis"} <= set(rows[0])
    assert {(r["case"], r["mechanism"]): (r["evidence"], r["basis"]) for r in rows} == expected
    assert len(rows) == len(expected)
    records = json.loads((site / "downloads" / "mechanisms.json").read_text(encoding="utf-8"))
    assert {(r["case"], r["mechanism"]): (r["evidence"], r["basis"] or "") for r in records} == expected
    downloads = _text(_html(site, "downloads"))
    assert "mechanisms.csv" in downloads and "evidence" in downloads and "basis" in downloads
