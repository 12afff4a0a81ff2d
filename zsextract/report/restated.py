"""One fact once: a metric stated several times in one article (in the title, the lead
and the body, say) becomes one metric whose ``restated`` list holds the evidence of the
further statements.

Two metrics are the same fact when they have the same unit, value, qualifier and scope,
names that are equal or one inside the other once a leading place is set aside (the
title's 青山县到位资金 and the body's 引进到位资金; a name of two characters is inside no
other: 投资 and 恒安三期扩建投资 are two facts), and periods and subjects (the
district a figure is about) that are equal or missing on one side. The first statement
stays the metric's own evidence; a period or subject missing there is taken from a
restatement."""

from __future__ import annotations

import re
from collections import defaultdict

from .schema import Evidence, Metric

__all__ = ["merge_restated"]


#: a place at the head of a name (青山县到位资金): the title names the place, the body
#: often does not
_PLACE_HEAD = re.compile(r"^[\u4e00-\u9fff]{1,6}?(?:自治州|自治县|地区|省|市|县|区|州|盟|旗|镇|乡)")


def _names_agree(a: str, b: str) -> bool:
    a, b = "".join(a.split()), "".join(b.split())
    if not (a and b):
        return False
    if a == b or _inside(a, b) or _inside(b, a):
        return True
    a, b = _PLACE_HEAD.sub("", a), _PLACE_HEAD.sub("", b)
    return bool(a and b) and (a == b or _inside(a, b) or _inside(b, a))


#: the shortest name that is the same fact as a longer one holding it: 投资 inside
#: 恒安三期扩建投资 says too little to be that fact (到位资金 inside 引进到位资金 does)
_SHORTEST_INSIDE = 3


def _inside(short: str, long: str) -> bool:
    return len(short) >= _SHORTEST_INSIDE and short in long


#: how many earlier metrics with the same number a metric is compared with (the
#: statements of one fact are few; this bounds the work on text made of one number)
_LOOK_BACK = 32


def _agree(a: str | None, b: str | None) -> bool:
    return a is None or b is None or a == b


def _same_fact(a: Metric, a_period: str | None, a_subject: str | None, b: Metric) -> bool:
    return (
        a.scope == b.scope
        and _agree(a_period, b.period)
        and _agree(a_subject, b.subject)  # 万秀区 and 龙圩区 each with 9 projects: two facts
        and _names_agree(a.name, b.name)
    )


def merge_restated(metrics: list[Metric]) -> list[Metric]:
    """``metrics`` with each fact once, in the order of first statement (linear: the
    metrics are grouped by their number first)."""
    kept: list[Metric] = []
    periods: list[str | None] = []  # a kept metric's period, filled from restatements
    subjects: list[str | None] = []
    more: dict[int, list[Evidence]] = {}
    by_number: dict[tuple[object, ...], list[int]] = defaultdict(list)
    for metric in metrics:
        q = metric.quantity
        group = by_number[(q.unit, q.value, q.qualifier, q.low, q.high)]
        same = next(
            (
                n
                for n in reversed(group[-_LOOK_BACK:])
                if _same_fact(kept[n], periods[n], subjects[n], metric)
            ),
            None,
        )
        if same is None:
            group.append(len(kept))
            kept.append(metric)
            periods.append(metric.period)
            subjects.append(metric.subject)
            continue
        statements = more.setdefault(same, [])
        if metric.evidence != kept[same].evidence and metric.evidence not in statements[-4:]:
            statements.append(metric.evidence)
            statements.extend(metric.restated)
        periods[same] = periods[same] or metric.period
        subjects[same] = subjects[same] or metric.subject
    return [
        m.model_copy(
            update={
                "restated": [*m.restated, *more[n]],
                "period": periods[n],
                "subject": subjects[n],
            }
        )
        if n in more
        else m
        for n, m in enumerate(kept)
    ]
