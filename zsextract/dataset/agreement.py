"""Whether figures stated by several reports agree: the same value, one the other
rounded (484.46亿元 and 约484.5亿元; 超480亿元 and 484.5亿元), or a conflict.

A figure with fewer significant digits is read as the other rounded to its last digit
(half up); an exact figure must keep at least ``rounding.min_significant_digits``
(``data/consolidate.json``) to count as a rounding, so 157 and 200 conflict. A
figure said to be about (约) may be off by half its last digit; a lower bound (超,
以上) must not be above the other figure nor a whole last digit below it, and an upper
bound (不到) the other way round.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from typing import Literal

from ..datafiles import load_data

__all__ = ["Agreement", "agreement", "significant_digits", "stated_by_rounding"]

Agreement = Literal["same", "rounding", "conflict"]


@cache
def _min_digits() -> int:
    return int(load_data("consolidate")["rounding"]["min_significant_digits"])


def significant_digits(value: Decimal) -> int:
    """Digits of ``value`` without trailing zeros: 12680000000 -> 4, 18.90 -> 3."""
    if value == 0:
        return 1
    return len(value.normalize().as_tuple().digits)


def _last_digit(value: Decimal) -> Decimal:
    """The place of ``value``'s last significant digit: 12700000000 -> 1E+8."""
    exponent = value.normalize().as_tuple().exponent
    assert isinstance(exponent, int)  # a finite value
    return Decimal(1).scaleb(exponent)


def stated_by_rounding(precise: Decimal, coarse: Decimal, coarse_qualifier: str = "exact") -> bool:
    """Whether ``coarse`` (with its qualifier) is ``precise`` as a report would round it."""
    if precise == coarse:
        return True
    step = _last_digit(coarse)
    if coarse_qualifier == "approx":
        return abs(precise - coarse) <= step / 2
    if coarse_qualifier == "lower_bound":
        return coarse <= precise < coarse + step
    if coarse_qualifier == "upper_bound":
        return coarse - step < precise <= coarse
    if significant_digits(coarse) < _min_digits():
        return False
    return precise.quantize(step, rounding=ROUND_HALF_UP) == coarse


def agreement(stated: Sequence[tuple[Decimal, str]]) -> tuple[Agreement, int]:
    """How ``(value, qualifier)`` statements of one figure agree, and the index of the
    most precise one (the fact's value unless they conflict)."""
    best = max(
        range(len(stated)),
        key=lambda i: (stated[i][1] == "exact", significant_digits(stated[i][0]), -i),
    )
    values = {value for value, _ in stated}
    if len(values) == 1:
        return "same", best
    precise = stated[best][0]
    if all(stated_by_rounding(precise, value, qualifier) for value, qualifier in stated):
        return "rounding", best
    return "conflict", best
