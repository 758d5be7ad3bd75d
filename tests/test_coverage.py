"""What the library as a whole must offer: shared indicators and honest metadata. The minimum every case must meet
is data/policy.yaml (enforced by `check`, tests/test_policy.py); the seed cases' stricter bar is tests/test_seed_bar.py."""

from collections import Counter


def test_indicator_catalogue_is_used_and_shared(library):
    used = Counter()
    for case in library.cases:
        for key in {v.data.indicator for v in case.values}:
            used[key] += 1
    assert len(used) >= 25
    shared = [k for k, n in used.items() if n >= 2]
    assert len(shared) >= 15, sorted(shared)


def test_metadata_is_only_what_the_text_states(library):
    for case in library.cases:
        s = case.data.source
        for name in ("title", "author", "outlet"):
            value = getattr(s, name)
            if value:
                assert case.source.mentions(value) >= 1, (case.id, name)
        if None in (s.title, s.author, s.outlet, s.published):
            assert s.notes, case.id


def test_scripts_are_recorded(library):
    scripts = {c.id: c.data.source.script for c in library.cases}
    assert scripts["baicheng"] == "zh-Hant" and scripts["ordos"] == "zh-Hant"
    assert scripts["karamay"] == scripts["yanbian"] == scripts["dengzhou"] == "zh-Hans"
