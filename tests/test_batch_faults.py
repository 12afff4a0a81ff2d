"""Batch runs over bad inputs and damaged outputs (issue 12): every document gets one
line, ok or an error naming its line or id; the run goes on; a torn last line is
repaired before appending; two runs never write one output."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from zsextract import OutputError
from zsextract.batch import extract_many
from zsextract.batch.runner import _Writer
from zsextract.cli import app

from .conftest import GOLD, needs_shared

runner = CliRunner()
GOOD = "全县新签项目26个，到位资金5亿元。"


def _lines(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines()]


def test_a_jsonl_full_of_bad_lines_finishes_with_a_line_per_document(tmp_path: Path) -> None:
    rows = [
        "\ufeff" + json.dumps({"id": "bom", "text": GOOD}, ensure_ascii=False),  # a BOM first
        json.dumps({"id": "ok", "text": GOOD}, ensure_ascii=False),
        "not json",
        json.dumps({"id": None, "text": GOOD}, ensure_ascii=False),
        json.dumps({"id": ["a", 1], "text": GOOD}, ensure_ascii=False),
        json.dumps({"id": "ok", "text": GOOD}, ensure_ascii=False),  # a repeated id
        json.dumps({"id": "n", "text": 5}),
        '{"id": "surrogate", "text": "新签项目3个\\ud800。"}',
        json.dumps({"id": 7, "text": GOOD}, ensure_ascii=False),
    ]
    data = "\n".join(rows).encode("utf-8").replace(b"not json", b"\xff\xfe bad bytes")
    src = tmp_path / "docs.jsonl"
    src.write_bytes(data)
    out = tmp_path / "out.jsonl"
    result = runner.invoke(app, ["batch", str(src), "-o", str(out), "--no-progress", "-b", "rules"])
    lines = _lines(out)
    assert len(lines) == len(rows)
    by_id = {str(line["id"]): line for line in lines}
    assert {k for k, v in by_id.items() if v["status"] == "ok"} == {"bom", "ok", "surrogate", "7"}
    errors = [line["error"]["message"] for line in lines if line["status"] != "ok"]  # type: ignore[index]
    assert any(f"{src}:3: not UTF-8" in e for e in errors)
    assert sum("'id' must be a string or an integer" in e for e in errors) == 2
    assert any("id 'ok' repeats line 2" in e for e in errors)
    assert any("needs a string 'text'" in e for e in errors)
    assert result.exit_code == 1 and "5 document(s) failed" in result.stderr


def test_extract_many_takes_a_wrong_item_as_that_items_error() -> None:
    summary = extract_many([GOOD, 5, {"text": None}, {"text": GOOD}])  # type: ignore[list-item]
    status = [(r.id, r.error is None) for r in summary.results]
    assert sorted(status) == [("0", True), ("1", False), ("2", False), ("3", True)]
    assert summary.failed == 2


def test_resume_repairs_a_torn_last_line(tmp_path: Path) -> None:
    src = tmp_path / "docs.jsonl"
    src.write_text(
        "\n".join(json.dumps({"id": f"d{i}", "text": GOOD + "。" * i}) for i in range(3)), "utf-8"
    )
    out = tmp_path / "out.jsonl"
    extract_many(src, output=out)
    whole = out.read_bytes()
    out.write_bytes(whole[: len(whole) - 40])  # a crash in the middle of the last line
    summary = extract_many(src, output=out, resume=True)
    lines = _lines(out)  # every line parses: the fragment was cut, not appended to
    assert summary.done == 1 and summary.skipped == 2
    assert sorted(str(line["id"]) for line in lines) == ["d0", "d1", "d2"]


def test_two_runs_never_write_one_output(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    first = _Writer(out)
    try:
        with pytest.raises(OutputError, match="another batch run is writing to it"):
            _Writer(out)
    finally:
        first.close()
    _Writer(out).close()  # free again once the first run is done


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no fifos here")
def test_a_fifo_among_the_files_is_an_error_line_not_a_hang(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(GOOD, "utf-8")
    os.mkfifo(folder / "b.txt")
    summary = extract_many(folder)
    by_id = {r.id: r for r in summary.results}
    assert by_id["a.txt"].report is not None
    assert "not a regular file" in by_id["b.txt"].error["message"]  # type: ignore[index]


def _one_line_error(result: object, path: Path) -> None:
    stderr = result.stderr  # type: ignore[attr-defined]
    assert result.exit_code == 2, result.output  # type: ignore[attr-defined]
    assert "Traceback" not in stderr and f"{path}: cannot be written" in stderr
    assert len([line for line in stderr.splitlines() if "error" in line]) == 1


def test_outputs_that_cannot_be_written_are_one_line(tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_text(GOOD, "utf-8")
    folder = tmp_path / "folder"
    folder.mkdir()
    _one_line_error(runner.invoke(app, ["extract", str(article), "-o", str(folder)]), folder)
    missing = tmp_path / "no" / "such" / "out.json"
    _one_line_error(runner.invoke(app, ["extract", str(article), "-o", str(missing)]), missing)
    report = tmp_path / "r.json"
    assert (
        runner.invoke(app, ["extract", str(article), "-o", str(report), "-b", "rules"]).exit_code
        == 0
    )
    _one_line_error(runner.invoke(app, ["render", str(report), "-o", str(folder)]), folder)
    (tmp_path / "out.parquet").mkdir()
    batch = runner.invoke(
        app,
        [
            "batch",
            str(article),
            "-o",
            str(tmp_path / "out.jsonl"),
            "--format",
            "parquet",
            "--no-progress",
            "-b",
            "rules",
        ],
    )
    _one_line_error(batch, tmp_path / "out.parquet")


@needs_shared
def test_eval_prints_its_scores_before_failing_to_write_the_page(tmp_path: Path) -> None:
    folder = tmp_path / "page.html"
    folder.mkdir()
    result = runner.invoke(
        app, ["eval", "--gold", str(GOLD), "--pred", str(GOLD), "--json", "--html", str(folder)]
    )
    _one_line_error(result, folder)
    assert json.loads(result.stdout)["mean_f1"] == 1.0
