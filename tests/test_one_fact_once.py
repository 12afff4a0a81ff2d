"""One fact once (issue 18): the same metric stated several times in an article is one
metric with every statement as evidence."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

import zsextract

from .conftest import CORPUS, EXAMPLES, ROOT, SHARED

ARTICLE = (
    "青山县上半年到位资金48.5亿元\n"
    "今年上半年，青山县引进到位资金48.5亿元，同比增长12%。\n"
    "上半年，全县引进到位资金48.5亿元，新签约项目30个，其中工业项目12个。\n"
)


def test_a_fact_stated_three_times_is_one_metric_with_three_quotes() -> None:
    report = zsextract.extract(ARTICLE)
    money = [m for m in report.metrics if m.quantity.unit == "CNY"]
    assert len(money) == 1
    (metric,) = money
    statements = [metric.evidence, *metric.restated]
    assert len(statements) == 3
    assert len({ev.start for ev in statements}) == 3
    for ev in statements:
        assert report.source.text[ev.start : ev.end] == ev.quote and "48.5亿元" in ev.quote


def test_different_facts_stay_apart() -> None:
    report = zsextract.extract(
        "今年，全县新签约项目30个。去年全县新签约项目30个。其中工业项目30个。"
    )
    # the same number for two years, and a part named otherwise, are three facts
    assert len([m for m in report.metrics if m.quantity.value == 30]) >= 2
    report = zsextract.extract("全县引进到位资金48.5亿元。全市引进到位资金50亿元。")
    assert len([m for m in report.metrics if m.quantity.unit == "CNY"]) == 2


def _articles() -> list[Path]:
    folders = [ROOT / "tests" / "data" / "articles", EXAMPLES, CORPUS, SHARED / "corpus-extra"]
    return sorted(p for folder in folders if folder.is_dir() for p in folder.glob("*.txt"))


@pytest.mark.parametrize("path", _articles(), ids=lambda p: p.name)
def test_no_metric_is_reported_twice(path: Path) -> None:
    report = zsextract.extract(path.read_text("utf-8"), path=path)
    seen: set[tuple[object, ...]] = set()
    for m in report.metrics:
        key = (m.name, m.quantity.unit, m.quantity.value, m.period)
        assert key not in seen, f"{path.name}: {m.name} {m.quantity.display} twice"
        seen.add(key)


def test_a_bare_word_inside_a_longer_name_is_no_restatement() -> None:
    text = (
        "投资10亿元，兴建青山光伏园。"
        "对投资10亿元的恒安三期扩建、投资10亿元的赣东物流园等大项目，分别成立领导小组。"
    )
    metrics = zsextract.extract(text).metrics
    assert [(m.name, m.quantity.value) for m in metrics] == [
        ("投资", Decimal("1000000000")),
        ("恒安三期扩建投资", Decimal("1000000000")),
        ("赣东物流园投资", Decimal("1000000000")),
    ]
