"""The geometry of a figure's bar chart, computed once and drawn by every format's renderer.

A pure function of the figure's points, its unit, the chart's width and a text-measuring function:
the value axis and its ticks (`ticks.axis`), every number printed by `numbers.format_number`, the
bars, and each category label wrapped over at most two lines (or, when a word still does not fit,
slanted and shortened). The PDF draws it with reportlab shapes, the HTML as SVG and the DOCX
with Pillow, so one figure shows the same ticks, labels and line breaks in all three.

Lengths are points, from the top left corner, y downwards (as SVG and Pillow; the PDF flips them).
Text positions are baselines.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

from ..numbers import format_number
from ..ticks import axis

__all__ = ["HEIGHT", "INK", "LABEL_SIZE", "SLANT", "WIDTH", "BarChart", "Measure", "Text", "bar_chart"]

WIDTH = 15 / 2.54 * 72
"""15 cm, the widest a chart is drawn."""
HEIGHT = 6.5 / 2.54 * 72
"""6.5 cm: the plot's height plus the room above it; the category labels add their own below."""
LABEL_SIZE = 8.0
"""Points, for every string of the chart."""
INK = "#333333"
"""Value and category labels and the axis line; tick labels and the unit are in the theme's muted colour."""
SLANT = 30.0
"""Degrees a category label turns (anticlockwise) when it cannot be wrapped under its bar."""
_TOP = 18.0
"""Room above the plot for the tallest bar's value label and the unit."""
_BELOW = 14.0
"""Room under the plot besides the category labels' lines."""
_RIGHT = 8.0
_MAX_BAR = 56.0
"""Widest bar, so that three bars do not look like a wall."""
_SLANTED_MAX = 120.0
"""Longest slanted label; the data table beside the chart has the full text."""
_LINE = LABEL_SIZE * 1.2

Measure = Callable[[str], float]
"""Width in points of a string printed at `LABEL_SIZE` in the renderer's font."""


@dataclass(frozen=True)
class Text:
    """One string to print: its baseline point, which end of it sits there, and how far it turns."""

    x: float
    y: float
    text: str
    anchor: Literal["start", "middle", "end"] = "middle"
    angle: float = 0.0
    """Degrees anticlockwise about (x, y)."""
    owner: int | None = None
    """The point (index) whose category label or value label this is; None for axis text."""


@dataclass(frozen=True)
class Bar:
    """One point's bar, from the zero line to its value (downwards for a negative value)."""

    x: float
    top: float
    width: float
    height: float
    name: str
    value: str
    """The value as printed (`format_number`)."""


@dataclass(frozen=True)
class BarChart:
    """Everything a renderer draws, in points."""

    width: float
    height: float
    left: float
    """The plot's left edge (tick labels are left of it)."""
    right: float
    plot_top: float
    plot_bottom: float
    ticks: tuple[tuple[float, float], ...]
    """(value, y) of each grid line."""
    bars: tuple[Bar, ...]
    tick_labels: tuple[Text, ...]
    value_labels: tuple[Text, ...]
    category_labels: tuple[Text, ...]
    """Wrapped labels give one Text per line; slanted ones one each, turned by `SLANT`."""
    unit: Text | None

    def label_lines(self) -> tuple[tuple[str, ...], ...]:
        """Return each point's category label as printed, line by line."""
        count = max((label.owner or 0 for label in self.category_labels), default=-1) + 1
        return tuple(tuple(label.text for label in self.category_labels if label.owner == index) for index in range(count))


def bar_chart(points: Sequence[tuple[str, float]], unit: str | None, measure: Measure, width: float = WIDTH) -> BarChart:
    """Return the geometry of a bar chart of `points` ((label, value) pairs), `unit` printed above the axis."""
    names = [_one_line(name) for name, _ in points]
    values = [value if math.isfinite(value) else 0.0 for _, value in points] or [0.0]
    low, high, step = axis(values, 6, headroom=0.1)
    ticks = [low + step * index for index in range(round((high - low) / step) + 1)]
    left = max(measure(format_number(tick)) for tick in ticks) + 10
    count = max(len(points), 1)
    wrapped = [_wrap(name, (width - left - _RIGHT) / count - 4, measure) for name in names]
    slanted = any(lines is None for lines in wrapped)
    if slanted:
        names = [_shorten(name, _SLANTED_MAX, measure) for name in names]
        left = max(left, _room_for_first(measure(names[0]) if names else 0.0, width, count))
        below = _BELOW + max((measure(name) for name in names), default=0.0) * math.sin(math.radians(SLANT)) + LABEL_SIZE
    else:
        below = _BELOW + _LINE * max((len(lines or ()) for lines in wrapped), default=1)
    plot_bottom = HEIGHT - _BELOW
    plot = _Plot(left, width - _RIGHT, _TOP, plot_bottom, low, high)
    categories = _slanted(plot, names) if slanted else _wrapped(plot, [lines or [] for lines in wrapped])
    return BarChart(
        width=width, height=plot_bottom + below, left=left, right=plot.right, plot_top=_TOP, plot_bottom=plot_bottom,
        ticks=tuple((tick, plot.y(tick)) for tick in ticks),
        bars=tuple(_bar(plot, index, count, name, raw) for index, (name, raw) in enumerate(points)),
        tick_labels=tuple(Text(left - 5, plot.y(tick) + 2.8, format_number(tick), "end") for tick in ticks),
        value_labels=tuple(_value_label(plot, index, count, value, raw) for index, (value, (_, raw))
                           in enumerate(zip(values, points, strict=False))),
        category_labels=categories,
        unit=Text(0, LABEL_SIZE, _shorten(_one_line(unit), width, measure), "start") if unit else None,
    )


@dataclass(frozen=True)
class _Plot:
    left: float
    right: float
    top: float
    bottom: float
    low: float
    high: float

    def y(self, value: float) -> float:
        """Return the height of `value` on the axis (clamped to the plot)."""
        share = (min(max(value, self.low), self.high) - self.low) / (self.high - self.low)
        return self.bottom - (self.bottom - self.top) * share

    def centre(self, index: int, count: int) -> float:
        return self.left + (self.right - self.left) / count * (index + 0.5)


def _bar(plot: _Plot, index: int, count: int, name: str, raw: float) -> Bar:
    slot = (plot.right - plot.left) / count
    width = slot * min(0.62, _MAX_BAR / slot)
    zero, end = plot.y(0.0), plot.y(raw if math.isfinite(raw) else 0.0)
    return Bar(plot.centre(index, count) - width / 2, min(zero, end), width, abs(zero - end), name, format_number(raw))


def _value_label(plot: _Plot, index: int, count: int, value: float, raw: float) -> Text:
    end = plot.y(value)
    y = end - 4 if value >= 0 else end + 4 + LABEL_SIZE
    return Text(plot.centre(index, count), y, format_number(raw), owner=index)


def _wrapped(plot: _Plot, lines: list[list[str]]) -> tuple[Text, ...]:
    return tuple(Text(plot.centre(index, len(lines)), plot.bottom + 3 + LABEL_SIZE + _LINE * row, line, owner=index)
                 for index, label in enumerate(lines) for row, line in enumerate(label))


def _slanted(plot: _Plot, names: list[str]) -> tuple[Text, ...]:
    return tuple(Text(plot.centre(index, len(names)), plot.bottom + 3 + LABEL_SIZE, name, "end", SLANT, owner=index)
                 for index, name in enumerate(names))


def _room_for_first(first: float, width: float, count: int) -> float:
    """Return the plot's left edge that keeps the first slanted label, which reaches left of its bar, inside."""
    overhang = first * math.cos(math.radians(SLANT)) + LABEL_SIZE
    return (overhang - (width - _RIGHT) / (2 * count)) / (1 - 1 / (2 * count))


def _one_line(text: str) -> str:
    """Return `text` on one line (a line break, U+2028 included, reads as a space)."""
    return " ".join(text.split())


def _wrap(text: str, width: float, measure: Measure) -> list[str] | None:
    """Return the label in at most two lines of `width` points, breaking at spaces; None when it does not fit."""
    lines: list[str] = []
    for word in text.split(" "):
        if lines and measure(lines[-1] + " " + word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    if len(lines) > 2 or any(measure(line) > width for line in lines):
        return None
    return lines if text else []


def _shorten(text: str, limit: float, measure: Measure) -> str:
    """Cut `text` to `limit` points with an ellipsis, so it cannot run off the drawing."""
    while measure(text) > limit and len(text) > 1:
        text = text[:-2] + "…"
    return text
