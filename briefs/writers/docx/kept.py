"""Finish a DOCX from one written before: write the paragraphs that differ, reuse every other part.

Two briefs of one audience in a personalised batch differ in a few plain paragraphs (the
recipient's line on the cover, `reuse.varying_blocks`). A plain paragraph's XML depends on nothing
but its own text and style (no bookmark, link, numbering or relationship), so the new brief's body
is the kept one with those paragraphs written anew in their places, and every other member of the
zip (styles, numbering, properties, pictures, relationships) is the same, already compressed.
The kept document is put back as it was after each finish. The result is byte-identical to a brief
written alone (tested on recipients of many names and scripts).
"""

from __future__ import annotations

import io
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ...doctree import Block, Document
from .package import DOCUMENT_PART, Entry, entry, write_zip

__all__ = ["KeptDocx", "finish"]

_ONE_AT_A_TIME = threading.Lock()
"""A kept document is changed while a brief is finished from it (and put back): one finish at a time."""


@dataclass(frozen=True)
class KeptDocx:
    """A DOCX written in full: its document tree, its python-docx document, and what each block made."""

    document: Document
    base: Any
    """The base document it was made from (compared by identity: the entry holds it, so it cannot be another's)."""
    body: Any
    """The body element of the python-docx document."""
    blob: Callable[[], bytes]
    """Serialises the body's part (document.xml) as the zip holds it."""
    add_block: Callable[[Block], None]
    """Appends a block to the body, as the full write did."""
    made: tuple[tuple[Any, ...], ...]
    """Block index -> the body elements it made."""
    entries: tuple[Entry, ...]
    data: bytes


def finish(kept: KeptDocx, varying: tuple[int, ...], document: Document) -> bytes | None:
    """Return the DOCX of `document` from `kept`, which differs from it only in the plain paragraphs `varying`; None if one
    of those did not make exactly one element."""
    if any(len(kept.made[index]) != 1 for index in varying):
        return None
    body = kept.body
    with _ONE_AT_A_TIME:
        swapped: list[tuple[Any, Any]] = []
        try:
            for index in varying:
                (old,) = kept.made[index]
                count = len(body)
                try:
                    kept.add_block(document.blocks[index])
                finally:
                    new = _made(body, count)  # taken out at once: put in the old one's place below, or dropped on a failure
                    for element in new:
                        body.remove(element)
                if len(new) != 1:
                    return None
                old.addprevious(new[0])  # puts the new paragraph in the old one's place
                body.remove(old)
                swapped.append((old, new[0]))
            blob = kept.blob()
        finally:
            for old, new in reversed(swapped):
                new.addprevious(old)
                body.remove(new)
    name = DOCUMENT_PART.encode("utf-8")
    buffer = io.BytesIO()
    write_zip((entry(DOCUMENT_PART, blob) if member.name == name else member for member in kept.entries), buffer)
    return buffer.getvalue()


def made_by(body: Any, count: int) -> tuple[Any, ...]:
    """Return the elements appended to `body` since it had `count` children (the section properties stay last)."""
    return tuple(_made(body, count))


def _made(body: Any, count: int) -> list[Any]:
    children = list(body)
    last = 1 if children and children[-1].tag.endswith("}sectPr") else 0
    return children[count - last : len(children) - last]
