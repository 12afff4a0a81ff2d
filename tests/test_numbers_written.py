"""Exact numbers in every written style (issue 12): random values are written the ways
articles write them (Arabic, Chinese numerals, mixed, with scales, qualifiers, ranges,
Traditional script) and must parse back exactly, alone and inside a sentence."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zsextract import QuantityParseError, extract, parse_chinese_number, parse_quantity
from zsextract.readers.quantities import find_quantities

DIGITS = "零一二三四五六七八九"
EXAMPLES = 2000


def chinese(n: int, leading: bool = True) -> str:
    """``n`` (0 < n < 10**16) in Chinese numerals as written: 一千零五, 十二,
    三亿零五十万, 一万零一亿."""
    for size, name in ((10**8, "亿"), (10**4, "万")):
        if n >= size:
            high, low = divmod(n, size)
            text = chinese(high, leading) + name
            if low:
                text += ("零" if low < size // 10 else "") + chinese(low, leading=False)
            return text
    out, zero = "", False
    for unit, size in (("千", 1000), ("百", 100), ("十", 10), ("", 1)):
        digit, n = divmod(n, size)
        if digit:
            out += "零" if zero else ""
            zero = False
            out += (
                "" if size == 10 and digit == 1 and not out and leading else DIGITS[digit]
            ) + unit
        elif out:
            zero = True
    return out


@pytest.mark.parametrize(
    ("n", "written"),
    [
        (12, "十二"),
        (1005, "一千零五"),
        (300500000, "三亿零五十万"),
        (110, "一百一十"),
        (20000, "二万"),
        (1_000_100_000_000, "一万零一亿"),
    ],
)
def test_the_test_writer_writes_chinese_numerals(n: int, written: str) -> None:
    assert chinese(n) == written


@settings(max_examples=EXAMPLES, deadline=None)
@given(st.integers(min_value=1, max_value=10**15 - 1))
def test_chinese_numerals_parse_back(n: int) -> None:
    assert parse_chinese_number(chinese(n)) == n
    assert parse_quantity(chinese(n) + "元").value == n


@settings(max_examples=EXAMPLES, deadline=None)
@given(
    st.integers(min_value=1, max_value=99_999),
    st.integers(min_value=0, max_value=2),
    st.sampled_from([("", 1), ("万", 10**4), ("亿", 10**8), ("万亿", 10**12), ("千万", 10**7)]),
    st.sampled_from([("元", "CNY"), ("美元", "USD"), ("萬元", "CNY"), ("億元", "CNY")]),
)
def test_arabic_with_scales_parse_back(
    n: int, places: int, scale: tuple[str, int], unit: tuple[str, str]
) -> None:
    value = Decimal(n).scaleb(-places)
    extra = {"萬元": 10**4, "億元": 10**8}.get(unit[0], 1)
    if scale[0] and extra > 1:
        return  # 5亿萬元 is not written
    text = f"{value}{scale[0]}{unit[0]}"
    expected = value * scale[1] * extra
    assert parse_quantity(text).value == expected, text
    assert parse_quantity(text).unit == unit[1]
    [mention] = find_quantities(f"全年到位资金{text}，同比增长。")
    assert mention.quantity.value == expected and mention.text == text


@settings(max_examples=EXAMPLES, deadline=None)
@given(
    st.integers(min_value=1, max_value=9999),
    st.integers(min_value=0, max_value=9999),
    st.booleans(),
)
def test_mixed_compound_scales_parse_back(high: int, low: int, chinese_low: bool) -> None:
    """12亿5000万元, 1亿零500万元, 3万5千元, 1亿五千万元."""
    low_text = chinese(low) if chinese_low and low else str(low)
    if low == 0:
        text, expected = f"{high}亿元", high * 10**8
    else:
        zero = "零" if low < 1000 else ""
        text, expected = f"{high}亿{zero}{low_text}万元", high * 10**8 + low * 10**4
    assert parse_quantity(text).value == expected, text
    mentions = list(find_quantities(f"签约金额{text}，其中外资项目9个"))
    assert [m.quantity.value for m in mentions] == [expected, 9], text
    if 1 <= high <= 9999 and 1 <= low <= 9:
        assert parse_quantity(f"{high}万{low}千元").value == high * 10**4 + low * 1000


@settings(max_examples=EXAMPLES, deadline=None)
@given(st.integers(min_value=1, max_value=9999), st.integers(min_value=1, max_value=9))
def test_chinese_decimals_parse_back(whole: int, tenth: int) -> None:
    text = f"{chinese(whole)}点{DIGITS[tenth]}亿元"
    assert parse_quantity(text).value == (Decimal(whole) + Decimal(tenth) / 10) * 10**8, text


@settings(max_examples=EXAMPLES, deadline=None)
@given(
    st.integers(min_value=1, max_value=99_999),
    st.sampled_from(["约", "近", "超", "逾", "突破", ""]),
    st.sampled_from(["", "余", "多"]),
    st.sampled_from(["", "以上", "左右"]),
)
def test_qualifiers_keep_the_value(n: int, before: str, inner: str, after: str) -> None:
    text = f"{before}{n}{inner}家{after}"
    quantity = parse_quantity(text)
    assert quantity.value == n and quantity.unit == "count", text
    expected = (
        "approx"
        if before in ("约", "近")
        else "lower_bound"
        if before in ("超", "逾", "突破") or inner or after == "以上"
        else "approx"
        if after == "左右"
        else "exact"
    )
    assert quantity.qualifier.value == expected, text


@settings(max_examples=EXAMPLES, deadline=None)
@given(st.integers(min_value=1, max_value=999), st.integers(min_value=1, max_value=999))
def test_ranges_parse_back(a: int, b: int) -> None:
    low, high = min(a, b), max(a, b) + 1
    quantity = parse_quantity(f"{low}-{high}亿元")
    assert (quantity.low, quantity.high) == (low * 10**8, high * 10**8)


@settings(max_examples=EXAMPLES, deadline=None)
@given(st.integers(min_value=0, max_value=9999), st.integers(min_value=1, max_value=9))
def test_percentages_parse_back(n: int, tenth: int) -> None:
    value = Decimal(n) + Decimal(tenth) / 10
    assert parse_quantity(f"{value}%").value == value
    assert parse_quantity(f"百分之{chinese(n) if n else '零'}点{DIGITS[tenth]}").value == value
    if 1 <= tenth <= 9:
        assert parse_quantity(f"{DIGITS[tenth]}成").value == tenth * 10
        assert parse_quantity(f"{DIGITS[tenth]}成半").value == tenth * 10 + 5
    assert parse_quantity(f"提高{n}个百分点").value == n


@pytest.mark.parametrize(
    ("text", "value"),
    [
        # every case of issue 12, each once wrong on main
        ("1亿1万元", 100010000),
        ("12亿5000万元", 1250000000),
        ("3万5千元", 35000),
        ("1亿零500万元", 105000000),
        ("一点一亿元", 110000000),
        ("一千二百三十四点五亿元", 123450000000),
        ("百分之十二点五", Decimal("12.5")),
        ("两成半", 25),
    ],
)
def test_the_cases_that_were_wrong(text: str, value: int | Decimal) -> None:
    assert parse_quantity(text).value == value
    assert [m.quantity.value for m in find_quantities(f"其中{text}，")] == [value]


@pytest.mark.parametrize(
    "text",
    ["1e5元", "投资" + "1" * 300 + "元", "投资一" + "亿" * 2000 + "元", "3.1415926535897932384元"],
)
def test_no_misread_and_no_overflow(text: str) -> None:
    with pytest.raises(QuantityParseError):
        parse_quantity(text)
    assert list(find_quantities(text)) == []
    extract(f"新签项目5个。{text}")  # the article goes on; nothing raises


def test_too_many_digits_is_a_parse_error_not_an_overflow() -> None:
    with pytest.raises(QuantityParseError, match="digits"):
        parse_chinese_number("1" * 30)
    with pytest.raises(QuantityParseError, match="digits"):
        parse_chinese_number("一" + "亿" * 40)
