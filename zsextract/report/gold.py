"""The gold format of ``eval/GOLD.md``: read it, check it, and write reports in it."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from .numbers import json_number
from .parts import PARTS
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
    #: the period as dates (this project's extension of GOLD.md: tests/data/README.md)
    period_start: str | None = None
    period_end: str | None = None
    as_of: str | None = None

    @property
    def interval(self) -> tuple[str | None, str | None, str | None] | None:
        """(start, end, as_of), or None when the annotation gives no dates."""
        dates = (self.period_start, self.period_end, self.as_of)
        return dates if any(dates) else None


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
    #: the article's publish date, YYYY-MM-DD (this project's extension of GOLD.md)
    publish_date: str | None = None
    metrics: list[GoldMetric] = Field(default_factory=list)
    mechanisms: list[str] = Field(default_factory=list)
    timelines: list[GoldTimeline] = Field(default_factory=list)
    projects: list[GoldProject] = Field(default_factory=list)


def report_to_gold(report: PromotionReport, doc: str | None = None) -> dict[str, Any]:
    """``report`` as a gold-format dict, made from the parts' rows (:mod:`.parts`).
    Metrics in other units (EUR, times …) are left out."""
    if doc is None:
        doc = Path(report.source.path).name if report.source.path else ""
    rows = {part.name: list(part.rows(report)) for part in PARTS}
    metrics = [
        {
            "name": row["name"],
            "value": json_number(row["value"]),
            "unit": row["unit"],
            "qualifier": row["qualifier"],
            "period": row["period"],
            "quote": row["quote"],
            "period_start": row["period_start"],
            "period_end": row["period_end"],
            "as_of": row["as_of"],
        }
        for _, _, row in rows["metric"]
        if row["unit"] in GOLD_UNITS
    ]
    timelines: dict[int, dict[str, Any]] = {}
    for n, timeline, row in rows["timeline_stage"]:
        entry = timelines.setdefault(
            n, {"code": row["code"], "kind": timeline.kind, "stages": [], "quote": row["quote"]}
        )
        stage = {"from": row["from_event"], "to": row["to_event"]}
        number = "months" if timeline.kind == "deadline" else "every_months"
        if row[number] is not None:
            stage[number] = json_number(row[number])
        entry["stages"].append(stage)
    projects = [
        {
            "name": row["name"],
            "investor": row["investor"],
            "investment_cny": json_number(row["value"]) if row["unit"] == "CNY" else None,
        }
        for _, _, row in rows["project"]
    ]
    return {
        "doc": doc,
        "region": report.region,
        "publish_date": report.source.publish_date,
        "metrics": metrics,
        "mechanisms": sorted({row["code"] for _, _, row in rows["mechanism"]}),
        "timelines": list(timelines.values()),
        "projects": projects,
    }
