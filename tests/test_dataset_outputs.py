"""Series, tables, the CLI and the plot of a consolidation (issue 15), on the example
articles of the made-up 桐川市 (examples/series: five monthly reports of 2024
and a newspaper's short report of 1—7月)."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

import zsextract
from zsextract.cli import app
from zsextract.dataset import Consolidation, series, series_frame
from zsextract.errors import OutputError

from .conftest import EXAMPLES

SERIES = EXAMPLES.parent / "series"
PUBLISHED = {
    "tongchuan_2024_04": "2024-05-12",
    "tongchuan_2024_h1": "2024-07-15",
    "tongchuan_2024_07": "2024-08-14",
    "tongchuan_2024_q3": "2024-10-20",
    "tongchuan_2024_full": "2025-01-18",
    "tongchuan_daily_2024_07": "2024-08-15",
}
FUNDS = "到位资金"


def _reports() -> list[tuple[str, zsextract.PromotionReport]]:
    out = []
    for name, published in PUBLISHED.items():
        text = (SERIES / f"{name}.txt").read_text("utf-8")
        meta = {"publish_date": published, "region": "桐川市", "url": f"https://example.org/{name}"}
        out.append((name, zsextract.extract(text, metadata=meta)))
    return out


@pytest.fixture(scope="module")
def result() -> Consolidation:
    return zsextract.consolidate(_reports())


def test_cumulative_figures_in_order_and_increments_derived(result: Consolidation) -> None:
    points = [p for p in series(result.facts) if p.measure == FUNDS and p.unit == "CNY"]
    cumulative = [(p.period_end, p.value) for p in points if p.kind == "cumulative"]
    yi = Decimal(100_000_000)
    assert cumulative == [
        ("2024-04", Decimal("86.4") * yi),
        ("2024-06", Decimal("132.7") * yi),
        ("2024-07", Decimal("158.2") * yi),
        ("2024-09", Decimal("201.6") * yi),
        ("2024-12", Decimal("276.3") * yi),
    ]
    increments = [(p.period_start, p.period_end, p.value, p.derived) for p in points]
    increments = [i for i in increments if i[3]]
    assert increments == [
        ("2024-05", "2024-06", Decimal("46.3") * yi, True),
        ("2024-07", "2024-07", Decimal("25.5") * yi, True),
        ("2024-08", "2024-09", Decimal("43.4") * yi, True),
        ("2024-10", "2024-12", Decimal("74.7") * yi, True),
    ]
    july = next(p for p in points if p.kind == "increment" and p.period_end == "2024-07")
    assert july.documents == ("tongchuan_2024_h1", "tongchuan_2024_07", "tongchuan_daily_2024_07")
    # percentages are points, never subtracted
    growth = [p for p in series(result.facts) if p.unit == "percent"]
    assert growth and not any(p.kind == "increment" for p in growth)


def test_the_newspaper_rounds_one_figure_and_contradicts_another(result: Consolidation) -> None:
    july = [f for f in result.facts if f.period_end == "2024-07" and f.period_start == "2024-01"]
    funds = next(f for f in july if f.measure == FUNDS and f.unit == "CNY")
    assert funds.agreement == "rounding" and funds.value == Decimal("15820000000")
    assert funds.articles == ["tongchuan_2024_07", "tongchuan_daily_2024_07"]
    (conflict,) = result.conflicts
    assert conflict.measure == "新签约项目" and set(conflict.values) == {70, 72}
    # a conflict has no series value: its months are a gap, not a guess
    projects = [p for p in series(result.facts) if p.measure == "新签约项目"]
    assert "2024-07" not in {p.period_end for p in projects}


@pytest.mark.parametrize("suffix", [".parquet", ".csv", ".jsonl"])
def test_facts_are_written_exactly_in_each_format(
    result: Consolidation, tmp_path: Path, suffix: str
) -> None:
    import pandas as pd

    path = tmp_path / f"facts{suffix}"
    assert result.write(path) == len(result.facts)
    assert not list(tmp_path.glob("*.partial"))
    if suffix == ".parquet":
        import pyarrow.parquet as pq

        rows = pq.read_table(path).to_pylist()
        funds = next(r for r in rows if r["agreement"] == "rounding")
        assert funds["value"] == Decimal("15820000000")
        assert {s["doc_id"] for s in funds["sources"]} == {
            "tongchuan_2024_07",
            "tongchuan_daily_2024_07",
        }
        assert funds["sources"][0]["address"].startswith("https://example.org/")
    elif suffix == ".csv":
        frame = pd.read_csv(path, dtype=str)
        funds = frame[frame.agreement == "rounding"].iloc[0]
        assert funds.value == "15820000000"
        assert len(json.loads(funds.sources)) == 2
    else:
        rows = [json.loads(line) for line in path.read_text("utf-8").splitlines()]
        conflict = next(r for r in rows if r["agreement"] == "conflict")
        assert conflict["value"] is None and sorted(conflict["values"]) == ["70", "72"]
    frame = result.to_frame()
    assert len(frame) == len(result.facts) and set(frame.agreement) == {
        "same",
        "rounding",
        "conflict",
    }
    points = series_frame(result.series())
    assert points.derived.any() and (points.kind == "cumulative").any()


def test_a_table_with_an_unknown_suffix_or_an_unwritable_path_is_a_clear_error(
    result: Consolidation, tmp_path: Path
) -> None:
    with pytest.raises(OutputError, match=r"\.parquet, \.csv or \.jsonl"):
        result.write(tmp_path / "facts.xlsx")
    with pytest.raises(OutputError, match="cannot write"):
        result.write(tmp_path / "no" / "such" / "facts.csv")
    assert not list(tmp_path.rglob("*.partial"))


def _jsonl(tmp_path: Path) -> Path:
    path = tmp_path / "reports.jsonl"
    with path.open("w", encoding="utf-8") as f:
        for doc_id, report in _reports():
            line = {"id": doc_id, "status": "ok", "report": report.model_dump(mode="json")}
            f.write(json.dumps(line, ensure_ascii=False) + "\n")
    return path


def test_the_cli_writes_facts_series_and_a_self_contained_plot(tmp_path: Path) -> None:
    reports = _jsonl(tmp_path)
    out, points, plot = tmp_path / "facts.parquet", tmp_path / "s.csv", tmp_path / "p.html"
    args = ["consolidate", str(reports), "-o", str(out), "--series", str(points)]
    result = CliRunner().invoke(app, [*args, "--plot", str(plot)])
    assert result.exit_code == 0, result.output
    assert "6 documents" in result.output and "1 conflict" in result.output
    assert "conflict: 桐川市 新签约项目" in result.output
    import pyarrow.parquet as pq

    assert pq.read_table(out).num_rows > 10
    assert "increment" in points.read_text("utf-8")
    page = plot.read_text("utf-8")
    assert "<script" in page and not re.search(r"<script[^>]+src=", page)  # Plotly inline
    assert "tongchuan_2024_07" in page or "example.org/tongchuan_2024_07" in page  # hover
    assert "derived" in page


def test_the_cli_says_what_is_wrong_with_its_input(tmp_path: Path) -> None:
    runner = CliRunner()
    missing = runner.invoke(app, ["consolidate", str(tmp_path / "none.jsonl"), "-o", "x.csv"])
    assert missing.exit_code == 2 and "no such file" in missing.output
    reports = _jsonl(tmp_path)
    nowhere = runner.invoke(
        app,
        [
            "consolidate",
            str(reports),
            "-o",
            str(tmp_path / "f.csv"),
            "--plot",
            "p.html",
            "--place",
            "月球",
        ],
    )
    assert nowhere.exit_code == 2 and "no series point for place '月球'" in nowhere.output
