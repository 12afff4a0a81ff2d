"""Decimal numbers as the report keeps them and as JSON writes them."""

from __future__ import annotations

from decimal import Decimal

__all__ = ["json_number", "tidy"]


def tidy(value: Decimal) -> Decimal:
    """Drop float-looking noise: 48450000000.0 -> 48450000000, 18.90 -> 18.9."""
    if value == value.to_integral_value():
        return Decimal(int(value))
    return value.normalize()


def json_number(value: Decimal) -> int | float:
    """A plain JSON number: an integer when whole."""
    return int(value) if value == value.to_integral_value() else float(value)
