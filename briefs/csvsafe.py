"""Write CSV that a spreadsheet opens as text: no cell the product writes is taken for a formula.

Excel, LibreOffice and Google Sheets evaluate a CSV cell that starts with `=`, `+`, `-` or `@`
(`=HYPERLINK(...)` sends a click to any address, `=cmd|' /C calc'!A0` once started programs), and
Excel reads the full-width forms (＝ ＋ － ＠) alike in East Asian locales; a leading tab, carriage
return or line feed, or leading spaces, can hide such a start. As OWASP advises ("CSV Injection"),
such a cell is written with an apostrophe before it: a spreadsheet shows the text, apostrophe
included, and evaluates nothing. A cell that is a plain number (`-12`, `+3.5`) is left as it is:
it evaluates to itself. So a name like "-2+3" arrives as `'-2+3`; a program reading the file
back can drop one leading apostrophe where the next character is one of those above.

Every CSV the product writes goes through `csv_bytes`.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence

__all__ = ["csv_bytes", "safe_cell"]

_FORMULA_STARTS = frozenset("=+-@\uff1d\uff0b\uff0d\uff20")
_HIDING_STARTS = frozenset("\t\r\n")
_NUMBER = re.compile(r"[+-]?\d+(?:\.\d+)?")


def safe_cell(text: str) -> str:
    """Return `text`, with an apostrophe before it when a spreadsheet would read it as a formula."""
    if not text or _NUMBER.fullmatch(text):
        return text
    if text[0] in _HIDING_STARTS or text.lstrip()[:1] in _FORMULA_STARTS:
        return "'" + text
    return text


def csv_bytes(rows: Iterable[Sequence[str]]) -> bytes:
    """Return `rows` as CSV in UTF-8 with CRLF line ends (RFC 4180), every cell passed through `safe_cell`."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerows([safe_cell(cell) for cell in row] for row in rows)
    return buffer.getvalue().encode("utf-8")
