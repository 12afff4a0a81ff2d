"""The README's and the package docstring's examples run as written."""

from __future__ import annotations

import doctest

import zsextract

from .conftest import ROOT


def test_readme_examples() -> None:
    result = doctest.testfile(
        str(ROOT / "README.md"),
        module_relative=False,
        globs={"zsextract": zsextract},
        optionflags=doctest.NORMALIZE_WHITESPACE,
    )
    assert result.attempted >= 5
    assert result.failed == 0


def test_package_docstring_example() -> None:
    result = doctest.testmod(zsextract, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted >= 2
    assert result.failed == 0


def test_readme_commands_match_ci() -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    ci = (ROOT / ".ci" / "run").read_text("utf-8")
    test_command = next(x for x in readme.splitlines() if "pytest" in x and x.startswith("python3"))
    assert test_command in ci
    for name in ("extract", "eval", "schema"):
        assert f"zsextract {name}" in readme
