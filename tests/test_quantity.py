from __future__ import annotations

from decimal import Decimal

import pytest

from zsextract import QuantityParseError, find_quantities, parse_chinese_number, parse_quantity

# text, value, unit, qualifier, low, high
TABLE = [
    ("484.5亿元", "48450000000", "CNY", "exact", None, None),
    ("484.5億元", "48450000000", "CNY", "exact", None, None),
    ("3000萬元", "30000000", "CNY", "exact", None, None),
    ("1.2万亿元", "1200000000000", "CNY", "exact", None, None),
    ("两千亿元", "200000000000", "CNY", "exact", None, None),
    ("兩千億元", "200000000000", "CNY", "exact", None, None),
    ("一千二百万元", "12000000", "CNY", "exact", None, None),
    ("5亿美元", "500000000", "USD", "exact", None, None),
    ("1000萬美元", "10000000", "USD", "exact", None, None),
    ("1,200万元", "12000000", "CNY", "exact", None, None),
    ("１２０万元", "1200000", "CNY", "exact", None, None),
    ("同比增长18.9%", "18.9", "percent", "exact", None, None),
    ("同比增長18.9％", "18.9", "percent", "exact", None, None),
    ("-8.92%", "-8.92", "percent", "exact", None, None),
    ("下降5%", "-5", "percent", "exact", None, None),
    ("同比下降了3.5%", "-3.5", "percent", "exact", None, None),
    ("九成", "90", "percent", "exact", None, None),
    ("三成以上", "30", "percent", "lower_bound", None, None),
    ("过半", "50", "percent", "lower_bound", None, None),
    ("過半", "50", "percent", "lower_bound", None, None),
    ("百分之十五", "15", "percent", "exact", None, None),
    ("提高2.3个百分点", "2.3", "percent", "exact", None, None),
    ("新签项目157个", "157", "count", "exact", None, None),
    ("新簽項目157個", "157", "count", "exact", None, None),
    ("80余家", "80", "count", "lower_bound", None, None),
    ("50多家", "50", "count", "lower_bound", None, None),
    ("近300人", "300", "count", "approx", None, None),
    ("约43亿元", "4300000000", "CNY", "approx", None, None),
    ("約43億元", "4300000000", "CNY", "approx", None, None),
    ("30万元左右", "300000", "CNY", "approx", None, None),
    ("超80亿元", "8000000000", "CNY", "lower_bound", None, None),
    ("突破100亿元", "10000000000", "CNY", "lower_bound", None, None),
    ("逾千家", "1000", "count", "lower_bound", None, None),
    ("100多亿元", "10000000000", "CNY", "lower_bound", None, None),
    ("1万余人", "10000", "count", "lower_bound", None, None),
    ("5亿元以上", "500000000", "CNY", "lower_bound", None, None),
    ("不到1亿元", "100000000", "CNY", "upper_bound", None, None),
    ("不足10家", "10", "count", "upper_bound", None, None),
    ("3个月以内", "3", "month", "upper_bound", None, None),
    ("1-5亿元", "100000000", "CNY", "lower_bound", "100000000", "500000000"),
    ("1～5億元", "100000000", "CNY", "lower_bound", "100000000", "500000000"),
    ("5000万-1亿元", "50000000", "CNY", "lower_bound", "50000000", "100000000"),
    ("10%-15%", "10", "percent", "lower_bound", "10", "15"),
    ("3至5个", "3", "count", "lower_bound", "3", "5"),
    ("十二个", "12", "count", "exact", None, None),
    ("两批次", "2", "count", "exact", None, None),
    ("兩批次", "2", "count", "exact", None, None),
    ("11支", "11", "count", "exact", None, None),
    ("343次", "343", "count", "exact", None, None),
    ("750天", "750", "count", "exact", None, None),
    ("40余场", "40", "count", "lower_bound", None, None),
    ("866条", "866", "count", "exact", None, None),
    ("增长2倍", "2", "times", "exact", None, None),
    ("35万吨", "350000", "t", "exact", None, None),
    ("十二", "12", "number", "exact", None, None),
    ("一千二百万", "12000000", "number", "exact", None, None),
    ("两千亿", "200000000000", "number", "exact", None, None),
]


@pytest.mark.parametrize(("text", "value", "unit", "qualifier", "low", "high"), TABLE)
def test_parse_quantity_table(
    text: str, value: str, unit: str, qualifier: str, low: str | None, high: str | None
) -> None:
    q = parse_quantity(text)
    assert (q.value, q.unit, q.qualifier.value) == (Decimal(value), unit, qualifier)
    assert q.low == (Decimal(low) if low else None)
    assert q.high == (Decimal(high) if high else None)


def test_exact_values_have_no_float_noise() -> None:
    q = parse_quantity("484.5亿元")
    assert q.value == Decimal("48450000000")
    assert str(q.value) == "48450000000"
    assert q.model_dump(mode="json")["value"] == 48450000000
    assert parse_quantity("626.78億元").model_dump(mode="json")["value"] == 62678000000
    assert parse_quantity("0.1%").model_dump(mode="json")["value"] == 0.1


def test_unit_text_is_as_written() -> None:
    assert parse_quantity("484.5億元").unit_text == "億元"
    assert parse_quantity("157個").unit_text == "個"
    assert parse_quantity("18.9%").unit_text == "%"


@pytest.mark.parametrize(
    ("numeral", "value"),
    [
        ("十二", 12),
        ("一千二百万", 12000000),
        ("两千亿", 200000000000),
        ("一亿二千万", 120000000),
        ("十二万五千", 125000),
        ("三十", 30),
        ("二〇二三", 2023),
        ("壹佰", 100),
    ],
)
def test_chinese_numerals(numeral: str, value: int) -> None:
    assert parse_chinese_number(numeral) == value


@pytest.mark.parametrize(
    "text", ["", "2023年", "1至7月", "6月30日", "第二十八届", "“5+2”产业", "招商引资"]
)
def test_parse_quantity_rejects_non_quantities(text: str) -> None:
    with pytest.raises(QuantityParseError, match="no quantity"):
        parse_quantity(text)


def test_parse_quantity_error_is_a_value_error() -> None:
    with pytest.raises(ValueError):
        parse_quantity("没有数字")


def test_finder_spans_and_skips() -> None:
    text = (
        "2023年1至7月，第二十八届投洽会上“5+2”产业签约项目157个，"
        "到位资金484.5億元，同比增长18.9%；年产35万吨。"
    )
    found = list(find_quantities(text))
    assert [m.text for m in found] == ["157个", "484.5億元", "18.9%", "35万吨"]
    for m in found:
        assert text[m.start : m.end] == m.text
    assert [m.quantity.kind for m in found] == ["count", "money", "percent", "physical"]


def test_finder_bare_yi_is_money_only_after_a_money_word() -> None:
    assert [m.quantity.unit for m in find_quantities("项目总投资1382.6亿，")] == ["CNY"]
    assert list(find_quantities("数量达到3亿，")) == []


def test_finder_keeps_qualifiers_in_span() -> None:
    (m,) = find_quantities("组织近300人赴外地")
    assert m.text == "近300人"
    assert m.quantity.qualifier.value == "approx"


def test_double_past_half_is_a_phrase_not_a_share() -> None:
    assert [m.text for m in find_quantities("上半年实现“双过半”，项目开工率过半。")] == ["过半"]
