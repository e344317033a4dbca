"""Which language a run of text is in, when it differs from the document's: what every writer tags."""

from __future__ import annotations

from ..doctree import Emphasis, Inline, Label, Link, Strong, Text

__all__ = ["dominant_language"]


def dominant_language(inlines: tuple[Inline, ...]) -> str | None:
    """Return the language of most of the text of `inlines` when it is not the document's, else None.

    A PDF marks a language per structure element, not per glyph run: an element written mostly
    in the original language (an untranslated fact) is tagged with it as a whole.
    """
    counts: dict[str | None, int] = {}
    for language, text in _runs(inlines):
        counts[language] = counts.get(language, 0) + len(text.strip())
    if not counts:
        return None
    language = max(counts, key=lambda key: counts[key])
    return language if language is not None and counts[language] * 2 > sum(counts.values()) else None


def _runs(inlines: tuple[Inline, ...]) -> list[tuple[str | None, str]]:
    runs: list[tuple[str | None, str]] = []
    for node in inlines:
        match node:
            case Text(text=text, language=language):
                runs.append((language, text))
            case Label(text=text):
                runs.append((None, text))
            case Strong(children=children) | Emphasis(children=children) | Link(children=children):
                runs += _runs(children)
            case _:
                pass
    return runs
