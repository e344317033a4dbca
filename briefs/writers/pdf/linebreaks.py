"""Keep a paragraph's line breaks across briefs, so a paragraph seen before is not broken again.

Briefs written by one process repeat most paragraphs: the audiences of one data file share facts,
a batch repeats every paragraph but the recipient's own lines, and the live preview rebuilds the
same brief on each edit. Breaking lines is the largest part of laying a brief out. The lines of a
paragraph depend only on its parsed markup (markup, style, bullet, case sensitivity), its class
and the widths it is broken to, so they are kept under that key, with what breaking leaves on the
paragraph (reportlab swaps in the words it measured, and narrows the widths for a bullet).

Not kept: the second half of a split paragraph (its lines come from the first half), and lines
where a word was hyphenated (reportlab changes the class of the hyphenated word when it splits the
paragraph, and the word would be shared). Lines where a long word (a URL in a source entry) was cut
to fit are kept: the cut pieces are never changed afterwards.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

__all__ = ["broken_lines"]

_LIMIT = 4096
"""Entries kept, least recently used dropped first: a batch's recipients each add a few, shared paragraphs stay."""
_LEFT_ON_PARAGRAPH = ("frags", "_width_max", "_splitLongWordCount", "_hyphenations", "height")
"""Attributes breaking lines sets on a paragraph, restored with the lines they came with."""
_MISSING = object()


@dataclass(frozen=True)
class _Broken:
    """The lines of one paragraph at one width, and what breaking them left behind."""

    lines: Any
    left: tuple[tuple[str, Any], ...]
    widths: tuple[float, ...]


_KEPT: OrderedDict[tuple[Any, ...], _Broken] = OrderedDict()


def broken_lines(paragraph: Any, key: tuple[Any, ...] | None, widths: Any, breaking: Callable[[Any], Any]) -> Any:
    """Return `breaking(widths)` for `paragraph`, reusing the lines of an earlier paragraph with the same `key` and widths.

    `key` is None for a paragraph that cannot be reused. `widths` (a list) is narrowed in place
    as breaking narrows it, so the caller sees the same list either way.
    """
    if key is None or getattr(paragraph, "_splitpara", False) or not isinstance(widths, list):
        return breaking(widths)
    full_key = (type(paragraph), key, tuple(widths))
    kept = _KEPT.get(full_key)
    if kept is None:
        lines = breaking(widths)
        if getattr(paragraph, "_hyphenations", 0):
            return lines
        left = tuple((name, paragraph.__dict__.get(name, _MISSING)) for name in _LEFT_ON_PARAGRAPH)
        kept = _KEPT[full_key] = _Broken(lines, left, tuple(widths))
        if len(_KEPT) > _LIMIT:
            _KEPT.popitem(last=False)
        return lines
    _KEPT.move_to_end(full_key)
    for name, value in kept.left:
        if value is not _MISSING:
            setattr(paragraph, name, value)
    widths[:] = kept.widths
    return kept.lines
