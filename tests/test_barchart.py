"""One chart geometry (`writers.barchart`): the DOCX, PDF and HTML charts of a figure print the same
ticks, value labels and wrapped category labels, read back from what each renderer draws."""

from __future__ import annotations

import dataclasses
import io
import math

import lxml.html
import pytest
from reportlab.graphics.shapes import Group, String  # type: ignore[import-untyped]

from briefs.doctree import Document, Figure, Text
from briefs.writers import Style, get_writer
from briefs.writers.barchart import BarChart, bar_chart
from briefs.writers.docx import chart as docx_chart
from briefs.writers.pdf.chart import bar_chart as pdf_chart
from briefs.writers.pdf.fonts import FontRuns
from briefs.writers.textwidth import label_width
from briefs.writers.theme import Theme
from tests.kitchen_sink import kitchen_sink

POINTS = (("China", 270000.0), ("Democratic Republic of the Congo", 1234.567), ("United States", 45000.0),
          ("Lao People's Democratic Republic", 0.5))
"""Two labels too wide for one line under their bar, one number with decimals."""


def _figure(points: tuple[tuple[str, float], ...] = POINTS) -> Figure:
    return Figure("fig", "Output", points, "t REO", "Bar chart of output.", (Text("Figure 1. Output."),))


def _document(figure: Figure) -> Document:
    return dataclasses.replace(kitchen_sink(), blocks=(figure,))


def _svg_strings(figure: Figure) -> list[str]:
    out = io.BytesIO()
    get_writer("html")(_document(figure), out, Style())
    svg = lxml.html.document_fromstring(out.getvalue()).xpath("//svg")[0]
    return [text.text for text in svg.iter("text")]


def _pdf_strings(figure: Figure) -> list[str]:
    drawing = pdf_chart(figure, Theme(), 15 / 2.54 * 72, FontRuns())
    return [node.text for node in _walk(drawing.contents) if isinstance(node, String)]


def _walk(nodes: list[object]) -> list[object]:
    return [leaf for node in nodes for leaf in (_walk(node.contents) if isinstance(node, Group) else [node])]


def _docx_geometry(figure: Figure, monkeypatch: pytest.MonkeyPatch) -> BarChart:
    """Write a DOCX of the figure and return the geometry its Pillow renderer was given."""
    given: list[BarChart] = []
    draw = docx_chart.draw_png
    monkeypatch.setattr(docx_chart, "draw_png", lambda chart, theme: given.append(chart) or draw(chart, theme))
    docx_chart.bar_chart_png.cache_clear()
    get_writer("docx")(_document(figure), io.BytesIO(), Style())
    assert len(given) == 1
    return given[0]


def _strings(chart: BarChart) -> list[str]:
    """Return a geometry's strings in the order the renderers draw them."""
    texts = (*chart.value_labels, *chart.category_labels, *chart.tick_labels, *((chart.unit,) if chart.unit else ()))
    return [text.text for text in texts]


def test_the_three_charts_of_a_figure_print_the_same_ticks_values_and_wrapped_labels(monkeypatch: pytest.MonkeyPatch) -> None:
    figure = _figure()
    geometry = _docx_geometry(figure, monkeypatch)
    assert _svg_strings(figure) == _pdf_strings(figure) == _strings(geometry)
    assert [text.text for text in geometry.tick_labels] == ["0", "100,000", "200,000", "300,000"]
    assert "1,234.57" in _strings(geometry)  # the one number format (`numbers.format_number`)
    assert geometry.label_lines() == (("China",), ("Democratic Republic", "of the Congo"), ("United States",),
                                      ("Lao People's", "Democratic Republic"))


def test_a_label_too_long_to_wrap_slants_in_every_format(monkeypatch: pytest.MonkeyPatch) -> None:
    figure = _figure(tuple((f"Supercalifragilistic-{n}", float(n)) for n in range(1, 9)))
    geometry = _docx_geometry(figure, monkeypatch)
    assert all(label.angle == 30 for label in geometry.category_labels) and len(geometry.category_labels) == 8
    assert _svg_strings(figure) == _pdf_strings(figure) == _strings(geometry)


def test_a_negative_bar_hangs_below_zero_with_its_label_under_it() -> None:
    chart = bar_chart((("Gain", 12.5), ("Loss", -7.25)), None, label_width)
    zero = next(y for value, y in chart.ticks if value == 0)
    gain, loss = chart.bars
    assert gain.top + gain.height == pytest.approx(zero) and loss.top == pytest.approx(zero)
    assert chart.value_labels[1].y > loss.top + loss.height  # under the bar's end
    assert chart.ticks[0][0] < -7.25


@pytest.mark.parametrize("points", [
    (("A", 0.0), ("B", 0.0)),
    (("Tiny", 0.001), ("Huge", 1e12)),
    (("Inf", math.inf), ("One", 1.0)),
    tuple((f"A rather long category name {n}", float(n)) for n in range(14)),
])
def test_every_bar_and_label_of_awkward_data_stays_inside_the_chart(points: tuple[tuple[str, float], ...]) -> None:
    chart = bar_chart(points, "a unit " * 30, label_width)
    assert len(chart.bars) == len(points)
    for bar in chart.bars:
        assert bar.x >= 0 and bar.x + bar.width <= chart.width and 0 <= bar.top <= bar.top + bar.height <= chart.height
    for text in (*chart.tick_labels, *chart.value_labels, *chart.category_labels, chart.unit):
        assert text is not None and 0 <= text.y <= chart.height
        reach = label_width(text.text) * (math.cos(math.radians(text.angle)) if text.anchor == "end" else 1)
        assert text.x - (reach if text.anchor == "end" else 0) >= -0.01, text
