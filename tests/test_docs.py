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
    """CI installs what the README installs (a built package with the same extras, never
    an editable tree) and runs the README's test command."""
    readme = (ROOT / "README.md").read_text("utf-8")
    ci = (ROOT / ".ci" / "run").read_text("utf-8")
    install, test = next(
        x for x in readme.splitlines() if "pytest" in x and x.startswith("python3")
    ).split(" && ")[1:]
    assert test in ci.splitlines()
    extras = install.split("[", 1)[1].split("]", 1)[0]
    assert f'.venv/bin/pip install -q "${{wheel}}[{extras}]"' in ci
    assert "-e " not in install and "pip install -e" not in ci
    for name in ("extract", "eval", "schema"):
        assert f"zsextract {name}" in readme
