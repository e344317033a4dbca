"""Write a document tree as a PDF with reportlab: embedded fonts, outline, links, vector charts.

    warnings = write(document, stream)            # default theme
    warnings = write(document, stream, PdfTheme(base_font_size=11))

Modules: `fonts` (fallback chain, per-font text segments), `styles` (theme and cached paragraph
styles), `flow` (blocks and inlines to flowables), `chart` (bar charts), `canvas` (running header,
"Page X of Y", outline). Output is byte-identical for the same input (reportlab `invariant=1`).
"""

from __future__ import annotations

from typing import BinaryIO

from reportlab.lib.pagesizes import A4, LETTER  # type: ignore[import-untyped]
from reportlab.platypus import Spacer  # type: ignore[import-untyped]

from briefs.doctree import Document

from .canvas import BriefDocTemplate
from .flow import Flow, anchors_of
from .flowables import WrapOnceParagraph
from .fonts import FontRuns
from .styles import PdfTheme, styles_for

__all__ = ["PdfTheme", "write"]

_PAGE_SIZES = {"A4": A4, "Letter": LETTER}
_DEFAULT_THEME = PdfTheme()


def write(document: Document, out: BinaryIO, theme: PdfTheme | None = None) -> list[str]:
    """Write `document` as PDF to the binary stream `out`; return warnings (e.g. characters no font has).

    Nothing is printed: the caller decides what to do with the warnings.
    """
    theme = theme or _DEFAULT_THEME
    styles = styles_for(theme)
    meta = document.meta
    runs = FontRuns()
    runs.context = lambda: "the running header"
    header = WrapOnceParagraph(runs.markup(meta.header), styles.running_header) if meta.header else None
    template = BriefDocTemplate(
        out, theme=theme, header=header, pagesize=_PAGE_SIZES.get(meta.page_size, A4),
        title=meta.title, author=meta.author, subject=meta.subject, keywords=", ".join(meta.keywords),
        creator="briefs", lang=meta.language, displayDocTitle=1, invariant=1,
    )
    flow = Flow(styles=styles, theme=theme, runs=runs, anchors=anchors_of(document.blocks), width=template.width)
    flowables = flow.blocks(document.blocks) or [Spacer(0, 0)]  # an empty document still gets its one page
    template.build(flowables)
    return runs.warnings
