"""Batch runs over worker processes (issue 16): the same lines as one process, every
answer its own document's, and a worker that dies costs only what it held."""

from __future__ import annotations

import json
import multiprocessing
import os
import signal
import threading
import time
from pathlib import Path

import pytest

import zsextract
from zsextract.testing import FakeOpenAIServer

from .test_service_safety import _article, _echo

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "articles"


def _lines(path: Path) -> dict[str, dict]:
    rows = {}
    for line in path.read_text("utf-8").splitlines():
        row = json.loads(line)
        if row.get("report"):
            row["report"]["provenance"].pop("elapsed_ms", None)
        rows[row["id"]] = row
    return rows


def test_two_processes_write_what_one_writes(tmp_path) -> None:
    texts = [p.read_text("utf-8") for p in sorted(EXAMPLES.glob("*.txt"))] * 4
    docs = [{"id": f"d{n}", "text": text + f"\n第{n}篇。"} for n, text in enumerate(texts)]
    one = zsextract.extract_many(docs, "rules", output=tmp_path / "one.jsonl")
    two = zsextract.extract_many(docs, "rules", output=tmp_path / "two.jsonl", processes=2)
    assert (one.done, two.done, two.failed) == (len(docs), len(docs), 0)
    assert _lines(tmp_path / "one.jsonl") == _lines(tmp_path / "two.jsonl")


def test_processes_with_the_llm_backend_answer_each_document(tmp_path) -> None:
    with FakeOpenAIServer(_echo, latency=0.05) as server:
        summary = zsextract.extract_many(
            [{"id": str(n), "text": _article(n)} for n in range(24)],
            "llm",
            output=tmp_path / "out.jsonl",
            processes=2,
            concurrency=8,
            base_url=server.base_url,
            api_key="t",
            model="m",
            use_cache=False,
        )
        assert len(server.requests) == 24
    assert (summary.done, summary.failed) == (24, 0)
    for doc_id, row in _lines(tmp_path / "out.jsonl").items():
        (metric,) = row["report"]["metrics"]
        assert int(float(metric["quantity"]["value"])) == int(doc_id)


def test_a_worker_that_dies_fails_only_what_it_held(tmp_path) -> None:
    out = tmp_path / "out.jsonl"
    with FakeOpenAIServer(_echo, latency=3) as server:

        def kill_one_busy_worker() -> None:
            deadline = time.monotonic() + 60
            while len(server.requests) < 2 and time.monotonic() < deadline:
                time.sleep(0.05)
            children = multiprocessing.active_children()
            os.kill(children[0].pid, signal.SIGKILL)

        killer = threading.Thread(target=kill_one_busy_worker, daemon=True)
        killer.start()
        options = {
            "base_url": server.base_url,
            "api_key": "t",
            "model": "m",
            "use_cache": False,
            "processes": 2,
            "concurrency": 2,
        }
        docs = [{"id": str(n), "text": _article(n)} for n in range(4)]
        done: list[zsextract.BatchSummary] = []
        run = threading.Thread(
            target=lambda: done.append(zsextract.extract_many(docs, "llm", output=out, **options)),
            daemon=True,
        )
        run.start()
        run.join(120)
        assert done, "the run hung after a worker died"
        summary = done[0]
        killer.join()
        assert summary.total == 4 and summary.failed == 1, summary
        failed = [r for r in _lines(out).values() if r["status"] == "error"]
        assert failed[0]["error"]["type"] == "WorkerError"
        assert "--resume" in failed[0]["error"]["message"]
        again = zsextract.extract_many(docs, "llm", output=out, resume=True, **options)
    assert (again.skipped, again.done, again.failed) == (3, 1, 0)


def test_processes_need_a_backend_by_name() -> None:
    with pytest.raises(zsextract.ConfigurationError, match="by name"):
        zsextract.extract_many(["新签项目5个。"], zsextract.get_backend("rules"), processes=2)
    with pytest.raises(zsextract.ConfigurationError, match="processes"):
        zsextract.BatchOptions(processes=0)
