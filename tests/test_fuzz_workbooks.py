"""Property-based runs over workbooks: whatever a recipients .xlsx holds, or however it is damaged,
reading it gives recipients or one DataError naming the file, never another exception and never a hang.

As in test_fuzz, BRIEFS_FUZZ_EXAMPLES=N tries N fresh workbooks instead of the same few dozen.
"""

from __future__ import annotations

import datetime
import io
import tempfile
import time
from pathlib import Path
from typing import Any

from deadline import within
from fuzzing import FUZZ
from hypothesis import given
from hypothesis import strategies as st
from workbooks import cell, sheet_xml, workbook_bytes

from briefs.batch.recipients import Recipients, read_recipients
from briefs.errors import DataError

AUDIENCES = ("investor", "researcher")
SECONDS = 10
"""The most reading one fuzzed workbook may take (the hostile ones take well under a second)."""

_VALUES = st.one_of(
    st.none(), st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=40), st.integers(min_value=-(2**53), max_value=2**53),
    st.floats(allow_nan=True, allow_infinity=False, width=32), st.booleans(),
    st.dates(min_value=datetime.date(1900, 3, 1), max_value=datetime.date(9999, 12, 31)),
    st.sampled_from(["=1/0", "=A1&B1", '=HYPERLINK("https://x.test","y")', "=SUM(A1:XFD1048576)", "investor", "RESEARCHER",
                     "ann@example.org", "not an address", "x" * 33_000, " ", "\u2028", "日本語"]),
)
_HEADERS = st.lists(st.sampled_from(["name", "Name ", "audience", "AUDIENCE", "email", "E-mail", "", "name", "seats", None, 42]),
                    min_size=0, max_size=6)


def _written(header: list[Any], rows: list[list[Any]], gaps: list[int]) -> bytes:
    """Return an openpyxl-written workbook: `header`, then `rows`, with empty rows before the row numbers in `gaps`."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(header)
    for number, row in enumerate(rows):
        for _ in range(gaps.count(number)):
            sheet.append([])
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@st.composite
def workbooks(draw: st.DrawFn) -> bytes:
    """Return the bytes of a workbook: openpyxl-written with odd values, hand-written with odd geometry, or damaged."""
    kind = draw(st.sampled_from(("written", "written", "geometry", "damaged")))
    if kind == "geometry":
        return workbook_bytes(sheet_xml(draw(_far_rows()), dimension=draw(st.sampled_from((None, "A1:XFD1048576", "A1", "Z9:A1", "junk")))))
    header = draw(_HEADERS)
    rows = draw(st.lists(st.lists(_VALUES, max_size=7), max_size=6))
    data = _written(header, rows, draw(st.lists(st.integers(min_value=0, max_value=6), max_size=3)))
    if kind == "damaged":
        # a fraction of the length: openpyxl stamps the time into the file, so its length varies between runs
        at = draw(st.integers(min_value=0, max_value=999)) * len(data) // 1000
        how = draw(st.sampled_from(("truncate", "flip", "zero")))
        if how == "truncate":
            return data[:at]
        return data[:at] + (bytes([data[at] ^ 0xFF]) if how == "flip" else b"\x00" * 64) + data[at + 1:]
    return data


@st.composite
def _far_rows(draw: st.DrawFn) -> list[tuple[int, list[str]]]:
    """Return a header row and rows at far row numbers and columns, as a hostile workbook places them."""
    columns = st.sampled_from(["A", "B", "C", "AA", "XFD", "XFE", "ZZZZ"])
    numbers = st.sampled_from([1, 2, 3, 1_048_575, 1_048_576, 1_048_577, 2**31])
    rows = [(1, [cell("A1", "name"), cell("B1", "audience"), cell(f"{draw(columns)}1", "extra")])]
    for number in sorted(draw(st.lists(numbers, max_size=3, unique=True))):
        rows.append((number, [cell(f"A{number}", "Ann"), cell(f"B{number}", "investor"), cell(f"{draw(columns)}{number}", "x")]))
    return rows


def _read(data: bytes) -> Recipients | DataError:
    """Read `data` as a recipients list; return what it gave (any other exception, or a hang, fails the test)."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "list.xlsx"
        path.write_bytes(data)
        started = time.perf_counter()
        try:
            with within(SECONDS):
                result: Recipients | DataError = read_recipients(path, AUDIENCES)
        except DataError as exc:
            message = str(exc)
            assert message.startswith(str(path)) and "\n" not in message, message
            result = exc
        else:
            assert all(failure.message.startswith(f"{path}:{failure.line}: ") for failure in result.failures)
        assert time.perf_counter() - started < SECONDS
        return result


@FUZZ
@given(workbooks())
def test_any_workbook_gives_recipients_or_one_error_naming_the_file(data: bytes) -> None:
    result = _read(data)
    if isinstance(result, Recipients):
        assert all(row.audience in AUDIENCES and row.name for row in result.rows)
    else:
        assert "Traceback" not in str(result)
