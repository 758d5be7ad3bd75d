"""The seed cases' stricter bar: the five cases the library was founded on, encoded from the source documents in
../shared/seeds/, are held to more than the minimum every case must meet (data/policy.yaml, enforced by `check`).

This is the only place that names cases. A case an editor adds is held to the library's policy, not to this bar;
removing or renaming a seed case is a decision to make here, on purpose.
"""

from __future__ import annotations

import hashlib
from collections import Counter

import pytest

from conftest import ROOT

# seed case id -> the file name prefix of its source document in ../shared/seeds/
SEED_CASES = {
    "karamay": "000_",
    "baicheng": "001_",
    "yanbian": "002_",
    "ordos": "003_",
    "dengzhou": "004_",
}
SEED_MIN_VALUES = 12  # values read from the source (derived values do not count)
SEED_MIN_TAGS = 8
SEEDS = ROOT.parent / "shared" / "seeds"


@pytest.fixture(scope="module")
def seeds(library):
    found = {c.id: c for c in library.cases if c.id in SEED_CASES}
    assert sorted(found) == sorted(SEED_CASES), "a seed case is missing from cases/"
    return found


def test_seed_cases_cite_at_least_twelve_values_and_eight_mechanisms(seeds):
    for case in seeds.values():
        stated = [v for v in case.values if v.data.derived is None]
        assert len(stated) >= SEED_MIN_VALUES, (case.id, len(stated))
        assert len(case.tags) >= SEED_MIN_TAGS, (case.id, len(case.tags))


def test_every_mechanism_a_seed_case_reports_is_compared_across_cities(seeds, library):
    """A mechanism page sets cities' evidence side by side: each mechanism a seed case tags has at least two."""
    counts = Counter(t.data.mechanism for c in library.cases for t in c.tags)
    for case in seeds.values():
        for tag in case.tags:
            assert counts[tag.data.mechanism] >= 2, (case.id, tag.data.mechanism)


@pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/seeds is not beside this checkout")
def test_seed_sources_are_archived_byte_identical(seeds):
    for case_id, prefix in SEED_CASES.items():
        case = seeds[case_id]
        data = (case.folder / case.data.source.file).read_bytes()
        seed = next(SEEDS.glob(prefix + "*.txt"))
        assert hashlib.sha256(seed.read_bytes()).hexdigest() == hashlib.sha256(data).hexdigest(), case_id


def test_seed_sources_keep_their_scripts(seeds):
    """Two seed sources are in Traditional script (Baicheng's, Ordos's): the library must keep handling both."""
    scripts = {case_id: case.data.source.script for case_id, case in seeds.items()}
    assert sorted(k for k, v in scripts.items() if v == "zh-Hant") == ["baicheng", "ordos"]
