"""The hostile review of issue 11 (tests/hostile_review/): no scripted wrong answer puts
a wrong item into the report, and no odd answer crashes the backend."""

from __future__ import annotations

from pathlib import Path

import pytest

import zsextract

from .conftest import extract_answered
from .hostile_review import CASES, Case


def _report(case: Case, cache_dir: Path) -> zsextract.PromotionReport:
    return extract_answered(case.article, case.answer, cache_dir, case.tool, **case.options)


@pytest.mark.parametrize("case", [c for c in CASES if c.wrong], ids=lambda c: c.title[:40])
def test_no_wrong_item_reaches_the_report(case: Case, tmp_path: Path) -> None:
    report = _report(case, tmp_path)
    assert case.wrong is not None and not case.wrong(report), report.model_dump(
        mode="json", exclude={"source"}
    )


@pytest.mark.parametrize("case", [c for c in CASES if not c.wrong], ids=lambda c: c.title[:40])
def test_odd_answers_never_crash(case: Case, tmp_path: Path) -> None:
    try:
        _report(case, tmp_path)
    except zsextract.ZsExtractError:
        pass  # a clear error is an answer; any other exception fails the test


def test_the_review_is_all_here() -> None:
    assert len([c for c in CASES if c.wrong]) == 54
