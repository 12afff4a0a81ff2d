"""A model server that is not running fails at once, saying where and what to start
(issue 18); transient errors keep their retries (tests/test_llm_backend.py)."""

from __future__ import annotations

import socket
import subprocess
import sys

import pytest
from typer.testing import CliRunner

import zsextract
from zsextract.cli import app

VLLM = "http://localhost:8000/v1"


def _listening(host: str, port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex((host, port)) == 0


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])  # closed again on leaving: nothing listens


def test_a_refused_connection_is_not_retried_and_names_the_address() -> None:
    url = f"http://127.0.0.1:{_closed_port()}/v1"
    retries: list[zsextract.Event] = []
    with zsextract.listening(lambda e: retries.append(e) if e.kind == "retry" else None):
        with pytest.raises(zsextract.TransportError) as caught:
            zsextract.extract(
                "今年以来，全县新签项目5个。",
                backend="llm",
                base_url=url,
                api_key="k",
                model="m",
                use_cache=False,
                transport_retries=5,
            )
    assert retries == [] and caught.value.attempts == 1
    message = str(caught.value)
    assert url in message and "nothing is listening" in message and "running" in message


@pytest.mark.skipif(_listening("localhost", 8000), reason="something listens on port 8000")
def test_the_vllm_preset_says_which_command_starts_its_server(tmp_path) -> None:
    article = tmp_path / "a.txt"
    article.write_text("今年以来，全县新签项目5个。", "utf-8")
    result = CliRunner().invoke(app, ["extract", str(article), "--provider", "vllm", "--no-cache"])
    assert result.exit_code != 0
    said = " ".join(result.output.split())
    assert VLLM in said and "vllm serve" in said, result.output


@pytest.mark.skipif(_listening("localhost", 8000), reason="something listens on port 8000")
def test_the_command_line_stops_before_loading_the_model_client(tmp_path) -> None:
    """A local server that refuses is found by a connection check before openai and
    instructor are imported (seconds of start-up on a slow machine)."""
    article = tmp_path / "a.txt"
    article.write_text("今年以来，全县新签项目5个。", "utf-8")
    code = (
        "import sys\n"
        "from zsextract.cli import main\n"
        f"sys.argv = ['zsextract', 'extract', {str(article)!r}, '--provider', 'vllm']\n"
        "try:\n"
        "    main()\n"
        "except SystemExit as exit:\n"
        "    print('exit', exit.code, 'openai' in sys.modules, 'instructor' in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=tmp_path
    )
    assert "exit 2 False False" in done.stdout, done.stdout + done.stderr
    assert VLLM in " ".join(done.stderr.split()) and "vllm serve" in done.stderr
