"""Draw a figure as a vector bar chart (reportlab.graphics shapes), every string in an embedded font.

The geometry (axis, ticks, bars, wrapped labels) is the one every format draws (`writers.barchart`),
measured here with the fonts the strings print in. reportlab's strings default to Helvetica, which
is neither embedded nor able to print non-Latin labels, so every label gets a font chosen from the
fallback chain. The same figure recurs across a batch of briefs, so finished drawings are cached
with the warnings their labels raised: one cache per thread, because drawing a shape marks it while
it is drawn (reportlab sets and deletes `_parent` on every node), so two threads drawing one cached
shape at once break each other's PDF.
"""

from __future__ import annotations

import copy
import threading
from collections.abc import Callable
from functools import lru_cache

from reportlab import rl_config  # type: ignore[import-untyped]
from reportlab.graphics.shapes import Drawing, Group, Line, Rect, String  # type: ignore[import-untyped]
from reportlab.lib.units import cm  # type: ignore[import-untyped]
from reportlab.pdfbase.pdfmetrics import stringWidth  # type: ignore[import-untyped]

from briefs.doctree import Figure

from .. import barchart
from ..barchart import INK, LABEL_SIZE, Text
from ..theme import Theme
from . import redraw
from .fonts import BASE_FAMILY
from .runs import FontRuns
from .styles import colour

__all__ = ["bar_chart"]

def bar_chart(figure: Figure, theme: Theme, max_width: float, runs: FontRuns) -> Drawing:
    """Return a drawing of the figure's bars, at most `max_width` points wide (15 cm)."""
    drawing, warnings = _cached_chart(figure.points, figure.unit, theme, min(15 * cm, max_width))
    for warning in warnings:
        message = f"{warning} (figure {figure.id})"
        if message not in runs.warnings:
            runs.warnings.append(message)
    placed = copy.copy(drawing)  # platypus sets layout attributes on flowables: share only the shapes
    placed.__dict__["drawn_from"] = drawing  # Drawing refuses unknown attributes through setattr
    return placed


class _Chart(Drawing):  # type: ignore[misc]
    """A chart's drawing, drawn once per process and replayed after (`redraw`): a chart is a few hundred shapes, and
    the same figure recurs in every brief of an audience."""

    def draw(self, showBoundary: object = rl_config._unset_) -> None:
        kept = self.__dict__.get("drawn_from")
        key = None if kept is None else (kept, self.width, self.height, showBoundary)
        redraw.draw(key, self.canv, lambda: Drawing.draw(self, showBoundary))


_Drawn = tuple[Drawing, tuple[str, ...]]


class _PerThreadCache:
    """An `lru_cache` of drawings for each thread, so that a thread only ever draws shapes no other thread draws.

    Safe to keep: keyed by the chart's values (points, unit, frozen theme, width), `maxsize` per thread, gone with its
    thread; callers get a shallow copy (`bar_chart`), so layout never writes to a cached drawing."""

    def __init__(self, draw: Callable[..., _Drawn], maxsize: int) -> None:
        self._draw, self._maxsize, self._local = draw, maxsize, threading.local()

    def __call__(self, *key: object) -> _Drawn:
        cache = getattr(self._local, "cache", None)
        if cache is None:
            cache = self._local.cache = lru_cache(maxsize=self._maxsize)(self._draw)
        result: _Drawn = cache(*key)
        return result

    def cache_clear(self) -> None:
        """Forget this thread's drawings (to time a first draw)."""
        self._local.__dict__.pop("cache", None)


def _draw_chart(points: tuple[tuple[str, float], ...], unit: str | None, theme: Theme, width: float) -> _Drawn:
    runs = FontRuns()

    def measure(text: str) -> float:
        font, shown = runs.single_font(text)
        return float(stringWidth(shown, font, LABEL_SIZE))

    chart = barchart.bar_chart(points, unit, measure, width)
    drawing = _Chart(chart.width, chart.height)
    drawing.initialFontName = BASE_FAMILY  # the renderer's starting font, else Helvetica (unembedded)
    grid, ink, muted = colour(theme.rule_colour), colour(INK), colour(theme.muted_colour)
    for _, y in chart.ticks:
        drawing.add(Line(chart.left, chart.height - y, chart.right, chart.height - y, strokeColor=grid, strokeWidth=0.25))
    for bar in chart.bars:
        drawing.add(Rect(bar.x, chart.height - bar.top - bar.height, bar.width, bar.height,
                         fillColor=colour(theme.bar_colour), strokeColor=None))
    drawing.add(Line(chart.left, chart.height - chart.plot_bottom, chart.right, chart.height - chart.plot_bottom,
                     strokeColor=ink, strokeWidth=0.5))
    for text in (*chart.value_labels, *chart.category_labels):
        drawing.add(_string(text, chart.height, ink, runs))
    for text in chart.tick_labels:
        drawing.add(_string(text, chart.height, muted, runs))
    if chart.unit:
        drawing.add(_string(chart.unit, chart.height, muted, runs))
    return drawing, tuple(runs.warnings)


_cached_chart = _PerThreadCache(_draw_chart, maxsize=64)


def _string(text: Text, height: float, fill: object, runs: FontRuns) -> Group | String:
    """Return a chart string at its baseline point (y flipped: the geometry's y runs down), turned when slanted."""
    font, shown = runs.single_font(text.text)
    string = String(0, 0, shown, fontName=font, fontSize=LABEL_SIZE, fillColor=fill, textAnchor=text.anchor)
    group = Group(string)
    group.translate(text.x, height - text.y)
    if text.angle:
        group.rotate(text.angle)
    return group
