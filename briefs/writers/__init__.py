"""The writers, one module per format; each is a function of a Document, a binary stream and a Style.

    warnings = get_writer("pdf")(document, stream)          # built-in look
    warnings = get_writer("docx")(document, stream, style)  # a reference document, a logo, a page size

A `Style` is what a brief looks like beyond its layout; the pipeline resolves it once per data
file and format (`pipeline.style_for`), so writers never read settings or decide precedence.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, Literal, Protocol

from ..doctree import Document
from ..pages import PAGE_SIZES, PageSize

if TYPE_CHECKING:
    from .theme import Theme

__all__ = ["FORMATS", "PAGE_SIZES", "Logo", "PageSize", "Style", "Writer", "get_writer", "page_points"]

@dataclass(frozen=True)
class Logo:
    """An image at the top of the cover (page 1)."""

    image: Path
    """A PNG or JPEG file, already checked to exist and to open."""
    place: Literal["left", "center", "right"] = "left"
    width_cm: float = 3.0
    """Printed width; the height follows the image's proportions."""


@dataclass(frozen=True)
class Style:
    """How a brief looks beyond its layout: what a writer takes besides the document.

    Every field is optional; None means the built-in look. Writers ignore the fields of other formats.
    """

    page_size: PageSize | None = None
    """Resolved by `config.page_size` (command line, data file, theme or reference); None: the document's."""
    theme: Theme | None = None
    reference_docx: Path | None = None
    """A Word document whose styles, page setup, headers and footers the DOCX uses."""
    logo: Logo | None = None
    """The cover logo: the data file's, else the theme's."""


class Writer(Protocol):
    """A writer: put `document` on `out` in one format; return warnings (nothing is printed)."""

    def __call__(self, document: Document, out: BinaryIO, style: Style | None = None) -> list[str]: ...


FORMATS = ("docx", "pdf")
"""Output formats, in the order they are written."""


def get_writer(fmt: str) -> Writer:
    """Return the writer of `fmt`, importing only that format's libraries."""
    if fmt == "docx":
        from .docx import write as write_docx

        return write_docx
    if fmt == "pdf":
        from .pdf import write as write_pdf

        return write_pdf
    raise KeyError(fmt)


def page_points(style: Style | None, named: str) -> PageSize:
    """Return the style's page size, else the size called `named` (the document's), else A4."""
    if style is not None and style.page_size is not None:
        return style.page_size
    return PAGE_SIZES.get(named, PAGE_SIZES["A4"])
