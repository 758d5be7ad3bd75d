"""`casebook check`: every problem in the library, using every core for large libraries.

The cases are independent of one another, so their folders are split across worker processes; each worker
loads and checks its cases and returns only what the library-wide checks need (problems, ids, narratives,
glossary occurrences). The build uses :func:`casebook.library.load_library`, which does the same checks in
one process and keeps the loaded objects.
"""

from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from .confine import symlinks_under
from .library import (GLOSSARY_FILE, PUBLISHED_FOLDERS, _check_duplicate_ids, case_folders, glossary_forms,
                      library_links, load_case, load_glossary, load_indicators, load_mechanisms, load_narrative,
                      term_occurrences)
from .links import CaseLinks, case_links, narrative_links
from .problems import Problem

PARALLEL_FROM = 60  # below this many cases, worker start-up costs more than it saves


@dataclass
class CaseSummary:
    id: str
    folder: Path
    narrative: str
    n_values: int
    terms: dict[str, int | None]
    links: CaseLinks


def _check_chunk(root: Path, folders: list[Path]) -> tuple[list[Problem], list[CaseSummary], list[CaseLinks]]:
    """Load and check some case folders: problems, summaries of the cases that loaded, and the narrative links
    of those that did not (checked all the same)."""
    from .glossary import Matcher

    problems: list[Problem] = []
    groups, indicators = load_indicators(root, [])
    _, mechanisms = load_mechanisms(root, indicators, [])
    matcher = Matcher(glossary_forms(root)) if (root / GLOSSARY_FILE).exists() else None
    summaries = []
    links = []
    for folder in folders:
        narrative = load_narrative(folder, problems)
        case = load_case(folder, indicators, problems, mechanisms, narrative)
        if case is not None:
            terms = term_occurrences(case, matcher) if matcher else {}
            summaries.append(CaseSummary(case.id, folder, case.narrative, len(case.values), terms, case_links(case)))
        else:
            links.append(narrative_links(folder, narrative))
    return problems, summaries, links


def check_library(root: Path, jobs: int | None = None) -> tuple[list[CaseSummary], list[Problem], int]:
    """(cases that loaded, every problem, number of indicators)."""
    root = Path(root)
    problems: list[Problem] = []
    groups, indicators = load_indicators(root, problems)
    _, mechanisms = load_mechanisms(root, indicators, problems)
    problems.extend(symlinks_under(root, PUBLISHED_FOLDERS))
    folders = case_folders(root, problems)
    jobs = jobs or os.cpu_count() or 1
    summaries: list[CaseSummary] = []
    failed: list[CaseLinks] = []
    if jobs > 1 and len(folders) >= PARALLEL_FROM:
        chunks = [folders[i::jobs] for i in range(jobs)]
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            for chunk_problems, chunk_summaries, chunk_failed in pool.map(_check_chunk, [root] * jobs, chunks):
                problems.extend(chunk_problems)
                summaries.extend(chunk_summaries)
                failed.extend(chunk_failed)
        summaries.sort(key=lambda s: s.id)
    else:
        chunk_problems, summaries, failed = _check_chunk(root, folders)
        problems.extend(chunk_problems)
    _check_duplicate_ids(folders, problems)
    glossary = None
    if (root / GLOSSARY_FILE).exists():
        glossary_problems: list[Problem] = []
        glossary = load_glossary(root, mechanisms, [], glossary_problems,
                                 occurrences={s.id: s.terms for s in summaries},
                                 complete=len(summaries) == len(folders))
        problems.extend(glossary_problems)
        if glossary_problems:
            glossary = None
    library_links(root, folders, [s.links for s in summaries] + failed, indicators, mechanisms, glossary, problems)
    return summaries, problems, len(indicators)
