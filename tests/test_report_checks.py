"""Checks inside one report (issue 15): where an article's figures disagree with each
other or with its publish date, on sentences written for these tests; and none on
consistent ones."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

import zsextract

from .conftest import CORPUS, EXAMPLES


def _checks(text: str, published: str | None = None) -> list[tuple[str, list[str], list[Decimal]]]:
    meta = {"publish_date": published} if published else None
    report = zsextract.extract(text, metadata=meta)
    return [(c.kind, c.items, c.numbers) for c in report.checks]


def test_a_part_larger_than_its_total() -> None:
    assert _checks("1—6月，全县新签约项目61个，其中工业项目67个。") == [
        ("part_exceeds_total", ["metrics[0]", "metrics[1]"], [Decimal(61), Decimal(67)])
    ]
    assert _checks("1—6月，全县新签约项目61个，其中工业项目47个。") == []


def test_a_share_of_a_target_the_amounts_do_not_give() -> None:
    wrong = "1—6月，全市引进省外资金219.22亿元，完成年度目标任务589亿元的47.22%。"
    ((kind, items, numbers),) = _checks(wrong)
    assert kind == "target_share_mismatch"
    assert items == ["metrics[0]", "metrics[1]", "metrics[2]"]
    assert numbers[2:] == [Decimal("47.22"), Decimal("37.22")]
    assert _checks(wrong.replace("47.22%", "37.22%")) == []
    # an excess over a target is no share of it
    assert _checks("全年协议投资额4994亿元，超过目标任务4000亿元的19%。") == []


def test_a_growth_its_own_figures_do_not_give() -> None:
    wrong = "今年以来，全县到位资金120亿元，比去年同期的100亿元增长30%。"
    ((kind, items, numbers),) = _checks(wrong)
    assert (kind, items) == ("growth_mismatch", ["metrics[0]", "metrics[1]", "metrics[2]"])
    assert numbers[2:] == [Decimal(30), Decimal(20)]
    assert _checks(wrong.replace("30%", "20%")) == []
    assert _checks("今年以来，全县到位资金80亿元，比去年同期的100亿元下降20%。") == []


def test_a_period_after_the_publish_date() -> None:
    text = "1—9月，全县实际到位资金56.2亿元。"
    ((kind, items, _),) = _checks(text, published="2024-07-10")
    assert (kind, items) == ("period_after_publish", ["metrics[0]"])
    assert _checks(text, published="2024-10-12") == []
    # a target is stated for a period still to come
    assert _checks("力争全年到位资金目标100亿元。", published="2024-07-10") == []
    plan = "2024年，全市到位资金276.3亿元。\n\n2025年，全市将力争全年到位资金突破300亿元。"
    assert _checks(plan, published="2025-01-18") == []  # a target named in its quote


def test_one_figure_stated_twice_with_two_values() -> None:
    text = "全县1—9月实际到位资金58.7亿元\n1—9月，全县实际到位资金56.2亿元。"
    ((kind, items, numbers),) = _checks(text)
    assert (kind, items) == ("stated_twice", ["metrics[0]", "metrics[1]"])
    assert numbers == [Decimal("5870000000"), Decimal("5620000000")]
    # within the body the same name is often a breakdown by place
    body = "前言\n1至7月，全市到位资金100亿元。\n其中开发区1至7月到位资金60亿元。"
    assert [k for k, _, _ in _checks(body)] == []


def test_checks_are_in_the_report_json() -> None:
    report = zsextract.extract("1—6月，全县新签约项目61个，其中工业项目67个。")
    data = report.model_dump(mode="json")
    assert data["checks"][0]["kind"] == "part_exceeds_total"
    assert data["checks"][0]["numbers"] == [61, 67]
    assert "larger than the total" in data["checks"][0]["message"]
    again = zsextract.PromotionReport.model_validate_json(report.model_dump_json())
    assert again.checks == report.checks


def test_checks_are_rows_of_the_long_table_and_the_cli_table(tmp_path: Path) -> None:
    import pyarrow.parquet as pq
    from typer.testing import CliRunner

    from zsextract.cli import app

    report = zsextract.extract("1—6月，全县新签约项目61个，其中工业项目67个。", path="a.txt")
    (row,) = [r for r in zsextract.to_rows([report]) if r["part"] == "check"]
    assert (row["doc_id"], row["name"], row["items"]) == (
        "a.txt",
        "part_exceeds_total",
        "metrics[0] metrics[1]",
    )
    assert row["message"] == report.checks[0].message
    assert zsextract.write_table([report], tmp_path / "t.parquet") == 3
    table = pq.read_table(tmp_path / "t.parquet").to_pylist()
    assert [r["name"] for r in table if r["part"] == "check"] == ["part_exceeds_total"]
    article = tmp_path / "a.txt"
    article.write_text("1—6月，全县新签约项目61个，其中工业项目67个。", "utf-8")
    shown = (
        CliRunner()
        .invoke(app, ["extract", str(article), "-f", "table"], env={"COLUMNS": "300"})
        .stdout
    )
    assert "checks" in shown and "part_exceeds_total" in shown


@pytest.mark.parametrize("folder", [CORPUS, EXAMPLES], ids=["shared corpus", "examples"])
def test_consistent_articles_raise_no_check(folder: Path) -> None:
    if not folder.is_dir():
        pytest.skip(f"{folder} is absent")
    for path in sorted(folder.glob("*.txt")):
        report = zsextract.extract(zsextract.read_article(path), path=path)
        assert report.checks == [], (path.name, report.checks)


def test_a_target_is_told_by_its_name_its_quote_before_the_figure_or_its_clause() -> None:
    from zsextract.report.checks import is_target

    text = "上半年到位资金132.7亿元，完成全年目标任务的53.1%。明年力争全年到位资金突破300亿元。"

    def metric(name: str, quote: str, figure: str) -> zsextract.Metric:
        start = text.index(quote)
        return zsextract.Metric(
            name=name,
            quantity=zsextract.parse_quantity(figure),
            evidence=zsextract.Evidence(quote=quote, start=start, end=start + len(quote)),
        )

    # an LLM's quote may run on past the figure: the word after it is another figure's
    achieved = metric("到位资金", "到位资金132.7亿元，完成全年目标任务", "132.7亿元")
    assert not is_target(achieved, text)
    assert is_target(metric("目标任务", "完成全年目标任务的53.1%", "53.1%"), text)  # name
    assert is_target(metric("到位资金", "突破300亿元", "300亿元"), text)  # 力争 in its clause
