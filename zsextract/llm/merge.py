"""Merge the items of several chunks: a fact restated in the overlap becomes one item."""

from __future__ import annotations

from ..backends import Extraction
from ..readers.names import project_key

__all__ = ["merge_extractions"]


def _key(name: str) -> str:
    return project_key(name)


def merge_extractions(parts: list[Extraction]) -> Extraction:
    """One extraction from per-chunk ones, in order; duplicates keep their first place."""
    if len(parts) == 1:
        return parts[0]
    out = Extraction()
    seen_metrics: set[tuple[object, ...]] = set()
    seen_codes: set[str] = set()
    seen_rules: set[tuple[object, ...]] = set()
    for part in parts:
        out.region = out.region or part.region
        out.period = out.period or part.period
        for m in part.metrics:
            key = (m.evidence.start, m.quantity.unit, m.quantity.value)
            same = (m.name, m.quantity.unit, m.quantity.value)
            if key in seen_metrics or same in seen_metrics:
                continue
            seen_metrics.update({key, same})
            out.metrics.append(m)
        for mech in part.mechanisms:
            if mech.code not in seen_codes:
                seen_codes.add(mech.code)
                out.mechanisms.append(mech)
        for t in part.timelines:
            rule = (t.kind, tuple((s.to_event, s.months, s.every_months) for s in t.stages))
            if rule not in seen_rules:
                seen_rules.add(rule)
                out.timelines.append(t)
        for p in part.projects:
            k = _key(p.name)
            twin = next((q for q in out.projects if k in _key(q.name) or _key(q.name) in k), None)
            if twin is None:
                out.projects.append(p)
            elif twin.investment is None and p.investment is not None:
                out.projects[out.projects.index(twin)] = twin.model_copy(
                    update={"investment": p.investment}
                )
    return out
