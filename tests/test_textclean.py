from __future__ import annotations

import re

import opencc
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zsextract import EmptyInputError, clean_text, extract
from zsextract.text.clean import is_chrome_line

from .conftest import corpus_files, needs_shared

GLOSS = re.compile(r"[(（][a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,7}[)）]")
T2S = opencc.OpenCC("t2s")


@needs_shared
@pytest.mark.parametrize("path", corpus_files(), ids=lambda p: p.name[:3])
def test_corpus_cleans_to_simplified_without_glosses(path) -> None:
    raw = path.read_text("utf-8")
    doc = clean_text(raw)
    assert doc.text
    assert not GLOSS.search(doc.text), GLOSS.findall(doc.text)[:5]
    assert T2S.convert(doc.text) == doc.text  # nothing left to simplify
    assert "  " not in doc.text and "\n\n" not in doc.text
    assert not re.search(r"，，|。。|,,", doc.text)


@needs_shared
@pytest.mark.parametrize("path", corpus_files(), ids=lambda p: p.name[:3])
def test_corpus_offsets_map_back_exactly(path) -> None:
    raw = path.read_text("utf-8")
    doc = clean_text(raw)
    for i, ch in enumerate(doc.text):
        a, b = doc.to_raw(i, i + 1)
        assert b == a + 1
        assert T2S.convert(raw[a:b].translate({0xFF05: "%"})) in (ch, raw[a:b]) or ch.isspace()
    # a whole sentence maps to a raw span that holds the glosses removed inside it
    m = re.search(r"[^。\n]{20,}。", doc.text)
    assert m is not None
    a, b = doc.to_raw(m.start(), m.end())
    assert clean_text(raw[a:b]).text == m.group(0)


def test_glosses_script_width_and_punctuation() -> None:
    raw = "梧州零距離網(wǎng)報道：招商引資到位資金４８４．５億元，，同比增長１８．９％。。"
    doc = clean_text(raw)
    assert doc.text == "梧州零距离网报道：招商引资到位资金484.5亿元，同比增长18.9%。"
    start = doc.text.index("484.5亿元")
    a, b = doc.to_raw(start, start + len("484.5亿元"))
    assert raw[a:b] == "４８４．５億元"
    a, b = doc.to_raw(0, 6)
    assert raw[a:b] == "梧州零距離網"
    # a span running over a gloss keeps it in the raw quote
    a, b = doc.to_raw(5, 8)
    assert raw[a:b] == "網(wǎng)報道"


def test_gloss_after_mojibake_and_untoned_latin_kept() -> None:
    assert clean_text("貭I(yíng)商環境").text == "貭I商环境"
    assert clean_text("手机app(app)下载").text == "手机app(app)下载"
    assert clean_text("推进(jìn)项目").text == "推进项目"


def test_page_chrome_is_dropped() -> None:
    raw = "\n".join(
        [
            "当前位置: 首页 » 资讯 » 产业 » 正文",
            "作者:某某新闻网 来源: 头条号 53106/21",
            "138",
            "发表于 2024-2-28 09:01:00 | 显示全部楼层 |阅读模式",
            "1.jpeg",
            "全市新签项目157个。",
            "回复",
            "使用道具 举报",
            "免责声明:本网转载合作媒体的公开信息。",
            "热门推荐",
            "另一篇新闻标题",
        ]
    )
    doc = clean_text(raw)
    assert doc.text == "全市新签项目157个。"
    a, b = doc.to_raw(0, len(doc.text))
    assert raw[a:b] == "全市新签项目157个。"


def test_inline_bylines_are_dropped() -> None:
    doc = clean_text("注入新活力。【撰文】 张三【通讯员】李四【来源】 某报客户端")
    assert doc.text == "注入新活力。"


def test_html_page_body_is_extracted() -> None:
    html = (
        "<html><head><title>青山招商</title></head><body><nav>首页 | 新闻 | 联系我们</nav>"
        "<article><h1>青山招商引资成效显著</h1>"
        "<p>1至6月，全区完成招商引资到位资金126.8亿元，同比增长12.4%。</p>"
        "<p>新签约项目64个，总投资约312亿元，其中制造业项目41个。</p></article>"
        "<footer>版权所有 青山日报</footer></body></html>"
    )
    doc = clean_text(html)
    assert doc.from_html
    assert "126.8亿元" in doc.text and "<p>" not in doc.text
    assert "联系我们" not in doc.text
    start = doc.text.index("126.8亿元")
    a, b = doc.to_raw(start, start + len("126.8亿元"))
    assert doc.raw[a:b] == "126.8亿元"
    report = extract(html)
    assert report.source.from_html and report.source.text == doc.raw
    for m in report.metrics:
        assert report.source.text[m.evidence.start : m.evidence.end] == m.evidence.quote


def test_to_raw_rejects_bad_spans() -> None:
    doc = clean_text("新签项目157个")
    with pytest.raises(IndexError):
        doc.to_raw(3, 99)
    assert doc.to_raw(2, 2) == (2, 2)
    assert doc.to_raw(len(doc), len(doc)) == (len(doc.raw), len(doc.raw))


def test_clean_text_rejects_bytes() -> None:
    with pytest.raises(TypeError, match="decode"):
        clean_text(b"abc")  # type: ignore[arg-type]


def test_extract_of_chrome_only_page_is_a_clear_error() -> None:
    with pytest.raises(EmptyInputError, match="chrome"):
        extract("回复\n使用道具 举报\n返回顶部")


# -- property: a mapped raw span cleans back to the same text ---------------------------
PIECES = st.sampled_from(
    [
        "招商",
        "引資",
        "項目",
        "投資",
        "到位資金",
        "484.5億元",
        "157個",
        "１８．９％",
        "網(wǎng)",
        "協(xié)會",
        "調(diào)度",
        "，",
        "，，",
        "。",
        "。。",
        "、",
        " ",
        "  ",
        "\n",
        "\n\n",
        "\u3000",
        "企業(yè)",
        "同比增長",
        "(wǎng)",
        "80余家",
        "签约",
        "abc",
        "(app)",
        "“5+2”",
        "——",
        "……",
        "\u200b",
        "\ufeff",
        "\u00ad",
        "\u200f",
        "\u2060",
        "\x00",
        "\ud800",
    ]
)


@settings(max_examples=300, deadline=None)
@given(pieces=st.lists(PIECES, min_size=1, max_size=40), data=st.data())
def test_mapped_raw_span_cleans_back(pieces: list[str], data: st.DataObject) -> None:
    raw = "".join(pieces)
    doc = clean_text(raw)
    if not doc.text:
        return
    start = data.draw(st.integers(0, len(doc.text) - 1))
    end = data.draw(st.integers(start + 1, len(doc.text)))
    span = doc.text[start:end]
    # A span that starts or ends on whitespace, or one of whose lines would be page
    # chrome if it stood alone, cannot clean back to itself by construction.
    if span[0].isspace() or span[-1].isspace() or any(is_chrome_line(x) for x in span.split("\n")):
        return
    a, b = doc.to_raw(start, end)
    assert clean_text(raw[a:b]).text == span


INVISIBLE = ["\u200b", "\ufeff", "\u00ad", "\u200f", "\u2060", "\x00", "\u202e", "\x7f"]


@pytest.mark.parametrize("mark", INVISIBLE)
@pytest.mark.parametrize("where", ["inside", "after"])
def test_an_invisible_character_in_a_number_loses_nothing(mark: str, where: str) -> None:
    """One zero-width space, BOM, soft hyphen, bidi mark, word joiner or NUL inside or
    right after a number once removed the metric (issue 12)."""
    amount = f"484.5{mark}亿元" if where == "inside" else f"484.5亿{mark}元"
    raw = f"全年到位资金{amount}，新签项目157个。"
    report = extract(raw)
    values = {m.name: m.quantity.value for m in report.metrics}
    assert values == {"到位资金": 48450000000, "新签项目": 157}
    [money] = [m for m in report.metrics if m.name == "到位资金"]
    assert money.evidence.quote == amount  # evidence is the raw text, mark included
    assert raw[money.evidence.start : money.evidence.end] == amount


def test_lone_surrogates_are_replaced_never_raised() -> None:
    raw = "到位资金484.5亿元\ud800，新签项目\udfff157个。"
    doc = clean_text(raw)
    assert "\ufffd" not in doc.text and "\ud800" not in doc.text
    assert {m.name for m in extract(raw).metrics} == {"到位资金", "新签项目"}


def test_a_disclaimer_at_the_top_is_one_line_of_chrome_not_the_end() -> None:
    """A 免责声明 line before the article deleted the whole article (issue 12); after
    article text it still ends the article."""
    top = "某某县招商简报\n免责声明：本站转载文章仅供参考。\n全县新签项目157个，到位资金48.5亿元。"
    assert [m.quantity.value for m in extract(top).metrics] == [157, 4850000000]
    bottom = (
        "全县新签项目157个，到位资金48.5亿元。\n免责声明：本站转载文章仅供参考。\n新签项目99个。"
    )
    assert [m.quantity.value for m in extract(bottom).metrics] == [157, 4850000000]
    long_line = "免责声明以外的正文：" + "全县新签项目157个，到位资金48.5亿元，" * 12
    assert 157 in [m.quantity.value for m in extract(long_line).metrics]


@pytest.mark.parametrize(
    "line, chrome",
    [
        ("免責(zé)聲明：本網(wǎng)轉(zhuǎn)載其他網(wǎng)站的信息", True),  # glossed, Traditional
        ("免\u200b责声明：本网转载", True),  # an invisible character inside
        ("相關(guān)閱讀", True),
        ("全縣(xiàn)簽約項(xiàng)目52個(gè)。", False),
    ],
)
def test_a_line_is_chrome_on_its_own_as_cleaning_sees_it(line: str, chrome: bool) -> None:
    assert is_chrome_line(line) is chrome
    assert (clean_text(f"全县签约项目52个。\n{line}").text == "全县签约项目52个。") is chrome


def test_the_offset_map_is_the_identity_before_deletions(monkeypatch: pytest.MonkeyPatch) -> None:
    from array import array

    from zsextract.text import clean

    monkeypatch.setattr(clean, "_IDENTITY_KEPT", 100)
    monkeypatch.setattr(clean, "_identity", array("l"))
    for n in (0, 5, 100, 101, 250, 7):  # kept, grown to the cap, longer than it, kept again
        assert clean._identity_index(n) == array("l", range(n))
    assert len(clean._identity) == 100  # never more than the cap is kept
    doc = clean_text("甲乙丙")
    assert [doc.to_raw(i, i + 1) for i in range(3)] == [(0, 1), (1, 2), (2, 3)]


def test_html_space_entities_in_plain_text_are_deleted_with_offsets_kept() -> None:
    raw = "到位资金&nbsp;3.5亿元，引进企业&nbsp;&nbsp;20家，外资&#12288;1亿美元。A&B公司。"
    doc = clean_text(raw)
    assert doc.text == "到位资金3.5亿元，引进企业20家，外资1亿美元。A&B公司。"
    at = doc.text.index("20家")
    start, end = doc.to_raw(at, at + 3)
    assert raw[start:end] == "20家"
    names = [m.name for m in extract(raw).metrics]
    assert names[:2] == ["到位资金", "引进企业"]


_WRAPPED = (
    "丰源县2024年招商引资工作总结\n"
    "一、总体情况\n"
    "今年以来，全县坚持项目为王，全年签约项目\n"
    "157个，总投资484.5亿元，同比增长18.9%；\n"
    "到位资金312.6亿元，其中省外资金达到了1\n"
    "85.2亿元，新开工亿元以上项目43个，开工率\n"
    "达到78.6%，各项指标均创历史新高。\n"
    "二、主要做法\n"
)


def test_prose_wrapped_at_a_fixed_width_is_joined_but_not_its_headings() -> None:
    doc = clean_text(_WRAPPED)
    assert doc.text.split("\n") == [
        "丰源县2024年招商引资工作总结",
        "一、总体情况",
        "今年以来，全县坚持项目为王，全年签约项目157个，总投资484.5亿元，同比增长18.9%；",
        "到位资金312.6亿元，其中省外资金达到了185.2亿元，新开工亿元以上项目43个，"
        "开工率达到78.6%，各项指标均创历史新高。",
        "二、主要做法",
    ]
    got = {m.name: m.quantity.value for m in extract(_WRAPPED).metrics}
    assert got["签约项目"] == 157 and got["省外资金"] == 18520000000
    quote = next(m.evidence for m in extract(_WRAPPED).metrics if m.name == "省外资金")
    assert _WRAPPED[quote.start : quote.end] == quote.quote == "1\n85.2亿元"


def test_headings_and_table_rows_of_one_width_are_not_joined() -> None:
    text = (
        "■柳州：围绕链主企业引进配套项目十二个\n柳州市聚焦汽车产业，新引进项目。\n"
        "■钦州：粤桂共建产业园新落户项目五个\n钦州与佛山共建产业园。\n"
        "■玉林：机械产业链新签约亿元项目三个\n玉林市签约项目。\n"
    )
    assert clean_text(text).text == text.rstrip("\n")
    rows = (
        "新签约亿元以上项目 个 40 27 67.5\n实际到位省外资金额 亿元 80 52 65\n"
        "新开工亿元以上项目 个 30 21 70.0\n新增规模以上工业企业 家 25 12 48\n"
    )
    assert clean_text(rows).text == rows.rstrip("\n")
