"""Periods as dates: 2024年1至7月 -> 2024-01 to 2024-07, 截至10月17日 -> as of that day.

A metric's period text (from its clause or sentence, else the article's stated period)
becomes an :class:`~zsextract.report.schema.Interval`. The year comes, in this order,
from the phrase itself, from the year the article states it reports on (its title or
lead: :func:`stated_period`), and from the publish date. Relative words follow the
publish date: 去年 is the year before it, 今年以来 runs to its month, 截至目前 is as of
that day. A year-end summary published early in the next year (January to March, the
article stating the year before) is about that stated year: its 全年 and 今年 mean it.
A phrase that names no span (近年来) gives no interval. The words and patterns are in
``data/periods.json``.
"""

from __future__ import annotations

import calendar
import re
from bisect import bisect_right
from dataclasses import dataclass
from datetime import date
from functools import cache, lru_cache
from typing import Any

from ..datafiles import load_data
from ..patterns import Scanner, scanner
from ..report.schema import Interval
from .quantities import parse_chinese_number

__all__ = ["ArticleTime", "PeriodIndex", "interval_of", "period_index", "stated_period"]

_YEAR = re.compile(r"((?:19|20)\d\d)年")

#: the months of the year before which a summary of the year before is still "early"
_EARLY_MONTHS = 3


@cache
def _words() -> dict[str, Any]:
    w: dict[str, Any] = dict(load_data("periods"))
    for key in (
        "stated_pattern",
        "stated_relative_pattern",
        "month_range_pattern",
        "month_pattern",
        "as_of_pattern",
        "year_range_pattern",
    ):
        w[key] = re.compile(w[key])
    w["spans_longest_first"] = sorted(w["spans"], key=len, reverse=True)
    return w


def _number(text: str) -> int:
    """1-31 in Arabic or Chinese digits (七, 十二, 二十三)."""
    return int(parse_chinese_number(text))


@dataclass(frozen=True)
class ArticleTime:
    """What an article says about when it is: its stated period (from the title or the
    lead) and its publish date."""

    stated: str | None = None
    published: date | None = None

    @property
    def stated_year(self) -> int | None:
        found = _YEAR.search(self.stated or "")
        return int(found.group(1)) if found else None

    @property
    def reported_year(self) -> int | None:
        """The year that 全年 and 今年 mean: the stated year in a summary published early
        in the next year, else the publish year, else the stated year."""
        stated, published = self.stated_year, self.published
        if published is None:
            return stated
        if stated == published.year - 1 and published.month <= _EARLY_MONTHS:
            return stated
        return published.year


#: how far back from a figure its paragraph's period is looked for (characters)
_PARAGRAPH_REACH = 400
#: how far a clause reaches (characters), when looking for a target after a period
_CLAUSE_REACH = 80


class PeriodIndex:
    """The period phrases of a text (the pattern ``period`` of ``data/rules.json``),
    found once, and for any figure the one that is its period (:meth:`before`)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.found = list(_rule_pattern("period").finditer(text))
        self.ends = [m.end() for m in self.found]
        self._breaks = _rule_pattern("clause_break")
        self._targets = tuple(_words()["not_a_period_before"])

    def before(self, pos: int) -> str | None:
        """The nearest period stated before ``pos`` in its paragraph (so in its clause
        and sentence first), less one that belongs to a target named before the figure
        (完成全年5360亿元目标任务的25%); None when the paragraph states none."""
        text = self.text
        start = text.rfind("\n", max(0, pos - _PARAGRAPH_REACH), pos) + 1
        i = bisect_right(self.ends, pos) - 1
        while i >= 0 and self.found[i].start() >= start:
            if not self._names_a_target(self.found[i].end(), pos):
                return self.found[i].group(0)
            i -= 1
        return None

    def _names_a_target(self, at: int, pos: int) -> bool:
        """Whether 目标, 任务 or 计划 follows the period ending at ``at`` in its own clause,
        before the figure at ``pos`` (完成全年目标任务的25%: not the 25%'s period, nor that
        of a figure in a later clause; the target's own 5360亿元 keeps it)."""
        found = self._breaks.search(self.text, at, at + _CLAUSE_REACH)
        end = found.start() if found else min(len(self.text), at + _CLAUSE_REACH)
        between = self.text[at : min(pos, end)]
        return any(word in between for word in self._targets)


@lru_cache(maxsize=2)
def period_index(text: str) -> PeriodIndex:
    """The :class:`PeriodIndex` of ``text``, made once for the text the rules read and
    the report then dates (the last two texts are kept)."""
    return PeriodIndex(text)


@cache
def _rule_pattern(name: str) -> Scanner:
    return scanner(load_data("rules")[name])


def stated_period(text: str) -> str | None:
    """The period an article says it reports on: the first period in its title or lead,
    with a year (2024年上半年, 2023年) or without (截至目前, 今年以来, 2月7日)."""
    w = _words()
    found = [
        m
        for m in (
            w["stated_pattern"].search(text, 0, w["stated_within"]),
            w["stated_relative_pattern"].search(text, 0, w["stated_within"]),
        )
        if m
    ]
    return min(found, key=lambda m: m.start()).group(0) if found else None


def _month(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}"


def _span(year: int, first: int, last: int, end_year: int | None = None) -> Interval | None:
    if not (1 <= first <= 12 and 1 <= last <= 12):
        return None
    return Interval(start=_month(year, first), end=_month(end_year or year, last))


def _as_of(period: str, time: ArticleTime, year: int | None) -> Interval | None:
    w = _words()
    if period in w["as_of_now"]:
        published = time.published
        return Interval(as_of=published.isoformat()) if published else None
    found = w["as_of_pattern"].search(period)
    if not found:
        return None
    year = int(found.group(1)) if found.group(1) else year
    if year is None:
        return None
    month = _number(found.group(2))
    if not 1 <= month <= 12:
        return None
    if found.group(3):
        day = _number(found.group(3))
    else:  # 截至10月, 截至10月底: the month's last day
        day = calendar.monthrange(year, month)[1]
    try:
        return Interval(as_of=date(year, month, day).isoformat())
    except ValueError:
        return None


def interval_of(period: str | None, time: ArticleTime) -> Interval | None:
    """``period`` (Simplified text) as dates, or None when it names no span.

    >>> interval_of("1至7月", ArticleTime("2024年1至7月", date(2024, 8, 20)))
    Interval(start='2024-01', end='2024-07', as_of=None)
    >>> interval_of("全年", ArticleTime("2023年", date(2024, 1, 20)))
    Interval(start='2023-01', end='2023-12', as_of=None)
    """
    if not period:
        return None
    w = _words()
    published = time.published
    years = [int(y) for y in _YEAR.findall(period)]
    relative_year = time.reported_year
    if years:
        yearless: int | None = years[0]
    elif period.startswith(tuple(w["this_year"])):  # 今年1—6月: the publish date's year
        yearless = relative_year
    else:
        yearless = time.stated_year or relative_year

    if period.startswith(("截至", "截止")) or period in w["as_of_now"]:
        return _as_of(period, time, yearless)

    for plan, (first, last) in w["plans"].items():
        if plan in period:
            if "以来" in period and published is not None:
                return Interval(start=_month(first, 1), end=_month(published.year, published.month))
            return _span(first, 1, 12, last)

    found = w["year_range_pattern"].search(period)
    if found:
        return _span(int(found.group(1)), 1, 12, int(found.group(2)))

    if any(period.startswith(p) for p in w["last_year"]):
        last_year = published.year - 1 if published else (time.stated_year or 0) - 1
        return _span(last_year, 1, 12) if last_year > 0 else None

    found = w["month_range_pattern"].search(period)
    if found and yearless is not None:
        return _span(yearless, _number(found.group(1)), _number(found.group(2)))

    for word in w["spans_longest_first"]:
        if word in period:
            span_year = years[0] if years else (relative_year if word == "全年" else yearless)
            if span_year is None:
                return None
            first, last = w["spans"][word]
            return _span(span_year, first, last)

    running = next((r for r in w["running"] if period.startswith(r)), None)
    if running is not None or (years and period.endswith("以来")):
        since = years[0] if years else relative_year
        if since is None or published is None or published.year < since:
            return None  # a running figure needs the day it was counted to
        if published.year == since:
            return _span(since, 1, published.month)
        if years:  # 2023年以来, published later: to the publish month
            return Interval(start=_month(since, 1), end=_month(published.year, published.month))
        return _span(since, 1, 12)  # a past year's running total: that whole year

    found = w["month_pattern"].search(period)
    if found and yearless is not None:
        month = _number(found.group(1))
        return _span(yearless, month, month)

    if years:  # 2023年, 2023年度
        return _span(years[0], 1, 12)
    return None
