"""What the model is asked to return: quotes and values, no offsets.

These models are the ``response_model`` given to instructor. Grounding
(:mod:`zsextract.llm.grounding`) turns them into the report schema: quotes are
aligned to the article, numbers are checked against the quantities their quotes state.
In candidate mode the model cites numbered quantity candidates instead of copying
numbers (``candidate`` fields), which saves output tokens.
"""

from __future__ import annotations

import copy
import hashlib
import json
from functools import cache
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from ..report.units import GoldUnit

__all__ = [
    "CandidateExtraction",
    "CandidateMetric",
    "LLMExtraction",
    "LLMMechanism",
    "LLMMetric",
    "LLMProject",
    "LLMStage",
    "LLMTimeline",
    "own_model_class",
    "schema_digest",
]

QualifierName = Literal["exact", "approx", "lower_bound", "upper_bound"]
Status = Literal["planned", "signed", "landed", "started", "producing", "expanding"]


_SCHEMAS: dict[tuple[object, ...], dict[str, Any]] = {}


class _Wire(BaseModel):
    model_config = ConfigDict(extra="ignore")

    @classmethod
    def model_json_schema(cls, *args: Any, **kwargs: Any) -> dict[str, Any]:
        """The JSON Schema, computed once per set of arguments. instructor asks for it on
        every request, each time through a new subclass with the same schema, and making
        it costs several milliseconds: the cache keys on this module's own class."""
        key = (
            own_model_class(cls) or cls,
            args,
            tuple(sorted(kwargs.items(), key=lambda kv: kv[0])),
        )
        if key not in _SCHEMAS:
            _SCHEMAS[key] = super().model_json_schema(*args, **kwargs)
        return copy.deepcopy(_SCHEMAS[key])  # callers may change what they get


class LLMMetric(_Wire):
    name: str = Field(description="指标名称，按原文，如 新签项目、到位资金、同比增长")
    quote: str = Field(description="原文中包含该数字的最短片段，逐字复制")
    value: float = Field(description="换算后的数值：元、美元、百分数或个数")
    unit: GoldUnit
    qualifier: QualifierName = "exact"
    period: str | None = Field(default=None, description="时期，如 1至7月、上半年")
    scope: str | None = Field(default=None, description="范围，如 其中制造业")
    subject: str | None = Field(default=None, description="主体，如 某区")


class CandidateMetric(_Wire):
    candidate: str = Field(description="数量编号，如 Q3")
    name: str = Field(description="指标名称，按原文")
    period: str | None = None
    scope: str | None = None
    subject: str | None = None


class LLMMechanism(_Wire):
    # checked in grounding: an unknown code fails that item, not the whole answer
    code: str = Field(description="招商机制代码，只能取给定列表中的代码")
    quote: str = Field(description="原文中描述该做法的片段")


class LLMStage(_Wire):
    from_event: str | None = None
    to_event: str
    months: float | None = None
    every_months: float | None = None


class LLMTimeline(_Wire):
    kind: Literal["deadline", "cadence"]
    code: str | None = None
    quote: str = Field(description="原文中写明该规则的片段")
    stages: list[LLMStage] = Field(min_length=1)


class LLMProject(_Wire):
    name: str
    investor: str | None = None
    amount_quote: str | None = Field(default=None, description="原文中写明该项目自身金额的片段")
    industry: str | None = None
    location: str | None = None
    status: Status | None = None
    quote: str = Field(description="原文中点名该项目的片段")


class CandidateProject(LLMProject):
    amount_quote: None = None
    amount_candidate: str | None = Field(default=None, description="该项目自身金额的数量编号")


class LLMExtraction(_Wire):
    """招商引资信息抽取结果"""

    region: str | None = None
    period: str | None = None
    metrics: list[LLMMetric] = Field(default_factory=list)
    mechanisms: list[LLMMechanism] = Field(default_factory=list)
    timelines: list[LLMTimeline] = Field(default_factory=list)
    projects: list[LLMProject] = Field(default_factory=list)


class CandidateExtraction(_Wire):
    """招商引资信息抽取结果（数量引用编号）"""

    region: str | None = None
    period: str | None = None
    metrics: list[CandidateMetric] = Field(default_factory=list)
    mechanisms: list[LLMMechanism] = Field(default_factory=list)
    timelines: list[LLMTimeline] = Field(default_factory=list)
    projects: list[CandidateProject] = Field(default_factory=list)


def own_model_class(model: object) -> type | None:
    """This module's class behind ``model`` (instructor passes fresh subclasses), or
    None for any other model."""
    if not isinstance(model, type):
        return None
    return next(
        (
            k
            for k in model.__mro__
            if k.__module__ == __name__ and globals().get(k.__qualname__) is k
        ),
        None,
    )


@cache
def schema_digest(model: type[BaseModel]) -> str:
    """A short hash of a response model's JSON Schema (part of the cache key), worked
    out once per model class."""
    schema = json.dumps(model.model_json_schema(), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(schema.encode("utf-8")).hexdigest()[:16]
