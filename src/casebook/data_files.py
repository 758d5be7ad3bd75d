"""The library's shared data files: the indicators (data/indicators.yaml), the mechanism taxonomy
(data/mechanisms.yaml), the policy every case must meet (data/policy.yaml) and the provincial-level divisions
(data/provinces.yaml)."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ValidationError

from .models import (
    Group,
    IndicatorDef,
    IndicatorsFile,
    MechanismDef,
    MechanismsFile,
    Policy,
    Province,
    ProvincesFile,
    SiteFile,
)
from .problems import Problem, did_you_mean
from .reporter import Reporter
from .wording import pydantic_problems
from .yamlload import Loaded, load_yaml, read_text

INDICATORS_FILE = Path("data") / "indicators.yaml"
MECHANISMS_FILE = Path("data") / "mechanisms.yaml"
GLOSSARY_FILE = Path("data") / "glossary.yaml"
POLICY_FILE = Path("data") / "policy.yaml"
SITE_FILE = Path("data") / "site.yaml"
PROVINCES_FILE = Path("data") / "provinces.yaml"


def read_data_file(
    root: Path, name: Path, model: type[BaseModel], problems: list[Problem]
) -> tuple[BaseModel, Loaded] | None:
    """A data file validated against its model, or None with its problems (worded from that model)."""
    path = root / name
    loaded = load_yaml(path, problems, root=root)
    if loaded is None:
        return None
    try:
        return model.model_validate(loaded.data), loaded
    except ValidationError as exc:
        problems.extend(pydantic_problems(exc, loaded, path, model))
        return None


def load_indicators(root: Path, problems: list[Problem]) -> tuple[list[Group], dict[str, IndicatorDef]]:
    read = read_data_file(root, INDICATORS_FILE, IndicatorsFile, problems)
    if read is None:
        return [], {}
    parsed, loaded = read
    assert isinstance(parsed, IndicatorsFile)
    report = Reporter(root / INDICATORS_FILE, problems, loaded)
    groups = {g.id for g in parsed.groups}
    indicators: dict[str, IndicatorDef] = {}
    for i, ind in enumerate(parsed.indicators):
        if ind.key in indicators:
            report.at(
                ("indicators", i, "key"),
                f"indicator '{ind.key}' is defined twice",
                "keep one definition and merge the two",
            )
            continue
        if ind.group not in groups:
            report.at(("indicators", i, "group"), f"unknown group '{ind.group}'", did_you_mean(ind.group, groups))
        indicators[ind.key] = ind
    return parsed.groups, indicators


def load_mechanisms(
    root: Path, indicators: dict[str, IndicatorDef], problems: list[Problem]
) -> tuple[list[Group], dict[str, MechanismDef]]:
    read = read_data_file(root, MECHANISMS_FILE, MechanismsFile, problems)
    if read is None:
        return [], {}
    parsed, loaded = read
    assert isinstance(parsed, MechanismsFile)
    report = Reporter(root / MECHANISMS_FILE, problems, loaded)
    group_ids = {g.id for g in parsed.groups}
    mechanisms: dict[str, MechanismDef] = {}
    for i, m in enumerate(parsed.mechanisms):
        if m.id in mechanisms:
            report.at(("mechanisms", i, "id"), f"mechanism '{m.id}' is defined twice", "keep one definition")
            continue
        mechanisms[m.id] = m
        if m.group not in group_ids:
            report.at(("mechanisms", i, "group"), f"unknown group '{m.group}'", did_you_mean(m.group, group_ids))
    ids = {m.id for m in parsed.mechanisms}
    for i, m in enumerate(parsed.mechanisms):
        for j, key in enumerate(m.related_indicators):
            if indicators and key not in indicators:
                report.at(
                    ("mechanisms", i, "related_indicators", j),
                    f"unknown indicator '{key}'",
                    did_you_mean(key, indicators),
                )
        for j, key in enumerate(m.related_mechanisms):
            if key not in ids:
                report.at(
                    ("mechanisms", i, "related_mechanisms", j), f"unknown mechanism '{key}'", did_you_mean(key, ids)
                )
    return parsed.groups, mechanisms


def load_policy(root: Path, problems: list[Problem]) -> Policy | None:
    """The minimum every case must meet; None (with a problem) if the file is missing or wrong."""
    path = root / POLICY_FILE
    if not path.exists() and not path.is_symlink():
        problems.append(
            Problem(
                path,
                1,
                1,
                "data/policy.yaml is missing: it says what every case must have",
                "restore it from the main branch (it holds min_values and min_tags)",
            )
        )
        return None
    read = read_data_file(root, POLICY_FILE, Policy, problems)
    if read is None:
        return None
    policy = read[0]
    assert isinstance(policy, Policy)
    return policy


def load_site(root: Path, problems: list[Problem]) -> str:
    """The published site's address from data/site.yaml, ending in ``/``; ``""`` when the project has no such
    file or it sets none (links are then site-relative)."""
    path = root / SITE_FILE
    if not path.exists() and not path.is_symlink():
        return ""
    text = read_text(path, problems, root)
    if text is None or all(not line.strip() or line.lstrip().startswith("#") for line in text.splitlines()):
        return ""  # comments only: no address set
    read = read_data_file(root, SITE_FILE, SiteFile, problems)
    if read is None:
        return ""
    site = read[0]
    assert isinstance(site, SiteFile)
    url = site.site_url or ""
    return url if not url or url.endswith("/") else url + "/"


def load_provinces(root: Path, problems: list[Problem]) -> list[Province]:
    """China's provincial-level divisions (data/provinces.yaml), in the file's order; each code once."""
    read = read_data_file(root, PROVINCES_FILE, ProvincesFile, problems)
    if read is None:
        return []
    parsed, loaded = read
    assert isinstance(parsed, ProvincesFile)
    report = Reporter(root / PROVINCES_FILE, problems, loaded)
    seen: dict[str, Province] = {}
    for i, p in enumerate(parsed.provinces):
        if p.code in seen:
            report.at(("provinces", i, "code"), f"province code '{p.code}' is listed twice", "keep one entry")
            continue
        seen[p.code] = p
    return list(seen.values())
