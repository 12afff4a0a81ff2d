"""Long documents (issue 12): the rules backend reads them in sections of whole
paragraphs, and no step compares every item with every other, so time grows with the
text. The figures are benchmarks/scaling.py's; these tests hold the behaviour."""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

import zsextract
from zsextract.backends.paragraphs import split_paragraphs
from zsextract.backends.rules import backend as rules_backend
from zsextract.readers.names import NestedKeys
from zsextract.readers.places import main_place
from zsextract.readers.quantities import find_quantities
from zsextract.readers.spans import SpanSet
from zsextract.text.clean import clean_text, is_chrome_line

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "articles"


class _ShortTail(NestedKeys):
    _TAIL = 2  # the joined string rebuilt often, so that it is searched


@settings(max_examples=1000, deadline=None)
@given(
    st.lists(st.text(alphabet="甲乙丙丁戊己", max_size=5), max_size=150),
    st.sampled_from([NestedKeys, _ShortTail]),
)
def test_nested_keys_find_what_a_scan_of_every_key_finds(
    keys: list[str], kind: type[NestedKeys]
) -> None:
    index = kind()
    kept: list[str] = []
    for key in keys:
        scan = next((i for i, k in enumerate(kept) if key in k or k in key), None)
        assert index.find(key) == scan
        if scan is None:
            kept.append(key)
            assert index.add(key) == len(kept) - 1
    assert len(index) == len(kept)


@settings(max_examples=500, deadline=None)
@given(
    st.lists(st.text(alphabet="甲乙。，", max_size=40), min_size=1, max_size=60),
    st.integers(10, 80),
    st.integers(0, 40),
)
# found by a CI run: the overlap repeated a piece cut inside a paragraph
@example(["。。乙乙乙，乙乙乙乙乙乙。"], 10, 4)
def test_paragraph_spans_cover_the_text_in_order(
    paragraphs: list[str], max_chars: int, overlap: int
) -> None:
    text = "\n".join(paragraphs)
    spans = split_paragraphs(text, max_chars, overlap)
    assert spans[0][0] == 0 and spans[-1][1] == len(text)
    paragraph_starts = {0} | {i + 1 for i, c in enumerate(text) if c == "\n"}
    for (a, b), (c, _) in pairwise(spans):
        assert a < c <= b + 1  # in order, no gap but the line break between
        assert c >= min(b, max(a + 1, b - min(overlap, max_chars // 2)))  # overlap bounded
        if overlap == 0:
            assert c in (b, b + 1)
        assert c in paragraph_starts or c == b  # a paragraph start, or a cut in one
        lo = max(a + 1, b - min(overlap, max_chars // 2))
        assert all(c <= p for p in paragraph_starts if lo <= p < b)  # the overlap is kept


def _long_article() -> str:
    """The example articles one after another, twice, without their footer lines (相关阅读
    would end the article): about 4,000 characters."""
    texts = [p.read_text("utf-8") for p in sorted(EXAMPLES.glob("*.txt"))]
    lines = "\n".join(texts * 2).splitlines()
    return "\n".join(line for line in lines if not is_chrome_line(line))


def _items(report: zsextract.Report) -> dict[str, set[tuple[object, ...]]]:
    return {
        "metrics": {(m.name, m.quantity.value, m.period, m.evidence.start) for m in report.metrics},
        "timelines": {(t.kind, t.evidence.start) for t in report.timelines},
        "projects": {(p.name, p.investment, p.evidence.start) for p in report.projects},
        "mechanisms": {(m.code, m.evidence.start) for m in report.mechanisms},
    }


def test_reading_in_sections_finds_what_one_pass_finds(monkeypatch: pytest.MonkeyPatch) -> None:
    text = _long_article()
    whole = zsextract.extract(text)
    monkeypatch.setattr(rules_backend, "SECTION_CHARS", 300)
    assert len(split_paragraphs(clean_text(text).text, 300, 0)) > 4
    sectioned = zsextract.extract(text)
    assert _items(sectioned) == _items(whole)
    assert sectioned.region == whole.region and sectioned.period == whole.period
    for item in [*sectioned.metrics, *sectioned.timelines, *sectioned.projects]:
        quote = item.evidence
        assert text[quote.start : quote.end] == quote.quote


def test_the_place_named_most_wins_among_thousands() -> None:
    names = [a + b + c for a in "安宝北昌达东丰福广海" for b in "和恒华佳金" for c in "锦久康乐"]
    text = "全市招商引资工作会议召开。\n" + "".join(f"{n}县，" for n in names) + "青山市。" * 3
    assert main_place(text) == "青山市"


def test_a_place_in_the_title_counts_extra_among_many() -> None:
    others = [a + b for a in "安宝北昌达" for b in "和恒华佳金"]  # 25 places, each twice
    text = "丰源县召开招商大会\n" + "".join(f"{n}县，{n}县，" for n in others)
    assert main_place(text) == "丰源县"


@settings(max_examples=1000, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 60), st.integers(1, 15)), max_size=30),
    st.integers(0, 80),
    st.integers(0, 10),
)
def test_a_span_set_answers_as_a_scan_of_every_span(
    raw: list[tuple[int, int]], start: int, width: int
) -> None:
    spans = [(a, a + n) for a, n in raw]
    found = SpanSet(spans)
    assert found.holds(start) == any(a <= start < b for a, b in spans)
    end = start + width
    assert found.overlaps(start, end) == any(a < end and start < b for a, b in spans)


def test_quantities_of_some_kinds_are_those_kinds_of_every_quantity() -> None:
    for path in sorted(EXAMPLES.iterdir()):
        text = path.read_text("utf-8")
        every = [(q.start, q.end, q.quantity) for q in find_quantities(text)]
        for kinds in (("money", "percent", "count"), ("time",), ("times", "physical")):
            some = [(q.start, q.end, q.quantity) for q in find_quantities(text, kinds=kinds)]
            assert some == [q for q in every if q[2].kind in kinds]
            assert some or kinds != ("money", "percent", "count")
