"""Batch runs over worker processes (issue 16): the same lines as one process, every
answer its own document's, and a worker that dies costs only what it held."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest

import zsextract
from zsextract.batch.processes import ProcessPool, available_cores, shares
from zsextract.batch.runner import _processes
from zsextract.testing import FakeOpenAIServer

from .test_service_safety import _article, _echo

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "articles"


def _worker_pids() -> list[int]:
    """The batch worker processes this test process started."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            command = (entry / "cmdline").read_bytes()
        except (OSError, IndexError):
            continue
        if int(stat[1]) == os.getpid() and b"zsextract.batch.worker" in command:
            found.append(int(entry.name))
    return found


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


def test_processes_with_the_llm_backend_answer_each_document(tmp_path, monkeypatch) -> None:
    """Each document gets its own answer, and the events made in the worker reach this
    process's subscribers (one call event per document, wherever it was extracted)."""
    calls: list[zsextract.Event] = []
    sent: list[int] = []  # documents handed to a worker
    extract = ProcessPool.extract

    async def counting(self: ProcessPool, worker: Any, doc: Any) -> Any:
        sent.append(1)
        return await extract(self, worker, doc)

    monkeypatch.setattr(ProcessPool, "extract", counting)
    with (
        FakeOpenAIServer(_echo, latency=0.5) as server,
        zsextract.listening(lambda event: calls.append(event) if event.kind == "call" else None),
    ):
        summary = zsextract.extract_many(
            [{"id": str(n), "text": _article(n)} for n in range(40)],
            "llm",
            output=tmp_path / "out.jsonl",
            processes=2,
            concurrency=2,  # this process alone would need 10 s: the worker takes some
            base_url=server.base_url,
            api_key="t",
            model="m",
            use_cache=False,
        )
        assert len(server.requests) == 40
    assert (summary.done, summary.failed) == (40, 0)
    assert sent, "no document reached the worker: the events check would prove nothing"
    assert len(calls) == 40 and all(event.reason == "ok" for event in calls)
    for doc_id, row in _lines(tmp_path / "out.jsonl").items():
        (metric,) = row["report"]["metrics"]
        assert int(float(metric["quantity"]["value"])) == int(doc_id)


def test_a_worker_that_dies_fails_only_what_it_held(tmp_path, monkeypatch) -> None:
    out = tmp_path / "out.jsonl"
    handed = threading.Event()
    extract = ProcessPool.extract

    async def handing(self: ProcessPool, worker: Any, doc: Any) -> Any:
        answer = extract(self, worker, doc)  # the document is sent before the first await
        task = asyncio.ensure_future(answer)
        await asyncio.sleep(0)
        handed.set()
        return await task

    monkeypatch.setattr(ProcessPool, "extract", handing)
    with FakeOpenAIServer(_echo, latency=3) as server:

        def kill_one_busy_worker() -> None:
            assert handed.wait(120), "no document reached a worker"
            os.kill(_worker_pids()[0], signal.SIGKILL)

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
        # this process alone would need 24 s: time for the worker to start, even on a
        # busy machine, and take one
        docs = [{"id": str(n), "text": _article(n)} for n in range(16)]
        done: list[zsextract.BatchSummary] = []
        run = threading.Thread(
            target=lambda: done.append(zsextract.extract_many(docs, "llm", output=out, **options)),
            daemon=True,
        )
        run.start()
        run.join(180)
        assert done, "the run hung after a worker died"
        summary = done[0]
        killer.join()
        assert summary.total == 16 and summary.failed == 1, summary
        failed = [r for r in _lines(out).values() if r["status"] == "error"]
        assert failed[0]["error"]["type"] == "WorkerError"
        assert "--resume" in failed[0]["error"]["message"]
        again = zsextract.extract_many(docs, "llm", output=out, resume=True, **options)
    assert (again.skipped, again.done, again.failed) == (15, 1, 0)


def test_processes_need_a_backend_by_name() -> None:
    with pytest.raises(zsextract.ConfigurationError, match="by name"):
        zsextract.extract_many(["新签项目5个。"], zsextract.get_backend("rules"), processes=2)
    with pytest.raises(zsextract.ConfigurationError, match="processes"):
        zsextract.BatchOptions(processes=0)


def test_a_script_needs_no_main_guard(tmp_path) -> None:
    """Workers are fresh interpreters that never import the caller's main module: a
    script without ``if __name__ == "__main__":`` runs once, not once per worker."""
    script = tmp_path / "unguarded.py"
    script.write_text(
        "import zsextract\n"
        "docs = [f'今年以来，全县新签项目{n}个。' for n in range(40)]\n"
        "summary = zsextract.extract_many(docs, 'rules', processes=2, concurrency=2)\n"
        "print('RAN', summary.done, summary.failed)\n",
        encoding="utf-8",
    )
    done = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=300, cwd=tmp_path
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.count("RAN") == 1
    assert "RAN 40 0" in done.stdout


def test_a_short_run_starts_no_worker(monkeypatch: pytest.MonkeyPatch) -> None:
    started: list[int] = []
    monkeypatch.setattr(ProcessPool, "_spawn", lambda self: started.append(1))
    docs = [_article(n) for n in range(4)]
    summary = zsextract.extract_many(docs, "rules", processes=2, concurrency=8)
    assert (summary.done, started) == (4, [])  # 4 documents fit this process's share
    summary = zsextract.extract_many(docs * 3, "rules", processes=2, concurrency=8)
    assert summary.done == 12 and started == [1]  # more than the share: one worker asked for


def test_a_worker_that_cannot_start_leaves_the_run_to_this_process(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(sys, "executable", "/bin/false")  # the worker exits at once
    docs = [_article(n) for n in range(30)]
    summary = zsextract.extract_many(docs, "rules", processes=3, concurrency=3)
    assert (summary.done, summary.failed) == (30, 0)
    assert "could not start" in caplog.text


def test_the_default_is_one_process_per_core_when_the_cpu_bounds_the_run() -> None:
    settings = zsextract.LLMSettings()
    assert zsextract.BatchOptions().processes is None
    cores = available_cores()
    assert _processes(None, "llm", None, settings) == cores
    assert _processes(None, "rules", None, settings) == cores
    assert _processes(None, "llm", None, settings.merged(requests_per_minute=600)) == 1
    assert _processes(None, zsextract.get_backend("rules"), None, settings) == 1
    assert _processes(None, "llm", object(), settings) == 1
    assert _processes(3, "llm", None, settings) == 3


def test_the_processes_share_exactly_the_documents_in_flight(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert shares(8, 2) == (4, 4)
    assert shares(5, 2) == (3, 2)
    assert shares(7, 3) == (3, 2)
    started: list[int] = []
    monkeypatch.setattr(ProcessPool, "_spawn", lambda self: started.append(1))
    summary = zsextract.extract_many(
        [_article(n) for n in range(12)], "rules", processes=2, concurrency=1
    )
    assert (summary.done, started) == (12, [])  # one in flight: one process


def test_workers_import_the_same_zsextract_not_one_in_the_current_folder(tmp_path) -> None:
    """A worker runs the zsextract its parent runs, even from a folder that holds another
    (a clone, a decoy): ``python -m`` would import the one in the current folder."""
    decoy = tmp_path / "here" / "zsextract"
    decoy.mkdir(parents=True)
    (decoy / "__init__.py").write_text("raise ImportError('the decoy was imported')\n")
    script = tmp_path / "run.py"
    script.write_text(
        "import logging, zsextract\n"
        "logging.basicConfig()\n"
        "docs = [f'今年以来，全县新签项目{n}个。' for n in range(400)]\n"
        "summary = zsextract.extract_many(docs, 'rules', processes=2, concurrency=2)\n"
        "print('RAN', summary.done, summary.failed)\n",
        encoding="utf-8",
    )
    done = subprocess.run(
        [sys.executable, str(script)],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=tmp_path / "here",
    )
    assert done.returncode == 0, done.stderr
    assert "RAN 400 0" in done.stdout
    assert "could not start" not in done.stderr and "decoy" not in done.stderr, done.stderr
