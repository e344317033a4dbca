"""Citations: numbering sources in order of first use, and the inline markers of the opening.

The summary and bottom line cite sources inline, pandoc-style: `China mined about 69% [@usgs-mcs-2025].`
or several at once, `[@dpa-afx; @qazinform]`. A marker becomes the citation numbers where it
stood; every other character is plain text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from .brief import CitedSource, CitedText
from .evidence import confidence
from .foreign import same_language
from .models import Source
from .words import ENGLISH, Words, catalogue

__all__ = ["MARKER", "Citer", "marker_ids", "split_markers"]

MARKER = re.compile(r"\[@([^\]\n]*)\]")
"""An inline citation marker: `[@id]` or `[@id; @id2]` (commas work too)."""


def split_markers(text: str) -> list[tuple[str, tuple[str, ...]]]:
    """Return (text, source ids cited right after it) pieces; the ids of one marker stay together."""
    pieces: list[tuple[str, tuple[str, ...]]] = []
    at = 0
    for match in MARKER.finditer(text):
        pieces.append((text[at:match.start()].rstrip(), _ids(match.group(1))))
        at = match.end()
    if at < len(text) or not pieces:
        pieces.append((text[at:], ()))
    return pieces


def marker_ids(text: str) -> Iterator[tuple[int, str]]:
    """Yield (marker index, source id) for every id cited in `text`, for reference checks."""
    for index, match in enumerate(MARKER.finditer(text)):
        for source_id in _ids(match.group(1)):
            yield index, source_id


def _ids(inside: str) -> tuple[str, ...]:
    return tuple(part.strip().removeprefix("@").strip() for part in re.split(r"[;,]", inside) if part.strip())


class Citer:
    """Number sources in order of first use; local to one selection."""

    def __init__(self, sources: dict[str, Source], words: Words | None = None) -> None:
        self.sources = sources
        self.words = words or catalogue(ENGLISH)
        """The words of the brief: reasons and what each grade means."""
        self._numbers: dict[str, int] = {}

    def cite(self, ids: Iterable[str]) -> tuple[int, ...]:
        """Return the numbers of `ids`, numbering the ones not cited before."""
        numbers = []
        for source_id in ids:
            number = self._numbers.setdefault(source_id, len(self._numbers) + 1)
            if number not in numbers:
                numbers.append(number)
        return tuple(sorted(numbers))

    def cited_text(self, text: str) -> CitedText:
        """Return `text` with its markers turned into citation numbers, and the label its sources give it."""
        pieces = split_markers(text)
        ids = [source_id for _, cited in pieces for source_id in cited]
        grades = {source_id: source.reliability for source_id, source in self.sources.items()}
        judged = confidence(None, ids, grades, words=self.words)
        return CitedText(tuple((same_language(text, piece), self.cite(cited)) for piece, cited in pieces), judged.label,
                         judged.reason)

    def listed(self) -> tuple[CitedSource, ...]:
        """Return the cited sources in number order."""
        return tuple(
            CitedSource(number=number, id=s.id, title=s.title, publisher=s.publisher, date=s.date, url=s.url,
                        reliability=s.reliability, grade_meaning=self.words.text(f"grade.{s.reliability}"), note=s.note,
                        archived=s.archived, no_address=s.no_address, descriptive_title=s.descriptive_title)
            for source_id, number in self._numbers.items()
            for s in (self.sources[source_id],)
        )
