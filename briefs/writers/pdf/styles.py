"""The theme and the paragraph styles made from it, built once per process and theme.

Making ParagraphStyles per brief is measurable work, so `styles_for` caches them keyed by the
(frozen, hashable) theme. A theme may name its own font families (TrueType files, embedded): a
character a theme face lacks falls back to DejaVu Sans and the fallback fonts (`runs.FontRuns`).
`briefs.theme` reads a theme from a YAML file.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from reportlab.lib.colors import Color, HexColor  # type: ignore[import-untyped]
from reportlab.lib.enums import TA_CENTER, TA_RIGHT  # type: ignore[import-untyped]
from reportlab.lib.styles import ParagraphStyle  # type: ignore[import-untyped]

from briefs.doctree import PARAGRAPH_ROLES

from ..theme import Theme
from .fonts import FONTS, Faces, face_flags

__all__ = ["Styles", "colour", "faces", "styles_for"]

_HEADING_STYLES = frozenset({"title", "h1", "h2", "h3"})
"""The paragraph styles in the theme's heading family; every other style is in its body family."""


def faces(theme: Theme) -> tuple[Faces, Faces]:
    """Return the reportlab face names of the body and the heading family, each indexed by `bold + 2 * italic`.

    The registry registers a theme's fonts here, when a PDF is written; raises ThemeError for one it cannot embed.
    """
    body = FONTS.family(theme.body_font)
    heading = FONTS.family(theme.heading_font) if theme.heading_font else body
    return body, heading


@lru_cache(maxsize=256)
def colour(value: str) -> Color:
    """Return the reportlab colour for '#rrggbb', parsed once."""
    return HexColor(value)


@dataclass(frozen=True)
class Styles:
    """Every paragraph style the writer uses, for one theme."""

    roles: dict[str, ParagraphStyle]
    """Paragraph role (doctree.PARAGRAPH_ROLES) -> style."""
    headings: tuple[ParagraphStyle, ParagraphStyle, ParagraphStyle]
    list_item: ParagraphStyle
    cell: ParagraphStyle
    cell_numeric: ParagraphStyle
    header_cell: ParagraphStyle
    header_cell_numeric: ParagraphStyle
    callout: ParagraphStyle
    disclaimer: ParagraphStyle
    running_header: ParagraphStyle
    body_faces: Faces
    heading_faces: Faces
    """The theme's families (`faces`): each style's font is one of its family's faces."""

    def face(self, style: ParagraphStyle) -> tuple[Faces, bool, bool]:
        """Return the family of a style's text and the weight and slant of its font, where fallback chains start."""
        family = self.heading_faces if style.name in _HEADING_STYLES else self.body_faces
        bold, italic = face_flags(style.fontName, family)
        return family, bold, italic


def _style(name: str, parent: ParagraphStyle | None = None, **attributes: object) -> ParagraphStyle:
    return ParagraphStyle(name, parent, **attributes)


def _roles(body: ParagraphStyle, theme: Theme, k: float) -> dict[str, ParagraphStyle]:
    heading, muted = colour(theme.heading_colour), colour(theme.muted_colour)
    (_, bold, italic, _), (_, heading_bold, _, _) = faces(theme)
    roles = {
        "body": body,
        "title": _style("title", body, fontName=heading_bold, fontSize=20 * k, leading=24 * k, textColor=heading,
                        spaceAfter=4 * k),
        "subtitle": _style("subtitle", body, fontSize=12 * k, leading=15.5 * k, textColor=muted, spaceAfter=6 * k),
        "meta": _style("meta", body, fontName=italic, fontSize=9.5 * k, leading=13 * k, textColor=muted,
                       spaceAfter=10 * k),
        "bottom-line": _style("bottom-line", body, spaceAfter=0),
        "question": _style("question", body, fontName=bold, spaceBefore=4 * k, spaceAfter=2 * k, keepWithNext=1),
        "source": _style("source", body, fontSize=9.5 * k, leading=12.5 * k, leftIndent=18 * k,
                         firstLineIndent=-18 * k, spaceAfter=3 * k),
        "caption": _style("caption", body, fontName=italic, fontSize=9 * k, leading=11.5 * k, textColor=muted,
                          spaceBefore=3 * k, spaceAfter=10 * k),
        "small": _style("small", body, fontSize=9 * k, leading=11.5 * k, textColor=muted),
    }
    assert set(roles) == set(PARAGRAPH_ROLES)
    return roles


def _headings(body: ParagraphStyle, theme: Theme, k: float) -> tuple[ParagraphStyle, ParagraphStyle, ParagraphStyle]:
    _, (_, bold, _, bold_italic) = faces(theme)
    heading = colour(theme.heading_colour)
    return (
        _style("h1", body, fontName=bold, fontSize=13.5 * k, leading=17 * k, textColor=heading,
               spaceBefore=14 * k, spaceAfter=8 * k, keepWithNext=1),
        _style("h2", body, fontName=bold, fontSize=11 * k, leading=14 * k, textColor=heading,
               spaceBefore=9 * k, spaceAfter=3 * k, keepWithNext=1),
        _style("h3", body, fontName=bold_italic, fontSize=10.5 * k, leading=14 * k,
               spaceBefore=6 * k, spaceAfter=2 * k, keepWithNext=1),
    )


@lru_cache(maxsize=16)
def styles_for(theme: Theme) -> Styles:
    """Return the styles for a theme, built on first use and then shared by every brief."""
    body_faces, heading_faces = faces(theme)
    regular, bold, _, _ = body_faces
    k = theme.base_font_size / 10.5
    body = _style("body", fontName=regular, fontSize=theme.base_font_size, leading=14 * k,
                  textColor=colour(theme.text_colour), spaceAfter=6 * k,
                  splitLongWords=1)  # uriWasteReduce looks tempting but lets URLs overrun the margin (5.1)
    cell = _style("cell", body, fontSize=9.5 * k, leading=12 * k, spaceAfter=0)
    header_cell = _style("header-cell", cell, fontName=bold)
    return Styles(
        roles=_roles(body, theme, k),
        headings=_headings(body, theme, k),
        list_item=_style("list-item", body, spaceAfter=2 * k),
        cell=cell,
        cell_numeric=_style("cell-numeric", cell, alignment=TA_RIGHT),
        header_cell=header_cell,
        header_cell_numeric=_style("header-cell-numeric", header_cell, alignment=TA_RIGHT),
        callout=_style("callout", body, fontSize=10 * k, leading=13.5 * k, spaceAfter=3 * k),
        disclaimer=_style("disclaimer", body, fontSize=8.5 * k, leading=11 * k, textColor=colour(theme.muted_colour),
                          spaceAfter=2 * k),
        running_header=_style("running-header", body, fontSize=8.5 * k, leading=10 * k,
                              textColor=colour(theme.muted_colour), alignment=TA_CENTER, spaceAfter=0),
        body_faces=body_faces,
        heading_faces=heading_faces,
    )
