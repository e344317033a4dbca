"""Page sizes: one table that the command line, data files, config files and themes all read."""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator

from .suggest import did_you_mean

__all__ = ["MIN_TEXT_CM", "PAGE_SIZES", "PageName", "PageSize", "page_name", "room_problem"]

PageSize = tuple[float, float]
"""(width, height) in points."""

_CM = 72 / 2.54
PAGE_SIZES: dict[str, PageSize] = {
    "A3": (29.7 * _CM, 42.0 * _CM),
    "A4": (21.0 * _CM, 29.7 * _CM),
    "A5": (14.8 * _CM, 21.0 * _CM),
    "Letter": (612.0, 792.0),
    "Legal": (612.0, 1008.0),
}
"""Every page size a brief can have, by the name users write (in any case)."""

_BY_LOWER = {name.lower(): name for name in PAGE_SIZES}


def page_name(text: str) -> str:
    """Return the table's spelling of page size `text` ('letter' -> 'Letter'); raise ValueError when unknown."""
    name = _BY_LOWER.get(str(text).strip().lower())
    if name is None:
        suggestion = did_you_mean(str(text).strip(), PAGE_SIZES)
        raise ValueError(f"unknown page size {text!r}: {f'{suggestion} ' if suggestion else ''}use one of {', '.join(PAGE_SIZES)} "
                         "(any case)")
    return name


PageName = Annotated[str, AfterValidator(page_name)]

MIN_TEXT_CM = (9.0, 12.0)
"""The least room a page must leave for text between its margins, across and down, in cm."""


def room_problem(size: PageSize, margins_cm: tuple[float, float, float, float], name: str = "the page") -> str | None:
    """Say how margins (top, right, bottom, left, in cm) leave too little room on a page of `size` points; None when they fit."""
    width, height = size[0] / 72 * 2.54, size[1] / 72 * 2.54
    top, right, bottom, left = margins_cm
    across, down = width - left - right, height - top - bottom
    if across < MIN_TEXT_CM[0]:
        return (f"margins left and right ({left:g} + {right:g} cm) leave {across:.1f} cm of {name}'s {width:.1f} cm width; text needs "
                f"{MIN_TEXT_CM[0]:g} cm: make them smaller")
    if down < MIN_TEXT_CM[1]:
        return (f"margins top and bottom ({top:g} + {bottom:g} cm) leave {down:.1f} cm of {name}'s {height:.1f} cm height; text "
                f"needs {MIN_TEXT_CM[1]:g} cm: make them smaller")
    return None
"""A page size name in a YAML file, checked and spelled as in PAGE_SIZES."""
