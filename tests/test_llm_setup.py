"""Providers, modes, prompts and retry policy of the LLM backend."""

from __future__ import annotations

import email.utils
import json
import time
from pathlib import Path
from typing import Any

import httpx2
import openai
import pytest

import zsextract
from zsextract import ConfigurationError, PromptError
from zsextract.llm import LLMBackend, LLMSettings, load_prompts, resolve_endpoint
from zsextract.llm.transport import is_retryable, retry_after
from zsextract.testing import FakeOpenAIServer, chat_completion

from .conftest import ROOT

GOLDEN = ROOT / "tests" / "data" / "golden_prompt_v1.json"
ARTICLE = "上半年，全县新签项目26个，到位资金18.4亿元。"
ANSWER = {"metrics": [{"name": "新签项目", "quote": "新签项目26个", "value": 26, "unit": "count"}]}


@pytest.mark.parametrize(
    ("provider", "key_env", "base", "mode"),
    [
        ("openai", "OPENAI_API_KEY", "https://api.openai.com/v1", "tools"),
        ("deepseek", "DEEPSEEK_API_KEY", "https://api.deepseek.com/v1", "tools"),
        ("qwen", "DASHSCOPE_API_KEY", "https://dashscope.aliyuncs.com/compatible-mode/v1", "tools"),
        ("moonshot", "MOONSHOT_API_KEY", "https://api.moonshot.cn/v1", "tools"),
        ("zhipu", "ZHIPUAI_API_KEY", "https://open.bigmodel.cn/api/paas/v4", "tools"),
    ],
)
def test_hosted_presets(provider: str, key_env: str, base: str, mode: str) -> None:
    env = {key_env: "k-1"}
    ep = resolve_endpoint(LLMSettings(provider=provider), env)
    assert (ep.base_url, ep.mode, ep.api_key) == (base, mode, "k-1")
    assert ep.model  # a default model
    assert resolve_endpoint(LLMSettings(provider=provider, model="m2"), env).model == "m2"


def test_local_presets_need_no_key() -> None:
    ollama = resolve_endpoint(LLMSettings(provider="ollama"), {})
    vllm = resolve_endpoint(LLMSettings(provider="vllm"), {})
    assert (ollama.mode, ollama.api_key) == ("md_json", "EMPTY")
    assert (vllm.mode, vllm.base_url) == ("json_schema", "http://localhost:8000/v1")


def test_environment_endpoint() -> None:
    env = {"OPENAI_BASE_URL": "http://127.0.0.1:8000/v1/", "ZSEXTRACT_MODEL": "qwen"}
    ep = resolve_endpoint(LLMSettings(), env)
    assert (ep.base_url, ep.model, ep.api_key) == ("http://127.0.0.1:8000/v1", "qwen", "EMPTY")
    with pytest.raises(ConfigurationError, match="OPENAI_API_KEY"):
        resolve_endpoint(LLMSettings(model="m"), {"OPENAI_BASE_URL": "https://llm.example.invalid"})


@pytest.mark.parametrize(
    ("mode", "reply"),
    [
        ("md_json", lambda d: chat_completion(content="结果如下：\n```json\n" + d + "\n```")),
        ("json_schema", lambda d: chat_completion(content=d)),
        ("json", lambda d: chat_completion(content=d)),
    ],
)
def test_modes_without_tools(mode: str, reply: Any, tmp_path: Path) -> None:
    with FakeOpenAIServer() as server:
        server.enqueue(reply(json.dumps(ANSWER, ensure_ascii=False)))
        report = zsextract.extract(
            ARTICLE,
            backend="llm",
            base_url=server.base_url,
            model="m",
            mode=mode,
            cache_dir=str(tmp_path),
        )
        body = server.requests[0].body
    assert [m.quantity.value for m in report.metrics] == [26]
    assert "tools" not in body
    if mode == "json_schema":
        assert body["response_format"]["type"] == "json_schema"


def test_rendered_prompt_is_golden(tmp_path: Path) -> None:
    """The whole request for a fixed article; a prompt change shows up here (and makes
    cassettes stale). Update: ZSEXTRACT_UPDATE_GOLDEN=1 pytest tests/test_llm_setup.py."""
    import os

    with FakeOpenAIServer() as server:
        server.enqueue(
            chat_completion(tool_arguments=json.dumps(ANSWER), tool_name="LLMExtraction")
        )
        zsextract.extract(
            ARTICLE,
            backend="llm",
            base_url=server.base_url,
            model="m",
            metadata={"publish_date": "2024-07-15"},
            cache_dir=str(tmp_path),
        )
        body = server.requests[0].body
    rendered = json.dumps(body, ensure_ascii=False, indent=1, sort_keys=True)
    if os.environ.get("ZSEXTRACT_UPDATE_GOLDEN"):
        GOLDEN.write_text(rendered + "\n", "utf-8")
    assert rendered + "\n" == GOLDEN.read_text("utf-8")
    messages = body["messages"]
    assert [m["role"] for m in messages] == ["system", "user", "assistant", "user"]
    assert "发布日期：2024-07-15" in messages[-1]["content"]


def test_prompt_versions_and_examples(tmp_path: Path) -> None:
    prompts = load_prompts("v1")
    assert prompts.label.startswith("v1+") and prompts.examples
    with pytest.raises(PromptError, match="no prompt version 'v9'"):
        load_prompts("v9")
    broken = tmp_path / "v1"
    (broken / "examples").mkdir(parents=True)
    for name in ("system.md", "task.md", "task_candidates.md", "reask.md"):
        (broken / name).write_text((ROOT / "prompts" / "v1" / name).read_text("utf-8"), "utf-8")
    (broken / "examples" / "01.json").write_text(
        json.dumps({"text": "新签项目5个", "output": {"metrics": [{"quote": "新签项目6个"}]}}),
        "utf-8",
    )
    with pytest.raises(PromptError, match="新签项目6个"):
        load_prompts("v1", tmp_path)


def test_retry_after_forms() -> None:
    def error(headers: dict[str, str]) -> openai.RateLimitError:
        request = httpx2.Request("POST", "http://127.0.0.1/v1/chat/completions")
        response = httpx2.Response(429, headers=headers, request=request)
        return openai.RateLimitError("slow", response=response, body=None)

    assert retry_after(error({"retry-after": "3"})) == 3
    assert retry_after(error({"retry-after-ms": "250"})) == 0.25
    later = email.utils.formatdate(time.time() + 5, usegmt=True)
    assert 3 < (retry_after(error({"retry-after": later})) or 0) <= 5
    assert retry_after(error({})) is None
    assert is_retryable(error({}))


def extract_with_one_backend(times: int) -> tuple[list[zsextract.PromotionReport], LLMBackend]:
    """``ARTICLE`` extracted ``times`` times by one backend against a fake server."""
    with FakeOpenAIServer() as server:
        server.responder = lambda request: chat_completion(
            tool_arguments=json.dumps(ANSWER), tool_name="LLMExtraction"
        )
        backend = LLMBackend(base_url=server.base_url, model="m", use_cache=False)
        return [zsextract.extract(ARTICLE, backend=backend) for _ in range(times)], backend


def test_backend_instance_is_reusable(tmp_path: Path) -> None:
    reports, backend = extract_with_one_backend(3)
    assert all(r.metrics[0].quantity.value == 26 for r in reports)
    with pytest.raises(ConfigurationError, match="backend you built"):
        zsextract.extract(ARTICLE, backend=backend, model="x")
