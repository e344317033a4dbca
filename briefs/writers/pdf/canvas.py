"""Page decorations and the outline: running header, "Page X of Y" footer, bookmarks per heading.

The footer's total is a form XObject ("total") that every page draws and `save()` defines once
the page count is known: one layout pass, so outline entries and internal links keep their pages
(the NumberedCanvas recipe, which replays pages at save, sends them all to page 1).
"""

from __future__ import annotations

from contextlib import AbstractContextManager, nullcontext
from functools import partial
from typing import Any

from reportlab.pdfbase.pdfmetrics import stringWidth  # type: ignore[import-untyped]
from reportlab.pdfgen.canvas import Canvas  # type: ignore[import-untyped]
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate  # type: ignore[import-untyped]

from ..theme import Theme
from .flowables import OutlinedHeading
from .styles import colour, faces
from .tagging import Tagger, describe_link

__all__ = ["BriefDocTemplate"]

_FOOTER_Y = 1.1 * 28.3465
"""Footer baseline above the page's bottom edge, in points (1.1 cm)."""
_HEADER_TOP = 1.0 * 28.3465
"""Gap between the page's top edge and the running header, in points (1 cm)."""


class _PagedCanvas(Canvas):  # type: ignore[misc]
    """A canvas that counts its pages and defines the "total" form at save."""

    def __init__(self, *args: Any, footer_font: str, footer_size: float = 8.5, tagger: Tagger | None = None,
                 title: str = "", language: str = "en", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.pages_done = 0
        self.footer_font = footer_font
        self.footer_size = footer_size
        self.tagger = tagger
        """Where flowables mark their content (`tagging`); None: an untagged PDF."""
        self._title, self._language = title, language
        self._link_target: tuple[str | None, str | None] = (None, None)

    def linkURL(self, url: str, rect: Any, *args: Any, **kwargs: Any) -> None:
        """Add a link to a URL (noting where it goes, for its description)."""
        self._link_target = (url, None)
        super().linkURL(url, rect, *args, **kwargs)

    def linkRect(self, contents: str, destinationname: str, *args: Any, **kwargs: Any) -> Any:
        """Add a link to a place in the document (noting which, for its description)."""
        self._link_target = (None, destinationname)
        return super().linkRect(contents, destinationname, *args, **kwargs)

    def _addAnnotation(self, annotation: Any, name: Any = None, addtopage: int = 1) -> None:
        """Add a link annotation, recording which structure element was being drawn when it was made."""
        super()._addAnnotation(annotation, name, addtopage)
        if self.tagger is not None and addtopage:
            self.tagger.link(self, annotation, self._annotationrefs[-1], describe_link(*self._link_target))
        self._link_target = (None, None)

    def showPage(self) -> None:
        """Count the page, then end it."""
        self.pages_done += 1
        super().showPage()

    def save(self) -> None:
        """Define the "total" form the footers refer to, now that the count is known, then write."""
        if len(self._code):
            self.showPage()
        self.beginForm("total", lowerx=0, lowery=-3, upperx=40, uppery=self.footer_size + 3)
        self.setFont(self.footer_font, self.footer_size)  # colour comes from the page that draws the form
        self.drawString(0, 0, str(self.pages_done))
        self.endForm()
        if self.tagger is not None:
            self.tagger.write_structure(self, title=self._title, language=self._language)
        super().save()


class BriefDocTemplate(BaseDocTemplate):  # type: ignore[misc]
    """One frame inside the margins; decorates every page and adds outline entries for headings."""

    def __init__(self, out: Any, *, theme: Theme, header: Flowable | None, tagger: Tagger | None = None, **kwargs: Any) -> None:
        top, right, bottom, left = (side * 28.3465 for side in theme.margins_cm)
        self._font = faces(theme)[0][0]
        super().__init__(out, leftMargin=left, rightMargin=right, topMargin=top, bottomMargin=bottom,
                         initialFontName=self._font, **kwargs)
        self._theme = theme
        self._header = header
        self._tagger = tagger
        self._footer_size = theme.roles["running"].size
        frame = Frame(self.leftMargin, self.bottomMargin, self.width, self.height, id="body",
                      leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        self.addPageTemplates([PageTemplate("page", [frame], onPage=self._decorate)])

    def build(self, flowables: list[Flowable], **kwargs: Any) -> None:
        """Lay out the flowables on paged canvases (see module docstring)."""
        maker = partial(_PagedCanvas, footer_font=self._font, footer_size=self._footer_size, tagger=self._tagger,
                        title=self.title, language=self.lang, pdfVersion=(1, 7))  # tagged, as PDF/UA-1 (ISO 32000-1)
        super().build(flowables, canvasmaker=maker, **kwargs)

    def beforeDocument(self) -> None:
        """Open the outline panel when a viewer shows the file."""
        self.canv.showOutline()

    def afterFlowable(self, flowable: Flowable) -> None:
        """Add an outline entry for a heading just placed (its destination was set as it drew)."""
        if isinstance(flowable, OutlinedHeading):
            self.canv.addOutlineEntry(flowable.outline_text, flowable.outline_key, flowable.outline_level, closed=False)

    def _decorate(self, canv: Canvas, _doc: BaseDocTemplate) -> None:
        page_width, page_height = self.pagesize
        canv.saveState()
        if self._header is not None:
            _, height = self._header.wrap(self.width, self.topMargin)
            with self._artifact(canv, "Header"):
                self._header.drawOn(canv, self.leftMargin, page_height - _HEADER_TOP - height)
        with self._artifact(canv, "Footer"):
            self._footer(canv, page_width)
        canv.restoreState()

    def _artifact(self, canv: Canvas, kind: str) -> AbstractContextManager[None]:
        return self._tagger.artifact(canv, kind) if self._tagger is not None else nullcontext()

    def _footer(self, canv: Canvas, page_width: float) -> None:
        canv.setFillColor(colour(self._theme.muted_colour))
        canv.setFont(self._font, self._footer_size)
        prefix = f"Page {canv.getPageNumber()} of "
        prefix_width = stringWidth(prefix, self._font, self._footer_size)
        # Digits share one width in most text fonts: guess the total has as many digits as this page's number.
        total_width = stringWidth("0" * len(str(canv.getPageNumber())), self._font, self._footer_size)
        x = (page_width - prefix_width - total_width) / 2
        canv.drawString(x, _FOOTER_Y, prefix)
        canv.translate(x + prefix_width, _FOOTER_Y)
        canv.doForm("total")
