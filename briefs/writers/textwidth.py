"""Measure chart strings in the built-in family (DejaVu Sans), for the formats whose reader draws the text.

The DOCX chart's picture and the HTML's SVG both print in DejaVu Sans, so both wrap their labels by
its advance widths, read from the shipped font file: the same widths the PDF measures with reportlab,
and so the same line breaks in all three. Characters the font lacks (CJK, emoji) count one em, as
wide characters print in the fallback fonts.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from PIL import ImageFont

from ..resources import fonts_dir
from .barchart import LABEL_SIZE

__all__ = ["label_width"]

_EM = 2048
"""The size the font is loaded at: its units per em, so advances come back exact, in font units."""


@lru_cache(maxsize=1)
def _font() -> ImageFont.FreeTypeFont:
    """Return the shipped DejaVu Sans, loaded once: one entry, a file that ships with the program and never changes."""
    return ImageFont.truetype(str(fonts_dir() / "DejaVuSans.ttf"), _EM, layout_engine=ImageFont.Layout.BASIC)


@lru_cache(maxsize=4096)
def _advance(char: str) -> float:
    """Return a character's advance in font units (no kerning: reportlab applies none either).

    Cached by the character (a value), at most 4096 of them, from a font that never changes: safe to share."""
    if unicodedata.east_asian_width(char) in ("W", "F"):
        return _EM
    return float(_font().getlength(char))


def label_width(text: str) -> float:
    """Return the width in points of `text` printed at the charts' label size."""
    return sum(_advance(char) for char in text) * LABEL_SIZE / _EM
