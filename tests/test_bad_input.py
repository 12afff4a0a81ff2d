"""Bad input gives a report (possibly empty) or a clear ZsExtractError, never a traceback."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import zsextract
from zsextract import EmptyInputError, ZsExtractError
from zsextract.text.reading import decode_bytes

SNIPPETS = [
    "招商引资",
    "到位資金",
    "484.5億元",
    "１２３个",
    "同比下降5%",
    "網(wǎng)",
    "“26211”",
    "签约后2个月内注册",
    "一月一调度、一季一通报",
    "等18个项目",
    "、",
    "，，",
    "。",
    "\n",
    " ",
    "<p>",
    "</div>",
    "<html><body>",
    "&nbsp;",
    "回复",
    "免责声明",
    "1-5亿元",
    "第二十八届",
    "有限公司",
    "项目",
    "与某公司签订了",
    "\x00",
    "\ufeff",
    "😀",
    "ǎ",
    "(",
    "）",
    "%",
    "亿",
]


def _check(text: str) -> None:
    try:
        report = zsextract.extract(text)
    except ZsExtractError:
        return
    for item in (*report.metrics, *report.mechanisms, *report.timelines, *report.projects):
        ev = item.evidence
        assert report.source.text[ev.start : ev.end] == ev.quote


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(SNIPPETS) | st.text(max_size=8), max_size=60).map("".join))
def test_fuzz_mixed_snippets(text: str) -> None:
    _check(text)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_fuzz_any_unicode(text: str) -> None:
    _check(text)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=400))
def test_fuzz_random_bytes(data: bytes) -> None:
    try:
        text = decode_bytes(data)
    except ZsExtractError:
        return
    _check(text)


@pytest.mark.parametrize("text", ["", "   \n\t", "\u3000\u3000"])
def test_empty_text_is_a_clear_error(text: str) -> None:
    with pytest.raises(EmptyInputError, match="empty"):
        zsextract.extract(text)


def test_non_str_is_a_type_error() -> None:
    with pytest.raises(TypeError, match="decode bytes first"):
        zsextract.extract(b"abc")  # type: ignore[arg-type]


def test_one_megabyte_article() -> None:
    paragraph = "1至6月，全区新签约项目64个，到位资金126.8亿元，同比增长12.4%。\n"
    big = (paragraph * (1_000_000 // len(paragraph) + 1))[:1_000_000]
    report = zsextract.extract(big)
    assert len(report.metrics) == 3  # one paragraph over and over: the same three facts
    statements = [report.metrics[-1].evidence, *report.metrics[-1].restated]
    assert len(statements) > 10_000  # every statement kept as evidence
    assert report.source.text == big
    last = statements[-1]
    assert big[last.start : last.end] == last.quote and last.start > 999_000


def test_html_fragment_keeps_all_its_text() -> None:
    report = zsextract.extract("<div>总投资<b>5亿元</b></div><p>新签项目3个。</p>")
    assert report.source.from_html
    assert sorted(m.quantity.value for m in report.metrics) == [3, 500000000]


def test_mixed_scripts_and_widths() -> None:
    report = zsextract.extract("今年1至6月，全縣新簽項目１２个，到位资金３.５億元，同比增長8％。")
    assert [(m.quantity.value, m.quantity.unit) for m in report.metrics] == [
        (12, "count"),
        (350000000, "CNY"),
        (8, "percent"),
    ]


def test_an_article_over_the_size_limit_is_one_clear_error(tmp_path) -> None:
    from zsextract import InputError
    from zsextract.api import MAX_CHARS

    text = "全县新签项目26个。" * 20
    with pytest.raises(InputError, match="over the limit of 100"):
        zsextract.extract(text, max_chars=100)
    assert zsextract.extract(text, max_chars=None).metrics
    assert MAX_CHARS >= 10_000_000  # the 10 MB of benchmarks/scaling.py fit by default
    big = tmp_path / "big.txt"
    with big.open("wb") as f:
        f.truncate(80_000_001)
    with pytest.raises(InputError, match="over the 80,000,000 an article file may have"):
        zsextract.read_article(big)
