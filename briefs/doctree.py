"""The document tree: a small, closed, format-neutral model of a laid-out brief.

Templates write markup; `parsing` turns it into these nodes; each writer is a `match` over them
ending in `assert_never`, so a type checker reports any node a writer forgot.

    Document(meta, blocks)
    Block  = Heading | Paragraph | BulletList | OrderedList | Table | Figure | Callout
    Inline = Text | Strong | Emphasis | Link | Citation | Label
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

__all__ = [
    "PARAGRAPH_ROLES",
    "Block",
    "BulletList",
    "Callout",
    "Citation",
    "DocMeta",
    "Document",
    "Emphasis",
    "Figure",
    "Heading",
    "Inline",
    "Label",
    "Link",
    "OrderedList",
    "Paragraph",
    "Strong",
    "Table",
    "Text",
    "plain_text",
]

ParagraphRole = Literal["body", "title", "subtitle", "meta", "bottom-line", "question", "source", "caption", "small"]
PARAGRAPH_ROLES: tuple[ParagraphRole, ...] = (
    "body", "title", "subtitle", "meta", "bottom-line", "question", "source", "caption", "small",
)
CalloutRole = Literal["note", "caveat", "disclaimer"]


@dataclass(frozen=True)
class Text:
    text: str


@dataclass(frozen=True)
class Strong:
    children: tuple[Inline, ...]


@dataclass(frozen=True)
class Emphasis:
    children: tuple[Inline, ...]


@dataclass(frozen=True)
class Link:
    """A link to an http(s)/mailto address, or to an anchor in the document when it starts with '#'."""

    href: str
    children: tuple[Inline, ...]


@dataclass(frozen=True)
class Citation:
    """Citation numbers, printed as [1, 3], each linked to the anchor `src-<n>`; with labels, (USGS, 2025; Smith, 2024)."""

    numbers: tuple[int, ...]
    labels: tuple[str, ...] = ()
    """One per number in an author-date citation style, printed instead of the numbers; () for numbered citations."""


@dataclass(frozen=True)
class Label:
    """A short status label a reader cannot miss, e.g. UNVERIFIED."""

    text: str
    kind: str


Inline = Text | Strong | Emphasis | Link | Citation | Label


@dataclass(frozen=True)
class Heading:
    level: int
    """1 to 3."""
    children: tuple[Inline, ...]
    anchor: str | None = None


@dataclass(frozen=True)
class Paragraph:
    children: tuple[Inline, ...]
    role: ParagraphRole = "body"
    anchor: str | None = None
    """Target of internal links (e.g. src-3 for source 3)."""


@dataclass(frozen=True)
class BulletList:
    items: tuple[tuple[Inline, ...], ...]
    changed: tuple[int, ...] = ()
    """Indexes of the items marked `<li class="changed">`: new or changed since an earlier edition (a change bar in the PDF)."""


@dataclass(frozen=True)
class OrderedList:
    items: tuple[tuple[Inline, ...], ...]
    changed: tuple[int, ...] = ()
    """As for BulletList."""


@dataclass(frozen=True)
class Table:
    header: tuple[tuple[Inline, ...], ...]
    rows: tuple[tuple[tuple[Inline, ...], ...], ...]
    numeric: tuple[bool, ...]
    """Per column: right-align (numbers)."""


@dataclass(frozen=True)
class Figure:
    """A bar chart drawn by each writer from its data."""

    id: str
    title: str
    points: tuple[tuple[str, float], ...]
    unit: str | None
    alt: str
    caption: tuple[Inline, ...]


@dataclass(frozen=True)
class Callout:
    children: tuple[Paragraph, ...]
    role: CalloutRole = "note"


Block = Heading | Paragraph | BulletList | OrderedList | Table | Figure | Callout


@dataclass(frozen=True)
class DocMeta:
    """Document properties both writers set."""

    title: str
    subject: str
    """The audience."""
    author: str
    keywords: tuple[str, ...]
    date: dt.date
    header: str
    """Running header text."""
    page_size: str = "A4"
    """A name of `pages.PAGE_SIZES`."""
    language: str = "en"


@dataclass(frozen=True)
class Document:
    meta: DocMeta
    blocks: tuple[Block, ...]


def plain_text(inlines: tuple[Inline, ...]) -> str:
    """Return the text a reader sees for a run of inlines (citations as [n, m])."""
    parts: list[str] = []
    for node in inlines:
        match node:
            case Text(text=text) | Label(text=text):
                parts.append(text)
            case Strong(children=children) | Emphasis(children=children) | Link(children=children):
                parts.append(plain_text(children))
            case Citation(numbers=numbers):
                parts.append("[" + ", ".join(map(str, numbers)) + "]")
    return "".join(parts)
