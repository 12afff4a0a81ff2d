"""The shortcuts the rules backend takes for speed (issue 16) give what the plain reading
gives: breaks found through an index, quantities of text that is folded already, full-
width characters replaced one by one, each period of an article resolved once."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from functools import cache
from typing import Any
from unittest import mock

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

import zsextract
from zsextract.backends.rules import projects
from zsextract.datafiles import alternation, load_data
from zsextract.errors import QuantityParseError
from zsextract.patterns import grouped_by_first_character
from zsextract.readers import mechanisms, places, quantities
from zsextract.readers.quantities import find_quantities, parse_chinese_number
from zsextract.readers.spans import (
    _INDEXED,
    CLAUSE_ENDS,
    SENTENCE_ENDS,
    break_after,
    break_before,
    clause_start,
    sentence,
)
from zsextract.text.clean import clean_text
from zsextract.text.script import _WIDTH, fold, fold_width

_TEXT = st.text(alphabet="甲乙丙，。；;！?\n：:、 ", max_size=3 * _INDEXED)


def _last_break(text: str, at: int, lo: int, breaks: str) -> int:
    return max([lo, *(i + 1 for i in range(lo, min(at, len(text))) if text[i] in breaks)])


def _next_break(text: str, at: int, breaks: str) -> int:
    return next((i for i in range(max(at, 0), len(text)) if text[i] in breaks), len(text))


@settings(max_examples=300, deadline=None)
@given(_TEXT, st.data())
def test_breaks_are_found_as_a_search_finds_them(text: str, data: st.DataObject) -> None:
    text = text * (1 + _INDEXED // max(len(text), 1)) if data.draw(st.booleans()) else text
    at = data.draw(st.integers(0, len(text) + 2))
    lo = data.draw(st.integers(0, at))
    for breaks in (CLAUSE_ENDS, SENTENCE_ENDS, CLAUSE_ENDS + "、", "乙。"):  # 乙: no break mark
        assert break_before(text, at, lo, breaks) == _last_break(text, at, lo, breaks)
        as_class = re.compile(f"[{re.escape(breaks)}]")  # a pattern of single characters
        assert break_before(text, at, lo, as_class) == _last_break(text, at, lo, breaks)
        assert break_after(text, at, breaks) == _next_break(text, at, breaks)
    assert clause_start(text, at, lo) == _last_break(text, at, lo, CLAUSE_ENDS)
    assert sentence(text, at, at) == (
        _last_break(text, at, 0, SENTENCE_ENDS),
        _next_break(text, at, SENTENCE_ENDS),
    )


def test_a_long_text_is_searched_through_its_index() -> None:
    text = "甲" * _INDEXED + "，乙乙。丙"
    assert break_before(text, len(text), 0) == len(text) - 1  # after 。
    assert break_before(text, _INDEXED + 2, 0) == _INDEXED + 1  # after ，
    assert break_before(text, _INDEXED + 2, _INDEXED + 2) == _INDEXED + 2  # none past lo
    assert break_after(text, 0) == _INDEXED + 3  # 。 ends the sentence, ， does not


_ARTICLES = [
    "二〇二四年1至7月，全市實際到位資金４８４.５億元，同比增長18.9%；新簽約項目157個。",
    "今年以来引进项目80余家，总投资超30亿元，其中外资项目3个，占比约二成。",
    "網(wǎng)站訊：簽約金額達1.2萬億美元，同比下降-8.92%，完成全年目標的71%。",
]


def test_quantities_of_cleaned_text_need_no_second_fold() -> None:
    for article in _ARTICLES:
        text = clean_text(article).text

        def read(mentions):
            return [(m.start, m.end, m.text, m.quantity) for m in mentions]

        expected = read(find_quantities(text))
        assert expected  # the articles state quantities
        assert read(find_quantities(text, folded=True)) == expected


def test_folded_means_the_text_is_not_folded_again() -> None:
    assert [m.quantity.unit for m in find_quantities("投資５億元")] == ["CNY"]
    # the caller said the text was folded: full-width digits are not read then
    assert list(find_quantities("投資５億元", folded=True)) == []


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="".join(map(chr, _WIDTH)) + "甲乙1a。 ", max_size=60))
def test_width_is_folded_as_the_table_says(text: str) -> None:
    assert fold_width(text) == text.translate(_WIDTH)


_YEARLY = "2024年1至6月，全县到位资金18亿元，新签项目12个；上半年外资到位3亿元。"


def test_each_metric_gets_its_own_interval() -> None:
    report = zsextract.extract(_YEARLY, metadata={"publish_date": date(2024, 7, 20)})
    assert len(report.metrics) >= 3
    first, second = report.metrics[0], report.metrics[1]
    assert first.period == second.period == "2024年1至6月"
    assert first.interval == second.interval
    assert first.interval is not second.interval  # a user may change one, not both
    assert report.metrics[-1].period == "2024年上半年"
    assert report.metrics[-1].interval.start == "2024-01"
    assert report.metrics[-1].interval.end == "2024-06"


def test_surplus_whitespace_goes_and_each_kept_character_maps_back() -> None:
    cleaned = clean_text("  甲乙。  \r\n丙\t\t丁\n丁  戊\n\n\u3000己")
    assert cleaned.text == "甲乙。\n丙 丁\n丁 戊\n己"
    kept = [cleaned.raw_slice(i, i + 1) for i in range(len(cleaned.text))]
    assert kept == ["甲", "乙", "。", "\n", "丙", "\t", "丁", "\n", "丁", " ", "戊", "\n", "己"]


def _read(text: str) -> tuple[str, ...]:
    try:
        value = parse_chinese_number(text)
    except QuantityParseError as e:
        return ("error", str(e))
    return ("value", str(value))


@settings(max_examples=500, deadline=None)
@given(
    st.from_regex(
        r"\s?\d[\d,]{0,24}(?:\.\d{1,12})?(?:[十百千]?万|[十百千]?)亿?\s?|\d{1,3}千",
        fullmatch=True,
    )
)
@example("12345678901234567890.123456789012")  # 32 digits: rounded to 28 in context
@example("12345678901234567.123456789012十")  # 29 digits, then a scale
@example("0" * 30 + "1")
@example("1" * 21)
@example("9" * 13 + "千万")  # past the limit only with its scale
@example("0.0亿")
@example("1.5千万")
@example("\u0ae6" + "0" * 20)  # a zero of another script leads: still zero
def test_an_arabic_number_is_read_as_the_token_reading_reads_it(text: str) -> None:
    """Also with a scale after it (484.5亿): the value and how it is written (its
    exponent) are those of the reading token by token."""
    fast = _read(text)
    with mock.patch.object(quantities, "_ARABIC_SCALED", re.compile("(?!)")):  # no shortcut
        assert fast == _read(text)


@pytest.mark.parametrize("digit", list(load_data("units")["digits"]))
def test_a_chinese_digit_alone_is_read_as_the_token_reading_reads_it(digit: str) -> None:
    value = parse_chinese_number(f" {digit} ")
    assert (str(value), value) == (str(quantities._read_tokens(digit, digit)), value)


def test_a_fall_is_negative_whatever_its_unit() -> None:
    values = {m.text: m.quantity.value for m in find_quantities("减少3亿元，下降12个，-8.92%")}
    assert values == {"减少3亿元": -300000000, "下降12个": -12, "-8.92%": Decimal("-8.92")}


_PLACE_PIECES = st.sampled_from(
    [
        "青山",
        "梧州",
        "市",
        "县",
        "区",
        "经开区",
        "高新区",
        "全市",
        "我县",
        "。",
        "，",
        "\n",
        "ab",
        "7",
        "é",
        "东",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_PLACE_PIECES, max_size=25).map("".join), st.integers(-3, 60), st.integers(0, 60))
@example("山高新区旗", -2, 60)  # re reads a negative start as 0
@example("青山市梧州县", 0, 60)  # a name at the very start, and one right after it
@example("。青山市", 1, 60)  # a name right at start, after a character before it
@example("青é山高新区", 0, 60)  # 山高新区 inside 青é山高新区 is no second name
def test_places_found_through_the_gate_are_the_patterns_matches(
    text: str, start: int, end: int
) -> None:
    name, _ = places._patterns()
    expected = [(m.span(), m.groupdict()) for m in name.finditer(text, start, end)]
    assert [(m.span(), m.groupdict()) for m in places.find_places(text, start, end)] == expected
    whole = [(m.span(), m.groupdict()) for m in name.finditer(text)]
    assert [(m.span(), m.groupdict()) for m in places.find_places(text)] == whole


def _quantity_pieces() -> list[str]:
    d = load_data("units")
    words = [*d["digits"], *d["small_multipliers"], *d["section_multipliers"], "12", "3.5"]
    for table in ("percent_words", "qualifiers_before", "negative_before", "qualifiers_inner"):
        words += list(d[table])
    words += [*d["range_separators"], *d["qualifiers_after"], *d["count"], *d["money"]]
    return [*words, *d["percent"], "年", "月", "第", "大力", "高质量", "签约", "，", " "]


def _quantity_pattern_built(**parts: Any) -> re.Pattern[str]:
    """The quantity pattern built with ``parts`` of quantities.py replaced."""
    quantities._tables.cache_clear()
    try:
        with mock.patch.multiple(quantities, **parts):
            return quantities._tables().pattern
    finally:
        quantities._tables.cache_clear()


@cache
def _unled_quantity_pattern() -> re.Pattern[str]:
    """The quantity pattern built without the class tests in front of it and of its
    alternations."""
    return _quantity_pattern_built(
        _led=lambda words, alternatives=None: f"(?:{alternatives or alternation(words)})",
        _starts=lambda numeric, words: "",
    )


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_quantity_pieces()), max_size=20).map("".join))
@example("大约3亿元，高达5成")
@example("同比下降3.5%")
def test_the_class_tests_in_the_quantity_pattern_change_no_match(text: str) -> None:
    unled = _unled_quantity_pattern()
    led = quantities._tables().pattern
    assert led.pattern.startswith("(?=[") and not unled.pattern.startswith("(?=")
    assert [(m.span(), m.groupdict()) for m in led.finditer(text)] == [
        (m.span(), m.groupdict()) for m in unled.finditer(text)
    ]


@cache
def _quantity_pattern_with_arabic_twice() -> re.Pattern[str]:
    """The quantity pattern with its numbers written as the three alternatives they
    were, the Arabic part read again when no compound follows it."""
    return _quantity_pattern_built(
        _number=lambda arabic, chinese, compound, cn_all: (
            rf"(?:{arabic}{compound}|{arabic}|(?<![{cn_all}]){chinese})"
        )
    )


_NUMBER_PIECES = st.sampled_from(
    [
        "1",
        "12",
        "3.5",
        "1,234",
        "0",
        "万亿",
        "亿",
        "万",
        "千",
        "零",
        "一",
        "二十",
        "三",
        "五千",
        "点",
        "两",
        "百",
        "元",
        "个",
        "%",
        "年",
        "月",
        "，",
        "约",
        "-",
        "至",
        "e",
    ]
)


@settings(max_examples=400, deadline=None)
@given(st.lists(_NUMBER_PIECES, max_size=16).map("".join))
@example("12亿5000万元，3万5千人，1亿零500万")
@example("1,234亿5,000万")
def test_a_number_read_once_is_read_as_the_three_alternatives_read_it(text: str) -> None:
    once = quantities._tables().pattern
    twice = _quantity_pattern_with_arabic_twice()
    assert once.pattern != twice.pattern
    assert [(m.span(), m.groupdict()) for m in once.finditer(text)] == [
        (m.span(), m.groupdict()) for m in twice.finditer(text)
    ]


@cache
def _quantity_pattern_with_repeats() -> re.Pattern[str]:
    """The quantity pattern with each optional part written ``(?:part)?``."""
    return _quantity_pattern_built(_optional=lambda part: f"(?:{part})?")


@settings(max_examples=400, deadline=None)
@given(
    st.lists(
        st.one_of(
            _NUMBER_PIECES,
            st.sampled_from(_quantity_pieces()),
            st.sampled_from(
                [
                    "2024",
                    "年",
                    "3月",
                    "10日",
                    "12:30",
                    ":05",
                    "1-7",
                    "至",
                    "份",
                    "中旬",
                    "号",
                    "内",
                    "年度",
                    "/",
                    ".",
                    "左右",
                    "以上",
                ]
            ),
        ),
        max_size=18,
    ).map("".join)
)
@example("2024年1-7月10日，12:30:05，3月份中旬，8日内，2023年度")
@example("增长3.5%至5%以上，约3-5亿元，百分之十二点五")
def test_optional_parts_written_as_alternations_change_no_match(text: str) -> None:
    empty_branch = quantities._tables().pattern
    repeats = _quantity_pattern_with_repeats()
    assert "|)" in empty_branch.pattern and "|)" not in repeats.pattern
    assert [(m.span(), m.groupdict()) for m in empty_branch.finditer(text)] == [
        (m.span(), m.groupdict()) for m in repeats.finditer(text)
    ]


def test_a_hundred_or_thousand_alone_in_any_script_is_no_quantity() -> None:
    for text in ("千家万户", "佰人参加", "仟家企业"):
        assert list(find_quantities(text)) == []
    assert [m.quantity.value for m in find_quantities("近佰人参加")] == [100]


def test_a_lone_surrogate_or_nul_is_folded_to_a_replacement_character() -> None:
    assert fold("甲\ud800乙\x00丙") == "甲\ufffd乙\ufffd丙"
    assert fold("甲\udfff乙") == "甲\ufffd乙" and fold("甲\x00") == "甲\ufffd"
    assert fold("內容\x00") == "内容\ufffd" and fold("內容") == "内容"


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(["甲", "乙", "、", "等", "3", "12", "个", "家", "项目", "，"]), max_size=40
    )
)
def test_list_ends_are_found_as_the_lookahead_found_them(pieces: list[str]) -> None:
    text = "".join(pieces)
    lookahead = re.compile(r"(?=[等\d])(?:等|(?<=[\u4e00-\u9fff])(?=\d{1,4}[个家项]))")
    assert [(m.start(), m.group(0) != "等") for m in projects._LIST_END.finditer(text)] == [
        (m.start(), not m.group(0)) for m in lookahead.finditer(text)
    ]


@cache
def _mechanisms_joined_as_they_are() -> list[tuple[str, Any]]:
    """The mechanism scanners with their alternatives joined in order, ungrouped."""
    mechanisms._mechanism_terms.cache_clear()
    try:
        with mock.patch.object(mechanisms, "grouped_by_first_character", "|".join):
            return mechanisms._mechanism_terms()
    finally:
        mechanisms._mechanism_terms.cache_clear()


def _mechanism_pieces() -> list[str]:
    rules = load_data("rules")
    words = [w for m in load_data("taxonomy")["mechanisms"] for w in m["examples"]]
    words += [w for m in rules["mechanisms"].values() for w in m.get("words", [])]
    words += [w for ws in rules["mechanism_lists"].values() for w in ws]
    return sorted({*words, *(w[:1] for w in words), "，", "。", "未", "没有", "的", "企业", "\n"})


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_mechanism_pieces()), max_size=30).map("".join))
@example("市领导亲自挂帅，书记带队外出招商。以商招商，驻点招商，一企业、一专班、一抓到底")
def test_mechanism_alternatives_grouped_by_first_character_change_no_match(text: str) -> None:
    joined = _mechanisms_joined_as_they_are()
    grouped = mechanisms._mechanism_terms()
    assert [t.code for t in grouped] == [t.code for t in joined]
    pairs = [(g.code, g.pattern, j.pattern) for g, j in zip(grouped, joined, strict=True)]
    assert sum(g.pattern != j.pattern for _, g, j in pairs) >= 15  # most are grouped
    for code, g, j in pairs:
        assert [(m.span(), m.groups()) for m in g.finditer(text)] == [
            (m.span(), m.groups()) for m in j.finditer(text)
        ], code


@pytest.mark.parametrize(
    ("alternatives", "grouped"),
    [
        (["党政", "党委", "市长"], "党(?:政|委)|市长"),
        (["a|b", "ac"], "a|b|ac"),  # a|b is two alternatives: all left as they are
        (["招商", "(?:书记|市长)带队"], "招商|(?:书记|市长)带队"),  # a group first
        (["招?商", "招商"], "招?商|招商"),  # the first character may be missing
        (["\\+1", "\\+2"], "\\+(?:1|2)"),
        (["[|]x", "[]|]y"], "[|]x|[]|]y"),
        (["-x", "\\-", "-y"], "\\-(?:x||y)"),  # escaped or not, one character: one group
    ],
)
def test_alternatives_are_grouped_only_behind_a_plain_first_character(
    alternatives: list[str], grouped: str
) -> None:
    assert grouped_by_first_character(alternatives) == grouped
    for text in ("-y", "-x", "a|b", "ac", "党政", "招商", "+2", "]y"):
        assert [m.span() for m in re.finditer(grouped, text)] == [
            m.span() for m in re.finditer("|".join(alternatives), text)
        ]


def test_a_mechanism_word_holding_a_bar_stays_one_word(monkeypatch) -> None:
    taxonomy = {"mechanisms": [{"code": "x", "zh": "甲|乙", "examples": ["甲丙"], "en": "x"}]}
    real = mechanisms.load_data
    monkeypatch.setattr(
        mechanisms, "load_data", lambda name: taxonomy if name == "taxonomy" else real(name)
    )
    mechanisms._mechanism_terms.cache_clear()
    try:
        [term] = mechanisms._mechanism_terms()
        assert [m.group() for m in term.pattern.finditer("甲|乙 甲丙 乙 甲|丙")] == [
            "甲|乙",
            "甲丙",
        ]
    finally:
        mechanisms._mechanism_terms.cache_clear()


@settings(max_examples=300, deadline=None)
@given(
    st.text(alphabet="甲乙丙ab，", max_size=40),
    st.lists(st.tuples(st.integers(0, 45), st.integers(0, 8)), max_size=12),
)
def test_deleting_spans_keeps_each_other_character_with_its_raw_index(
    text: str, spans: list[tuple[int, int]]
) -> None:
    """Spans may overlap, nest or run past the end (the cleaning steps' spans do)."""
    from array import array

    from zsextract.text.clean import _delete

    index = array("l", range(100, 100 + len(text)))
    cut = [(a, a + n) for a, n in spans]
    gone = {i for a, b in cut for i in range(a, b)}
    kept = [i for i in range(len(text)) if i not in gone]
    out, out_index = _delete(text, index, list(cut))
    assert out == "".join(text[i] for i in kept)
    assert list(out_index) == [100 + i for i in kept]
    assert list(index) == list(range(100, 100 + len(text)))  # the input is left as it was
