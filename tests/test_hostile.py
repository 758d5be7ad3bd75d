"""The hostile-input corpus (tests/hostile_inputs.yaml): every attack an editor's pull request could carry.

Each entry puts one payload into one place of a small valid project (the fixture case, the data files and a
one-term glossary). A *refused* entry must make `casebook check` exit 1 with a message naming the file and
line, and no traceback; nothing outside the repository may be read or quoted. An *accepted* entry must pass
`check`; all accepted entries are then built together into one site, in which every page is parsed and
nothing may be live (tests/sitecheck.py), and every payload must be shown as the text it is.
A few entries (``e2e: true``) also run `casebook check` and the strict MkDocs build as processes.
"""

from __future__ import annotations

import contextlib
import hashlib
import html
import io
import json
import os
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, add_fictional_divisions, run_build, run_check
from sitecheck import live_content, scan_page, theme_inline_scripts

HERE = Path(__file__).parent
CORPUS = yaml.safe_load((HERE / "hostile_inputs.yaml").read_text(encoding="utf-8"))
FIXTURE = HERE / "fixtures" / "editor_case"
CASE = "cases/fixture/case.yaml"
NARR = "cases/fixture/case.md"
SECRET = "HOSTILE-SECRET-5d41402abc4b2a76"
GLOSSARY = """terms:
  - term: 网格
    en: grid
    definition: 城市社区划分的管理单元。
    mechanisms: [grid_governance]
"""


def base_project(tmp: Path) -> Path:
    """A small valid project: the site's code and data, the fixture case only, a one-term glossary."""
    project = tmp / "project"
    project.mkdir(parents=True)
    for name in ("mkdocs.yml", "docs", "hooks", "templates", "overrides", "schema"):
        src = ROOT / name
        (shutil.copytree if src.is_dir() else shutil.copy2)(src, project / name)
    (project / "data").mkdir()
    for name in ("indicators.yaml", "mechanisms.yaml", "policy.yaml", "provinces.yaml", "adcodes.csv"):
        shutil.copy2(ROOT / "data" / name, project / "data" / name)
    add_fictional_divisions(project)
    (project / "data" / "glossary.yaml").write_text(GLOSSARY, encoding="utf-8")
    folder = project / "cases" / "fixture"
    shutil.copytree(FIXTURE, folder)
    shutil.copyfile(ROOT / "cases" / "dengzhou" / "source.txt", folder / "source.txt")
    narrative = folder / "case.md"
    narrative.write_text(
        narrative.read_text(encoding="utf-8").replace(
            "[邓州市](dengzhou.md)", "[网格治理](../mechanisms/grid_governance.md)"
        ),
        encoding="utf-8",
    )
    outside = tmp / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text(f"{SECRET}\n网格 {SECRET}\n", encoding="utf-8")
    return project


# --- slots: where a payload goes; each returns (file, line) of what it wrote --------------------------------------


def _lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").split("\n")


def _write(path: Path, lines: list[str]) -> None:
    path.write_text("\n".join(lines), encoding="utf-8")


def _block(lines: list[str], start_pattern: str, index: int, stop_pattern: str) -> tuple[int, int]:
    """Line range [a, b) of the index-th block starting with start_pattern."""
    starts = [i for i, line in enumerate(lines) if re.match(start_pattern, line)]
    a = starts[index]
    b = next((i for i in range(a + 1, len(lines)) if re.match(stop_pattern, lines[i])), len(lines))
    return a, b


def _set_key(path: Path, a: int, b: int, indent: str, key: str, value: str, after: str | None = None) -> int:
    """Set ``key: value`` within lines [a, b); insert it after the key ``after`` (or at a + 1) if absent."""
    lines = _lines(path)
    for i in range(a, b):
        m = re.match(rf"^({indent}{key}:|  - {key}:)", lines[i])
        if m:
            prefix = m.group(1)
            lines[i] = f"{prefix} {value}"
            _write(path, lines)
            return i + 1
    at = next((i + 1 for i in range(a, b) if after and re.match(rf"^{indent}{after}:", lines[i])), a + 1)
    lines.insert(at, f"{indent}{key}: {value}")
    _write(path, lines)
    return at + 1


def _yaml_value(payload) -> str:
    text = str(payload)
    m = re.fullmatch(r"NEST-(\d+)", text)
    if m:
        n = int(m.group(1))
        return "[" * n + "46" + "]" * n
    return text


def slot_case(p: Path, key: str, payload, case: str) -> tuple[str, int]:
    path = p / f"cases/{case}/case.yaml"
    if key == "uncoded":
        lines = _lines(path)
        lines.insert(len(lines) - 1 if lines[-1] == "" else len(lines), f"uncoded: {payload}")
        _write(path, lines)
        return f"cases/{case}/case.yaml", len(lines) - (1 if lines[-1] == "" else 0)
    n = len(_lines(path))
    return f"cases/{case}/case.yaml", _set_key(path, 0, n, "", key, _yaml_value(payload), after="level_en")


def slot_source(p: Path, key: str, payload, case: str) -> tuple[str, int]:
    path = p / f"cases/{case}/case.yaml"
    a, b = _block(_lines(path), r"^source:", 0, r"^\S")
    return f"cases/{case}/case.yaml", _set_key(path, a, b, "  ", key, _yaml_value(payload), after="published")


def slot_value(p: Path, key: str, payload, case: str) -> tuple[str, int]:
    """A key of the first value (``scope.part``: a key of its nested ``scope:`` map)."""
    path = p / f"cases/{case}/case.yaml"
    a, b = _block(_lines(path), r"^  - indicator: communities", 0, r"^  - |^\S")
    parent, _, child = key.rpartition(".")
    if parent:
        a, b = _block(_lines(path)[:b], rf"^    {parent}:", 0, r"^ {0,4}\S")
        return f"cases/{case}/case.yaml", _set_key(path, a, b, "      ", child, _yaml_value(payload))
    return f"cases/{case}/case.yaml", _set_key(path, a, b, "    ", key, _yaml_value(payload), after="quote")


def slot_tag(p: Path, key: str, payload, case: str) -> tuple[str, int]:
    path = p / f"cases/{case}/case.yaml"
    a, b = _block(_lines(path), r"^  - mechanism: ", 0, r"^  - |^\S")
    return f"cases/{case}/case.yaml", _set_key(path, a, b, "    ", key, _yaml_value(payload))


def slot_source_note(p: Path, payload, case: str) -> tuple[str, int]:
    path = p / f"cases/{case}/case.yaml"
    lines = _lines(path)
    i = next(i for i, line in enumerate(lines) if line.startswith("    - 测试用副本"))
    lines[i] = f"    - {payload}"
    _write(path, lines)
    return f"cases/{case}/case.yaml", i + 1


def slot_defect_note(p: Path, payload, case: str) -> tuple[str, int]:
    path = p / f"cases/{case}/case.yaml"
    lines = _lines(path)
    i = lines.index("  furniture: []")
    lines[i + 1 : i + 1] = ["  defects:", "    - kind: other", f"      note: {payload}"]
    _write(path, lines)
    return f"cases/{case}/case.yaml", i + 4


def slot_uncoded_reason(p: Path, payload, case: str) -> tuple[str, int]:
    path = p / f"cases/{case}/case.yaml"
    text = path.read_text(encoding="utf-8").rstrip("\n") + "\n"
    line = text.count("\n") + 3
    path.write_text(text + f"uncoded:\n  - quote: 2020年完成46个\n    reason: {payload}\n", encoding="utf-8")
    return f"cases/{case}/case.yaml", line


def slot_narrative(p: Path, payload, case: str) -> tuple[str, int]:
    path = p / f"cases/{case}/case.md"
    text = path.read_text(encoding="utf-8").rstrip("\n") + "\n\n"
    line = text.count("\n") + 1
    path.write_text(text + str(payload) + "\n", encoding="utf-8")
    return f"cases/{case}/case.md", line


def slot_data(p: Path, file: str, block: str, key: str, payload, index: int) -> tuple[str, int]:
    path = p / "data" / file
    lines = _lines(path)
    section = {
        "mechanisms": r"^mechanisms:",
        "groups": r"^groups:",
        "indicators": r"^indicators:",
        "terms": r"^terms:",
    }[block]
    top = next(i for i, line in enumerate(lines) if re.match(section, line))
    starts = [i for i in range(top + 1, len(lines)) if re.match(r"^  - ", lines[i])]
    end_section = next((i for i in range(top + 1, len(lines)) if re.match(r"^\S", lines[i])), len(lines))
    starts = [i for i in starts if i < end_section]
    a = starts[index]
    b = next((i for i in starts if i > a), end_section)
    return f"data/{file}", _set_key(path, a, b, "    ", key, _yaml_value(payload))


def _link(p: Path, rel: str, target: Path) -> None:
    path = p / rel
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    elif path.exists() or path.is_symlink():
        path.unlink()
    path.symlink_to(target)


def slot_file(p: Path, action: str, payload) -> tuple[str, int]:
    """Actions on files and folders rather than values."""
    secret = p.parent / "outside" / "secret.txt"
    case_line = lambda needle: next(i + 1 for i, line in enumerate(_lines(p / CASE)) if needle in line)  # noqa: E731
    if action == "symlink-source":
        _link(p, "cases/fixture/source.txt", secret)
        return CASE, case_line("  file: source.txt")
    if action == "fifo-source":
        (p / "cases/fixture/source.txt").unlink()
        os.mkfifo(p / "cases/fixture/source.txt")
        return CASE, case_line("  file: source.txt")
    if action == "symlink-narrative":
        _link(p, NARR, secret)
        return NARR, 1
    if action == "symlink-case-yaml":
        outside_yaml = p.parent / "outside" / "case.yaml"
        shutil.copy2(p / CASE, outside_yaml)
        _link(p, CASE, outside_yaml)
        return CASE, 1
    if action == "symlink-case-folder":
        outside_case = p.parent / "outside" / "leak"
        shutil.copytree(p / "cases" / "fixture", outside_case)
        (p / "cases" / "leak").symlink_to(outside_case)
        return "cases/leak", 1
    if action == "symlink-docs":
        (p / "docs" / "leak.md").symlink_to(secret)
        return "docs/leak.md", 1
    if action == "symlink-data":
        outside_data = p.parent / "outside" / "mechanisms.yaml"
        shutil.copy2(p / "data" / "mechanisms.yaml", outside_data)
        _link(p, "data/mechanisms.yaml", outside_data)
        return "data/mechanisms.yaml", 1
    if action == "deep-block-yaml":
        path = p / CASE
        text = path.read_text(encoding="utf-8")
        line = text.count("\n") + 1
        deep = "".join(" " * i + "a:\n" for i in range(60)) + " " * 60 + "a: 1\n"
        path.write_text(
            text.rstrip("\n") + "\nextra:\n" + "".join(" " + x + "\n" for x in deep.splitlines()), encoding="utf-8"
        )
        return CASE, line + 32
    if action in ("formula", "formula-pattern", "formula-round"):
        path = p / CASE
        text = path.read_text(encoding="utf-8")
        at = text.index("mechanisms:\n")
        formula = payload if action != "formula-round" else "communities * 2"
        rnd = f"\n      round: {payload}" if action == "formula-round" else ""
        item = (
            "  - indicator: workers_per_community\n    value: 12\n    unit: 名\n    qualifier: about\n"
            "    period: {kind: year, year: 2020}\n    scope: {level: city, place: 测试市}\n    derived:\n"
            f'      formula: "{formula}"\n      inputs: {{communities: communities}}{rnd}\n'
        )
        path.write_text(text[:at] + item + text[at:], encoding="utf-8")
        before = text[:at].count("\n")  # the item's k-th line is line before + k
        return CASE, before + {"formula": 7, "formula-pattern": 8, "formula-round": 10}[action]
    if action == "complex-key":
        path = p / CASE
        text = path.read_text(encoding="utf-8")
        path.write_text(text.rstrip("\n") + "\n? [a, b]\n: x\n", encoding="utf-8")
        return CASE, text.rstrip("\n").count("\n") + 2
    if action == "nul-byte-yaml":
        path = p / CASE
        lines = _lines(path)
        i = next(i for i, line in enumerate(lines) if line.startswith("city_en:"))
        lines[i] = "city_en: Fix\0ture"
        _write(path, lines)
        return CASE, i + 1
    if action == "big-yaml":
        path = p / CASE
        path.write_text(path.read_text(encoding="utf-8") + ("# " + "x" * 98 + "\n") * 10_500, encoding="utf-8")
        return CASE, 1
    if action == "big-source":
        src = p / "cases/fixture/source.txt"
        src.write_text(src.read_text(encoding="utf-8") + "补" * 800_000, encoding="utf-8")
        return CASE, case_line("  file: source.txt")
    if action == "big-narrative":
        path = p / NARR
        path.write_text(path.read_text(encoding="utf-8") + "很长的叙述。" * 12_000, encoding="utf-8")
        return NARR, 1
    if action == "dot-folder":
        shutil.copytree(p / "cases/fixture", p / "cases/.newcity")
        return "cases/.newcity", 1
    if action == "stray-file":
        (p / "cases" / "notes.txt").write_text("草稿\n", encoding="utf-8")
        return "cases/notes.txt", 1
    if action == "no-case-yaml":
        (p / "cases" / "empty").mkdir()
        (p / "cases" / "empty" / "case.md").write_text("## 背景\n\n草稿。\n", encoding="utf-8")
        return "cases/empty/case.yaml", 1
    if action == "bad-folder-name":
        shutil.copytree(p / "cases/fixture", p / "cases/New_City")
        return "cases/New_City", 1
    raise ValueError(action)


def apply(p: Path, entry: dict, case: str = "fixture", index: int = 0) -> tuple[str, int]:
    slot, payload = entry["slot"], entry.get("payload")
    kind, _, key = slot.partition(":")
    if kind == "narrative":
        return slot_narrative(p, payload, case)
    if kind == "case":
        return slot_case(p, key, payload, case)
    if kind == "source":
        return slot_source(p, key, payload, case)
    if kind == "source-note":
        return slot_source_note(p, payload, case)
    if kind == "defect-note":
        return slot_defect_note(p, payload, case)
    if kind == "value":
        return slot_value(p, key, payload, case)
    if kind == "tag":
        return slot_tag(p, key, payload, case)
    if kind == "uncoded-reason":
        return slot_uncoded_reason(p, payload, case)
    if kind == "mechanisms":
        return slot_data(p, "mechanisms.yaml", "mechanisms", key, payload, index)
    if kind == "mechanism-group":
        return slot_data(p, "mechanisms.yaml", "groups", key, payload, index)
    if kind == "indicators":
        return slot_data(p, "indicators.yaml", "indicators", key, payload, index)
    if kind == "glossary":
        return slot_data(p, "glossary.yaml", "terms", key, payload, index)
    if kind == "file":
        return slot_file(p, key, payload)
    raise ValueError(slot)


def check_in_process(project: Path) -> tuple[int, str]:
    """`casebook check` through its command-line entry point, in this process: (exit code, all output)."""
    from casebook.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["--root", str(project), "check", "--jobs", "1"])
    return code, out.getvalue() + err.getvalue()


DATA_SLOTS = ("mechanisms", "mechanism-group", "indicators", "glossary")
REFUSED = [e for e in CORPUS if e["expect"] == "refused"]
ACCEPTED = [e for e in CORPUS if e["expect"] == "accepted"]
E2E = [e for e in REFUSED if e.get("e2e")]


def test_the_corpus_is_large_and_well_formed():
    ids = [e["id"] for e in CORPUS]
    assert len(ids) == len(set(ids)), "ids are unique"
    assert len(CORPUS) >= 60
    categories = {e["id"].split("-")[0] for e in CORPUS}
    assert categories >= {"md", "yaml", "csv", "outside", "crash", "bad"}
    for e in CORPUS:
        assert e["expect"] in ("refused", "accepted"), e
        assert e["expect"] == "accepted" or e.get("message"), e


def test_the_base_project_is_valid(tmp_path):
    code, output = check_in_process(base_project(tmp_path))
    assert code == 0, output


@pytest.mark.parametrize("entry", REFUSED, ids=[e["id"] for e in REFUSED])
def test_refused_with_file_line_and_fix(entry, tmp_path):
    project = base_project(tmp_path)
    rel, line = apply(project, entry)
    code, output = check_in_process(project)
    assert code == 1, output
    assert "Traceback" not in output and "internal error" not in output, output
    problems = [x for x in output.splitlines() if re.match(r"^\S+:\d+:\d+: ", x)]
    lines = range(line, line + str(entry.get("payload", "")).count("\n") + 1)  # a payload may span lines
    mine = [x for x in problems if any(x.startswith(f"{rel}:{n}:") for n in lines) and entry["message"] in x]
    assert mine, f"expected {rel}:{line}: …{entry['message']}… in:\n{output}"
    assert all(" — " in x for x in mine), "every problem says how to fix it"
    assert output.rstrip().endswith("nothing was built.")
    # nothing outside the repository is read, hashed or quoted
    secret_hash = hashlib.sha256((tmp_path / "outside" / "secret.txt").read_bytes()).hexdigest()
    assert SECRET not in output and secret_hash not in output
    assert "root:x:" not in output
    for value in os.environ.values():
        if len(value) >= 12 and value not in str(tmp_path) and value not in str(ROOT):
            assert value not in output, "no environment variable's value is quoted"


@pytest.mark.parametrize("entry", E2E, ids=[e["id"] for e in E2E])
def test_refused_end_to_end_and_nothing_is_published(entry, tmp_path):
    project = base_project(tmp_path)
    rel, line = apply(project, entry)
    result = run_check(project)
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    assert f"{rel}:{line}:" in result.stderr and entry["message"] in result.stderr, result.stderr
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("the previous site", encoding="utf-8")
    build = run_build(project, site)
    assert build.returncode != 0
    assert "Traceback" not in build.stdout + build.stderr
    assert entry["message"] in build.stdout + build.stderr
    assert [p.name for p in site.iterdir()] == ["index.html"], "a failed build leaves the previous site as it was"
    assert (site / "index.html").read_text(encoding="utf-8") == "the previous site"
    assert not (tmp_path / ".site.partial").exists()


class _Text(HTMLParser):
    """Text and attribute values of a page, as a reader (and a screen reader) gets them."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.parts.extend(v for _, v in attrs if v)

    def handle_data(self, data):
        self.parts.append(data)


def _strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


@pytest.fixture(scope="module")
def accepted_site(tmp_path_factory):
    """One project holding every accepted payload (each case-level payload in a case of its own, each data-file
    payload in a different entry), checked and built once."""
    tmp = tmp_path_factory.mktemp("accepted")
    project = base_project(tmp)
    shown = {}
    data_slots = [e["slot"] for e in ACCEPTED if e["slot"].split(":")[0] in DATA_SLOTS]
    assert len(data_slots) == len(set(data_slots)), "each accepted data-file payload has a field of its own"
    for n, entry in enumerate(ACCEPTED, start=1):
        kind = entry["slot"].split(":")[0]
        if kind in DATA_SLOTS:  # the first entry, which the fixture case uses, so that it is shown
            apply(project, entry)
        else:
            case = f"h{n:02d}"
            shutil.copytree(project / "cases" / "fixture", project / "cases" / case)
            yaml_path = project / "cases" / case / "case.yaml"
            yaml_path.write_text(
                yaml_path.read_text(encoding="utf-8").replace("id: fixture", f"id: {case}"), encoding="utf-8"
            )
            apply(project, entry, case=case)
        value = entry["payload"]
        if kind != "narrative":
            value = yaml.safe_load(f"v: {value}")["v"]
        shown[entry["id"]] = value
    code, output = check_in_process(project)
    assert code == 0, output
    site = tmp / "site"
    result = run_build(project, site)
    assert result.returncode == 0, result.stderr
    return site, shown


def test_accepted_inputs_leave_nothing_live_in_any_page_or_download(accepted_site):
    site, _ = accepted_site
    assert live_content(site) == []


SHOWN = [e for e in ACCEPTED if e.get("shown", True)]


@pytest.mark.parametrize("entry", SHOWN, ids=[e["id"] for e in SHOWN])
def test_accepted_input_is_shown_as_the_text_it_is(entry, accepted_site):
    site, shown = accepted_site
    texts: list[str] = []
    for page in site.rglob("*.html"):
        parser = _Text()
        parser.feed(page.read_text(encoding="utf-8"))
        texts.append("".join(parser.parts))
        texts.extend(parser.parts)
    for download in (site / "downloads").glob("*.json"):
        texts.extend(_strings(json.loads(download.read_text(encoding="utf-8"))))
    corpus = "\n".join(texts)
    value = shown[entry["id"]]
    if entry["slot"] == "narrative":
        # Markdown markup itself is not text; the words and any HTML written in code are
        wanted = re.sub(r"```\n?|`|\[|\]\([^)]*\)", "", value).strip()
        wanted = wanted.replace("{%", "{%")
    else:
        wanted = value
    assert wanted in corpus or html.unescape(wanted) in corpus, f"{wanted!r} is not shown on any page"


def test_csv_formulas_are_neutralised(accepted_site):
    site, _ = accepted_site
    text = (site / "downloads" / "indicators.csv").read_text(encoding="utf-8-sig")
    assert "'=HYPERLINK(" in text and "'@SUM(1+1)" in text and "'+cmd" in text and "'-2+3+cmd" in text


@pytest.mark.parametrize(
    "snippet,finding",
    [
        ('<p onclick="x()">a</p>', "event handler"),
        ('<svg><g onload="x()"></g></svg>', "event handler"),
        ('<a href=" jav&#x09;ascript:alert(1)">a</a>', "script URL"),
        ('<a href="&#106;avascript:alert(1)">a</a>', "script URL"),
        ('<img src="data:image/svg+xml,x">', "script URL"),
        ('<svg><a xlink:href="javascript:x"><text>a</text></a></svg>', "script URL"),
        ('<svg><animate attributeName="href" values="javascript:alert(1)"/></svg>', "SVG animation"),
        ('<iframe src="/x"></iframe>', "embeds"),
        ('<object data="x"></object>', "embeds"),
        ('<base href="/">', "embeds"),
        ('<meta http-equiv="Refresh" content="0;url=/x">', "meta http-equiv=refresh"),
        ('<form action="https://evil.example"></form>', "submits somewhere"),
        ("<script>alert(1)</script>", "not the theme's"),
        ('<script src="https://evil.example/x.js"></script>', "not one of the site's own scripts"),
        ('<img src="https://evil.example/t.png">', "loads from another host"),
    ],
)
def test_the_site_scanner_finds_what_is_live(snippet, finding, tmp_path):
    page = tmp_path / "page.html"
    findings = scan_page(f"<html><body>{snippet}</body></html>", page, tmp_path, set())
    assert any(finding in f for f in findings), findings


def test_the_real_site_has_nothing_live(site):
    assert live_content(site) == []
    assert theme_inline_scripts(site), "the theme's own inline scripts are known"
