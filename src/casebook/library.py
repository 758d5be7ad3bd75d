"""Load and check the whole library: the data files, every case folder, the glossary and every link.

:func:`load_library` is the one way in: `casebook check`, `cite`, `coverage` and the build all call it, so
what `check` reports is what would stop the build. It returns a :class:`Library` and every problem found, and
imports nothing of MkDocs. Large libraries are loaded on every core (``jobs``); `mkdocs serve` lends a
:class:`~casebook.memory.BuildMemory` instead, which keeps the cases whose files did not change.

What each part does is in its own module: :mod:`casebook.data_files` (indicators, mechanisms, policy),
:mod:`casebook.case_loader` (one case, stage by stage), :mod:`casebook.glossary_data`, :mod:`casebook.links`,
:mod:`casebook.wording` (how schema errors are put to an editor) and :mod:`casebook.records` (what is loaded).
"""

from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .case_loader import CaseContext, load_case, load_narrative
from .confine import read_bytes, symlinks_under
from .data_files import (
    GLOSSARY_FILE,
    INDICATORS_FILE,
    MECHANISMS_FILE,
    POLICY_FILE,
    load_indicators,
    load_mechanisms,
    load_policy,
    load_provinces,
    load_site,
)
from .divisions import ADCODES_FILE, SUPPLEMENT_FILE, load_divisions
from .glossary_data import glossary_forms, load_glossary, term_occurrences
from .links import CaseLinks, case_links, check_links, docs_pages, narrative_links
from .narrative import Narrative
from .placeholders import keep_placeholder_problems_only
from .problems import Problem
from .records import CaseRecord, Library, TagRecord, ValueRecord
from .routes import DOCS_IN_NAV, page_uris

if TYPE_CHECKING:
    from .memory import BuildMemory

__all__ = [
    "CaseRecord",
    "Library",
    "TagRecord",
    "ValueRecord",
    "load_library",
    "case_folders",
    "GLOSSARY_FILE",
    "INDICATORS_FILE",
    "MECHANISMS_FILE",
    "POLICY_FILE",
    "PUBLISHED_FOLDERS",
]

CASES_DIR = Path("cases")
PARALLEL_FROM = 60  # cases; below this, starting worker processes costs more than it saves


@dataclass
class LoadedCase:
    """One case folder as loaded: the case (None if it has a problem), its problems and narrative, and (when
    a worker loaded it) where each glossary term occurs in it."""

    folder: Path
    record: CaseRecord | None
    problems: list[Problem]
    narrative: Narrative | None
    terms: dict[str, int | None] | None = None
    case_id: str = ""
    n_values: int = 0
    links: CaseLinks | None = None

    def __post_init__(self) -> None:
        if self.record is not None:
            self.case_id, self.n_values = self.record.id, len(self.record.values)

    def links_of(self) -> CaseLinks:
        """The narrative's links and the anchors the case's pages will have, for the link check."""
        if self.links is None:
            self.links = (
                case_links(self.record) if self.record is not None else narrative_links(self.folder, self.narrative)
            )
        return self.links

    def forget(self) -> None:
        """Keep only what the library-wide checks need (a worker's answer to `check`)."""
        self.links_of()
        self.record = self.narrative = None


def load_library(
    root: Path, jobs: int | None = 1, memory: BuildMemory | None = None, keep_cases: bool = True
) -> tuple[Library, list[Problem]]:
    """Load the whole library under ``root``; return it and every problem found.

    ``jobs``: worker processes for the cases (None: one per core), used from PARALLEL_FROM cases on.
    ``memory`` (during `mkdocs serve`): lends the cases whose files did not change; it loads in this process.
    ``keep_cases=False`` (`check`): every case is loaded and checked all the same, but the loaded cases are not
    kept (workers do not send them back, which would cost more than loading them): ``Library.cases`` is empty,
    ``n_cases`` and ``n_values`` count them."""
    root = Path(root)
    problems: list[Problem] = []
    groups, indicators = load_indicators(root, problems)
    mechanism_groups, mechanisms = load_mechanisms(root, indicators, problems)
    context = CaseContext(indicators, mechanisms, load_policy(root, problems), load_divisions(root, problems))
    site = load_site(root, problems)
    provinces = load_provinces(root, problems)
    problems.extend(symlinks_under(root, PUBLISHED_FOLDERS))
    folders = case_folders(root, problems)
    jobs = jobs or os.cpu_count() or 1
    if memory is None and jobs > 1 and len(folders) >= PARALLEL_FROM:
        loaded = _load_in_workers(root, folders, jobs, keep_cases)
    else:
        data_digest = ""
        if memory is not None:
            from .memory import files_digest

            data_digest = files_digest(
                [root / name for name in (INDICATORS_FILE, MECHANISMS_FILE, POLICY_FILE, ADCODES_FILE, SUPPLEMENT_FILE)]
            )
        loaded = [_load_one(folder, context, memory, data_digest) for folder in folders]
    cases = [item.record for item in loaded if item.record is not None]
    ok = [item for item in loaded if item.case_id]
    for item in loaded:
        problems.extend(item.problems)
    _check_duplicate_ids(folders, problems)
    glossary: list = []
    glossary_problems: list[Problem] = []
    if (root / GLOSSARY_FILE).exists():
        # scanned in the workers, or (None) here from the cases
        scanned = {item.case_id: item.terms for item in ok if item.terms is not None}
        glossary = load_glossary(
            root,
            mechanisms,
            cases,
            glossary_problems,
            occurrences=scanned if ok and len(scanned) == len(ok) else None,
            complete=len(ok) == len(folders),
            memory=memory,
        )
    problems.extend(glossary_problems)
    library_links(
        root,
        folders,
        [item.links_of() for item in loaded],
        indicators,
        mechanisms,
        None if glossary_problems else glossary,
        problems,
    )
    problems = keep_placeholder_problems_only(problems)  # a placeholder's other problems say nothing more
    return Library(
        root,
        groups,
        indicators,
        cases,
        mechanisms,
        mechanism_groups,
        glossary,
        n_cases=len(ok),
        n_values=sum(item.n_values for item in ok),
        site_url=site,
        provinces=provinces,
    ), problems


def _load_one(folder: Path, context: CaseContext, memory: BuildMemory | None = None, data: str = "") -> LoadedCase:
    """One case folder, from memory when its files and the data files (``data``: their digest) are unchanged."""
    if memory is None:
        case_problems: list[Problem] = []
        narrative = load_narrative(folder, case_problems)
        record = load_case(folder, context, case_problems, narrative)
        return LoadedCase(folder, record, case_problems, narrative)
    from .memory import folder_digests

    of_data, of_narrative = folder_digests(folder)
    fingerprint = of_data + of_narrative + data
    known = memory.cases.get(folder.name)
    if known is not None and known[0] == fingerprint:
        _, record, case_problems, narrative = known
        memory.hits["cases"] += 1
    else:
        case_problems = []
        narrative = load_narrative(folder, case_problems)
        record = load_case(folder, context, case_problems, narrative)
        memory.cases[folder.name] = (fingerprint, record, case_problems, narrative)
    if record is not None:
        record.digest, record.data_digest = fingerprint, of_data + data
    return LoadedCase(folder, record, list(case_problems), narrative)


def _load_in_workers(root: Path, folders: list[Path], jobs: int, keep_cases: bool) -> list[LoadedCase]:
    chunks = [folders[i::jobs] for i in range(jobs)]
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        results = [
            item for chunk in pool.map(_load_chunk, [root] * jobs, chunks, [keep_cases] * jobs) for item in chunk
        ]
    order = {folder: i for i, folder in enumerate(folders)}
    return sorted(results, key=lambda item: order[item.folder])


def _load_chunk(root: Path, folders: list[Path], keep_cases: bool = True) -> list[LoadedCase]:
    """In a worker: some case folders loaded against the data files (read again here; their problems are the
    parent's to report; the division table, parsed by the parent before the fork, is found in its cache), and
    where the glossary's terms occur in each."""
    from .glossary import Matcher

    ignored: list[Problem] = []
    _, indicators = load_indicators(root, ignored)
    _, mechanisms = load_mechanisms(root, indicators, ignored)
    context = CaseContext(indicators, mechanisms, load_policy(root, ignored), load_divisions(root, ignored))
    forms = glossary_forms(root) if (root / GLOSSARY_FILE).exists() else {}
    matcher = Matcher(forms) if forms else None
    out = []
    for folder in folders:
        item = _load_one(folder, context)
        if item.record is not None:
            item.terms = term_occurrences(item.record, matcher) if matcher is not None else {}
        if not keep_cases:
            item.forget()
        out.append(item)
    return out


def case_folders(root: Path, problems: list[Problem]) -> list[Path]:
    """The case folders under cases/; everything else there is reported, never skipped silently."""
    import re as _re

    cases_dir = root / CASES_DIR
    if cases_dir.is_symlink() or not cases_dir.is_dir():
        problems.append(
            Problem(
                cases_dir,
                1,
                1,
                "no cases/ folder" if not cases_dir.is_symlink() else "cases/ is a symbolic link",
                "add a case with `casebook new <slug>`",
            )
        )
        return []
    folders = []
    for entry in sorted(cases_dir.iterdir()):
        if entry.is_symlink():
            problems.append(
                Problem(
                    entry,
                    1,
                    1,
                    "is a symbolic link, not a case folder",
                    "commit the case folder itself; links could read files outside the repository",
                )
            )
        elif not entry.is_dir():
            problems.append(
                Problem(
                    entry,
                    1,
                    1,
                    "is a file directly in cases/, where only case folders belong",
                    "move it into a case folder or delete it",
                )
            )
        elif entry.name.startswith("."):
            problems.append(
                Problem(
                    entry,
                    1,
                    1,
                    f"folder '{entry.name}' starts with '.', so it cannot be a case",
                    f"rename it to the case id, e.g. cases/{entry.name.lstrip('.') or 'newcity'}/, or delete it",
                )
            )
        elif not _re.fullmatch(r"[a-z][a-z0-9-]{0,39}", entry.name):
            problems.append(
                Problem(
                    entry,
                    1,
                    1,
                    f"folder name '{entry.name}' is not a case id",
                    "name the folder with lower-case latin letters, digits and '-', e.g. "
                    "cases/xiamen/, and set the same `id:` in its case.yaml",
                )
            )
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
            problems.append(
                Problem(
                    path,
                    line,
                    1,
                    f"duplicate case id '{case_id}' (also used by "
                    f"{seen[case_id].relative_to(folder.parent.parent).as_posix()})",
                    "every case needs its own id, equal to its folder name",
                )
            )
        else:
            seen[case_id] = path


# Folders MkDocs reads and publishes from: no symbolic link may be in them.
PUBLISHED_FOLDERS = ("docs", "templates", "overrides")


def library_links(
    root: Path,
    folders: list[Path],
    cases: list[CaseLinks],
    indicators: dict,
    mechanisms: dict,
    glossary: list | None,
    problems: list[Problem],
) -> None:
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
            problems.append(
                Problem(
                    path,
                    1,
                    1,
                    "this page is not in the site's navigation",
                    "add it to DOCS_IN_NAV in src/casebook/routes.py, or move it out of docs/",
                )
            )
    pages = page_uris([f.name for f in folders], used_groups, list(mechanisms), has_glossary) | set(docs)
    check_links(root, cases, pages, indicators, mechanisms, glossary, problems, docs)
