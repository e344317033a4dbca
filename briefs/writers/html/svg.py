"""Draw a figure as an inline SVG bar chart, from the geometry every format draws (`writers.barchart`).

Same size, ticks, bars and wrapped labels as the PDF and DOCX charts, measured in the built-in
family the page names first (`textwidth`); the browser draws the text. Every number is written
with at most two decimals, so the same figure always gives the same bytes.
"""

from __future__ import annotations

from html import escape

from briefs.doctree import Figure

from .. import barchart
from ..barchart import INK, LABEL_SIZE, Text
from ..textwidth import label_width
from ..theme import Theme

__all__ = ["bar_chart"]

def _n(value: float) -> str:
    """Return a coordinate with at most two decimals and no '-0', so output bytes are stable."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _text(text: Text, fill: str) -> str:
    turn = f' transform="translate({_n(text.x)} {_n(text.y)}) rotate({_n(-text.angle)})"' if text.angle else ""
    x, y = ("0", "0") if text.angle else (_n(text.x), _n(text.y))
    return f'<text x="{x}" y="{y}" fill="{fill}" text-anchor="{text.anchor}"{turn}>{escape(text.text)}</text>'


def _line(x1: float, x2: float, y: float, colour: str, width: float) -> str:
    return f'<line x1="{_n(x1)}" y1="{_n(y)}" x2="{_n(x2)}" y2="{_n(y)}" stroke="{colour}" stroke-width="{_n(width)}"/>'


def bar_chart(figure: Figure, theme: Theme, title_id: str) -> str:
    """Return an `<svg role="img">` of the figure's bars, titled by its alt text (element `title_id`)."""
    chart = barchart.bar_chart(figure.points, figure.unit, label_width)
    muted = theme.muted_colour
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" aria-labelledby="{escape(title_id)}" '
        f'viewBox="0 0 {_n(chart.width)} {_n(chart.height)}" width="{_n(chart.width)}" height="{_n(chart.height)}" '
        f'font-size="{_n(LABEL_SIZE)}">',
        f'<title id="{escape(title_id)}">{escape(figure.alt)}</title>',
        '<g aria-hidden="true">',
        *(_line(chart.left, chart.right, y, theme.rule_colour, 0.25) for _, y in chart.ticks),
        *(f'<rect x="{_n(bar.x)}" y="{_n(bar.top)}" width="{_n(bar.width)}" height="{_n(bar.height)}" '
          f'fill="{theme.bar_colour}"><title>{escape(bar.name)}: {escape(bar.value)}</title></rect>' for bar in chart.bars),
        _line(chart.left, chart.right, chart.plot_bottom, INK, 0.5),
        *(_text(text, INK) for text in (*chart.value_labels, *chart.category_labels)),
        *(_text(text, muted) for text in chart.tick_labels),
        *((_text(chart.unit, muted),) if chart.unit else ()),
        "</g></svg>",
    ]
    return "".join(parts)
