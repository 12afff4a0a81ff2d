"""Periods as data (issue 18): one test per rule of the period resolution, on sentences
written for the project."""

from __future__ import annotations

from datetime import date

import pytest

import zsextract
from zsextract.readers.intervals import ArticleTime, interval_of, stated_period


def _metrics(text: str, published: str | None = None) -> dict[str, zsextract.Metric]:
    meta = {"publish_date": published} if published else None
    report = zsextract.extract(text, metadata=meta)
    return {m.quantity.display: m for m in report.metrics}


def _dates(m: zsextract.Metric) -> tuple[str | None, str | None, str | None] | None:
    return (m.interval.start, m.interval.end, m.interval.as_of) if m.interval else None


def test_a_year_end_summary_published_in_january_is_about_the_year_before() -> None:
    found = _metrics(
        "2023年全市招商引资到位资金120亿元。全年新签约项目56个。", published="2024-01-20"
    )
    assert found["120亿元"].period == "2023年"
    assert found["56个"].period == "2023年全年"
    assert _dates(found["56个"]) == ("2023-01", "2023-12", None)


def test_the_period_of_the_figures_own_clause_comes_first() -> None:
    found = _metrics("上半年全县到位资金10亿元，1至7月新签项目5个。", published="2024-08-10")
    assert _dates(found["10亿元"]) == ("2024-01", "2024-06", None)
    assert _dates(found["5个"]) == ("2024-01", "2024-07", None)


@pytest.mark.parametrize("dash", ["—", "–", "-", "~", "至"])
def test_a_year_and_a_month_range_with_any_dash_are_one_period(dash: str) -> None:
    found = _metrics(f"2024年1{dash}6月，全市到位资金12亿元。", published="2024-12-20")
    assert found["12亿元"].period == f"2024年1{dash}6月"
    assert _dates(found["12亿元"]) == ("2024-01", "2024-06", None)


def test_a_year_opening_a_paragraph_is_the_year_of_its_yearless_periods() -> None:
    text = (
        "2024年，全市到位资金276.3亿元。\n\n2025年，全市将以商招商，力争全年到位资金突破300亿元。"
    )
    found = _metrics(text, published="2025-01-18")
    assert found["300亿元"].period == "2025年全年"
    assert _dates(found["300亿元"]) == ("2025-01", "2025-12", None)
    assert _dates(found["276.3亿元"]) == ("2024-01", "2024-12", None)
    # 今年 is said from the publish date, whatever year opens its paragraph
    this = _metrics(
        "2023年，全市到位资金100亿元；今年1—6月，到位资金60亿元。", published="2024-07-10"
    )
    assert _dates(this["60亿元"]) == ("2024-01", "2024-06", None)
    # a year inside the paragraph (a base of comparison) is not its year
    later = _metrics("全年到位资金50亿元，比2023年增长10%。", published="2024-12-30")
    assert _dates(later["50亿元"]) == ("2024-01", "2024-12", None)


def test_a_target_is_not_the_period_of_the_figures_after_it() -> None:
    found = _metrics(
        "1至7月，全市到位资金84亿元，完成全年目标任务的84.1%，同比增长8.8%。",
        published="2024-08-10",
    )
    for shown in ("84亿元", "84.1%", "8.8%"):
        assert found[shown].period == "2024年1至7月", shown
    target = _metrics("完成全年5360亿元目标任务的25%。", published="2024-05-01")
    assert target["5360亿元"].period == "2024年全年"  # the target itself keeps it


def test_a_figure_in_a_later_sentence_takes_its_paragraphs_period() -> None:
    found = _metrics("今年以来，全县新签项目30个。到位资金12亿元。", published="2024-06-15")
    assert _dates(found["12亿元"]) == ("2024-01", "2024-06", None)


def test_a_figure_without_a_period_in_its_paragraph_takes_the_articles() -> None:
    text = "青山县2024年上半年招商工作综述\n\n全县到位资金48亿元。\n\n签约项目20个。"
    found = _metrics(text, published="2024-07-20")
    assert found["20个"].period == "2024年上半年"
    assert _dates(found["20个"]) == ("2024-01", "2024-06", None)


def test_as_of_dates_are_kept_as_days() -> None:
    found = _metrics("截至10月17日，全县在谈项目35个。", published="2024-10-20")
    assert _dates(found["35个"]) == (None, None, "2024-10-17")
    found = _metrics("截至目前，全县在谈项目35个。", published="2024-10-20")
    assert _dates(found["35个"]) == (None, None, "2024-10-20")
    found = _metrics("截至9月底，全县在谈项目35个。", published="2024-10-20")
    assert _dates(found["35个"]) == (None, None, "2024-09-30")


def test_the_year_comes_from_the_phrase_then_the_article_then_the_publish_date() -> None:
    published = date(2025, 3, 10)
    assert interval_of("2023年1至4月", ArticleTime("2024年", published)).start == "2023-01"
    assert interval_of("1至4月", ArticleTime("2024年", published)).start == "2024-01"
    assert interval_of("1至4月", ArticleTime(None, published)).start == "2025-01"
    assert interval_of("1至4月", ArticleTime(None, None)) is None


@pytest.mark.parametrize(
    ("period", "expected"),
    [
        ("上半年", ("2024-01", "2024-06", None)),
        ("前三季度", ("2024-01", "2024-09", None)),
        ("二季度", ("2024-04", "2024-06", None)),
        ("一至十月", ("2024-01", "2024-10", None)),
        ("7月份", ("2024-07", "2024-07", None)),
        ("3月20日", ("2024-03", "2024-03", None)),
        ("今年以来", ("2024-01", "2024-08", None)),
        ("去年", ("2023-01", "2023-12", None)),
        ("2022年以来", ("2022-01", "2024-08", None)),
        ("十三五期间", ("2016-01", "2020-12", None)),
        ("2019—2021年", ("2019-01", "2021-12", None)),
        ("截至6月15日", (None, None, "2024-06-15")),
        ("近年来", None),
    ],
)
def test_each_kind_of_period_as_dates(period: str, expected: tuple | None) -> None:
    found = interval_of(period, ArticleTime("2024年", date(2024, 8, 20)))
    assert (None if found is None else (found.start, found.end, found.as_of)) == expected


def test_the_stated_period_is_the_first_in_the_title_or_lead() -> None:
    assert stated_period("青山县2024年上半年招商工作综述\n全县……") == "2024年上半年"
    assert stated_period("招商工作再提速\n今年以来，全县……") == "今年以来"
    assert stated_period("招商工作再提速\n全县……") is None


def test_an_interval_must_be_dates() -> None:
    with pytest.raises(ValueError, match="YYYY-MM"):
        zsextract.Interval(start="2024-13")
    with pytest.raises(ValueError):
        zsextract.Interval(as_of="2024-02-30")
