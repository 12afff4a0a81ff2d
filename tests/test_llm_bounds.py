"""Bounds of the LLM backend: what a failure costs, what a repair may hold, what is
retried, what is dropped, and what the cache key holds (issue 11, "Bounds")."""

from __future__ import annotations

import json
from typing import Any

import pytest

from zsextract import GroundingError, TransportError
from zsextract.testing import FakeResponse

from .test_llm_backend import ARTICLE, GOOD, answer, options, run, server  # noqa: F401


def _copy(data: dict[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = json.loads(json.dumps(data))
    return result


def test_insufficient_quota_is_not_retried(server, options) -> None:  # noqa: F811
    server.enqueue(
        FakeResponse(
            {"error": {"message": "You exceeded your quota", "code": "insufficient_quota"}},
            status=429,
        ),
        answer(),
    )
    with pytest.raises(TransportError, match="429") as info:
        run(options)
    assert len(server.requests) == 1 and info.value.attempts == 1


def test_an_unreadable_retry_after_falls_back_to_backoff(server, options) -> None:  # noqa: F811
    server.enqueue(
        FakeResponse({"error": {"message": "slow"}}, status=429, headers={"Retry-After": "soon!"}),
        answer(),
    )
    report = run(options)
    assert len(report.metrics) == 3 and len(server.requests) == 2
    assert report.provenance.attempts == 2
    # the same request again after a wait, not a repair about JSON
    assert server.requests[1].body["messages"] == server.requests[0].body["messages"]


def test_a_transport_error_says_what_it_cost(server, options) -> None:  # noqa: F811
    server.enqueue(*[FakeResponse({"error": {"message": "down"}}, status=503)] * 3)
    with pytest.raises(TransportError) as info:
        run(options, transport_retries=2)
    assert len(server.requests) == 3 and info.value.attempts == 3


def test_a_repair_lists_a_bounded_number_of_items_and_stays_small(server, options) -> None:  # noqa: F811
    bad = _copy(GOOD)
    bad["metrics"] = [
        {"name": f"指标{n}", "quote": f"不存在的句子{n}" * 20, "value": n, "unit": "count"}
        for n in range(400)
    ]
    server.enqueue(answer(bad), answer())
    report = run(options, repair_max_items=10)
    assert len(report.metrics) == 3
    first, repair = (len(json.dumps(r.body, ensure_ascii=False)) for r in server.requests)
    listed = server.requests[1].body["messages"][-1]["content"]
    assert listed.count("\n- ") == 11 and "另有 390 条" in listed
    assert repair < 2 * first  # the 400-item answer is not sent back


def test_drop_names_exactly_the_items_left_out(server, options) -> None:  # noqa: F811
    one_bad = _copy(GOOD)
    one_bad["metrics"][1]["value"] = 99  # 同比增长 is 18.9 in the article
    server.enqueue(answer(one_bad), answer("{not json"), answer("{still not json"))
    report = run(options, on_ungrounded="drop")
    assert [m.name for m in report.metrics] == ["到位资金", "新签项目"]
    assert len(report.provenance.dropped) == 1 and "同比增长" in report.provenance.dropped[0]


def test_an_invented_mechanism_code_costs_only_itself(server, options) -> None:  # noqa: F811
    invented = _copy(GOOD)
    invented["mechanisms"].append({"code": "bribery", "quote": "一月一调度"})
    server.enqueue(answer(invented), answer(invented), answer(invented))
    report = run(options, on_ungrounded="drop")
    assert [m.code for m in report.mechanisms] == ["assessment"] and len(report.metrics) == 3
    assert ["bribery" in d for d in report.provenance.dropped] == [True]
    server.enqueue(answer(invented), answer(invented), answer(invented))
    with pytest.raises(GroundingError, match="bribery"):
        run(options, use_cache=False)


def test_the_cache_key_holds_the_data_files(server, options, monkeypatch) -> None:  # noqa: F811
    from zsextract.datafiles import data_digest, load_data
    from zsextract.llm import backend

    server.enqueue(answer(), answer())
    run(options)
    assert run(options).provenance.cache == "hit"
    monkeypatch.setattr(backend, "data_digest", lambda *names: "an edited taxonomy")
    assert run(options).provenance.cache == "miss" and len(server.requests) == 2
    taxonomy = load_data("taxonomy")
    edited = {**taxonomy, "mechanisms": taxonomy["mechanisms"][:-1]}
    before = data_digest("taxonomy")
    data_digest.cache_clear()
    monkeypatch.setattr("zsextract.datafiles.load_data", lambda name: edited)
    assert data_digest("taxonomy") != before
    data_digest.cache_clear()
