"""The gold format of ``eval/GOLD.md``: read it, check it, and write reports in it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ..errors import GoldFormatError
from .schema import GOLD_UNITS, _number_out

if TYPE_CHECKING:
    from .schema import PromotionReport

__all__ = ["GoldDoc", "load_gold", "load_gold_dir", "report_to_gold"]


class _Gold(BaseModel):
    model_config = ConfigDict(extra="ignore", populate_by_name=True)


class GoldMetric(_Gold):
    name: str = ""
    value: float
    unit: Literal["CNY", "USD", "percent", "count"]
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
            "value": _number_out(m.quantity.value),
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
                    {"months": _number_out(s.months)}
                    if t.kind == "deadline" and s.months is not None
                    else {"every_months": _number_out(s.every_months)}
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
            "investment_cny": _number_out(p.investment.value)
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


def load_gold(path: Path | str) -> GoldDoc:
    """Read one gold-format file, or a saved ``PromotionReport`` JSON, as a :class:`GoldDoc`."""
    path = Path(path)
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise GoldFormatError(f"cannot read JSON ({exc})", path=path) from exc
    if isinstance(data, dict) and "source" in data and "doc" not in data:
        from .schema import PromotionReport

        try:
            data = PromotionReport.model_validate(data).to_gold(doc=path.stem + ".txt")
        except ValidationError as exc:
            raise GoldFormatError(f"not a valid PromotionReport: {exc}", path=path) from exc
    if isinstance(data, dict) and not data.get("doc"):
        data["doc"] = path.stem + ".txt"
    try:
        return GoldDoc.model_validate(data)
    except ValidationError as exc:
        raise GoldFormatError(
            f"does not follow the gold format of GOLD.md: {exc.errors()[0]['loc']}: "
            f"{exc.errors()[0]['msg']}",
            path=path,
        ) from exc


def load_gold_dir(directory: Path | str) -> dict[str, GoldDoc]:
    """All ``*.json`` files of a folder, keyed by their stem (the article's name without .txt)."""
    directory = Path(directory)
    if not directory.is_dir():
        raise GoldFormatError("is not a folder of gold JSON files", path=directory)
    docs = {p.stem: load_gold(p) for p in sorted(directory.glob("*.json"))}
    if not docs:
        raise GoldFormatError("holds no *.json files", path=directory)
    return docs
