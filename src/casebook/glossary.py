"""The glossary: pinyin, dictionary order, where each term occurs, and one-pass term matching.

**Pinyin** comes from pypinyin (phrase-aware, tone marks). Where it is wrong
for a term (长效机制 is read zhǎng by pypinyin 0.55; it is cháng), the
glossary entry carries an override, and a test holds the known readings.

**Order** follows 《现代汉语词典》: compare the first characters' pinyin letters
(ü sorts right after u), then their tones (1, 2, 3, 4, neutral), then their
stroke counts (from the ``strokes`` package, a table of 93,000 characters),
then the second characters the same way, and so on; a term that is a prefix of
another comes first. Quotation marks around programme names (“红细胞”工程) are
ignored for ordering. Terms that begin with a digit (“1+9”系列文件, 10分钟服务圈)
come first, in a section 0–9, ordered by the number they begin with; a term
that begins with a Latin letter (APP) sorts by its letters as if they were
pinyin letters, before Han terms with the same letters.

**Matching** compiles every term (in Simplified and Traditional form) into
one Aho–Corasick automaton (ahocorasick-rs), so a page is scanned once for all terms and the
longest term wins at each position (三长一员一民警 over 民警).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache, cached_property, lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .models import GlossaryTerm

_TONE_MARKS = {"\u0304": 1, "\u0301": 2, "\u030c": 3, "\u0300": 4}
_LETTERS = "abcdefghijklmnopqrstuvwxyz"
_QUOTES = "“”‘’\"'「」『』《》〈〉"
_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def is_han(ch: str) -> bool:
    return bool(_HAN.match(ch))


@cache
def _strokes_table() -> dict:
    import json
    from importlib import util
    from pathlib import Path

    spec = util.find_spec("strokes")
    if spec is None or spec.origin is None:
        raise ImportError("the `strokes` package is not installed (it is a dependency in pyproject.toml)")
    data = Path(spec.origin).parent.parent / "data" / "strokeCount.json"
    return json.loads(data.read_text(encoding="utf-8"))


def stroke_count(ch: str) -> int:
    """Total strokes of a Han character (0 if unknown)."""
    return int(_strokes_table().get(ch, 0))


def pypinyin_reading(term: str) -> list[str]:
    """pypinyin's tone-marked syllables for the Han characters of ``term``."""
    from pypinyin import Style, pinyin

    han = "".join(ch for ch in term if is_han(ch))
    return [s[0] for s in pinyin(han, style=Style.TONE, heteronym=False, errors="ignore")]


def split_syllable(syllable: str) -> tuple[str, int]:
    """'zhǎng' -> ('zhang', 3); 'lǜ' -> ('lü', 4); neutral tone -> 5."""
    tone = 5
    letters: list[str] = []
    for ch in unicodedata.normalize("NFD", syllable.lower()):
        if ch in _TONE_MARKS:
            tone = _TONE_MARKS[ch]
        elif ch == "\u0308":  # combining diaeresis: u -> ü
            letters[-1] = "ü"
        else:
            letters.append(ch)
    return "".join(letters), tone


def _letter_key(letters: str) -> tuple:
    out = []
    for ch in letters:
        if ch == "ü":
            out.append(_LETTERS.index("u") + 0.5)
        elif ch in _LETTERS:
            out.append(_LETTERS.index(ch))
        else:
            out.append(-1)
    return tuple(out)


def sort_text(term: str) -> str:
    """The term as it is ordered: quotation marks removed."""
    return "".join(ch for ch in term if ch not in _QUOTES)


def sort_key(term: str, syllables: list[str], strokes: dict[str, int] | None = None) -> tuple:
    """Dictionary-order key of ``term`` given the syllables of its Han characters.

    ``strokes``: stroke counts of its characters where already known (see :func:`stroke_counts`)."""
    text = sort_text(term)
    m = re.match(r"\d+", text)
    if m:
        return (0, int(m.group()), _chars_key(text[m.end() :], syllables, strokes or {}))
    return (1, 0, _chars_key(text, syllables, strokes or {}))


def stroke_counts(terms: list[str]) -> dict[str, int]:
    """Stroke counts of every Han character in ``terms``, from the on-disk cache where it has them."""
    from .cache import library_version, memo

    chars = sorted({ch for t in terms for ch in t if is_han(ch)})
    return memo("strokes", library_version("strokes"), chars, stroke_count)


def _chars_key(text: str, syllables: list[str], strokes: dict[str, int]) -> tuple:
    keys = []
    it = iter(syllables)
    for ch in text:
        if is_han(ch):
            letters, tone = split_syllable(next(it, ""))
            n = strokes[ch] if ch in strokes else stroke_count(ch)
            keys.append((_letter_key(letters), tone, n, ord(ch)))
        elif ch.lower() in _LETTERS:
            keys.append(((_LETTERS.index(ch.lower()),), 0, 0, ord(ch)))
        elif ch.isdigit():
            keys.append(((-2, int(ch)), 0, 0, ord(ch)))
        # other punctuation (+, ·) does not take part in ordering
    return tuple(keys)


def section_of(term: str, syllables: list[str]) -> str:
    """The jump-bar section: '0–9' or the initial letter (A–Z)."""
    text = sort_text(term)
    if text[:1].isdigit():
        return "0–9"
    first = text[:1]
    if is_han(first):
        return split_syllable(syllables[0])[0][:1].upper() if syllables else "#"
    return first.upper() if first.lower() in _LETTERS else "#"


@dataclass
class Occurrence:
    case_id: str
    paragraph: int | None  # first ¶ where it occurs in the source, or None (narrative only)


@dataclass
class Entry:
    """A glossary term with everything computed about it."""

    data: GlossaryTerm
    syllables: list[str]
    anchor: str
    key: tuple
    section: str
    occurrences: list[Occurrence] = field(default_factory=list)

    @property
    def term(self) -> str:
        return self.data.term

    @property
    def pinyin(self) -> str:
        """Pinyin of the whole term: syllables for Han characters, digits and letters kept as written."""
        tokens, it, run = [], iter(self.syllables), ""
        for ch in sort_text(self.data.term):
            if is_han(ch):
                if run:
                    tokens.append(run)
                    run = ""
                tokens.append(next(it, ""))
            elif ch.isalnum() or ch in "+-.":
                run += ch
        if run:
            tokens.append(run)
        return " ".join(t for t in tokens if t)

    @property
    def short(self) -> str:
        """First sentence of the definition, for tooltips."""
        first = re.split(r"(?<=[。；;])", self.data.definition.strip(), maxsplit=1)[0]
        return first.rstrip("。；;")


def anchor_for(term: str) -> str:
    """Stable, readable anchor for a term: 'g-' + the term without punctuation."""
    core = "".join(ch for ch in term if is_han(ch) or ch.isalnum())
    return "g-" + core


class Matcher:
    """All glossary terms (both scripts) in one Aho–Corasick automaton (ahocorasick-rs)."""

    def __init__(self, forms: dict[str, str]):
        """``forms``: written form -> term it stands for."""
        self.patterns = sorted(f for f in forms if f)
        self.terms = [forms[f] for f in self.patterns]

    # Each automaton is built when first used: annotation needs only the first, occurrence counts the second.
    @cached_property
    def longest(self):
        """Leftmost-longest matching; a DFA: larger than the default automaton, but a glossary is small and
        pages are searched often."""
        from ahocorasick_rs import AhoCorasick, Implementation, MatchKind

        return (
            AhoCorasick(self.patterns, matchkind=MatchKind.LeftmostLongest, implementation=Implementation.DFA)
            if self.patterns
            else None
        )

    @cached_property
    def standard(self):
        """Every match, overlapping ones included."""
        from ahocorasick_rs import AhoCorasick

        return AhoCorasick(self.patterns) if self.patterns else None

    def find(self, text: str) -> list[tuple[int, int, str]]:
        """Non-overlapping matches, the longest term winning: [(start, end, term)] in order."""
        if self.longest is None or not text:
            return []
        return [(a, b, self.terms[i]) for i, a, b in self.longest.find_matches_as_indexes(text)]

    def find_all(self, text: str) -> list[tuple[int, int, str]]:
        """Every match, overlapping ones included (a term inside a longer term counts)."""
        if self.standard is None or not text:
            return []
        return [(a, b, self.terms[i]) for i, a, b in self.standard.find_matches_as_indexes(text, overlapping=True)]


def written_forms(term: str, aliases: list[str]) -> set[str]:
    """How a term may be written in the sources: as given, without quotes, and in Traditional."""
    return written_forms_of([(term, aliases)])[0]


def written_forms_of(items: list[tuple[str, list[str]]]) -> list[set[str]]:
    """:func:`written_forms` of many (term, aliases) at once; OpenCC's answers come from the on-disk cache
    where it has them, so a build need not load OpenCC's Simplified→Traditional dictionaries."""
    from .cache import library_version, memo

    plain = [{f for form in [term, *aliases] for f in (form, sort_text(form))} for term, aliases in items]
    strings = sorted(set().union(*plain)) if plain else []
    traditional = memo("opencc-s2t", library_version("opencc"), strings, lambda f: _s2t().convert(f))
    return [{f for f in forms | {traditional[f] for f in forms} if f} for forms in plain]


@lru_cache(maxsize=1)
def _s2t():
    import opencc

    return opencc.OpenCC("s2t")
