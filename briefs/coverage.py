"""Find data text that an output format's fonts cannot print, naming the field, before any brief is written.

A writer that embeds its fonts says which characters they lack (the `coverage` of its `WRITERS`
row: the PDF's fallback chain); it prints such a character as a visible replacement mark and
warns, and `check` says which field of the data file holds it, so the author can fix the text or
install a font.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from typing import Any

from .writers import WRITERS

__all__ = ["describe", "uncovered_text"]

Path_ = tuple[str | int, ...]


def uncovered_text(value: Any, path: Path_ = ()) -> Iterator[tuple[Path_, str, list[str]]]:
    """Yield (path, format, characters) for every string in `value` holding characters that format's fonts lack."""
    for fmt, spec in WRITERS.items():
        if spec.coverage is None:
            continue
        for where, text in _strings(value, path):
            if not text.isascii():
                missing = spec.coverage(text)  # imports the writer's libraries on the first text that needs them
                if missing:
                    yield where, fmt, missing


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
