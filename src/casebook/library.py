"""Load and check the whole library: indicators, cases, sources, citations.

``load_library(root)`` returns a :class:`Library` and the list of problems
found. Nothing here imports MkDocs: the hooks and the command line both call
this one function.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from .citations import Citation, check_derived, check_value, locate_quote
from .models import Case, GlossaryFile, IndicatorDef, IndicatorsFile, MechanismDef, MechanismsFile
from .confine import symlinks_under
from .links import case_links, check_links, docs_pages, narrative_links
from .narrative import Narrative, forbidden
from .routes import DOCS_IN_NAV, page_uris
from .normalize import to_simplified
from .problems import Problem, did_you_mean
from .shapes import ShapeError
from .sources import SourceText
from .confine import read_bytes
from .yamlload import Loaded, decode, load_yaml, read_text

INDICATORS_FILE = Path("data") / "indicators.yaml"
MECHANISMS_FILE = Path("data") / "mechanisms.yaml"
GLOSSARY_FILE = Path("data") / "glossary.yaml"
CASES_DIR = Path("cases")


@dataclass
class ValueRecord:
    """One cited value of a case, resolved."""

    index: int  # position in case.yaml's indicators list
    anchor: str  # id of its row on the case page
    data: Any  # models.IndicatorValue
    definition: IndicatorDef
    citation: Citation | None  # None for derived values
    inputs: list["ValueRecord"] = field(default_factory=list)  # derived values' cited inputs


@dataclass
class TagRecord:
    """One mechanism a case reports, with its verified quotes."""

    index: int
    anchor: str  # id of the city's section on the mechanism page
    data: Any  # models.MechanismTag
    definition: MechanismDef
    citations: list[Citation]


@dataclass
class CaseRecord:
    id: str
    folder: Path
    data: Case
    narrative: str
    source: SourceText
    values: list[ValueRecord]
    yaml_path: Path
    tags: list[TagRecord] = field(default_factory=list)
    narrative_doc: Narrative = field(default_factory=lambda: Narrative("", "cases/index.md"))
    digest: str = ""  # of the case's files and the data files, when loaded with a BuildMemory
    data_digest: str = ""  # the same without the narrative

    def citations(self) -> list[Citation]:
        """Every distinct cited passage of this case, in source order."""
        seen: dict[str, Citation] = {}
        for v in self.values:
            if v.citation is not None:
                seen.setdefault(v.citation.anchor, v.citation)
        for t in self.tags:
            for c in t.citations:
                seen.setdefault(c.anchor, c)
        return sorted(seen.values(), key=lambda c: c.start)


@dataclass
class Library:
    root: Path
    groups: list[Any]
    indicators: dict[str, IndicatorDef]
    cases: list[CaseRecord]
    mechanisms: dict[str, MechanismDef] = field(default_factory=dict)
    mechanism_groups: list[Any] = field(default_factory=list)
    glossary: list[Any] = field(default_factory=list)  # glossary.Entry, in dictionary order

    def case(self, case_id: str) -> CaseRecord:
        return next(c for c in self.cases if c.id == case_id)


_UNION_MEMBERS = {"int", "float", "str", "bool", "none", "list", "dict", "literal", "constrained-str"}


def _describe_expected(loc, errs) -> str:
    kinds = {e["type"] for e in errs}
    if kinds & {"int_type", "float_type", "int_parsing", "float_parsing", "int_from_float"}:
        return "a number"
    if kinds & {"string_type"}:
        return "text"
    return errs[0]["msg"].lower()


def pydantic_problems(exc: ValidationError, loaded: Loaded, path: Path) -> list[Problem]:
    """Turn a pydantic error into problems that name the YAML line (one problem per field)."""
    grouped: dict[tuple, list[dict]] = {}
    for err in exc.errors():
        loc = tuple(err["loc"])
        # union members add their type name to the path ('value', 'int'); one message per field
        while loc and isinstance(loc[-1], str) and (loc[-1] in _UNION_MEMBERS or loc[-1].startswith(
                ("function-", "constrained-", "literal["))):
            loc = loc[:-1]
        grouped.setdefault(loc, []).append(err)
    problems = []
    for loc, errs in grouped.items():
        err = errs[0]
        kinds = {e["type"] for e in errs}
        line, col = loaded.where(loc)
        where = ".".join(str(x) for x in loc) or "the file"
        kind = err["type"]
        msg, hint = err["msg"], ""
        if loc in loaded.surprises:
            msg = f"{where}: wrong type ({_type_word(err['input'])} where {_describe_expected(loc, errs)} is expected)"
            hint = loaded.surprises[loc]
        elif kind == "extra_forbidden":
            line, col = loaded.key_positions.get(loc, (line, col))
            allowed = _allowed_keys(loc[:-1])
            msg = f"unknown key '{loc[-1]}'"
            hint = did_you_mean(str(loc[-1]), allowed) if allowed else "remove it"
        elif kind == "missing":
            msg = f"missing required field '{loc[-1]}'"
            hint = f"add `{loc[-1]}:` to this item"
            line, col = loaded.where(loc[:-1])
        elif kind == "literal_error":
            expected = err.get("ctx", {}).get("expected", "")
            msg = f"{where}: {err['input']!r} is not allowed"
            choices = [c.strip().strip("'") for c in expected.replace(" or ", ",").split(",") if c.strip()]
            hint = did_you_mean(str(err["input"]), choices)
        elif kinds & {"finite_number"}:
            msg = f"{where}: {_type_word(err['input'])} is not a finite number"
            hint = "write the number in digits, e.g. `value: 46`; .nan and .inf are not values"
        elif kinds & {"greater_than_equal", "less_than_equal", "greater_than", "less_than"}:
            bound = next(e for e in errs if e["type"] in {"greater_than_equal", "less_than_equal", "greater_than",
                                                         "less_than"})
            msg = f"{where}: {_type_word(bound['input'])} is out of range"
            hint = f"the value must be {bound['msg'].removeprefix('Input should be ')}"
        elif kind == "value_error" and isinstance(err.get("ctx", {}).get("error"), ShapeError):
            shape = err["ctx"]["error"]
            msg, hint = f"{where}: {shape.message}", shape.hint
        elif kind == "value_error":
            text = err["msg"].removeprefix("Value error, ")
            msg, _, hint = text.partition(": ") if ": " in text else (text, "", "")
            msg = f"{where}: {msg}" if loc else msg
        elif kind == "string_pattern_mismatch":
            msg = f"{where}: {err['input']!r} does not have the required form"
            hint = _pattern_hint(loc)
        elif kind == "too_short":
            msg = f"{where}: the list is empty"
            hint = "add at least one item"
        else:
            msg = f"{where}: {_type_word(err['input'])} where {_describe_expected(loc, errs)} is expected"
            hint = _type_hint(loc, err)
        problems.append(Problem(path, line, col, msg, hint))
    return problems


def _type_word(value) -> str:
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, str):
        return f"the text {value!r}"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def _type_hint(loc, err) -> str:
    field_name = next((x for x in reversed(loc) if isinstance(x, str)), "")
    if err.get("input", "") is None:
        return f"`{field_name}:` is empty: fill it in, or remove the line if the field is optional"
    if field_name == "value":
        return "write the number without quotes or units, e.g. `value: 2017` (the unit goes in `unit:`)"
    if field_name in ("quotes", "indicators", "mechanisms", "furniture", "defects", "notes"):
        return f"`{field_name}:` is a list: start each item on its own line with '- '"
    if err["type"] == "too_short":
        return "add at least one item"
    if field_name == "year":
        return "write the year as a number, e.g. `year: 2020`, or use `period:` for text"
    return "put text in quotes if YAML reads it as something else"


def _pattern_hint(loc) -> str:
    name = next((x for x in reversed(loc) if isinstance(x, str)), "")
    return {
        "sha256": "64 lower-case hex digits; `casebook check` prints the file's checksum",
        "published": "write the date in quotes as 'YYYY-MM-DD'",
        "id": "use lower-case latin letters, digits and '-', e.g. karamay",
        "indicator": "use the indicator's key from data/indicators.yaml",
        "lines": "a line number or a range such as '23-29'",
    }.get(name, "see the schema for the expected form")


def _allowed_keys(parent_loc) -> list[str]:
    from . import models

    model = models.Case
    names = [x for x in parent_loc if isinstance(x, str)]
    walk = {("source",): models.Source, ("source", "furniture"): models.Furniture,
            ("source", "defects"): models.Defect, ("indicators",): models.IndicatorValue,
            ("indicators", "derived"): models.Derived, ("mechanisms",): models.MechanismTag,
            ("groups",): models.Group}
    model = walk.get(tuple(names), model if not names else None)
    if names == ["indicators"] and parent_loc and parent_loc[0] == "indicators" and len(parent_loc) == 2:
        model = models.IndicatorValue
    return list(model.model_fields) if model else []


def load_indicators(root: Path, problems: list[Problem]) -> tuple[list, dict[str, IndicatorDef]]:
    path = root / INDICATORS_FILE
    loaded = load_yaml(path, problems, root=root)
    if loaded is None:
        return [], {}
    try:
        parsed = IndicatorsFile.model_validate(loaded.data)
    except ValidationError as exc:
        problems.extend(pydantic_problems(exc, loaded, path))
        return [], {}
    groups = {g.id for g in parsed.groups}
    indicators: dict[str, IndicatorDef] = {}
    for i, ind in enumerate(parsed.indicators):
        if ind.key in indicators:
            problems.append(Problem(path, *loaded.where(("indicators", i, "key")), f"indicator '{ind.key}' is defined twice",
                                    "keep one definition and merge the two"))
            continue
        if ind.group not in groups:
            gl, gc = loaded.where(("indicators", i, "group"))
            problems.append(Problem(path, gl, gc, f"unknown group '{ind.group}'", did_you_mean(ind.group, groups)))
        indicators[ind.key] = ind
    return parsed.groups, indicators


def load_mechanisms(root: Path, indicators: dict, problems: list[Problem]) -> tuple[list, dict[str, MechanismDef]]:
    path = root / MECHANISMS_FILE
    loaded = load_yaml(path, problems, root=root)
    if loaded is None:
        return [], {}
    try:
        parsed = MechanismsFile.model_validate(loaded.data)
    except ValidationError as exc:
        problems.extend(pydantic_problems(exc, loaded, path))
        return [], {}
    group_ids = {g.id for g in parsed.groups}
    mechanisms: dict[str, MechanismDef] = {}
    for i, m in enumerate(parsed.mechanisms):
        if m.id in mechanisms:
            line, col = loaded.where(("mechanisms", i, "id"))
            problems.append(Problem(path, line, col, f"mechanism '{m.id}' is defined twice", "keep one definition"))
            continue
        mechanisms[m.id] = m
        if m.group not in group_ids:
            line, col = loaded.where(("mechanisms", i, "group"))
            problems.append(Problem(path, line, col, f"unknown group '{m.group}'", did_you_mean(m.group, group_ids)))
    ids = {m.id for m in parsed.mechanisms}
    for i, m in enumerate(parsed.mechanisms):
        for j, key in enumerate(m.related_indicators):
            if indicators and key not in indicators:
                line, col = loaded.where(("mechanisms", i, "related_indicators", j))
                problems.append(Problem(path, line, col, f"unknown indicator '{key}'", did_you_mean(key, indicators)))
        for j, key in enumerate(m.related_mechanisms):
            if key not in ids:
                line, col = loaded.where(("mechanisms", i, "related_mechanisms", j))
                problems.append(Problem(path, line, col, f"unknown mechanism '{key}'", did_you_mean(key, ids)))
    return parsed.groups, mechanisms


def _furniture_lines(case: Case) -> dict[int, str]:
    out = {}
    for f in case.source.furniture:
        a, _, b = f.lines.partition("-")
        for n in range(int(a), int(b or a) + 1):
            out[n] = f.kind
    return out


def report_forbidden(text: str, path: Path, problems: list[Problem]) -> None:
    """Constructs outside the narrative allowlist, at most one problem per line."""
    seen_lines: set[int] = set()
    for offset, message, hint in forbidden(text):
        line = text.count("\n", 0, offset) + 1
        if line in seen_lines:
            continue
        seen_lines.add(line)
        col = offset - (text.rfind("\n", 0, offset) + 1) + 1
        problems.append(Problem(path, line, col, message, hint))


def load_case(folder: Path, indicators: dict[str, IndicatorDef], problems: list[Problem],
              mechanisms: dict[str, MechanismDef] | None = None,
              narrative: Narrative | None = None) -> CaseRecord | None:
    """Load and check one case folder; problems are appended, None if unusable. ``narrative``: the case's
    narrative if it was loaded already (:func:`load_narrative`), else it is loaded here."""
    yaml_path = folder / "case.yaml"
    root = folder.parent.parent
    if not yaml_path.exists() and not yaml_path.is_symlink():
        problems.append(Problem(yaml_path, 1, 1, "case folder has no case.yaml",
                                f"run `casebook new {folder.name}` or remove the folder"))
        return None
    loaded = load_yaml(yaml_path, problems, root=root)
    if loaded is None:
        return None
    try:
        case = Case.model_validate(loaded.data)
    except ValidationError as exc:
        problems.extend(pydantic_problems(exc, loaded, yaml_path))
        return None
    before = len(problems)
    if case.id != folder.name:
        line, col = loaded.where(("id",))
        problems.append(Problem(yaml_path, line, col, f"id '{case.id}' differs from the folder name '{folder.name}'",
                                f"set `id: {folder.name}` or rename the folder to cases/{case.id}/"))
    # The archived source and its checksum.
    src_path = folder / case.source.file  # a plain file name (models.Source.file): never a path
    if not src_path.exists() and not src_path.is_symlink():
        line, col = loaded.where(("source", "file"))
        problems.append(Problem(yaml_path, line, col, f"source file {case.source.file} is missing",
                                f"copy the source text, unchanged, to cases/{folder.name}/{case.source.file}"))
        return None
    raw_bytes = read_bytes(src_path, root, "source", problems, yaml_path, lambda: loaded.where(("source", "file")))
    if raw_bytes is None:
        return None
    digest = hashlib.sha256(raw_bytes).hexdigest()
    if digest != case.source.sha256:
        line, col = loaded.where(("source", "sha256"))
        problems.append(Problem(yaml_path, line, col,
                                f"{case.source.file} has changed: its SHA-256 is {digest}, not the recorded one",
                                "archived sources must not be edited; restore the original file "
                                "(or, for a new source, record this checksum)"))
    raw = decode(raw_bytes, src_path, problems)
    if raw is None:
        return None
    source = SourceText.parse(raw, _furniture_lines(case))
    n_lines = raw.count("\n") + 1
    for i, item in enumerate(list(case.source.furniture) + list(case.source.defects)):
        if item.lines:
            last = int(item.lines.split("-")[-1])
            if last > n_lines:
                key = ("source", "furniture", i) if i < len(case.source.furniture) else \
                      ("source", "defects", i - len(case.source.furniture))
                line, col = loaded.where(key + ("lines",))
                problems.append(Problem(yaml_path, line, col, f"line {last} is past the end of {case.source.file} "
                                        f"({n_lines} lines)", "give line numbers of the source file"))
    for name in ("title", "author", "outlet"):
        text = getattr(case.source, name)
        if text and source.mentions(text) == 0:
            line, col = loaded.where(("source", name))
            problems.append(Problem(yaml_path, line, col, f"source {name} {text!r} does not occur in the text",
                                    "metadata must be what the text states: copy it verbatim, or use null and a note"))
    # All quotes of the case normalised in one go (one OpenCC call instead of one per quote).
    from .normalize import normalize_many

    quotes = [v.quote or "" for v in case.indicators] + [q for t in case.mechanisms for q in t.quotes]
    normalized = normalize_many(quotes)
    value_norms = normalized[:len(case.indicators)]
    tag_norms, k = [], len(case.indicators)
    for t in case.mechanisms:
        tag_norms.append(normalized[k:k + len(t.quotes)])
        k += len(t.quotes)
    # Values.
    values: list[ValueRecord] = []
    seen: dict[tuple[str, str], int] = {}
    per_indicator: dict[str, int] = {}
    by_key: dict[str, ValueRecord] = {}
    for i, v in enumerate(case.indicators):
        definition = indicators.get(v.indicator)
        if definition is None:
            if indicators:  # none at all: data/indicators.yaml did not load, and that is the problem reported
                kl, kc = loaded.where(("indicators", i, "indicator"))
                problems.append(Problem(yaml_path, kl, kc, f"unknown indicator '{v.indicator}'",
                                        did_you_mean(v.indicator, indicators)
                                        + " (indicators are defined in data/indicators.yaml)"))
            continue
        units = [definition.unit, *definition.other_units]
        if v.unit not in units and to_simplified(v.unit) not in units:
            problems.append(Problem(yaml_path, *loaded.where(("indicators", i, "unit")),
                                    f"indicator '{v.indicator}': unit '{v.unit}' is not one of its units "
                                    f"({', '.join(units)})",
                                    f"write the value in one of them; if the indicator really counts the same thing "
                                    f"in {v.unit}, add it to `other_units` of '{v.indicator}' in data/indicators.yaml"))
        key = (v.indicator, v.scope)
        if key in seen:
            problems.append(Problem(yaml_path, *loaded.where(("indicators", i)),
                                    f"indicator '{v.indicator}' with scope '{v.scope}' is already cited "
                                    f"at item {seen[key] + 1}",
                                    "cite each indicator once per scope; remove one or give the right scope"))
            continue
        seen[key] = i
        n = per_indicator.get(v.indicator, 0) + 1
        per_indicator[v.indicator] = n
        anchor = f"v-{v.indicator}" + (f"-{n}" if n > 1 else "")
        citation = None
        if v.quote is not None:
            citation = locate_quote(source, v.quote, yaml_path, lambda i=i: loaded.where(("indicators", i, "quote")),
                                    f"indicator '{v.indicator}'", problems, value_norms[i])
            if citation is not None:
                check_value(v, citation.normalized, yaml_path, lambda i=i: loaded.where(("indicators", i, "value")),
                            problems)
        record = ValueRecord(i, anchor, v, definition, citation)
        values.append(record)
        if v.derived is None:
            by_key.setdefault(v.indicator, record)
    for record in values:
        if record.data.derived is not None:
            key = ("indicators", record.index, "derived")
            record.inputs = check_derived(record.data, by_key, yaml_path,
                                          lambda key=key: loaded.key_positions.get(key, loaded.where(key)), problems)
    tags: list[TagRecord] = []
    seen_mechanisms: dict[str, int] = {}
    for i, tag in enumerate(case.mechanisms):
        definition = (mechanisms or {}).get(tag.mechanism)
        if definition is None:
            if mechanisms:  # none at all: data/mechanisms.yaml did not load, and that is the problem reported
                problems.append(Problem(yaml_path, *loaded.where(("mechanisms", i, "mechanism")),
                                        f"unknown mechanism '{tag.mechanism}'",
                                        did_you_mean(tag.mechanism, mechanisms) +
                                        " (mechanisms are defined in data/mechanisms.yaml)"))
            continue
        if tag.mechanism in seen_mechanisms:
            problems.append(Problem(yaml_path, *loaded.where(("mechanisms", i, "mechanism")),
                                    f"mechanism '{tag.mechanism}' is tagged twice "
                                    f"(first at item {seen_mechanisms[tag.mechanism] + 1})",
                                    "merge the two tags: put all quotes under one"))
            continue
        seen_mechanisms[tag.mechanism] = i
        cites = []
        for j, quote in enumerate(tag.quotes):
            c = locate_quote(source, quote, yaml_path, lambda i=i, j=j: loaded.where(("mechanisms", i, "quotes", j)),
                             f"mechanism '{tag.mechanism}'", problems, tag_norms[i][j])
            if c is not None:
                cites.append(c)
        tags.append(TagRecord(i, f"{case.id}", tag, definition, cites))
    for i, item in enumerate(case.uncoded):
        if source.mentions(item.quote) == 0:
            ql, qc = loaded.where(("uncoded", i, "quote"))
            closest = source.closest(item.quote)
            hint = f"closest passage is ¶{closest[0].number}: “{closest[1][:60]}”" if closest else "copy it verbatim"
            problems.append(Problem(yaml_path, ql, qc, "uncoded: quote not found in the source", hint))
    if len(problems) > before:
        return None
    if narrative is None:
        narrative = load_narrative(folder, problems)
    return CaseRecord(case.id, folder, case, narrative.text, source, values, yaml_path, tags, narrative)


def load_narrative(folder: Path, problems: list[Problem]) -> Narrative:
    """The case's narrative (case.md), converted; read and checked even when case.yaml has problems, so that
    every problem of a case is reported in one run."""
    path = folder / "case.md"
    text = None
    if not path.exists() and not path.is_symlink():
        problems.append(Problem(path, 1, 1, "case.md (the narrative) is missing",
                                "write the editor's narrative: background, measures, results, what the source does not say"))
    else:
        text = read_text(path, problems, folder.parent.parent, "narrative")
        if text is not None:
            report_forbidden(text, path, problems)
            if not text.strip():
                problems.append(Problem(path, 1, 1, "the narrative is empty",
                                        "write background, measures, results and what the source does not say"))
    return Narrative(text or "", f"cases/{folder.name}.md")


def case_folders(root: Path, problems: list[Problem]) -> list[Path]:
    """The case folders under cases/; everything else there is reported, never skipped silently."""
    import re as _re

    cases_dir = root / CASES_DIR
    if cases_dir.is_symlink() or not cases_dir.is_dir():
        problems.append(Problem(cases_dir, 1, 1, "no cases/ folder" if not cases_dir.is_symlink() else
                                "cases/ is a symbolic link", "add a case with `casebook new <slug>`"))
        return []
    folders = []
    for entry in sorted(cases_dir.iterdir()):
        if entry.is_symlink():
            problems.append(Problem(entry, 1, 1, "is a symbolic link, not a case folder",
                                    "commit the case folder itself; links could read files outside the repository"))
        elif not entry.is_dir():
            problems.append(Problem(entry, 1, 1, "is a file directly in cases/, where only case folders belong",
                                    f"move it into a case folder or delete it"))
        elif entry.name.startswith("."):
            problems.append(Problem(entry, 1, 1, f"folder '{entry.name}' starts with '.', so it cannot be a case",
                                    f"rename it to the case id, e.g. cases/{entry.name.lstrip('.') or 'newcity'}/, "
                                    "or delete it"))
        elif not _re.fullmatch(r"[a-z][a-z0-9-]{0,39}", entry.name):
            problems.append(Problem(entry, 1, 1, f"folder name '{entry.name}' is not a case id",
                                    "name the folder with lower-case latin letters, digits and '-', e.g. "
                                    "cases/xiamen/, and set the same `id:` in its case.yaml"))
        else:
            folders.append(entry)
    if not folders and not problems:
        problems.append(Problem(cases_dir, 1, 1, "no case folders found", "add a case with `casebook new <slug>`"))
    return folders


def _check_duplicate_ids(folders: list[Path], problems: list[Problem]) -> None:
    """Two case folders claiming the same id would overwrite each other's pages."""
    import re as _re

    seen: dict[str, Path] = {}
    for folder in folders:
        path = folder / "case.yaml"
        raw = read_bytes(path, folder.parent.parent, "yaml", [])
        if raw is None:
            continue
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            continue
        m = _re.search(r"^id:\s*['\"]?([^'\"\s#]+)", text, _re.MULTILINE)
        if not m:
            continue
        case_id = m.group(1)
        if case_id in seen:
            line = text.count("\n", 0, m.start()) + 1
            problems.append(Problem(path, line, 1, f"duplicate case id '{case_id}' (also used by "
                                    f"{seen[case_id].relative_to(folder.parent.parent).as_posix()})",
                                    "every case needs its own id, equal to its folder name"))
        else:
            seen[case_id] = path


def load_library(root: Path, memory=None) -> tuple[Library, list[Problem]]:
    """Load the whole library under ``root``; return it and every problem found. ``memory`` (a
    :class:`casebook.memory.BuildMemory`, during `mkdocs serve`) lends the cases whose files did not change."""
    root = Path(root)
    problems: list[Problem] = []
    groups, indicators = load_indicators(root, problems)
    mechanism_groups, mechanisms = load_mechanisms(root, indicators, problems)
    cases: list[CaseRecord] = []
    problems.extend(symlinks_under(root, PUBLISHED_FOLDERS))
    folders = case_folders(root, problems)
    links = []
    digests: dict[str, str] = {}
    if memory is not None:
        from .memory import files_digest, folder_digests

        data = files_digest([root / INDICATORS_FILE, root / MECHANISMS_FILE])
    for folder in folders:
        known = None
        if memory is not None:
            of_data, of_narrative = folder_digests(folder)
            digests[folder.name] = fingerprint = of_data + of_narrative + data
            digests[folder.name + "/data"] = of_data + data
            known = memory.cases.get(folder.name)
        if known is not None and known[0] == fingerprint:
            _, record, case_problems, narrative = known
            memory.hits["cases"] += 1
        else:
            case_problems = []
            narrative = load_narrative(folder, case_problems)
            record = load_case(folder, indicators, case_problems, mechanisms, narrative)
            if memory is not None:
                memory.cases[folder.name] = (fingerprint, record, case_problems, narrative)
        problems.extend(case_problems)
        if record is not None:
            cases.append(record)
            record.digest = digests.get(folder.name, "")
            record.data_digest = digests.get(folder.name + "/data", "")
        links.append(case_links(record) if record is not None else narrative_links(folder, narrative))
    _check_duplicate_ids(folders, problems)
    glossary_problems: list[Problem] = []
    glossary = load_glossary(root, mechanisms, cases, glossary_problems, complete=len(cases) == len(folders),
                             memory=memory) if (root / GLOSSARY_FILE).exists() else []
    problems.extend(glossary_problems)
    library_links(root, folders, links, indicators, mechanisms,
                  None if glossary_problems else glossary, problems)
    return Library(root, groups, indicators, cases, mechanisms, mechanism_groups, glossary), problems


# Folders MkDocs reads and publishes from: no symbolic link may be in them.
PUBLISHED_FOLDERS = ("docs", "templates", "overrides")


def library_links(root: Path, folders: list[Path], cases: list, indicators: dict, mechanisms: dict,
                  glossary: list | None, problems: list[Problem]) -> None:
    """The link check over every narrative and hand-written page, once every case has been loaded.

    Skipped when indicators or mechanisms did not load (their pages are unknown, and every link to them would
    be reported as dead: the file's own problem is the one to fix first)."""
    if not indicators or not mechanisms:
        return
    used_groups = sorted({indicators[k].group for c in cases for k in c.indicators if k in indicators})
    has_glossary = (root / GLOSSARY_FILE).exists()
    docs = docs_pages(root, problems)
    for uri, (path, _) in docs.items():
        if uri not in DOCS_IN_NAV:
            problems.append(Problem(path, 1, 1, "this page is not in the site's navigation",
                                    "add it to DOCS_IN_NAV in src/casebook/routes.py, or move it out of docs/"))
    pages = page_uris([f.name for f in folders], used_groups, list(mechanisms), has_glossary) | set(docs)
    check_links(root, cases, pages, indicators, mechanisms, glossary, problems, docs)


def load_glossary(root: Path, mechanisms: dict, cases: list[CaseRecord], problems: list[Problem],
                  occurrences: dict[str, dict[str, int | None]] | None = None, complete: bool = True,
                  memory=None) -> list:
    """Glossary entries with pinyin, order and computed occurrences; problems appended.

    ``occurrences`` (case id -> term -> first ¶) may be given when the cases were scanned elsewhere
    (the parallel check); otherwise ``cases`` are scanned here. ``complete``: every case folder loaded; if
    one did not, a term found in no case is not reported (it may occur in the case that failed)."""
    from .glossary import Entry, Matcher, Occurrence, anchor_for, is_han, pypinyin_reading, section_of, sort_key, \
        sort_text, stroke_counts, written_forms_of
    from .cache import pinyin_readings
    from .normalize import normalize

    path = root / GLOSSARY_FILE
    loaded = load_yaml(path, problems, root=root)
    if loaded is None:
        return []
    try:
        parsed = GlossaryFile.model_validate(loaded.data)
    except ValidationError as exc:
        problems.extend(pydantic_problems(exc, loaded, path))
        return []
    entries: dict[str, Entry] = {}
    anchors: dict[str, str] = {}
    forms: dict[str, str] = {}
    readings = pinyin_readings([t.term for t in parsed.terms if t.pinyin is None], pypinyin_reading)
    strokes = stroke_counts([sort_text(t.term) for t in parsed.terms])
    written = written_forms_of([(t.term, t.aliases) for t in parsed.terms])
    for i, t in enumerate(parsed.terms):
        def where(i=i):
            return loaded.where(("terms", i, "term"))

        if t.term in entries:
            problems.append(Problem(path, *where(), f"term '{t.term}' is listed twice", "merge the two entries"))
            continue
        n_han = sum(1 for ch in t.term if is_han(ch))
        if t.pinyin is not None:
            syllables = t.pinyin.split()
            if len(syllables) != n_han:
                pl, pc = loaded.where(("terms", i, "pinyin"))
                problems.append(Problem(path, pl, pc, f"term '{t.term}': pinyin has {len(syllables)} syllables "
                                        f"for {n_han} characters", "give one tone-marked syllable per character"))
                continue
        else:
            syllables = readings[t.term]
        for j, m in enumerate(t.mechanisms):
            if mechanisms and m not in mechanisms:
                ml, mc = loaded.where(("terms", i, "mechanisms", j))
                problems.append(Problem(path, ml, mc, f"unknown mechanism '{m}'", did_you_mean(m, mechanisms)))
        anchor = anchor_for(t.term)
        if anchor in anchors:
            problems.append(Problem(path, *where(), f"term '{t.term}' has the same anchor as '{anchors[anchor]}'",
                                    "merge the two terms or make them differ in their characters"))
            continue
        anchors[anchor] = t.term
        entries[t.term] = Entry(t, syllables, anchor, sort_key(t.term, syllables, strokes),
                                section_of(t.term, syllables))
        for form in written[i]:
            forms.setdefault(normalize(form), t.term)
    # An alias may not be another term: the written form would belong to two entries.
    by_form = {normalize(sort_text(t)): t for t in entries}
    for i, t in enumerate(parsed.terms):
        for j, alias in enumerate(t.aliases):
            other = by_form.get(normalize(sort_text(alias)))
            if other is not None and other != t.term:
                al, ac = loaded.where(("terms", i, "aliases", j))
                problems.append(Problem(path, al, ac, f"alias '{alias}' of '{t.term}' is itself the term '{other}'",
                                        "remove the alias; each written form belongs to one entry"))
    # Where each term occurs: one automaton pass over each case's source and narrative.
    if occurrences is None:
        matcher = Matcher(forms) if forms else None
        glossary_digest = loaded.positions.tree.text if memory is not None else ""
        occurrences = {}
        for case in cases:
            kept = memory.occurrences.get(case.id) if memory is not None else None
            key = (case.digest, glossary_digest)
            if kept is not None and kept[0] == key:
                occurrences[case.id] = kept[1]
                continue
            occurrences[case.id] = term_occurrences(case, matcher) if matcher else {}
            if memory is not None:
                memory.occurrences[case.id] = (key, occurrences[case.id])
    for case_id, found in occurrences.items():
        for term, para in found.items():
            if term in entries:  # an entry with a problem (reported above) is not listed
                entries[term].occurrences.append(Occurrence(case_id, para))
    loaded_terms = parsed.terms
    n_cases = len(occurrences)
    for i, t in enumerate(loaded_terms):
        e = entries.get(t.term)
        if e is not None and not e.occurrences and n_cases and complete:
            line, col = loaded.where(("terms", i, "term"))
            problems.append(Problem(path, line, col, f"term '{t.term}' occurs in no case's source or narrative",
                                    "check the spelling (Simplified characters), add an alias, or remove the term"))
    return sorted(entries.values(), key=lambda e: e.key)


def glossary_forms(root: Path) -> dict[str, str]:
    """Normalised written forms of every glossary term -> term (for scanning cases in a worker)."""
    from .glossary import written_forms_of
    from .normalize import normalize

    problems: list[Problem] = []
    loaded = load_yaml(root / GLOSSARY_FILE, problems, root=root)
    if loaded is None:
        return {}
    try:
        parsed = GlossaryFile.model_validate(loaded.data)
    except ValidationError:
        return {}
    forms: dict[str, str] = {}
    for t, written in zip(parsed.terms, written_forms_of([(t.term, t.aliases) for t in parsed.terms])):
        for form in written:
            forms.setdefault(normalize(form), t.term)
    return forms


def term_occurrences(case: CaseRecord, matcher) -> dict[str, int | None]:
    """Term -> first ¶ where it occurs in the case's source (None: only in the narrative)."""
    from .normalize import normalize

    first: dict[str, int | None] = {}
    src = case.source
    # the body (furniture left out), so a term split by a spliced caption or a page break still counts
    for start, _, term in matcher.find_all(src.body):
        if term not in first:
            first[term] = src.paragraph_at(src.body_map[start]).number
    for _, _, term in matcher.find_all(normalize(case.narrative)):
        first.setdefault(term, None)
    return first
