"""Write a document tree as a PDF with reportlab: embedded fonts, outline, links, vector charts.

    warnings = write(document, stream)                                # built-in theme
    warnings = write(document, stream, Theme(base_font_size=11))   # a theme
    warnings = write(document, stream, Style(theme=theme, page_size=LETTER, logo=logo))

Modules: `fonts` (fallback chain, the process's font registry), `runs` (per-font text segments),
`bidi` (right-to-left lines), `styles` (theme and cached paragraph styles), `flow` (blocks and
inlines to flowables), `chart` (bar charts), `canvas` (running header, "Page X of Y", outline),
`linebreaks` (line breaks kept across briefs: a batch breaks only each recipient's own lines),
`firstpage` (a brief that differs from one written before only on its first page is finished from it),
`links` and `objects` (link annotations and number arrays written directly, the bytes reportlab writes).
Output is byte-identical for the same input (reportlab `invariant=1`).
"""

from __future__ import annotations

import contextlib
import io
import threading
from functools import lru_cache
from pathlib import Path
from typing import BinaryIO

from reportlab.lib.utils import ImageReader  # type: ignore[import-untyped]
from reportlab.platypus import Flowable, Image, Spacer  # type: ignore[import-untyped]

from briefs.doctree import Document

from .. import Logo, Style, page_points
from ..reuse import Kept, file_versions, varying_blocks
from ..theme import FontFamily, Theme
from . import flowables, linebreaks, redraw
from .canvas import BriefDocTemplate
from .cjk import for_language
from .firstpage import FirstPage, FirstPageDone, KeptPdf, finish, keep
from .flow import Flow, anchors_of
from .flowables import Marked, WrapOnceParagraph
from .fonts import FONTS
from .runs import FontRuns
from .tagging import Tagger, walk

__all__ = ["FontFamily", "Theme", "forget", "measure", "write"]

_DEFAULT_THEME = Theme()
_CM = 28.3465
_ONE_AT_A_TIME = threading.Lock()
"""reportlab's registered TrueType fonts are shared by the process and not thread-safe: two PDFs written at once (concurrent
downloads in the preview) once failed while subsetting a composite glyph (a KeyError in reportlab's ttfonts). PDFs are
written one at a time in a process; batches use processes, so they lose nothing."""


def write(document: Document, out: BinaryIO, style: Style | Theme | None = None) -> list[str]:
    """Write `document` as PDF to the binary stream `out`; return warnings (e.g. characters no font has).

    `style` may be a bare Theme. The page size is the style's, else the document's (a theme's
    `page_size` is applied by the pipeline, where the precedence of settings is decided). The
    cover logo is the style's, else the theme's. Nothing is printed: the caller decides what to
    do with the warnings.
    """
    with _ONE_AT_A_TIME:
        return _write(document, out, style if isinstance(style, Style) else Style(theme=style))


def measure(document: Document, style: Style | None = None) -> int:
    """Return how many pages `document` takes under `style`: a real layout, without writing the file.

    The last answer is kept: the DOCX measures with this layout too, so a brief written in both is laid out once.
    """
    style = style or Style()
    theme = style.theme or _DEFAULT_THEME
    key = (style.page_size, theme, style.logo or theme.logo)
    with _ONE_AT_A_TIME:
        last = _LAST_MEASURED.get(key)
        if last is not None and last[0] is document:
            return last[1]
        template, flowables, _ = _laid_out(document, io.BytesIO(), style, measuring=True)
        with contextlib.closing(template):
            template.build(flowables)
            _LAST_MEASURED.clear()
            _LAST_MEASURED[key] = (document, int(template.canv.pages_done))
        return _LAST_MEASURED[key][1]


_LAST_MEASURED: dict[object, tuple[Document, int]] = {}
"""(page size, theme, logo) -> the document last measured with them and its pages.

Safe to keep: one entry at most; the key is made of values, and the entry holds the document itself (compared with
`is`), so a new document at the same address can never take its answer."""


_KEPT: Kept[tuple[object, ...], KeptPdf] = Kept(per_key=4)
"""The last briefs written in full, per page size, theme, logo and document properties (`firstpage`)."""
_LOOKAHEAD_BLOCKS = 4
"""Blocks made beyond the kept brief's first page when finishing: what a heading kept with the next looks ahead to."""
_KEEP_AT_MOST = 8 * 1024 * 1024
"""A larger file is not kept: a batch of such briefs would hold too much."""


def _write(document: Document, out: BinaryIO, style: Style) -> list[str]:
    theme = style.theme or _DEFAULT_THEME
    logo = style.logo or theme.logo
    key = (page_points(style, document.meta.page_size), theme, logo, document.meta,
           file_versions(theme, logo.image if logo else None))
    for kept in _KEPT.under(key):
        varying = varying_blocks(kept.document, document)
        if varying is None:
            continue
        if not varying:  # the same brief again
            out.write(kept.data)
            return list(kept.warnings)
        finished = _finished(kept, varying, document, style)
        if finished is not None:
            out.write(finished[0])
            return finished[1]
    buffer = io.BytesIO()
    template, flowables, runs = _laid_out(document, buffer, style)
    with contextlib.closing(template):
        watch = FirstPage(flowables, stop=False, warnings=runs.warnings)
        template.watch = watch
        structure = _structure(template)  # before drawing gives figures their boxes
        template.build(flowables)
        data = buffer.getvalue()
        if len(data) <= _KEEP_AT_MOST:
            entry = keep(document, structure, template.story_starts, watch, template.canv, data)
            if entry is not None:
                _KEPT.add(key, entry)
    out.write(data)
    return runs.warnings


def forget() -> None:
    """Drop everything kept from earlier briefs (finished files, line breaks, parsed paragraphs, paragraph drawings, font subset files,
    the last measure)."""
    with _ONE_AT_A_TIME:
        _KEPT.clear()
        linebreaks._KEPT.clear()
        flowables._PARSED.clear()
        redraw.forget()
        _LAST_MEASURED.clear()
        FONTS.forget_subsets()


def _finished(kept: KeptPdf, varying: tuple[int, ...], document: Document, style: Style) -> tuple[bytes, list[str]] | None:
    """Return the file and warnings of `document` finished from `kept` (only its first page drawn), or None if it cannot be."""
    # Only the blocks up to the kept brief's first page and a few more are made flowables: the first page is laid out the
    # same from them (the state compared below includes where each of its flowables ended), and the rest is not drawn.
    # With warnings, all are made: those of the blocks left out would be missing.
    upto = None if kept.warnings else kept.first_blocks + _LOOKAHEAD_BLOCKS
    template, flowables, runs = _laid_out(document, io.BytesIO(), style, upto=upto)
    with contextlib.closing(template):
        structure = _structure(template)
        if kept.structure[: len(structure)] != structure:
            return None
        watch = FirstPage(flowables, stop=True, warnings=runs.warnings,
                          stop_after=max(template.story_starts[index] for index in varying))
        template.watch = watch
        with contextlib.suppress(FirstPageDone):
            template.build(flowables)
        data = finish(kept, varying, structure, watch, template.canv)
    return None if data is None else (data, [*runs.warnings, *kept.later_warnings])


def _structure(template: BriefDocTemplate) -> tuple[object, ...]:
    """Return each structure element's type, texts and attributes as built (before drawing adds boxes)."""
    tagger = template.tagger
    if tagger is None:
        return ()
    return tuple((node.tag, node.alt, node.actual_text, node.lang, tuple(node.attributes.items()),
                  len(node.kids) if node is not tagger.root else None)  # the document's own count: see `_finished`
                 for node in walk(tagger.root))


def _laid_out(document: Document, out: BinaryIO, style: Style, measuring: bool = False,
              upto: int | None = None) -> tuple[BriefDocTemplate, list[Flowable], FontRuns]:
    """Return the page template and the flowables of `document` (of its first `upto` blocks, when given), ready to build
    (fresh ones each time: flowables keep state between builds), and the font runs that collect the warnings."""
    theme = style.theme or _DEFAULT_THEME
    meta = document.meta
    styles = for_language(theme, meta.language)
    runs = FontRuns(faces=styles.body_faces)  # a theme's faces start each fallback chain
    runs.context = lambda: "the running header"
    header = WrapOnceParagraph(runs.markup(meta.header), styles.running_header) if meta.header else None
    tagger = Tagger()
    template = BriefDocTemplate(
        out, theme=theme, header=header, tagger=tagger, words=meta.words, runs=runs, pagesize=page_points(style, meta.page_size),
        title=meta.title, author=meta.author, subject=meta.subject, keywords=", ".join(meta.keywords),
        creator="briefs", lang=meta.language, displayDocTitle=1, invariant=1, measuring=measuring,
    )
    flow = Flow(styles=styles, theme=theme, runs=runs, anchors=anchors_of(document.blocks), width=template.width, tagger=tagger)
    logo = style.logo or theme.logo
    decoration = _logo(logo, template.width)
    flowables = [*decoration, *flow.blocks(document.blocks[:upto])] or [Spacer(0, 0)]  # an empty document still gets its page
    template.story_starts = tuple(len(decoration) + start for start in flow.starts)
    return template, flowables, runs


def _logo(logo: Logo | None, frame_width: float) -> list[Flowable]:
    """Return the cover logo as an image flowable at the logo's place, no wider than the frame."""
    if logo is None:
        return []
    pixel_width, pixel_height = _image_size(logo.image)
    width = min(logo.width_cm * _CM, frame_width)
    image = Image(str(logo.image), width=width, height=width * pixel_height / pixel_width)
    image.hAlign = {"left": "LEFT", "center": "CENTER", "right": "RIGHT"}[logo.place]
    return [Marked(image, None), Spacer(0, 0.4 * _CM)]  # a decoration: an artifact


def _image_size(path: Path) -> tuple[int, int]:
    stat = path.stat()
    return _pixels(path, stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=16)
def _pixels(path: Path, _mtime_ns: int, _size: int) -> tuple[int, int]:
    """Return an image's size in pixels, read once per version of the file (a logo saved anew is measured anew)."""
    width, height = ImageReader(str(path)).getSize()
    return int(width), int(height)

