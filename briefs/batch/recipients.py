"""Read a recipients list: a header naming `name` and `audience` (and usually `email`), then one row per recipient.

Lists come as people keep them: CSV (comma, semicolon or tab; with or without a byte-order mark;
any line endings) or an Excel `.xlsx` workbook (its first sheet, header in the first row).
Anything else is refused with what it looks like ("an Excel 97-2003 .xls file: save it as .xlsx
or CSV"). Further columns are personalization fields a template reads as `recipient.<column>`.

A recipient is their e-mail address, compared without case; a list with no `email` column knows
its recipients by name and audience instead. A bad header, or a file over a limit (50 MB; a
million rows; a CSV line of a million characters; 16,384 columns; a cell of 32,767 characters;
the workbook limits of `workbooks`), is a DataError: the batch stops before writing anything.
A bad row (broken UTF-8, an unknown audience, an empty name, an address that is not one, the
same recipient as an earlier row) fails that row alone, as a RowFailure naming its line; the
other rows go on.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from pathlib import Path

from ..errors import DataError, located
from ..languages import language_tag
from ..mailboxes import AddressError, checked_address
from ..models import is_noncharacter
from ..suggest import known_or_closest
from ..workbooks import part_names, sheet_rows

__all__ = [
    "MAX_BYTES", "MAX_CELL", "MAX_COLUMNS", "MAX_LINE", "MAX_ROWS", "REQUIRED", "Recipient", "Recipients", "RowFailure", "language_problem",
    "read_recipients",
]

MAX_BYTES = 50_000_000
"""Largest recipients file accepted (50 MB): all rows are held in memory."""
MAX_ROWS = 1_000_000
MAX_LINE = 1_000_000
"""Characters in one line of a CSV file: a longer line is refused before it is split into fields."""
MAX_COLUMNS = 16_384
"""Columns of a row, as many as a spreadsheet has."""
MAX_CELL = 32_767
"""Characters in one cell, as many as a spreadsheet cell holds."""
REQUIRED = ("name", "audience")
"""Columns every recipients list has; matched ignoring case and surrounding spaces."""
KNOWN = ("name", "audience", "email")
"""Columns briefs itself reads (`email`, when present, is who the recipient is and where `send` writes)."""


@dataclass(frozen=True)
class Recipient:
    """One valid row."""

    line: int
    """Line of the file where the row starts (the header is line 1; in a workbook, the sheet's row)."""
    name: str
    audience: str
    """The profile id, spelled as the profile spells it."""
    fields: dict[str, str]
    """Every column of the row by header name: what templates see as `recipient`."""
    key: str
    """Who this is: the e-mail address in lower case, or `name|audience` (case folded) without an email column."""
    email: str = ""
    """The address as written (normalized by email-validator); '' when the list has no email column."""


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
    """The rows of a recipients list, valid and failed, in file order."""

    header: tuple[str, ...]
    rows: tuple[Recipient, ...]
    failures: tuple[RowFailure, ...]
    warnings: tuple[str, ...]

    @property
    def has_email(self) -> bool:
        """True when the list has an `email` column (recipients are then known by their address)."""
        return "email" in self.header


def read_recipients(path: Path, audiences: Collection[str], language: str | None = None) -> Recipients:
    """Read and check `path`; raise DataError when the file as a whole is unusable.

    `audiences` are the known profile ids; `language` is the edition's (see `language_problem`). CSV in
    UTF-8 with or without a byte-order mark
    (invalid bytes fail only the rows holding them), or `.xlsx`.
    """
    data = _read(path)
    try:
        is_sheet = _kind(path, data) == "xlsx"
    except _OtherKind as exc:
        raise DataError(f"{path}: {exc}") from None
    rows = _bounded(path, sheet_rows(path, data) if is_sheet else _csv_rows(path, data))
    first = next(rows, None)
    header = _header(path, first[1] if first else None)
    checker = _Checker(path, header, audiences, exact_width=not is_sheet, language=language)
    for line, row in rows:
        if not any(cell.strip() for cell in row):
            continue
        if len(checker.rows) + len(checker.failures) >= MAX_ROWS:
            raise DataError(located(path, line, f"more than {MAX_ROWS:,} rows; split the file"))
        checker.add(line, row)
    return Recipients(header, tuple(checker.rows), tuple(checker.failures), tuple(checker.warnings))


# --- what the file is -----------------------------------------------------------------------------


def _read(path: Path) -> bytes:
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise DataError(f"{path}: {size / 1e6:.0f} MB is over the {MAX_BYTES / 1e6:.0f} MB limit of a recipients file; split it")
        return path.read_bytes()
    except IsADirectoryError:
        raise DataError(f"{path}: a folder, not a recipients list (CSV or .xlsx)") from None
    except OSError as exc:
        raise DataError(f"{path}: cannot read the recipients file ({exc.strerror or exc})") from None


def _kind(path: Path, data: bytes) -> str:
    """Return 'xlsx' or 'csv'; raise DataError naming what other kind of file `data` looks like, or a zip over a limit."""
    if data.startswith(b"PK\x03\x04"):
        names = part_names(path, data)
        if "xl/workbook.xml" in names:
            return "xlsx"
        if "mimetype" in names and b"opendocument.spreadsheet" in data[:200]:
            raise _other("an OpenDocument spreadsheet (.ods): save it as .xlsx or CSV")
        if "word/document.xml" in names:
            raise _other("a Word document: a recipients list is a spreadsheet, saved as .xlsx or CSV")
        raise _other("a zip archive: save the recipients list as .xlsx or CSV")
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise _other("an Excel 97-2003 .xls file (or another old Office file): save it as .xlsx or CSV")
    if data.startswith(b"%PDF"):
        raise _other("a PDF: a recipients list is a spreadsheet, saved as .xlsx or CSV")
    if data[:2] in (b"\xff\xfe", b"\xfe\xff") or data[:4096].count(b"\x00") > len(data[:4096]) // 8:
        encoding = "UTF-16" if data[:2] in (b"\xff\xfe", b"\xfe\xff") else "binary"
        raise _other(f"a {encoding} file, not CSV in UTF-8: save it as \"CSV UTF-8\" or as .xlsx")
    return "csv"


class _OtherKind(DataError):
    """The file is not a recipients list at all."""


def _other(what: str) -> DataError:
    return _OtherKind(what)


def _csv_rows(path: Path, data: bytes) -> Iterator[tuple[int, list[str]]]:
    # Invalid bytes become lone surrogates, so that only the rows holding them fail.
    text = data.decode("utf-8", errors="surrogateescape").removeprefix("\ufeff")
    reader = csv.reader(_lines(path, text), delimiter=_delimiter(text))
    line = 1
    while True:
        try:
            row = next(reader, None)
        except csv.Error as exc:
            if "field larger than field limit" in str(exc):
                raise _too_long(path, line) from None
            yield line, [f"\udcff{exc}"]  # reported as a broken row by the checker
            line = reader.line_num + 1
            continue
        if row is None:
            return
        start, line = line, reader.line_num + 1
        yield start, row


_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")
"""A line as the csv module splits them: ended by CR LF, CR or LF, or by the end of the text."""


def _lines(path: Path, text: str) -> Iterator[str]:
    """Yield the lines of `text`, refusing one over MAX_LINE characters before the csv module splits it into fields."""
    for number, match in enumerate(_LINE.finditer(text), start=1):
        length = match.end() - match.start()
        if length > MAX_LINE:  # measured before the line is copied out of the text
            raise DataError(located(path, number, f"a line of {length:,} characters, over the limit of {MAX_LINE:,} characters"))
        yield match.group()


def _bounded(path: Path, rows: Iterator[tuple[int, list[str]]]) -> Iterator[tuple[int, list[str]]]:
    """Pass `rows` on, refusing a row wider than a spreadsheet or a cell longer than a spreadsheet cell."""
    for line, row in rows:
        if len(row) > MAX_COLUMNS:
            raise DataError(located(path, line, f"{len(row):,} columns, over the limit of {MAX_COLUMNS:,} columns"))
        if any(len(cell) > MAX_CELL for cell in row):
            raise _too_long(path, line)
        yield line, row


def _too_long(path: Path, line: int) -> DataError:
    return DataError(located(path, line, f"a cell of over {MAX_CELL:,} characters, the most a spreadsheet cell holds"))


def _delimiter(text: str) -> str:
    """Return ',' unless the header line has none but has ';' or a tab (spreadsheets in many locales write ';')."""
    header = text[:MAX_LINE].split("\n", 1)[0]
    if "," in header:
        return ","
    return next((candidate for candidate in (";", "\t") if candidate in header), ",")


# --- the header and the rows ----------------------------------------------------------------------


_EMAIL_HEADERS = frozenset({"email", "emailaddress", "mail", "emailadresse", "correo", "courriel"})
"""How spreadsheets spell the address column (`E-mail`, `Email address`, ...), compared without case or punctuation."""


def _known_column(name: str) -> str:
    """Return `name`, or the column briefs reads that it spells in another way (`E-mail` is `email`)."""
    folded = "".join(char for char in name.casefold() if char.isalnum())
    if folded in _EMAIL_HEADERS:
        return "email"
    return name.lower() if name.lower() in KNOWN else name


def _header(path: Path, row: list[str] | None) -> tuple[str, ...]:
    if row is None:
        raise DataError(located(path, 1, f"empty file; expected a header {','.join(KNOWN)}"))
    names = [cell.strip() for cell in row]
    while names and not names[-1]:  # a spreadsheet's trailing empty columns
        names.pop()
    names = [_known_column(name) for name in names]
    problem = next((_bad_byte(name) for name in names if _bad_byte(name)), None)
    if problem:
        raise DataError(located(path, 1, f"the header is not valid UTF-8 ({problem}): save the file as CSV UTF-8"))
    missing = [name for name in REQUIRED if name not in names]
    if missing:
        raise DataError(located(path, 1, f"the header lacks {', '.join(missing)}; expected {','.join(KNOWN)} then any further columns"))
    if "" in names:
        raise DataError(located(path, 1, f"column {names.index('') + 1} of the header has no name"))
    duplicates = sorted({name for name in names if names.count(name) > 1})
    if duplicates:
        raise DataError(located(path, 1, f"the header names {duplicates[0]!r} twice"))
    return tuple(names)


class _Checker:
    """Check rows one by one, remembering who has been seen."""

    def __init__(self, path: Path, header: tuple[str, ...], audiences: Collection[str], *, exact_width: bool,
                 language: str | None = None) -> None:
        self.path, self.header, self.exact_width, self.language = path, header, exact_width, language
        """`exact_width`: a CSV row must have the header's number of fields; a sheet's row may end early."""
        self.audiences = {audience.casefold(): audience for audience in audiences}
        self.rows: list[Recipient] = []
        self.failures: list[RowFailure] = []
        self.warnings: list[str] = []
        self.seen: dict[str, int] = {}

    def add(self, line: int, row: list[str]) -> None:
        result = self._recipient(line, row)
        if isinstance(result, RowFailure):
            self.failures.append(result)
            return
        first = self.seen.setdefault(result.key, line)
        if first != line:
            who = result.email or f"{result.name} ({result.audience})"
            self.failures.append(RowFailure(line, result.name, located(
                self.path, line, f"{who} is already the recipient of line {first}: one row per recipient (remove one of them)")))
            return
        self.rows.append(result)

    def _fail(self, line: int, name: str, message: str) -> RowFailure:
        return RowFailure(line, name, located(self.path, line, message))

    def _recipient(self, line: int, row: list[str]) -> Recipient | RowFailure:
        """Return the row as a Recipient, or the reason it fails."""
        while len(row) > len(self.header) and not row[-1].strip():
            row = row[:-1]  # trailing empty cells, as spreadsheets write them
        values = dict(zip(self.header, (cell.strip() for cell in row), strict=False))
        name = _one_line(values.get("name", ""))
        for column, value in values.items():
            if _bad_byte(value):
                if value.startswith("\udcff"):
                    return self._fail(line, "", f"not a valid CSV row ({value[1:]})")
                return self._fail(line, "", f"not valid UTF-8 ({_bad_byte(value)} in column {column!r})")
        if len(row) > len(self.header) or (self.exact_width and len(row) < len(self.header)):
            return self._fail(line, name, f"{len(row)} fields, but the header has {len(self.header)}")
        if not name:
            return self._fail(line, name, "empty name")
        audience = self._audience(values.get("audience", ""))
        if isinstance(audience, str) and audience.startswith("!"):
            return self._fail(line, name, audience[1:])
        problem = language_problem(values.get("language", ""), self.language)
        if problem:
            return self._fail(line, name, problem)
        email = ""
        if "email" in self.header:
            checked = _email(values.get("email", ""))
            if checked.startswith("!"):
                return self._fail(line, name, checked[1:])
            email = checked
        fields = {column: self._printable(line, column, values.get(column, "")) for column in self.header}
        fields["name"] = _one_line(fields["name"])
        fields["audience"] = audience
        if email:
            fields["email"] = email
        key = email.casefold() if email else f"{fields['name']}|{audience}".casefold()
        return Recipient(line, fields["name"], audience, fields, key, email)

    def _audience(self, written: str) -> str:
        """Return the profile id `written` names in any case, or '!' and what is wrong."""
        found = self.audiences.get(written.casefold())
        if found:
            return found
        if not written:
            return f"!empty audience; known audiences: {', '.join(sorted(self.audiences.values()))}"
        hint = known_or_closest(written, self.audiences.values(), "audiences", shown=len(self.audiences))
        return f"!unknown audience {written!r}; {hint}"

    def _printable(self, line: int, column: str, value: str) -> str:
        kept = _printable(value)
        if len(kept) != len(value):
            self.warnings.append(located(self.path, line, f"dropped {len(value) - len(kept)} unprintable character(s)", column))
        return kept


def language_problem(written: str, edition: str | None) -> str | None:
    """Return why a row's `language` cell cannot be served, or None.

    The `language` column is reserved: a list does not yet pick each recipient's language. A
    cell may name the language of the edition being written (`--language`, else the data
    file's), so a list per language can say which it is; any other is an error for that row.
    """
    if not written or edition is None:
        return None
    try:
        tag = language_tag(written)
    except ValueError as exc:
        return f"language: {exc}"
    if tag.split("-")[0] == edition.split("-")[0]:
        return None
    return (f"language: {tag!r}, but this run writes the {edition!r} edition; the language column is reserved: "
            f"put the {tag} readers in their own list and run it with --language {tag}")


def _email(written: str) -> str:
    """Return the address, normalized, or '!' and why it is not one (syntax only: no DNS look-up; the check `send` makes)."""
    if not written:
        return "!empty email: give each recipient an address, or leave out the email column"
    try:
        return checked_address(written)
    except AddressError as exc:
        return f"!{exc}"


def _bad_byte(text: str) -> str | None:
    """Describe the first undecodable byte `text` holds (as a lone surrogate), or None."""
    for char in text:
        if 0xDC80 <= ord(char) <= 0xDCFF:
            return f"byte 0x{ord(char) - 0xDC00:02X}"
    return None


def _printable(text: str) -> str:
    """Return `text` without what no writer prints: control characters other than tab and line breaks, and
    non-characters (U+FFFE, U+FFFF, ...)."""
    return "".join(char for char in text if char in "\t\n\r" or (unicodedata.category(char) != "Cc" and not is_noncharacter(char)))


def _one_line(text: str) -> str:
    return " ".join(text.split())
