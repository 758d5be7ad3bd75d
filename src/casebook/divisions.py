"""China's administrative divisions: the six-digit codes of GB/T 2260 (行政区划代码) and their names.

The table is data/adcodes.csv (provinces, prefecture- and county-level divisions, vendored from the cpca package;
its header comments cite the source) and data/adcodes-supplement.csv (optional: divisions created after that
snapshot, each row with the announcement that created it). Both are plain CSV with ``#`` comment lines, read with
:mod:`csv` because `check` and every build read them: parsing is done once per process for each content of the
two files, and worker processes forked by :func:`casebook.library.load_library` find the parsed table ready.

A code's kind follows from its digits: ``XX0000`` is a province, ``XXYY00`` a prefecture-level division, anything
else a county-level one. :func:`case_division_problems` checks a case's ``adcode`` against its ``city``,
``province`` and ``level``.
"""

from __future__ import annotations

import csv
import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from .problems import Problem
from .shapes import ShapeError, check_line, check_name

if TYPE_CHECKING:
    from .models import Case
    from .reporter import Reporter

ADCODES_FILE = Path("data") / "adcodes.csv"
SUPPLEMENT_FILE = Path("data") / "adcodes-supplement.csv"
MAIN_COLUMNS = ("adcode", "name")
SUPPLEMENT_COLUMNS = ("adcode", "name", "source")

CODE_PATTERN = r"^[1-8][0-9]{5}$"  # the first digit is the region: 1 (North China) to 8 (Hong Kong, Macao)
_CODE = re.compile(CODE_PATTERN)
_PLAIN_NAME = re.compile("[\u4e00-\u9fff·]{1,80}")  # a name of Han characters (and ·) is a valid Name: no check
EXAMPLE = '"650200" (克拉玛依市)'

Kind = Literal["province", "prefecture", "county"]
KIND_WORDS: dict[str, str] = {
    "province": "a provincial-level code (XX0000)",
    "prefecture": "a prefecture-level code (XXYY00)",
    "county": "a county-level code",
}
#: The provincial-level divisions a case of level 直辖市 can be: Beijing, Tianjin, Shanghai, Chongqing.
MUNICIPALITIES = ("11", "12", "31", "50")
#: The kind of code each level of a case (models.Case.level) has.
LEVEL_KINDS: dict[str, Kind] = {
    "直辖市": "province",
    "副省级市": "prefecture",
    "地级市": "prefecture",
    "自治州": "prefecture",
    "地区": "prefecture",
    "盟": "prefecture",
    "县级市": "county",
    "市辖区": "county",
}


def kind_of(code: str) -> Kind:
    """province (XX0000), prefecture (XXYY00) or county, from the code's digits."""
    if code.endswith("0000"):
        return "province"
    if code.endswith("00"):
        return "prefecture"
    return "county"


def levels_for(kind: Kind) -> list[str]:
    """The case levels that have a code of this kind."""
    return [level for level, k in LEVEL_KINDS.items() if k == kind]


def either(words: list[str]) -> str:
    """'a', 'a or b', 'a, b or c'."""
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]


def is_code(text: str) -> bool:
    return bool(_CODE.fullmatch(text))


# -- the field of a case (models.Case.adcode) --------------------------------------------------------------------
def adcode_text(value: object) -> object:
    """Before the type check: a code written without quotes is read by YAML as a number; say so."""
    if isinstance(value, int) and not isinstance(value, bool):
        raise ShapeError(
            f"the number {value} where the code is expected as text",
            f'put the code in quotes: `adcode: "{value}"` (without them YAML reads it as a number)',
        )
    return value


def check_adcode(text: str) -> str:
    if not is_code(text):
        raise ShapeError(
            f"{text!r} is not a division code",
            f"write the division's six-digit code from data/adcodes.csv, in quotes, e.g. {EXAMPLE}",
        )
    return text


# -- the table --------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Division:
    code: str
    name: str
    source: str | None = None  # the announcement, for a row of the supplement; None for the main table
    line: int = 0  # where it is written


class Divisions:
    """The divisions of both files, by code and by name."""

    def __init__(self, rows: Iterable[Division]) -> None:
        self._by_code: dict[str, Division] = {}
        for row in rows:
            self._by_code.setdefault(row.code, row)
        self._by_name: dict[str, list[str]] = {}
        for code in sorted(self._by_code):
            self._by_name.setdefault(self._by_code[code].name, []).append(code)

    def __contains__(self, code: object) -> bool:
        return code in self._by_code

    def __len__(self) -> int:
        return len(self._by_code)

    def get(self, code: str) -> Division | None:
        return self._by_code.get(code)

    def name_of(self, code: str) -> str | None:
        row = self._by_code.get(code)
        return row.name if row is not None else None

    def province_of(self, code: str) -> tuple[str, str] | None:
        """The province's two-digit code and its name (from its XX0000 row); None if the table has no such row."""
        name = self.name_of(code[:2] + "0000")
        return (code[:2], name) if name is not None else None

    @staticmethod
    def kind_of(code: str) -> Kind:
        return kind_of(code)

    def codes_named(self, name: str) -> list[str]:
        """Every code with exactly this name, in code order (several for 朝阳区, 鼓楼区 …)."""
        return list(self._by_name.get(name, ()))

    def of_kind(self, kind: Kind) -> list[Division]:
        """Every division of this kind, in code order."""
        return [self._by_code[c] for c in sorted(self._by_code) if kind_of(c) == kind]

    def describe(self, code: str) -> str:
        """'650200 (新疆维吾尔自治区)': a code and the province it is in."""
        province = self.province_of(code)
        return f"{code} ({province[1]})" if province is not None and kind_of(code) != "province" else code

    def describe_all(self, codes: list[str]) -> str:
        return either([self.describe(c) for c in codes])


_CACHE: dict[tuple[str, str], tuple[Divisions | None, list[Problem]]] = {}


def load_divisions(root: Path, problems: list[Problem]) -> Divisions | None:
    """The table of data/adcodes.csv and data/adcodes-supplement.csv (if there is one), every problem of either
    appended; None if data/adcodes.csv cannot be read. Parsed once per process for each content of the files."""
    from .confine import read_bytes

    main_path, supplement_path = root / ADCODES_FILE, root / SUPPLEMENT_FILE
    if not main_path.exists() and not main_path.is_symlink():
        problems.append(
            Problem(
                main_path,
                1,
                1,
                "data/adcodes.csv is missing: every case's `adcode:` is checked against it",
                "restore it from the main branch (its header says where it comes from)",
            )
        )
        return None
    read: list[Problem] = []
    main = read_bytes(main_path, root, "yaml", read)
    supplement = b""
    if supplement_path.exists() or supplement_path.is_symlink():
        supplement = read_bytes(supplement_path, root, "yaml", read) or b""
    if main is None:
        problems.extend(read)
        return None
    key = (str(root), hashlib.sha256(main + b"\0" + supplement).hexdigest())
    if key not in _CACHE:
        if len(_CACHE) >= 8:
            _CACHE.clear()
        found: list[Problem] = []
        _CACHE[key] = (_parse(main_path, main, supplement_path, supplement, found), found)
    divisions, found = _CACHE[key]
    problems.extend(read + found)
    return divisions


def _rows(path: Path, raw: bytes, columns: tuple[str, ...], problems: list[Problem]):
    """(line number, fields) of each data row of a CSV file with '#' comment lines and a header of ``columns``."""
    from .yamlload import decode

    text = decode(raw, path, problems) if raw else ""
    if text is None:
        return
    header_seen = False
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = next(csv.reader([line])) if '"' in line else line.split(",")
        if not header_seen:
            header_seen = True
            if tuple(f.strip() for f in fields) != columns:
                problems.append(
                    Problem(
                        path,
                        number,
                        1,
                        f"the header is '{line.strip()}', not '{','.join(columns)}'",
                        f"the first line that is not a comment names the columns: {','.join(columns)}",
                    )
                )
                return
            continue
        yield number, fields


def _column(fields: list[str], i: int) -> int:
    """The 1-based column where field ``i`` starts (unquoted fields)."""
    return sum(len(f) + 1 for f in fields[:i]) + 1


def _parse(
    main_path: Path, main: bytes, supplement_path: Path, supplement: bytes, problems: list[Problem]
) -> Divisions:
    rows: dict[str, Division] = {}
    for path, raw, columns in (
        (main_path, main, MAIN_COLUMNS),
        (supplement_path, supplement, SUPPLEMENT_COLUMNS),
    ):
        for number, fields in _rows(path, raw, columns, problems):
            row = _row(path, number, fields, columns, rows, problems)
            if row is not None:
                rows[row.code] = row
    divisions = Divisions(rows.values())
    for row in rows.values():
        if kind_of(row.code) != "province" and divisions.province_of(row.code) is None:
            problems.append(
                Problem(
                    supplement_path if row.source is not None else main_path,
                    row.line,
                    1,
                    f"adcode {row.code} ({row.name}): the table has no province {row.code[:2]}0000",
                    "the first two digits of a code are its province's; check the code",
                )
            )
    return divisions


def _row(
    path: Path,
    number: int,
    fields: list[str],
    columns: tuple[str, ...],
    rows: dict[str, Division],
    problems: list[Problem],
) -> Division | None:
    """One row of either file, checked (None with a problem if it is wrong)."""

    def problem(i: int, message: str, hint: str) -> None:
        problems.append(Problem(path, number, _column(fields, i), message, hint))

    if len(fields) != len(columns):
        problem(
            0,
            f"{len(fields)} field{'s' if len(fields) != 1 else ''} where {len(columns)} are expected "
            f"({','.join(columns)})",
            "write one division per line: " + ",".join(columns) + " (a field with a comma goes in quotes)",
        )
        return None
    code, name = fields[0].strip(), fields[1].strip()
    if not is_code(code):
        problem(
            0,
            f"adcode '{code}' is not a division code",
            "write the division's six-digit code (行政区划代码), e.g. 650200 for 克拉玛依市",
        )
        return None
    try:
        if not _PLAIN_NAME.fullmatch(name):
            check_name(name)
    except ShapeError as exc:
        problem(1, f"name: {exc.message}", exc.hint)
        return None
    source = None
    if columns == SUPPLEMENT_COLUMNS:
        source = fields[2].strip()
        if not source:
            problem(
                2,
                f"adcode {code} ({name}) has no source",
                "name the announcement that created the division: who announced it, when, its title and its address",
            )
            return None
        try:
            check_line(source)
        except ShapeError as exc:
            problem(2, f"source: {exc.message}", exc.hint)
            return None
    known = rows.get(code)
    if known is not None:
        if source is not None and known.source is None:
            problem(
                0,
                f"adcode {code} is already in data/adcodes.csv (line {known.line}, {known.name})",
                "remove this row: the supplement is for divisions the table does not have",
            )
        else:
            problem(0, f"adcode {code} is listed twice (first on line {known.line})", "keep one row")
        return None
    return Division(code, name, source, number)


# -- a case's code ----------------------------------------------------------------------------------------------
def case_division_problems(case: Case, divisions: Divisions, report: Reporter) -> None:
    """The case's ``adcode`` is in the table, the table's name for it is the case's ``city``, its province is the
    case's ``province`` and its kind suits the case's ``level``."""
    code, city = case.adcode, case.city
    named = divisions.codes_named(city)
    if named:
        city_has = f"{city} is {divisions.describe_all(named)} in the table"
        fix = f'set `adcode: "{named[0]}"`' if len(named) == 1 else "set the one you mean"
    else:
        city_has = f"the table has no division named {city}"
        fix = (
            "check the name (as data/adcodes.csv writes it, e.g. 延边朝鲜族自治州) and the code; a division "
            "created after the table's snapshot goes in data/adcodes-supplement.csv, with the announcement that "
            "created it as its source"
        )
    row = divisions.get(code)
    if row is None:
        report.at(
            ("adcode",), f"adcode {code} is not in data/adcodes.csv (nor in its supplement)", f"{city_has}: {fix}"
        )
        return
    if row.name != city:
        where = divisions.describe(code)
        if named:
            hint = f"{city_has}: {fix}"
        else:
            hint = f"{city_has}: write `city: {row.name}` if that is the division, or give the code of {city}"
        report.at(("adcode",), f"adcode {code} is {row.name}{where[len(code) :]}, not {city}", hint)
        return
    province = divisions.province_of(code)
    if province is not None and province[1] != case.province:
        report.at(
            ("province",),
            f"province {case.province} does not match adcode {code}: {row.name} is in {province[1]}",
            f"set `province: {province[1]}` (the name as data/adcodes.csv writes it), or correct the code",
        )
    kind, needed = kind_of(code), LEVEL_KINDS.get(case.level)
    if needed is None:
        return
    if kind != needed:
        if kind == "province" and code[:2] not in MUNICIPALITIES:
            hint = "a case is a city, prefecture or district, not a province: give the code of the city"
        else:
            hint = f"set `level:` to {either(levels_for(kind))}, or correct the code"
        report.at(
            ("level",),
            f"level {case.level} needs {KIND_WORDS[needed]}; adcode {code} ({row.name}) is {KIND_WORDS[kind]}",
            hint,
        )
    elif case.level == "直辖市" and code[:2] not in MUNICIPALITIES:
        codes = ", ".join(m + "0000" for m in MUNICIPALITIES)
        report.at(
            ("level",),
            f"level 直辖市 is for 北京市, 天津市, 上海市 and 重庆市 ({codes}); {row.name} ({code}) is not one of them",
            "correct the level or the code",
        )


# -- a city's code, for the editors' tools (`casebook new`, `casebook migrate`) ----------------------------------
@dataclass(frozen=True)
class CityLookup:
    """What the table says about a city's name: every code of that name, and the province when they share one."""

    city: str
    codes: tuple[str, ...]
    province: tuple[str, str] | None  # (two-digit code, name), when every code of the name is in that province

    @property
    def adcode(self) -> str | None:
        """The code, when exactly one division has this name."""
        return self.codes[0] if len(self.codes) == 1 else None

    def advice(self, divisions: Divisions) -> str:
        """One line for the editor: what was filled in, or why not and what to do."""
        if self.adcode is not None:
            province = f" ({self.province[1]})" if self.province and kind_of(self.adcode) != "province" else ""
            return f"{self.city} is {self.adcode}{province} in data/adcodes.csv"
        if self.codes:
            return (
                f"data/adcodes.csv has {len(self.codes)} divisions named {self.city}: "
                f"{divisions.describe_all(list(self.codes))}; write the one you mean as `adcode:`"
            )
        return (
            f"data/adcodes.csv has no division named {self.city}: write the name as the table does (e.g. "
            "延边朝鲜族自治州, not 延边州); a division created after the table's snapshot goes in "
            "data/adcodes-supplement.csv, with the announcement that created it as its source"
        )


def look_up_city(divisions: Divisions, city: str) -> CityLookup:
    codes = tuple(divisions.codes_named(city))
    provinces = {divisions.province_of(c) for c in codes}
    province = provinces.pop() if len(provinces) == 1 else None
    return CityLookup(city, codes, province)
