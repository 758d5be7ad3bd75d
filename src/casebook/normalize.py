"""Text normalisation used to match quotes against archived sources.

The rule, applied identically to a source and to every quote cited from it:

1. Pinyin-annotation artifacts are removed: a Han character followed by a
   parenthesised lower-case pinyin syllable, e.g. ``內(nèi)`` -> ``內``.
   Genuine parentheses such as ``三省(區)`` are kept, because their content is
   not a pinyin syllable.
2. Full-width ASCII forms (U+FF01..U+FF5E), the ideographic space, and the
   small-form variants (U+FE50..U+FE6B, e.g. ``﹔``) are folded to their
   half-width forms, so ``，`` matches ``,``.
3. Traditional characters are converted to Simplified with OpenCC (``t2s``).
4. All whitespace (spaces, tabs, line breaks, zero-width spaces) is removed, so
   a quote may run across line breaks and the page-break splices of a source.

``normalize_with_map`` also returns, for each character of the normalised text,
the offset of the character in the original text it came from, so that a match
in normalised text can be highlighted in the original.
"""

from __future__ import annotations

import re
import unicodedata
from array import array
from functools import lru_cache

# A pinyin syllable: lower-case latin letters with at least one vowel, tone
# marks allowed (ü, ā á ǎ à …). Kept deliberately narrow: only what follows a
# Han character directly counts as an artifact.
_PINYIN_VOWELS = "aeiouüāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ"
_PINYIN = rf"[a-zü{_PINYIN_VOWELS[6:]}]*[{_PINYIN_VOWELS}][a-zü{_PINYIN_VOWELS[6:]}]*"
PINYIN_ARTIFACT = re.compile(rf"(?<=[\u3400-\u9fff\uf900-\ufaff])\(({_PINYIN})\)")

_WHITESPACE = set(
    " \t\r\n\f\v\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006"
    "\u2007\u2008\u2009\u200a\u200b\u2028\u2029\u202f\u205f\u3000\ufeff"
)


@lru_cache(maxsize=1)
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


def fold_width(ch: str) -> str:
    """Fold one full-width or small-form character to its ordinary form."""
    code = ord(ch)
    if 0xFF01 <= code <= 0xFF5E:
        return chr(code - 0xFEE0)
    if code == 0x3000:
        return " "
    if 0xFE50 <= code <= 0xFE6B:
        folded = unicodedata.normalize("NFKC", ch)
        return folded if len(folded) == 1 else ch
    return ch


def to_simplified(text: str) -> str:
    """Traditional -> Simplified, guaranteed to keep the length of ``text``.

    OpenCC's t2s is length-preserving for the texts we have; should a phrase
    conversion ever change the length, we fall back to converting character by
    character so that offsets stay aligned.
    """
    if not text:
        return text
    converted = _t2s().convert(text)
    if len(converted) == len(text):
        return converted
    out = []
    for ch in text:
        c = _t2s().convert(ch)
        out.append(c if len(c) == 1 else ch)
    return "".join(out)


def remove_artifacts(text: str) -> str:
    """Remove pinyin-annotation artifacts only (used for display)."""
    return PINYIN_ARTIFACT.sub("", text)


def _table() -> dict[int, int | None]:
    table: dict[int, int | None] = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
    for code in range(0xFE50, 0xFE6C):
        folded = unicodedata.normalize("NFKC", chr(code))
        if len(folded) == 1:
            table[code] = ord(folded)
    for ch in _WHITESPACE:
        table[ord(ch)] = None
    return table


_TRANSLATE = _table()
_NON_WHITESPACE = re.compile("[^" + "".join(sorted(_WHITESPACE)) + "]+")


def normalize_with_map(text: str) -> tuple[str, array[int]]:
    """Normalise ``text``; return it with a map from each output char to its input offset.

    Linear in the text, with the per-character work done by ``str.translate`` and one comprehension.
    """
    pieces = []
    pos = 0
    for m in PINYIN_ARTIFACT.finditer(text):
        pieces.append((pos, text[pos : m.start()]))
        pos = m.end()
    pieces.append((pos, text[pos:]))
    out: list[str] = []
    offsets = array("I")  # 4 bytes an offset (a list of ints took about 36)
    for base, seg in pieces:
        for m in _NON_WHITESPACE.finditer(seg):
            offsets.extend(range(base + m.start(), base + m.end()))
        out.append(seg.translate(_TRANSLATE))
    return to_simplified("".join(out)), offsets


def normalize(text: str) -> str:
    """Normalise ``text`` for matching (see the module docstring); no offset map, so cheaper."""
    return to_simplified(PINYIN_ARTIFACT.sub("", text).translate(_TRANSLATE))


def count_occurrences(needle: str, haystack: str) -> int:
    """Count possibly overlapping occurrences of ``needle`` in ``haystack``."""
    if not needle:
        return 0
    count, start = 0, 0
    while True:
        i = haystack.find(needle, start)
        if i < 0:
            return count
        count += 1
        start = i + 1


def normalize_many(texts: list[str]) -> list[str]:
    """``normalize`` for many short texts at once (one OpenCC call); NUL separates them."""
    if not texts:
        return []
    joined = "\x00".join(t.replace("\x00", "") for t in texts)
    out = normalize(joined).split("\x00")
    return out if len(out) == len(texts) else [normalize(t) for t in texts]
