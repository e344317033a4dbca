"""Chinese, Japanese and Korean in the PDF: the face each language is set in, and a weight for its emphasis.

One table says which face a brief in each East Asian language is set in, so Japanese gets
Japanese glyph forms (直, 骨, 角 differ from the Chinese ones) and Chinese gets Chinese forms.
Such a brief in the built-in family is set in that face throughout (its Latin included: one
face, one rhythm). These faces have no bold and no italic: emphasis is drawn in a heavier weight
(the glyphs filled and outlined, as word processors embolden a face without bold), and nothing
is slanted, as CJK typography never slants.
"""

from __future__ import annotations

import dataclasses
from functools import lru_cache
from pathlib import Path
from typing import Any

from reportlab.lib.fonts import addMapping  # type: ignore[import-untyped]
from reportlab.lib.styles import ParagraphStyle  # type: ignore[import-untyped]
from reportlab.pdfgen.textobject import PDFTextObject  # type: ignore[import-untyped]

from ...languages import language_tag
from ...resources import fonts_dir
from ..theme import Theme
from .fonts import BUILTIN_FACES, FALLBACK_PATHS, FONTS, NAME_PREFIX, Faces
from .styles import Styles, styles_for

__all__ = ["FACE_BY_LANGUAGE", "EmboldeningText", "emboldens", "for_language"]

FACE_BY_LANGUAGE = {"ja": NAME_PREFIX + "IPAexGothic", "zh": NAME_PREFIX + "DroidSansFallback", "ko": NAME_PREFIX + "NanumGothic"}
"""Primary language subtag -> the fallback font (`fonts.FALLBACK_PATHS`) a brief in it is set in."""
_BOLD_SUFFIX = "-Emboldened"
_STROKE = 0.03
"""Outline width drawn around emboldened glyphs, as a fraction of the font size."""


def for_language(theme: Theme, language: str) -> Styles:
    """Return the theme's styles (`styles_for`), in a CJK language's face for the built-in family; unchanged otherwise
    (or if the face is missing)."""
    return _in_face(theme, FACE_BY_LANGUAGE.get(language_tag(language).split("-")[0]))


@lru_cache(maxsize=16)
def _in_face(theme: Theme, face: str | None) -> Styles:
    """Return the styles of `theme` in `face`, made once per process and theme (bounded like `styles_for`).

    Safe to keep: the key is the frozen theme's value and a face name, and the styles are never changed after they
    are made, so paragraphs of every brief share style objects (and the parsed-markup cache keyed by them).
    """
    styles = styles_for(theme)
    faces = _faces(face) if face is not None else None
    return _swapped(styles, dict(zip(BUILTIN_FACES, faces, strict=True))) if faces else styles


def _swapped(styles: Styles, swap: dict[str, str]) -> Styles:
    """Return `styles` with every built-in face replaced by its CJK counterpart in `swap`."""
    changed: dict[str, Any] = {}
    for field in dataclasses.fields(styles):
        value = getattr(styles, field.name)
        if isinstance(value, ParagraphStyle):
            changed[field.name] = _restyled(value, swap)
        elif isinstance(value, dict):
            changed[field.name] = {key: _restyled(style, swap) for key, style in value.items()}
        elif field.name.endswith("_faces"):
            changed[field.name] = tuple(swap.get(name, name) for name in value)
        else:
            changed[field.name] = tuple(_restyled(style, swap) for style in value)
    return dataclasses.replace(styles, **changed)


def _restyled(style: ParagraphStyle, swap: dict[str, str]) -> ParagraphStyle:
    font = swap.get(style.fontName, style.fontName)
    return ParagraphStyle(style.name, style, fontName=font, bulletFontName=swap.get(style.bulletFontName, font))


def _faces(face: str) -> Faces | None:
    """Register `face` and its emboldened twin once; return the four faces (None when the font is not found)."""
    candidates = dict(FALLBACK_PATHS)[face]
    path = next((p for p in (_path(c) for c in candidates) if p.is_file()), None)
    if path is None:
        return None
    bold = face + _BOLD_SUFFIX
    FONTS.face(face, path)
    FONTS.face(bold, path)
    for weight, name in ((0, face), (1, bold)):
        for slant in (0, 1):  # CJK is never slanted: italic maps to the upright face
            addMapping(face, weight, slant, name)
            addMapping(bold, weight, slant, bold)
    return face, bold, face, bold


def _path(candidate: str) -> Path:
    return Path(candidate) if "/" in candidate else fonts_dir() / candidate


def emboldens(font_names: Any) -> bool:
    """Whether any of `font_names` is an emboldened face: the paragraph needs an `EmboldeningText`."""
    return any(str(name).endswith(_BOLD_SUFFIX) for name in font_names)


class EmboldeningText(PDFTextObject):  # type: ignore[misc]
    """A text object that draws an emboldened face filled and outlined in the text colour (render mode 2)."""

    def setFont(self, psfontname: str, size: float, leading: float | None = None) -> None:
        super().setFont(psfontname, size, leading)
        self._weight(psfontname, size)

    def _setFont(self, psfontname: str, size: float) -> None:
        super()._setFont(psfontname, size)
        self._weight(psfontname, size)

    def setFillColor(self, aColor: Any, alpha: Any = None) -> None:
        super().setFillColor(aColor, alpha)
        super().setStrokeColor(aColor, alpha)

    def _weight(self, name: str, size: float) -> None:
        bold = name.endswith(_BOLD_SUFFIX)
        self._code.append(f"2 Tr {size * _STROKE:.3f} w" if bold else "0 Tr")
