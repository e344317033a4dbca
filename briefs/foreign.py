"""Text in another language than the brief's: an untranslated original, which the layout marks with its language."""

from __future__ import annotations

from markupsafe import escape

__all__ = ["Foreign", "same_language"]


class Foreign(str):
    """Text shown in a language other than the brief's (an untranslated original): prints as `<span lang>`."""

    language: str

    def __new__(cls, text: str, language: str) -> Foreign:
        value = super().__new__(cls, text)
        value.language = language
        return value

    def __getnewargs__(self) -> tuple[str, str]:  # type: ignore[override]
        return (str(self), self.language)

    def __html__(self) -> str:
        return f'<span lang="{escape(self.language)}">{escape(str(self))}</span>'


def same_language(original: str, piece: str) -> str:
    """Return `piece` (a part of `original`) tagged with `original`'s language when that is foreign."""
    return Foreign(piece, original.language) if isinstance(original, Foreign) else piece
