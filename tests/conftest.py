"""Shared fixtures. The corpus and gold set live beside the repository in ../shared."""

from __future__ import annotations

import json
import os
import socket
from importlib import metadata
from pathlib import Path
from typing import Any

import pytest

import zsextract
from zsextract.regress import cassettes

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus"
GOLD = SHARED / "eval" / "gold"
EXAMPLES = ROOT / "examples" / "articles"


def installed_editable() -> bool | None:
    """True for an editable install, False for a built one, None when not installed."""
    # a build leaves zsextract.egg-info in the source tree: with the tree on sys.path
    # (python -m pytest) that metadata comes first; it is not an installation
    dists = [
        d
        for d in metadata.distributions(name="zsextract")
        if Path(str(d.locate_file(""))).resolve() != ROOT
    ]
    if not dists:
        return None
    direct = dists[0].read_text("direct_url.json")
    return bool(direct and json.loads(direct).get("dir_info", {}).get("editable", False))


def pytest_configure(config: pytest.Config) -> None:
    """The tests run against the installed package. With a built (non-editable) install,
    importing the source tree instead would hide a file missing from the wheel."""
    editable = installed_editable()
    imported = Path(zsextract.__file__).resolve()
    if editable is None:
        pytest.exit(
            f"zsextract is imported from {imported} but not installed: "
            "run `pip install '.[test]'` (see README) and then `pytest`.",
            returncode=4,
        )
    if not editable and (ROOT / "zsextract") in imported.parents:
        pytest.exit(
            f"zsextract is imported from the source tree ({imported}) although a built "
            "wheel is installed: run the tests with `.venv/bin/pytest` (not `python -m "
            "pytest`, which puts the current folder on sys.path).",
            returncode=4,
        )


def pytest_report_header(config: pytest.Config) -> str:
    kind = "editable install" if installed_editable() else "installed package"
    return f"zsextract {zsextract.__version__} from {Path(zsextract.__file__).parent} ({kind})"


@pytest.fixture
def registered() -> Any:
    """``registered(name, factory)``: a backend registered for one test, removed after."""
    from zsextract import register_backend, unregister_backend

    names: list[str] = []

    def register(name: str, factory: Any) -> None:
        names.append(name)
        register_backend(name, factory)

    yield register
    for name in names:
        unregister_backend(name)


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


@pytest.fixture
def gate_log(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The times at which requests passed a pacer's gate to leave, read under its lock:
    what pacing promises (a server's receipt times add the machine's scheduling noise)."""
    from zsextract.pacing import Pacer

    left: list[float] = []
    gate = Pacer._gate

    def recorded(self: Pacer) -> tuple[float, float]:
        delay, now = gate(self)
        if delay == 0:
            left.append(now)
        return delay, now

    monkeypatch.setattr(Pacer, "_gate", recorded)
    return left


@pytest.fixture(scope="module")
def vcr_config() -> dict[str, Any]:
    return cassettes.vcr_config(cassettes.cassette_source(LIVE_BASE_URL, LIVE_MODEL))


def pytest_recording_configure(config: Any, vcr: Any) -> None:
    vcr.register_matcher("json_body", cassettes.json_body_matcher)


def extract_answered(
    article: str,
    answer: dict[str, Any] | str,
    cache_dir: Path,
    tool: str = "LLMExtraction",
    **options: Any,
) -> zsextract.PromotionReport:
    """The LLM backend's report when the model answers ``answer`` (an object, or the
    JSON text as sent) through ``tool``: no repair, ungrounded items dropped (and named
    in provenance.dropped)."""
    from zsextract.testing import FakeOpenAIServer, chat_completion

    reply = answer if isinstance(answer, str) else json.dumps(answer, ensure_ascii=False)
    with FakeOpenAIServer(
        lambda r: chat_completion(tool_arguments=reply, tool_name=tool)
    ) as server:
        return zsextract.extract(
            article,
            backend="llm",
            base_url=server.base_url,
            model="m",
            cache_dir=str(cache_dir),
            on_ungrounded="drop",
            repair_attempts=0,
            **options,
        )
