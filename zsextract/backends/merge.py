"""Merge the items of several chunks: a fact read twice in the overlap of two chunks
becomes one item; nothing distinct is dropped. Items are the same only when they are
the same fact at the same place: a metric by name, unit, value and evidence position;
a project by its name (less 项目/公司) or its evidence position; a timeline by its rule
and evidence position; a mechanism by its code (a report names each code once)."""

from __future__ import annotations

from ..readers.names import project_key
from . import Extraction

__all__ = ["merge_extractions"]


def merge_extractions(parts: list[Extraction]) -> Extraction:
    """One extraction from per-chunk ones, in order; duplicates keep their first place."""
    if len(parts) == 1:
        return parts[0]
    out = Extraction()
    seen_metrics: set[tuple[object, ...]] = set()
    seen_codes: set[str] = set()
    seen_projects: dict[object, int] = {}
    seen_rules: set[tuple[object, ...]] = set()
    for part in parts:
        out.region = out.region or part.region
        out.period = out.period or part.period
        for m in part.metrics:
            key = (m.name, m.quantity.unit, m.quantity.value, m.evidence.start)
            if key not in seen_metrics:
                seen_metrics.add(key)
                out.metrics.append(m)
        for mech in part.mechanisms:
            if mech.code not in seen_codes:
                seen_codes.add(mech.code)
                out.mechanisms.append(mech)
        for t in part.timelines:
            stages = tuple((s.to_event, s.months, s.every_months) for s in t.stages)
            rule = (t.kind, stages, t.evidence.start)
            if rule not in seen_rules:
                seen_rules.add(rule)
                out.timelines.append(t)
        for p in part.projects:
            keys = (("name", project_key(p.name)), ("at", p.evidence.start))
            twin = next((seen_projects[k] for k in keys if k in seen_projects), None)
            if twin is None:
                seen_projects.update(dict.fromkeys(keys, len(out.projects)))
                out.projects.append(p)
            elif out.projects[twin].investment is None and p.investment is not None:
                out.projects[twin] = out.projects[twin].model_copy(
                    update={"investment": p.investment}
                )
    return out
