"""The type scale: one size, leading, spacing, weight and colour per role, for every format.

Written once here at the base size 10.5 pt and scaled with the theme's `base_font_size`; a theme
may also set a role's size (`Theme.role_sizes`). The DOCX writer turns these points into Word
half-points and twips, the PDF writer into paragraph styles, the HTML writer into `em` and
`line-height`, so the title, the headings and the small print have one size in all three.

    role          size  leading  before  after  look
    title         20    24       0       4      bold, heading colour, heading family
    h1 / h2 / h3  13.5 / 11 / 10.5            bold (h3 also italic), heading family
    body          10.5  14       0       6
    meta          9.5   13       0       10     italic, muted
    source        9.5   12.5     0       3
    caption       9     11.5     3       10     italic, muted
    small         9     11.5     0       6      muted
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Literal

__all__ = ["BASE_SIZE", "ROLES", "RoleStyle", "ThemeColour", "scale"]

BASE_SIZE = 10.5
"""The body size, in points, the table below is written at."""

ThemeColour = Literal["heading", "text", "muted", "link"]
"""A colour the theme names (`Theme.colour`), not a value: a theme changes it in one place."""


@dataclass(frozen=True)
class RoleStyle:
    """How one role's text looks; lengths in points."""

    size: float
    leading: float
    """Baseline to baseline (the PDF's leading; HTML's line-height is leading / size)."""
    space_before: float = 0.0
    space_after: float = 0.0
    bold: bool = False
    italic: bool = False
    colour: ThemeColour = "text"
    headings: bool = False
    """Set in the theme's heading family rather than its body family."""


ROLES: dict[str, RoleStyle] = {
    "body": RoleStyle(10.5, 14, space_after=6),
    "title": RoleStyle(20, 24, space_after=4, bold=True, colour="heading", headings=True),
    "subtitle": RoleStyle(12, 15.5, space_after=6, colour="muted"),
    "meta": RoleStyle(9.5, 13, space_after=10, italic=True, colour="muted"),
    "h1": RoleStyle(13.5, 17, 14, 8, bold=True, colour="heading", headings=True),
    "h2": RoleStyle(11, 14, 9, 3, bold=True, colour="heading", headings=True),
    "h3": RoleStyle(10.5, 14, 6, 2, bold=True, italic=True, headings=True),
    "question": RoleStyle(10.5, 14, 4, 2, bold=True),
    "list-item": RoleStyle(10.5, 14, space_after=2),
    "bottom-line": RoleStyle(10.5, 14),
    "source": RoleStyle(9.5, 12.5, space_after=3),
    "caption": RoleStyle(9, 11.5, 3, 10, italic=True, colour="muted"),
    "small": RoleStyle(9, 11.5, space_after=6, colour="muted"),
    "cell": RoleStyle(9.5, 12),
    "callout": RoleStyle(10, 13.5, space_after=3),
    "disclaimer": RoleStyle(8.5, 11, space_after=2, colour="muted"),
    "running": RoleStyle(8.5, 10, colour="muted"),
    "label": RoleStyle(0.86 * 10.5, 14, bold=True, colour="muted"),
}
"""Role -> its look at the base size. `running` is the page header and footer; `label` a status label
(its colour is the label kind's where the theme gives one)."""


def scale(base_size: float, sizes: Mapping[str, float] | None = None) -> dict[str, RoleStyle]:
    """Return every role scaled to `base_size`, with `sizes` (role -> points) overriding a role's size.

    An overridden role keeps its proportions: its leading and spacing grow with its size.
    """
    k = base_size / BASE_SIZE
    table = {name: _scaled(role, k) for name, role in ROLES.items()}
    for name, size in (sizes or {}).items():
        table[name] = _scaled(table[name], size / table[name].size)
    return table


def _scaled(role: RoleStyle, k: float) -> RoleStyle:
    return replace(role, size=role.size * k, leading=role.leading * k, space_before=role.space_before * k,
                   space_after=role.space_after * k)
