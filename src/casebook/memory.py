"""What `mkdocs serve` keeps from one build to the next, so that editing one case re-does only what depends
on it.

The hooks stay loaded across rebuilds and hold one :class:`BuildMemory`. Each rebuild still loads and checks
the whole library and renders every page, but a case whose files did not change is taken from memory (with
the problems it had), and a page whose inputs did not change is taken from memory (with the links it writes).
A page's inputs are named by :func:`page_inputs`; their digests make the page's fingerprint. Nothing here
changes what is built: a test builds a library with and without a memory and compares the pages.
"""

from __future__ import annotations

import hashlib
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path


def digest(*parts: bytes | str) -> str:
    h = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.hexdigest()


NARRATIVE = "case.md"


def folder_digests(folder: Path) -> tuple[str, str]:
    """(digest of the case's data: every entry of its folder but the narrative; digest of the narrative).
    Names, kinds and bytes of each entry; links and odd files by their kind only (the loader reports them,
    and a digest of what they point to is never taken)."""
    data: list[bytes | str] = []
    narrative: list[bytes | str] = []
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError:
        return digest("unreadable"), digest("unreadable")
    for entry in entries:
        st = entry.stat(follow_symlinks=False)
        parts = narrative if entry.name == NARRATIVE else data
        parts.append(entry.name)
        if stat.S_ISREG(st.st_mode) and st.st_size <= 4_000_000:
            with open(entry.path, "rb") as fh:
                parts.append(fh.read())
        else:
            parts.append(f"mode {st.st_mode} size {st.st_size}")
    return digest(*data), digest(*narrative)


def files_digest(paths: list[Path]) -> str:
    parts: list[bytes | str] = []
    for path in paths:
        parts.append(path.as_posix())
        try:
            parts.append(path.read_bytes() if path.is_file() and not path.is_symlink() else b"-")
        except OSError:
            parts.append(b"?")
    return digest(*parts)


@dataclass
class BuildMemory:
    # case folder name -> (folder digest + data digest, CaseRecord or None, its problems, its Narrative)
    cases: dict[str, tuple] = field(default_factory=dict)
    # case id -> (case digest + glossary digest, term -> first paragraph)
    occurrences: dict[str, tuple] = field(default_factory=dict)
    # page uri -> (fingerprint, RenderedPage, link targets, link errors)
    pages: dict[str, tuple] = field(default_factory=dict)
    # page uri -> (fingerprint and theme digest, the page as written, compressed)
    themed: dict[str, tuple[str, bytes]] = field(default_factory=dict)
    hits: dict[str, int] = field(default_factory=lambda: {"cases": 0, "pages": 0, "themed": 0})


def view_digest(case) -> str:
    """What mechanism and comparison pages show of a case: its names, its cited values and its mechanism tags with
    where their passages are. Not its source's metadata and notes, nor its narrative: editing those re-renders the
    case's own pages only (tests/test_memory.py edits them and checks these pages stay the same)."""
    parts: list[str] = [case.id, case.data.city, case.data.city_en or ""]
    for v in case.values:
        parts.append(v.data.model_dump_json())
        if v.citation is not None:
            parts.append(f"{v.anchor} {v.citation.anchor} {v.citation.paragraph}")
    for t in case.tags:
        parts.append(t.data.model_dump_json())
        parts.extend(f"{c.anchor} {c.paragraph}" for c in t.citations)
    return digest(*parts)


def page_inputs(route, library, case_digests: dict[str, str], names: str, renderer) -> list[str]:
    """What a page's HTML depends on, besides the templates and data files: the digests of the cases it shows
    (their data only where it shows no narrative, their view where it shows only values and tags), and the list
    of all cases' names where it lists every case. ``case_digests``: case id -> full digest; case id + "/data" ->
    digest without the narrative; case id + "/view" -> :func:`view_digest`."""
    kind, key = route.kind, route.key
    if kind in ("case", "handout_case"):
        return [case_digests[key]]
    if kind == "source":
        return [case_digests[key + "/data"]]
    if kind in ("mechanism", "handout_mechanism"):
        m = library.mechanisms[key]
        related = set(m.related_indicators)
        ids = [
            c.id
            for c in library.cases
            if any(t.data.mechanism == key for t in c.tags) or any(v.data.indicator in related for v in c.values)
        ]
        return [names] + [case_digests[i + "/view"] for i in ids]
    if kind == "compare":
        ids = [c.id for c in library.cases if any(v.definition.group == key for v in c.values)]
        return [names] + [case_digests[i + "/view"] for i in ids]
    if kind == "edition_volume":
        return [names] + [case_digests[c.id] for c in renderer.volumes[int(key) - 1]]
    return [names] + list(case_digests.values())  # pages about the whole library
