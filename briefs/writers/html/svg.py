"""Draw a figure as an inline SVG bar chart, laid out as the PDF chart is (`pdf.chart`).

Same size (15 x 6.5 cm, in points as user units), same value axis (`ticks.axis`, so zeros, one
bar, negative values and huge ranges get the scale the other formats print), same colours. Text
is measured by an estimate rather than a font file: the browser draws the text, and the estimate
only decides when a category label wraps or slants. Every number is written with at most two
decimals, so the same figure always gives the same bytes.
"""

from __future__ import annotations

import math
import unicodedata
from html import escape

from briefs.doctree import Figure
from briefs.ticks import axis

from ...numbers import format_number
from ..theme import Theme

__all__ = ["bar_chart", "format_number"]

_WIDTH = 425.2
"""15 cm in points, the PDF chart's width."""
_HEIGHT = 184.25
"""6.5 cm."""
_LABEL_SIZE = 8.0
_TOP = 18.0
"""Room above the plot for the tallest bar's value label and the unit."""
_MAX_BAR = 56.0
_SLANTED_MAX = 120.0
_INK = "#333333"
_NARROW = frozenset("iljtfrI.,:;'!|()[] ")




def _n(value: float) -> str:
    """Return a coordinate with at most two decimals and no '-0', so output bytes are stable."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _text_width(text: str, size: float = _LABEL_SIZE) -> float:
    """Estimate a string's width in points in DejaVu Sans (wide CJK characters count one em)."""
    ems = 0.0
    for char in text:
        if unicodedata.east_asian_width(char) in ("W", "F"):
            ems += 1.0
        elif char in _NARROW:
            ems += 0.32
        else:
            ems += 0.62
    return ems * size


def _wrap(text: str, width: float) -> list[str] | None:
    """Return the label in at most two lines of `width` points, or None when it does not fit."""
    lines: list[str] = []
    for word in text.split():
        if lines and _text_width(lines[-1] + " " + word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    lines = lines or [""]
    if len(lines) > 2 or any(_text_width(line) > width for line in lines):
        return None
    return lines


def _shorten(text: str, limit: float = _SLANTED_MAX) -> str:
    """Cut a slanted label to `limit` points with an ellipsis, so it cannot run off the drawing."""
    while _text_width(text) > limit and len(text) > 1:
        text = text[:-2] + "…"
    return text


def _finite(value: float) -> float:
    return value if math.isfinite(value) else 0.0


def _text(x: float, y: float, text: str, fill: str, anchor: str = "middle", extra: str = "") -> str:
    return (f'<text x="{_n(x)}" y="{_n(y)}" fill="{fill}" text-anchor="{anchor}"{extra}>'
            f"{escape(text)}</text>")


def bar_chart(figure: Figure, theme: Theme, title_id: str) -> str:
    """Return an `<svg role="img">` of the figure's bars, titled by its alt text (element `title_id`)."""
    points = figure.points
    values = [_finite(value) for _, value in points] or [0.0]
    low, high, step = axis(values, 6, headroom=0.1)
    ticks = [low + step * index for index in range(round((high - low) / step) + 1)]
    count = max(len(points), 1)
    left = max(_text_width(format_number(v)) for v in (*values, *ticks)) * 1.35 + 10
    slot = (_WIDTH - left - 8) / count
    wrapped = [_wrap(name, slot - 4) for name, _ in points]
    slanted = any(lines is None for lines in wrapped)
    angle = math.radians(30)
    if slanted:
        names = [_shorten(name) for name, _ in points]
        widths = [_text_width(name) for name in names]
        below = 14 + max(widths) * math.sin(angle) + _LABEL_SIZE
        overhang = widths[0] * math.cos(angle) * 1.15 + _LABEL_SIZE  # room for a font wider than the estimate
        left = max(left, (overhang - (_WIDTH - 8) / (2 * count)) / (1 - 1 / (2 * count)))
        slot = (_WIDTH - left - 8) / count
    else:
        below = 14 + _LABEL_SIZE * 1.2 * max((len(lines or ()) for lines in wrapped), default=1)
    plot_height = _HEIGHT - _TOP - 14
    height = below + plot_height + _TOP
    plot_bottom = _TOP + plot_height

    def y_of(value: float) -> float:
        share = (min(max(value, low), high) - low) / (high - low)
        return plot_bottom - plot_height * share

    muted, rule = theme.muted_colour, theme.rule_colour
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" aria-labelledby="{escape(title_id)}" '
        f'viewBox="0 0 {_n(_WIDTH)} {_n(height)}" width="{_n(_WIDTH)}" height="{_n(height)}" '
        f'font-size="{_n(_LABEL_SIZE)}">',
        f'<title id="{escape(title_id)}">{escape(figure.alt)}</title>',
        '<g aria-hidden="true">',
    ]
    for tick in ticks:
        y = y_of(tick)
        parts.append(f'<line x1="{_n(left)}" y1="{_n(y)}" x2="{_n(_WIDTH - 8)}" y2="{_n(y)}" stroke="{rule}" stroke-width="0.25"/>')
        parts.append(_text(left - 5, y + 2.8, format_number(tick), muted, "end"))
    parts.append(f'<line x1="{_n(left)}" y1="{_n(plot_bottom)}" x2="{_n(_WIDTH - 8)}" y2="{_n(plot_bottom)}" '
                 f'stroke="{rule}" stroke-width="0.5"/>')
    bar = slot * min(0.62, _MAX_BAR / slot)
    zero = y_of(0.0)
    for index, ((name, raw), value) in enumerate(zip(points, values, strict=True)):
        centre = left + slot * (index + 0.5)
        end = y_of(value)
        top, size = min(zero, end), abs(zero - end)
        parts.append(f'<rect x="{_n(centre - bar / 2)}" y="{_n(top)}" width="{_n(bar)}" height="{_n(size)}" '
                     f'fill="{theme.bar_colour}"><title>{escape(name)}: {escape(format_number(raw))}</title></rect>')
        label_y = end - 4 if value >= 0 else end + 4 + _LABEL_SIZE
        parts.append(_text(centre, label_y, format_number(raw), _INK))
        if slanted:
            x, y = centre, plot_bottom + 3 + _LABEL_SIZE
            parts.append(_text(0, 0, names[index], _INK, "end", f' transform="translate({_n(x)} {_n(y)}) rotate(-30)"'))
        else:
            for line_no, line in enumerate(wrapped[index] or ()):
                parts.append(_text(centre, plot_bottom + 3 + _LABEL_SIZE * (1 + 1.2 * line_no), line, _INK))
    if figure.unit:
        parts.append(_text(0, _LABEL_SIZE, figure.unit, muted, "start"))
    parts.append("</g></svg>")
    return "".join(parts)
