"""The PDF theme and the paragraph styles made from it, built once per process and theme.

Making ParagraphStyles per brief is measurable work, so `styles_for` caches them keyed by the
(frozen, hashable) theme.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from reportlab.lib.colors import Color, HexColor  # type: ignore[import-untyped]
from reportlab.lib.enums import TA_CENTER, TA_RIGHT  # type: ignore[import-untyped]
from reportlab.lib.styles import ParagraphStyle  # type: ignore[import-untyped]

from briefs.doctree import PARAGRAPH_ROLES

from .fonts import face_name, register_base_fonts

__all__ = ["PdfTheme", "Styles", "colour", "styles_for"]


@dataclass(frozen=True)
class PdfTheme:
    """Sizes, colours and margins of the PDF; the page size comes from the document's meta."""

    base_font_size: float = 10.5
    """Body text size in points; every other size scales with it."""
    heading_colour: str = "#1f3864"
    text_colour: str = "#1a1a1a"
    muted_colour: str = "#555555"
    """Subtitle, captions, small print, running header and footer."""
    link_colour: str = "#0b4ea2"
    rule_colour: str = "#aab4c8"
    """Table grid, heading rules, box edges."""
    table_header_fill: str = "#dde4f0"
    table_stripe_fill: str = "#f5f7fb"
    note_fill: str = "#eef2f8"
    """Background of notes and the bottom line."""
    caveat_fill: str = "#fdf3e1"
    caveat_rule: str = "#b7791f"
    bar_colour: str = "#2f5597"
    label_colours: tuple[tuple[str, str], ...] = (
        ("unverified", "#9c0006"),
        ("disputed", "#9c0006"),
        ("corrected", "#8a5300"),
        ("reported", "#1f3864"),
        ("confirmed", "#1e6b2f"),
        ("note", "#444444"),
    )
    """Label kind -> text colour; the label's words carry the meaning, the colour only helps."""
    margin_cm: float = 2.0

    def label_colour(self, kind: str) -> str:
        """Return the colour for a label kind, the muted colour for an unknown kind."""
        return dict(self.label_colours).get(kind, self.muted_colour)


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


def _style(name: str, parent: ParagraphStyle | None = None, **attributes: object) -> ParagraphStyle:
    return ParagraphStyle(name, parent, **attributes)


def _roles(body: ParagraphStyle, theme: PdfTheme, k: float) -> dict[str, ParagraphStyle]:
    heading, muted = colour(theme.heading_colour), colour(theme.muted_colour)
    bold, italic = face_name(True, False), face_name(False, True)
    roles = {
        "body": body,
        "title": _style("title", body, fontName=bold, fontSize=20 * k, leading=24 * k, textColor=heading,
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


def _headings(body: ParagraphStyle, theme: PdfTheme, k: float) -> tuple[ParagraphStyle, ParagraphStyle, ParagraphStyle]:
    bold, heading = face_name(True, False), colour(theme.heading_colour)
    return (
        _style("h1", body, fontName=bold, fontSize=13.5 * k, leading=17 * k, textColor=heading,
               spaceBefore=14 * k, spaceAfter=8 * k, keepWithNext=1),
        _style("h2", body, fontName=bold, fontSize=11 * k, leading=14 * k, textColor=heading,
               spaceBefore=9 * k, spaceAfter=3 * k, keepWithNext=1),
        _style("h3", body, fontName=face_name(True, True), fontSize=10.5 * k, leading=14 * k,
               spaceBefore=6 * k, spaceAfter=2 * k, keepWithNext=1),
    )


@lru_cache(maxsize=16)
def styles_for(theme: PdfTheme) -> Styles:
    """Return the styles for a theme, built on first use and then shared by every brief."""
    register_base_fonts()
    k = theme.base_font_size / 10.5
    body = _style("body", fontName=face_name(False, False), fontSize=theme.base_font_size, leading=14 * k,
                  textColor=colour(theme.text_colour), spaceAfter=6 * k,
                  splitLongWords=1)  # uriWasteReduce looks tempting but lets URLs overrun the margin (5.1)
    cell = _style("cell", body, fontSize=9.5 * k, leading=12 * k, spaceAfter=0)
    header_cell = _style("header-cell", cell, fontName=face_name(True, False))
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
    )
