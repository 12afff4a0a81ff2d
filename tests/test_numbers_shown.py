"""Numbers exact in JSON and tables, and shown as people write them (issue 18)."""

from __future__ import annotations

import csv
import json
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

import zsextract
from zsextract.cli import app
from zsextract.report.render import render_report
from zsextract.report.schema import Quantity
from zsextract.report.tables import NUMBER_COLUMNS

# sentences written for the project, and the display each quantity must have
SHOWN = [
    ("今年引进到位资金484.5亿元。", "484.5亿元"),
    ("实际使用外资同比增长18.9%。", "18.9%"),
    ("全年新签约项目157个。", "157个"),
    ("总投资1-5亿元的项目。", "1-5亿元"),
    ("合同外资3000万美元。", "3000万美元"),
    ("占比提高3个百分点。", "3个百分点"),
    ("總投資12億元。", "12亿元"),
    ("签约后12个月内开工。", "12个月"),
    ("用地300亩。", "300亩"),
    ("产值增长1.5倍。", "1.5倍"),
    ("落户企业28家。", "28家"),
]


@pytest.mark.parametrize(("sentence", "shown"), SHOWN)
def test_quantities_are_shown_as_written(sentence: str, shown: str) -> None:
    (found,) = zsextract.find_quantities(sentence)
    assert found.quantity.display == shown


def test_a_quantity_without_a_fitting_written_unit_gets_a_readable_one() -> None:
    big = Quantity(value=Decimal("48450000000"), unit="CNY")
    assert big.display == "484.5亿元"
    assert Quantity(value=Decimal("35000"), unit="CNY").display == "3.5万元"
    assert Quantity(value=Decimal("880"), unit="USD").display == "880美元"
    assert Quantity(value=Decimal("157"), unit="count", unit_text="%").display == "157个"
    assert Quantity(value=Decimal("18.90"), unit="percent").display == "18.9%"


decimals = st.decimals(allow_nan=False, allow_infinity=False, places=None).filter(
    lambda d: abs(d.adjusted()) < 60
)


@settings(max_examples=500, deadline=None)
@given(decimals)
def test_json_round_trips_every_value_exactly(value: Decimal) -> None:
    q = Quantity(value=value, unit="CNY", low=value, high=value)
    back = Quantity.model_validate_json(q.model_dump_json())
    assert (back.value, back.low, back.high) == (value, value, value)


def test_json_writes_plain_numbers_where_a_float_is_exact() -> None:
    q = Quantity(value=Decimal("48450000000"), unit="CNY", low=Decimal("18.9"))
    data = json.loads(q.model_dump_json())
    assert data["value"] == 48450000000 and isinstance(data["value"], int)
    assert data["low"] == 18.9
    long = Quantity(value=Decimal("0.12345678901234567891"), unit="percent")
    assert json.loads(long.model_dump_json())["value"] == "0.12345678901234567891"


def _report() -> zsextract.PromotionReport:
    return zsextract.extract(
        "青山县2024年上半年招商引资工作总结\n"
        "上半年，全县引进到位资金484.5亿元，同比增长18.9%，新签约项目157个。"
    )


def test_tables_hold_exact_numbers_and_the_display(tmp_path: Path) -> None:
    report = _report()
    frame = zsextract.to_frame([report])
    metrics = frame[frame.part == "metric"].set_index("display")
    assert metrics.loc["484.5亿元", "value"] == Decimal("48450000000")
    assert metrics.loc["18.9%", "value"] == Decimal("18.9")
    assert isinstance(metrics.loc["157个", "value"], Decimal)
    assert "e+" not in frame.to_string()

    zsextract.write_table([report], tmp_path / "t.csv")
    with (tmp_path / "t.csv").open(encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f) if r["part"] == "metric"]
    assert {r["value"] for r in rows} >= {"48450000000", "18.9", "157"}

    zsextract.write_table([report], tmp_path / "t.parquet")
    table = pq.read_table(tmp_path / "t.parquet")
    for column in NUMBER_COLUMNS:
        assert str(table.schema.field(column).type) == "decimal128(38, 10)"
    back = pd.read_parquet(tmp_path / "t.parquet")
    assert Decimal("48450000000") in set(back["value"].dropna())


def test_a_value_parquet_cannot_hold_exactly_is_an_error(tmp_path: Path) -> None:
    report = _report()
    metric = report.metrics[0]
    odd = metric.quantity.model_copy(update={"value": Decimal("0.123456789012")})
    report.metrics[0] = metric.model_copy(update={"quantity": odd})
    with pytest.raises(zsextract.OutputError, match="CSV"):
        zsextract.write_table([report], tmp_path / "t.parquet")


def test_the_html_view_and_the_cli_table_show_the_display(tmp_path: Path) -> None:
    html = render_report(_report())
    for shown in ("484.5亿元", "18.9%", "157个"):
        assert f"<td>{shown}</td>" in html
    assert "e+10" not in html and "CNY" not in html

    article = tmp_path / "a.txt"
    article.write_text("上半年，全县引进到位资金484.5亿元，新签约项目157个。", "utf-8")
    result = CliRunner().invoke(app, ["extract", str(article), "--format", "table"])
    assert result.exit_code == 0, result.output
    rows = [line.split("│") for line in result.stdout.splitlines() if "│" in line]
    assert any(cells[2].strip() == "484.5亿元" for cells in rows)  # its own column
    assert any(cells[2].strip() == "157个" for cells in rows)
    assert "48450000000" not in result.stdout and "CNY" not in result.stdout
