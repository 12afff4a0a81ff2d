"""examples/web_service.py run by uvicorn with 4 workers, against the fake model server:
200 concurrent requests over real HTTP, each answered with its own article's number."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.test_service_safety import _article, _echo
from zsextract.testing import FakeOpenAIServer

pytest.importorskip("uvicorn", reason="the service example needs zsextract[service]")
pytest.importorskip("starlette", reason="the service example needs zsextract[service]")
httpx = pytest.importorskip("httpx2")

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def _ask_all(base: str, numbers: list[int]) -> list[tuple[int, int, str]]:
    async with httpx.AsyncClient(base_url=base, timeout=60) as client:

        async def one(n: int) -> tuple[int, int, str]:
            response = await client.post("/extract", json={"text": _article(n)})
            response.raise_for_status()
            (metric,) = response.json()["metrics"]
            return n, int(float(metric["quantity"]["value"])), response.headers["X-Worker"]

        return await asyncio.gather(*(one(n) for n in numbers))


def test_four_workers_answer_two_hundred_concurrent_requests(tmp_path) -> None:
    with FakeOpenAIServer(_echo, latency=0.05) as model:
        port = _free_port()
        env = {
            **os.environ,
            "OPENAI_BASE_URL": model.base_url,
            "OPENAI_API_KEY": "test",
            "ZSEXTRACT_MODEL": "fake-model",
            "ZSEXTRACT_CACHE_DIR": str(tmp_path / "cache"),
        }
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "uvicorn",
                "web_service:app",
                "--app-dir",
                str(EXAMPLES),
                "--workers",
                "4",
                "--port",
                str(port),
                "--log-level",
                "warning",
            ],
            env=env,
            cwd=tmp_path,  # the installed package, not the source tree
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    if httpx.get(f"{base}/health", timeout=2).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                if time.monotonic() > deadline or server.poll() is not None:
                    pytest.fail("uvicorn did not start")
                time.sleep(0.2)
            numbers = list(range(1, 201))
            answers = asyncio.run(_ask_all(base, numbers))
            bad = httpx.post(f"{base}/extract", json={"txt": 1})
        finally:
            server.terminate()
            output = server.communicate(timeout=30)[0].decode("utf-8", "replace")
    assert [(n, got) for n, got, _ in answers] == [(n, n) for n in numbers], output
    workers = {worker for _, _, worker in answers}
    assert len(workers) >= 2, f"all answered by {workers}"
    assert len(model.requests) == 200
    assert bad.status_code == 400 and "text" in bad.json()["error"]
    assert "Traceback" not in output, output
