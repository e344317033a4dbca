"""Axis ticks a reader can read: steps of 1, 2, 2.5 or 5 times a power of ten, for any finite data.

The chart geometry every format draws (`writers.barchart`) takes its value axis from `axis`, so
the DOCX, PDF and HTML chart of a figure share their scale: all zeros, one bar, negative values,
or one value a million times the others.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

__all__ = ["axis", "nice_step"]


def nice_step(rough: float) -> float:
    """Return the 1, 2, 2.5 or 5 times a power of ten nearest above `rough` (> 0; a non-positive or non-finite one gives 1)."""
    if not math.isfinite(rough) or rough <= 0:
        return 1.0
    power = 10.0 ** math.floor(math.log10(rough))
    return next((m * power for m in (1, 2, 2.5, 5, 10) if m * power >= rough), 10 * power)


def axis(values: Sequence[float], most: int = 6, headroom: float = 0.0) -> tuple[float, float, float]:
    """Return (bottom, top, step) of a value axis holding 0 and every value, in whole steps, at most `most` ticks.

    With `headroom` (a share of the axis), a step is added on top when the highest value is closer
    to the top than that, so a label above the tallest bar stays inside the chart.
    """
    low, high = min(0.0, *values), max(0.0, *values)
    span = high - low
    if not math.isfinite(span) or span <= 0 or span < 1e-300:
        return 0.0, 1.0, 0.2 if most > 5 else 0.5
    step = nice_step(span / (most - 1))
    bottom, top = math.floor(low / step + 1e-9) * step, math.ceil(high / step - 1e-9) * step  # (rounding errors forgiven inwards)
    if headroom and top - high < headroom * (top - bottom):
        top += step
    if headroom and low < 0 and low - bottom < headroom * (top - bottom):
        bottom -= step  # room below the lowest bar for its value label
    return bottom, top, step

