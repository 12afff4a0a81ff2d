"""The LLM backend against a local fake OpenAI-compatible server (no network).

Every failure path the backend must survive is scripted here: 429 with Retry-After,
500, timeouts, truncated output, invalid and schema-invalid JSON, a hallucinated
number repaired by the re-ask, refused requests that must not be retried.
"""

from __future__ import annotations

import json
import logging
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

import openai
import pytest

import zsextract
from zsextract import (
    GroundingError,
    TokenBudgetError,
    TransportError,
    TruncatedOutputError,
)
from zsextract.testing import FakeOpenAIServer, FakeResponse, RecordedRequest, chat_completion

ARTICLE = (
    "1至7月，梧州市完成招商引資到位資金484.5億元，同比增長18.9%；新簽項目157個。"
    "實行“一月一調度、一季一通報”。"
)
KEY = "sk-test-DO-NOT-LEAK-1234567890"

GOOD: dict[str, Any] = {
    "region": "梧州市",
    "period": "1至7月",
    "metrics": [
        {
            "name": "到位资金",
            "quote": "到位资金484.5亿元",
            "value": 48450000000,
            "unit": "CNY",
            "period": "1至7月",
        },
        {"name": "同比增长", "quote": "同比增长18.9%", "value": 18.9, "unit": "percent"},
        {"name": "新签项目", "quote": "新签项目157个", "value": 157, "unit": "count"},
    ],
    "mechanisms": [{"code": "assessment", "quote": "一季一通报"}],
    "timelines": [
        {
            "kind": "cadence",
            "code": "一月一调度、一季一通报",
            "quote": "一月一调度、一季一通报",
            "stages": [
                {"to_event": "调度", "every_months": 1},
                {"to_event": "通报", "every_months": 3},
            ],
        }
    ],
    "projects": [],
}


def answer(data: dict[str, Any] | str = GOOD, **kwargs: Any) -> FakeResponse:
    arguments = data if isinstance(data, str) else json.dumps(data, ensure_ascii=False)
    return chat_completion(tool_arguments=arguments, tool_name="LLMExtraction", **kwargs)


def honest(data: dict[str, Any], article: str) -> dict[str, Any]:
    """``data`` less the items whose quotes are not in the text the model was sent."""
    kept = json.loads(json.dumps(data))
    for part in ("metrics", "mechanisms", "timelines", "projects"):
        kept[part] = [item for item in kept.get(part, []) if item["quote"] in article]
    return kept


def with_value(index: int, value: float) -> dict[str, Any]:
    data = json.loads(json.dumps(GOOD))
    data["metrics"][index]["value"] = value
    return data


@pytest.fixture
def server():
    with FakeOpenAIServer() as s:
        yield s


@pytest.fixture
def options(server: FakeOpenAIServer, tmp_path: Path) -> dict[str, Any]:
    return {
        "base_url": server.base_url,
        "model": "fake-model",
        "api_key": KEY,
        "cache_dir": str(tmp_path / "cache"),
        "backoff_initial": 0.01,
        "backoff_max": 2.0,
        "timeout": 5.0,
    }


def run(options: dict[str, Any], text: str = ARTICLE, **more: Any) -> zsextract.PromotionReport:
    return zsextract.extract(text, backend="llm", **{**options, **more})


def test_grounded_report(server: FakeOpenAIServer, options: dict[str, Any]) -> None:
    server.enqueue(answer())
    report = run(options)
    assert [(m.name, m.quantity.value, m.quantity.unit) for m in report.metrics] == [
        ("到位资金", 48450000000, "CNY"),
        ("同比增长", Decimal("18.9"), "percent"),
        ("新签项目", 157, "count"),
    ]
    for item in (*report.metrics, *report.mechanisms, *report.timelines):
        assert report.source.text[item.evidence.start : item.evidence.end] == item.evidence.quote
    assert report.metrics[0].evidence.quote == "到位資金484.5億元"  # raw (Traditional) text
    p = report.provenance
    assert (p.backend, p.model, p.attempts, p.cache, p.chunks) == (
        "llm",
        "fake-model",
        1,
        "miss",
        1,
    )
    assert p.prompt_version.startswith("v2+") and p.endpoint == server.base_url
    assert p.usage.total_tokens == 150
    sent = server.requests[0].body
    assert sent["model"] == "fake-model" and sent["temperature"] == 0
    assert (
        sent["messages"][0]["role"] == "system" and "leader_led" in sent["messages"][0]["content"]
    )
    assert "484.5亿元" in sent["messages"][-1]["content"]  # the model sees the cleaned text


def test_hallucinated_number_is_repaired_by_a_reask(server, options) -> None:
    server.enqueue(answer(with_value(2, 175)), answer())
    report = run(options)
    assert [m.quantity.value for m in report.metrics][-1] == 157
    assert report.provenance.attempts == 2 and report.provenance.usage.total_tokens == 300
    repair = server.requests[1].body["messages"]
    # the repair names the failing item and carries the last answer, not a growing history
    assert "metrics[2]（新签项目）" in repair[-1]["content"] and "175" in repair[-1]["content"]
    assert repair[-2]["role"] == "assistant" and "175" in repair[-2]["content"]
    assert len(repair) == len(server.requests[0].body["messages"]) + 2


def test_ungrounded_items_raise_after_the_budget(server, options) -> None:
    server.enqueue(*[answer(with_value(2, 175)) for _ in range(3)])
    with pytest.raises(GroundingError) as info:
        run(options, repair_attempts=2)
    err = info.value
    assert err.attempts == 3 and err.usage["total_tokens"] == 450
    assert err.failures and "metrics[2]" in err.failures[0]
    assert "175" in (err.raw_output or "")


def test_ungrounded_items_can_be_dropped_and_listed(server, options) -> None:
    server.enqueue(answer(with_value(2, 175)), answer(with_value(2, 175)))
    report = run(options, repair_attempts=1, on_ungrounded="drop")
    assert [m.name for m in report.metrics] == ["到位资金", "同比增长"]
    assert len(report.provenance.dropped) == 1 and "metrics[2]" in report.provenance.dropped[0]


def test_invalid_json_is_repaired(server, options) -> None:
    server.enqueue(answer('{"metrics": [{"name": '), answer())
    report = run(options)
    assert len(report.metrics) == 3 and report.provenance.attempts == 2
    assert "JSON" in server.requests[1].body["messages"][-1]["content"]


def test_schema_invalid_json_is_repaired(server, options) -> None:
    bad = json.loads(json.dumps(GOOD))
    bad["metrics"][0]["unit"] = "yuan"
    bad["mechanisms"][0]["code"] = "bribery"
    server.enqueue(answer(bad), answer())
    report = run(options)
    assert report.provenance.attempts == 2
    repair = server.requests[1].body["messages"][-1]["content"]
    assert "metrics.0.unit" in repair  # the schema error; the code is checked once it parses


def test_429_retry_after_is_honoured(server, options) -> None:
    server.enqueue(
        FakeResponse(
            {"error": {"message": "slow down"}}, status=429, headers={"Retry-After": "0.4"}
        ),
        answer(),
    )
    started = time.perf_counter()
    report = run(options)
    assert time.perf_counter() - started >= 0.4
    # attempts counts requests, the refused one too
    assert len(server.requests) == 2 and report.provenance.attempts == 2


def test_500_is_retried(server, options) -> None:
    server.enqueue(FakeResponse({"error": {"message": "oops"}}, status=500), answer())
    assert len(run(options).metrics) == 3
    assert len(server.requests) == 2


def test_retries_run_out(server, options) -> None:
    server.enqueue(*[FakeResponse({"error": {"message": "down"}}, status=503) for _ in range(3)])
    with pytest.raises(TransportError) as info:
        run(options, transport_retries=2)
    assert info.value.status == 503 and len(server.requests) == 3


@pytest.mark.parametrize("status", [400, 401, 403, 404])
def test_refusals_are_not_retried(server, options, status: int) -> None:
    server.enqueue(FakeResponse({"error": {"message": "no"}}, status=status), answer())
    with pytest.raises(TransportError) as info:
        run(options)
    assert info.value.status == status
    assert len(server.requests) == 1


def test_timeouts_are_retried_then_reported(server, options) -> None:
    slow = FakeResponse(answer().body, delay=1.5)
    server.enqueue(slow, slow)
    with pytest.raises(TransportError, match="Timeout"):
        run(options, timeout=0.3, transport_retries=1)
    assert len(server.requests) == 2


def test_truncated_output_replans_without_spending_repairs(server, options) -> None:
    text = ARTICLE + "\n" + "另据统计，上半年全市新增外资企业12家。"
    part2 = {
        "metrics": [
            {"name": "新增外资企业", "quote": "新增外资企业12家", "value": 12, "unit": "count"}
        ]
    }

    def respond(request: RecordedRequest) -> FakeResponse:
        article = request.body["messages"][-1]["content"]
        if "梧州" in article and "外资" in article:
            return answer('{"metrics": [', finish_reason="length")
        both = {**GOOD, "metrics": GOOD["metrics"] + part2["metrics"]}
        return answer(honest(both, article))

    server.responder = respond
    report = run(options, text=text, min_chunk_chars=20, repair_attempts=0)
    assert [m.quantity.value for m in report.metrics] == [48450000000, Decimal("18.9"), 157, 12]
    # the cut answer, then the three sentences of the article, each asked once
    assert report.provenance.chunks == 3 and report.provenance.attempts == 4


def test_truncation_at_the_smallest_chunk_fails_fast(server, options) -> None:
    server.enqueue(answer('{"metrics": [', finish_reason="length"), answer())
    with pytest.raises(TruncatedOutputError) as info:
        run(options)
    assert info.value.attempts == 1 and len(server.requests) == 1


def test_token_budget(server, options) -> None:
    # a request that cannot fit is never sent
    with pytest.raises(TokenBudgetError, match="not sent") as info:
        run(options, token_budget=200)
    assert info.value.usage["total_tokens"] == 0 and len(server.requests) == 0
    # a call that fits, but costs more than expected, ends the article once paid
    server.enqueue(answer(with_value(2, 175), prompt_tokens=30_000), answer())
    with pytest.raises(TokenBudgetError, match="spent") as info:
        run(options, token_budget=20_000)
    assert info.value.usage["total_tokens"] == 30_050 and len(server.requests) == 1


def test_cache_hit_makes_no_request_and_keeps_no_key(server, options, tmp_path, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    server.enqueue(answer())
    first = run(options)
    second = run(options)
    assert len(server.requests) == 1
    assert (first.provenance.cache, second.provenance.cache) == ("miss", "hit")
    assert second.provenance.attempts == 0
    assert second.model_dump(exclude={"provenance"}) == first.model_dump(exclude={"provenance"})
    for path in (tmp_path / "cache").rglob("*"):
        if path.is_file():
            assert KEY.encode() not in path.read_bytes()
    assert KEY not in caplog.text
    assert KEY not in first.model_dump_json()


def test_changed_validators_reparse_stored_answers_offline(server, options, monkeypatch) -> None:
    server.enqueue(answer())
    run(options)
    monkeypatch.setattr("zsextract.llm.backend.GROUNDING_VERSION", "changed")
    report = run(options)
    assert report.provenance.cache == "reparsed" and len(server.requests) == 1
    assert len(report.metrics) == 3


def test_cache_key_holds_every_input(server, options) -> None:
    server.responder = lambda request: answer()
    run(options)
    run(options, model="other-model")
    run(options, temperature=0.5)
    run(options, text=ARTICLE + "另有项目。")
    assert len(server.requests) == 4
    run(options, use_cache=False)
    assert len(server.requests) == 5


async def test_async_extract(server, options) -> None:
    server.enqueue(answer())
    report = await zsextract.aextract(ARTICLE, backend="llm", **options)
    assert len(report.metrics) == 3 and report.provenance.attempts == 1


def test_injected_client(server, options) -> None:
    server.enqueue(answer())
    client = openai.OpenAI(base_url=server.base_url, api_key=KEY)
    opts = {k: v for k, v in options.items() if k not in ("base_url", "api_key")}
    report = zsextract.extract(ARTICLE, backend="llm", client=client, **opts)
    assert report.provenance.endpoint == server.base_url and len(report.metrics) == 3


def test_candidate_mode_labels_numbers(server, options) -> None:
    cited = {
        "metrics": [
            {"candidate": "Q1", "name": "到位资金"},
            {"candidate": "Q3", "name": "新签项目"},
        ],
        "mechanisms": [],
    }
    server.enqueue(answer(cited))
    report = run(options, candidates=True)
    assert [(m.name, m.quantity.value) for m in report.metrics] == [
        ("到位资金", 48450000000),
        ("新签项目", 157),
    ]
    prompt = server.requests[0].body["messages"][-1]["content"]
    assert "Q1: " in prompt and "【484.5亿元】" in prompt
    tool = server.requests[0].body["tools"][0]["function"]["parameters"]
    assert "candidate" in json.dumps(tool)


def test_unknown_candidate_is_repaired(server, options) -> None:
    server.enqueue(
        answer({"metrics": [{"candidate": "Q9", "name": "x"}]}),
        answer({"metrics": [{"candidate": "Q3", "name": "新签项目"}]}),
    )
    report = run(options, candidates=True)
    assert [m.quantity.value for m in report.metrics] == [157]
    assert "Q9" in server.requests[1].body["messages"][-1]["content"]


def test_metadata_resolves_periods_and_reaches_the_prompt(server, options) -> None:
    server.enqueue(answer())
    report = run(options, metadata={"publish_date": "2022-08-10", "region": "梧州市"})
    assert report.metrics[0].period == "2022年1至7月"
    assert "发布日期：2022-08-10" in server.requests[0].body["messages"][-1]["content"]


def test_long_articles_are_chunked_and_merged(server, options) -> None:
    filler = "招商引资工作持续推进，营商环境不断优化。" * 8
    text = "\n".join([ARTICLE, filler, filler, ARTICLE])

    def respond(request: RecordedRequest) -> FakeResponse:
        article = request.body["messages"][-1]["content"]
        return answer(honest(GOOD, article) if "梧州" in article else {"metrics": []})

    server.responder = respond
    report = run(options, text=text, chunk_chars=200, chunk_overlap=50)
    assert report.provenance.chunks >= 3
    # the figures are stated twice, far apart: one fact each, with both statements
    # (issue 18), none lost, none doubled
    values = [48450000000, Decimal("18.9"), 157]
    assert [m.quantity.value for m in report.metrics] == values
    second = text.rindex("1至7月")
    # each offset points at its own figure, in its own statement
    for m, figure in zip(report.metrics, ["484.5億元", "18.9%", "157個"], strict=True):
        (again,) = m.restated
        for n, ev in enumerate((m.evidence, again)):
            assert figure in text[ev.start : ev.end], ev
            assert (ev.start >= second) == (n == 1)


def test_missing_model_and_key_are_clear_errors(monkeypatch) -> None:
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    monkeypatch.delenv("OPENAI_BASE_URL", raising=False)
    monkeypatch.delenv("ZSEXTRACT_MODEL", raising=False)
    with pytest.raises(zsextract.ConfigurationError, match="OPENAI_API_KEY"):
        zsextract.extract(ARTICLE, backend="llm")
    with pytest.raises(zsextract.ConfigurationError, match="DEEPSEEK_API_KEY"):
        zsextract.extract(ARTICLE, backend="llm", provider="deepseek")
    with pytest.raises(zsextract.ConfigurationError, match="no model"):
        zsextract.extract(
            ARTICLE, backend="llm", base_url="https://llm.example.invalid/v1", api_key="x"
        )
    with pytest.raises(zsextract.ConfigurationError, match="unknown provider"):
        zsextract.extract(ARTICLE, backend="llm", provider="nope")
    with pytest.raises(zsextract.ConfigurationError, match="unknown LLM option"):
        zsextract.extract(ARTICLE, backend="llm", temprature=0.2)
    with pytest.raises(zsextract.ConfigurationError, match="only apply to backend='llm'"):
        zsextract.extract(ARTICLE, model="x")


async def test_async_extract_with_injected_async_client(server, options) -> None:
    server.enqueue(answer())
    client = openai.AsyncOpenAI(base_url=server.base_url, api_key=KEY)
    opts = {k: v for k, v in options.items() if k not in ("base_url", "api_key")}
    report = await zsextract.aextract(ARTICLE, backend="llm", client=client, **opts)
    assert len(report.metrics) == 3 and report.provenance.endpoint == server.base_url
