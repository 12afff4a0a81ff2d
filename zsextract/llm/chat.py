"""Chat completions sent as the JSON they are, without openai's walk of its parameters.

``client.chat.completions.create`` passes its parameters through openai's
``async_maybe_transform``, which walks every message against each type of the message
union (3 to 4 ms of client CPU per call for zsextract's four messages and its tool
schema on the project's machine: a third of a call). For plain JSON, that walk
changes nothing but dropping the parameters that were not given.
``tests/test_chat_send.py`` checks that for every mode's request.

So zsextract's own clients get instructor's chat completions through :func:`create_for`
instead: the same request, sent with ``client.post("/chat/completions", ...)`` (the
openai SDK's documented way to call an endpoint directly), keys in openai's order. A
request that is not plain JSON (a pydantic ``response_format``, an iterator, a stream)
goes through ``chat.completions.create`` as before, and so does every call on a client
you pass in (it may be instrumented, and then stays so: tracing that patches
``Completions.create`` sees only the requests of a client passed in).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, cast

import openai
from openai.types.chat import ChatCompletion, completion_create_params

__all__ = ["acreate_for", "create_for", "plain_body"]

#: the parameters of a chat completion, in the order openai writes them
_ORDER: dict[str, int] = {
    key: i
    for i, key in enumerate(
        completion_create_params.CompletionCreateParamsNonStreaming.__annotations__
    )
}
#: create()'s arguments that are request options, not body
_OPTIONS = {"extra_headers": "headers", "extra_query": "params", "extra_body": "extra_json"}


def _is_plain(value: Any) -> bool:
    """True for JSON made of dicts with string keys, lists, strings, numbers, bools, None."""
    if value is None or isinstance(value, (str, bool, int, float)):
        return True
    if isinstance(value, list):
        return all(_is_plain(v) for v in value)
    if isinstance(value, dict):
        return all(isinstance(k, str) and _is_plain(v) for k, v in value.items())
    return False


def plain_body(params: dict[str, Any]) -> dict[str, Any] | None:
    """The request body for ``params`` (create()'s keyword arguments less its options):
    the given ones, in openai's order; None when openai would have to shape them."""
    given = {k: v for k, v in params.items() if not isinstance(v, (openai.NotGiven, openai.Omit))}
    if (
        "stream" in given  # create() writes it elsewhere in the order, and may stream
        or not {"model", "messages"} <= given.keys()  # create() says what is missing
        or any(k not in _ORDER for k in given)
        or not _is_plain(given)
    ):
        return None
    return dict(sorted(given.items(), key=lambda item: _ORDER[item[0]]))


def _post_arguments(params: dict[str, Any]) -> dict[str, Any] | None:
    """``client.post``'s arguments for create()'s keyword arguments ``params``, or None
    when they are no plain JSON (then create() sends them)."""
    options: dict[str, Any] = {"security": {"bearer_auth": True}}  # as create() sends
    rest = dict(params)
    timeout = rest.pop("timeout", openai.NOT_GIVEN)
    if not isinstance(timeout, openai.NotGiven):
        options["timeout"] = timeout
    for name, option in _OPTIONS.items():
        value = rest.pop(name, None)
        if value is not None:
            options[option] = value
    body = plain_body(rest)
    if body is None:
        return None
    # options: openai's RequestOptions (a TypedDict)
    return {"body": body, "options": options, "cast_to": ChatCompletion, "stream": False}


def create_for(client: openai.OpenAI) -> Callable[..., ChatCompletion]:
    """``client.chat.completions.create``, sending plain JSON as it is."""

    def create(**params: Any) -> ChatCompletion:
        post = _post_arguments(params)
        if post is None:
            return client.chat.completions.create(**params)  # type: ignore[no-any-return]
        return cast(ChatCompletion, client.post("/chat/completions", **post))

    return create


def acreate_for(client: openai.AsyncOpenAI) -> Callable[..., Awaitable[ChatCompletion]]:
    """``client.chat.completions.create`` of an async client, sending plain JSON as it is."""

    async def create(**params: Any) -> ChatCompletion:
        post = _post_arguments(params)
        if post is None:
            return await client.chat.completions.create(**params)  # type: ignore[no-any-return]
        return cast(ChatCompletion, await client.post("/chat/completions", **post))

    return create
