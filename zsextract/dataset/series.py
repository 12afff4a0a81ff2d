"""Series per place and measure: the cumulative figures of a year in order (1—4月,
上半年, 1—7月, 全年), and the increments between them, derived and marked so.

A figure counted from January to a month of the same year is *cumulative*; two of them
in a row give the increment of the months between (1—7月 less 上半年 is July), marked
``derived``. A figure of other months (二季度, 9月) is a *period* figure, as stated.
Increments are derived only for amounts that add up (``additive_units`` in
``data/consolidate.json``: money and counts, not percentages), only between exact
figures (not from 突破130亿元 or 约158亿元), and never from a fact in conflict, which has
no value. Targets are no points of a series.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from decimal import Decimal
from functools import cache
from typing import TYPE_CHECKING, Any, Literal

from ..datafiles import load_data

if TYPE_CHECKING:  # facts call series() for Consolidation.series
    from .facts import Fact

__all__ = ["SeriesPoint", "series"]


@cache
def _additive() -> frozenset[str]:
    return frozenset(load_data("consolidate")["additive_units"])


@dataclass(frozen=True)
class SeriesPoint:
    """One point of a series: a stated figure or an increment derived from two."""

    place: str | None
    region: str | None  #: the region's name (``place`` may be its division code)
    subject: str | None
    category: str
    measure: str
    scope: str | None
    unit: str
    period_start: str
    period_end: str
    value: Decimal
    qualifier: str  #: exact, approx, lower_bound, upper_bound (as the fact's value)
    kind: Literal["cumulative", "period", "increment"]
    derived: bool
    documents: tuple[str, ...]  #: the documents stating it (or the two figures it is from)
    addresses: tuple[str, ...]

    def as_row(self) -> dict[str, Any]:
        row = asdict(self)
        row["documents"], row["addresses"] = list(self.documents), list(self.addresses)
        return row


def _months_after(month: str) -> str:
    year, m = int(month[:4]), int(month[5:])
    return f"{year + m // 12}-{m % 12 + 1:02d}"


def _stated(fact: Fact, kind: Literal["cumulative", "period"]) -> SeriesPoint:
    assert fact.value is not None and fact.period_start and fact.period_end
    return SeriesPoint(
        place=fact.place,
        region=fact.region,
        subject=fact.subject,
        category=fact.category,
        measure=fact.measure,
        scope=fact.scope,
        unit=fact.unit,
        period_start=fact.period_start,
        period_end=fact.period_end,
        value=fact.value,
        qualifier=fact.qualifier or "exact",
        kind=kind,
        derived=False,
        documents=tuple(dict.fromkeys(s.doc_id for s in fact.sources)),
        addresses=tuple(dict.fromkeys(s.address for s in fact.sources if s.address)),
    )


def series(facts: Iterable[Fact]) -> list[SeriesPoint]:
    """The points of every series in ``facts``: per place, subject, measure, scope and
    unit, in order of their months, each cumulative run followed by its increments."""
    runs: dict[tuple[Any, ...], list[Fact]] = {}
    for fact in facts:
        if fact.value is None or fact.target or not (fact.period_start and fact.period_end):
            continue
        line = (fact.place, fact.subject, fact.category, fact.measure, fact.scope, fact.unit)
        runs.setdefault(line, []).append(fact)
    points: list[SeriesPoint] = []
    for run in runs.values():
        run.sort(key=lambda f: (f.period_start, f.period_end))
        cumulative: dict[str, list[Fact]] = {}
        for fact in run:
            start, end = fact.period_start or "", fact.period_end or ""
            if start[5:] == "01" and start[:4] == end[:4]:
                cumulative.setdefault(start[:4], []).append(fact)
            else:
                points.append(_stated(fact, "period"))
        for year_run in cumulative.values():
            year_run.sort(key=lambda f: f.period_end or "")
            points.extend(_stated(f, "cumulative") for f in year_run)
            if year_run[0].unit not in _additive():
                continue
            for before, after in itertools.pairwise(year_run):
                if before.period_end == after.period_end:
                    continue  # two figures of one period: no increment between them
                if before.qualifier != "exact" or after.qualifier != "exact":
                    continue  # 突破130亿元, 约158亿元: no exact difference
                assert before.value is not None and after.value is not None
                a, b = _stated(before, "cumulative"), _stated(after, "cumulative")
                points.append(
                    SeriesPoint(
                        **(
                            asdict(b)
                            | {
                                "period_start": _months_after(a.period_end),
                                "value": Decimal(after.value - before.value),
                                "kind": "increment",
                                "derived": True,
                                "documents": tuple(dict.fromkeys(a.documents + b.documents)),
                                "addresses": tuple(dict.fromkeys(a.addresses + b.addresses)),
                            }
                        )
                    )
                )
    return points
