"""Batch runs: inputs, failures that do not stop a run, resume, crash safety, pacing, tables."""

from __future__ import annotations

import itertools
import json
import subprocess
import sys
import textwrap
from decimal import Decimal
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from typer.testing import CliRunner

import zsextract
from zsextract.batch import BatchDoc, Pacer, aextract_many, done_hashes, extract_many
from zsextract.cli import app
from zsextract.testing import FakeOpenAIServer, FakeResponse, RecordedRequest, chat_completion

from .conftest import ROOT

ARTICLES = ROOT / "tests" / "data" / "articles"
runner = CliRunner()


def _lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines()]


def test_folder_run_with_an_unreadable_file(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for p in ARTICLES.iterdir():
        (folder / p.name).write_bytes(p.read_bytes())
    (folder / "empty.txt").write_text("", "utf-8")
    out = tmp_path / "out.jsonl"
    summary = extract_many(folder, output=out)
    assert (summary.total, summary.done, summary.failed) == (5, 4, 1)
    rows = {r["id"]: r for r in _lines(out)}
    assert rows["empty.txt"]["status"] == "error"
    assert "is empty" in rows["empty.txt"]["error"]["message"]
    assert rows["a01_county_summary.txt"]["report"]["region"] == "临川县"


def test_jsonl_and_iterable_inputs(tmp_path: Path) -> None:
    src = tmp_path / "docs.jsonl"
    src.write_text(
        "\n".join(
            [
                json.dumps(
                    {
                        "id": "x1",
                        "text": "上半年，全县新签项目26个。",
                        "metadata": {"publish_date": "2024-07-01"},
                    },
                    ensure_ascii=False,
                ),
                "not json",
                json.dumps({"id": "x3"}),
            ]
        ),
        "utf-8",
    )
    summary = extract_many(src)
    by_id = {r.id: r for r in summary.results}
    assert by_id["x1"].report is not None
    assert by_id["x1"].report.metrics[0].period == "2024年上半年"  # metadata used
    assert "not JSON" in by_id[f"{src}:2"].error["message"]
    assert "needs a string 'text'" in by_id["x3"].error["message"]
    texts = extract_many(["新签项目3个。", {"id": "b", "text": "到位资金5亿元。"}])
    assert sorted(r.id for r in texts.results) == ["0", "b"]


def test_glob_input(tmp_path: Path) -> None:
    summary = extract_many(str(ARTICLES / "a0[12]*"))
    assert summary.done == 2


def _server_answer(request: RecordedRequest) -> FakeResponse:
    article = request.body["messages"][-1]["content"]
    if "南岭县" in article:  # one document the endpoint keeps failing
        return FakeResponse({"error": {"message": "down"}}, status=503)
    return chat_completion(
        tool_arguments='{"metrics": []}',
        tool_name="LLMExtraction",
        prompt_tokens=1000,
        completion_tokens=200,
    )


def test_llm_batch_failures_resume_cache_and_cost(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    with FakeOpenAIServer(_server_answer) as server:
        opts = {
            "base_url": server.base_url,
            "model": "gpt-4o-mini",
            "api_key": "k",
            "cache_dir": str(tmp_path / "cache"),
            "transport_retries": 1,
            "backoff_initial": 0.01,
        }
        first = extract_many(ARTICLES, "llm", output=out, concurrency=4, **opts)
        assert (first.done, first.failed) == (3, 1)
        assert (first.prompt_tokens, first.completion_tokens) == (3000, 600)
        assert first.currency == "USD" and first.cost == pytest.approx(
            (3000 * 0.15 + 600 * 0.60) / 1e6
        )
        failed = next(r for r in _lines(out) if r["status"] == "error")
        assert failed["id"] == "a04_forum_repost.txt"
        assert failed["error"]["type"] == "TransportError"
        assert "503" in failed["error"]["message"]

        server.responder = lambda r: chat_completion(
            tool_arguments='{"metrics": []}', tool_name="LLMExtraction"
        )
        calls = len(server.requests)
        second = extract_many(ARTICLES, "llm", output=out, resume=True, **opts)
        assert (second.skipped, second.done, second.failed) == (3, 1, 0)
        assert len(server.requests) == calls + 1  # only the failed one was asked again
        assert len(done_hashes(out)) == 4

        third = extract_many(ARTICLES, "llm", **opts)  # no output: all from the cache
        assert (third.done, third.cached) == (4, 4) and len(server.requests) == calls + 1


def test_a_crash_loses_no_finished_work(tmp_path: Path) -> None:
    """A process killed mid-run leaves whole lines only; --resume finishes the rest."""
    out = tmp_path / "out.jsonl"
    script = textwrap.dedent(
        f"""
        import os, zsextract
        from zsextract.backends.rules.backend import RulesBackend

        class Crashing(RulesBackend):
            name = "crashing"
            seen = 0
            def extract(self, doc, meta=None):
                Crashing.seen += 1
                if Crashing.seen == 3:
                    os._exit(9)  # the machine goes away mid-run
                return super().extract(doc, meta)

        zsextract.extract_many({str(ARTICLES)!r}, Crashing(), output={str(out)!r},
                               concurrency=1)
        """
    )
    # cwd: `python -c` puts the current folder on sys.path; the repository's would
    # shadow the installed package
    crashed = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=tmp_path
    )
    assert crashed.returncode == 9
    lines = _lines(out)  # every line parses: no torn writes
    assert len(lines) == 2 and all(r["status"] == "ok" for r in lines)
    resumed = extract_many(ARTICLES, output=out, resume=True)
    assert (resumed.skipped, resumed.done) == (2, 2)
    assert len({r["id"] for r in _lines(out)}) == 4


def test_pacer_spaces_requests_and_tokens(monkeypatch) -> None:
    clock = {"now": 100.0}
    monkeypatch.setattr("zsextract.pacing.time.monotonic", lambda: clock["now"])

    def sleep(seconds: float) -> None:
        clock["now"] += seconds

    monkeypatch.setattr("zsextract.pacing.time.sleep", sleep)
    pacer = Pacer(requests_per_minute=120)
    starts = []
    for _ in range(5):
        pacer.acquire_sync()
        starts.append(clock["now"])
    assert [round(b - a, 6) for a, b in itertools.pairwise(starts)] == [0.5] * 4

    tokens = Pacer(tokens_per_minute=6000)
    t0 = clock["now"]
    tokens.acquire_sync(1000)  # occupies 10 s of the budget
    tokens.acquire_sync(1000)
    assert clock["now"] - t0 == pytest.approx(10)
    tokens.settle(estimated=1000, actual=400)  # the call was cheaper: 6 s given back
    tokens.acquire_sync(100)
    assert clock["now"] - t0 == pytest.approx(14)
    with pytest.raises(ValueError, match="positive"):
        Pacer(requests_per_minute=0)


def test_pacing_applies_to_every_model_call(tmp_path: Path, gate_log: list[float]) -> None:
    with FakeOpenAIServer(
        lambda r: chat_completion(tool_arguments='{"metrics": []}', tool_name="LLMExtraction")
    ) as server:
        summary = extract_many(
            [f"新签项目{n}个。" for n in range(6)],
            "llm",
            base_url=server.base_url,
            model="m",
            use_cache=False,
            concurrency=6,
            requests_per_minute=300,
        )
        assert summary.done == 6 and len(server.requests) == 6
    # 300 per minute: one request every 0.2 s, however many are in flight
    assert len(gate_log) == 6
    assert min(b - a for a, b in itertools.pairwise(gate_log)) >= 0.2


async def test_async_batch() -> None:
    summary = await aextract_many([BatchDoc(id="d", text="新签项目3个。")])
    assert summary.results[0].report.metrics[0].quantity.value == 3


def test_tables_from_reports_results_and_jsonl(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    extract_many(ARTICLES, output=out)
    # an earlier failed line of the same id is superseded by the later ok line
    with out.open("a", encoding="utf-8") as f:
        f.write(json.dumps({"id": "zzz", "status": "error", "error": {}}) + "\n")
    frame = zsextract.to_frame(out)
    assert list(frame.columns) == zsextract.report.tables.COLUMNS
    assert set(frame["part"]) == {"metric", "mechanism", "timeline_stage", "project"}
    money = frame[(frame.part == "metric") & (frame.unit == "CNY")]
    assert all(isinstance(v, Decimal) and v > 0 for v in money["value"])  # exact
    assert frame.doc_id.nunique() == 4
    csv_rows = zsextract.write_table(out, tmp_path / "t.csv")
    pq_rows = zsextract.write_table(out, tmp_path / "t.parquet")
    assert csv_rows == pq_rows == len(frame)
    assert pd.read_parquet(tmp_path / "t.parquet").shape == frame.shape
    report = zsextract.extract((ARTICLES / "a01_county_summary.txt").read_text("utf-8"))
    assert len(zsextract.to_frame([report])) > 10


def test_batch_cli(tmp_path: Path) -> None:
    out = tmp_path / "run" / "out.jsonl"
    result = runner.invoke(
        app,
        ["batch", str(ARTICLES), "-o", str(out), "--format", "csv", "--no-progress", "-b", "rules"],
    )
    assert result.exit_code == 0, result.output
    assert "done" in result.stderr and (tmp_path / "run" / "out.csv").is_file()
    again = runner.invoke(
        app, ["batch", str(ARTICLES), "-o", str(out), "--resume", "--no-progress", "-b", "rules"]
    )
    assert again.exit_code == 0 and len(_lines(out)) == 4
    bad = runner.invoke(
        app, ["batch", str(tmp_path / "nothing*"), "-o", str(out), "--no-progress", "-b", "rules"]
    )
    assert bad.exit_code == 2 and "matching glob" in bad.stderr


async def test_extract_many_inside_a_running_event_loop() -> None:
    """As in a notebook: the sync API works while an event loop runs."""
    summary = extract_many(["新签项目3个。"])
    assert summary.done == 1
