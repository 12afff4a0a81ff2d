"""zsextract's own clients send chat completions with ``client.post`` (llm/chat.py),
skipping openai's walk of the parameters: the request on the wire must be the one
``chat.completions.create`` sends, in every mode, sync and async."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import openai
import pytest
from openai.resources.chat.completions import AsyncCompletions, Completions

import zsextract
from zsextract.llm.chat import acreate_for, create_for, plain_body
from zsextract.testing import FakeOpenAIServer, FakeResponse, RecordedRequest, chat_completion

ARTICLE = "2024年1至6月，青山县新签项目25个，到位资金31.5亿元，同比增长12%。"
ANSWER = {
    "metrics": [
        {"name": "新签项目", "quote": "新签项目25个", "value": 25, "unit": "count"},
    ]
}


def _respond(request: RecordedRequest) -> FakeResponse:
    text = json.dumps(ANSWER, ensure_ascii=False)
    if isinstance(request.body, dict) and request.body.get("tools"):
        name = request.body["tools"][0]["function"]["name"]
        return chat_completion(tool_arguments=text, tool_name=name)
    return chat_completion(text)


def _extract(aio: bool, **options: Any) -> zsextract.PromotionReport:
    if aio:
        return asyncio.run(zsextract.aextract(ARTICLE, backend="llm", **options))
    return zsextract.extract(ARTICLE, backend="llm", **options)


#: headers that differ between any two requests of one client
_PER_REQUEST = {"x-stainless-retry-count"}


@pytest.mark.parametrize("aio", [False, True], ids=["sync", "async"])
@pytest.mark.parametrize("mode", ["tools", "json_schema", "md_json", "json"])
def test_the_request_is_the_one_create_sends(mode: str, aio: bool) -> None:
    with FakeOpenAIServer(_respond) as server:
        options = {
            "base_url": server.base_url,
            "model": "fake-model",
            "api_key": "sk-test",
            "use_cache": False,
            "mode": mode,
            "timeout": 5.0,
        }
        own = _extract(aio, **options)
        kind = openai.AsyncOpenAI if aio else openai.OpenAI
        theirs = _extract(aio, client=kind(base_url=server.base_url, api_key="sk-test"), **options)
        direct, created = server.requests
    assert [m.name for m in own.metrics] == [m.name for m in theirs.metrics] == ["新签项目"]
    assert direct.body == created.body
    assert list(direct.body) == list(created.body)  # keys in openai's order too
    assert (direct.method, direct.path) == (created.method, created.path)
    mine = {k.lower(): v for k, v in direct.headers.items() if k.lower() not in _PER_REQUEST}
    yours = {k.lower(): v for k, v in created.headers.items() if k.lower() not in _PER_REQUEST}
    assert mine == yours


def test_own_clients_skip_create_and_yours_go_through_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    called: list[str] = []
    real_create, real_acreate = Completions.create, AsyncCompletions.create

    def create(self: Any, **params: Any) -> Any:
        called.append("sync")
        return real_create(self, **params)

    async def acreate(self: Any, **params: Any) -> Any:
        called.append("async")
        return await real_acreate(self, **params)

    monkeypatch.setattr(Completions, "create", create)
    monkeypatch.setattr(AsyncCompletions, "create", acreate)
    with FakeOpenAIServer(_respond) as server:
        options = {"base_url": server.base_url, "model": "m", "api_key": "k", "use_cache": False}
        _extract(False, **options)
        _extract(True, **options)
        assert called == [] and len(server.requests) == 2
        _extract(False, client=openai.OpenAI(base_url=server.base_url, api_key="k"), **options)
        _extract(True, client=openai.AsyncOpenAI(base_url=server.base_url, api_key="k"), **options)
    assert called == ["sync", "async"]


@pytest.mark.parametrize(
    "params",
    [
        {"model": "m", "messages": [], "stream": True},  # a stream: openai's own path
        {"model": "m", "messages": ({"role": "user", "content": "x"},)},  # a tuple
        {"model": "m", "messages": [], "response_format": zsextract.PromotionReport},
        {"model": "m", "messages": [], "not_a_parameter": 1},
        {"model": "m", "messages": [], "stream": False},  # create() orders it elsewhere
        {"messages": []},  # no model: create() raises before sending
    ],
)
def test_what_is_not_plain_json_is_left_to_create(params: dict[str, Any]) -> None:
    assert plain_body(params) is None


def test_not_given_values_are_dropped_and_keys_ordered() -> None:
    body = plain_body(
        {
            "temperature": 0,
            "model": "m",
            "top_p": openai.omit,
            "messages": [],
            "n": openai.NOT_GIVEN,
        }
    )
    assert list(body or {}) == ["messages", "model", "temperature"]


def test_a_request_that_is_not_plain_goes_through_create() -> None:
    sent: list[dict[str, Any]] = []

    class Client:
        class chat:
            class completions:
                @staticmethod
                def create(**params: Any) -> str:
                    sent.append(params)
                    return "created"

        def post(self, *args: Any, **kwargs: Any) -> str:
            raise AssertionError("a stream must not be posted as plain JSON")

    params = {"model": "m", "messages": [], "stream": True, "timeout": 3}
    assert create_for(Client())(**params) == "created"  # type: ignore[arg-type]
    assert sent == [params]


def test_a_request_timeout_bounds_the_post() -> None:
    with FakeOpenAIServer(_respond, latency=2.0) as server:
        client = openai.OpenAI(base_url=server.base_url, api_key="k", max_retries=0)
        aclient = openai.AsyncOpenAI(base_url=server.base_url, api_key="k", max_retries=0)
        request = {"model": "m", "messages": [{"role": "user", "content": "x"}], "timeout": 0.3}
        with pytest.raises(openai.APITimeoutError):
            create_for(client)(**request)
        with pytest.raises(openai.APITimeoutError):
            asyncio.run(acreate_for(aclient)(**request))
