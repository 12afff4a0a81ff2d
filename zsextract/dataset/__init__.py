"""From reports to a dataset: copies of one article grouped, one fact from many
reports with its sources and their agreement, series per place with derived
increments, and a plot (``pip install "zsextract[dataset]"``).

>>> result = zsextract.consolidate("reports.jsonl")                     # doctest: +SKIP
>>> result.to_frame()          # one row per place, period, category, measure, scope
>>> result.conflicts           # facts whose sources disagree beyond rounding
>>> zsextract.write_plot(zsextract.plot_series(result.series(), "青山区"), "q.html")
"""

from .agreement import Agreement, agreement, stated_by_rounding
from .facts import (
    Consolidation,
    Fact,
    FactSource,
    Statement,
    consolidate,
    fold,
    measure_of,
    statements,
)
from .output import (
    FACT_COLUMNS,
    SERIES_COLUMNS,
    facts_frame,
    series_frame,
    write_facts,
    write_series,
)
from .plot import plot_series, write_plot
from .series import SeriesPoint, series


def __getattr__(name: str) -> object:
    """The copy finder loads numpy and datasketch only when first used."""
    if name in ("CopyFinder", "find_copies", "shingle_hashes"):
        from . import copies

        return getattr(copies, name)
    raise AttributeError(f"module 'zsextract.dataset' has no attribute {name!r}")


__all__ = [
    "FACT_COLUMNS",
    "SERIES_COLUMNS",
    "Agreement",
    "Consolidation",
    "CopyFinder",
    "Fact",
    "FactSource",
    "SeriesPoint",
    "Statement",
    "agreement",
    "consolidate",
    "facts_frame",
    "find_copies",
    "fold",
    "measure_of",
    "plot_series",
    "series",
    "series_frame",
    "shingle_hashes",
    "stated_by_rounding",
    "statements",
    "write_facts",
    "write_plot",
    "write_series",
]
