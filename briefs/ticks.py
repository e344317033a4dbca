"""Axis ticks a reader can read: steps of 1, 2, 2.5 or 5 times a power of ten."""

from __future__ import annotations

import math

__all__ = ["nice_step", "nice_ticks"]


def nice_step(rough: float) -> float:
    """Return the 1, 2, 2.5 or 5 times a power of ten nearest above `rough` (> 0)."""
    power = 10.0 ** math.floor(math.log10(rough))
    return next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= rough)


def nice_ticks(peak: float, most: int = 6) -> list[float]:
    """Return ticks from 0 to at least `peak`, at most `most` of them, on a round step."""
    if peak <= 0:
        return [0.0, 1.0]
    step = nice_step(peak / (most - 1))
    count = math.ceil(peak / step - 1e-9)
    return [round(step * i, 10) for i in range(count + 1)]
