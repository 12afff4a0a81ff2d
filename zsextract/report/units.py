"""The unit codes of the report, from one place: money and time codes are read from the
unit tables (``data/units.json``); the four units the gold format and the LLM answer
use are a type, since models validate against it."""

from __future__ import annotations

from typing import Literal, get_args

from ..datafiles import load_data

__all__ = ["GOLD_UNITS", "MONEY_UNITS", "TIME_UNITS", "GoldUnit"]

GoldUnit = Literal["CNY", "USD", "percent", "count"]
"""The units the gold format (eval/GOLD.md) and the LLM's answer know."""

GOLD_UNITS: frozenset[str] = frozenset(get_args(GoldUnit))
MONEY_UNITS: frozenset[str] = frozenset(u["unit"] for u in load_data("units")["money"].values())
TIME_UNITS: frozenset[str] = frozenset(load_data("units")["time"].values())
