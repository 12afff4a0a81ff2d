"""Decimal numbers as the report keeps them and as JSON writes them."""

from __future__ import annotations

from decimal import Decimal

__all__ = ["json_number", "tidy"]


def tidy(value: Decimal) -> Decimal:
    """Drop float-looking noise: 48450000000.0 -> 48450000000, 18.90 -> 18.9."""
    if value == value.to_integral_value():
        return Decimal(int(value))
    return value.normalize()


def json_number(value: Decimal) -> int | float | str:
    """``value`` for JSON, exactly: an integer when whole (of any size), else a number
    when a float holds it exactly, else (more than 15 significant digits) its decimal
    text as a string, since JSON readers, pydantic's among them, read numbers as floats.
    """
    if value == value.to_integral_value():
        return int(value)
    as_float = float(value)
    return as_float if Decimal(repr(as_float)) == value else str(value)
