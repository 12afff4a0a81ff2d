"""Providers, modes, prompts and retry policy of the LLM backend."""

from __future__ import annotations

import email.utils
import json
import os
import re
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


GOLDEN_DIR = ROOT / "tests" / "data" / "golden"
REPAIR_ARTICLE = (
    "白河县上半年新签项目26个，到位资金18.4亿元。项目签约后2个月内注册、6个月内开工。"
    "县里实行一月一调度。华源公司投资6亿元的特种纤维项目已开工。"
)
#: one failure of each common kind: wrong value, quote not in the article, invented
#: region and mechanism code, swapped deadline months, a project name not in its quote
WRONG = {
    "region": "火星市",
    "metrics": [
        {"name": "新签项目", "quote": "新签项目26个", "value": 27, "unit": "count"},
        {"name": "到位资金", "quote": "到位资金99亿元", "value": 9.9e9, "unit": "CNY"},
    ],
    "mechanisms": [{"code": "moon_base", "quote": "一月一调度"}],
    "timelines": [
        {
            "kind": "deadline",
            "quote": "项目签约后2个月内注册、6个月内开工",
            "stages": [
                {"from_event": "签约", "to_event": "注册", "months": 6},
                {"from_event": "签约", "to_event": "开工", "months": 2},
            ],
        }
    ],
    "projects": [{"name": "特斯拉超级工厂", "quote": "特种纤维项目", "status": "started"}],
}


def _golden(name: str, body: dict[str, Any]) -> None:
    """``body`` equals the golden file ``name`` (rewritten when ZSEXTRACT_UPDATE_GOLDEN
    is set: ZSEXTRACT_UPDATE_GOLDEN=1 .venv/bin/pytest tests/test_llm_setup.py)."""
    rendered = json.dumps(body, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    path = GOLDEN_DIR / name
    if os.environ.get("ZSEXTRACT_UPDATE_GOLDEN"):
        path.write_text(rendered, "utf-8")
    assert rendered == path.read_text("utf-8"), f"{name} changed: a prompt change shows here"


@pytest.mark.parametrize("version", ["v1", "v2"])
def test_rendered_request_is_golden(version: str, tmp_path: Path) -> None:
    """The whole first request for a fixed article, per prompt version; a prompt change
    shows up here (and makes cassettes stale)."""
    with FakeOpenAIServer() as server:
        server.enqueue(
            chat_completion(tool_arguments=json.dumps(ANSWER), tool_name="LLMExtraction")
        )
        zsextract.extract(
            ARTICLE,
            backend="llm",
            base_url=server.base_url,
            model="m",
            prompt_version=version,
            metadata={"publish_date": "2024-07-15"},
            cache_dir=str(tmp_path),
        )
        body = server.requests[0].body
    _golden(f"request_{version}.json", body)
    messages = body["messages"]
    assert [m["role"] for m in messages] == ["system", "user", "assistant", "user"]
    assert "发布日期：2024-07-15" in messages[-1]["content"]


def test_repair_request_is_golden(tmp_path: Path) -> None:
    """The repair request after an answer with one failure of each common kind: the
    failed items named in v2's words, at most ``repair_max_items`` of them listed."""
    right = {"metrics": [ANSWER["metrics"][0] | {"quote": "新签项目26个"}]}
    with FakeOpenAIServer() as server:
        server.enqueue(
            chat_completion(tool_arguments=json.dumps(WRONG), tool_name="LLMExtraction"),
            chat_completion(tool_arguments=json.dumps(right), tool_name="LLMExtraction"),
        )
        report = zsextract.extract(
            REPAIR_ARTICLE,
            backend="llm",
            base_url=server.base_url,
            model="m",
            repair_max_items=5,
            cache_dir=str(tmp_path),
        )
        repair = server.requests[1].body
    assert report.provenance.prompt_version.startswith("v2+")
    _golden("repair_v2.json", repair)
    asked = repair["messages"][-1]["content"]
    assert "……另有 1 条同类问题未列出" in asked  # the project whose name is not in its quote
    assert asked.count("\n- ") == 6  # five failures and the line saying how many more


def test_prompt_versions_and_examples(tmp_path: Path) -> None:
    prompts = load_prompts("v1")
    assert prompts.label.startswith("v1+") and prompts.examples
    with pytest.raises(PromptError, match="no prompt version 'v9'"):
        load_prompts("v9")
    broken = tmp_path / "v1"
    (broken / "examples").mkdir(parents=True)
    for name in ("system.md", "task.md", "task_candidates.md", "reask.md", "messages.json"):
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


def _version_with_messages(tmp_path: Path, edit: Any) -> Path:
    folder = tmp_path / "v9"
    folder.mkdir()
    for name in ("system.md", "task.md", "task_candidates.md", "reask.md"):
        (folder / name).write_text((ROOT / "prompts" / "v2" / name).read_text("utf-8"), "utf-8")
    messages = json.loads((ROOT / "prompts" / "v2" / "messages.json").read_text("utf-8"))
    edit(messages)
    (folder / "messages.json").write_text(json.dumps(messages, ensure_ascii=False), "utf-8")
    return tmp_path


@pytest.mark.parametrize(
    ("edit", "error"),
    [
        (lambda m: m.pop("not_found"), r"lacks \['not_found'\]"),
        (lambda m: m.update(extra="x"), r"unknown \['extra'\]"),
        (lambda m: m.update(not_attached="$label：数字“$number”"), "must use the placeholders"),
        (lambda m: m.update(no_quantity="$ 没有"), "a lone"),
    ],
)
def test_messages_file_is_checked_when_loaded(tmp_path: Path, edit: Any, error: str) -> None:
    with pytest.raises(PromptError, match=error):
        load_prompts("v9", _version_with_messages(tmp_path, edit))


def test_code_says_only_messages_every_version_has() -> None:
    """Every ``say("key"`` in the code is a key of MESSAGES, and every key is said."""
    from zsextract.llm.prompts import LATER_MESSAGES, MESSAGES

    source = "\n".join(p.read_text("utf-8") for p in (ROOT / "zsextract" / "llm").glob("*.py"))
    said = set(re.findall(r'say\(\s*"(\w+)"', source))
    known = MESSAGES.keys() | LATER_MESSAGES.keys()
    assert said <= known, said - known
    assert known - said <= {"list_separator"}, known - said
    assert {fallback for _, fallback in LATER_MESSAGES.values()} <= MESSAGES.keys()
    assert load_prompts("v1").messages.keys() == MESSAGES.keys()
    assert load_prompts("v2").messages.keys() == known
