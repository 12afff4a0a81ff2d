"""The command line's help speaks to people, and the README's synopses agree with it
(issue 18)."""

from __future__ import annotations

import re
import sys

import pytest
from typer.testing import CliRunner

from zsextract.cli import app

from .conftest import ROOT

COMMANDS = ["extract", "eval", "schema", "render", "batch", "regress", "consolidate"]

#: how a Python type shows in help: <str>, <bool>, <list[Path]>, {paths}, NoneType …
PYTHON_TYPES = re.compile(
    r"<(?:str|int|float|bool|path|Path|list\[[^\]]*\]|dict|tuple)>|\{[a-z_]+\}|NoneType|Optional"
)


def _help(command: str) -> str:
    result = CliRunner().invoke(app, [command, "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    return result.output


@pytest.mark.parametrize("command", COMMANDS)
def test_help_names_no_python_type(command: str) -> None:
    text = _help(command)
    assert not PYTHON_TYPES.findall(text), PYTHON_TYPES.findall(text)


def test_help_lists_choices_and_the_shared_llm_flags() -> None:
    text = _help("batch")
    assert "jsonl|csv|parquet" in text and "raise|drop" in text
    assert "tools|json_schema|md_json|json" in text
    # regress replays recorded requests (their settings are part of what is compared)
    # and records with --provider/--model only
    for command in ("extract", "eval", "batch"):
        text = _help(command)
        for flag in ("--temperature", "--max-tokens", "--timeout", "--repair-attempts"):
            assert flag in text, (command, flag)


def _synopses() -> list[str]:
    readme = (ROOT / "README.md").read_text("utf-8")
    block = readme.split("```bash synopsis\n", 1)[1].split("```", 1)[0]
    return [line.split("#")[0].strip() for line in block.splitlines() if line.strip()]


@pytest.mark.parametrize("line", _synopses())
def test_readme_synopsis_agrees_with_help(line: str) -> None:
    words = line.split()
    assert words[0] == "zsextract" and words[1] in COMMANDS
    text = _help(words[1])
    usage = next(x for x in text.splitlines() if "Usage:" in x)
    for flag in re.findall(r"(?<![\w-])--?[a-z][\w-]*", line):
        assert re.search(rf"(?<![\w-]){re.escape(flag)}(?![\w-])", text), (line, flag)
    for name in re.findall(r"(?<![\w.-])([A-Z]+)(?:\.\.\.)?(?=\s|$)", " ".join(words[2:])):
        if not re.search(rf"--?[\w-]+\s+{name}\b", line):  # not a flag's value
            assert name in usage, (line, name, usage)


def test_messages_print_extras_literally(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The hint names the extra as it is typed: rich markup must not eat [tables]."""
    monkeypatch.setitem(sys.modules, "pyarrow", None)  # as if pyarrow were not installed
    (tmp_path / "a.txt").write_text("今年以来，全县新签项目5个。", "utf-8")
    result = CliRunner().invoke(
        app,
        ["batch", str(tmp_path), "-o", str(tmp_path / "out.jsonl"), "--format", "parquet"],
        env={"COLUMNS": "200"},
    )
    assert 'pip install "zsextract[tables]"' in result.output, result.output
