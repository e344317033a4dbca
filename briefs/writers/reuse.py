"""What two briefs of one audience share, for writers that finish a brief from one they wrote before.

In a personalised batch, the briefs of one audience differ only in a few plain paragraphs (the
recipient's name on the cover). A writer keeps the last briefs it wrote (`Kept`), and for a new
one asks `varying_blocks` which blocks differ; when every difference is a plain paragraph, it may
rebuild just those and reuse the rest of the file. The result must be byte-identical to writing the
brief from scratch: each writer checks its own conditions (the PDF, that the first page is laid
out the same) and otherwise writes in full. Kept briefs are compared by value, never by address.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable
from pathlib import Path
from typing import Generic, TypeVar

from ..doctree import Block, Document, Emphasis, Inline, Paragraph, Strong, Text
from .theme import Theme

__all__ = ["Kept", "file_versions", "varying_blocks"]

_PLAIN_ROLES = frozenset({"body", "subtitle", "meta", "small"})
"""Paragraph roles whose paragraph stands alone: no heading level, outline entry, box or caption tie."""


def varying_blocks(kept: Document, new: Document) -> tuple[int, ...] | None:
    """Return the indices of the blocks where `new` differs from `kept`, when all of them are plain paragraphs.

    None when the two cannot share a file: other properties, another number of blocks, or a
    difference in anything but a plain paragraph (no anchor, no link, no citation, no label: such
    inlines number things across the document).
    """
    if new.meta != kept.meta or len(new.blocks) != len(kept.blocks):
        return None
    varying = []
    for index, (old, block) in enumerate(zip(kept.blocks, new.blocks, strict=True)):
        if old == block:
            continue
        if not (_plain(old) and _plain(block) and type(old) is type(block)):
            return None
        if isinstance(old, Paragraph) and isinstance(block, Paragraph) and old.role != block.role:
            return None
        varying.append(index)
    return tuple(varying)


def file_versions(theme: Theme | None, *paths: Path | None) -> tuple[tuple[str, int, int], ...]:
    """Return each file's path, modification time and size: the theme's fonts and `paths` (a logo, a reference document).

    Part of a writer's key for what it keeps, so a file saved anew (a logo in the live preview) is never drawn from a
    brief made with its old contents. A file that cannot be read counts as size -1.
    """
    files = [*(path for family in (theme.body_font, theme.heading_font) if family for path in family.files())] if theme else []
    versions = []
    for path in (*files, *(path for path in paths if path is not None)):
        try:
            stat = path.stat()
            versions.append((str(path), stat.st_mtime_ns, stat.st_size))
        except OSError:
            versions.append((str(path), 0, -1))
    return tuple(versions)


def _plain(block: Block) -> bool:
    return (isinstance(block, Paragraph) and block.role in _PLAIN_ROLES and block.anchor is None
            and all(_plain_inline(inline) for inline in block.children))


def _plain_inline(inline: Inline) -> bool:
    if isinstance(inline, Text):
        return True
    if isinstance(inline, Strong | Emphasis):
        return all(_plain_inline(child) for child in inline.children)
    return False


K = TypeVar("K", bound=Hashable)
E = TypeVar("E")


class Kept(Generic[K, E]):
    """The last entries a writer made, a few per key, the least recently used dropped first.

    Bounded twice: `keys` keys, `per_key` entries under each. A writer keys entries by every value
    that shapes its output besides the document (page size, theme, logo, reference document).
    Safe to share between threads (the preview writes briefs for concurrent requests).
    """

    def __init__(self, keys: int = 8, per_key: int = 2) -> None:
        self._entries: OrderedDict[K, list[E]] = OrderedDict()
        self._keys, self._per_key = keys, per_key
        self._lock = threading.Lock()

    def under(self, key: K) -> list[E]:
        """Return the entries under `key`, the most recent first."""
        with self._lock:
            entries = self._entries.get(key)
            if entries is None:
                return []
            self._entries.move_to_end(key)
            return list(entries)

    def add(self, key: K, entry: E) -> None:
        """Keep `entry` under `key`, dropping the oldest beyond the bounds."""
        with self._lock:
            entries = self._entries.setdefault(key, [])
            self._entries.move_to_end(key)
            entries.insert(0, entry)
            del entries[self._per_key:]
            while len(self._entries) > self._keys:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        """Forget every entry (a test that builds each brief alone)."""
        with self._lock:
            self._entries.clear()
