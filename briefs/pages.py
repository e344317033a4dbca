"""Page sizes: one table that the command line, data files, config files and PDF themes all read."""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator

__all__ = ["PAGE_SIZES", "PageName", "PageSize", "page_name"]

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
        raise ValueError(f"unknown page size {text!r}: use one of {', '.join(PAGE_SIZES)} (any case)")
    return name


PageName = Annotated[str, AfterValidator(page_name)]
"""A page size name in a YAML file, checked and spelled as in PAGE_SIZES."""
