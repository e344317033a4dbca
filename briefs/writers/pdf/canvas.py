"""Page decorations and the outline: running header, "Page X of Y" footer, bookmarks per heading.

The footer's total is a form XObject ("total") that every page draws and `save()` defines once
the page count is known: one layout pass, so outline entries and internal links keep their pages
(the NumberedCanvas recipe, which replays pages at save, sends them all to page 1).
"""

from __future__ import annotations

import datetime as dt
from contextlib import AbstractContextManager, nullcontext
from functools import partial
from typing import Any

from reportlab.pdfbase.pdfmetrics import stringWidth  # type: ignore[import-untyped]
from reportlab.pdfgen.canvas import Canvas  # type: ignore[import-untyped]
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate  # type: ignore[import-untyped]

from ...doctree import DocMeta, DocWords
from ...words import fill
from ..theme import Theme
from .firstpage import FirstPage, FirstPageDone
from .flowables import OutlinedHeading
from .links import faster
from .runs import FontRuns
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
                 title: str = "", language: str = "en", words: DocWords | None = None, watch: FirstPage | None = None,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.pages_done = 0
        self.watch = watch
        """Told when the first page ends (`firstpage`); None: nobody watches."""
        self.footer_font = footer_font
        self.footer_size = footer_size
        self.tagger = tagger
        """Where flowables mark their content (`tagging`); None: an untagged PDF."""
        self._title, self._language = title, language
        self._words = words or DocMeta("", "", "", (), dt.date.min, "").words
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
        super()._addAnnotation(faster(annotation), name, addtopage)
        if self.tagger is not None and addtopage:
            self.tagger.link(self, annotation, self._annotationrefs[-1], describe_link(self._words, *self._link_target))
        self._link_target = (None, None)

    def showPage(self) -> None:
        """Count the page, then end it."""
        self.pages_done += 1
        watch = self.watch
        if watch is None or self.pages_done != 1:
            super().showPage()
            return
        watch.first_page_ended(self)
        super().showPage()
        watch.page = self._doc.Pages.pages[0]
        if watch.stop:
            raise FirstPageDone

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


class _CountingCanvas(_PagedCanvas):
    """A canvas that lays pages out and counts them but writes no file (for measuring a page budget)."""

    def save(self) -> None:
        """Count the last page; skip the fonts, structure and bytes a saved file needs."""
        if len(self._code):
            self.showPage()


class _PlacingFrame(Frame):  # type: ignore[misc]
    """A frame that places flowables without drawing them: measuring needs where pages break, not what is on them."""

    def _add(self, flowable: Flowable, canv: Canvas, trySplit: int = 0) -> int:
        flowable.drawOn = _draw_nothing  # an instance attribute: this flowable only, and only for this call
        try:
            placed: int = super()._add(flowable, canv, trySplit)
            return placed
        finally:
            del flowable.drawOn

    add = _add  # (Frame's own `add` is an alias of its `_add`, bound before this override)


def _draw_nothing(*_args: Any, **_kwargs: Any) -> None:
    """Stand in for a flowable's drawOn while measuring."""


class BriefDocTemplate(BaseDocTemplate):  # type: ignore[misc]
    """One frame inside the margins; decorates every page and adds outline entries for headings."""

    def __init__(self, out: Any, *, theme: Theme, header: Flowable | None, tagger: Tagger | None = None, measuring: bool = False,
                 words: DocWords | None = None, runs: FontRuns | None = None, watch: FirstPage | None = None,
                 **kwargs: Any) -> None:
        top, right, bottom, left = (side * 28.3465 for side in theme.margins_cm)
        self._font = faces(theme)[0][0]
        super().__init__(out, leftMargin=left, rightMargin=right, topMargin=top, bottomMargin=bottom,
                         initialFontName=self._font, **kwargs)
        self._theme = theme
        self._header = header
        self.tagger = tagger
        self.story_starts: tuple[int, ...] = ()
        """Block index -> the index of its first flowable in the story (set by whoever makes the story)."""
        self._words = words or DocMeta("", "", "", (), dt.date.min, "").words
        self._runs = runs or FontRuns(faces=faces(theme)[0])
        """Sets the footer's words in the fonts that have their characters."""
        self.watch = watch
        """Watches the first page: where its flowables end, and the state the second starts from (`firstpage`)."""
        self._canvas_class = _CountingCanvas if measuring else _PagedCanvas
        """Measuring: pages are laid out and counted, and nothing is written."""
        self._footer_size = theme.roles["running"].size
        frame = (_PlacingFrame if measuring else Frame)(self.leftMargin, self.bottomMargin, self.width, self.height, id="body",
                      leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        self.addPageTemplates([PageTemplate("page", [frame], onPage=self._decorate)])

    def close(self) -> None:
        """Let go of everything the build linked together, once its file (or its count) is taken.

        The template, its canvas and page template (whose callback is bound to this template), the PDF document and its
        objects refer to one another, so only the cycle collector could free a brief's objects: about 3,500 a brief,
        which made it run every brief or two for about 15 ms. Emptied, they are freed at once."""
        canv = self.__dict__.get("canv")
        if canv is not None:
            doc = canv.__dict__.get("_doc")
            if doc is not None:
                doc.__dict__.clear()
            canv.__dict__.clear()
        self.__dict__.clear()

    def build(self, flowables: list[Flowable], **kwargs: Any) -> None:
        """Lay out the flowables on paged canvases (see module docstring)."""
        maker = partial(self._canvas_class, footer_font=self._font, footer_size=self._footer_size, tagger=self.tagger,
                        title=self.title, language=self.lang, words=self._words, watch=self.watch,
                        pdfVersion=(1, 7))  # tagged, as PDF/UA-1 (ISO 32000-1)
        super().build(flowables, canvasmaker=maker, **kwargs)

    def beforeDocument(self) -> None:
        """Open the outline panel when a viewer shows the file."""
        self.canv.showOutline()

    def afterFlowable(self, flowable: Flowable) -> None:
        """Add an outline entry for a heading just placed (its destination was set as it drew); tell a watcher of the first
        page where the frame's space now starts."""
        if self.watch is not None and self.canv.pages_done == 0:
            self.watch.placed_flowable(flowable, self.frame._y, self.canv)
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
        return self.tagger.artifact(canv, kind) if self.tagger is not None else nullcontext()

    def _footer(self, canv: Canvas, page_width: float) -> None:
        canv.setFillColor(colour(self._theme.muted_colour))
        canv.setFont(self._font, self._footer_size)
        before, _, after = self._words.page.partition("{pages}")
        prefix = self._segments(fill(before, page=canv.getPageNumber()))
        suffix = self._segments(fill(after, page=canv.getPageNumber()))
        # Digits share one width in most text fonts: guess the total has as many digits as this page's number.
        total_width = stringWidth("0" * len(str(canv.getPageNumber())), self._font, self._footer_size)
        x = (page_width - _width(prefix, self._footer_size) - total_width - _width(suffix, self._footer_size)) / 2
        x = self._draw(canv, x, _FOOTER_Y, prefix)
        canv.translate(x, _FOOTER_Y)
        canv.doForm("total")
        self._draw(canv, total_width, 0, suffix)

    def _segments(self, text: str) -> list[tuple[str, str]]:
        """Return (font, text) runs of footer text: the theme's face, and a fallback where it lacks a character."""
        if not text:
            return []
        if text.isascii():
            return [(self._font, text)]
        context, self._runs.context = self._runs.context, lambda: "the page footer"  # not the last block's name
        try:
            return self._runs.segments(text)
        finally:
            self._runs.context = context

    def _draw(self, canv: Canvas, x: float, y: float, segments: list[tuple[str, str]]) -> float:
        """Draw runs of footer text from (`x`, `y`) on; return where the next one starts."""
        for font, text in segments:
            if font != canv._fontname:
                canv.setFont(font, self._footer_size)
            canv.drawString(x, y, text)
            x += float(stringWidth(text, font, self._footer_size))
        return x


def _width(segments: list[tuple[str, str]], size: float) -> float:
    return sum(float(stringWidth(text, font, size)) for font, text in segments)
