"""What a loaded library is made of: cases with their resolved values and mechanism tags.

Loading (:mod:`casebook.library`) makes these; rendering, comparison and downloads read them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .citations import Citation
from .models import Case, Group, IndicatorDef, IndicatorValue, MechanismDef, MechanismTag, Province
from .narrative import Narrative
from .sources import SourceText

if TYPE_CHECKING:
    from .glossary import Entry


@dataclass
class ValueRecord:
    """One cited value of a case, resolved."""

    index: int  # position in case.yaml's indicators list
    anchor: str  # id of its row on the case page
    data: IndicatorValue
    definition: IndicatorDef
    citation: Citation | None  # None for derived values
    inputs: list[ValueRecord] = field(default_factory=list)  # derived values' cited inputs


@dataclass
class TagRecord:
    """One mechanism a case reports, with its verified quotes."""

    index: int
    anchor: str  # id of the city's section on the mechanism page
    data: MechanismTag
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
    groups: list[Group]
    indicators: dict[str, IndicatorDef]
    cases: list[CaseRecord]
    mechanisms: dict[str, MechanismDef] = field(default_factory=dict)
    mechanism_groups: list[Group] = field(default_factory=list)
    glossary: list[Entry] = field(default_factory=list)  # in dictionary order
    # cases that loaded and the values they cite, counted even where the cases were not kept (`check`)
    n_cases: int = 0
    n_values: int = 0
    site_url: str = ""  # data/site.yaml's address, ending in '/'; "" for site-relative links
    provinces: list[Province] = field(default_factory=list)  # data/provinces.yaml, by code

    def case(self, case_id: str) -> CaseRecord:
        return next(c for c in self.cases if c.id == case_id)
