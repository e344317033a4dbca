"""Read a data workbook into the plain values a YAML data file gives, with the cell of every value.

The values then meet the same model and the same reference checks as YAML; messages name the cell
(`topic.xlsx:Facts!F12: facts[10].status: ...`). Cells read as a person typed them: a date cell
is a date, 42.0 in a whole-number field is 42, `TRUE` is true, a number in a text field is its
text. What cannot be read (an unknown sheet or column, a formula with no saved result) is listed
in `Located.problems`, every one, beside the rest of the file, which is still read.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from ..suggest import known_or_closest
from ..workbooks import UNCACHED, Row, sheet_tables
from ..yamlsource import Located, Path_, Unread, Where, read_bounded
from .layout import LISTS, OPENINGS, POINTS, SEPARATOR, SETTINGS, SHEETS, TOPICS, Column, Kind, Sheet, settings_fields, sheet_named

__all__ = ["MAX_ROWS", "cell_name", "read_workbook"]

MAX_ROWS = 100_000
"""Rows a sheet of a data workbook may have (a data file needs hundreds)."""

_IGNORED = Column("", "text", "")
"""The column of an unknown or repeated header: reported once, at the header, and its cells skipped."""
_NO_RESULT = "a formula with no saved result: open the workbook in a spreadsheet program and save it, or type the value"


def read_workbook(path: Path) -> Located:
    """Read a data workbook; raise YamlError when it is unreadable or too big, DataError when damaged or over a limit."""
    data = read_bounded(path)
    reader = _Reader()
    reader.read(sheet_tables(path, data, MAX_ROWS))
    return Located(reader.value, reader.lines, tuple(reader.problems))


def cell_name(sheet: str, column: int, row: int) -> str:
    """Return a cell's name as a spreadsheet writes it: `Facts!C12` (column from 0, row from 1)."""
    from openpyxl.utils import get_column_letter

    name = sheet if sheet.isidentifier() else "'" + sheet.replace("'", "''") + "'"
    return f"{name}!{get_column_letter(column + 1)}{row}"


class _Reader:
    """Fold the sheets into one document, remembering each value's cell."""

    def __init__(self) -> None:
        self.value: dict[str, Any] = {}
        self.lines: dict[Path_, Where] = {}
        self.problems: list[Unread] = []

    def read(self, tables: dict[str, list[Row]]) -> None:
        # A missing setting or sheet is reported where it belongs: Settings!A1, Facts!A1.
        self.lines[()] = cell_name(SETTINGS, 0, 1)
        self.lines.update({(sheet.key,): cell_name(sheet.name, 0, 1) for sheet in SHEETS})
        for name, rows in tables.items():
            sheet = sheet_named(name)
            if name == SETTINGS:
                self._settings(rows)
            elif sheet is TOPICS:
                self._topics(rows)
            elif sheet is not None and sheet is not POINTS:
                self._items(sheet, rows)
            elif sheet is None and name != LISTS:
                known = known_or_closest(name, [SETTINGS, *(s.name for s in SHEETS)], "sheets")
                self.problems.append(Unread(cell_name(name, 0, 1), (), f"unknown sheet {name!r} ({known})"))
        if POINTS.name in tables:
            self._points(tables[POINTS.name])

    def _header(self, sheet: Sheet, header: list[Any]) -> list[Column | None]:
        """Return each header cell's column; an unknown or repeated one is a problem (and its column is skipped)."""
        known = {column.name: column for column in sheet.columns}
        seen: set[str] = set()
        columns: list[Column | None] = []
        for index, title in enumerate(header):
            name = _text(title).strip() if title is not None else ""
            column = known.get(name)
            if column is None and sheet.per_audience and name.startswith(sheet.per_audience + "."):
                column = Column(name, "text", "")
            where = cell_name(sheet.name, index, 1)
            if name and name in seen:
                self.problems.append(Unread(where, (), f"column {name!r} appears twice"))
                column = _IGNORED
            elif name and column is None:
                hint = known_or_closest(name, known, "columns")
                self.problems.append(Unread(where, (), f"unknown column {name!r} in sheet {sheet.name} ({hint})"))
                column = _IGNORED
            seen.add(name)
            columns.append(column)
        return columns

    def _items(self, sheet: Sheet, rows: list[Row]) -> None:
        columns = self._header(sheet, rows[0][1])
        self.lines[(sheet.key,)] = cell_name(sheet.name, 0, 1)
        items = [self._item(sheet, columns, (sheet.key, index), number, row) for index, (number, row) in enumerate(rows[1:])]
        if items:
            self.value[sheet.key] = items

    def _topics(self, rows: list[Row]) -> None:
        """Read the Topics sheet into the mapping of topic id to entry that YAML has: a row with only a label is
        `id: Label`, one with only an id `id:`."""
        columns = self._header(TOPICS, rows[0][1])
        topics: dict[str, Any] = {}
        for number, row in rows[1:]:
            item = self._item(TOPICS, columns, ("topics", "\0row"), number, row)
            key = item.pop("id", None)
            where = cell_name(TOPICS.name, 0, number)
            moved = {path: self.lines.pop(path) for path in list(self.lines) if path[:2] == ("topics", "\0row")}
            if not isinstance(key, str) or key in topics:
                self.problems.append(Unread(where, (), f"topic {key!r} is listed twice" if key in topics else "a topic with no id"))
                continue
            self.lines.update({("topics", key, *path[2:]): cell for path, cell in moved.items()})
            topics[key] = item.get("label") if set(item) <= {"label"} else item
        self.lines[("topics",)] = cell_name(TOPICS.name, 0, 1)
        if topics:
            self.value["topics"] = topics

    def _item(self, sheet: Sheet, columns: list[Column | None], path: Path_, number: int, row: list[Any]) -> dict[str, Any]:
        item: dict[str, Any] = {}
        self.lines[path] = cell_name(sheet.name, 0, number)
        for index, value in enumerate(row):
            where = cell_name(sheet.name, index, number)
            column = columns[index] if index < len(columns) else None
            if column is None and value is not None:
                self.problems.append(Unread(where, (), "a value in a column with no header: give the column a field name"))
            if column is None or column is _IGNORED:
                continue
            self._cell(item, path, column, where, value)
        return item

    def _cell(self, item: dict[str, Any], path: Path_, column: Column, where: str, value: Any) -> None:
        """Put one cell's value into `item` at its column's place."""
        parts = column.parts
        for end in range(1, len(parts) + 1):
            self.lines.setdefault((*path, *parts[:end]), where)
        if value is None:
            return
        if value is UNCACHED:
            self.problems.append(Unread(where, (*path, *parts), _NO_RESULT))
            return
        read = coerce(value, column.kind)
        if isinstance(read, list):
            self.lines.update({(*path, *parts, index): where for index in range(len(read))})
        target = item
        for part in parts[:-1]:
            target = target.setdefault(part, {})
        target[parts[-1]] = read

    def _settings(self, rows: list[Row]) -> None:
        fields = settings_fields()
        for number, row in rows[1:]:
            name = _text(row[0]).strip() if row and row[0] is not None else ""
            value = row[1] if len(row) > 1 else None
            head, _, audience = name.partition(".")
            column = fields.get(head) if not audience or head in OPENINGS else None
            if column is None:
                hint = known_or_closest(name, fields, "fields")
                self.problems.append(Unread(cell_name(SETTINGS, 0, number), (), f"unknown setting {name!r} ({hint})"))
                continue
            path: Path_ = (head, audience) if audience else (head,)
            if path in self.lines:
                self.problems.append(Unread(cell_name(SETTINGS, 0, number), (), f"setting {name!r} is given twice"))
                continue
            self._setting(path, column.kind, cell_name(SETTINGS, 1, number), value)

    def _setting(self, path: Path_, kind: Kind, where: str, value: Any) -> None:
        self.lines.setdefault(path[:1], where)
        self.lines[path] = where
        if value is UNCACHED:
            self.problems.append(Unread(where, path, _NO_RESULT))
        elif value is not None and len(path) == 1:
            self.value[str(path[0])] = coerce(value, kind) if not isinstance(self.value.get(str(path[0])), dict) else \
                self.value[str(path[0])] | {"default": coerce(value, kind)}
        elif value is not None:
            current = self.value.get(str(path[0]))
            texts = current if isinstance(current, dict) else {"default": current} if current is not None else {}
            self.value[str(path[0])] = texts | {str(path[1]): coerce(value, kind)}

    def _points(self, rows: list[Row]) -> None:
        columns = self._header(POINTS, rows[0][1])
        at = {column.name: index for index, column in enumerate(columns) if column is not None}
        figures = self.value.get("figures", [])
        by_id = {figure.get("id"): index for index, figure in enumerate(figures)}
        for number, row in rows[1:]:
            cells = {name: row[index] if index < len(row) else None for name, index in at.items()}
            figure = by_id.get(_text(cells.get("figure")).strip() if cells.get("figure") is not None else None)
            if figure is None:
                where = cell_name(POINTS.name, at.get("figure", 0), number)
                hint = known_or_closest(_text(cells.get("figure")), [str(key) for key in by_id], "figures")
                self.problems.append(Unread(where, (), f"unknown figure {_text(cells.get('figure'))!r} ({hint})"))
                continue
            self._point(figure, number, cells, at)

    def _point(self, figure: int, number: int, cells: dict[str, Any], at: dict[str, int]) -> None:
        label = _text(cells.get("label")) if cells.get("label") is not None else ""
        where = cell_name(POINTS.name, at.get("value", at.get("label", 0)), number)
        path: Path_ = ("figures", figure, "data", label)
        self.lines.setdefault(path[:3], where)
        data = self.value["figures"][figure].setdefault("data", {})
        if label in data:
            self.problems.append(Unread(where, path, f"the figure has two bars labelled {label!r}"))
        elif cells.get("value") is UNCACHED:
            self.problems.append(Unread(where, path, _NO_RESULT))
        else:
            self.lines[path] = where
            data[label] = coerce(cells.get("value"), "number")


def coerce(value: Any, kind: Kind) -> Any:
    """Return a cell's value as the field of `kind` takes it, as a person typed it; anything else as it is, for the
    model to report."""
    if kind == "list":
        return [part.strip() for part in _text(value).split(SEPARATOR) if part.strip()]
    if kind == "text":
        return _text(value)
    if kind == "date" and isinstance(value, dt.datetime) and value.time() == dt.time():
        return value.date().isoformat()
    if kind == "date" and isinstance(value, dt.date):
        return value.isoformat()
    if kind in ("int", "number") and isinstance(value, str):
        return _number(value.strip())
    if kind in ("int", "number") and isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    if kind == "bool" and isinstance(value, str) and value.strip().casefold() in ("true", "false"):
        return value.strip().casefold() == "true"
    return value


def _number(text: str) -> Any:
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    return text


def _text(value: Any) -> str:
    """Return a cell as the text a person sees: 42 not 42.0, TRUE for true, dates as YYYY-MM-DD."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime) and value.time() == dt.time():
        return value.date().isoformat()
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return str(value)
