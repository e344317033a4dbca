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

from ..roles import ROLES, RoleStyle
from ..theme import Theme
from .fonts import FONTS, Faces, face_flags

__all__ = ["Styles", "colour", "faces", "styles_for"]

_HEADING_STYLES = frozenset(name for name, role in ROLES.items() if role.headings)
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
    """Return the reportlab colour for '#rrggbb', parsed once (keyed by the string, 256 at most; colours are not changed)."""
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


def _from_role(name: str, role: RoleStyle, theme: Theme, parent: ParagraphStyle | None = None,
               **attributes: object) -> ParagraphStyle:
    """Return the paragraph style of one role of the type scale (`roles`), in its family's face."""
    body, heading = faces(theme)
    family = heading if role.headings else body
    return _style(name, parent, fontName=family[role.bold + 2 * role.italic], fontSize=role.size, leading=role.leading,
                  textColor=colour(theme.colour(role.colour)), spaceBefore=role.space_before,
                  spaceAfter=role.space_after, **attributes)


def _roles(body: ParagraphStyle, theme: Theme) -> dict[str, ParagraphStyle]:
    table, k = theme.roles, theme.base_font_size / 10.5
    roles = {"body": body}
    for name in ("title", "subtitle", "meta", "bottom-line", "caption", "small"):
        roles[name] = _from_role(name, table[name], theme, body)
    roles["question"] = _from_role("question", table["question"], theme, body, keepWithNext=1)
    roles["source"] = _from_role("source", table["source"], theme, body, leftIndent=18 * k, firstLineIndent=-18 * k)
    assert set(roles) == set(PARAGRAPH_ROLES)
    return roles


def _headings(body: ParagraphStyle, theme: Theme) -> tuple[ParagraphStyle, ParagraphStyle, ParagraphStyle]:
    h1, h2, h3 = (_from_role(name, theme.roles[name], theme, body, keepWithNext=1) for name in ("h1", "h2", "h3"))
    return h1, h2, h3


@lru_cache(maxsize=16)
def styles_for(theme: Theme) -> Styles:
    """Return the styles for a theme, built on first use and then shared by every brief.

    Safe to keep: keyed by the frozen theme's value, 16 themes at most, and no writer changes a style once made
    (a language's face is a copy: `cjk.for_language`); the fonts they name stay registered in `fonts.FONTS`."""
    body_faces, heading_faces = faces(theme)
    table = theme.roles
    body = _from_role("body", table["body"], theme,
                      splitLongWords=1)  # uriWasteReduce looks tempting but lets URLs overrun the margin (5.1)
    cell = _from_role("cell", table["cell"], theme, body)
    header_cell = _style("header-cell", cell, fontName=body_faces[1])
    return Styles(
        roles=_roles(body, theme),
        headings=_headings(body, theme),
        list_item=_from_role("list-item", table["list-item"], theme, body),
        cell=cell,
        cell_numeric=_style("cell-numeric", cell, alignment=TA_RIGHT),
        header_cell=header_cell,
        header_cell_numeric=_style("header-cell-numeric", header_cell, alignment=TA_RIGHT),
        callout=_from_role("callout", table["callout"], theme, body),
        disclaimer=_from_role("disclaimer", table["disclaimer"], theme, body),
        running_header=_from_role("running-header", table["running"], theme, body, alignment=TA_CENTER),
        body_faces=body_faces,
        heading_faces=heading_faces,
    )
