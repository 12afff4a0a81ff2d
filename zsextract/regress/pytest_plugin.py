"""pytest plugin: run the regression check of ``zsextract regress`` in your own tests.

Installed with zsextract (entry point ``pytest11``). In a test::

    def test_extraction_has_not_changed(zsextract_regress):
        zsextract_regress("corpus/", "cassettes/", "snapshots/")

The fixture replays the cassettes (never the network), compares each report with its
snapshot and fails the test with the changed fields, the stale cassettes (with the
reason and the command that records them again) or the missing snapshots. Run pytest
with ``--zsextract-update`` to accept the new reports as snapshots.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:  # the plugin loads with every pytest run: import the work lazily
    from .runner import RegressionResult

__all__ = ["pytest_addoption", "zsextract_regress"]


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.getgroup("zsextract").addoption(
        "--zsextract-update",
        action="store_true",
        default=False,
        help="zsextract_regress: accept today's reports as the new snapshots",
    )


def _summary(result: RegressionResult) -> str:
    lines = []
    for a in result.articles:
        if a.status == "same":
            continue
        lines.append(f"{a.article}: {a.status}" + (f" ({a.reason})" if a.reason else ""))
        lines.extend(f"    {c}" for c in a.changes[:30])
        if a.command:
            lines.append(f"    record again: {a.command}")
    return "\n".join(lines)


@pytest.fixture
def zsextract_regress(
    request: pytest.FixtureRequest,
) -> Callable[[str | Path, str | Path, str | Path], RegressionResult]:
    update = bool(request.config.getoption("--zsextract-update"))

    def check(corpus: str | Path, cassettes: str | Path, snapshots: str | Path) -> RegressionResult:
        from .runner import run_regression

        result = run_regression(corpus, cassettes, snapshots, update=update)
        if not result.ok:
            pytest.fail("extraction changed:\n" + _summary(result), pytrace=False)
        return result

    return check
