"""Resolve relative periods (今年, 上半年, 截至目前, 1至7月) against a publish date."""

from __future__ import annotations

import re
from datetime import date

__all__ = ["resolve_period"]

_HAS_YEAR = re.compile(r"(?:19|20)\d\d年")


def resolve_period(period: str | None, published: date | None) -> str | None:
    """``period`` with the year made explicit, when ``published`` tells which year.

    >>> resolve_period("上半年", date(2024, 7, 15))
    '2024年上半年'
    >>> resolve_period("截至目前", date(2024, 7, 15))
    '截至2024年7月15日'
    """
    if not period or published is None or _HAS_YEAR.search(period):
        return period
    year = published.year
    if period in ("截至目前", "目前", "至今", "截至当前"):
        return f"截至{year}年{published.month}月{published.day}日"
    if period.startswith("去年"):
        return f"{year - 1}年" + period[2:].removeprefix("以来")
    if period.startswith(("今年", "本年", "年初")):
        rest = period[2:]
        return f"{year}年" + ("以来" if rest in ("以来", "来") or period == "年初以来" else rest)
    if period in (
        "全年",
        "上半年",
        "下半年",
        "前三季度",
        "一季度",
        "二季度",
        "三季度",
        "四季度",
    ) or (re.fullmatch(r"\d{1,2}\s?[至到~—-]\s?\d{1,2}月(?:份)?|\d{1,2}月(?:份|底|末)?", period)):
        return f"{year}年{period}"
    return period
