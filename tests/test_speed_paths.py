"""What issue 16 changed in how calls are made (the figures are benchmarks'; these
tests hold the behaviour): a backend named per call is reused for equal settings."""

from __future__ import annotations

import itertools

import pytest

import zsextract
from zsextract.backends.shared import shared_backend
from zsextract.testing import FakeOpenAIServer

from .test_service_safety import _article, _count, _echo


def test_extract_by_name_reuses_one_backend_and_its_client(monkeypatch) -> None:
    monkeypatch.delenv("OPENAI_BASE_URL", raising=False)
    with FakeOpenAIServer(_echo) as server:
        options = {"base_url": server.base_url, "model": "fake-model", "use_cache": False}
        for n in range(5):
            report = zsextract.extract(_article(n), backend="llm", api_key="t", **options)
            assert _count(report) == n
        backend = shared_backend("llm", zsextract.LLMSettings(api_key="t", **options))
        assert backend._clients.built == 1  # one client for the five calls
        other = shared_backend("llm", zsextract.LLMSettings(api_key="t", **options, timeout=9))
        assert other is not backend  # other settings, another backend


def test_a_changed_environment_gets_a_new_backend(monkeypatch) -> None:
    settings = zsextract.LLMSettings(model="m", api_key="t")
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:9/v1")
    first = shared_backend("llm", settings)
    assert shared_backend("llm", settings) is first
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:10/v1")
    second = shared_backend("llm", settings)
    assert second is not first and second.endpoint.base_url == "http://127.0.0.1:10/v1"


def test_a_call_with_its_own_client_is_not_kept() -> None:
    import openai

    client = openai.OpenAI(base_url="http://127.0.0.1:9/v1", api_key="t")
    settings = zsextract.LLMSettings(model="m")
    assert shared_backend("llm", settings, client) is not shared_backend("llm", settings, client)


def test_a_cache_hit_cleans_nothing(tmp_path, monkeypatch) -> None:
    import zsextract.api

    with FakeOpenAIServer(_echo) as server:
        backend = zsextract.LLMBackend(
            base_url=server.base_url, api_key="t", model="m", cache_dir=str(tmp_path)
        )
        first = zsextract.extract(_article(3), backend=backend, metadata={"region": "某县"})
        assert first.provenance.cache == "miss"

        def no_cleaning(*args: object, **kwargs: object) -> None:
            raise AssertionError("a cache hit cleaned the text")

        monkeypatch.setattr(zsextract.api, "clean_text", no_cleaning)
        again = zsextract.extract(_article(3), backend=backend, metadata={"region": "某县"})
        assert again.provenance.cache == "hit" and again.provenance.attempts == 0
        assert again.model_dump(exclude={"provenance"}) == first.model_dump(exclude={"provenance"})
        with pytest.raises(AssertionError, match="cleaned"):
            # other metadata is another report: it must be made, so the text is cleaned
            zsextract.extract(_article(3), backend=backend, metadata={"region": "别县"})
    assert len(server.requests) == 1


def test_a_paced_batch_never_sends_more_than_the_rate_in_any_second(gate_log) -> None:
    with FakeOpenAIServer(_echo) as server:
        summary = zsextract.extract_many(
            [_article(n) for n in range(25)],
            "llm",
            concurrency=16,
            keep_results=True,
            base_url=server.base_url,
            api_key="t",
            model="m",
            use_cache=False,
            requests_per_minute=600,  # 10 a second
        )
        assert summary.failed == 0
        assert len(server.requests) == 25
    assert len(gate_log) == 25  # every request passed the gate
    # one at most per 0.1 s: so no window of one second holds more than 10
    assert min(b - a for a, b in itertools.pairwise(gate_log)) >= 0.1


def test_requests_whose_slots_passed_in_a_stall_still_leave_one_interval_apart(
    monkeypatch,
) -> None:
    from zsextract.pacing import Pacer

    clock = {"now": 100.0}
    monkeypatch.setattr("zsextract.pacing.time.monotonic", lambda: clock["now"])

    def sleep(seconds: float) -> None:
        clock["now"] += seconds

    monkeypatch.setattr("zsextract.pacing.time.sleep", sleep)
    pacer = Pacer(requests_per_minute=600)  # 0.1 s apart
    pacer.acquire_sync()
    pacer.leave_sync()
    assert clock["now"] == 100.0
    # two more calls took their slots (100.1 and 100.2) and sleep until them, but the
    # process stalls: they wake at 105, both slots long passed
    assert [pacer._reserve(0), pacer._reserve(0)] == pytest.approx([0.1, 0.2])
    clock["now"] = 105.0
    left = []
    for _ in range(2):
        pacer.leave_sync()
        left.append(clock["now"])
    assert left == pytest.approx([105.0, 105.1])  # not both at 105.0


def test_a_wait_past_the_deadline_is_refused_and_takes_no_slot(monkeypatch) -> None:
    from zsextract.pacing import Pacer

    clock = {"now": 100.0}
    monkeypatch.setattr("zsextract.pacing.time.monotonic", lambda: clock["now"])
    monkeypatch.setattr("zsextract.pacing.time.sleep", lambda s: clock.update(now=clock["now"] + s))
    pacer = Pacer(requests_per_minute=60)  # 1 s apart
    pacer.acquire_sync()
    pacer.leave_sync()
    with pytest.raises(zsextract.DeadlineError, match=r"in 1\.00 s.*0\.50 s left"):
        pacer.acquire_sync(deadline_at=100.5)  # its slot would be 101
    assert clock["now"] == 100.0  # refused at once, without sleeping
    pacer.acquire_sync(deadline_at=101.5)  # the slot refused is still free: 101, not 102
    assert clock["now"] == 101.0
    # the gate: the last request left at 100; one leaving before 101 waits for it
    clock["now"] = 100.2
    with pytest.raises(zsextract.DeadlineError):
        pacer.leave_sync(deadline_at=100.9)
    assert clock["now"] == 100.2
    pacer.leave_sync(deadline_at=101.2)
    assert clock["now"] == pytest.approx(101.0)


def test_timeouts_are_cut_to_the_time_left_after_each_wait(monkeypatch) -> None:
    import httpx2

    from zsextract.llm import transport
    from zsextract.pacing import Pacer

    clock = {"now": 100.0}
    for where in ("zsextract.pacing.time.monotonic", "zsextract.llm.transport.time.monotonic"):
        monkeypatch.setattr(where, lambda: clock["now"])
    monkeypatch.setattr("zsextract.pacing.time.sleep", lambda s: clock.update(now=clock["now"] + s))
    pacer = Pacer(requests_per_minute=60)  # 1 s apart
    pacer.acquire_sync()
    pacer.leave_sync()  # one left at 100
    ten = dict.fromkeys(("connect", "read", "write", "pool"), 10.0)
    request = httpx2.Request("POST", "http://model.test/v1", extensions={"timeout": ten})
    with transport.pacing(pacer, 0, deadline_at=103.0):
        transport._wait_sync(request)  # its slot is 101
    assert clock["now"] == 101.0
    assert request.extensions["timeout"] == dict.fromkeys(ten, 2.0)
    clock["now"] = 101.5  # its connection took 0.5 s, and another request left then
    pacer.leave_sync()
    request.extensions["trace"]("http11.send_request_headers.started", {})
    assert clock["now"] == pytest.approx(102.5)  # the gate: 1 s after the other one
    assert request.extensions["timeout"] == pytest.approx(dict.fromkeys(ten, 0.5))


def test_a_slot_past_the_deadline_names_the_limit_that_set_it(monkeypatch) -> None:
    from zsextract.pacing import Pacer

    monkeypatch.setattr("zsextract.pacing.time.monotonic", lambda: 100.0)
    pacer = Pacer(requests_per_minute=600, tokens_per_minute=1000)
    pacer.acquire_sync(1000)  # the tokens' budget is taken for 60 s
    with pytest.raises(zsextract.DeadlineError, match="1000 tokens a minute"):
        pacer.acquire_sync(10, deadline_at=130.0)
    requests = Pacer(requests_per_minute=6)
    requests.acquire_sync()
    with pytest.raises(zsextract.DeadlineError, match="6 requests a minute"):
        requests.acquire_sync(deadline_at=105.0)


def test_a_late_departure_moves_the_next_one() -> None:
    import asyncio
    import time

    from zsextract.pacing import Pacer

    pacer = Pacer(requests_per_minute=600)  # 0.1 s apart
    pacer.acquire_sync()
    time.sleep(0.05)  # the first left 50 ms after its slot (its connection took long)
    pacer.leave_sync()
    left = time.monotonic()
    pacer.acquire_sync()  # its slot has come
    asyncio.run(pacer.leave())
    assert time.monotonic() - left >= 0.1


@pytest.mark.parametrize("in_async", [False, True])
def test_a_client_passed_in_is_paced_before_each_call(in_async: bool, gate_log) -> None:
    import asyncio

    import openai

    with FakeOpenAIServer(_echo) as server:
        kind = openai.AsyncOpenAI if in_async else openai.OpenAI
        client = kind(base_url=server.base_url, api_key="t")
        backend = zsextract.LLMBackend(
            client=client, model="m", use_cache=False, requests_per_minute=600
        )
        if in_async:

            async def three() -> list[zsextract.PromotionReport]:
                return [await zsextract.aextract(_article(n), backend=backend) for n in range(3)]

            reports = asyncio.run(three())
        else:
            reports = [zsextract.extract(_article(n), backend=backend) for n in range(3)]
        assert [_count(r) for r in reports] == [0, 1, 2]
        assert len(server.requests) == 3
    assert len(gate_log) == 3
    assert min(b - a for a, b in itertools.pairwise(gate_log)) >= 0.1
