"""Draw a figure as a vector bar chart (reportlab.graphics), every string in an embedded font.

reportlab's chart strings default to Helvetica, which is neither embedded nor able to print
non-Latin labels, so every label gets a font chosen from the fallback chain. A chart costs a few
ms to lay out, and the same figure recurs across a batch of briefs, so finished drawings are
cached (as plain shapes) with the warnings their labels raised: one cache per thread, because
drawing a shape marks it while it is drawn (reportlab sets and deletes `_parent` on every node),
so two threads drawing one cached shape at once break each other's PDF.
"""

from __future__ import annotations

import copy
import math
import threading
from collections.abc import Callable
from functools import lru_cache

from reportlab.graphics.charts.barcharts import VerticalBarChart  # type: ignore[import-untyped]
from reportlab.graphics.shapes import Drawing, Group, String, UserNode  # type: ignore[import-untyped]
from reportlab.lib.units import cm  # type: ignore[import-untyped]
from reportlab.lib.utils import simpleSplit  # type: ignore[import-untyped]
from reportlab.pdfbase.pdfmetrics import stringWidth  # type: ignore[import-untyped]

from briefs.doctree import Figure
from briefs.ticks import axis as value_axis

from ...numbers import format_number
from ..theme import Theme
from .fonts import BASE_FAMILY
from .runs import FontRuns
from .styles import colour

__all__ = ["bar_chart", "format_number"]

_WIDTH = 15 * cm
_HEIGHT = 6.5 * cm
_LABEL_SIZE = 8.0
_TOP = 18.0
"""Room above the plot for the value labels of the tallest bar and the unit."""
_MAX_BAR = 56.0
"""Widest bar, in points, so that three bars do not look like a wall."""
_SLANTED_MAX = 120.0
"""Longest slanted category label, in points; the data table beside the chart has the full text."""




def bar_chart(figure: Figure, theme: Theme, max_width: float, runs: FontRuns) -> Drawing:
    """Return a drawing of the figure's bars, at most `max_width` points wide (15 cm)."""
    drawing, warnings = _cached_chart(figure.points, figure.unit, theme, min(_WIDTH, max_width))
    for warning in warnings:
        message = f"{warning} (figure {figure.id})"
        if message not in runs.warnings:
            runs.warnings.append(message)
    return copy.copy(drawing)  # platypus sets layout attributes on flowables: share only the shapes


_Chart = tuple[Drawing, tuple[str, ...]]


class _PerThreadCache:
    """An `lru_cache` of drawings for each thread, so that a thread only ever draws shapes no other thread draws."""

    def __init__(self, draw: Callable[..., _Chart], maxsize: int) -> None:
        self._draw, self._maxsize, self._local = draw, maxsize, threading.local()

    def __call__(self, *key: object) -> _Chart:
        cache = getattr(self._local, "cache", None)
        if cache is None:
            cache = self._local.cache = lru_cache(maxsize=self._maxsize)(self._draw)
        result: _Chart = cache(*key)
        return result

    def cache_clear(self) -> None:
        """Forget this thread's drawings (to time a first draw)."""
        self._local.__dict__.pop("cache", None)


def _draw_chart(points: tuple[tuple[str, float], ...], unit: str | None, theme: Theme, width: float) -> _Chart:
    runs = FontRuns()
    labels = [runs.single_font(name) for name, _ in points]
    values = [value for _, value in points] or [0.0]
    chart = VerticalBarChart()
    chart.data = [values]
    _style_value_axis(chart, theme, values)
    left = max(stringWidth(format_number(v), BASE_FAMILY, _LABEL_SIZE) for v in (*values, 0)) * 1.35 + 10
    count = max(len(points), 1)
    bottom, overhang = _category_labels(chart, labels, (width - left - 8) / count)
    # A slanted first label reaches left of its bar's centre: move the plot right until it fits.
    left = max(left, (overhang - (width - 8) / (2 * count)) / (1 - 1 / (2 * count)))
    slot = (width - left - 8) / count
    chart.x, chart.y = left, bottom
    chart.width, chart.height = width - left - 8, _HEIGHT - _TOP - 14
    _style_bars(chart, theme, slot)
    drawing = Drawing(width, chart.y + chart.height + _TOP)
    drawing.initialFontName = BASE_FAMILY  # the renderer's starting font, else Helvetica (unembedded)
    drawing.add(_expanded(chart.draw()))  # plain shapes: nothing left to lay out when drawn again
    if unit:
        font, text = runs.single_font(unit)
        drawing.add(String(0, drawing.height - _LABEL_SIZE, text, fontName=font, fontSize=_LABEL_SIZE,
                           fillColor=colour(theme.muted_colour)))
    return drawing, tuple(runs.warnings)


_cached_chart = _PerThreadCache(_draw_chart, maxsize=64)


def _expanded(group: Group) -> Group:
    """Replace, in place, every widget inside the group by the shapes it draws (while the chart lives:
    its labels read their properties through weak references to it)."""
    for index, child in enumerate(group.contents):
        while isinstance(child, UserNode):
            child = child.provideNode()
        if isinstance(child, Group):
            _expanded(child)
        group.contents[index] = child
    return group


def _style_value_axis(chart: VerticalBarChart, theme: Theme, values: list[float]) -> None:
    axis = chart.valueAxis
    # Whole steps, with room above the tallest bar for its value label (the DOCX chart has the same scale).
    bottom, top, step = value_axis(values, 6, headroom=0.1)
    axis.valueMin, axis.valueMax, axis.valueStep = bottom, top, step
    axis.labels.fontName, axis.labels.fontSize = BASE_FAMILY, _LABEL_SIZE
    axis.labels.fillColor = colour(theme.muted_colour)
    axis.labelTextFormat = format_number
    axis.strokeColor = axis.gridStrokeColor = colour(theme.rule_colour)
    axis.visibleGrid, axis.gridStrokeWidth, axis.strokeWidth = 1, 0.25, 0.5
    axis.visibleAxis = 0


def _category_labels(chart: VerticalBarChart, labels: list[tuple[str, str]], slot: float) -> tuple[float, float]:
    """Set the category labels (wrapped to two lines, or slanted when still too wide).

    Return the room they need below the plot and how far the first one reaches left of its bar's centre.
    """
    axis = chart.categoryAxis
    axis.joinAxisMode = "bottom"  # labels under the plot, not on the zero line where a negative bar's label is
    axis.strokeWidth, axis.visibleTicks = 0.5, 0
    axis.labels.fontSize, axis.labels.fillColor, axis.labels.dy = _LABEL_SIZE, colour("#333333"), -3
    for index, (font, _) in enumerate(labels):
        axis.labels[index].fontName = font
    wrapped = [_wrap(text, font, slot - 4) for font, text in labels]
    if all(lines is not None for lines in wrapped):
        axis.categoryNames = ["\n".join(lines or ()) for lines in wrapped]
        axis.labels.boxAnchor = "n"
        return 14 + _LABEL_SIZE * 1.2 * max(len(lines or ()) for lines in wrapped), 0.0
    axis.categoryNames = [_shorten(text, font) for font, text in labels]
    axis.labels.angle, axis.labels.boxAnchor = 30, "ne"
    names = zip(axis.categoryNames, labels, strict=True)
    widths = [float(stringWidth(name, font, _LABEL_SIZE)) for name, (font, _) in names]
    angle = math.radians(30)
    return 14 + max(widths) * math.sin(angle) + _LABEL_SIZE, widths[0] * math.cos(angle) + _LABEL_SIZE


def _wrap(text: str, font: str, width: float) -> list[str] | None:
    """Return the label in at most two lines of `width` points, or None when it does not fit."""
    lines: list[str] = simpleSplit(text, font, _LABEL_SIZE, width) or [""]
    if len(lines) > 2 or any(stringWidth(line, font, _LABEL_SIZE) > width for line in lines):
        return None
    return lines


def _shorten(text: str, font: str, limit: float = _SLANTED_MAX) -> str:
    """Cut a slanted label to `limit` points with an ellipsis, so it cannot run off the drawing."""
    while stringWidth(text, font, _LABEL_SIZE) > limit and len(text) > 1:
        text = text[:-2] + "…"
    return text


def _style_bars(chart: VerticalBarChart, theme: Theme, slot: float) -> None:
    chart.bars[0].fillColor = colour(theme.bar_colour)
    chart.bars[0].strokeColor = None
    filled = min(0.62, _MAX_BAR / slot)  # share of each category's slot the bar takes
    chart.barWidth, chart.groupSpacing = 10, 10 * (1 - filled) / filled
    chart.barLabelFormat = format_number
    chart.barLabels.fontName, chart.barLabels.fontSize = BASE_FAMILY, _LABEL_SIZE
    chart.barLabels.fillColor = colour("#333333")
    chart.barLabels.nudge = 7
