"""Read the numbers a (normalised) Chinese passage states, with their qualifiers.

``read_numbers("推动2600余家驻区单位、3.7万名在职党员")`` gives two mentions:
2600 (more_than) and 37000 (exact). The reader understands

* Arabic numbers with decimals: ``98.9%``, ``886.9亿元``, ``3.7万名``;
* multipliers 万 (10^4) and 亿 (10^8), and 成 (tenths, read as a percentage);
* Chinese numerals before a measure word, 成, 余 or 多: ``近七成``, ``千余名``,
  ``万余户``, ``连续五次``;
* qualifiers: 余 / 多 after the number or 超过 / 逾 before it -> ``more_than``
  (strictly more); 近 / 约 / 大约 before it -> ``about``; 以上 after it (a unit
  may stand between) or 不少于 before it -> ``at_least`` (the number itself
  included); 不足 / 不到 before it -> ``less_than``; 以下 after it ->
  ``at_most``; 预计 / 计划 / 目标 before it in the same clause -> ``projected``
  (an estimate or plan, not a reported fact; it wins over any other qualifier);
  no qualifier -> ``exact``;
* vague quantities state no value and are not read: 数十, 数百, 几十, 数万
  (近千 is a number: about 1000).

Input is expected to be normalised (see :mod:`casebook.normalize`): half-width,
Simplified, no whitespace.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

QUALIFIERS = ("exact", "more_than", "about", "at_least", "less_than", "at_most", "projected")

QUALIFIER_LABELS = {
    "exact": "",
    "more_than": "余/多/超过/逾",
    "about": "近/约",
    "at_least": "以上/不少于",
    "less_than": "不足/不到",
    "at_most": "以下",
    "projected": "预计/计划/目标",
}

_CN_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}
_CN_BIG = {"万": 10_000, "亿": 100_000_000}
_MEASURE = "个名人次项支家户条件处年届级位所座栋元间套岗亩米平天月周批期"

_ARABIC = re.compile(r"(?<![\d.])(\d+(?:\.\d+)?)([余多](?=[万亿]))?(万|亿)?([余多])?(%)?")
_CHINESE = re.compile(
    r"([零〇一二两三四五六七八九十百千万亿]+)(成|[余多](?=[" + _MEASURE + r"])|[余多]?(?=[" + _MEASURE + r"]))"
)
# A Chinese numeral right after a qualifier needs no measure word: 不足百万, 近千.
_CHINESE_QUALIFIED = re.compile(r"(?:不足|不到|超过|不少于|近|约|逾)([零〇一二两三四五六七八九十百千万亿]+)")
_BEFORE = (
    ("不少于", "at_least"),
    ("超过", "more_than"),
    ("大约", "about"),
    ("约", "about"),
    ("近", "about"),
    ("逾", "more_than"),
    ("不足", "less_than"),
    ("不到", "less_than"),
)
# 预计 / 计划 / 目标 earlier in the number's clause (no punctuation and no other number between)
_PROJECTION = re.compile(r"(预计|计划|目标)[^\d,.;:!?、。，；：！？“”\"()（）]{0,12}$")
# 数十, 几百, 数万: a vague quantity, not a number
_VAGUE = "数几"
_AFTER = re.compile(r"^[^\d,.;:、。!?“”\"()]{0,3}?(以上|以下)")


@dataclass(frozen=True)
class Mention:
    """One number stated in a passage."""

    value: Decimal
    qualifier: str
    percent: bool
    start: int
    end: int
    text: str
    word: str = ""  # the qualifier as the passage writes it: 余, 超过, 预计, 以上 ("" for exact)


def chinese_to_int(s: str) -> int | None:
    """Parse a Chinese numeral such as 七, 十八, 一百二十, 三千, 万 (=10,000)."""
    if not s:
        return None
    total, section, number = 0, 0, None
    for ch in s:
        if ch in _CN_DIGITS:
            number = _CN_DIGITS[ch]
        elif ch in _CN_UNITS:
            section += (1 if number is None else number) * _CN_UNITS[ch]
            number = None
        elif ch in _CN_BIG:
            section += number or 0
            total += (section or 1) * _CN_BIG[ch]
            section, number = 0, None
        else:
            return None
    return total + section + (number or 0)


def _qualifier_before(text: str, start: int) -> tuple[str, str] | None:
    head = text[max(0, start - 3) : start]
    for word, qualifier in _BEFORE:
        if head.endswith(word):
            return qualifier, word
    return None


def _qualifier_after(text: str, end: int) -> tuple[str, str] | None:
    m = _AFTER.match(text[end : end + 6])
    if not m:
        return None
    return ("at_least" if m.group(1) == "以上" else "at_most"), m.group(1)


def _qualify(text: str, start: int, end: int, suffix: str | None) -> tuple[str, str]:
    """(qualifier, the word that makes it) for the number at ``text[start:end]``."""
    projection = _PROJECTION.search(text[max(0, start - 16) : start])
    if projection:
        return "projected", projection.group(1)
    before = _qualifier_before(text, start)
    if before:
        return before
    if suffix in ("余", "多"):
        return "more_than", suffix
    return _qualifier_after(text, end) or ("exact", "")


def _vague(text: str, start: int) -> bool:
    return start > 0 and text[start - 1] in _VAGUE


def read_numbers(text: str) -> list[Mention]:
    """Every number ``text`` states, in order of appearance."""
    mentions: list[Mention] = []
    taken: list[tuple[int, int]] = []
    for m in _ARABIC.finditer(text):
        value = Decimal(m.group(1))
        if m.group(3):  # 万 / 亿, also after 余: 240余万元 = more than 2,400,000
            value *= _CN_BIG[m.group(3)]
        percent = bool(m.group(5))
        qualifier, word = _qualify(text, m.start(), m.end(), m.group(2)[:1] if m.group(2) else m.group(4))
        mentions.append(Mention(value.normalize(), qualifier, percent, m.start(), m.end(), m.group(0), word))
        taken.append((m.start(), m.end()))
    for m in _CHINESE_QUALIFIED.finditer(text):
        if any(a <= m.start(1) < b for a, b in taken):
            continue
        number = chinese_to_int(m.group(1))
        if number is None or number < 10 or _vague(text, m.start(1)):
            continue
        qualifier, word = _qualify(text, m.start(1), m.end(1), None)
        mentions.append(Mention(Decimal(number).normalize(), qualifier, False, m.start(1), m.end(1), m.group(1), word))
        taken.append((m.start(1), m.end(1)))
    for m in _CHINESE.finditer(text):
        if any(a <= m.start() < b for a, b in taken):
            continue
        number = chinese_to_int(m.group(1))
        if number is None or _vague(text, m.start()):
            continue
        tail = m.group(2)
        percent = tail == "成"
        value = Decimal(number * 10 if percent else number)
        qualifier, word = _qualify(text, m.start(), m.end(), tail[:1] if tail else None)
        mentions.append(Mention(value.normalize(), qualifier, percent, m.start(), m.end(), m.group(0), word))
    mentions.sort(key=lambda x: x.start)
    return mentions


def as_decimal(value: int | float | Decimal | str) -> Decimal:
    """A YAML number as an exact decimal (98.9 -> Decimal('98.9'))."""
    if isinstance(value, Decimal):
        return value.normalize()
    return Decimal(str(value)).normalize()


def format_value(value: int | float | Decimal) -> str:
    """Display a value the way Chinese sources write it: 3.7万, 886.9亿, 2017."""
    d = as_decimal(value)
    for size, word in ((Decimal(100_000_000), "亿"), (Decimal(10_000), "万")):
        if abs(d) >= size:
            scaled = (d / size).normalize()
            exponent = scaled.as_tuple().exponent  # an int for a finite number
            if isinstance(exponent, int) and -exponent <= 2:
                return f"{_plain(scaled)}{word}"
    return _plain(d)


def _plain(d: Decimal) -> str:
    text = format(d.normalize(), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text
