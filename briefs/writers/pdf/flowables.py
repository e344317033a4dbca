"""Paragraph flowables that lay out faster, carry what the outline needs, and print right-to-left text.

reportlab re-breaks a paragraph's lines on every `wrap`, and platypus wraps the same paragraph
at the same width several times (keep-with-next groups, lists, tables, split attempts): about a
fifth of a brief's cost. A paragraph's lines depend only on its width, so they are kept.

Right-to-left text (see `bidi`): lines are broken in logical order; at drawing, each line that
holds right-to-left text is reordered for display (a paragraph starting with a right-to-left
letter is also right-aligned, unless it is a list item, whose bullet stays on the left).
reportlab lays the reordered pieces out as usual (links, underlines, colours); `_BidiText` then
writes the line's glyphs at those places but in the order pypdf reads back as the logical text
(`bidi.pypdf_order`), inside an /ActualText span for pdftotext where it needs one. Tricks for
pypdf: a move forward past the last glyph is read as a space, so an invisible ALM (U+061C), which
also turns pypdf to right to left, is written where the last glyph ended with character spacing
as wide as the move; zero-wide ZWSPs mark the line's edges, over which poppler spreads the
/ActualText. A paragraph without right-to-left text costs one check of its markup when made.
"""

from __future__ import annotations

import copy
import unicodedata
import weakref
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from reportlab.lib.enums import TA_LEFT, TA_RIGHT  # type: ignore[import-untyped]
from reportlab.lib.rl_accel import fp_str  # type: ignore[import-untyped]
from reportlab.pdfbase.pdfmetrics import getFont, stringWidth  # type: ignore[import-untyped]
from reportlab.pdfgen.textobject import PDFTextObject  # type: ignore[import-untyped]
from reportlab.platypus import Flowable, ListFlowable  # type: ignore[import-untyped]
from reportlab.platypus import Paragraph as RLParagraph
from reportlab.platypus.paragraph import FragLine, ParaLines  # type: ignore[import-untyped]

from . import bidi, kinsoku, redraw
from .cjk import EmboldeningText, emboldens
from .fonts import FONTS
from .linebreaks import broken_lines
from .runs import DirectedMarkup

if TYPE_CHECKING:
    from .tagging import Node, Tagger

__all__ = ["Marked", "OutlinedHeading", "TaggedList", "WrapOnceParagraph", "artifact", "marking"]


_PARSED: dict[tuple[str, Any, str | None, int], tuple[Any, Any, Any, Any, bool]] = {}
"""Parsed paragraph markup by (markup, style, bullet text, case sensitivity), oldest first, at most `_PARSED_LIMIT`,
with whether it uses an emboldened face.

Safe to keep: the key holds the style object itself (not its id, so a new style at a freed address never matches),
styles come from the theme's shared, never-changed set (`cjk.for_language`), the fragments are only read after
parsing, and PDFs are laid out one at a time (`pdf._ONE_AT_A_TIME`)."""
_PARSED_LIMIT = 4096


class WrapOnceParagraph(RLParagraph):  # type: ignore[misc]
    """A Paragraph that breaks its lines once per width instead of on every wrap, and prints right-to-left text."""

    node: Node | None = None
    """The structure element whose content this paragraph is (None: an artifact, e.g. the running header)."""

    def draw(self) -> None:
        """Draw the paragraph as its element's marked content, and its change bar in the margin (an artifact)."""
        with marking(self.canv, self.node):
            super().draw()
        if self.change_bar is not None:
            x, stroke = self.change_bar
            with artifact(self.canv):
                self.canv.saveState()
                self.canv.setStrokeColor(stroke)
                self.canv.setLineWidth(2)
                self.canv.line(x, 0, x, self.height)
                self.canv.restoreState()

    blPara: Any  # set by reportlab's wrap
    style: Any
    text: Any  # set by reportlab's _setup, as are frags and bulletText
    frags: Any
    bulletText: Any
    _wrapped_width: float | None = None
    _parsed_key: tuple[Any, ...] | None = None
    """What the paragraph was parsed from, which with a width decides its lines; None: made from fragments (not reused)."""
    _emboldened: bool | None = None
    """Whether the parsed markup uses an emboldened face (`cjk`); None: not known from parsing."""
    change_bar: tuple[float, Any] | None = None
    """(x, colour) of a change bar to draw beside the paragraph, in the margin; None for none."""
    page_ltr: Callable[[], bool] | None = None
    """Tell whether pdftotext will take this paragraph's pages as left to right (more such letters than
    right-to-left ones): `FontRuns.primary_ltr` of the document. None: assume so."""
    right_to_left_aligns_right: bool = True
    """Right-align a paragraph that starts right to left; off for list items, whose bullet stays on the left."""
    _bidi_base: int | None = None
    """Paragraph level (0 left to right, 1 right to left), kept across a split; None until needed."""
    _bidi_lines: tuple[Any, Any] | None = None
    """(blPara, its display version or None), so a paragraph drawn again (the running header) reuses it."""

    def __init__(self, text: str | None, style: Any = None, *args: Any, **kwargs: Any) -> None:
        super().__init__(text, style, *args, **kwargs)
        if isinstance(text, DirectedMarkup):
            self.page_ltr = text.page_ltr
        self._rtl: bool | None = None if text is None else bidi.has_rtl(text)
        """Whether the text holds right-to-left characters (markup tags are ASCII); None: look at the lines."""

    def _setup(self, text: Any, style: Any, bulletText: Any, frags: Any, cleaner: Any) -> None:
        """Parse the markup as reportlab does, reusing the fragments of an identical earlier paragraph.

        Briefs of one audience repeat nearly every paragraph (a batch repeats them per recipient),
        and reportlab's markup parser costs about 6 ms a brief. Fragments are only read after parsing.
        """
        if frags is not None or not isinstance(text, str) or not (bulletText is None or isinstance(bulletText, str)):
            super()._setup(text, style, bulletText, frags, cleaner)
            return
        key = (str(text), style, bulletText, self.caseSensitive)
        self._parsed_key = key
        parsed = _PARSED.get(key)
        if parsed is None:
            super()._setup(text, style, bulletText, frags, cleaner)
            if len(_PARSED) >= _PARSED_LIMIT:
                _PARSED.pop(next(iter(_PARSED)))
            self._emboldened = emboldens(getattr(f, "fontName", "") for f in self.frags)
            _PARSED[key] = (self.text, self.frags, self.style, self.bulletText, self._emboldened)
        else:
            self.text, self.frags, self.style, self.bulletText, self._emboldened = parsed
            self.debug = 0

    def breakLines(self, width: Any) -> Any:
        """Break lines as reportlab does, or by the CJK line-breaking rules for a paragraph holding CJK text (once per
        paragraph and width in the process: `linebreaks`)."""
        return broken_lines(self, self._parsed_key, width, self._break_lines)

    def _break_lines(self, width: Any) -> Any:
        if not self._rtl and any(isinstance(getattr(f, "text", None), str) and kinsoku.holds_cjk(f.text) for f in self.frags):
            return kinsoku.break_lines(self, width)
        return super().breakLines(width)

    def breakLinesCJK(self, width: Any) -> Any:
        """Break lines by the CJK line-breaking rules (`kinsoku`), for a style asking for wordWrap='CJK'."""
        return broken_lines(self, self._parsed_key, width, lambda widths: kinsoku.break_lines(self, widths))

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        """Return (width, height), breaking lines only when the width changed (or split dropped them)."""
        if availWidth == self._wrapped_width and hasattr(self, "blPara"):
            return self.width, self.height
        size: tuple[float, float] = super().wrap(availWidth, availHeight)
        self._wrapped_width = availWidth
        return size

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        """Split as reportlab does; both parts keep this paragraph's direction."""
        parts: list[Flowable] = super().split(availWidth, availHeight)
        for part in parts:
            part.node = self.node  # a paragraph split over two pages is one element with content on both
        if len(parts) > 1 and self._holds_rtl():
            base = self._base()
            for part in parts:
                part._rtl, part._bidi_base, part.page_ltr = True, base, self.page_ltr
                part.right_to_left_aligns_right = self.right_to_left_aligns_right
        return parts

    def drawPara(self, debug: int = 0) -> None:
        """Draw the lines, those holding right-to-left text reordered for display."""
        if not self._holds_rtl():
            if debug:
                super().drawPara(debug)
            else:
                redraw.draw(redraw.paragraph_key(self), self.canv, super().drawPara)
            return
        if self._bidi_lines is None or self._bidi_lines[0] is not self.blPara:
            self._bidi_lines = (self.blPara, _display_lines(self))
        shown = self._bidi_lines[1]
        if shown is None:
            super().drawPara(debug)
            return
        kept = self.blPara, self.style
        self.blPara = shown
        if self._base() and self.right_to_left_aligns_right and self.style.alignment == TA_LEFT:
            self.style = _right_aligned(self.style)
        try:
            super().drawPara(debug)
        finally:
            self.blPara, self.style = kept

    def beginText(self, x: float, y: float) -> PDFTextObject:
        """Return the text object lines are written to: one that writes reordered lines when there are any."""
        if self._bidi_lines is not None and self._bidi_lines[1] is not None:
            return _BidiText(self.canv, x, y)
        emboldened = self._emboldened
        if emboldened is None:  # made from fragments (the second part of a split paragraph)
            emboldened = emboldens(getattr(f, "fontName", "") for f in self.frags)
        if emboldened:
            return EmboldeningText(self.canv, x, y)
        return super().beginText(x, y)

    def _holds_rtl(self) -> bool:
        """Tell whether the paragraph holds right-to-left text (looked up in its lines when made from fragments)."""
        if self._rtl is None:
            self._rtl = any(bidi.has_rtl(text) for text in _line_texts(self.blPara))
        return self._rtl

    def _base(self) -> int:
        if self._bidi_base is None:
            self._bidi_base = bidi.base_level("".join(_line_texts(self.blPara)))
        return self._bidi_base


class OutlinedHeading(WrapOnceParagraph):
    """A heading that marks its own position and becomes an outline entry once placed."""

    def __init__(self, markup: str, style: Any, *, outline: tuple[str, int, str], rule: Any = None) -> None:
        super().__init__(markup, style)
        self.outline_text, self.outline_level, self.outline_key = outline
        self.rule = rule
        """Colour of a thin rule under the heading, or None for no rule."""

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        """Refuse to split: a heading moves to the next page whole, with its outline entry."""
        return []

    def draw(self) -> None:
        """Draw the text, the rule under it, and a destination at its top for the outline entry."""
        super().draw()
        self.canv.bookmarkHorizontal(self.outline_key, 0, self.height + self.style.fontSize * 0.5)
        if self.rule is not None:
            with artifact(self.canv):
                self.canv.saveState()
                self.canv.setStrokeColor(self.rule)
                self.canv.setLineWidth(0.6)
                self.canv.line(0, -3, self.width, -3)
                self.canv.restoreState()


def marking(canv: Any, node: Node | None, bbox: tuple[float, float, float, float] | None = None) -> AbstractContextManager[None]:
    """Mark what is drawn inside as `node`'s content when the canvas is tagging (else do nothing)."""
    tagger: Tagger | None = getattr(canv, "tagger", None)
    return tagger.mark(canv, node, bbox) if tagger is not None and node is not None else nullcontext()


def artifact(canv: Any) -> AbstractContextManager[None]:
    """Mark what is drawn inside as an artifact when the canvas is tagging."""
    tagger: Tagger | None = getattr(canv, "tagger", None)
    return tagger.artifact(canv) if tagger is not None else nullcontext()


class Marked(Flowable):  # type: ignore[misc]
    """A flowable drawn as one element's content with its bounding box (a chart: a Figure), or as an artifact (a logo)."""

    def __init__(self, inner: Flowable, node: Node | None) -> None:
        super().__init__()
        self.inner, self.node = inner, node
        self.hAlign = getattr(inner, "hAlign", "LEFT")
        self.keepWithNext = getattr(inner, "keepWithNext", 0)

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.width, self.height = self.inner.wrap(availWidth, availHeight)
        return self.width, self.height

    def drawOn(self, canv: Any, x: float, y: float, _sW: float = 0) -> None:
        """Draw the inner flowable inside its marks; the box is in page coordinates (the frame does not translate)."""
        left = self.inner._hAlignAdjust(x, _sW)
        with marking(canv, self.node, (left, y, left + self.width, y + self.height)) if self.node else artifact(canv):
            self.inner.drawOn(canv, x, y, _sW)


class _TaggedBullet:
    """A list item's bullet or number, drawn as the item's label (Lbl)."""

    def __init__(self, bullet: Any, node: Node) -> None:
        self._bullet, self._node = bullet, node

    def __getattr__(self, name: str) -> Any:
        return getattr(self._bullet, name)

    def drawOn(self, indenter: Any, canv: Any, x: float, y: float, _sW: float = 0) -> None:
        with marking(canv, self._node):
            self._bullet.drawOn(indenter, canv, x, y, _sW)


class TaggedList(ListFlowable):  # type: ignore[misc]
    """A list whose items' bullets are their labels: each item's paragraph carries `label`, the Lbl element."""

    def _makeLIIndenter(self, flowable: Any, bullet: Any, params: Any = None) -> Any:
        label = getattr(flowable, "label", None)
        if bullet is not None and label is not None:
            bullet = _TaggedBullet(bullet, label)
        return super()._makeLIIndenter(flowable, bullet, params)


# ---------------------------------------------------------------------------------------------
# Right-to-left lines

_right_styles: weakref.WeakKeyDictionary[Any, Any] = weakref.WeakKeyDictionary()
"""Paragraph style -> its right-aligned copy (a right-to-left paragraph's start is on the right); gone with the style."""


def _right_aligned(style: Any) -> Any:
    right = _right_styles.get(style)
    if right is None:
        right = _right_styles[style] = copy.copy(style)
        right.alignment = TA_RIGHT
    return right


@dataclass
class _Run:
    """Glyphs written with one Tj: visually adjacent, one fragment's font and colour."""

    x: float
    """Left edge, from the line's start, without justification's extra word space..."""
    spaces: int
    """...which is added for each space to its left."""
    text: str
    frag: Any
    width: float


@dataclass
class _LinePlan:
    runs: list[_Run | None]
    """Runs in the order written; None is an empty forward move (pypdf adds a space for it)."""
    actual_text: str | None


class _Piece(str):
    """A fragment's text in display order; the last piece of a line carries the line's plan."""

    plan: _LinePlan | None = None


def _display_lines(paragraph: WrapOnceParagraph) -> Any:
    """Return the paragraph's lines with each line that needs it in display order, or None if none does."""
    blpara = paragraph.blPara
    lines = list(blpara.lines)
    if blpara.kind == 0:  # one style, kept on blPara itself: make fragment lines, which can hold several pieces
        frag = copy.copy(blpara)
        del frag.lines
        lines = [FragLine(extraSpace=space, wordCount=len(words), words=[_copy(frag, " ".join(words))], lineBreak=False,
                          fontSize=blpara.fontSize, ascent=blpara.ascent, descent=blpara.descent)
                 for space, words in lines]
    texts = _line_texts(ParaLines(kind=1, lines=lines))
    base = paragraph._base()
    if not base and not any(bidi.has_strong_rtl(text) for text in texts):
        return None
    levels = bidi.resolve_levels(" ".join(texts), base)  # one paragraph: neutrals at a break see the next line
    page_ltr = paragraph.page_ltr() if paragraph.page_ltr else True
    doc = getattr(getattr(paragraph, "canv", None), "_doc", None)
    shown, start = [], 0
    for line, text in zip(lines, texts, strict=True):
        line_levels = levels[start:start + len(text)]
        start += len(text) + 1
        if base or bidi.has_strong_rtl(text):
            line = _display_line(line, text, line_levels, base, page_ltr, doc)
        shown.append(line)
    return ParaLines(kind=1, lines=shown)


def _line_texts(blpara: Any) -> list[str]:
    if blpara.kind == 0:
        return [" ".join(words) for _, words in blpara.lines]
    return ["".join(frag.text for frag in line.words if not hasattr(frag, "cbDefn")) for line in blpara.lines]


def _copy(frag: Any, text: str) -> Any:
    piece = copy.copy(frag)
    piece.text = text
    return piece


def _display_line(line: Any, text: str, levels: list[int], base: int, page_ltr: bool, doc: Any) -> Any:
    """Return a copy of `line` whose fragments are pieces in display order, the last carrying the plan."""
    owners: list[Any] = []
    for frag in line.words:
        if not hasattr(frag, "cbDefn"):
            owners += [frag] * len(frag.text)
    order, levels = bidi.display_order(text, levels, base)
    drawn = [FONTS.mirror_alias(owners[i].fontName, char) if level & 1 else char
             for i, (char, level) in enumerate(zip(text, levels, strict=True))]
    widths: dict[tuple[str, str, float], float] = {}
    left, spaces, place = 0.0, 0, {}
    for rank, i in enumerate(order):
        place[i] = (rank, left, spaces)
        key = (drawn[i], owners[i].fontName, owners[i].fontSize)
        width = widths.get(key)
        if width is None:
            width = widths[key] = stringWidth(drawn[i], owners[i].fontName, owners[i].fontSize)
        left += width
        spaces += drawn[i] == " "

    pieces: list[Any] = [frag for frag in line.words if hasattr(frag, "cbDefn")]  # anchors: first, never last
    for i in order:
        if pieces and not hasattr(pieces[-1], "cbDefn") and pieces[-1].owner is owners[i]:
            pieces[-1].text += drawn[i]
        else:
            pieces.append(_copy(owners[i], drawn[i]))
            pieces[-1].owner = owners[i]
    for piece in pieces:
        if not hasattr(piece, "cbDefn"):
            piece.text = _Piece(piece.text)
            del piece.owner

    runs = _runs(drawn, owners, place, widths, doc)
    logical = " ".join("".join(map(bidi.extracted, text)).split())
    seen = " ".join("".join(bidi.extracted(drawn[i]) for i in order).split())
    plain = "".join(char for char in bidi.poppler_reorder(seen, page_ltr) if char not in bidi.LINE_TEXT_CONTROLS)
    # poppler reads a line's glyphs as well as the model says unless it holds an ALM or a combining mark
    unsure = any(run is not None and bidi.ALM in run.text for run in runs) or any(map(unicodedata.combining, text))
    needs_actual = unsure or plain != logical
    actual = bidi.poppler_source(logical, page_ltr) if needs_actual else None
    written = [run for run in runs if run is not None]
    if actual is not None and written and (written[0].x > 0.01 or abs(written[-1].x + written[-1].width - left) > 0.01):
        # poppler spreads the /ActualText over the first glyph written to the end of the last: make those the edges
        first, last = written[0].frag, written[-1].frag
        FONTS.invisible_marks(first.fontName)
        FONTS.invisible_marks(last.fontName)
        runs = [_Run(0.0, 0, bidi.ZWSP, first, 0.0), *runs, _Run(left, spaces, bidi.ZWSP, last, 0.0)]
    pieces[-1].text.plan = _LinePlan(runs, actual)
    shown = copy.copy(line)
    shown.words = pieces
    return shown


def _runs(drawn: list[str], owners: list[Any], place: dict[int, tuple[int, float, int]],
          widths: dict[tuple[str, str, float], float], doc: Any) -> list[_Run | None]:
    """Group the glyphs, in the order pypdf wants them written, into runs of adjacent glyphs of one fragment."""
    fonts: list[object] = []  # what each glyph is written in: a change is a Tf, which ends pypdf's run
    for char, frag in zip(drawn, owners, strict=True):
        font = getFont(frag.fontName)
        subset = font.splitString(char, doc)[0][0] if getattr(font, "_dynamicFont", False) and doc else 0
        fonts.append((frag.fontName, frag.fontSize, subset))
    runs: list[_Run | None] = []
    current: _Run | None = None
    last_rank = -2
    texts = [bidi.extracted(char) for char in drawn]
    order = bidi.pypdf_order(texts, fonts)
    for k, i in enumerate(order):
        if i == bidi.SPACE_MOVE:
            runs.append(None)
            current = None
            continue
        if i == bidi.ALM_MARK:  # zero wide, written where the last run ends: no move pypdf reads as a space
            following = order[k + 1]
            if bidi.is_rtl_letter(texts[following]) and place[following][0] == last_rank + 1:
                continue  # the part starts right after the last glyph with a letter: pypdf turns by itself
            current = None
            runs.append(_Run(-1.0, -1, bidi.ALM, None, 0.0))
            continue
        rank, left, spaces = place[i]
        frag = owners[i]
        width = widths[(drawn[i], frag.fontName, frag.fontSize)]
        if current is not None and current.frag is frag and rank == last_rank + 1:
            current.text += drawn[i]
            current.width += width
        else:
            current = _Run(left, spaces, drawn[i], frag, width)
            runs.append(current)
        last_rank = rank
    for n, alm in enumerate(runs):  # an ALM takes the font of the run it turns pypdf for
        if alm is not None and alm.frag is None:
            after = next((run for run in runs[n + 1:] if run is not None and run.frag is not None), None)
            alm.frag = after.frag if after else owners[0]
            FONTS.invisible_marks(alm.frag.fontName)
    return runs


class _BidiText(PDFTextObject):  # type: ignore[misc]
    """A text object that writes a reordered line's glyphs itself when reportlab reaches its last piece.

    reportlab's `_putFragLine` walks the pieces left to right to place links, underlines and
    colours; the pieces' own text is not written then (it would be in display order, which pypdf
    reads back reversed), but by `_write_line`, run by run at the places reportlab gave them.
    """

    def _textOut(self, text: str, TStar: int = 0) -> None:
        if isinstance(text, _Piece):
            if text.plan is not None:
                self._write_line(text.plan)
                if TStar:
                    self._code.append("T*")
            return
        super()._textOut(text, TStar)

    def _write_line(self, plan: _LinePlan) -> None:
        code = self._code
        if plan.actual_text is not None:  # a PDF text string: UTF-16 with its byte order mark
            code.append(f"/Span <</ActualText <FEFF{plan.actual_text.encode('utf-16-be').hex().upper()}>>> BDC")
        word_space = getattr(self, "_wordSpace", 0) or 0
        state = getattr(self, "XtraState", None)
        cursor, font, colour = 0.0, None, None
        rise = getattr(state, "rise", 0)
        end, step = 0.0, 0.0  # where the last run written ends; a move past it that pypdf reads as a space
        for n, run in enumerate(plan.runs):
            if run is None:
                code.append(f"{fp_str(end - cursor + step)} 0 Td")
                cursor = end + step
                continue
            x = end if run.spaces < 0 else run.x + word_space * run.spaces  # an ALM: where the last run ends
            if x != cursor:
                code.append(f"{fp_str(x - cursor)} 0 Td")
                cursor = x
            frag = run.frag
            if (frag.fontName, frag.fontSize) != font:
                self._setFont(frag.fontName, frag.fontSize)
                font = frag.fontName, frag.fontSize
            if frag.textColor != colour:
                self.setFillColor(frag.textColor)
                colour = frag.textColor
            if frag.rise != rise:
                self.setRise(frag.rise)
                rise = frag.rise
            if run.spaces < 0:  # pypdf counts character spacing as text: the move to the next run is no gap then
                after = next((r for r in plan.runs[n + 1:] if r is not None), None)
                gap = after.x + word_space * after.spaces - x if after is not None else 0.0
                if gap > 0:
                    spacing = fp_str(getattr(self, "_charSpace", 0))
                    code.append(f"{fp_str(gap)} Tc {self._formatText(run.text)} {spacing} Tc")
                    continue
            code.append(self._formatText(run.text))
            end, step = x + run.width + word_space * run.text.count(" "), 3 * frag.fontSize
        if cursor:
            code.append(f"{fp_str(-cursor)} 0 Td")
        if plan.actual_text is not None:
            code.append("EMC")
        if state is not None:  # what reportlab compares the next piece's colour and rise with
            if colour is not None:
                state.textColor = colour
            state.rise = rise
