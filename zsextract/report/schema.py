"""The report schema: what zsextract returns, as Pydantic v2 models.

Numbers are held as :class:`decimal.Decimal` so that 484.5亿元 is exactly
48450000000; in JSON they are written exactly (integers when whole; see
:data:`Number`), and ``Quantity.display`` shows them as people write them (484.5亿元).
Every extracted item carries :class:`Evidence`: a verbatim quote and its
``[start, end)`` character offsets into the report's ``source.text``.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from enum import Enum
from functools import cache
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PlainSerializer,
    field_validator,
    model_validator,
)

from ..datafiles import load_data, mechanism_codes
from .numbers import json_number
from .units import MONEY_UNITS, TIME_UNITS

Number = Annotated[
    Decimal, PlainSerializer(json_number, return_type=int | float | str, when_used="json")
]
"""A decimal number, written to JSON exactly: a plain number (an integer when whole), or
its text when no float holds it (more than 15 significant digits after the point)."""


class Qualifier(str, Enum):
    """How the stated number relates to the true value."""

    exact = "exact"
    approx = "approx"  # 约 近 左右
    lower_bound = "lower_bound"  # 余 多 以上 超 突破 逾
    upper_bound = "upper_bound"  # 不到 不足 以内


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class Quantity(_Model):
    """One normalized quantity: 484.5亿元 -> value 48450000000, unit CNY."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    value: Number = Field(
        description="Normalized value: yuan/dollars for money, percent points "
        "for shares, the count for counts. For a range, its low end."
    )
    unit: str = Field(
        description="CNY, USD, EUR, HKD, JPY, GBP, percent, count, times, "
        "a time unit (year, month, week, day, hour, minute), a physical unit "
        "(t, mu, m2, kW …) or 'number' for a bare number"
    )
    unit_text: str = Field(default="", description="The unit as written, e.g. 億元, %, 家")
    qualifier: Qualifier = Qualifier.exact
    low: Number | None = Field(default=None, description="Low end of a range (1-5亿元)")
    high: Number | None = Field(default=None, description="High end of a range")

    @property
    def display(self) -> str:
        """The quantity as people write it: 484.5亿元, 18.9%, 157个, 1-5亿元."""
        from .display import display_quantity

        return display_quantity(self)

    @property
    def kind(self) -> str:
        """money, percent, count, times, time, physical or number."""
        if self.unit in MONEY_UNITS:
            return "money"
        if self.unit in ("percent", "count", "times", "number"):
            return self.unit
        if self.unit in TIME_UNITS:
            return "time"
        return "physical"


class Evidence(_Model):
    """A verbatim quote and where it stands in ``source.text``: ``text[start:end] == quote``."""

    quote: str
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    alignment: Literal["exact", "fuzzy", "not_found"] = "exact"

    @model_validator(mode="after")
    def _ordered(self) -> Evidence:
        if self.end < self.start:
            raise ValueError(f"evidence end {self.end} is before start {self.start}")
        return self


class Interval(_Model):
    """A period as dates: the months it covers (``start`` to ``end``, both included), or
    the day a running figure is counted to (``as_of``). 2024年1至7月 -> 2024-01 to
    2024-07; 截至10月17日 in 2024 -> as of 2024-10-17."""

    start: str | None = Field(default=None, description="First month, YYYY-MM")
    end: str | None = Field(default=None, description="Last month, YYYY-MM")
    as_of: str | None = Field(default=None, description="Counted to this day, YYYY-MM-DD")

    @field_validator("start", "end")
    @classmethod
    def _month(cls, value: str | None) -> str | None:
        if value is not None:
            year, _, month = value.partition("-")
            if not (
                len(year) == 4 and year.isdigit() and month.isdigit() and 1 <= int(month) <= 12
            ):
                raise ValueError(f"{value!r} is not a month as YYYY-MM")
        return value

    @field_validator("as_of")
    @classmethod
    def _day(cls, value: str | None) -> str | None:
        if value is not None:
            date.fromisoformat(value)  # ValueError names the problem
        return value


class Metric(_Model):
    """A number the report states: 新签项目157个, 到位资金484.5亿元, 同比增长18.9%."""

    name: str = Field(description="What is measured, as the text says it (Simplified script)")
    category: str = Field(default="other", description="Code from data/metric_categories.json")
    quantity: Quantity
    period: str | None = Field(default=None, description="1至7月, 上半年, 2023年 …")
    interval: Interval | None = Field(
        default=None,
        description="The period as dates (months covered, or the as-of day), resolved "
        "from the period, the article's stated period and its publish date",
    )
    scope: str | None = Field(default=None, description="A restriction such as 其中制造业")
    subject: str | None = Field(
        default=None, description="Who the number is about, e.g. a district"
    )
    evidence: Evidence
    restated: list[Evidence] = Field(
        default_factory=list,
        description="The same fact stated again elsewhere in the article (title, lead, "
        "body): each further statement's quote and offsets",
    )

    @field_validator("category")
    @classmethod
    def _known_category(cls, value: str) -> str:
        known = metric_categories()
        if value not in known:
            raise ValueError(f"unknown metric category {value!r}; known: {', '.join(known)}")
        return value


class Mechanism(_Model):
    """A way of attracting investment the region uses, as a taxonomy code."""

    code: str = Field(description="Code from the mechanism taxonomy (zsextract.MECHANISM_CODES)")
    label: str = Field(default="", description="The taxonomy's Chinese label; filled in if empty")
    evidence: Evidence
    verified: bool = Field(
        default=True,
        description="True when the quote names or describes the practice in the taxonomy's "
        "words and patterns; False when it was accepted as a description of some length "
        "that names no other practice (LLM backend only)",
    )

    @field_validator("code")
    @classmethod
    def _known_code(cls, value: str) -> str:
        if value not in mechanism_codes():
            raise ValueError(
                f"unknown mechanism code {value!r}; use one of {', '.join(mechanism_codes())}"
            )
        return value

    @model_validator(mode="after")
    def _fill_label(self) -> Mechanism:
        if not self.label:
            object.__setattr__(self, "label", mechanism_codes()[self.code])
        return self


class TimelineStage(_Model):
    """One step of a rule: 签约 -> 注册 within 2 months, or 调度 every month."""

    from_event: str | None = Field(default=None, alias="from")
    to_event: str = Field(alias="to")
    months: Number | None = Field(default=None, description="Deadline in months (week = 0.25)")
    every_months: Number | None = Field(default=None, description="Cadence period in months")


class Timeline(_Model):
    """A deadline rule ("26211") or a cadence (一月一调度、一季一通报)."""

    kind: Literal["deadline", "cadence"]
    code: str | None = Field(default=None, description="The short name the text gives, if any")
    stages: list[TimelineStage] = Field(min_length=1)
    evidence: Evidence

    @model_validator(mode="after")
    def _stage_numbers(self) -> Timeline:
        need = "months" if self.kind == "deadline" else "every_months"
        for stage in self.stages:
            if getattr(stage, need) is None:
                raise ValueError(f"a {self.kind} stage needs {need!r}: {stage.to_event!r}")
        return self


ProjectStatus = Literal["planned", "signed", "landed", "started", "producing", "expanding"]


class Project(_Model):
    """A named investment project or a named company's investment in the region."""

    name: str
    investor: str | None = None
    investment: Quantity | None = Field(default=None, description="The project's own amount")
    industry: str | None = None
    location: str | None = None
    status: ProjectStatus | None = None
    evidence: Evidence


class Source(_Model):
    """Where the report's text came from. Evidence offsets index into ``text``."""

    text: str = Field(description="The raw text (for HTML input: the extracted article body)")
    path: str | None = None
    url: str | None = None
    title: str | None = None
    publish_date: str | None = None
    from_html: bool = False


class Usage(_Model):
    """Tokens spent, summed over every model call (failed ones included)."""

    prompt_tokens: int = 0
    completion_tokens: int = 0
    total_tokens: int = 0

    def add(self, prompt: int, completion: int) -> None:
        self.prompt_tokens += prompt
        self.completion_tokens += completion
        self.total_tokens += prompt + completion


class ArticleMeta(_Model):
    """What is known about an article besides its text; used to resolve 今年, 上半年."""

    publish_date: date | None = None
    region: str | None = None
    title: str | None = None
    url: str | None = None


class Provenance(_Model):
    """How the report was made."""

    backend: str
    zsextract_version: str
    model: str | None = None
    endpoint: str | None = Field(default=None, description="Base URL of the LLM (never the key)")
    prompt_version: str | None = Field(default=None, description="Version and digest, v1+3f2a…")
    attempts: int | None = Field(default=None, description="Model calls, failed ones included")
    usage: Usage | None = None
    cache: Literal["off", "miss", "hit", "reparsed"] | None = None
    chunks: int | None = None
    dropped: list[str] = Field(
        default_factory=list,
        description="Ungrounded items, and fields of kept items, left out (on_ungrounded='drop')",
    )
    elapsed_ms: float | None = None
    notes: list[str] = Field(default_factory=list)


CheckKind = Literal[
    "part_exceeds_total",
    "growth_mismatch",
    "target_share_mismatch",
    "period_after_publish",
    "stated_twice",
]


class Check(_Model):
    """A place where a report disagrees with itself: a part larger than its total, a
    growth rate its own figures do not give, a share of a target the amounts do not
    give, a period after the publish date, one figure stated with two values."""

    kind: CheckKind
    items: list[str] = Field(description="The items involved, as metrics[3]")
    numbers: list[Number] = Field(
        default_factory=list, description="The figures compared, in the order of the message"
    )
    message: str


class PromotionReport(_Model):
    """Everything extracted from one article."""

    region: str | None = Field(default=None, description="City, county or zone reported on")
    region_code: str | None = Field(
        default=None, description="The region's 6-digit division code (民政部), when it is one"
    )
    province: str | None = Field(default=None, description="The province the region is in")
    period: str | None = Field(default=None, description="The main reporting period")
    source: Source
    metrics: list[Metric] = Field(default_factory=list)
    mechanisms: list[Mechanism] = Field(default_factory=list)
    timelines: list[Timeline] = Field(default_factory=list)
    projects: list[Project] = Field(default_factory=list)
    checks: list[Check] = Field(
        default_factory=list,
        description="Where the report disagrees with itself (zsextract/report/checks.py)",
    )
    provenance: Provenance | None = None

    @model_validator(mode="after")
    def _evidence_in_text(self) -> PromotionReport:
        text = self.source.text
        items: list[Metric | Mechanism | Timeline | Project] = [
            *self.metrics,
            *self.mechanisms,
            *self.timelines,
            *self.projects,
        ]
        evidence = [item.evidence for item in items]
        evidence += [ev for m in self.metrics for ev in m.restated]
        for ev in evidence:
            if ev.alignment != "not_found" and text[ev.start : ev.end] != ev.quote:
                raise ValueError(
                    f"evidence {ev.quote!r} is not source.text[{ev.start}:{ev.end}] "
                    f"(which is {text[ev.start : ev.end]!r})"
                )
        return self

    def _repr_html_(self) -> str:
        """The evidence view in a notebook: spans highlighted, items in tables."""
        import uuid

        from .render import report_fragment

        return report_fragment(self, root_id=f"zsx-{uuid.uuid4().hex[:8]}")

    def to_gold(self, doc: str | None = None) -> dict[str, Any]:
        """This report in the gold format of ``eval/GOLD.md``."""
        from .gold import report_to_gold

        return report_to_gold(self, doc=doc)


@cache
def metric_categories() -> dict[str, str]:
    """Metric category code -> description (data/metric_categories.json)."""
    return {code: c["about"] for code, c in load_data("metric_categories")["categories"].items()}
