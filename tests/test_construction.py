"""One construction seam: typed settings reach every entry point, backends are built in
one place, and option names are checked."""

from __future__ import annotations

import json
from dataclasses import fields
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

import zsextract
from zsextract import (
    Backend,
    BackendBase,
    BatchOptions,
    ConfigurationError,
    Extraction,
    LLMSettings,
    UnknownBackendError,
    UnknownOptionError,
    available_backends,
    build_backend,
)
from zsextract.backends.rules import RulesBackend
from zsextract.cli import app
from zsextract.options import cli_fields
from zsextract.testing import FakeOpenAIServer, chat_completion

runner = CliRunner()
TEXT = "上半年，全县新签项目26个。"
ANSWER = {"metrics": [{"name": "新签项目", "quote": "新签项目26个", "value": 26, "unit": "count"}]}


def _answering() -> FakeOpenAIServer:
    return FakeOpenAIServer(
        lambda request: chat_completion(
            tool_arguments=json.dumps(ANSWER, ensure_ascii=False), tool_name="LLMExtraction"
        )
    )


def test_misspelt_options_are_type_errors_that_name_the_right_one() -> None:
    with pytest.raises(TypeError, match=r"unknown batch or LLM option 'concurency'.*'concurrency'"):
        zsextract.extract_many([TEXT], concurency=4)
    with pytest.raises(UnknownOptionError, match=r"unknown LLM option 'modell'.*'model'"):
        zsextract.extract(TEXT, backend="llm", modell="m")
    with pytest.raises(TypeError, match="unknown LLM option 'resume'"):
        zsextract.extract(TEXT, resume=True)  # a batch option is no option of extract()


def test_settings_are_checked_when_made() -> None:
    with pytest.raises(ConfigurationError, match="on_ungrounded must be one of raise, drop"):
        LLMSettings(on_ungrounded="ignore")  # type: ignore[arg-type]
    with pytest.raises(ConfigurationError, match="timeout must be more than 0"):
        LLMSettings(timeout=0)
    with pytest.raises(ConfigurationError, match="chunk_overlap"):
        LLMSettings(chunk_chars=100, chunk_overlap=100)
    with pytest.raises(ConfigurationError, match="concurrency must be at least 1"):
        BatchOptions(concurrency=0)
    with pytest.raises(ConfigurationError, match="concurrency must be an integer"):
        BatchOptions(concurrency=2.5)  # type: ignore[arg-type]
    assert LLMSettings(model="m").changed() == ["model"]


def test_registered_factories_get_the_settings(registered) -> None:
    seen: list[LLMSettings] = []

    class Echo(BackendBase):
        name = "echo"

        def extract(self, doc: Any, meta: Any = None) -> Extraction:
            return Extraction(region=seen[-1].model)

    def factory(settings: LLMSettings, *, client: Any = None) -> Backend:
        seen.append(settings)
        return Echo()

    registered("echo-for-tests", factory)
    report = zsextract.extract(TEXT, backend="echo-for-tests", model="m-1")
    assert report.region == "m-1" and seen[-1].model == "m-1"
    assert "echo-for-tests" in available_backends()


def test_a_name_registered_again_builds_the_new_factory(registered) -> None:
    class First(BackendBase):
        name = "first"

        def extract(self, doc: Any, meta: Any = None) -> Extraction:
            return Extraction(region="first")

    registered("swap-for-tests", First)  # a class: built without arguments
    assert zsextract.extract(TEXT, backend="swap-for-tests").region == "first"
    assert zsextract.extract(TEXT, backend="swap-for-tests").region == "first"
    zsextract.unregister_backend("swap-for-tests")
    with pytest.raises(UnknownBackendError):
        zsextract.extract(TEXT, backend="swap-for-tests")
    registered("swap-for-tests", First)

    def second(settings: LLMSettings, *, client: Any = None) -> Backend:
        class Second(First):
            def extract(self, doc: Any, meta: Any = None) -> Extraction:
                return Extraction(region=f"second {settings.model}")

        return Second()

    registered("swap-for-tests", second)
    assert zsextract.extract(TEXT, backend="swap-for-tests").region == "second None"


def test_the_registry_is_restored_after_a_test() -> None:
    assert "echo-for-tests" not in available_backends()
    assert "broken-for-tests" not in available_backends()


def test_a_backend_without_settings_refuses_them() -> None:
    with pytest.raises(ConfigurationError, match="only apply to backend='llm', not 'rules'"):
        zsextract.extract(TEXT, model="m")
    with pytest.raises(ConfigurationError, match="client only apply"):
        build_backend("rules", client=object())
    with pytest.raises(UnknownBackendError, match="choose one of"):
        build_backend("nope")


def test_a_built_backend_keeps_its_own_settings_and_pacer() -> None:
    with _answering() as server:
        backend = zsextract.LLMBackend(
            base_url=server.base_url, model="m", use_cache=False, requests_per_minute=6000
        )
        pacer = backend.pacer
        with pytest.raises(ConfigurationError, match="requests_per_minute to the backend you"):
            zsextract.extract_many([TEXT], backend, requests_per_minute=60)
        summary = zsextract.extract_many([TEXT, TEXT + "。"], backend, concurrency=2)
    assert summary.done == 2 and backend.pacer is pacer
    assert backend.model == "m" and summary.cost is None  # no price for model "m"


def test_backends_follow_the_protocol() -> None:
    assert isinstance(RulesBackend(), Backend)
    with _answering() as server:
        llm = build_backend("llm", LLMSettings(base_url=server.base_url, model="m"))
    assert isinstance(llm, Backend) and llm.model == "m"

    class Old:  # the older contract: name and extract only
        name = "old"

        def extract(self, doc: Any, meta: Any = None) -> Extraction:
            return Extraction(region="旧县")

    assert zsextract.extract(TEXT, backend=Old()).region == "旧县"  # type: ignore[arg-type]


def test_every_llm_setting_is_a_flag_of_every_command_that_builds_a_backend() -> None:
    flags = {f.metadata["flag"] or "--" + f.name.replace("_", "-") for f in cli_fields(LLMSettings)}
    assert len(flags) == len(fields(LLMSettings)) - 1  # api_key comes from the environment
    for command in ("extract", "eval", "batch"):
        shown = runner.invoke(app, [command, "--help"], env={"COLUMNS": "300"}).stdout
        missing = [f for f in flags if f.split("/")[0] not in shown]
        assert not missing, (command, missing)
    batch_help = runner.invoke(app, ["batch", "--help"], env={"COLUMNS": "300"}).stdout
    assert "--concurrency" in batch_help and "--resume" in batch_help


def test_a_cli_flag_reaches_the_request(tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_text(TEXT, "utf-8")
    with _answering() as server:
        result = runner.invoke(
            app,
            [
                "extract",
                str(article),
                "-b",
                "llm",
                "--base-url",
                server.base_url,
                "--model",
                "m",
                "--temperature",
                "0.7",
                "--max-tokens",
                "123",
                "--no-cache",
            ],
        )
        body = server.requests[0].body
    assert result.exit_code == 0, result.stderr
    assert (body["temperature"], body["max_tokens"], body["model"]) == (0.7, 123, "m")
    bad = runner.invoke(app, ["extract", str(article), "--timeout", "0"])
    assert bad.exit_code == 2 and "timeout must be more than 0" in bad.stderr
