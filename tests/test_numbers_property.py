"""Property-based test of the number reader: random numbers written the way the sources write them are read back
to the same value and qualifier."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from casebook.normalize import normalize
from casebook.numbers import chinese_to_int, read_numbers

_DIGITS = "零一二三四五六七八九"


def to_chinese(n: int) -> str:
    """1 <= n < 10^8 as a Chinese numeral, the way the sources write them (十八, 一百零五, 三千二百, 两万五千)."""
    assert 0 < n < 100_000_000

    def below_10000(k: int, leading: bool) -> str:
        out, zero = "", False
        for size, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
            d = k // size % 10
            if d == 0:
                zero = bool(out)
                continue
            if zero:
                out += "零"
                zero = False
            if size == 10 and d == 1 and not out and leading:
                out += "十"  # 十八, not 一十八, at the start of a numeral
            else:
                out += _DIGITS[d] + unit
        return out

    high, low = divmod(n, 10_000)
    if not high:
        return below_10000(low, True)
    text = below_10000(high, True) + "万"
    if low:
        text += ("零" if low < 1000 else "") + below_10000(low, False)
    return text


# (prefix, suffix, qualifier): how the sources qualify a number. The suffix comes after the multiplier, except
# 余/多 which may stand between the number and 万 (240余万元), handled in ``render``.
QUALIFIED = [
    ("", "", "exact"),
    ("", "余", "more_than"),
    ("", "多", "more_than"),
    ("超过", "", "more_than"),
    ("逾", "", "more_than"),
    ("近", "", "about"),
    ("约", "", "about"),
    ("大约", "", "about"),
    ("不足", "", "less_than"),
    ("不到", "", "less_than"),
    ("不少于", "", "at_least"),
    ("", "以上", "at_least"),
    ("", "以下", "at_most"),
    ("预计", "", "projected"),
    ("计划", "", "projected"),
    ("目标", "", "projected"),
]
MEASURES = "个名人次项家户元"
# what may stand before a number: ordinary text, never a qualifier or a number
LEADS = ["", "全市", "共有", "累计", "社区", "建成"]


def arabic(value: Decimal) -> str:
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


@st.composite
def arabic_numbers(draw) -> tuple[str, Decimal]:
    """An Arabic number, perhaps with a decimal part and 万/亿: 2600, 98.9, 3.7万, 886.9亿."""
    multiplier = draw(st.sampled_from(["", "万", "亿"]))
    whole = draw(st.integers(min_value=1, max_value=99_999))
    places = draw(st.integers(min_value=0, max_value=2))
    fraction = draw(st.integers(min_value=0, max_value=10**places - 1)) if places else 0
    number = Decimal(whole) + Decimal(fraction).scaleb(-places)
    scale = {"": 1, "万": 10_000, "亿": 100_000_000}[multiplier]
    return arabic(number) + multiplier, number * scale


@st.composite
def chinese_numbers(draw) -> tuple[str, Decimal]:
    """A Chinese numeral: 七, 三十二, 一百零五, 两万五千 (10 or more: a single digit after 近/约 is not read)."""
    n = draw(st.integers(min_value=10, max_value=99_999_999))
    return to_chinese(n), Decimal(n)


def render(number: str, prefix: str, suffix: str, measure: str, lead: str) -> str:
    if suffix in ("余", "多") and number[-1] in "万亿" and number[:-1].replace(".", "").isdigit():
        number = number[:-1] + suffix + number[-1]  # 240余万元
        suffix = ""
    if suffix in ("以上", "以下"):
        return f"{lead}{prefix}{number}{measure}{suffix}"
    return f"{lead}{prefix}{number}{suffix}{measure}"


@settings(max_examples=400, deadline=None)
@given(
    number=st.one_of(arabic_numbers(), chinese_numbers()),
    qualified=st.sampled_from(QUALIFIED),
    measure=st.sampled_from(MEASURES),
    lead=st.sampled_from(LEADS),
)
def test_rendered_numbers_read_back(number, qualified, measure, lead):
    written, value = number
    prefix, suffix, qualifier = qualified
    text = render(written, prefix, suffix, measure, lead)
    mentions = read_numbers(normalize(text))
    assert [(m.value, m.qualifier, m.percent) for m in mentions] == [(value.normalize(), qualifier, False)], text
    assert mentions[0].word == prefix + suffix, text


@settings(max_examples=200, deadline=None)
@given(
    whole=st.integers(min_value=0, max_value=100),
    tenth=st.integers(min_value=0, max_value=9),
    qualified=st.sampled_from([q for q in QUALIFIED if q[1] not in ("余", "多")]),
)
def test_rendered_percentages_read_back(whole, tenth, qualified):
    prefix, suffix, qualifier = qualified
    value = Decimal(whole) + Decimal(tenth) / 10
    text = f"占比{prefix}{arabic(value)}%{suffix}"
    mentions = read_numbers(text)
    assert [(m.value, m.qualifier, m.percent) for m in mentions] == [(value.normalize(), qualifier, True)], text


@given(st.integers(min_value=1, max_value=99_999_999))
def test_chinese_numerals_round_trip(n):
    assert chinese_to_int(to_chinese(n)) == n


@settings(max_examples=100, deadline=None)
@given(
    unit=st.sampled_from(["十", "百", "千", "万", "十万", "百万"]),
    vague=st.sampled_from(["数", "几"]),
    measure=st.sampled_from(MEASURES),
)
def test_vague_quantities_state_no_value(unit, vague, measure):
    """数十, 几百, 数万: the reader must not invent precision."""
    assert read_numbers(f"全市{vague}{unit}{measure}") == []
