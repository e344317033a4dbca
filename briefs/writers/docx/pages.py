"""How many pages a DOCX takes: python-docx has no layout engine, so the PDF writer lays it out under the DOCX's page.

The DOCX takes its page size, margins, font sizes and faces from the same theme as the PDF (or its page size and
margins from a reference document), so the PDF layout of that page is the DOCX's; the tests check it with LibreOffice.
"""

from __future__ import annotations

import dataclasses
from functools import lru_cache
from pathlib import Path

import docx

from ...doctree import Document
from .. import Style
from ..theme import Theme
from .base import is_builtin_reference

__all__ = ["measure"]

_EMU_PER_CM = 360_000


def measure(document: Document, style: Style) -> int:
    """Return how many pages `document` takes as a DOCX under `style`."""
    from ..pdf import measure as pdf_pages

    theme = style.theme or Theme()
    if style.reference_docx is not None and not is_builtin_reference(style.reference_docx):
        stat = style.reference_docx.stat()
        theme = dataclasses.replace(theme, margins_cm=_margins_cm(style.reference_docx, stat.st_mtime_ns, stat.st_size))
    return pdf_pages(document, Style(page_size=style.page_size, theme=theme, logo=style.logo))


@lru_cache(maxsize=8)
def _margins_cm(reference: Path, _mtime_ns: int, _size: int) -> tuple[float, float, float, float]:
    """Return the reference document's margins (top, right, bottom, left) in cm, as a theme states them, read once per
    version of the file (a reference saved anew while previewing is read anew)."""
    section = docx.Document(str(reference)).sections[-1]
    sides = (section.top_margin, section.right_margin, section.bottom_margin, section.left_margin)
    return tuple(round((side or 0) / _EMU_PER_CM, 2) for side in sides)  # type: ignore[return-value]
