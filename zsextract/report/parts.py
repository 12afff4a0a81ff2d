"""The four parts of a report (metrics, mechanisms, timeline rules, projects), described
once: their field on the report, the rows an item makes (a timeline makes one per
stage), the columns those rows have, and the columns shown to a person.

The long tables (:mod:`.tables`), the HTML view (:mod:`.render`), the CLI table, the
gold bridge and the LLM store all walk the parts through :data:`PARTS`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # rows are made from attributes; the schema imports the HTML view
    from .schema import Mechanism, Metric, Project, PromotionReport, Quantity, Timeline

__all__ = ["PARTS", "ROW_COLUMNS", "Part"]

Row = dict[str, Any]


def _quantity(q: Quantity | None) -> Row:
    if q is None:
        return dict.fromkeys(("value", "unit", "display", "qualifier", "low", "high"))
    return {
        "value": q.value,
        "unit": q.unit,
        "display": q.display,
        "qualifier": q.qualifier.value,
        "low": q.low,
        "high": q.high,
    }


def _evidence(item: Metric | Mechanism | Timeline | Project) -> Row:
    ev = item.evidence
    return {"quote": ev.quote, "start": ev.start, "end": ev.end}


def _metric_rows(m: Metric) -> list[Row]:
    dates = m.interval
    return [
        {"name": m.name, "category": m.category}
        | _quantity(m.quantity)
        | {
            "period": m.period,
            "period_start": dates.start if dates else None,
            "period_end": dates.end if dates else None,
            "as_of": dates.as_of if dates else None,
            "scope": m.scope,
            "subject": m.subject,
        }
        | _evidence(m)
    ]


def _mechanism_rows(m: Mechanism) -> list[Row]:
    return [{"name": m.label, "code": m.code} | _evidence(m)]


def _timeline_rows(t: Timeline) -> list[Row]:
    return [
        {
            "name": t.kind,
            "code": t.code,
            "from_event": s.from_event,
            "to_event": s.to_event,
            "months": s.months,
            "every_months": s.every_months,
        }
        | _evidence(t)
        for s in t.stages
    ]


def _project_rows(p: Project) -> list[Row]:
    return [
        {"name": p.name, "investor": p.investor}
        | _quantity(p.investment)
        | {"industry": p.industry, "location": p.location, "status": p.status}
        | _evidence(p)
    ]


@dataclass(frozen=True)
class Part:
    """One part of a report."""

    name: str  #: the ``part`` of a long-table row: metric, mechanism, timeline_stage, project
    field: str  #: the report's field: metrics, mechanisms, timelines, projects
    kind: str  #: the kind of its highlights: metric, mechanism, timeline, project
    title: str  #: its heading for a person
    prefix: str  #: the prefix of its items' ids in the HTML view (m0, c0, t0, p0)
    shown: tuple[str, ...]  #: the columns shown to a person (CLI table, HTML view)
    make_rows: Callable[[Any], list[Row]]  #: an item's rows
    describe: Callable[[Any], str]  #: an item in a few words (hover text)

    def items(self, report: PromotionReport) -> list[Any]:
        items: list[Any] = getattr(report, self.field)
        return items

    def rows(self, report: PromotionReport) -> Iterator[tuple[int, Any, Row]]:
        """(item number, item, row) for every row of this part of ``report``."""
        for n, item in enumerate(self.items(report)):
            for row in self.make_rows(item):
                yield n, item, row


PARTS: tuple[Part, ...] = (
    Part(
        "metric",
        "metrics",
        "metric",
        "Metrics",
        "m",
        ("name", "display", "qualifier", "period", "scope", "subject", "quote"),
        _metric_rows,
        lambda m: f"{m.name}: {m.quantity.display}",
    ),
    Part(
        "mechanism",
        "mechanisms",
        "mechanism",
        "Mechanisms",
        "c",
        ("code", "name", "quote"),
        _mechanism_rows,
        lambda m: f"{m.code} {m.label}",
    ),
    Part(
        "timeline_stage",
        "timelines",
        "timeline",
        "Timeline stages",
        "t",
        ("name", "code", "from_event", "to_event", "months", "every_months", "quote"),
        _timeline_rows,
        lambda t: f"{t.kind} {t.code or ''}".strip(),
    ),
    Part(
        "project",
        "projects",
        "project",
        "Projects",
        "p",
        ("name", "investor", "display", "status", "quote"),
        _project_rows,
        lambda p: p.name,
    ),
)

#: every column a row of any part may have, in table order
ROW_COLUMNS: tuple[str, ...] = (
    "name",
    "code",
    "category",
    "value",
    "unit",
    "display",
    "qualifier",
    "low",
    "high",
    "period",
    "period_start",
    "period_end",
    "as_of",
    "scope",
    "subject",
    "from_event",
    "to_event",
    "months",
    "every_months",
    "investor",
    "industry",
    "location",
    "status",
    "quote",
    "start",
    "end",
)
