"""The LLM backend replayed from cassettes (tests/cassettes/test_llm_cassettes/).

Replay needs no server and no key. How the cassettes were made, and how to record them
again (from the scripted fake server or a live endpoint): tests/cassettes/README.md.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml

import zsextract
from zsextract.regress.cassettes import SOURCE_HEADER, make_vcr
from zsextract.testing import FakeOpenAIServer, chat_completion

from .conftest import EXAMPLES, LIVE_BASE_URL, LIVE_MODEL

ARTICLE = (EXAMPLES / "qingshan_2024_h1.txt").read_text("utf-8")
CASSETTES = Path(__file__).parent / "cassettes" / "test_llm_cassettes"

ANSWER = {
    "region": "青山经济技术开发区",
    "period": "1至6月",
    "metrics": [
        {
            "name": "招商引资到位资金",
            "quote": "完成招商引资到位资金126.8亿元",
            "value": 12680000000,
            "unit": "CNY",
            "period": "1至6月",
        },
        {
            "name": "到位资金同比增长",
            "quote": "同比增长12.4%",
            "value": 12.4,
            "unit": "percent",
            "period": "1至6月",
        },
        {
            "name": "新签约项目",
            "quote": "新签约项目64个",
            "value": 64,
            "unit": "count",
            "period": "1至6月",
        },
        {"name": "储能电池项目投资", "quote": "投资45亿元", "value": 4500000000, "unit": "CNY"},
    ],
    "mechanisms": [
        {"code": "leader_led", "quote": "区委书记、区长多次带队赴长三角、珠三角开展招商活动"},
        {"code": "small_teams", "quote": "组建8支招商小分队"},
    ],
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
    "projects": [
        {
            "name": "年产20GWh储能电池项目",
            "investor": "华锐新能源科技有限公司",
            "amount_quote": "投资45亿元",
            "status": "started",
            "quote": "年产20GWh储能电池项目",
        }
    ],
}


def _tool(data: dict[str, Any]) -> Any:
    return chat_completion(
        tool_arguments=json.dumps(data, ensure_ascii=False),
        tool_name="LLMExtraction",
        prompt_tokens=2100,
        completion_tokens=640,
    )


def _recorded_model(cassette: Path) -> str:
    """The model a cassette was recorded with: replay must ask for the same one."""
    interactions = yaml.safe_load(cassette.read_text("utf-8"))["interactions"]
    return str(json.loads(interactions[0]["request"]["body"])["model"])


@pytest.fixture
def endpoint(
    request: pytest.FixtureRequest, default_cassette_name: str
) -> Iterator[Callable[..., dict[str, Any]]]:
    """LLM options for a cassette test: replay (default), or record from the scripted
    fake server, or from a live endpoint when ZSEXTRACT_LIVE_BASE_URL is set."""
    mode = request.config.getoption("--record-mode", default="none")
    servers: list[FakeOpenAIServer] = []

    def make(*scripted: dict[str, Any]) -> dict[str, Any]:
        common = {"use_cache": False, "backoff_initial": 0.01}
        if mode == "none":
            cassette = CASSETTES / f"{default_cassette_name}.yaml"
            return {
                **common,
                "base_url": "http://127.0.0.1:9/v1",
                "api_key": "sk-replay",
                "model": _recorded_model(cassette),
            }
        if LIVE_BASE_URL:
            return {**common, "base_url": LIVE_BASE_URL, "model": LIVE_MODEL}
        server = FakeOpenAIServer().start()
        servers.append(server)
        server.enqueue(*[_tool(answer) for answer in scripted])
        return {**common, "base_url": server.base_url, "model": "fake-model", "api_key": "sk-rec"}

    yield make
    for server in servers:
        server.stop()


@pytest.mark.vcr
def test_example_article_replays_to_a_grounded_report(endpoint) -> None:
    report = zsextract.extract(ARTICLE, backend="llm", **endpoint(ANSWER))
    values = {(m.quantity.value, m.quantity.unit) for m in report.metrics}
    assert {(Decimal("12680000000"), "CNY"), (Decimal("64"), "count")} <= values
    assert {m.code for m in report.mechanisms} >= {"leader_led"}
    for item in (*report.metrics, *report.mechanisms, *report.timelines, *report.projects):
        assert ARTICLE[item.evidence.start : item.evidence.end] == item.evidence.quote
    assert report.provenance.attempts == 1


@pytest.mark.vcr
def test_hallucinated_number_repair_replays(endpoint) -> None:
    wrong = json.loads(json.dumps(ANSWER))
    wrong["metrics"][2]["value"] = 46
    report = zsextract.extract(ARTICLE, backend="llm", **endpoint(wrong, ANSWER))
    assert Decimal("64") in {m.quantity.value for m in report.metrics}
    assert report.provenance.attempts == 2


def test_prompt_v1_sends_what_it_sent_at_release() -> None:
    """tests/cassettes/releases/prompt_v1_repair.yaml was recorded (scripted) before v1's
    texts moved from the code into prompts/v1/messages.json, and is never recorded
    again: both requests (the repair naming the failed item too) must match it body for
    body, or replay fails."""
    wrong = json.loads(json.dumps(ANSWER))
    wrong["metrics"][2]["value"] = 46
    cassette = CASSETTES.parent / "releases" / "prompt_v1_repair.yaml"
    with make_vcr().use_cassette(str(cassette), allow_playback_repeats=False):
        report = zsextract.extract(
            ARTICLE,
            backend="llm",
            prompt_version="v1",
            base_url="http://127.0.0.1:9/v1",
            api_key="sk-replay",
            model=_recorded_model(cassette),
            use_cache=False,
        )
    assert report.provenance.prompt_version.startswith("v1+")
    assert report.provenance.attempts == 2


@pytest.mark.vcr
def test_candidate_mode_replays(endpoint) -> None:
    cited = {
        "metrics": [
            {"candidate": "Q1", "name": "招商引资到位资金"},
            {"candidate": "Q4", "name": "新签约项目"},
        ],
        "mechanisms": [{"code": "targeted", "quote": "绘制产业链招商地图"}],
    }
    report = zsextract.extract(ARTICLE, backend="llm", candidates=True, **endpoint(cited))
    assert [m.quantity.value for m in report.metrics][:1] == [Decimal("12680000000")]


def test_every_cassette_says_where_it_came_from_and_holds_no_secret() -> None:
    files = sorted(CASSETTES.parent.glob("*/*.yaml"))
    assert files, "no cassettes: record them (tests/cassettes/README.md)"
    for path in files:
        text = path.read_text("utf-8")
        assert not re.search(r"(?i)bearer|sk-[A-Za-z0-9]{6,}|api-key", text), path.name
        for interaction in yaml.safe_load(text)["interactions"]:
            source = interaction["response"]["headers"].get(SOURCE_HEADER)
            assert source and re.match(r"(scripted: |recorded from )", source[0]), path.name
            assert "authorization" not in {k.lower() for k in interaction["request"]["headers"]}
