"""One way to print a number, in the text, the tables and every chart alike, in the brief's language.

    format_number(270000)     '270,000'     whole numbers without decimals
    format_number(0.5)        '0.5'         at most two decimals, trailing zeros dropped
    format_number(1234.567)   '1,234.57'
    format_number(2, 1)       '2.0'         a fixed number of decimals when asked (the templates' `number(1)`)
    format_number(270000, locale=Locale("de"))   '270.000'   separators and grouping of the language (Babel)
"""

from __future__ import annotations

import math
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from babel import Locale

__all__ = ["format_number"]

MOST_DECIMALS = 2
"""Decimals a value prints with when none are asked for: enough for a share or a rate, never a float's noise."""


def format_number(value: float, decimals: int | None = None, locale: Locale | None = None) -> str:
    """Return `value` with thousands separators: `decimals` fixed ones, else none for a whole number and at most two.

    Without a `locale` (or in plain English) the separators are ',' and '.'; with one, Babel writes
    them as the language does, with the same rule for decimals.
    """
    if not math.isfinite(value):
        return str(value)
    if locale is not None and str(locale) != "en":
        return _localized(value, decimals, locale)
    if decimals is not None:
        return f"{value:,.{max(0, min(decimals, 10))}f}"
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.{MOST_DECIMALS}f}".rstrip("0").rstrip(".")


def _localized(value: float, decimals: int | None, locale: Locale) -> str:
    from babel.numbers import format_decimal

    fixed = max(0, min(decimals, 10)) if decimals is not None else None
    return format_decimal(value, format=_pattern(locale, fixed), locale=locale)


@lru_cache(maxsize=128)
def _pattern(locale: Locale, fixed: int | None) -> str:
    """Return the language's decimal pattern (its grouping) with the decimals briefs prints: `fixed`, else up to two."""
    pattern = locale.decimal_formats[None].pattern.split(";")[0]
    whole = pattern.split(".")[0]
    if fixed is None:
        return f"{whole}.{'#' * MOST_DECIMALS}"
    return f"{whole}.{'0' * fixed}" if fixed else whole
