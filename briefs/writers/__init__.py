"""The writers, one module per format; each is a function of a Document, a binary stream and a Style.

    warnings = get_writer("pdf")(document, stream)          # built-in look
    warnings = get_writer("docx")(document, stream, style)  # a reference document, a logo, a page size

A `Style` is what a brief looks like beyond its layout; the pipeline resolves it once per data
file and format (`pipeline.style_for`), so writers never read settings or decide precedence.
"""

from __future__ import annotations

import dataclasses
import importlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, Literal, Protocol

from ..doctree import Document
from ..pages import PAGE_SIZES, PageSize

if TYPE_CHECKING:
    from .theme import Theme

__all__ = [
    "DEFAULT_FORMATS", "FORMATS", "PAGE_FORMAT", "PAGE_SIZES", "WRITERS", "Logo", "PageSize", "ReferenceReader",
    "Style", "Writer", "WriterSpec", "get_writer", "own_style", "page_points",
]

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
    reference_pptx: Path | None = None
    """A PowerPoint deck whose masters and layouts (by name) the PPTX uses; checked when loaded."""


class Writer(Protocol):
    """A writer: put `document` on `out` in one format; return warnings (nothing is printed)."""

    def __call__(self, document: Document, out: BinaryIO, style: Style | None = None) -> list[str]: ...


StyleField = Literal["page_size", "theme", "reference_docx", "logo", "reference_pptx"]


@dataclass(frozen=True)
class ReferenceReader:
    """How a format that reads a reference document (`Style.reference_docx`) checks one, and what it takes from it."""

    check: Callable[[Path], None]
    """Raise ThemeError naming the file when the writer cannot write with it (tried when it is loaded, never halfway)."""
    page_size: Callable[[Path], str | PageSize | None]
    """The page size the reference sets, None when it sets none."""
    is_builtin: Callable[[Path], bool]
    """Whether it is the shipped reference, unchanged (then the theme still styles this format)."""


@dataclass(frozen=True)
class WriterSpec:
    """Everything the rest of the program knows about one output format: a row of `WRITERS`.

    Generating, style resolution, batch planning and keys, the worker preload, `serve` and the
    tests read these fields and nothing else, so a new format is one module and one row.
    """

    module: str
    """The writer's module, holding `write` (a `Writer`); imported on first use, with its libraries."""
    media_type: str
    """For downloads and e-mail attachments."""
    reads: frozenset[StyleField]
    """The `Style` fields the writer reads: a batch hashes those only and clears the others, so that
    editing, say, the reference document re-renders no PDF."""
    libraries: tuple[str, ...]
    """Distributions whose version can change the bytes (a batch re-renders when one changes)."""
    default: bool = True
    """Written when no `--format` is given."""
    files: Callable[[], Iterable[Path]] | None = None
    """Files beyond the style that the bytes depend on (the fonts a PDF may embed), for batch keys."""
    page: bool = False
    """A page a browser shows: the preview's pages are written in this format (one row has it), the others downloaded."""
    reference: ReferenceReader | None = None
    """For a writer that reads `reference_docx`: how it checks a reference document and reads its page size."""

    def load(self) -> Writer:
        """Import the writer's module and return its `write`."""
        writer: Writer = importlib.import_module(self.module).write
        return writer


def _pdf_fonts() -> Iterable[Path]:
    from .pdf.fonts import font_files

    return font_files()


def _check_docx_reference(reference: Path) -> None:
    from .docx import check_reference

    check_reference(reference)


def _docx_reference_page(reference: Path) -> str | PageSize | None:
    from .docx.base import base_for

    page: str | PageSize | None = base_for(reference).page_size
    return page


def _docx_reference_is_builtin(reference: Path) -> bool:
    from .docx.base import is_builtin_reference

    return is_builtin_reference(reference)


def _shipped_fonts() -> Iterable[Path]:
    from ..resources import fonts_dir

    return sorted(fonts_dir().glob("*.ttf"))  # the chart's labels are measured with them


WRITERS: dict[str, WriterSpec] = {
    "docx": WriterSpec("briefs.writers.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                       frozenset({"page_size", "theme", "reference_docx", "logo"}), ("python-docx", "pillow", "lxml"),
                       files=_shipped_fonts,
                       reference=ReferenceReader(_check_docx_reference, _docx_reference_page, _docx_reference_is_builtin)),
    "pdf": WriterSpec("briefs.writers.pdf", "application/pdf", frozenset({"page_size", "theme", "logo"}),
                      ("reportlab", "pillow"), files=_pdf_fonts),
    "pptx": WriterSpec("briefs.writers.pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation",
                       frozenset({"theme", "logo", "reference_pptx"}), ("python-pptx", "xlsxwriter", "lxml"), default=False,
                       files=_shipped_fonts),
    "html": WriterSpec("briefs.writers.html", "text/html", frozenset({"page_size", "theme", "logo"}), (), default=False,
                       page=True),
}
"""Output format (also the file extension) -> its writer; the order is the order files are written in."""

FORMATS = tuple(WRITERS)
"""Every output format, for `--format` choices."""
DEFAULT_FORMATS = tuple(fmt for fmt, spec in WRITERS.items() if spec.default)
"""What a run writes when no format is named."""
PAGE_FORMAT = next(fmt for fmt, spec in WRITERS.items() if spec.page)
"""The format the preview shows as pages."""


def get_writer(fmt: str) -> Writer:
    """Return the writer of `fmt`, importing only that format's libraries; KeyError for an unknown format."""
    return WRITERS[fmt].load()


def own_style(style: Style, fmt: str) -> Style:
    """Return `style` with only the fields `fmt`'s writer reads (the others at their defaults).

    A batch hands a writer exactly what its key hashes, so a change to another format's inputs
    never re-renders this one.
    """
    reads = WRITERS[fmt].reads
    return dataclasses.replace(style, **{name: None for name in _STYLE_FIELDS if name not in reads})


_STYLE_FIELDS: tuple[StyleField, ...] = ("page_size", "theme", "reference_docx", "logo", "reference_pptx")


def page_points(style: Style | None, named: str) -> PageSize:
    """Return the style's page size, else the size called `named` (the document's), else A4."""
    if style is not None and style.page_size is not None:
        return style.page_size
    return PAGE_SIZES.get(named, PAGE_SIZES["A4"])
