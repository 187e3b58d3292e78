"""Excel-compatible arithmetic: the one place where figures are rounded.

Excel works on what it can show: a double reduced to 15 significant digits. It then
rounds that decimal number half away from zero. So ``ROUND(2.675, 2)`` is 2.68 in
Excel, where Python's ``round`` (binary value, half to even) gives 2.67. Every
rounding in the project goes through these functions so that a figure we compute
is the figure the workbook's own formula shows.
"""

from __future__ import annotations

import math
from decimal import ROUND_DOWN, ROUND_HALF_UP, ROUND_UP, Context, Decimal

__all__ = ["excel_round", "excel_rounddown", "excel_roundup", "excel_text_percent"]

_CONTEXT = Context(prec=34)
"""Decimal's working precision: a rounded 15-digit value never needs more than 16 digits."""


def _shown(x: float) -> Decimal:
    """The decimal Excel works with: ``x`` to 15 significant digits."""
    return Decimal(format(x, ".15g"))


def _quantize(value: Decimal, digits: int, rounding: str) -> float:
    if value.as_tuple().exponent >= -digits:  # already has no more decimals than asked
        return float(value) + 0.0
    result = value.quantize(Decimal(1).scaleb(-digits), rounding=rounding, context=_CONTEXT)
    return float(result) + 0.0  # + 0.0 turns -0.0 into 0.0, as Excel shows it


def _round(x: float, digits: int, rounding: str) -> float:
    if not math.isfinite(x):
        return x
    return _quantize(_shown(x), digits, rounding)


def excel_round(x: float, digits: int) -> float:
    """ROUND(x, digits): half away from zero; negative ``digits`` round left of the point."""
    return _round(x, digits, ROUND_HALF_UP)


def excel_roundup(x: float, digits: int) -> float:
    """ROUNDUP(x, digits): away from zero (ROUNDUP(-1.21, 1) is -1.3)."""
    return _round(x, digits, ROUND_UP)


def excel_rounddown(x: float, digits: int) -> float:
    """ROUNDDOWN(x, digits): toward zero."""
    return _round(x, digits, ROUND_DOWN)


def excel_text_percent(x: float, decimals: int = 2) -> str:
    """TEXT(x, "0.00%"): a fraction as a percentage, e.g. 0.990606 -> "99.06%"."""
    if not math.isfinite(x):
        raise ValueError(f"不是有限数值：{x}")
    percent = _quantize(_shown(x).scaleb(2), decimals, ROUND_HALF_UP)
    return f"{percent:.{max(decimals, 0)}f}%"
