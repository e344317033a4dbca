"""Axis ticks a reader can read: steps of 1, 2, 2.5 or 5 times a power of ten."""

from __future__ import annotations

import math

__all__ = ["nice_ticks"]


def nice_ticks(peak: float, most: int = 6) -> list[float]:
    """Return ticks from 0 to at least `peak`, at most `most` of them, on a round step."""
    if peak <= 0:
        return [0.0, 1.0]
    raw = peak / (most - 1)
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    count = math.ceil(peak / step - 1e-9)
    return [round(step * i, 10) for i in range(count + 1)]
