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


def test_scripts_are_recorded_and_match_the_text(library):
    """Each source's script is what its text is written in: a Traditional text has characters OpenCC changes."""
    from casebook.normalize import to_simplified

    for case in library.cases:
        body = case.source.raw
        changed = sum(1 for a, b in zip(body, to_simplified(body)) if a != b)
        expected = "zh-Hant" if changed > len(body) // 100 else "zh-Hans"
        assert case.data.source.script == expected, (case.id, changed)
