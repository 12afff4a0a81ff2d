"""Data over code: every data file's key is documented, and word lists are arrays."""

from __future__ import annotations

import json
import re
from importlib import resources
from typing import Any

import pytest

DATA = resources.files("zsextract").joinpath("data")
FILES = sorted(p.name for p in DATA.iterdir() if p.name.endswith(".json"))
NESTED = {"rules.json": ("projects", "metrics", "timelines", "report")}
REGEX = set(r".^$*+?{}[]()\\")


def _keys(name: str) -> list[str]:
    data = json.loads(DATA.joinpath(name).read_text("utf-8"))
    keys = []
    for key, value in data.items():
        if key in NESTED.get(name, ()):
            keys += [f"{key}.{inner}" for inner in value]
        else:
            keys.append(key)
    return keys


def _section(name: str) -> str:
    readme = DATA.joinpath("README.md").read_text("utf-8")
    match = re.search(rf"^## {re.escape(name)}.*?(?=^## |\Z)", readme, re.S | re.M)
    assert match, f"data/README.md has no section for {name}"
    return match.group(0)


@pytest.mark.parametrize("name", FILES)
def test_every_key_is_documented(name: str) -> None:
    section = _section(name)
    missing = [k for k in _keys(name) if f"`{k}`" not in section]
    assert not missing, f"describe in zsextract/data/README.md ({name}): {missing}"


def _strings(value: Any, path: str) -> list[tuple[str, str]]:
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in _strings(v, f"{path}.{k}")]
    if isinstance(value, list):  # an array's strings are its words (or patterns)
        return [
            s
            for n, v in enumerate(value)
            if not isinstance(v, str)
            for s in _strings(v, f"{path}[{n}]")
        ]
    return [(path, value)] if isinstance(value, str) else []


@pytest.mark.parametrize("name", FILES)
def test_word_lists_are_arrays_not_alternations(name: str) -> None:
    data = json.loads(DATA.joinpath(name).read_text("utf-8"))
    joined = [p for p, s in _strings(data, name) if "|" in s and not set(s) & REGEX]
    assert not joined, f"write these word lists as JSON arrays: {joined}"


@pytest.mark.parametrize("name", sorted(p.name for p in DATA.iterdir() if p.name.endswith(".csv")))
def test_every_column_is_documented(name: str) -> None:
    section = _section(name)
    columns = DATA.joinpath(name).read_text("utf-8").split("\n", 1)[0].split(",")
    missing = [c for c in columns if f"`{c}`" not in section]
    assert not missing, f"describe in zsextract/data/README.md ({name}): {missing}"
