"""Find data text that no PDF font can print, naming the field, before any brief is written.

The PDF writer prints such a character as a visible replacement mark and warns; `check` says
which field of the data file holds it, so the author can fix the text or install a font.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from typing import Any

__all__ = ["uncovered_text"]

Path_ = tuple[str | int, ...]


def uncovered_text(value: Any, path: Path_ = ()) -> Iterator[tuple[Path_, list[str]]]:
    """Yield (path, characters) for every string in `value` holding characters no PDF font covers."""
    from .writers.pdf.fonts import uncovered  # the PDF stack is imported only when a check runs

    for where, text in _strings(value, path):
        if not text.isascii():
            missing = uncovered(text)
            if missing:
                yield where, missing


def describe(chars: list[str]) -> str:
    """Return 'U+E000 (PRIVATE USE), U+…' for a list of characters."""
    return ", ".join(f"U+{ord(c):04X} ({unicodedata.name(c, 'unnamed')})" for c in chars)


def _strings(value: Any, path: Path_) -> Iterator[tuple[Path_, str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, (*path, index))
