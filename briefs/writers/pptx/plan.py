"""Lay a document out as slides: a cover, then each section on as many slides as its text needs.

Pure: it reads the document tree and the measured room on a slide (`Room`) and returns plain
slide plans; `slides` puts them into python-pptx. A section's text continues on a next slide,
titled "(continued)", when the next paragraph does not fit (measured, never cut off); a paragraph
taller than a slide is split between lines. A table shares its section's slide when it fits below
the text, else starts a slide, and its rows continue (with the header repeated) as text does.
Each figure gets a slide of its own with its native chart.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Literal, assert_never

from ...doctree import (
    Block,
    BulletList,
    Callout,
    Citation,
    Document,
    Emphasis,
    Figure,
    Heading,
    Inline,
    Label,
    Link,
    OrderedList,
    Paragraph,
    Strong,
    Table,
    Text,
    plain_text,
)
from .measure import Measure, line_starts

__all__ = ["CONTINUED", "Cover", "Para", "Room", "SlidePlan", "plan"]

CONTINUED = " (continued)"
"""Added to the title of a section's second and later slides."""

ParaKind = Literal["body", "bullet", "number", "subheading", "small", "note"]
_COVER_ROLES = ("title", "subtitle", "meta", "bottom-line")


@dataclass(frozen=True)
class Para:
    """One paragraph of a slide's text."""

    inlines: tuple[Inline, ...]
    kind: ParaKind = "body"
    number: int = 0
    """A numbered item's number (a list continued on the next slide goes on counting)."""


@dataclass(frozen=True)
class Cover:
    """The title slide: the document's title, then its subtitle, audience and date, and bottom line."""

    title: str
    lines: tuple[Paragraph, ...]


@dataclass(frozen=True)
class SlidePlan:
    """One slide: its title, its text, and at most one table (below the text) or one figure."""

    title: str
    paragraphs: tuple[Para, ...] = ()
    table: Table | None = None
    """Only the rows on this slide (the header repeated on every slide)."""
    figure: Figure | None = None
    caption: tuple[Inline, ...] = ()


@dataclass(frozen=True)
class Room:
    """What fits on a content slide, in points, with the text sizes the writer uses."""

    measure: Measure
    width: float
    """Of the text (the body placeholder less its insets)."""
    height: float
    sizes: dict[str, float] = field(default_factory=dict)
    """Paragraph kind (and "table", "caption") -> font size in points."""
    indent: float = 22.0
    """A list item's text starts this far right of the bullet."""
    line: float = 1.2
    """Line height as a multiple of the font size (the writer sets it exactly)."""
    _lines: dict[tuple[str, str], list[int]] = field(default_factory=dict, compare=False, repr=False)

    def size(self, kind: str) -> float:
        """Return the font size of a paragraph kind."""
        return self.sizes.get(kind, self.sizes.get("body", 16.0))

    def space_before(self, kind: str) -> float:
        """Return the space above a paragraph of `kind` (the writer sets it exactly)."""
        return round(self.size(kind) * (0.9 if kind == "subheading" else 0.45))

    def text_width(self, para: Para) -> float:
        return self.width - (self.indent if para.kind in ("bullet", "number") else 0)

    def para_lines(self, para: Para) -> list[int]:
        """Return where each line of `para` starts in its plain text (measured once: the writer asks again)."""
        key = (_marker(para) + plain_text(para.inlines), para.kind)
        if key not in self._lines:
            self._lines[key] = line_starts(self.measure, key[0], self.text_width(para), self.size(para.kind), para.kind == "subheading")
        return self._lines[key]

    def para_height(self, para: Para) -> float:
        return self.space_before(para.kind) + len(self.para_lines(para)) * self.size(para.kind) * self.line

    def caption_height(self, caption: tuple[Inline, ...]) -> float:
        if not caption:
            return 0.0
        size = self.size("caption")
        return 6 + self.measure.lines(plain_text(caption), self.width, size) * size * self.line

    def row_height(self, row: tuple[tuple[Inline, ...], ...], widths: tuple[float, ...], bold: bool = False) -> float:
        """Return a table row's height: its tallest cell, with the cell margins the writer sets."""
        size = self.size("table")
        lines = max((self.measure.lines(plain_text(cell), width - 14, size, bold) for cell, width in zip(row, widths, strict=False)),
                    default=1)
        return lines * size * self.line + 8


def _marker(para: Para) -> str:
    return f"{para.number}. " if para.kind == "number" else ""


def column_widths(room: Room, table: Table) -> tuple[float, ...]:
    """Return each column's width in points: shares of the table's width by the columns' longest text, within limits."""
    columns = len(table.header) or (len(table.rows[0]) if table.rows else 0)
    size = room.size("table")
    wants = [max((room.measure.width(plain_text(row[i]), size) for row in (table.header, *table.rows) if i < len(row)), default=0) + 16
             for i in range(columns)]
    if sum(wants) <= room.width:
        return tuple(wants[i] + (room.width - sum(wants)) / columns for i in range(columns))
    floor = min(room.width / columns, 90.0)
    capped = [max(want, floor) for want in wants]
    return tuple(room.width * want / sum(capped) for want in capped)


def plan(document: Document, room: Room) -> tuple[Cover, list[SlidePlan]]:
    """Return the cover and the slides of `document`, each slide's content measured to fit `room`."""
    blocks = document.blocks
    cover_lines = tuple(b for b in blocks if isinstance(b, Paragraph) and b.role in _COVER_ROLES and _before_first_heading(blocks, b))
    title = next((plain_text(b.children) for b in cover_lines if b.role == "title"), document.meta.title)
    cover = Cover(title, tuple(b for b in cover_lines if b.role != "title"))
    slides: list[SlidePlan] = []
    for heading, body in _sections(blocks, set(map(id, cover_lines))):
        slides += _Section(room, heading).slides(body)
    return cover, slides


def _before_first_heading(blocks: tuple[Block, ...], block: Block) -> bool:
    first = next((i for i, b in enumerate(blocks) if isinstance(b, Heading)), len(blocks))
    return any(b is block for b in blocks[:first])


def _sections(blocks: tuple[Block, ...], skip: set[int]) -> list[tuple[str, list[Block]]]:
    """Split the blocks at level-1 headings; blocks before the first heading (the legend) make a section of their own."""
    sections: list[tuple[str, list[Block]]] = [("", [])]
    for block in blocks:
        if id(block) in skip:
            continue
        if isinstance(block, Heading) and block.level == 1:
            sections.append((plain_text(block.children), []))
        else:
            sections[-1][1].append(block)
    (_, before), *rest = sections
    return ([(_lead_title(before) or "About this brief", before)] if before else []) + rest


def _lead_title(blocks: list[Block]) -> str | None:
    """Return the bold lead-in of a first callout ("How to read this brief."), which then titles its slide."""
    first = blocks[0]
    if isinstance(first, Callout) and first.children and first.children[0].children:
        lead = first.children[0].children[0]
        if isinstance(lead, Strong):
            return plain_text(lead.children).strip().rstrip(".:")
    return None


def _without_lead(inlines: tuple[Inline, ...], title: str) -> tuple[Inline, ...]:
    if inlines and isinstance(inlines[0], Strong) and plain_text(inlines[0].children).strip().rstrip(".:") == title:
        rest = inlines[1:]
        return (Text(rest[0].text.lstrip()), *rest[1:]) if rest and isinstance(rest[0], Text) else rest
    return inlines


class _Section:
    """Fills one section's slides in order, starting a "(continued)" slide when the next part does not fit."""

    def __init__(self, room: Room, title: str) -> None:
        self.room = room
        self.title = title
        self.done: list[SlidePlan] = []
        self.paras: list[Para] = []
        self.used = 0.0

    def slides(self, blocks: list[Block]) -> list[SlidePlan]:
        for index, block in enumerate(blocks):
            following = blocks[index + 1] if index + 1 < len(blocks) else None
            caption = following.children if isinstance(following, Paragraph) and following.role == "caption" else ()
            if isinstance(block, Paragraph) and block.role == "caption" and index and isinstance(blocks[index - 1], Table | Figure):
                continue
            self.block(block, caption)
        self.flush()
        return self.done

    def slide_title(self) -> str:
        return self.title + (CONTINUED if self.done else "")

    def block(self, block: Block, caption: tuple[Inline, ...]) -> None:
        match block:
            case Heading(children=children):
                self.add(Para(children, "subheading"))
            case Paragraph(children=children, role=role):
                self.add(Para(_without_lead(children, self.title), "small" if role in ("small", "source", "caption") else "body"))
            case BulletList(items=items):
                for item in items:
                    self.add(Para(item, "bullet"))
            case OrderedList(items=items):
                for number, item in enumerate(items, 1):
                    self.add(Para(item, "number", number))
            case Callout(children=children, role=role):
                for child in children:
                    self.add(Para(_without_lead(child.children, self.title), "small" if role == "disclaimer" else "note"))
            case Table():
                self.table(block, caption)
            case Figure():
                self.flush()
                title = block.title if block.title != self.title else self.slide_title()
                self.done.append(SlidePlan(title, figure=block, caption=caption or block.caption))
            case _:
                assert_never(block)

    def add(self, para: Para) -> None:
        height = self.room.para_height(para)
        if self.used + height > self.room.height and self.paras:
            carried = [self.paras.pop()] if self.paras[-1].kind == "subheading" else []  # a subheading stays with its text
            self.flush()
            for kept in carried:
                self.add(kept)
            height = self.room.para_height(para)
        if height > self.room.height - self.used:
            head, tail = self.split(para)
            if tail is not None:
                self.add(head)
                self.add(tail)
                return
        self.paras.append(para)
        self.used += height

    def split(self, para: Para) -> tuple[Para, Para | None]:
        """Split a paragraph taller than the room left at the last line that fits."""
        line_height = self.room.size(para.kind) * self.room.line
        fits = int((self.room.height - self.used - self.room.space_before(para.kind)) // line_height)
        starts = self.room.para_lines(para)
        if fits < 1 or fits >= len(starts):
            return para, None
        head, tail = split_inlines(para.inlines, starts[fits] - len(_marker(para)))
        if not head or not tail:
            return para, None
        return replace(para, inlines=head), replace(para, inlines=tail, kind="body" if para.kind in ("bullet", "number") else para.kind)

    def flush(self) -> None:
        if self.paras:
            self.done.append(SlidePlan(self.slide_title(), tuple(self.paras)))
        self.paras, self.used = [], 0.0

    def table(self, table: Table, caption: tuple[Inline, ...]) -> None:
        widths = column_widths(self.room, table)
        header = self.room.row_height(table.header, widths, True) if table.header else 0.0
        room = self.room.height - self.room.caption_height(caption) - 10
        heights = [self.room.row_height(row, widths) for row in table.rows]
        if self.paras and self.used + 12 + header + sum(heights) > room:
            self.flush()
        start = 0
        while True:
            left = room - (self.used + 12 if self.paras else 0) - header
            end = start
            while end < len(heights) and (heights[end] <= left or end == start):
                left -= heights[end]
                end += 1
            last = end >= len(heights)
            part = replace(table, rows=table.rows[start:end])
            self.done.append(SlidePlan(self.slide_title(), tuple(self.paras), part, caption=caption if last else ()))
            self.paras, self.used = [], 0.0
            if last:
                return
            start = end


def split_inlines(inlines: tuple[Inline, ...], offset: int) -> tuple[tuple[Inline, ...], tuple[Inline, ...]]:
    """Split a run of inlines at a character offset of its plain text (labels, citations and links stay whole)."""
    head: list[Inline] = []
    tail: list[Inline] = []
    at = 0
    for node in inlines:
        length = len(plain_text((node,)))
        if at + length <= offset:
            head.append(node)
        elif at >= offset:
            tail.append(node)
        else:
            first, second = _split_node(node, offset - at)
            head += first
            tail += second
        at += length
    return tuple(head), tuple(tail)


def _split_node(node: Inline, offset: int) -> tuple[list[Inline], list[Inline]]:
    match node:
        case Text(text=text):
            return [Text(text[:offset])], [Text(text[offset:])]
        case Strong(children=children):
            head, tail = split_inlines(children, offset)
            return [Strong(head)], [Strong(tail)]
        case Emphasis(children=children):
            head, tail = split_inlines(children, offset)
            return [Emphasis(head)], [Emphasis(tail)]
        case Link() | Citation() | Label():
            return [node], []
        case _:
            assert_never(node)
