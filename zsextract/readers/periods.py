"""Resolve relative periods (今年, 上半年, 截至目前, 1至7月) against a publish date."""

from __future__ import annotations

import re
from datetime import date
from functools import cache
from typing import Any

from ..datafiles import load_data

__all__ = ["resolve_period"]

_HAS_YEAR = re.compile(r"(?:19|20)\d\d年")


@cache
def _words() -> dict[str, Any]:
    words: dict[str, Any] = load_data("periods")
    return words


def has_year(period: str) -> bool:
    """Whether ``period`` names its year (2024年上半年)."""
    return _HAS_YEAR.search(period) is not None


def is_relative(period: str) -> bool:
    """Whether ``period`` is said from the publish date (今年, 去年, 本年, 截至目前), so that
    no year in the text around it is its year."""
    w = _words()
    return period in w["as_of_now"] or period.startswith((*w["this_year"], *w["last_year"]))


@cache
def _paragraph_year() -> re.Pattern[str]:
    return re.compile(_words()["paragraph_year_pattern"])


def paragraph_year(text: str, pos: int) -> int | None:
    """The year that opens the paragraph of ``pos`` (2025年，全市将…), which is the year of
    the paragraph's yearless periods (力争全年到位资金300亿元) other than those said from the
    publish date (:func:`is_relative`), or None; None too when 今年 or 去年 stands between
    that year and ``pos``."""
    start = text.rfind("\n", 0, pos) + 1
    found = _paragraph_year().match(text, start, pos)
    if found is None:
        return None
    w = _words()
    between = text[found.end() : pos]
    if any(word in between for word in (*w["this_year"], *w["last_year"])):
        return None  # 2023年，…；今年1—6月…: the year of 今年 is the publish date's
    return int(found.group(0)[:4])


def resolve_period(
    period: str | None, published: date | None, year: int | None = None
) -> str | None:
    """``period`` with the year made explicit, when ``published`` tells which year
    (``year``, when given, is the year that 今年, 全年 and a yearless span mean: a
    summary of the year before published early in the next). The words are in
    ``data/periods.json``.

    >>> resolve_period("上半年", date(2024, 7, 15))
    '2024年上半年'
    >>> resolve_period("截至目前", date(2024, 7, 15))
    '截至2024年7月15日'
    """
    if not period or published is None or _HAS_YEAR.search(period):
        return period
    w = _words()
    year = year or published.year
    if period in w["as_of_now"]:
        return f"截至{published.year}年{published.month}月{published.day}日"
    last = next((p for p in w["last_year"] if period.startswith(p)), None)
    if last is not None:
        return f"{published.year - 1}年" + period[len(last) :].removeprefix("以来")
    this = next((p for p in w["this_year"] if period.startswith(p)), None)
    if this is not None:
        rest = period[len(this) :]
        since = rest in w["since"] or (this == "年初" and rest == "以来")
        return f"{year}年" + ("以来" if since else rest)
    if period in w["within_year"] or re.fullmatch(w["months_pattern"], period):
        return f"{year}年{period}"
    return period
