"""The writers, one module per format; each is a function of a Document, a binary stream and a Style.

    warnings = get_writer("pdf")(document, stream)          # built-in look
    warnings = get_writer("docx")(document, stream, style)  # a reference document, a logo, a page size

A `Style` is what a brief looks like beyond its layout; the pipeline resolves it once per data
file and format (`pipeline.style_for`), so writers never read settings or decide precedence.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import importlib
import sys
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, Literal, Protocol

from ..doctree import Document
from ..pages import PAGE_SIZES, PageSize

if TYPE_CHECKING:
    from .theme import Theme

__all__ = [
    "PAGE_SIZES",
    "WRITERS",
    "Logo",
    "PageSize",
    "Redliner",
    "ReferenceReader",
    "Style",
    "Writer",
    "WriterSpec",
    "check_writers",
    "default_formats",
    "forget_kept",
    "formats",
    "get_writer",
    "own_style",
    "page_format",
    "page_points",
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


class Redliner(Protocol):
    """Write the new brief with the changes from the old one tracked, dated `date` (both in the writer's format)."""

    def __call__(self, old: bytes, new: bytes, out: BinaryIO, date: dt.date) -> object: ...


StyleField = Literal["page_size", "theme", "reference_docx", "logo", "reference_pptx"]
_STYLE_FIELDS: tuple[StyleField, ...] = ("page_size", "theme", "reference_docx", "logo", "reference_pptx")


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
    measure: Callable[[Document, Style], int] | None = None
    """How many pages the document takes in this format under this style (a real layout); None: a format without pages."""
    coverage: Callable[[str], list[str]] | None = None
    """For a writer that embeds its fonts: the characters of a text, once each, that none of them can print (`check` warns)."""
    redline: Callable[[], Redliner] | None = None
    """For a format that can track changes (`--redline`): returns its redliner, importing it on first use."""
    deck_check: Callable[[Path], None] | None = None
    """For a writer that reads `reference_pptx`: raise ThemeError naming the file when a reference deck cannot be used."""

    def __post_init__(self) -> None:
        problems = self.problems()
        if problems:
            raise ValueError(f"writer row for {self.module or self.media_type!r}: {'; '.join(problems)}")

    def problems(self) -> list[str]:
        """Return what is missing or wrong in this row, each naming the field (a row is checked when it is made)."""
        found = [] if isinstance(self.module, str) and self.module else ["module: the writer's module name is missing"]
        if not (isinstance(self.media_type, str) and self.media_type.count("/") == 1 and "" not in self.media_type.split("/")):
            found.append(f"media_type: {self.media_type!r} is not a media type such as 'text/markdown'")
        if not isinstance(self.reads, frozenset) or not self.reads <= set(_STYLE_FIELDS):
            found.append(f"reads: {self.reads!r} is not a frozenset of Style fields ({', '.join(_STYLE_FIELDS)})")
        if not isinstance(self.libraries, tuple) or not all(isinstance(name, str) for name in self.libraries):
            found.append(f"libraries: {self.libraries!r} is not a tuple of distribution names")
        found += [f"{name}: {getattr(self, name)!r} is not callable" for name in ("files", "redline", "measure", "coverage", "deck_check")
                  if getattr(self, name) is not None and not callable(getattr(self, name))]
        if isinstance(self.reads, frozenset) and ("reference_docx" in self.reads) != (self.reference is not None):
            found.append("reference: a writer reads reference_docx exactly when its row says how it checks one (a ReferenceReader)")
        return found

    def load(self) -> Writer:
        """Import the writer's module and return its `write`; ValueError naming the module when it has none."""
        writer: Writer | None = getattr(importlib.import_module(self.module), "write", None)
        if not callable(writer):
            raise ValueError(f"writer row for {self.module!r}: module: {self.module} has no write(document, out, style) function")
        return writer


def _pdf_fonts() -> Iterable[Path]:
    from .pdf.fonts import font_files

    return font_files()


def _pdf_coverage(text: str) -> list[str]:
    from .pdf.fonts import uncovered

    return uncovered(text)


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


def _pdf_pages(document: Document, style: Style) -> int:
    from .pdf import measure

    return measure(document, style)


def _docx_pages(document: Document, style: Style) -> int:
    from .docx.pages import measure

    return measure(document, style)


def _check_pptx_deck(deck: Path) -> None:
    from .pptx.deck import check_reference

    check_reference(deck)


def _docx_redline() -> Redliner:
    from .docx.redline import redline

    return redline


def _shipped_fonts() -> Iterable[Path]:
    from ..resources import fonts_dir

    return sorted(fonts_dir().glob("*.ttf"))  # the chart's labels are measured with them


WRITERS: dict[str, WriterSpec] = {
    "docx": WriterSpec("briefs.writers.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                       frozenset({"page_size", "theme", "reference_docx", "logo"}), ("python-docx", "pillow", "lxml"),
                       files=_shipped_fonts,
                       reference=ReferenceReader(_check_docx_reference, _docx_reference_page, _docx_reference_is_builtin),
                       measure=_docx_pages, redline=_docx_redline),
    "pdf": WriterSpec("briefs.writers.pdf", "application/pdf", frozenset({"page_size", "theme", "logo"}),
                      ("reportlab", "pillow"), files=_pdf_fonts, measure=_pdf_pages, coverage=_pdf_coverage),
    "pptx": WriterSpec("briefs.writers.pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation",
                       frozenset({"theme", "logo", "reference_pptx"}), ("python-pptx", "xlsxwriter", "lxml"), default=False,
                       files=_shipped_fonts, deck_check=_check_pptx_deck),
    "html": WriterSpec("briefs.writers.html", "text/html", frozenset({"page_size", "theme", "logo"}), ("pillow",), default=False,
                       page=True),
}
"""Output format (also the file extension) -> its writer; the order is the order files are written in."""


# Read from the table when asked, never copied at import: a row added to WRITERS is a format everywhere.
def formats() -> tuple[str, ...]:
    """Return every output format, for `--format` choices."""
    return tuple(WRITERS)


def default_formats() -> tuple[str, ...]:
    """Return what a run writes when no format is named."""
    return tuple(fmt for fmt, spec in WRITERS.items() if spec.default)


def page_format() -> str:
    """Return the format the preview shows as pages (the row marked `page`)."""
    return next(fmt for fmt, spec in WRITERS.items() if spec.page)


def check_writers(table: Mapping[str, WriterSpec]) -> None:
    """Raise ValueError naming the row and field of what is wrong in a writer table (each row also checks itself when made)."""
    for fmt, spec in table.items():
        problems = spec.problems() if isinstance(spec, WriterSpec) else [f"a row is a WriterSpec, not {type(spec).__name__}"]
        if problems:
            raise ValueError(f"WRITERS[{fmt!r}]: {'; '.join(problems)}")
    pages = [fmt for fmt, spec in table.items() if spec.page]
    if len(pages) != 1:
        raise ValueError(f"WRITERS: exactly one row has page=True (the preview's pages), not {len(pages)}: {pages}")


def forget_kept() -> None:
    """Make every writer loaded so far forget what it kept from earlier briefs (a writer module's optional `forget()`):
    the next brief is written as if it were the first."""
    for spec in WRITERS.values():
        module = sys.modules.get(spec.module)
        forget = getattr(module, "forget", None)
        if callable(forget):
            forget()


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



def page_points(style: Style | None, named: str) -> PageSize:
    """Return the style's page size, else the size called `named` (the document's), else A4."""
    if style is not None and style.page_size is not None:
        return style.page_size
    return PAGE_SIZES.get(named, PAGE_SIZES["A4"])
