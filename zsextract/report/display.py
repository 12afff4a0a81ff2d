"""Quantities as people write them: 484.5亿元, 18.9%, 157个, 1-5亿元.

The report keeps a normalized value (48450000000, unit CNY) and the unit as the text
wrote it (``unit_text``, e.g. 亿元). The display divides the value by the scale words
that open the written unit (亿, 万, 千 … from ``data/units.json``) and writes the unit
after it, in Simplified script. When the written unit does not fit the quantity's kind
(or there is none), a unit word is chosen from the same table: 亿 or 万 for large sums
of money, % for percents, 个 for counts. The HTML view, the CLI table and the long
tables' ``display`` column all use :func:`display_quantity`.
"""

from __future__ import annotations

from decimal import Decimal
from functools import cache
from typing import TYPE_CHECKING, Any

from ..datafiles import load_data
from ..text.script import to_simplified

if TYPE_CHECKING:
    from .schema import Quantity

__all__ = ["display_number", "display_quantity"]


@cache
def _tables() -> dict[str, Any]:
    units = load_data("units")
    money_words: dict[str, str] = {}
    for word, entry in units["money"].items():  # the first word of each code: 元, 美元 …
        money_words.setdefault(entry["unit"], word)
    time_words: dict[str, str] = {}
    for word, code in units["time"].items():
        time_words.setdefault(code, word)
    physical_words: dict[str, str] = {}
    for word, code in units["physical"].items():
        physical_words.setdefault(code, word)
    return {
        "scales": {k: Decimal(v) for k, v in units["scales"].items()},
        "money": {w: e["unit"] for w, e in units["money"].items()},
        "money_words": money_words,
        "bare_money": units["bare_scale_money"],
        "percent": {w for w, factor in units["percent"].items() if factor == 1},
        "count": set(units["count"]),
        "times": set(units["times"]),
        "time": units["time"],
        "time_words": time_words,
        "physical": units["physical"],
        "physical_words": physical_words,
    }


def display_number(value: Decimal) -> str:
    """``value`` in plain decimal digits, without exponent or trailing zeros."""
    if value == value.to_integral_value():
        return str(int(value))
    text = format(value.normalize(), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _split_scale(unit_text: str) -> tuple[Decimal, str]:
    """(the scale the written unit opens with, the rest): 亿元 -> (10^8, 元)."""
    scales = _tables()["scales"]
    scale = Decimal(1)
    at = 0
    while at < len(unit_text) and unit_text[at] in scales:
        scale *= scales[unit_text[at]]
        at += 1
    return scale, unit_text[at:]


def _fits(q: Quantity, rest: str, scale: Decimal) -> bool:
    """Whether the written unit (after its scale words) says the quantity's unit."""
    t = _tables()
    kind = q.kind
    if kind == "money":
        if rest:
            return bool(t["money"].get(rest) == q.unit)
        return scale > 1 and q.unit == "CNY"  # 5亿: bare scale money
    if kind == "percent":
        return scale == 1 and rest in t["percent"]
    if kind == "count":
        return rest in t["count"]
    if kind == "times":
        return scale == 1 and rest in t["times"]
    if kind == "time":
        return scale == 1 and bool(t["time"].get(rest) == q.unit)
    if kind == "physical":
        return bool(t["physical"].get(rest) == q.unit)
    return False


def _chosen_unit(q: Quantity) -> tuple[Decimal, str]:
    """A unit for a quantity whose written unit is missing or does not fit."""
    t = _tables()
    kind = q.kind
    if kind == "money":
        word = t["money_words"].get(q.unit, q.unit)
        size = abs(q.low if q.low is not None else q.value)
        for scale_word in ("亿", "万"):
            if size >= t["scales"][scale_word]:
                return t["scales"][scale_word], scale_word + word
        return Decimal(1), word
    if kind == "percent":
        return Decimal(1), "%"
    if kind == "count":
        return Decimal(1), "个"
    if kind == "times":
        return Decimal(1), "倍"
    if kind == "time":
        return Decimal(1), t["time_words"].get(q.unit, q.unit)
    if kind == "physical":
        return Decimal(1), t["physical_words"].get(q.unit, q.unit)
    return Decimal(1), ""


def display_quantity(q: Quantity) -> str:
    """``q`` as people write it: 484.5亿元, 18.9%, 157个, 1-5亿元."""
    written = to_simplified(q.unit_text.strip()) if q.unit_text else ""
    scale, rest = _split_scale(written)
    if written and _fits(q, rest, scale):
        unit = written
    else:
        scale, unit = _chosen_unit(q)
    if q.low is not None and q.high is not None and q.low != q.high:
        number = f"{display_number(q.low / scale)}-{display_number(q.high / scale)}"
    else:
        number = display_number(q.value / scale)
    return number + unit
