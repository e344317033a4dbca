"""Read .xlsx workbooks within stated bounds, whatever the file declares: recipients lists and data files.

`sheet_rows` gives the first sheet as text (a recipients list); `sheet_tables` gives every sheet as
cell values, a formula with no cached value marked UNCACHED (a data file).

A workbook is a zip of XML parts, and both layers can lie: a 300 KB file can unpack to 300 MB of
shared strings, and a sheet's declared dimension (`A1:XFD1048576`) makes openpyxl return every
row 16,384 cells wide. So before openpyxl sees the file, its zip directory is checked (openpyxl
reads each part through `zipfile`, which stops at the size the directory declares); then rows
are read without trusting the dimension, only as wide as the header (and one column more, so a
value right of the header still fails its row), skipping empty rows cheaply.

Limits (each refusal is a DataError naming the file and the limit):

- at most MAX_PARTS parts, MAX_UNPACKED bytes unpacked in all, MAX_PART bytes in any part but a
  worksheet (the others are read into memory whole; a worksheet is streamed);
- no part over RATIO_FROM bytes packed more than MAX_RATIO to 1 (real workbooks pack 5-20 to 1);
- no row beyond LAST_ROW, the last row a spreadsheet has.

Cell length and row count are bounded for CSV and workbooks alike, in `recipients`; a data
workbook's rows are bounded by the caller (`max_rows`).
"""

from __future__ import annotations

import io
import itertools
import struct
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .errors import DataError, located, one_line

__all__ = ["LAST_ROW", "MAX_DIRECTORY", "MAX_PART", "MAX_PARTS", "MAX_RATIO", "MAX_UNPACKED", "RATIO_FROM", "UNCACHED", "part_names",
           "sheet_rows", "sheet_tables"]

MAX_PARTS = 1_000
MAX_DIRECTORY = 1_000_000
"""Bytes of the zip's directory (1 MB, room for MAX_PARTS parts with long names): checked before `zipfile` parses it,
which takes seconds for the 400,000 entries 35 MB can hold."""
MAX_UNPACKED = 500_000_000
"""Bytes all parts unpack to (500 MB): a list of a million recipients written by openpyxl unpacks to about 290 MB."""
MAX_PART = 100_000_000
"""Bytes any part other than a worksheet unpacks to (100 MB): shared strings, styles."""
MAX_RATIO = 100
RATIO_FROM = 1_000_000
"""Parts smaller than this (1 MB) may pack as tightly as they like."""
LAST_ROW = 1_048_576


def sheet_rows(path: Path, data: bytes) -> Iterator[tuple[int, list[str]]]:
    """Yield the first sheet's non-empty rows as text, numbered as the sheet numbers them (the header is row 1).

    Raise DataError when the workbook is over a limit or damaged.
    """
    part_names(path, data)
    workbook = _open(path, data)
    try:
        yield from _rows(path, workbook.worksheets[0])
    except (DataError, GeneratorExit):
        raise
    except Exception as exc:  # openpyxl and zipfile raise many kinds for a damaged part
        raise _damaged(path, exc) from None
    finally:
        workbook.close()


UNCACHED = object()
"""The value of a formula cell the workbook holds no result for (saved by a program that does not calculate)."""

Row = tuple[int, list[Any]]


def sheet_tables(path: Path, data: bytes, max_rows: int) -> dict[str, list[Row]]:
    """Return each sheet's header and non-empty rows as cell values, by sheet name, numbered as the sheet numbers them.

    A formula gives its cached value, or UNCACHED when there is none. Raise DataError when the
    workbook is over a limit, a sheet has more than `max_rows` rows, or it is damaged.
    """
    part_names(path, data)
    values = _open(path, data)
    formulas = _open(path, data, data_only=False) if _has_formulas(data) else None  # read twice only when needed
    try:
        return {sheet.title: _table(path, sheet, formulas[sheet.title] if formulas else None, max_rows) for sheet in values.worksheets}
    except DataError:
        raise
    except Exception as exc:  # openpyxl and zipfile raise many kinds for a damaged part
        raise _damaged(path, exc) from None
    finally:
        values.close()
        if formulas is not None:
            formulas.close()


def _has_formulas(data: bytes) -> bool:
    """Whether any worksheet holds a formula (`<f>` or `<f ...>`), read in chunks."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/") and name.endswith(".xml") and _holds(archive, name, (b"<f>", b"<f ")):
                return True
    return False


def _holds(archive: zipfile.ZipFile, name: str, needles: tuple[bytes, ...]) -> bool:
    tail = b""
    with archive.open(name) as part:
        while chunk := part.read(1 << 20):
            window = tail + chunk
            if any(needle in window for needle in needles):
                return True
            tail = window[-8:]
    return False


def _table(path: Path, sheet: Any, formulas: Any, max_rows: int) -> list[Row]:
    """Return one sheet's header and non-empty rows, no wider than the header and one column more (`formulas`: the sheet
    read with its formulas, None when the workbook has none)."""
    sheet.reset_dimensions()
    if formulas is not None:
        formulas.reset_dimensions()
    header = list(next(sheet.iter_rows(max_row=1, values_only=True), ()))
    while header and header[-1] is None:
        header.pop()
    table: list[Row] = [(1, header)]
    width = len(header) + 1
    written = formulas.iter_rows(min_row=2, max_col=width) if formulas is not None else itertools.repeat(())
    pairs = zip(sheet.iter_rows(min_row=2, max_col=width), written, strict=False)
    for number, (cells, kinds) in enumerate(pairs, start=2):
        if number > max_rows + 1:
            raise DataError(f"{path}: sheet {sheet.title} has more than {max_rows:,} rows, over the limit of a data file")
        types = [getattr(typed, "data_type", "") for typed in kinds] or [""] * len(cells)
        row = [UNCACHED if cell.value is None and kind == "f" else cell.value for cell, kind in zip(cells, types, strict=False)]
        if row.count(None) < len(row):
            table.append((number, row))
    return table


def part_names(path: Path, data: bytes) -> frozenset[str]:
    """Return the names of the zip's parts (none when `data` is not a readable zip).

    Raise DataError when its directory declares more than a recipients list or data file needs.
    """
    _check_directory(path, data)
    try:
        parts = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        return frozenset()
    if len(parts) > MAX_PARTS:
        raise DataError(f"{path}: a workbook of {len(parts):,} parts, over the limit of {MAX_PARTS:,} parts")
    unpacked = sum(part.file_size for part in parts)
    if unpacked > MAX_UNPACKED:
        raise DataError(f"{path}: the workbook unpacks to {unpacked / 1e6:,.0f} MB, over the {MAX_UNPACKED / 1e6:,.0f} MB limit; "
                        "split the list")
    for part in parts:
        _check_part(path, part)
    return frozenset(part.filename for part in parts)


def _check_directory(path: Path, data: bytes) -> None:
    """Raise DataError when the zip's end record declares a directory over MAX_DIRECTORY bytes."""
    end = data.rfind(b"PK\x05\x06", max(0, len(data) - 65_557))
    if end < 0 or len(data) < end + 22:
        return  # not a zip: zipfile says so
    size = struct.unpack_from("<L", data, end + 12)[0]
    locator = end - 20
    if size == 0xFFFFFFFF and locator >= 0 and data[locator:locator + 4] == b"PK\x06\x07":  # zip64: the size is in its own record
        record = struct.unpack_from("<Q", data, locator + 8)[0]
        size = struct.unpack_from("<Q", data, record + 40)[0] if record + 48 <= len(data) else size
    if size > MAX_DIRECTORY:
        raise DataError(f"{path}: a zip directory of {size / 1e6:,.1f} MB, over the {MAX_DIRECTORY / 1e6:,.0f} MB limit "
                        f"({MAX_PARTS:,} parts) of a workbook")


def _check_part(path: Path, part: zipfile.ZipInfo) -> None:
    if part.file_size > MAX_PART and not part.filename.startswith("xl/worksheets/"):
        raise DataError(f"{path}: {part.filename} unpacks to {part.file_size / 1e6:,.0f} MB, over the {MAX_PART / 1e6:,.0f} MB "
                        "limit of a workbook part")
    if part.file_size > RATIO_FROM and part.file_size > MAX_RATIO * max(part.compress_size, 1):
        ratio = part.file_size / max(part.compress_size, 1)
        raise DataError(f"{path}: {part.filename} is packed {ratio:,.0f} to 1, over the limit of {MAX_RATIO} to 1 (a zip bomb?); "
                        "open and save the workbook again")


def _open(path: Path, data: bytes, *, data_only: bool = True) -> Any:
    from openpyxl import load_workbook

    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=data_only)
    except Exception as exc:  # openpyxl raises many kinds for a damaged workbook
        raise _damaged(path, exc) from None


def _rows(path: Path, sheet: Any) -> Iterator[tuple[int, list[str]]]:
    """Yield the header and the non-empty rows, reading no wider than the header and one column more."""
    sheet.reset_dimensions()  # the declared dimension is not trusted
    header = next(sheet.iter_rows(max_row=1, values_only=True), ())
    texts = [_cell_text(value) for value in header]
    while texts and not texts[-1].strip():
        texts.pop()
    yield 1, texts
    rows = sheet.iter_rows(min_row=2, max_col=len(texts) + 1, values_only=True)
    for number, values in enumerate(rows, start=2):
        if number > LAST_ROW:
            raise DataError(located(path, number, f"a row beyond row {LAST_ROW:,}, the last row of a spreadsheet"))
        if values.count(None) < len(values):  # not an empty row (a million of them cost a second this way)
            yield number, [_cell_text(value) for value in values]


def _damaged(path: Path, exc: BaseException) -> DataError:
    return DataError(f"{path}: cannot read this Excel workbook ({type(exc).__name__}: {one_line(str(exc))[:200]}): open and save it again")


def _cell_text(value: object) -> str:
    """Return a cell as the text a person sees: 42 not 42.0, dates as YYYY-MM-DD, empty for None."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat"):
        text = str(value.isoformat())
        return text.removesuffix("T00:00:00")
    return str(value)
