"""PDF objects written directly: the same bytes reportlab's generic formatting gives, in fewer steps.

reportlab formats every value of every dictionary and array through one generic function (a type
test, an encoding through its PDFDocEncoding codec, a name check), which adds up over the few
hundred objects of a brief. The writers that format objects themselves (`links`, the fonts' widths
in `fonts`) share these, and fall back to reportlab for anything they do not expect.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from reportlab import rl_config  # type: ignore[import-untyped]
from reportlab.lib.rl_accel import fp_str  # type: ignore[import-untyped]
from reportlab.pdfbase import pdfdoc  # type: ignore[import-untyped]

__all__ = ["NumberArray", "dictionary", "number_array", "plain_keys"]


def number_array(values: Iterable[Any]) -> bytes | None:
    """Return an array of numbers as reportlab's PDFArray writes it (each by `fp_str`, ten to a line); None when a value
    is not an int or float, or reportlab writes arrays one value a line (`rl_config.pdfMultiLine`)."""
    values = list(values)
    if rl_config.pdfMultiLine or not all(type(value) in (int, float) for value in values):
        return None
    lines = [str(fp_str(*values[start:start + 10])).encode("ascii") for start in range(0, len(values), 10)]
    return b"[ " + b" \n  ".join(lines) + b" ]"


class NumberArray(pdfdoc.PDFArray):  # type: ignore[misc]
    """A PDF array of numbers written by `number_array` (a font's widths: 100 to 256 a subset)."""

    def format(self, document: Any, IND: bytes = b"\n ") -> bytes:
        written = number_array(self.sequence)
        return written if written is not None else bytes(super().format(document, IND))


def plain_keys(entries: Any) -> bool:
    """Whether `entries` is a plain dict that `dictionary` writes as reportlab would (ASCII letter-and-digit names)."""
    return (not rl_config.pdfMultiLine and type(entries) is dict
            and all(type(key) is str and key.isalnum() and key.isascii() for key in entries))


def dictionary(entries: dict[str, Any], value: Callable[[str, Any], bytes]) -> bytes:
    """Return a dictionary as reportlab's PDFDictionary writes it (keys sorted, a line break every 6 entries), each
    value written by `value(key, value)`; the caller checked `plain_keys(entries)`."""
    parts = [b"/" + key.encode("ascii") + b" " + value(key, entries[key]) for key in sorted(entries)]
    for index in reversed(range(6, len(parts), 6)):
        parts.insert(index, b"\n ")
    return b"<<\n" + b" ".join(parts) + b"\n>>"
