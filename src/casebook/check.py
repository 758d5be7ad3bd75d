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

from .library import (CASES_DIR, GLOSSARY_FILE, _check_duplicate_ids, glossary_forms, known_pages, load_case,
                      load_glossary, load_indicators, load_mechanisms, term_occurrences)
from .problems import Problem

PARALLEL_FROM = 60  # below this many cases, worker start-up costs more than it saves


@dataclass
class CaseSummary:
    id: str
    folder: Path
    narrative: str
    n_values: int
    terms: dict[str, int | None]


def _check_chunk(root: Path, folders: list[Path], all_folders: list[Path]) -> tuple[list[Problem], list[CaseSummary]]:
    from .glossary import Matcher

    problems: list[Problem] = []
    groups, indicators = load_indicators(root, [])
    _, mechanisms = load_mechanisms(root, indicators, [])
    known = known_pages(root, all_folders, groups, indicators, mechanisms)
    matcher = Matcher(glossary_forms(root)) if (root / GLOSSARY_FILE).exists() else None
    summaries = []
    for folder in folders:
        case = load_case(folder, indicators, problems, mechanisms, known)
        if case is not None:
            terms = term_occurrences(case, matcher) if matcher else {}
            summaries.append(CaseSummary(case.id, folder, case.narrative, len(case.values), terms))
    return problems, summaries


def check_library(root: Path, jobs: int | None = None) -> tuple[list[CaseSummary], list[Problem], int]:
    """(cases that loaded, every problem, number of indicators)."""
    root = Path(root)
    problems: list[Problem] = []
    groups, indicators = load_indicators(root, problems)
    _, mechanisms = load_mechanisms(root, indicators, problems)
    cases_dir = root / CASES_DIR
    folders = sorted(p for p in cases_dir.iterdir() if p.is_dir() and not p.name.startswith(".")) \
        if cases_dir.is_dir() else []
    if not folders:
        problems.append(Problem(cases_dir, 1, 1, "no case folders found", "add a case with `casebook new <slug>`"))
    jobs = jobs or os.cpu_count() or 1
    summaries: list[CaseSummary] = []
    if jobs > 1 and len(folders) >= PARALLEL_FROM:
        chunks = [folders[i::jobs] for i in range(jobs)]
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            for chunk_problems, chunk_summaries in pool.map(_check_chunk, [root] * jobs, chunks, [folders] * jobs):
                problems.extend(chunk_problems)
                summaries.extend(chunk_summaries)
        summaries.sort(key=lambda s: s.id)
    else:
        chunk_problems, summaries = _check_chunk(root, folders, folders)
        problems.extend(chunk_problems)
    _check_duplicate_ids(folders, problems)
    if (root / GLOSSARY_FILE).exists():
        load_glossary(root, mechanisms, [], problems, occurrences={s.id: s.terms for s in summaries})
    return summaries, problems, len(indicators)
