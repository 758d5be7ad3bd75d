"""The glossary file (data/glossary.yaml): its entries with their pinyin and dictionary order, and where each
term occurs in the cases (one automaton pass over each source and narrative)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import ValidationError

from .data_files import GLOSSARY_FILE
from .models import GlossaryFile
from .problems import Problem, did_you_mean
from .records import CaseRecord
from .wording import pydantic_problems
from .yamlload import load_yaml

if TYPE_CHECKING:
    from .glossary import Entry, Matcher
    from .memory import BuildMemory


def load_glossary(
    root: Path,
    mechanisms: dict,
    cases: list[CaseRecord],
    problems: list[Problem],
    occurrences: dict[str, dict[str, int | None]] | None = None,
    complete: bool = True,
    memory: BuildMemory | None = None,
) -> list[Entry]:
    """Glossary entries with pinyin, order and computed occurrences; problems appended.

    ``occurrences`` (case id -> term -> first ¶) may be given when the cases were scanned elsewhere
    (the parallel check); otherwise ``cases`` are scanned here. ``complete``: every case folder loaded; if
    one did not, a term found in no case is not reported (it may occur in the case that failed)."""
    from .cache import pinyin_readings
    from .glossary import (
        Entry,
        Matcher,
        Occurrence,
        anchor_for,
        is_han,
        pypinyin_reading,
        section_of,
        sort_key,
        sort_text,
        stroke_counts,
        written_forms_of,
    )
    from .normalize import normalize

    path = root / GLOSSARY_FILE
    loaded = load_yaml(path, problems, root=root)
    if loaded is None:
        return []
    try:
        parsed = GlossaryFile.model_validate(loaded.data)
    except ValidationError as exc:
        problems.extend(pydantic_problems(exc, loaded, path, GlossaryFile))
        return []
    entries: dict[str, Entry] = {}
    anchors: dict[str, str] = {}
    forms: dict[str, str] = {}
    readings = pinyin_readings([t.term for t in parsed.terms if t.pinyin is None], pypinyin_reading)
    strokes = stroke_counts([sort_text(t.term) for t in parsed.terms])
    written = written_forms_of([(t.term, t.aliases) for t in parsed.terms])
    for i, t in enumerate(parsed.terms):

        def where(i: int = i) -> tuple[int, int]:
            return loaded.where(("terms", i, "term"))

        if t.term in entries:
            problems.append(Problem(path, *where(), f"term '{t.term}' is listed twice", "merge the two entries"))
            continue
        n_han = sum(1 for ch in t.term if is_han(ch))
        if t.pinyin is not None:
            syllables = t.pinyin.split()
            if len(syllables) != n_han:
                pl, pc = loaded.where(("terms", i, "pinyin"))
                problems.append(
                    Problem(
                        path,
                        pl,
                        pc,
                        f"term '{t.term}': pinyin has {len(syllables)} syllables for {n_han} characters",
                        "give one tone-marked syllable per character",
                    )
                )
                continue
        else:
            syllables = readings[t.term]
        for j, m in enumerate(t.mechanisms):
            if mechanisms and m not in mechanisms:
                ml, mc = loaded.where(("terms", i, "mechanisms", j))
                problems.append(Problem(path, ml, mc, f"unknown mechanism '{m}'", did_you_mean(m, mechanisms)))
        anchor = anchor_for(t.term)
        if anchor in anchors:
            problems.append(
                Problem(
                    path,
                    *where(),
                    f"term '{t.term}' has the same anchor as '{anchors[anchor]}'",
                    "merge the two terms or make them differ in their characters",
                )
            )
            continue
        anchors[anchor] = t.term
        entries[t.term] = Entry(
            t, syllables, anchor, sort_key(t.term, syllables, strokes), section_of(t.term, syllables)
        )
        for form in written[i]:
            forms.setdefault(normalize(form), t.term)
    # An alias may not be another term: the written form would belong to two entries.
    by_form = {normalize(sort_text(t)): t for t in entries}
    for i, t in enumerate(parsed.terms):
        for j, alias in enumerate(t.aliases):
            other = by_form.get(normalize(sort_text(alias)))
            if other is not None and other != t.term:
                al, ac = loaded.where(("terms", i, "aliases", j))
                problems.append(
                    Problem(
                        path,
                        al,
                        ac,
                        f"alias '{alias}' of '{t.term}' is itself the term '{other}'",
                        "remove the alias; each written form belongs to one entry",
                    )
                )
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
            problems.append(
                Problem(
                    path,
                    line,
                    col,
                    f"term '{t.term}' occurs in no case's source or narrative",
                    "check the spelling (Simplified characters), add an alias, or remove the term",
                )
            )
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


def term_occurrences(case: CaseRecord, matcher: Matcher) -> dict[str, int | None]:
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
