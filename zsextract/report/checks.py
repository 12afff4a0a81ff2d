"""Checks inside one report: where the figures of an article disagree with each other.

Each check is data in the report (``report.checks``: kind, the items involved as
``metrics[i]``, the figures compared, a message), found from the metrics alone:

- ``part_exceeds_total``: a part (其中制造业项目到位资金, a metric with a scope) larger
  than the total stated before it in its paragraph, in the same unit and period;
- ``growth_mismatch``: a growth rate that the current figure and the base figure the
  text gives (比去年同期的100亿元增长20%) do not make;
- ``target_share_mismatch``: a share of a target (完成年度目标任务589亿元的37.22%) that the
  figure achieved and the target's amount do not make;
- ``period_after_publish``: a figure (not a target) whose period ends after the month the
  article was published;
- ``stated_twice``: one figure, by its name, period, scope and subject, stated with two
  values in the title or lead (the first paragraph) and in the body.

The words that tell a target, a base value and a growth, and the tolerances, are in
``data/checks.json``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from ..datafiles import alternation, load_data
from .numbers import tidy
from .schema import Check, CheckKind, Metric

__all__ = ["check_metrics", "is_target"]


@dataclass(frozen=True)
class _Words:
    target: tuple[str, ...]
    target_reach: int
    base: tuple[str, ...]
    growth: tuple[str, ...]
    fall: tuple[str, ...]
    excess: tuple[str, ...]
    listed: tuple[str, ...]
    share_tolerance: Decimal
    growth_tolerance: Decimal
    part_reach: int
    shortest_twice_name: int
    twice_generic: frozenset[str]


@cache
def _words() -> _Words:
    d = load_data("checks")
    return _Words(
        target=tuple(d["target_words"]),
        target_reach=int(d["target_reach"]),
        base=tuple(d["base_words"]),
        growth=tuple(d["growth_words"]),
        fall=tuple(d["fall_words"]),
        excess=tuple(d["excess_words"]),
        listed=tuple(d["listed_words"]),
        share_tolerance=Decimal(d["share_tolerance"]),
        growth_tolerance=Decimal(d["growth_tolerance"]),
        part_reach=int(d["part_reach"]),
        shortest_twice_name=int(d["shortest_twice_name"]),
        twice_generic=frozenset(d["twice_generic"]),
    )


def _has(name: str, words: tuple[str, ...]) -> bool:
    return any(w in name for w in words)


_DIGIT = re.compile(r"[0-9０-９]")


@cache
def _target_patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """A target word; everything up to the last stop of a clause."""
    return re.compile(alternation(_words().target)), re.compile(r".*[，,。；;！？\n]", re.S)


def is_target(metric: Metric, text: str) -> bool:
    """Whether ``metric`` is a target (力争全年到位资金突破300亿元, 年度目标任务589亿元), not a
    figure achieved: a target word in its name, in its quote before the first digit, or
    in its clause before it (``text`` is the raw text its evidence points into)."""
    word, to_last_stop = _target_patterns()
    quote = metric.evidence.quote
    digit = _DIGIT.search(quote)  # a quote may run past the figure (…完成目标任务的53.1%)
    if word.search(metric.name) or word.search(quote, 0, digit.start() if digit else len(quote)):
        return True
    start = metric.evidence.start
    before = text[max(0, start - _words().target_reach) : start]
    stop = to_last_stop.match(before)
    return word.search(before, stop.end() if stop else 0) is not None


def _check(kind: CheckKind, at: Sequence[int], numbers: Sequence[Decimal], message: str) -> Check:
    """A check of ``kind`` on the metrics at ``at`` (their places in the report)."""
    return Check(
        kind=kind, items=[f"metrics[{i}]" for i in at], numbers=list(numbers), message=message
    )


#: how many metrics before a figure its total, base, current figure or target is looked
#: for among: they stand in its paragraph, and the bound keeps a huge article linear
_LOOK_BACK = 64


def _before(metrics: Sequence[Metric], i: int) -> Iterator[tuple[int, Metric]]:
    """The metrics before ``metrics[i]``, nearest first, at most :data:`_LOOK_BACK`."""
    for j in range(i - 1, max(-1, i - 1 - _LOOK_BACK), -1):
        yield j, metrics[j]


def _show(value: Decimal) -> str:
    return str(tidy(value))


def _same_paragraph(text: str, a: int, b: int, reach: int) -> bool:
    """Whether offsets ``a`` <= ``b`` of the raw text stand in one paragraph, close."""
    return 0 <= b - a <= reach and "\n" not in text[a:b]


def _parts_over_totals(metrics: Sequence[Metric], text: str) -> Iterator[Check]:
    words = _words()
    for i, part in enumerate(metrics):
        if part.scope is None or part.quantity.unit == "percent":
            continue
        for j, total in _before(metrics, i):  # the nearest total before it
            if not _same_paragraph(
                text, total.evidence.start, part.evidence.start, words.part_reach
            ):
                break
            if (
                total.scope is None
                and total.quantity.unit == part.quantity.unit
                and total.period == part.period
                and not _has(total.name, words.target)
            ):
                if part.quantity.value > total.quantity.value:
                    yield _check(
                        "part_exceeds_total",
                        [j, i],
                        [total.quantity.value, part.quantity.value],
                        f"the part {part.name} ({_show(part.quantity.value)}) is larger "
                        f"than the total {total.name} ({_show(total.quantity.value)}) "
                        "stated before it",
                    )
                break


#: how far before a percentage the word of its growth is looked for (增长20%)
_GROWTH_REACH = 6
#: how far before a share of a target the word of an excess is looked for (超过目标…的19%)
_SHARE_REACH = 20
#: the precision of a share or growth the figures make, in the message
_CENT = Decimal("0.01")


def _said_before(metric: Metric, text: str, reach: int = _GROWTH_REACH) -> str:
    """The name of a figure and the ``reach`` characters before its number in the raw
    text."""
    start = metric.evidence.start
    return metric.name + text[max(0, start - reach) : start]


def _signed_growth(metric: Metric, text: str) -> Decimal:
    value = metric.quantity.value
    return -abs(value) if _has(_said_before(metric, text), _words().fall) else value


def _growths(metrics: Sequence[Metric], text: str) -> Iterator[Check]:
    """比去年同期的100亿元增长20%: current 120, base 100, growth 20."""
    words = _words()
    for i, rate in enumerate(metrics):
        said_with = _said_before(rate, text)
        if rate.quantity.unit != "percent" or not _has(said_with, words.growth + words.fall):
            continue
        near = [
            (j, m)
            for j, m in reversed(list(_before(metrics, i)))
            if m.quantity.unit != "percent"
            and _same_paragraph(text, m.evidence.start, rate.evidence.start, words.part_reach)
        ]
        bases = [(j, m) for j, m in near if _has(m.name, words.base)]
        currents = [
            (j, m)
            for j, m in near
            if not _has(m.name, words.base) and not _has(m.name, words.target)
        ]
        if not bases or not currents:
            continue
        (b, base), (c, current) = bases[-1], currents[-1]
        if base.quantity.unit != current.quantity.unit or base.quantity.value == 0:
            continue
        made = (current.quantity.value - base.quantity.value) / base.quantity.value * 100
        said = _signed_growth(rate, text)
        if abs(made - said) > words.growth_tolerance:
            yield _check(
                "growth_mismatch",
                [c, b, i],
                [current.quantity.value, base.quantity.value, said, made.quantize(_CENT)],
                f"{current.name} {_show(current.quantity.value)} against "
                f"{base.name} {_show(base.quantity.value)} is a change of "
                f"{made:.2f}%, not the {_show(said)}% stated",
            )


def _stated_near(metric: Metric, text: str, at: int, reach: int) -> bool:
    """Whether ``metric`` is stated (first or again) in the paragraph before ``at``."""
    return any(
        _same_paragraph(text, ev.start, at, reach) for ev in (metric.evidence, *metric.restated)
    )


def _target_shares(metrics: Sequence[Metric], text: str) -> Iterator[Check]:
    """完成年度目标任务589亿元的37.22%: achieved / target should make the share."""
    words = _words()
    for i, share in enumerate(metrics):
        if share.quantity.unit != "percent" or not _has(share.name, words.target):
            continue
        said_with = _said_before(share, text, _SHARE_REACH)
        if _has(said_with, words.growth + words.fall + words.excess):
            continue  # 同比增长, 超过目标任务4000亿元的19%: not a share of the target
        t, target = next(
            (
                (j, m)
                for j, m in _before(metrics, i)
                if m.quantity.unit != "percent" and _has(m.name, words.target)
            ),
            (-1, None),
        )
        if target is None:
            continue
        achieved = next(
            (
                (j, m)
                for j, m in _before(metrics, t)
                if m.quantity.unit == target.quantity.unit
                and not _has(m.name, words.target)
                and m.period == share.period
                and _stated_near(m, text, share.evidence.start, words.part_reach)
            ),
            None,
        )
        if achieved is None or target.quantity.value == 0:
            continue
        a, done = achieved
        made = done.quantity.value / target.quantity.value * 100
        if abs(made - share.quantity.value) > words.share_tolerance:
            yield _check(
                "target_share_mismatch",
                [a, t, i],
                [
                    done.quantity.value,
                    target.quantity.value,
                    share.quantity.value,
                    made.quantize(_CENT),
                ],
                f"{done.name} {_show(done.quantity.value)} of the target "
                f"{_show(target.quantity.value)} is {made:.2f}%, not the "
                f"{_show(share.quantity.value)}% stated",
            )


def _after_publish(metrics: Sequence[Metric], text: str, published: str | None) -> Iterator[Check]:
    if not published:
        return
    month = published[:7]
    for i, m in enumerate(metrics):
        if m.interval is None or is_target(m, text):
            continue
        late = (m.interval.end or "") > month or (m.interval.as_of or "") > published
        if late:
            end = m.interval.as_of or m.interval.end
            yield _check(
                "period_after_publish",
                [i],
                [],
                f"{m.name} is stated for {m.period or end}, which ends ({end}) after the "
                f"article was published ({published})",
            )


def _stated_twice(metrics: Sequence[Metric], text: str) -> Iterator[Check]:
    words = _words()
    first: dict[tuple[object, ...], int] = {}
    lead_end = text.find("\n", len(text) - len(text.lstrip()))  # the first paragraph's end
    if lead_end == -1:
        return
    for i, m in enumerate(metrics):
        if m.period is None:
            continue  # without a period two figures may well be two facts
        name = "".join(m.name.split()).replace(m.period, "")  # 1—9月实际到位资金
        if len(name) < words.shortest_twice_name or name in words.twice_generic:
            continue
        if _has(name, words.target) or _has(name, words.listed):
            continue  # 目标任务 of several indicators, 分别占: several facts
        key = (name, m.quantity.unit, m.period, m.scope, m.subject)
        j = first.setdefault(key, i)
        other = metrics[j]
        if (
            j != i
            and other.quantity.value != m.quantity.value
            and other.evidence.start < lead_end <= m.evidence.start
        ):  # the title or lead and the body: one fact twice (within the body, the same
            # name is often a breakdown by place or kind, which no name tells)
            yield _check(
                "stated_twice",
                [j, i],
                [other.quantity.value, m.quantity.value],
                f"{m.name} ({m.period}) is stated as {_show(other.quantity.value)} "
                f"and as {_show(m.quantity.value)}",
            )


def check_metrics(
    metrics: Sequence[Metric], text: str, published: str | None = None
) -> list[Check]:
    """Where ``metrics`` (of one report, in order; evidence offsets into ``text``, the raw
    article) disagree with each other, or with the ``published`` date (YYYY-MM-DD)."""
    return [
        *_parts_over_totals(metrics, text),
        *_growths(metrics, text),
        *_target_shares(metrics, text),
        *_after_publish(metrics, text, published),
        *_stated_twice(metrics, text),
    ]
