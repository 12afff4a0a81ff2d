"""The gold format of ``eval/GOLD.md``: read it, check it, and write reports in it."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from .numbers import json_number
from .units import GOLD_UNITS, GoldUnit

if TYPE_CHECKING:
    from .schema import PromotionReport

__all__ = ["GoldDoc", "report_to_gold"]


class _Gold(BaseModel):
    model_config = ConfigDict(extra="ignore", populate_by_name=True)


class GoldMetric(_Gold):
    name: str = ""
    value: float
    unit: GoldUnit
    qualifier: str = "exact"
    period: str | None = None
    quote: str | None = None


class GoldStage(_Gold):
    from_event: str | None = Field(default=None, alias="from")
    to_event: str = Field(alias="to")
    months: float | None = None
    every_months: float | None = None


class GoldTimeline(_Gold):
    code: str | None = None
    kind: Literal["deadline", "cadence"]
    stages: list[GoldStage] = Field(default_factory=list)
    quote: str | None = None


class GoldProject(_Gold):
    name: str
    investor: str | None = None
    investment_cny: float | None = None


class GoldDoc(_Gold):
    """One article's annotations (or predictions) in the gold format."""

    doc: str
    region: str | None = None
    metrics: list[GoldMetric] = Field(default_factory=list)
    mechanisms: list[str] = Field(default_factory=list)
    timelines: list[GoldTimeline] = Field(default_factory=list)
    projects: list[GoldProject] = Field(default_factory=list)


def report_to_gold(report: PromotionReport, doc: str | None = None) -> dict[str, Any]:
    """``report`` as a gold-format dict. Metrics in other units (EUR, times …) are left out."""
    if doc is None:
        doc = Path(report.source.path).name if report.source.path else ""
    metrics = [
        {
            "name": m.name,
            "value": json_number(m.quantity.value),
            "unit": m.quantity.unit,
            "qualifier": m.quantity.qualifier.value,
            "period": m.period,
            "quote": m.evidence.quote,
        }
        for m in report.metrics
        if m.quantity.unit in GOLD_UNITS
    ]
    timelines = [
        {
            "code": t.code,
            "kind": t.kind,
            "stages": [
                {"from": s.from_event, "to": s.to_event}
                | (
                    {"months": json_number(s.months)}
                    if t.kind == "deadline" and s.months is not None
                    else {"every_months": json_number(s.every_months)}
                    if s.every_months is not None
                    else {}
                )
                for s in t.stages
            ],
            "quote": t.evidence.quote,
        }
        for t in report.timelines
    ]
    projects = [
        {
            "name": p.name,
            "investor": p.investor,
            "investment_cny": json_number(p.investment.value)
            if p.investment is not None and p.investment.unit == "CNY"
            else None,
        }
        for p in report.projects
    ]
    return {
        "doc": doc,
        "region": report.region,
        "metrics": metrics,
        "mechanisms": sorted({m.code for m in report.mechanisms}),
        "timelines": timelines,
        "projects": projects,
    }
