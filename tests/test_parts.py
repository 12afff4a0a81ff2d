"""The four parts are described once (zsextract/report/parts.py): every view shows the
same columns, and every per-document failure is one record."""

from __future__ import annotations

import json
import re
from pathlib import Path

from typer.testing import CliRunner

import zsextract
from zsextract import DocumentError, EmptyInputError
from zsextract.cli import app
from zsextract.report.parts import PARTS, ROW_COLUMNS
from zsextract.report.render import render_report
from zsextract.report.tables import COLUMNS

from .conftest import ROOT

ARTICLE = ROOT / "tests" / "data" / "articles" / "a01_county_summary.txt"


def _report() -> zsextract.PromotionReport:
    report = zsextract.extract(ARTICLE.read_text("utf-8"), path=ARTICLE)
    assert all(part.items(report) for part in PARTS)  # the article has every part
    return report


def test_every_view_shows_the_parts_columns() -> None:
    report = _report()
    page = render_report(report)
    headers = [
        re.findall(r"<th>([^<]*)</th>", table) for table in re.findall(r"<table><tr>.*?</tr>", page)
    ]
    assert headers[: len(PARTS)] == [list(part.shown) for part in PARTS]
    shown = CliRunner().invoke(
        app, ["extract", str(ARTICLE), "-f", "table"], env={"COLUMNS": "400"}
    )
    lines = shown.stdout.splitlines()
    for part in PARTS:
        title = next(n for n, line in enumerate(lines) if line.endswith(f": {part.title.lower()}"))
        header = next(line for line in lines[title:] if line.startswith("┃"))
        assert [c.strip() for c in header.strip("┃").split("┃")] == list(part.shown)
    rows = list(zsextract.to_rows([report]))
    assert list(rows[0]) == COLUMNS and set(ROW_COLUMNS) <= set(COLUMNS)
    for part in PARTS:
        made = [row for _, _, row in part.rows(report)]
        assert sum(r["part"] == part.name for r in rows) == len(made)
        assert all(set(row) <= set(ROW_COLUMNS) and set(part.shown) <= set(row) for row in made)


def test_the_gold_bridge_reads_the_same_rows() -> None:
    report = _report()
    gold = report.to_gold()
    metric_rows = [row for _, _, row in PARTS[0].rows(report)]
    assert [m["quote"] for m in gold["metrics"]] == [
        r["quote"] for r in metric_rows if r["unit"] in ("CNY", "USD", "percent", "count")
    ]
    stages = sum(len(t["stages"]) for t in gold["timelines"])
    assert stages == len(list(PARTS[2].rows(report))) and len(gold["timelines"]) == len(
        report.timelines
    )


def test_one_error_record_for_the_cli_batch_and_ray(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("   ", "utf-8")
    try:
        zsextract.extract("   ")
    except EmptyInputError as exc:
        record = DocumentError.from_exception(exc)
    assert record.as_dict() == {"type": "EmptyInputError", "message": str(record.message)}
    summary = zsextract.extract_many([{"id": "e", "text": "   "}])
    assert summary.results[0].error == record.as_dict()
    cli = CliRunner().invoke(app, ["extract", str(empty)])
    assert cli.exit_code == 1
    bug = DocumentError.from_exception(RuntimeError("boom"))
    assert bug.internal and "internal error in the rules backend" in bug.line("a.txt", "rules")
    assert json.loads(json.dumps(bug.as_dict()))["internal"] is True
