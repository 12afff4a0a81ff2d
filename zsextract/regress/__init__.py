"""Regression runs against recorded LLM traffic: replay (``runner``), the HTML diff
(``view``), the shared VCR configuration (``cassettes``) and the pytest plugin."""

from __future__ import annotations

from .runner import (
    ArticleResult,
    Change,
    RegressionResult,
    diff_snapshots,
    record_cassette,
    run_regression,
    snapshot,
)

__all__ = [
    "ArticleResult",
    "Change",
    "RegressionResult",
    "diff_snapshots",
    "record_cassette",
    "run_regression",
    "snapshot",
]
