"""Paragraph flowables that lay out faster and carry what the outline needs.

reportlab re-breaks a paragraph's lines on every `wrap`, and platypus wraps the same paragraph
at the same width several times (keep-with-next groups, lists, tables, split attempts): about a
fifth of a brief's cost. A paragraph's lines depend only on its width, so they are kept.
"""

from __future__ import annotations

from typing import Any

from reportlab.platypus import Flowable  # type: ignore[import-untyped]
from reportlab.platypus import Paragraph as RLParagraph

__all__ = ["OutlinedHeading", "WrapOnceParagraph"]


class WrapOnceParagraph(RLParagraph):  # type: ignore[misc]
    """A Paragraph that breaks its lines once per width instead of on every wrap."""

    _wrapped_width: float | None = None

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        """Return (width, height), breaking lines only when the width changed (or split dropped them)."""
        if availWidth == self._wrapped_width and hasattr(self, "blPara"):
            return self.width, self.height
        size: tuple[float, float] = super().wrap(availWidth, availHeight)
        self._wrapped_width = availWidth
        return size


class OutlinedHeading(WrapOnceParagraph):
    """A heading that marks its own position and becomes an outline entry once placed."""

    def __init__(self, markup: str, style: Any, *, outline: tuple[str, int, str], rule: Any = None) -> None:
        super().__init__(markup, style)
        self.outline_text, self.outline_level, self.outline_key = outline
        self.rule = rule
        """Colour of a thin rule under the heading, or None for no rule."""

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        """Refuse to split: a heading moves to the next page whole, with its outline entry."""
        return []

    def draw(self) -> None:
        """Draw the text, the rule under it, and a destination at its top for the outline entry."""
        super().draw()
        self.canv.bookmarkHorizontal(self.outline_key, 0, self.height + self.style.fontSize * 0.5)
        if self.rule is not None:
            self.canv.saveState()
            self.canv.setStrokeColor(self.rule)
            self.canv.setLineWidth(0.6)
            self.canv.line(0, -3, self.width, -3)
            self.canv.restoreState()
