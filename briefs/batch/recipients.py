"""Read a recipients CSV: a header naming `name`, `audience` and `email`, then one row per recipient.

Further columns are personalization fields a template reads as `recipient.<column>`. Fields are
separated by commas, or by semicolons or tabs when the header has no comma (as spreadsheets in
many locales save them). A bad header, or a file too large, is a DataError: the batch stops
before writing anything. A bad row (broken UTF-8, unknown audience, empty name, a wrong number of
fields) fails that row alone, as a RowFailure naming its line; the other rows go on.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

from ..errors import DataError, located

__all__ = ["MAX_BYTES", "MAX_ROWS", "REQUIRED", "Recipient", "Recipients", "RowFailure", "read_recipients"]

MAX_BYTES = 50_000_000
"""Largest recipients file accepted (50 MB): all rows are held in memory."""
MAX_ROWS = 1_000_000
REQUIRED = ("name", "audience", "email")
"""Columns every recipients file has; matched ignoring case and surrounding spaces."""


@dataclass(frozen=True)
class Recipient:
    """One valid row."""

    line: int
    """Line of the file where the row starts (the header is line 1)."""
    name: str
    audience: str
    fields: dict[str, str]
    """Every column of the row by header name: what templates see as `recipient`."""


@dataclass(frozen=True)
class RowFailure:
    """A row that produces no brief, and why."""

    line: int
    name: str
    """The name as far as it could be read; '' when unknown."""
    message: str
    """`file:line: what is wrong`."""


@dataclass(frozen=True)
class Recipients:
    """The rows of a recipients file, valid and failed, in file order."""

    header: tuple[str, ...]
    rows: tuple[Recipient, ...]
    failures: tuple[RowFailure, ...]
    warnings: tuple[str, ...]


def read_recipients(path: Path, audiences: Collection[str]) -> Recipients:
    """Read and check `path`; raise DataError when the file as a whole is unusable.

    `audiences` are the known profile ids. UTF-8 with or without a byte-order mark; invalid
    bytes fail only the rows holding them.
    """
    text = _text(path)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    header = _header(path, next(reader, None))
    rows: list[Recipient] = []
    failures: list[RowFailure] = []
    warnings: list[str] = []
    line = reader.line_num + 1
    while True:
        try:
            row = next(reader, None)
        except csv.Error as exc:
            failures.append(RowFailure(line, "", located(path, line, f"not a valid CSV row ({exc})")))
            line = reader.line_num + 1
            continue
        if row is None:
            break
        start, line = line, reader.line_num + 1
        if not any(cell.strip() for cell in row):
            continue
        if len(rows) + len(failures) >= MAX_ROWS:
            raise DataError(located(path, start, f"more than {MAX_ROWS:,} rows; split the file"))
        result = _recipient(path, start, header, row, audiences, warnings)
        if isinstance(result, Recipient):
            rows.append(result)
        else:
            failures.append(result)
    return Recipients(header, tuple(rows), tuple(failures), tuple(warnings))


def _text(path: Path) -> str:
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise DataError(f"{path}: {size / 1e6:.0f} MB is over the {MAX_BYTES / 1e6:.0f} MB limit of a recipients file; split it")
        data = path.read_bytes()
    except OSError as exc:
        raise DataError(f"{path}: cannot read the recipients file ({exc.strerror or exc})") from None
    # Invalid bytes become lone surrogates, so that only the rows holding them fail.
    return data.decode("utf-8", errors="surrogateescape").removeprefix("\ufeff")


def _delimiter(text: str) -> str:
    """Return ',' unless the header line has none but has ';' or a tab (spreadsheets in many locales write ';')."""
    header = text.split("\n", 1)[0]
    if "," in header:
        return ","
    return next((candidate for candidate in (";", "\t") if candidate in header), ",")


def _header(path: Path, row: list[str] | None) -> tuple[str, ...]:
    if row is None:
        raise DataError(located(path, 1, f"empty file; expected a header {','.join(REQUIRED)}"))
    names = [cell.strip() for cell in row]
    names = [name.lower() if name.lower() in REQUIRED else name for name in names]
    problem = next((_bad_byte(name) for name in names if _bad_byte(name)), None)
    if problem:
        raise DataError(located(path, 1, f"the header is not valid UTF-8 ({problem}): save the file as CSV UTF-8"))
    missing = [name for name in REQUIRED if name not in names]
    if missing:
        raise DataError(located(path, 1, f"the header lacks {', '.join(missing)}; expected {','.join(REQUIRED)} then any further columns"))
    if "" in names:
        raise DataError(located(path, 1, f"column {names.index('') + 1} of the header has no name"))
    duplicates = sorted({name for name in names if names.count(name) > 1})
    if duplicates:
        raise DataError(located(path, 1, f"the header names {duplicates[0]!r} twice"))
    return tuple(names)


def _recipient(
    path: Path, line: int, header: tuple[str, ...], row: list[str], audiences: Collection[str], warnings: list[str]
) -> Recipient | RowFailure:
    """Return the row as a Recipient, or the reason it fails."""
    values = dict(zip(header, (cell.strip() for cell in row), strict=False))
    name = _one_line(values.get("name", ""))
    for column, value in values.items():
        if _bad_byte(value):
            return RowFailure(line, "", located(path, line, f"not valid UTF-8 ({_bad_byte(value)} in column {column!r})"))
    if len(row) != len(header):
        return RowFailure(line, name, located(path, line, f"{len(row)} fields, but the header has {len(header)}"))
    if not name:
        return RowFailure(line, name, located(path, line, "empty name"))
    audience = values["audience"]
    if audience not in audiences:
        what = f"unknown audience {audience!r}" if audience else "empty audience"
        return RowFailure(line, name, located(path, line, f"{what}; known audiences: {', '.join(sorted(audiences))}"))
    fields = {}
    for column, value in values.items():
        fields[column] = _printable(value)
        if len(fields[column]) != len(value):
            warnings.append(located(path, line, f"dropped {len(value) - len(fields[column])} unprintable character(s)", column))
    fields["name"] = _one_line(fields["name"])
    return Recipient(line, fields["name"], audience, fields)


def _bad_byte(text: str) -> str | None:
    """Describe the first undecodable byte `text` holds (as a lone surrogate), or None."""
    for char in text:
        if 0xDC80 <= ord(char) <= 0xDCFF:
            return f"byte 0x{ord(char) - 0xDC00:02X}"
    return None


def _printable(text: str) -> str:
    """Return `text` without control characters other than tab and line breaks (no writer prints them)."""
    return "".join(char for char in text if char in "\t\n\r" or unicodedata.category(char) != "Cc")


def _one_line(text: str) -> str:
    return " ".join(text.split())
