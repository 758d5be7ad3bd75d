"""Load and check one case folder, in named stages: the case file (`case.yaml` against the schema), its
administrative division (`adcode` against data/adcodes.csv, :mod:`casebook.divisions`), the source (the archived
file, its checksum and what the text states about itself), the normalisation of every quote, the cited values, the
mechanism tags, the uncoded numbers, the library's policy, and the narrative (`case.md`).

Each stage reports through the case file's :class:`~casebook.reporter.Reporter`; a case with any problem is not
used (None), but every stage that can still run does, so an editor sees every problem of the case at once.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from .citations import Citation, check_derived, check_value, locate_quote
from .confine import read_bytes
from .display import scope_key, scope_text
from .divisions import Divisions, case_division_problems
from .models import Case, IndicatorDef, MechanismDef, Policy
from .narrative import Narrative, forbidden
from .normalize import normalize, normalize_many, to_simplified
from .placeholders import narrative_placeholder_problems, placeholder_problems
from .problems import Problem, did_you_mean
from .records import CaseRecord, TagRecord, ValueRecord
from .reporter import Reporter
from .sources import SourceText, furniture_lines
from .wording import pydantic_problems
from .yamlload import decode, load_yaml, read_text


@dataclass
class CaseContext:
    """What every case is checked against: the shared data files (empty where a file did not load; its own
    problem is then the one reported, not one per reference to it)."""

    indicators: dict[str, IndicatorDef]
    mechanisms: dict[str, MechanismDef]
    policy: Policy | None = None
    divisions: Divisions | None = None  # data/adcodes.csv and its supplement, parsed once per library


def load_case(
    folder: Path, context: CaseContext, problems: list[Problem], narrative: Narrative | None = None
) -> CaseRecord | None:
    """Load and check one case folder; problems are appended, None if the case is unusable. ``narrative``: the
    case's narrative if it was loaded already (:func:`load_narrative`), else it is loaded here."""
    yaml_path = folder / "case.yaml"
    report = Reporter(yaml_path, problems)
    case = _case_file(folder, report)
    if case is None:
        return None
    before = report.count()  # placeholders left in (reported by _case_file) do not stop the stages below
    if case.id != folder.name:
        report.at(
            ("id",),
            f"id '{case.id}' differs from the folder name '{folder.name}'",
            f"set `id: {folder.name}` or rename the folder to cases/{case.id}/",
        )
    if context.divisions is not None:  # None: the table did not load, and that is the problem reported
        case_division_problems(case, context.divisions, report)
    source = _source(folder, case, report)
    if source is None:
        return None
    value_norms, tag_norms = _normalized_quotes(case)
    values = _values(case, source, context, value_norms, report)
    tags = _tags(case, source, context, tag_norms, report)
    _uncoded(case, source, report)
    _policy(case, values, tags, context.policy, report)
    if report.count() > before:
        return None
    if narrative is None:
        narrative = load_narrative(folder, problems)
    return CaseRecord(case.id, folder, case, narrative.text, source, values, yaml_path, tags, narrative)


# -- stage 1: the case file ------------------------------------------------------------------------------------
def _case_file(folder: Path, report: Reporter) -> Case | None:
    """case.yaml read, the template's placeholders left in it reported, and validated against the schema."""
    yaml_path = report.path
    if not yaml_path.exists() and not yaml_path.is_symlink():
        report.file("case folder has no case.yaml", f"run `casebook new {folder.name}` or remove the folder")
        return None
    loaded = load_yaml(yaml_path, report.problems, root=folder.parent.parent)
    if loaded is None:
        return None
    report.loaded = loaded
    report.problems.extend(placeholder_problems(loaded, yaml_path))
    try:
        return Case.model_validate(loaded.data)
    except ValidationError as exc:
        report.problems.extend(pydantic_problems(exc, loaded, yaml_path, Case))
        return None


# -- stage 2: the source ----------------------------------------------------------------------------------------
def read_source(folder: Path, case: Case, report: Reporter) -> SourceText | None:
    """The archived source, read inside the case folder only, checked against its checksum and parsed into
    paragraphs (furniture marked); None with a problem if it cannot be read."""
    src_path = folder / case.source.file  # a plain file name (models.Source.file): never a path
    if not src_path.exists() and not src_path.is_symlink():
        report.at(
            ("source", "file"),
            f"source file {case.source.file} is missing",
            f"copy the source text, unchanged, to cases/{folder.name}/{case.source.file}",
        )
        return None
    raw_bytes = read_bytes(
        src_path, folder.parent.parent, "source", report.problems, report.path, report.lazily(("source", "file"))
    )
    if raw_bytes is None:
        return None
    digest = hashlib.sha256(raw_bytes).hexdigest()
    if digest != case.source.sha256:
        report.at(
            ("source", "sha256"),
            f"{case.source.file} has changed: its SHA-256 is {digest}, not the recorded one",
            "archived sources must not be edited; restore the original file "
            "(or, for a new source, record this checksum)",
        )
    raw = decode(raw_bytes, src_path, report.problems)
    if raw is None:
        return None
    return SourceText.parse(raw, furniture_lines(case.source.furniture))


def _source(folder: Path, case: Case, report: Reporter) -> SourceText | None:
    """The source, and what case.yaml says about it checked against the text: line numbers within the file,
    title, author and outlet verbatim."""
    source = read_source(folder, case, report)
    if source is None:
        return None
    n_lines = source.raw.count("\n") + 1
    for i, item in enumerate(list(case.source.furniture) + list(case.source.defects)):
        if item.lines:
            last = int(item.lines.split("-")[-1])
            if last > n_lines:
                key = (
                    ("source", "furniture", i)
                    if i < len(case.source.furniture)
                    else ("source", "defects", i - len(case.source.furniture))
                )
                report.at(
                    key + ("lines",),
                    f"line {last} is past the end of {case.source.file} ({n_lines} lines)",
                    "give line numbers of the source file",
                )
    for name in ("title", "author", "outlet"):
        text = getattr(case.source, name)
        if text and source.mentions(text) == 0:
            report.at(
                ("source", name),
                f"source {name} {text!r} does not occur in the text",
                "metadata must be what the text states: copy it verbatim, or use null and a note",
            )
    return source


# -- stage 3: quotes normalised -------------------------------------------------------------------------------
def _normalized_quotes(case: Case) -> tuple[list[str], list[list[str]]]:
    """Every quote of the case normalised in one go (one OpenCC call instead of one per quote): the values'
    quotes, and each tag's."""
    quotes = [v.quote or "" for v in case.indicators] + [q for t in case.mechanisms for q in t.quotes]
    normalized = normalize_many(quotes)
    tag_norms, k = [], len(case.indicators)
    for t in case.mechanisms:
        tag_norms.append(normalized[k : k + len(t.quotes)])
        k += len(t.quotes)
    return normalized[: len(case.indicators)], tag_norms


# -- stage 4: cited values ---------------------------------------------------------------------------------------
def _values(
    case: Case, source: SourceText, context: CaseContext, value_norms: list[str], report: Reporter
) -> list[ValueRecord]:
    indicators = context.indicators
    values: list[ValueRecord] = []
    seen: dict[tuple[str, tuple[str, str, str]], int] = {}
    per_indicator: dict[str, int] = {}
    by_key: dict[str, ValueRecord] = {}
    for i, v in enumerate(case.indicators):
        definition = indicators.get(v.indicator)
        if definition is None:
            if indicators:  # none at all: data/indicators.yaml did not load, and that is the problem reported
                report.at(
                    ("indicators", i, "indicator"),
                    f"unknown indicator '{v.indicator}'",
                    did_you_mean(v.indicator, indicators) + " (indicators are defined in data/indicators.yaml)",
                )
            continue
        units = [definition.unit, *(u.unit for u in definition.other_units)]
        if v.unit not in units and to_simplified(v.unit) not in units:
            report.at(
                ("indicators", i, "unit"),
                f"indicator '{v.indicator}': unit '{v.unit}' is not one of its units ({', '.join(units)})",
                f"write the value in one of them; if the indicator really counts the same thing in {v.unit}, "
                f"add it to `other_units` of '{v.indicator}' in data/indicators.yaml",
            )
        if v.scope.level not in definition.levels:
            report.at(
                ("indicators", i, "scope", "level"),
                f"indicator '{v.indicator}' counts {definition.counts.rstrip('。')}, at scope level "
                f"{' or '.join(definition.levels)}; this value's scope is {v.scope.level}",
                "file the value under an indicator that counts what it counts (or add one to data/indicators.yaml), "
                "or set it aside under `uncoded:` with the reason",
            )
        if v.period.wording is not None and normalize(v.period.wording) not in source.body:
            report.at(
                ("indicators", i, "period", "wording"),
                f"period wording '{v.period.wording}' does not occur in the source",
                "copy the source's own words for the period (e.g. 今年以来, 目前), or remove `wording:`",
            )
        key = (v.indicator, scope_key(v.scope))
        if key in seen:
            report.at(
                ("indicators", i),
                f"indicator '{v.indicator}' with scope '{scope_text(v.scope)}' is already cited at item "
                f"{seen[key] + 1}",
                "cite each indicator once per scope; remove one, or say in `scope.part` what each one covers",
            )
            continue
        seen[key] = i
        n = per_indicator.get(v.indicator, 0) + 1
        per_indicator[v.indicator] = n
        anchor = f"v-{v.indicator}" + (f"-{n}" if n > 1 else "")
        citation: Citation | None = None
        if v.quote is not None:
            citation = locate_quote(
                source,
                v.quote,
                report.path,
                report.lazily(("indicators", i, "quote")),
                f"indicator '{v.indicator}'",
                report.problems,
                value_norms[i],
            )
            if citation is not None:
                check_value(
                    v, citation.normalized, report.path, report.lazily(("indicators", i, "value")), report.problems
                )
        record = ValueRecord(i, anchor, v, definition, citation)
        values.append(record)
        if v.derived is None:
            by_key.setdefault(v.indicator, record)
    for record in values:
        if record.data.derived is not None:
            derived_at: tuple[str | int, ...] = ("indicators", record.index, "derived")
            record.inputs = check_derived(
                record.data, by_key, report.path, lambda loc=derived_at: report.key_position(loc), report.problems
            )
    return values


# -- stage 5: mechanism tags --------------------------------------------------------------------------------------
def _tags(
    case: Case, source: SourceText, context: CaseContext, tag_norms: list[list[str]], report: Reporter
) -> list[TagRecord]:
    mechanisms = context.mechanisms
    tags: list[TagRecord] = []
    seen: dict[str, int] = {}
    for i, tag in enumerate(case.mechanisms):
        definition = mechanisms.get(tag.mechanism)
        if definition is None:
            if mechanisms:  # none at all: data/mechanisms.yaml did not load, and that is the problem reported
                report.at(
                    ("mechanisms", i, "mechanism"),
                    f"unknown mechanism '{tag.mechanism}'",
                    did_you_mean(tag.mechanism, mechanisms) + " (mechanisms are defined in data/mechanisms.yaml)",
                )
            continue
        if tag.mechanism in seen:
            report.at(
                ("mechanisms", i, "mechanism"),
                f"mechanism '{tag.mechanism}' is tagged twice (first at item {seen[tag.mechanism] + 1})",
                "merge the two tags: put all quotes under one",
            )
            continue
        seen[tag.mechanism] = i
        cites = []
        for j, quote in enumerate(tag.quotes):
            c = locate_quote(
                source,
                quote,
                report.path,
                report.lazily(("mechanisms", i, "quotes", j)),
                f"mechanism '{tag.mechanism}'",
                report.problems,
                tag_norms[i][j],
            )
            if c is not None:
                cites.append(c)
        tags.append(TagRecord(i, f"{case.id}", tag, definition, cites))
    return tags


# -- stage 6: numbers left uncoded ------------------------------------------------------------------------------
def _uncoded(case: Case, source: SourceText, report: Reporter) -> None:
    for i, item in enumerate(case.uncoded):
        if source.mentions(item.quote) == 0:
            closest = source.closest(item.quote)
            hint = f"closest passage is ¶{closest[0].number}: “{closest[1][:60]}”" if closest else "copy it verbatim"
            report.at(("uncoded", i, "quote"), "uncoded: quote not found in the source", hint)


# -- stage 7: the library's policy ------------------------------------------------------------------------------
def _policy(
    case: Case, values: list[ValueRecord], tags: list[TagRecord], policy: Policy | None, report: Reporter
) -> None:
    """The minimum every case must meet (data/policy.yaml). Values and tags that have a problem of their own do
    not count; derived values never do."""
    if policy is None:
        return
    stated = sum(1 for v in values if v.data.derived is None)
    if stated < policy.min_values and len(case.indicators) == len(values):
        report.at_key(
            ("indicators",),
            f"{stated} value{'s' if stated != 1 else ''} cited from the source; every case needs at least "
            f"{policy.min_values} (data/policy.yaml, min_values)",
            "cite more of the numbers the source states (`casebook coverage <slug>` lists every number "
            "in it); a source that states fewer cannot be a case of this library yet",
        )
    if len(tags) < policy.min_tags and len(case.mechanisms) == len(tags):
        report.at_key(
            ("mechanisms",),
            f"{len(tags)} mechanism{'s' if len(tags) != 1 else ''} tagged; every case needs at least "
            f"{policy.min_tags} (data/policy.yaml, min_tags)",
            "tag each practice the source reports with a verbatim quote (ids in data/mechanisms.yaml)",
        )


# -- stage 8: the narrative -------------------------------------------------------------------------------------
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


def load_narrative(folder: Path, problems: list[Problem]) -> Narrative:
    """The case's narrative (case.md), converted; read and checked even when case.yaml has problems, so that
    every problem of a case is reported in one run."""
    path = folder / "case.md"
    text = None
    if not path.exists() and not path.is_symlink():
        problems.append(
            Problem(
                path,
                1,
                1,
                "case.md (the narrative) is missing",
                "write the editor's narrative: background, measures, results, what the source does not say",
            )
        )
    else:
        text = read_text(path, problems, folder.parent.parent, "narrative")
        if text is not None:
            report_forbidden(text, path, problems)
            problems.extend(narrative_placeholder_problems(text, path))
            if not text.strip():
                problems.append(
                    Problem(
                        path,
                        1,
                        1,
                        "the narrative is empty",
                        "write background, measures, results and what the source does not say",
                    )
                )
    return Narrative(text or "", f"cases/{folder.name}.md")
