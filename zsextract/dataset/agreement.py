"""Whether figures stated by several reports agree: the same value, one the other
rounded (484.46亿元 and 约484.5亿元; 超480亿元 and 484.5亿元), or a conflict.

A figure with fewer significant digits is read as the other rounded to its last digit
(half up); an exact figure must keep at least ``rounding.min_significant_digits``
(``data/consolidate.json``) to count as a rounding, so 157 and 200 conflict. A
figure said to be about (约) may be off by half its last digit; a lower bound (超,
以上) must not be above the other figure nor a whole last digit below it, and an upper
bound (不到) the other way round. A lower and an upper bound at one value conflict. The
most precise statement is the one with the most significant digits (约484.5亿元 is more
precise than 480亿元).
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from typing import Literal

from ..datafiles import load_data

__all__ = ["Agreement", "agree", "agreement", "significant_digits", "stated_by_rounding"]

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


def agree(a: tuple[Decimal, str], b: tuple[Decimal, str]) -> bool:
    """Whether two ``(value, qualifier)`` statements can be one figure, one perhaps the
    other rounded; a lower and an upper bound at one value (突破300亿元, 不到300亿元)
    cannot."""
    if a[0] == b[0]:
        return {a[1], b[1]} != {"lower_bound", "upper_bound"}
    return stated_by_rounding(a[0], b[0], b[1]) or stated_by_rounding(b[0], a[0], a[1])


def agreement(stated: Sequence[tuple[Decimal, str]]) -> tuple[Agreement, int]:
    """How ``(value, qualifier)`` statements of one figure agree, and the index of the
    most precise one (the fact's value unless they conflict): the most significant
    digits, then an exact figure before a qualified one, then the first."""
    best = max(
        range(len(stated)),
        key=lambda i: (significant_digits(stated[i][0]), stated[i][1] == "exact", -i),
    )
    if not all(agree(stated[best], other) for other in stated):
        return "conflict", best
    if len(set(stated)) == 1 or len({value for value, _ in stated}) == 1:
        return "same", best
    return "rounding", best
