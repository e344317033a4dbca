"""Finish a PDF from one written before: draw the first page up to the recipient's line, reuse every other byte.

Two briefs of one audience in a personalised batch differ in the recipient's line on the cover.
When the blocks that differ are plain paragraphs drawn on the first page (`reuse.varying_blocks`),
the new brief is laid out and drawn for real up to the last of them, then the build stops. If at
that point everything the rest depends on is as it was in the kept brief after the same paragraph
(where each flowable ended, each font's subset codes, the fonts' resource names, the objects
numbered so far, the marked content, links and graphics state), the rest of the first page is the
kept brief's operators, and the later pages, fonts, structure tree and outline are its bytes: the
kept file is written with its first page's content stream replaced and its cross-reference table
moved. If the paragraph is not reached on the first page, the whole page is drawn and compared
where it ends. Anything else, and the brief is written in full. The result is byte-identical to a
brief written alone (tested on recipients of many names and scripts).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from reportlab.pdfbase.pdfdoc import PDFIndirectObject  # type: ignore[import-untyped]

from ...doctree import Document

__all__ = ["FirstPage", "FirstPageDone", "KeptPdf", "finish", "keep"]


class FirstPageDone(Exception):
    """Raised by the canvas when a watched build that only needs its first page has drawn it."""


@dataclass
class FirstPage:
    """Watches a build's first page: where each flowable of the story ended on it, and the state page 2 starts from."""

    story: list[Any]
    """The flowables, in order (a copy: the build empties its list, and this keeps each alive, so no new flowable made
    during the build can take the id() of one in `positions`)."""
    stop: bool
    """Stop the build once the first page is drawn (a finish), or go on (a full build that is kept)."""
    warnings: list[str] = field(default_factory=list)
    """The build's warnings (its font runs' list): those added after the first page come again in a finished brief."""
    warned: int = 0
    """How many warnings there were when the first page ended."""
    positions: dict[int, int] = field(default_factory=dict)
    """id() of each flowable of the story -> its index."""
    placed: list[tuple[int, float]] = field(default_factory=list)
    """(story index, or -1 for a piece of a split flowable; the frame's y after it) per flowable on the first page."""
    state: tuple[Any, ...] | None = None
    page: Any = None
    """The first page (reportlab's PDFPage), once drawn."""
    stop_after: int | None = None
    """A finish: stop as soon as the flowable with this story index is placed on the first page (the last that differs)."""
    code: list[str] | None = None
    """A finish stopped there: what the first page drew up to then (reportlab's operators, one string each)."""
    snapshots: dict[int, tuple[int, tuple[Any, ...]]] = field(default_factory=dict)
    """A full build: story index of each flowable placed on the first page -> (operators drawn so far, `_mark` then)."""
    page_code: list[str] = field(default_factory=list)
    """A full build: every operator of the first page."""

    def __post_init__(self) -> None:
        self.story = list(self.story)
        self.positions = {id(flowable): index for index, flowable in enumerate(self.story)}

    def placed_flowable(self, flowable: Any, y: float, canv: Any) -> None:
        """Note a flowable placed on the first page and where the frame's space now starts; a finish stops after the last
        flowable that differs, a full build notes the state after each."""
        index = self.positions.get(id(flowable), -1)
        self.placed.append((index, y))
        if index < 0:
            return
        if not self.stop:
            self.snapshots[index] = (len(canv._code), _mark(canv, self.placed))
        elif index == self.stop_after:
            self.state, self.code = _state(canv, self.placed), list(canv._code)
            raise FirstPageDone

    def first_page_ended(self, canv: Any) -> None:
        """Note the state the second page starts from (the canvas calls this as the first page ends)."""
        self.state = _state(canv, self.placed)
        self.warned = len(self.warnings)
        self.page_code = list(canv._code)


def _state(canv: Any, placed: list[tuple[int, float]]) -> tuple[Any, ...]:
    """Return everything later pages depend on that the first page's drawing changed."""
    doc = canv._doc
    fonts = []
    for font in doc.delayedFonts:
        state = getattr(font, "state", {}).get(doc)
        codes = None if state is None else (tuple(state.assignments.items()), state.nextCode, tuple(map(tuple, state.subsets)))
        fonts.append((font.fontName, codes))
    return (tuple(placed), tuple(fonts), tuple(doc.fontMapping.items()), tuple(doc.idToObjectNumberAndVersion.items()),
            len(doc.Pages.pages), tuple(doc.Outlines.destinationnamestotitles.items()), *_drawing(canv))


def _drawing(canv: Any) -> tuple[tuple[Any, ...], tuple[Any, ...]]:
    """Return the marked content, links and graphics state where the canvas stands."""
    doc, tagger = canv._doc, canv.tagger
    marked = (len(tagger.page_marks.get(len(doc.Pages.pages), ())), len(tagger.links), len(tagger._open)) if tagger else ()
    graphics = (canv._fontname, canv._fontsize, canv._leading, str(canv._fillColorObj), str(canv._strokeColorObj),
                len(canv.state_stack), len(canv._annotationrefs))
    return marked, graphics


def _mark(canv: Any, placed: list[tuple[int, float]]) -> tuple[Any, ...]:
    """Return where `_state` stands now, by the lengths of what only grows (placements, each font's assignments, the
    resource names, numbered objects, outline entries): a full build marks every flowable of its first page, and copying
    the whole state each time cost about 5 ms a brief. `_cut` gives the state at a mark from the state at the page's end."""
    doc = canv._doc
    fonts = []
    for font in doc.delayedFonts:
        state = getattr(font, "state", {}).get(doc)
        fonts.append((font.fontName, None if state is None else (len(state.assignments), state.nextCode)))
    return (len(placed), tuple(fonts), len(doc.fontMapping), len(doc.idToObjectNumberAndVersion), len(doc.Pages.pages),
            len(doc.Outlines.destinationnamestotitles), *_drawing(canv))


def _cut(state: tuple[Any, ...], mark: tuple[Any, ...]) -> tuple[Any, ...] | None:
    """Return `state` (a page's end) as it stood at `mark` (taken earlier on that page), without the fonts' subset lists;
    None if the mark is not of that page."""
    placed, fonts, mapping, numbered, _, outline, *_ = state
    placements, font_marks, mappings, numbers, pages, outlines, marked, graphics = mark
    if len(font_marks) > len(fonts):
        return None
    cut_fonts = []
    for (name, codes), (marked_name, counts) in zip(fonts, font_marks, strict=False):
        if name != marked_name or (codes is None) != (counts is None):
            return None
        cut_fonts.append((name, None if codes is None or counts is None else (codes[0][: counts[0]], counts[1])))
    return (placed[:placements], tuple(cut_fonts), mapping[:mappings], numbered[:numbers], pages, outline[:outlines], marked,
            graphics)


def _without_subsets(state: tuple[Any, ...]) -> tuple[Any, ...]:
    """Return `state` without the fonts' subset lists: they follow from the order characters were assigned codes in, which
    the state keeps (reportlab fills each subset in the order of `assignments`)."""
    placed, fonts, *rest = state
    return (placed, tuple((name, None if codes is None else codes[:2]) for name, codes in fonts), *rest)


@dataclass(frozen=True)
class KeptPdf:
    """A PDF written in full, with what a finish needs: the state after its first page and where that page's content is."""

    document: Document
    structure: tuple[Any, ...]
    """Each structure element's type, alternative text, actual text, language and attributes, as built."""
    starts: tuple[int, ...]
    """Block index -> the story index of its first flowable."""
    state: tuple[Any, ...]
    page_one: frozenset[int]
    """Story indices of the flowables drawn whole on the first page."""
    first_blocks: int
    """How many blocks have flowables on the first page (from the first on)."""
    data: bytes
    number: int
    """Object number of the first page's content stream."""
    start: int
    end: int
    """Byte span of that object in `data`."""
    xref: int
    """Where the cross-reference table starts in `data`."""
    warnings: tuple[str, ...]
    snapshots: dict[int, tuple[int, tuple[Any, ...]]]
    page_code: tuple[str, ...]
    """The first page's operators, and after each of its flowables how many were drawn and the state then (`FirstPage`)."""
    later_warnings: tuple[str, ...]
    """Warnings drawing the later pages gave (a footer's character no font has): a finished brief gives them too."""


def keep(document: Document, structure: tuple[Any, ...], starts: tuple[int, ...], watch: FirstPage, canv: Any,
         data: bytes) -> KeptPdf | None:
    """Return what a finish needs from a full build's canvas (after it saved), or None if the file is not as expected."""
    doc = canv._doc
    if watch.state is None or not doc.Pages.pages:
        return None
    contents = doc.Pages.pages[0].Contents
    name = next((key for key, value in doc.idToObject.items() if value is contents), None)
    xref = data.rfind(b"\nxref\n") + 1
    if name is None or xref <= 0:
        return None
    number = doc.idToObjectNumberAndVersion[name][0]
    start = doc.idToOffset[name]
    following = doc.numberToId.get(number + 1)
    end = doc.idToOffset[following] if following is not None else xref
    if not data.startswith(f"{number} 0 obj\n".encode("ascii"), start):
        return None
    page_one = frozenset(index for index, _ in watch.placed if index >= 0)
    last = max(page_one, default=0)
    first_blocks = sum(1 for start in starts if start <= last)
    return KeptPdf(document, structure, starts, watch.state, page_one, first_blocks, data, number, start, end, xref,
                   tuple(watch.warnings), watch.snapshots, tuple(watch.page_code), tuple(watch.warnings[watch.warned :]))


def finish(kept: KeptPdf, varying: tuple[int, ...], structure: tuple[Any, ...], watch: FirstPage, canv: Any) -> bytes | None:
    """Return the new brief's file from `kept` and the new first page `watch` saw drawn, or None when they cannot share it."""
    # `structure` may be of the first blocks only (their elements come first, depth first): the rest are the kept brief's
    if kept.structure[: len(structure)] != structure:
        return None
    if any(kept.starts[index] not in kept.page_one for index in varying):
        return None  # a differing paragraph is split across pages or drawn after the first
    if watch.code is not None:  # stopped after the last paragraph that differs: the rest of the page is the kept one's
        drawn, mark = kept.snapshots.get(watch.stop_after if watch.stop_after is not None else -1, (0, None))
        then = None if mark is None else _cut(kept.state, mark)
        if then is None or watch.state is None or _without_subsets(watch.state) != then:
            return None
        canv._code = [*watch.code, *kept.page_code[drawn:]]
        canv.watch = None
        canv.showPage()  # reportlab makes the page and its stream from these operators, as it would have
        watch.page = canv._doc.Pages.pages[0]
    elif watch.state != kept.state or watch.page is None:
        return None
    page = watch.page
    page.check_format(canv._doc)  # as reportlab would at save: the stream, its filters, compressed
    canv._doc.idToObjectNumberAndVersion["FirstPageContents"] = (kept.number, 0)
    content = PDFIndirectObject("FirstPageContents", page.Contents).format(canv._doc)
    return _spliced(kept, content)


def _spliced(kept: KeptPdf, content: bytes) -> bytes:
    """Return `kept.data` with its first page's content object replaced and the cross-reference table moved to match."""
    data, shift = kept.data, len(content) - (kept.end - kept.start)
    body = data[: kept.start] + content + data[kept.end : kept.xref]
    xref_lines = data[kept.xref :].split(b"\n")
    # "xref", "0 N", "0000000000 65535 f ", then one "%010d 00000 n " line per object, then the trailer.
    count = int(xref_lines[1].split()[1])
    entries = []
    for line in xref_lines[3 : 2 + count]:
        offset = int(line[:10])
        entries.append(b"%010d" % (offset + shift if offset > kept.start else offset) + line[10:])
    trailer = b"\n".join(xref_lines[2 + count :])
    head, _, _ = trailer.rpartition(b"startxref\n")
    return (body + b"\n".join([*xref_lines[:3], *entries, b""]) + head + b"startxref\n" + str(kept.xref + shift).encode("ascii")
            + b"\n%%EOF\n")
