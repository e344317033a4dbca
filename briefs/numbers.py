"""One way to print a number, in the text, the tables and every chart alike.

    format_number(270000)     '270,000'     whole numbers without decimals
    format_number(0.5)        '0.5'         at most two decimals, trailing zeros dropped
    format_number(1234.567)   '1,234.57'
    format_number(2, 1)       '2.0'         a fixed number of decimals when asked (the templates' `number(1)`)
"""

from __future__ import annotations

import math

__all__ = ["format_number"]

MOST_DECIMALS = 2
"""Decimals a value prints with when none are asked for: enough for a share or a rate, never a float's noise."""


def format_number(value: float, decimals: int | None = None) -> str:
    """Return `value` with thousands separators: `decimals` fixed ones, else none for a whole number and at most two."""
    if not math.isfinite(value):
        return str(value)
    if decimals is not None:
        return f"{value:,.{max(0, min(decimals, 10))}f}"
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.{MOST_DECIMALS}f}".rstrip("0").rstrip(".")
