"""Shared fixtures. The corpus and gold set live beside the repository in ../shared."""

from __future__ import annotations

import json
import os
import socket
from datetime import date
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus"
GOLD = SHARED / "eval" / "gold"
EXAMPLES = ROOT / "examples" / "articles"


def corpus_files() -> list[Path]:
    return sorted(CORPUS.glob("*.txt")) if CORPUS.is_dir() else []


needs_shared = pytest.mark.skipif(not GOLD.is_dir(), reason="../shared (corpus and gold) is absent")


@pytest.fixture(autouse=True)
def _no_network(monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest) -> None:
    """Tests never touch the network: any connection to a non-loopback address fails,
    unless cassettes are being recorded from a live endpoint on purpose."""
    recording = request.config.getoption("--record-mode", default="none") != "none"
    if recording and os.environ.get("ZSEXTRACT_LIVE_BASE_URL"):
        return
    real_connect = socket.socket.connect

    def guarded(self: socket.socket, address: object) -> object:
        host = address[0] if isinstance(address, tuple) else address
        if (
            isinstance(host, str)
            and host not in ("127.0.0.1", "::1", "localhost")
            and not (host.startswith("127.") or host.startswith("/"))
        ):
            raise RuntimeError(f"test tried to reach the network: {address!r}")
        return real_connect(self, address)  # type: ignore[arg-type]

    monkeypatch.setattr(socket.socket, "connect", guarded)


# -- cassettes (pytest-recording) ---------------------------------------------------------
# Replay is the default (--record-mode=none): no request leaves the machine. To record
# again, see tests/cassettes/README.md.
LIVE_BASE_URL = os.environ.get("ZSEXTRACT_LIVE_BASE_URL")
LIVE_MODEL = os.environ.get("ZSEXTRACT_LIVE_MODEL")
SOURCE_HEADER = "x-zsextract-cassette-source"
SECRET_HEADERS = [
    "authorization",
    "api-key",
    "x-api-key",
    "openai-organization",
    "openai-project",
    "cookie",
    "set-cookie",
]


def _source() -> str:
    if LIVE_BASE_URL:
        return f"recorded from {LIVE_BASE_URL} (model {LIVE_MODEL}) on {date.today().isoformat()}"
    return (
        "scripted: answers written by hand in the test, served by zsextract.testing."
        f"FakeOpenAIServer on 127.0.0.1, recorded on {date.today().isoformat()}"
    )


def _label(response: dict[str, Any]) -> dict[str, Any]:
    response["headers"][SOURCE_HEADER] = [_source()]
    for name in list(response["headers"]):
        if name.lower() in SECRET_HEADERS:
            del response["headers"][name]
    return response


def _json_body(r1: Any, r2: Any) -> None:
    """Bodies match when they hold the same JSON (key order and spacing aside)."""

    def parsed(body: Any) -> Any:
        if isinstance(body, bytes):
            body = body.decode("utf-8")
        try:
            return json.loads(body) if body else None
        except ValueError:
            return body

    assert parsed(r1.body) == parsed(r2.body), "request bodies differ"


@pytest.fixture(scope="module")
def vcr_config() -> dict[str, Any]:
    return {
        "filter_headers": [(name, None) for name in SECRET_HEADERS],
        "filter_query_parameters": ["api_key", "key"],
        "match_on": ["method", "path", "json_body"],
        "decode_compressed_response": True,
        "before_record_response": _label,
    }


def pytest_recording_configure(config: Any, vcr: Any) -> None:
    vcr.register_matcher("json_body", _json_body)
