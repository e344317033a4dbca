"""Draw a figure as a sharp PNG bar chart for Word, once per distinct figure per process.

The geometry is the one every format draws (`writers.barchart`), measured in DejaVu Sans
(`textwidth`), the family the picture prints in; Pillow only turns its points into pixels, at
200 dpi. Pillow draws one in about 20 ms; matplotlib would cost 0.7 s to import and 90 ms a chart.
"""

from __future__ import annotations

import io
import math
from functools import lru_cache

from PIL import Image, ImageColor, ImageDraw, ImageFont

from ...resources import fonts_dir
from ..barchart import INK, LABEL_SIZE, BarChart, Text, bar_chart
from ..textwidth import label_width
from ..theme import Theme

__all__ = ["DPI", "WIDTH_CM", "bar_chart_png", "draw_png"]

WIDTH_CM = 15.0
"""The picture's width in the document; its height follows the chart's (labels on two lines make it taller)."""
DPI = 200
_SCALE = DPI / 72
"""Pixels per point."""
_BUILTIN = Theme()
_ANCHORS = {"start": "ls", "middle": "ms", "end": "rs"}
"""Geometry anchor -> Pillow's (left, middle or right end, on the baseline)."""


@lru_cache(maxsize=1)
def _font() -> ImageFont.FreeTypeFont:
    """Return the shipped DejaVu Sans at the label size, loaded once: one entry, a file that never changes."""
    return ImageFont.truetype(str(fonts_dir() / "DejaVuSans.ttf"), round(LABEL_SIZE * _SCALE))


@lru_cache(maxsize=64)
def bar_chart_png(points: tuple[tuple[str, float], ...], unit: str | None, theme: Theme = _BUILTIN) -> bytes:
    """Return PNG bytes of a bar chart of `points` ((label, value) pairs), `unit` above the axis, in the theme's colours.

    Cached by those values (the theme is frozen), 64 charts at most; the bytes are immutable, so briefs share them."""
    return draw_png(bar_chart(points, unit, label_width, WIDTH_CM / 2.54 * 72), theme)


def draw_png(chart: BarChart, theme: Theme) -> bytes:
    """Return PNG bytes of `chart`, drawn at `DPI`."""
    image = Image.new("RGB", (_px(chart.width), _px(chart.height)), "white")
    draw = ImageDraw.Draw(image)
    for _, y in chart.ticks:
        draw.line([(_at(chart.left), _at(y)), (_at(chart.right), _at(y))], fill=theme.rule_colour, width=_px(0.25))
    for bar in chart.bars:
        if bar.height > 0:
            draw.rectangle([_at(bar.x), _at(bar.top), _at(bar.x + bar.width), _at(bar.top + bar.height)], fill=theme.bar_colour)
    draw.line([(_at(chart.left), _at(chart.plot_bottom)), (_at(chart.right), _at(chart.plot_bottom))], fill=INK, width=_px(0.5))
    for text in (*chart.value_labels, *chart.category_labels):
        _text(image, draw, text, INK)
    for text in (*chart.tick_labels, *((chart.unit,) if chart.unit else ())):
        _text(image, draw, text, theme.muted_colour)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=False, dpi=(DPI, DPI))
    return out.getvalue()


def _px(points: float) -> int:
    """Return a length in whole pixels, at least one."""
    return max(1, round(points * _SCALE))


def _at(points: float) -> float:
    return points * _SCALE


def _text(image: Image.Image, draw: ImageDraw.ImageDraw, text: Text, fill: str) -> None:
    if not text.angle:
        draw.text((_at(text.x), _at(text.y)), text.text, font=_font(), fill=fill, anchor=_ANCHORS[text.anchor])
        return
    layer, (x, y) = _turned(text, fill)
    image.paste(layer, (round(_at(text.x) - x), round(_at(text.y) - y)), layer)


def _turned(text: Text, fill: str) -> tuple[Image.Image, tuple[float, float]]:
    """Return the text drawn on a transparent layer turned by its angle, and where its anchor point is on it."""
    font = _font()
    ascent, descent = font.getmetrics()
    width = math.ceil(font.getlength(text.text)) + 2
    layer = Image.new("RGBA", (width, ascent + descent + 2), (255, 255, 255, 0))
    start = {"start": 1.0, "middle": width / 2, "end": width - 1.0}[text.anchor]
    ImageDraw.Draw(layer).text((start, 1 + ascent), text.text, font=font, fill=ImageColor.getrgb(fill), anchor=_ANCHORS[text.anchor])
    dx, dy = start - layer.width / 2, 1 + ascent - layer.height / 2
    turned = layer.rotate(text.angle, resample=Image.Resampling.BICUBIC, expand=True)
    angle = math.radians(text.angle)  # anticlockwise on screen, where y runs down
    return turned, (turned.width / 2 + dx * math.cos(angle) + dy * math.sin(angle),
                    turned.height / 2 - dx * math.sin(angle) + dy * math.cos(angle))
