"""What issue 16 changed in how calls are made (the figures are benchmarks'; these
tests hold the behaviour): a backend named per call is reused for equal settings."""

from __future__ import annotations

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


def test_a_paced_batch_never_sends_more_than_the_rate_in_any_second() -> None:
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
        sent = sorted(r.received for r in server.requests)
    assert len(sent) == 25
    # every window of one second, starting at any request, holds at most 10
    for i, start in enumerate(sent):
        assert sum(1 for t in sent[i:] if t < start + 1.0) <= 10, sent


def test_a_late_departure_moves_the_next_slot() -> None:
    import time

    from zsextract.pacing import Pacer

    pacer = Pacer(requests_per_minute=600)  # 0.1 s apart
    pacer.acquire_sync()
    pacer.departed(time.monotonic() + 0.05)  # the first left 50 ms after its slot
    started = time.monotonic()
    pacer.acquire_sync()
    assert time.monotonic() - started >= 0.14
