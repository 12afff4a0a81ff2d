"""Cassettes of LLM traffic (vcrpy): one configuration for recording and replay.

- Authorization, API-key, organization and cookie headers and ``key`` query
  parameters never reach a cassette.
- Requests match on method, path and the JSON of the body (key order aside), so a
  cassette replays against any host and goes stale exactly when the request changes
  (prompt, schema, model, settings or article).
- Every recorded response carries ``x-zsextract-cassette-source``, saying where it
  came from: ``recorded from <base URL> (model …) on <date>`` or ``scripted: …``.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import vcr
import yaml

__all__ = [
    "SECRET_HEADERS",
    "SOURCE_HEADER",
    "cassette_source",
    "json_body_matcher",
    "make_vcr",
    "recorded_requests",
    "vcr_config",
]

SOURCE_HEADER = "x-zsextract-cassette-source"
SECRET_HEADERS = (
    "authorization",
    "api-key",
    "x-api-key",
    "openai-organization",
    "openai-project",
    "cookie",
    "set-cookie",
)


def _parsed(body: Any) -> Any:
    if isinstance(body, bytes):
        body = body.decode("utf-8")
    try:
        return json.loads(body) if body else None
    except ValueError:
        return body


def json_body_matcher(r1: Any, r2: Any) -> None:
    """vcrpy matcher: the bodies hold the same JSON."""
    assert _parsed(r1.body) == _parsed(r2.body), "request bodies differ"


def _labeller(source: str) -> Any:
    def label(response: dict[str, Any]) -> dict[str, Any]:
        headers = response["headers"]
        for name in list(headers):
            if name.lower() in SECRET_HEADERS:
                del headers[name]
        headers[SOURCE_HEADER] = [source]
        return response

    return label


def vcr_config(source: str | None = None) -> dict[str, Any]:
    """Keyword arguments for ``vcr.VCR`` (and pytest-recording's ``vcr_config``)."""
    return {
        "filter_headers": [(name, None) for name in SECRET_HEADERS],
        "filter_query_parameters": ["api_key", "key"],
        "match_on": ["method", "path", "json_body"],
        "decode_compressed_response": True,
        "before_record_response": _labeller(source or "scripted: unknown origin"),
    }


def make_vcr(source: str | None = None, record_mode: str = "none") -> vcr.VCR:
    """A configured VCR; ``record_mode="none"`` replays only and never reaches a network."""
    recorder = vcr.VCR(record_mode=record_mode, **vcr_config(source))
    recorder.register_matcher("json_body", json_body_matcher)
    return recorder


def cassette_source(base_url: str | None = None, model: str | None = None) -> str:
    """The source label for a recording made now."""
    today = date.today().isoformat()
    if base_url:
        return f"recorded from {base_url} (model {model}) on {today}"
    return (
        f"scripted: answers written by hand, served by zsextract.testing.FakeOpenAIServer, {today}"
    )


def recorded_requests(path: Path) -> list[dict[str, Any]]:
    """The requests a cassette holds: ``{"uri", "body" (parsed JSON), "source",
    "status"}`` (the status of the recorded response)."""
    data = yaml.safe_load(Path(path).read_text("utf-8")) or {}
    out = []
    for interaction in data.get("interactions", []):
        request = interaction["request"]
        response = interaction.get("response", {})
        source = response.get("headers", {}).get(SOURCE_HEADER, [None])
        status = (response.get("status") or {}).get("code")
        out.append(
            {
                "uri": request["uri"],
                "body": _parsed(request["body"]),
                "source": source[0],
                "status": status,
            }
        )
    return out
