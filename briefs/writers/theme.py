"""The theme: one look for every format (fonts, sizes, colours, spacing, margins, page, logo).

A plain value, read from YAML by `briefs.theme` and handed to each writer in its `Style`: the
DOCX writer makes its Word styles from it, the PDF writer its paragraph styles, the HTML writer
its CSS. None of them imports another's library to read it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from .roles import RoleStyle, ThemeColour, scale

if TYPE_CHECKING:
    from . import Logo

__all__ = ["BUILTIN_FAMILY", "FontFamily", "RoleStyle", "Theme"]

BUILTIN_FAMILY = "DejaVu Sans"
"""The built-in family's name as word processors and browsers know it (embedded in the PDF)."""


@dataclass(frozen=True)
class FontFamily:
    """A font family a theme embeds: TrueType (glyf-outline) files; a face left out uses the regular one."""

    name: str
    """The family's name in messages; the PDF names each face by its file's PostScript name."""
    regular: Path
    bold: Path | None = None
    italic: Path | None = None
    bold_italic: Path | None = None

    def files(self) -> tuple[Path, Path, Path, Path]:
        """Return the files of the four faces, indexed by `bold + 2 * italic`."""
        bold = self.bold or self.regular
        italic = self.italic or self.regular
        return self.regular, bold, italic, self.bold_italic or self.bold or self.italic or self.regular


@dataclass(frozen=True)
class Theme:
    """Sizes, colours and margins of the PDF; the page size comes from the document's meta."""

    base_font_size: float = 10.5
    """Body text size in points; every other size scales with it (`roles`)."""
    role_sizes: tuple[tuple[str, float], ...] = ()
    """Role (a name in `roles.ROLES`) -> its size in points, instead of the scaled one."""
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
    margins_cm: tuple[float, float, float, float] = (2.0, 2.0, 2.0, 2.0)
    """Top, right, bottom, left."""
    body_font: FontFamily | None = None
    """None: the built-in DejaVu Sans, with its fallback chain for other scripts."""
    heading_font: FontFamily | None = None
    """Title and headings; None: the body font."""
    page_size: str | None = None
    """A name in `briefs.writers.PAGE_SIZES`; only the pipeline reads it (`config.page_size`)."""
    logo: Logo | None = None
    """Printed at the top of page 1 unless the data file brings its own logo."""

    @cached_property
    def roles(self) -> dict[str, RoleStyle]:
        """Return the type scale (role -> size, leading, spacing, weight, colour), computed once per theme."""
        return scale(self.base_font_size, dict(self.role_sizes))

    def colour(self, name: ThemeColour) -> str:
        """Return the value of a colour the role table names."""
        return {"heading": self.heading_colour, "text": self.text_colour, "muted": self.muted_colour,
                "link": self.link_colour}[name]

    def label_colour(self, kind: str) -> str:
        """Return the colour for a label kind, the muted colour for an unknown kind."""
        return dict(self.label_colours).get(kind, self.muted_colour)

    def family_name(self, headings: bool = False) -> str:
        """Return the font family's name for formats that name fonts rather than embed them (DOCX, HTML)."""
        family = (self.heading_font or self.body_font) if headings else self.body_font
        return family.name if family else BUILTIN_FAMILY
