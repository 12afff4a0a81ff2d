"""Shared fixtures. The corpus and gold set live beside the repository in ../shared."""

from __future__ import annotations

import os
import socket
from pathlib import Path
from typing import Any

import pytest

from zsextract import cassettes

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


@pytest.fixture(scope="module")
def vcr_config() -> dict[str, Any]:
    return cassettes.vcr_config(cassettes.cassette_source(LIVE_BASE_URL, LIVE_MODEL))


def pytest_recording_configure(config: Any, vcr: Any) -> None:
    vcr.register_matcher("json_body", cassettes.json_body_matcher)
