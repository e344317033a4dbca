"""Measure how many lines a paragraph takes on a slide, so that a full slide continues on the next one.

Widths come from the font files' own advance widths (the theme's body font, else the shipped
DejaVu Sans), read once with reportlab's TrueType parser. A character the font lacks is taken as
one em when it is wide (CJK) and as 0.6 em otherwise. Lines break at spaces, and between any two
wide characters (Japanese and Chinese have no spaces), as PowerPoint and Impress break them.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path

from ...resources import fonts_dir
from ..theme import Theme

__all__ = ["Measure", "line_starts"]

_WIDE = "\u1100-\u11ff\u2e80-\ua4cf\uac00-\ud7af\uf900-\ufaff\uff00-\uffef"
"""Hangul jamo, CJK, kana, Hangul syllables, compatibility ideographs, full-width forms: a line may break between any two."""
_PIECES = re.compile(rf"\s+|[{_WIDE}]|[^\s{_WIDE}]+")
_SAFETY = 0.96
"""Lines are filled to this share of the width: renderers differ a little in kerning and fallback faces."""


@lru_cache(maxsize=8)
def _widths(path: Path) -> tuple[dict[int, int], int]:
    """Return the advance widths (thousandths of an em) of a TrueType file's characters, and its default width.

    Cached by the file's path (a value), 8 fonts at most; read-only after. A font file is read once per process,
    as the PDF's font registry reads it (`pdf.fonts.FONTS`), so the slides and the PDF measure with the same widths."""
    from reportlab.pdfbase.ttfonts import TTFontFace

    face = TTFontFace(str(path))
    return dict(face.charWidths), int(face.defaultWidth)


class Measure:
    """Text widths in points for one theme's body font, regular or bold."""

    def __init__(self, theme: Theme) -> None:
        family = theme.body_font
        regular = family.regular if family else fonts_dir() / "DejaVuSans.ttf"
        bold = (family.bold or family.regular) if family else fonts_dir() / "DejaVuSans-Bold.ttf"
        self._faces = (_widths(regular)[0], _widths(bold)[0])

    def width(self, text: str, size: float, bold: bool = False) -> float:
        """Return the width of `text` in points at `size` points."""
        widths = self._faces[bold]
        return sum(widths.get(ord(char)) or _missing(char) for char in text) * size / 1000

    def lines(self, text: str, width: float, size: float, bold: bool = False) -> int:
        """Return how many lines `text` wraps to in a box `width` points wide."""
        return len(line_starts(self, text, width, size, bold))


def _missing(char: str) -> int:
    return 1000 if unicodedata.east_asian_width(char) in ("W", "F") else 600


def line_starts(measure: Measure, text: str, width: float, size: float, bold: bool = False) -> list[int]:
    """Return the offset in `text` where each wrapped line starts (the first is 0)."""
    room = width * _SAFETY
    starts, used = [0], 0.0
    for start, piece in _pieces(text):
        wide = measure.width(piece, size, bold)
        if piece.isspace() or used + wide <= room:
            used += wide
        else:
            if used:
                starts.append(start)
            extra = int(wide // room)  # a word longer than a line (a long address) breaks inside, as renderers do
            starts += [start + len(piece) * (n + 1) // (extra + 1) for n in range(extra)]
            used = wide - extra * room
    return starts


def _pieces(text: str) -> Iterator[tuple[int, str]]:
    for match in _PIECES.finditer(text):
        yield match.start(), match.group()
