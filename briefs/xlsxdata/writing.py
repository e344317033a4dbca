"""Write a data file's plain values as a workbook that reads back to the same values.

Every header has a comment (the field's description) and the fixed fields a drop-down list:
status, reliability grade, topic ids, audience ids, source ids. A text that a spreadsheet would
take for a formula (`=`, `+`, `-`, `@`, a leading tab, as `csvsafe` states the rule) is stored as
text, shown as typed and never evaluated. The file is the same bytes for the same values: fixed
zip times and document dates.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterable, Sequence
from typing import Any

from ..csvsafe import safe_cell
from ..models import STATUSES
from .layout import LISTS, OPENINGS, POINTS, SEPARATOR, SETTINGS, SHEETS, TOPICS, Column, Sheet, settings_fields

__all__ = ["workbook_bytes"]

_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_DOC_TIME = dt.datetime(2000, 1, 1)
_WIDTHS = {"text": 18, "list": 22, "int": 9, "number": 12, "date": 12, "bool": 10}
_WIDE = frozenset({"text", "title", "note", "question", "answer", "alt", "reason", "description", "no_address", "url"})
"""Fields holding sentences: their columns are wide."""
_CHOICE_WIDTH = 13
_LINE_HEIGHT = 15
"""Points per line of a row."""
_MOST_LINES = 8
_HEADER_FILL = "DDE4EE"
_CHOICE_LISTS = {"status": "A", "reliability": "B", "topics": "C", "audience": "D"}
"""Columns of the hidden Lists sheet, by the field whose drop-down they feed (`audiences.X` columns need none)."""


def workbook_bytes(value: dict[str, Any], topics: Sequence[str], audiences: Sequence[str]) -> bytes:
    """Return `value` (a data file as plain values) as .xlsx bytes; `topics` and `audiences` feed the drop-down lists."""
    from openpyxl import Workbook

    book = Workbook()
    settings = book.active
    assert settings is not None
    settings.title = SETTINGS
    _write_settings(settings, value, audiences)
    own_topics = list(value.get("topics") or {}) if isinstance(value.get("topics"), dict) else []
    choices = {"status": list(STATUSES), "reliability": list("ABCDEF"), "topics": _unique([*own_topics, *topics]),
               "audience": list(audiences)}
    for sheet in SHEETS:
        _write_items(book.create_sheet(sheet.name), sheet, _rows_of(sheet, value), audiences, choices)
    _write_lists(book.create_sheet(LISTS), choices)
    book.properties.creator = "briefs"
    book.properties.created = book.properties.modified = _DOC_TIME
    buffer = io.BytesIO()
    book.save(buffer)
    return _fixed_zip(buffer.getvalue())


def _unique(values: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(values))


def _write_settings(sheet: Any, value: dict[str, Any], audiences: Sequence[str]) -> None:
    """Write one row per top-level value, `summary.AUDIENCE` per tailored text."""
    fields = settings_fields()
    _header(sheet, [Column("field", "text", "The name of a setting of the data file."),
                    Column("value", "text", "Its value; a date as YYYY-MM-DD or a date cell.")])
    row = 2
    for name, column in fields.items():
        given = value.get(name)
        texts = given.items() if name in OPENINGS and isinstance(given, dict) else [("", given)]
        for audience, text in texts:
            _put(sheet.cell(row, 1), f"{name}.{audience}" if audience else name, "text")
            _put(sheet.cell(row, 2), text, column.kind)
            _comment(sheet.cell(row, 1), column.help)
            row += 1
    sheet.column_dimensions["A"].width = 20
    sheet.column_dimensions["B"].width = 90
    _print_setup(sheet)


def _rows_of(sheet: Sheet, value: dict[str, Any]) -> list[dict[str, Any]]:
    """Return the items a sheet lists, each as a flat mapping of column name to value."""
    if sheet is TOPICS:
        topics = value.get("topics") or {}
        return [{"id": key, **_topic(entry)} for key, entry in topics.items()] if isinstance(topics, dict) else []
    if sheet is POINTS:
        return [{"figure": figure.get("id"), "label": label, "value": number} for figure in value.get("figures") or []
                for label, number in (figure.get("data") or {}).items()]
    return [_flat(item) for item in value.get(sheet.key) or [] if isinstance(item, dict)]


def _topic(entry: Any) -> dict[str, Any]:
    """Return a topic as its columns; `id: Label` gives only a label (read back as the same shorthand)."""
    if isinstance(entry, dict):
        return dict(entry)
    return {"label": entry} if entry is not None else {}


def _flat(item: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, entry in item.items():
        if isinstance(entry, dict) and key != "data":
            flat.update(_flat(entry, f"{prefix}{key}."))
        else:
            flat[prefix + key] = entry
    return flat


def _write_items(sheet: Any, layout: Sheet, items: list[dict[str, Any]], audiences: Sequence[str],
                 choices: dict[str, list[str]]) -> None:
    """Write a header of field names (with comments) and one row per item; add the drop-down lists."""
    columns = list(layout.columns)
    if layout.per_audience:
        given = _unique(key.partition(".")[2] for item in items for key in item if key.startswith(layout.per_audience + "."))
        columns += [Column(f"{layout.per_audience}.{audience}", "text", f"This fact as the {audience} audience reads it "
                           "(leave empty for the fact's text).") for audience in _unique([*given, *audiences])]
    _header(sheet, columns)
    for row, item in enumerate(items, start=2):
        for index, column in enumerate(columns, start=1):
            _put(sheet.cell(row, index), item.get(column.name), column.kind)
        sheet.row_dimensions[row].height = _LINE_HEIGHT * _lines(item, columns)
    for index, column in enumerate(columns, start=1):
        _validation(sheet, index, column, choices)
    sheet.freeze_panes = "B2"
    _print_setup(sheet)


def _print_setup(sheet: Any) -> None:
    """Print a sheet landscape, its header row and first column on every page."""
    sheet.page_setup.orientation = "landscape"
    sheet.print_title_rows = "1:1"
    sheet.print_title_cols = "A:A"


def _header(sheet: Any, columns: Sequence[Column]) -> None:
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    for index, column in enumerate(columns, start=1):
        cell = sheet.cell(1, index, column.name)
        cell.font = Font(name="Calibri", bold=True)
        cell.fill = PatternFill("solid", fgColor=_HEADER_FILL)
        _comment(cell, column.help + (f" One of: {', '.join(column.choices)}." if column.choices else "")
                 + (f" Several ids: separate them with '{SEPARATOR}'." if column.kind == "list" else ""))
        sheet.column_dimensions[get_column_letter(index)].width = _width(column)


def _width(column: Column) -> int:
    """Return a column's width in characters: wide for sentences, narrow for ids, numbers and choices."""
    if column.parts[-1] in _WIDE or (len(column.parts) > 1 and column.parts[0] == "audiences"):
        return 40
    if column.name == "id":
        return 22
    return _CHOICE_WIDTH if column.choices or column.name in ("source", "audience") else _WIDTHS[column.kind]


def _comment(cell: Any, text: str) -> None:
    from openpyxl.comments import Comment

    if text:
        cell.comment = Comment(" ".join(text.split()), "briefs", width=320, height=140)


def _validation(sheet: Any, index: int, column: Column, choices: dict[str, list[str]]) -> None:
    """Offer the choices of a fixed field in a drop-down: a single value is checked, a list of ids only offered."""
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    name = column.parts[-1]
    if name == "sources" or (name == "source" and column.name == "source") or name == "corrects":
        formula = "Sources!$A$2:$A$1000"
    elif name in _CHOICE_LISTS and (column.choices or name in ("topics", "audience")):
        size = len(choices[name])
        formula = f"{LISTS}!${_CHOICE_LISTS[name]}$2:${_CHOICE_LISTS[name]}${size + 1}"
    elif column.name == "figure":
        formula = "Figures!$A$2:$A$1000"
    else:
        return
    single = column.kind != "list"
    check = DataValidation(type="list", formula1=formula, allow_blank=True, showErrorMessage=single,
                           errorTitle=column.name if single else None, error="Choose a value from the list." if single else None)
    letter = get_column_letter(index)
    check.add(f"{letter}2:{letter}1000")
    sheet.add_data_validation(check)


def _write_lists(sheet: Any, choices: dict[str, list[str]]) -> None:
    for field, letter in _CHOICE_LISTS.items():
        sheet[f"{letter}1"] = field
        for row, choice in enumerate(choices[field], start=2):
            _put(sheet[f"{letter}{row}"], choice, "text")
    sheet.sheet_state = "hidden"


def _wrapped() -> Any:
    from openpyxl.styles import Alignment

    return Alignment(wrap_text=True, vertical="top")


def _put(cell: Any, value: Any, kind: str) -> None:
    """Write one value: ids joined by '; ', a date as a date cell, a text a spreadsheet would evaluate as text."""
    if value is None:
        return
    cell.alignment = _wrapped()
    if isinstance(value, list):
        value = f"{SEPARATOR} ".join(str(part) for part in value)
    if kind == "date" and isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        try:
            cell.value = dt.date.fromisoformat(value)
            cell.number_format = "yyyy-mm-dd"
            return
        except ValueError:
            pass
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"  # openpyxl takes a text starting with "=" for a formula otherwise
        cell.quotePrefix = safe_cell(value) != value


def _lines(item: dict[str, Any], columns: Sequence[Column]) -> int:
    """Return how many lines the tallest cell of a row takes, wrapped at its column's width (spreadsheet programs do not
    all size rows to their text when opening a file); at most _MOST_LINES."""
    lines = 1
    for column in columns:
        text = item.get(column.name)
        if isinstance(text, str):
            width = _width(column)
            lines = max(lines, sum(1 + len(part) // width for part in text.split("\n")))
    return min(lines, _MOST_LINES)


def _fixed_zip(data: bytes) -> bytes:
    """Return the workbook with fixed zip times and the document's dates fixed: the same values give the same bytes."""
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            member = zipfile.ZipInfo(info.filename, _ZIP_TIME)
            member.compress_type = zipfile.ZIP_DEFLATED
            body = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                body = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*", rb"\g<1>2000-01-01T00:00:00Z", body)
            target.writestr(member, body)
    return buffer.getvalue()
