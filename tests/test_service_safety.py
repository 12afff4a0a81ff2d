"""The LLM backend inside a long-running service (issue 19): forked workers, one
``asyncio.run`` per job, many threads, a deadline, honest counts, events and logs.

The fake server answers each request from the request itself (the count in its
article), so an answer that reaches the wrong caller shows as a wrong number.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import logging
import os
import re
import select
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest

import zsextract
from zsextract.testing import FakeOpenAIServer, FakeResponse, RecordedRequest, chat_completion

ROOT = Path(__file__).resolve().parent.parent


def _article(n: int) -> str:
    return f"今年以来，全县新签项目{n}个。"


def _echo(request: RecordedRequest) -> FakeResponse:
    """An answer about the article the request carries: its count, quoted."""
    task = request.body["messages"][-1]["content"]
    n = re.findall(r"新签项目(\d+)个", task)[-1]
    data = {
        "metrics": [
            {"name": "新签项目", "quote": f"新签项目{n}个", "value": int(n), "unit": "count"}
        ],
        "mechanisms": [],
        "timelines": [],
        "projects": [],
    }
    return chat_completion(
        tool_arguments=json.dumps(data, ensure_ascii=False), tool_name="LLMExtraction"
    )


def _count(report: zsextract.PromotionReport) -> int:
    (metric,) = report.metrics
    return int(metric.quantity.value)


@pytest.fixture
def echo_server():
    with FakeOpenAIServer(_echo) as server:
        yield server


def _backend(server: FakeOpenAIServer, **options: Any) -> zsextract.LLMBackend:
    options.setdefault("use_cache", False)
    return zsextract.LLMBackend(
        base_url=server.base_url, api_key="test", model="fake-model", **options
    )


# -- fork ---------------------------------------------------------------------------------
@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")
def test_forked_children_each_get_their_own_answers(echo_server, tmp_path) -> None:
    backend = _backend(echo_server, use_cache=True, cache_dir=str(tmp_path / "cache"))
    assert _count(zsextract.extract(_article(1), backend=backend)) == 1  # a connection open
    children = {}
    for child in range(4):
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: 10 calls, each its own number, then report and leave
            os.close(read)
            got = []
            try:
                for i in range(10):
                    n = 1000 + child * 100 + i
                    got.append([n, _count(zsextract.extract(_article(n), backend=backend))])
            except BaseException as exc:
                got.append(["error", repr(exc)])
            os.write(write, json.dumps(got).encode())
            os._exit(0)
        os.close(write)
        children[pid] = read
    results = []
    deadline = time.monotonic() + 60
    for pid, read in children.items():
        chunks = []
        while True:
            ready, _, _ = select.select([read], [], [], max(0.0, deadline - time.monotonic()))
            if not ready:
                for other in children:
                    os.kill(other, 9)
                pytest.fail("a forked child hung")
            chunk = os.read(read, 65536)
            if not chunk:
                break
            chunks.append(chunk)
        os.waitpid(pid, 0)
        results.extend(json.loads(b"".join(chunks)))
    assert len(results) == 40
    assert all(asked == got for asked, got in results), results
    # nothing crossed into the cache either: each article's stored answer is its own
    offline = _backend(echo_server, use_cache=True, cache_dir=str(tmp_path / "cache"))
    sent = len(echo_server.requests)
    for asked, _ in results:
        report = zsextract.extract(_article(asked), backend=offline)
        assert report.provenance.cache == "hit" and _count(report) == asked
    assert len(echo_server.requests) == sent


# -- event loops and threads ------------------------------------------------------------------
def test_one_backend_across_twenty_event_loops_sends_twenty_requests(echo_server) -> None:
    backend = _backend(echo_server, transport_retries=0)
    for n in range(20):
        report = asyncio.run(zsextract.aextract(_article(n), backend=backend))
        assert _count(report) == n and report.provenance.attempts == 1
    assert len(echo_server.requests) == 20


SUCCESSIVE_LOOPS = """
import asyncio, sys, warnings
import zsextract
from zsextract.testing import FakeOpenAIServer
sys.path.insert(0, {tests!r})
from test_service_safety import _article, _count, _echo

with FakeOpenAIServer(_echo) as server:
    backend = zsextract.LLMBackend(base_url=server.base_url, api_key="t", model="m",
                                   use_cache=False, transport_retries=0)
    for n in range(5):
        assert _count(asyncio.run(zsextract.aextract(_article(n), backend=backend))) == n
    del backend
    import gc; gc.collect()
    print("requests", len(server.requests))
"""


def test_successive_event_loops_leave_no_socket_open(tmp_path) -> None:
    code = SUCCESSIVE_LOOPS.format(tests=str(ROOT / "tests"))
    done = subprocess.run(  # run elsewhere: the installed package, not the source tree
        [sys.executable, "-X", "dev", "-c", code],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    assert "requests 5" in done.stdout
    assert "ResourceWarning" not in done.stderr and "nclosed" not in done.stderr, done.stderr


def test_sixteen_threads_on_a_fresh_backend_build_one_client(echo_server) -> None:
    backend = _backend(echo_server)
    start = threading.Barrier(16)
    got: dict[int, int] = {}

    def work(n: int) -> None:
        start.wait()
        got[n] = _count(zsextract.extract(_article(n), backend=backend))

    threads = [threading.Thread(target=work, args=(n,)) for n in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert got == {n: n for n in range(16)}
    assert backend._clients.built == 1


# -- counts and deadline ----------------------------------------------------------------------
def _failing_then(server: FakeOpenAIServer, *failures: FakeResponse) -> None:
    server.enqueue(*failures)


@pytest.mark.parametrize("run_async", [False, True])
def test_a_500_then_ok_is_two_attempts(echo_server, run_async: bool) -> None:
    echo_server.enqueue(FakeResponse({"error": {"message": "oops"}}, status=500))
    backend = _backend(echo_server, backoff_initial=0.01, backoff_max=0.02)
    text = _article(7)
    report = (
        asyncio.run(zsextract.aextract(text, backend=backend))
        if run_async
        else zsextract.extract(text, backend=backend)
    )
    assert _count(report) == 7
    assert report.provenance.attempts == 2 == len(echo_server.requests)


def test_a_transport_error_counts_every_request(echo_server) -> None:
    echo_server.enqueue(*[FakeResponse({}, delay=0.4) for _ in range(3)])
    backend = _backend(
        echo_server, timeout=0.1, transport_retries=2, backoff_initial=0.01, backoff_max=0.02
    )
    with pytest.raises(zsextract.TransportError) as caught:
        zsextract.extract(_article(3), backend=backend)
    assert caught.value.attempts == 3 == len(echo_server.requests)


@pytest.mark.parametrize("run_async", [False, True])
def test_a_deadline_ends_the_call_in_time(echo_server, run_async: bool) -> None:
    # every answer takes 5 s; timeout and retries alone would take 4 x 5 s
    echo_server.enqueue(*[FakeResponse({}, delay=5) for _ in range(5)])
    backend = _backend(echo_server, deadline=1, timeout=5, backoff_initial=0.05)
    started = time.monotonic()
    with pytest.raises(zsextract.DeadlineError) as caught:
        if run_async:
            asyncio.run(zsextract.aextract(_article(2), backend=backend))
        else:
            zsextract.extract(_article(2), backend=backend)
    # without the deadline one answer alone takes 5 s; the slack past 1 s is for a
    # loaded machine (a CI run once took 1.93 s here)
    assert time.monotonic() - started < 3.0
    assert caught.value.attempts >= 1
    assert "deadline" in str(caught.value) and "deadline=" in str(caught.value)


def test_a_deadline_stops_retries_that_would_start_too_late(echo_server) -> None:
    echo_server.enqueue(
        *[FakeResponse({"error": {"message": "busy"}}, status=503) for _ in range(5)]
    )
    backend = _backend(echo_server, deadline=0.5, backoff_initial=2, backoff_max=2)
    started = time.monotonic()
    with pytest.raises(zsextract.DeadlineError):
        zsextract.extract(_article(2), backend=backend)
    assert time.monotonic() - started < 1.8  # less than the one wait of 2 s
    assert len(echo_server.requests) == 1  # the wait of 2 s would end past the deadline


@pytest.mark.parametrize("run_async", [False, True])
@pytest.mark.parametrize("passed_in", [False, True])
def test_a_request_the_pace_would_send_after_the_deadline_is_not_sent(
    echo_server, run_async: bool, passed_in: bool
) -> None:
    import openai

    options: dict[str, Any] = {"requests_per_minute": 6, "deadline": 3}  # 10 s apart
    if passed_in:
        kind = openai.AsyncOpenAI if run_async else openai.OpenAI
        options["client"] = kind(base_url=echo_server.base_url, api_key="test")
        backend = zsextract.LLMBackend(model="fake-model", use_cache=False, **options)
    else:
        backend = _backend(echo_server, **options)

    def run(n: int) -> zsextract.PromotionReport:
        if run_async:
            return asyncio.run(zsextract.aextract(_article(n), backend=backend))
        return zsextract.extract(_article(n), backend=backend)

    assert _count(run(1)) == 1
    started = time.monotonic()
    with pytest.raises(zsextract.DeadlineError) as caught:
        run(2)  # its slot is 10 s away, its deadline 3 s: it fails now, unsent
    assert time.monotonic() - started < 2.5  # not the 10 s to its slot
    assert len(echo_server.requests) == 1
    assert caught.value.attempts == 0
    message = str(caught.value)
    assert "before request 1" in message and "6 requests a minute" in message
    assert "deadline=" in message


def test_a_request_sent_after_a_pacing_wait_has_only_the_time_left(echo_server) -> None:
    # 2 s apart; the second answer takes 5 s. It waits 2 s for its slot: its timeout,
    # set at 3 s before the wait, is cut to the 1 s then left before the deadline
    backend = _backend(echo_server, requests_per_minute=30, deadline=3, timeout=10)
    assert _count(zsextract.extract(_article(1), backend=backend)) == 1
    echo_server.enqueue(FakeResponse({}, delay=5))
    started = time.monotonic()
    with pytest.raises(zsextract.DeadlineError):
        zsextract.extract(_article(2), backend=backend)
    # without the cut: 2 s of waiting and 3 s of timeout
    assert 1.9 < time.monotonic() - started < 4.3
    assert len(echo_server.requests) == 2


def test_a_deadline_is_checked_when_set() -> None:
    with pytest.raises(zsextract.ConfigurationError, match="deadline"):
        zsextract.LLMSettings(deadline=0)


# -- events and logs ---------------------------------------------------------------------------
def test_a_retry_is_one_event_and_one_log_record_without_article_text(
    echo_server, caplog, capfd
) -> None:
    echo_server.enqueue(FakeResponse({"error": {"message": "oops"}}, status=500))
    backend = _backend(echo_server, backoff_initial=0.01, backoff_max=0.02)
    events: list[zsextract.Event] = []
    text = _article(11)
    with caplog.at_level(logging.INFO), zsextract.listening(events.append):
        zsextract.extract(text, backend=backend)
    retries = [e for e in events if e.kind == "retry"]
    assert len(retries) == 1
    assert (retries[0].attempt, retries[0].status, retries[0].reason) == (1, 500, "HTTP 500")
    assert [e.kind for e in events] == ["request", "retry", "request", "call"]
    call = events[-1]
    assert (call.reason, call.requests, call.prompt_tokens) == ("ok", 2, 100)
    records = [r for r in caplog.records if r.name.startswith("zsextract")]
    assert len(records) == 1 and records[0].levelno == logging.INFO
    assert echo_server.base_url in records[0].getMessage()
    for record in caplog.records:
        assert "新签项目" not in record.getMessage()
    assert not [r for r in caplog.records if r.name.startswith("instructor")]
    assert "API call failed" not in capfd.readouterr().err


def test_cache_and_grounding_events(echo_server, tmp_path) -> None:
    backend = _backend(echo_server, use_cache=True, cache_dir=str(tmp_path))
    events: list[zsextract.Event] = []
    with zsextract.listening(events.append):
        zsextract.extract(_article(4), backend=backend)
        zsextract.extract(_article(4), backend=backend)
    assert [e.reason for e in events if e.kind == "cache"] == ["miss", "hit"]


def test_a_failing_handler_never_reaches_the_extraction(echo_server, caplog) -> None:
    def broken(event: zsextract.Event) -> None:
        raise RuntimeError("handler bug")

    backend = _backend(echo_server)
    with zsextract.listening(broken):
        assert _count(zsextract.extract(_article(5), backend=backend)) == 5
    assert any("handler" in r.getMessage() for r in caplog.records)


def test_unsubscribe_stops_the_events(echo_server) -> None:
    events: list[zsextract.Event] = []
    unsubscribe = zsextract.subscribe(events.append)
    unsubscribe()
    zsextract.extract(_article(6), backend=_backend(echo_server))
    assert events == []


def test_the_cli_takes_a_deadline(echo_server, tmp_path) -> None:
    from typer.testing import CliRunner

    from zsextract.cli import app

    echo_server.enqueue(*[FakeResponse({}, delay=5) for _ in range(3)])
    article = tmp_path / "a.txt"
    article.write_text(_article(9), encoding="utf-8")
    started = time.monotonic()
    result = CliRunner().invoke(
        app,
        [
            "extract",
            str(article),
            "--backend",
            "llm",
            "--base-url",
            echo_server.base_url,
            "--model",
            "fake-model",
            "--no-cache",
            "--deadline",
            "1",
        ],
    )
    assert time.monotonic() - started < 4.0  # one answer takes 5 s
    assert result.exit_code != 0
    assert "deadline of 1 s" in result.output and "--deadline" in result.output


def test_every_retry_is_paced(echo_server, gate_log) -> None:
    echo_server.enqueue(
        *[FakeResponse({"error": {"message": "busy"}}, status=429) for _ in range(2)]
    )
    backend = _backend(echo_server, requests_per_minute=240, backoff_initial=0.01, backoff_max=0.01)
    assert _count(zsextract.extract(_article(8), backend=backend)) == 8
    assert len(echo_server.requests) == 3 and len(gate_log) == 3
    assert all(b - a >= 0.25 for a, b in itertools.pairwise(gate_log)), gate_log  # 60 / 240
