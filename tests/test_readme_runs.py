"""Every code block of README.md runs as written (issue 18).

The blocks are collected from README.md by their fence:

- ``python`` blocks of ``>>>`` lines run as doctests, each on its own (no shared
  names: a block imports what it uses);
- other ``python`` blocks run as scripts, and a block that defines ``test_…``
  functions runs as a test file under pytest (with zsextract's plugin);
- ``bash`` blocks run with ``bash -euo pipefail``;
- ``bash synopsis`` blocks are the commands' synopses, checked against ``--help``
  (tests/test_cli_help.py); ``bash setup`` blocks install the package: CI runs them
  (``.ci/run``, checked by tests/test_docs.py); ``text`` blocks are not code.

Scripts and commands run in a folder that holds what the README names (article.txt,
articles/, series/, docs.jsonl, gold/, corpus/, cassettes/, snapshots/, tests/data/articles,
tests/regression/), with the installed ``zsextract`` command first on PATH. Every
model request goes to a local fake OpenAI-compatible server on port 8000 (the port
of the README's local-server example): ``OPENAI_BASE_URL`` points there (with
``ZSEXTRACT_MODEL`` set), and the provider presets too, through a presets file of
``$ZSEXTRACT_PROVIDERS``. The fake
answers every request with an empty extraction in the form the request asks for.
"""

from __future__ import annotations

import doctest
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from zsextract.llm.settings import presets
from zsextract.testing import FakeOpenAIServer, FakeResponse, RecordedRequest, chat_completion

from .conftest import ROOT

FENCE = re.compile(r"^```(\w*)([^\n]*)\n(.*?)^```", re.S | re.M)
PORT = 8000


def _blocks() -> list[tuple[str, str, str, int]]:
    """(language, tags, body, line) of every fenced block of README.md."""
    readme = (ROOT / "README.md").read_text("utf-8")
    return [
        (m.group(1), m.group(2).strip(), m.group(3), readme.count("\n", 0, m.start()) + 1)
        for m in FENCE.finditer(readme)
    ]


def _kind(language: str, tags: str, body: str) -> str:
    if language == "text" or tags in ("synopsis", "setup"):
        return "not run"
    if language == "python":
        if body.lstrip().startswith(">>>"):
            return "doctest"
        return "pytest" if re.search(r"^def test_", body, re.M) else "script"
    if language == "bash":
        return "bash"
    return "unknown"


RUN = [
    pytest.param(b, id=f"line{b[3]}-{_kind(*b[:3])}")
    for b in _blocks()
    if _kind(*b[:3]) != "not run"
]


def test_every_block_is_run_or_said_why_not() -> None:
    kinds = [(_kind(*b[:3]), b[0], b[1]) for b in _blocks()]
    assert "unknown" not in [k for k, _, _ in kinds], kinds
    not_run = [(language, tags) for k, language, tags in kinds if k == "not run"]
    # the synopses, the two install commands (CI runs them) and the folder layout
    assert sorted(not_run) == sorted(
        [("bash", "synopsis"), ("bash", "setup"), ("bash", "setup"), ("text", "")]
    ), not_run


def _empty_answer(request: RecordedRequest) -> FakeResponse:
    """An empty extraction, as a tool call, a JSON answer or JSON in Markdown."""
    answer = json.dumps(
        {"region": None, "metrics": [], "mechanisms": [], "timelines": [], "projects": []}
    )
    body: Any = request.body if isinstance(request.body, dict) else {}
    if body.get("tools"):
        return chat_completion(
            tool_arguments=answer, tool_name=body["tools"][0]["function"]["name"]
        )
    if body.get("response_format"):
        return chat_completion(answer)
    return chat_completion(f"```json\n{answer}\n```")


@pytest.fixture(scope="module")
def server() -> Iterator[FakeOpenAIServer]:
    try:
        fake = FakeOpenAIServer(_empty_answer, port=PORT)
    except OSError:
        pytest.fail(f"port {PORT} is taken: the README's local-server example uses it")
    with fake:
        yield fake


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory, server: FakeOpenAIServer) -> Path:
    here = tmp_path_factory.mktemp("readme")
    examples = sorted((ROOT / "examples" / "articles").glob("*.txt"))
    shutil.copy(examples[-1], here / "article.txt")
    (here / "articles").mkdir()
    for path in examples:
        shutil.copy(path, here / "articles" / path.name)
    with (here / "docs.jsonl").open("w", encoding="utf-8") as docs:
        for path in examples:
            row = {"id": path.stem, "text": path.read_text("utf-8")}
            docs.write(json.dumps(row, ensure_ascii=False) + "\n")
    shutil.copytree(ROOT / "examples" / "series", here / "series")
    data = ROOT / "tests" / "data"
    shutil.copytree(data / "gold", here / "gold")
    shutil.copytree(data / "articles", here / "corpus")
    shutil.copytree(data / "articles", here / "tests" / "data" / "articles")
    shutil.copytree(ROOT / "tests" / "regression", here / "tests" / "regression")
    shutil.copytree(ROOT / "tests" / "regression" / "cassettes", here / "cassettes")
    shutil.copytree(ROOT / "tests" / "regression" / "snapshots", here / "snapshots")
    # every preset at the fake server
    url = f"http://127.0.0.1:{PORT}/v1"
    (here / "providers.json").write_text(
        json.dumps({name: {"base_url": url} for name in presets({})}), "utf-8"
    )
    return here


def _env(workspace: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "ZSEXTRACT_"))}
    env.update(
        PATH=f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}",
        HOME=str(workspace),  # the LLM cache and anything else of the user's: here
        OPENAI_API_KEY="sk-test",
        OPENAI_BASE_URL=f"http://127.0.0.1:{PORT}/v1",
        ZSEXTRACT_MODEL="fake-model",  # as a user of their own endpoint sets it
        ZSEXTRACT_PROVIDERS=str(workspace / "providers.json"),
        PYTHONIOENCODING="utf-8",
    )
    return env


@pytest.mark.parametrize("block", RUN)
def test_readme_block_runs_as_written(
    block: tuple[str, str, str, int], workspace: Path, server: FakeOpenAIServer
) -> None:
    language, _, body, line = block
    kind = _kind(language, "", body)
    if kind == "doctest":
        test = doctest.DocTestParser().get_doctest(body, {}, f"README.md:{line}", None, line)
        runner = doctest.DocTestRunner(optionflags=doctest.NORMALIZE_WHITESPACE)
        runner.run(test)
        assert runner.failures == 0 and runner.tries > 0
        return
    if kind == "bash":
        command = ["bash", "-euo", "pipefail", "-c", body]
    elif kind == "pytest":
        (workspace / f"test_readme_{line}.py").write_text(body, "utf-8")
        command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"]
        command.append(f"test_readme_{line}.py")
    else:
        script = workspace / f"readme_{line}.py"
        script.write_text(body, "utf-8")
        command = [sys.executable, str(script)]
    before = len(server.requests)
    done = subprocess.run(
        command, cwd=workspace, env=_env(workspace), capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, f"README.md line {line}:\n{done.stdout}\n{done.stderr}"
    if ("llm" in body or "provider" in body) and "resume" not in body:
        assert len(server.requests) > before  # its model calls reached the fake server
