"""The allowed shapes of text in the library's data files: allowlists, checked when a file is loaded.

Every YAML string that reaches a page has one of these shapes. A value with a character outside its
shape is a problem at its line and column that names the characters; nothing is stripped or guessed.

* **Name** (city, province, mechanism and indicator names, glossary terms, local names): Han characters,
  Latin letters (with diacritics, for pinyin), digits, spaces, ``·`` and a short list of punctuation.
* **Line** (source title, author, outlet, scope, period, English glosses): one line of letters, digits,
  spaces, punctuation and a few symbols (% ‰ ° × ～ …). No ``<``, ``>``, ``|``, backtick, ``$`` or ``^``.
* **Text** (notes, definitions, summaries, reasons): any printable characters and line breaks. Text is
  never Markdown: it is shown literally, escaped, wherever it appears.
* **Quote**: printable characters; a quote must also occur verbatim in its source.
* **Pinyin**: Hanyu Pinyin syllables with tone marks, each one a reading pypinyin's dictionary knows.
* **File name**: a plain file name in the case's own folder (``source.txt``): no path, no ``..``.

Control and format characters (including bidirectional overrides) are refused in every shape.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from functools import lru_cache
from typing import Annotated

from pydantic import AfterValidator, Field

# Lengths beyond these are mistakes (a pasted paragraph in a name field), not data.
NAME_MAX = 80
LINE_MAX = 300
TEXT_MAX = 4000
QUOTE_MAX = 1000

_HAN = (
    r"\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
    r"\U00020000-\U0002a6df\U0002a700-\U0002ebef\U00030000-\U0003134f"
)
_LATIN = r"A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff"
_DIGITS = r"0-9"
# punctuation a name may contain (as in 街乡吹哨、部门报到, “红色物业”, Sub-districts (jiedao), 三长一员一民警)
NAME_PUNCTUATION = "·・-‐–—'’‘“”、，,（）()+/．.；;《》"


def _class_escape(chars: str) -> str:
    """Characters for a [...] class, escaped the same way for Python's re and JavaScript (JSON Schema)."""
    return "".join("\\" + ch if ch in "\\]-[^" else ch for ch in chars)


_NAME_CHARS = _HAN + _LATIN + _DIGITS + " " + _class_escape(NAME_PUNCTUATION)
_NAME = re.compile(f"[{_NAME_CHARS}]*")

# symbols allowed in a line of text besides letters, digits, marks and punctuation
LINE_SYMBOLS = "%‰°℃×÷+=~～±²³·•…→"
_FORBIDDEN_PUNCTUATION = set("<>`|$^\\")  # never part of a line: markup and template characters

FILE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}\.txt$")
FIRST_YEAR = 1949  # the People's Republic: the earliest year a value of this library can refer to


class ShapeError(ValueError):
    """A value outside its shape: what is wrong (``message``) and how to fix it (``hint``)."""

    def __init__(self, message: str, hint: str):
        super().__init__(message)
        self.message, self.hint = message, hint


def last_year() -> int:
    """Values may refer to next year at the latest (a plan for next year)."""
    return datetime.date.today().year + 1


def _show(chars) -> str:
    """Characters for a message: printable ones quoted, others by code point."""
    out = []
    for ch in sorted(set(chars), key=ord):
        if ch.isprintable() and not ch.isspace():
            out.append(f"'{ch}'")
        else:
            out.append(f"U+{ord(ch):04X} ({unicodedata.name(ch, 'control character').lower()})")
    return ", ".join(out)


def _printable(ch: str, newlines: bool) -> bool:
    if ch == "\n":
        return newlines
    cat = unicodedata.category(ch)
    return not (cat.startswith("C") or cat in ("Zl", "Zp"))


def _in_line(ch: str) -> bool:
    if ch in _FORBIDDEN_PUNCTUATION:
        return False
    cat = unicodedata.category(ch)
    return ch in LINE_SYMBOLS or cat == "Zs" or cat[0] in "LMNP"


def bad_name_chars(text: str) -> list[str]:
    return [ch for ch in text if not _NAME.fullmatch(ch)]


def bad_line_chars(text: str) -> list[str]:
    return [ch for ch in text if not _in_line(ch)]


def bad_text_chars(text: str, newlines: bool = True) -> list[str]:
    # str.isprintable is false for any control, format, private, unassigned or separator character, spaces
    # other than ' ' included: when it is true nothing is wrong, and nothing needs looking at one by one
    if all(part.isprintable() for part in (text.split("\n") if newlines else [text])):
        return []
    return [ch for ch in text if not _printable(ch, newlines)]


def _length(text: str, limit: int) -> None:
    if len(text) > limit:
        raise ShapeError(f"is {len(text)} characters long, more than {limit}", "shorten it")


def check_name(text: str) -> str:
    _length(text, NAME_MAX)
    if not text.strip():
        raise ShapeError("is empty", "write the name")
    bad = bad_name_chars(text)
    if bad:
        raise ShapeError(
            f"contains characters a name may not contain: {_show(bad)}",
            f"a name may contain Chinese and Latin letters, digits, spaces and {' '.join(NAME_PUNCTUATION)}",
        )
    if text != text.strip():
        raise ShapeError("starts or ends with a space", "remove it")
    return text


def check_line(text: str) -> str:
    _length(text, LINE_MAX)
    bad = bad_line_chars(text)
    if bad:
        raise ShapeError(
            f"contains characters that are not allowed here: {_show(bad)}",
            f"write one line of letters, digits, punctuation and {' '.join(LINE_SYMBOLS)} (no markup)",
        )
    return text


def check_text(text: str) -> str:
    _length(text, TEXT_MAX)
    bad = bad_text_chars(text)
    if bad:
        raise ShapeError(
            f"contains control or invisible formatting characters: {_show(bad)}",
            "delete them (they are often pasted along from web pages or word processors)",
        )
    return text


def check_quote(text: str) -> str:
    _length(text, QUOTE_MAX)
    bad = bad_text_chars(text, newlines=False)
    if bad:
        raise ShapeError(
            f"contains control or invisible formatting characters: {_show(bad)}", "copy the passage again as plain text"
        )
    return text


@lru_cache(maxsize=1)
def pinyin_syllables() -> frozenset[str]:
    """Every tone-marked reading in pypinyin's dictionaries (plus the neutral-tone forms)."""
    from pypinyin import pinyin_dict

    out: set[str] = set()
    for readings in pinyin_dict.pinyin_dict.values():
        out.update(r for r in readings.split(",") if r)
    return frozenset(out)


def check_pinyin(text: str) -> str:
    _length(text, LINE_MAX)
    syllables = text.split(" ")
    if not text or any(not s for s in syllables):
        raise ShapeError("is not syllables separated by single spaces", "write e.g. 'yī jiān tiāo'")
    known = pinyin_syllables()
    unknown = [s for s in syllables if s not in known]
    if unknown:
        raise ShapeError(
            f"{', '.join(repr(s) for s in unknown)}: not a Hanyu Pinyin syllable",
            "write each syllable in lower case with its tone mark, e.g. 'yī jiān tiāo' (ü as ü, not v)",
        )
    return text


def check_file_name(text: str) -> str:
    if not FILE_NAME.fullmatch(text):
        raise ShapeError(
            f"{text!r} is not a plain file name in the case folder",
            "name the archived text like source.txt (letters, digits, '-' or '_', ending in .txt; no folders, no '..')",
        )
    return text


_UNIT = re.compile(f"[{_HAN}A-Za-z%‰²³/]{{1,8}}")


def check_unit(text: str) -> str:
    if not _UNIT.fullmatch(text):
        raise ShapeError(
            f"{text!r} is not a unit",
            "write the measure word or unit as the text does, e.g. 个, 名, 万元, 平方米 or %, without the number",
        )
    return text


def check_year(year: int) -> int:
    if not FIRST_YEAR <= year <= last_year():
        raise ShapeError(
            f"{year} is not a plausible year", f"give a year from {FIRST_YEAR} to {last_year()}, as the text states it"
        )
    return year


_NAME_PATTERN = f"^[{_NAME_CHARS}]+$".replace(
    "\\U00020000-\\U0002a6df\\U0002a700-\\U0002ebef\\U00030000-\\U0003134f", ""
)

Name = Annotated[
    str, AfterValidator(check_name), Field(json_schema_extra={"pattern": _NAME_PATTERN, "maxLength": NAME_MAX})
]
Line = Annotated[
    str,
    AfterValidator(check_line),
    Field(json_schema_extra={"pattern": r"^[^<>`|$^\\\n\r\t]*$", "maxLength": LINE_MAX}),
]
Text = Annotated[str, AfterValidator(check_text), Field(json_schema_extra={"maxLength": TEXT_MAX})]
Quote = Annotated[str, AfterValidator(check_quote), Field(json_schema_extra={"maxLength": QUOTE_MAX})]
Pinyin = Annotated[
    str, AfterValidator(check_pinyin), Field(json_schema_extra={"pattern": r"^[a-zāáǎàēéěèīíǐìōóǒòūúǔùüǖǘǚǜêńňǹḿm̀ ]+$"})
]
FileName = Annotated[str, AfterValidator(check_file_name), Field(json_schema_extra={"pattern": FILE_NAME.pattern})]
Unit = Annotated[str, AfterValidator(check_unit), Field(json_schema_extra={"maxLength": 8})]
Year = Annotated[int, AfterValidator(check_year), Field(json_schema_extra={"minimum": FIRST_YEAR})]
