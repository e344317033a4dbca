"""Suggestions for a mistyped id, word or option value: one rule, so every message offers them alike."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

__all__ = ["closest", "did_you_mean", "known_or_closest"]


def closest(wrong: str, known: Iterable[str], most: int = 3) -> list[str]:
    """Return up to `most` known values close enough to `wrong` to be what was meant, closest first (case ignored)."""
    by_folded: dict[str, str] = {}
    for value in known:
        by_folded.setdefault(value.casefold(), value)
    return [by_folded[match] for match in difflib.get_close_matches(wrong.casefold(), list(by_folded), n=most)]


def did_you_mean(wrong: str, known: Iterable[str], most: int = 3) -> str:
    """Return "did you mean 'a' or 'b'?" for the known values close to `wrong`; "" when none is."""
    close = closest(wrong, known, most)
    return f"did you mean {' or '.join(repr(value) for value in close)}?" if close else ""


def known_or_closest(wrong: str, known: Iterable[str], what: str, shown: int = 8) -> str:
    """Return "did you mean ...?" when `wrong` looks like a typo, else "known WHAT: a, b, ..." (at most `shown` of them)."""
    values = sorted(set(known))
    suggestion = did_you_mean(wrong, values)
    if suggestion or not values:
        return suggestion
    return f"{' '.join(('known', what)).strip()}: {', '.join(values[:shown])}{', ...' if len(values) > shown else ''}"
