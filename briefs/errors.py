"""The one error hierarchy of briefs.

    BriefsError                 anything the user can fix; the CLI prints it as one line, exit 1
     ├── DataError              a data file is unreadable or invalid
     ├── ProfileError           an audience profile is unreadable or invalid
     ├── TemplateError          a template fails to load, render or parse into the layout vocabulary
     ├── ThemeError             a theme or a font file is unusable
     ├── OutputError            an output path is unsafe or cannot be written
     ├── PathError              a path the file system cannot take: too long, not UTF-8, a NUL (pathguard.py)
     ├── OverPageBudget         even the shortest brief is longer than its page budget (fitting.py)
     ├── InvalidInput           `check` found errors in the inputs of a command that writes (all of them listed)
     └── ConfigError            a config file, or a folder or file it names, is unusable (config.py)

Every message names the file, and where one exists the line and the field, in one sentence.
Anything that is not a BriefsError is a bug and keeps its traceback.
"""

from __future__ import annotations

import re
from pathlib import Path

__all__ = [
    "BriefsError",
    "DataError",
    "InvalidInput",
    "OutputError",
    "OverPageBudget",
    "PathError",
    "ProfileError",
    "TemplateError",
    "ThemeError",
    "all_of",
    "located",
    "one_line",
]


class BriefsError(Exception):
    """An error the user can fix; its message is shown as is, with no traceback."""


class DataError(BriefsError):
    """A data file is unreadable or invalid."""


class ProfileError(BriefsError):
    """An audience profile is unreadable or invalid."""


class TemplateError(BriefsError):
    """A template fails to load, render, or produce markup inside the layout vocabulary."""


class ThemeError(BriefsError):
    """A theme, reference document or font file is unusable."""


class OutputError(BriefsError):
    """An output file cannot be written where it was asked to go."""


class OverPageBudget(BriefsError):
    """Even the shortest brief (every item that may be cut, cut) takes more pages than its budget."""


class PathError(BriefsError):
    """A path given on the command line, in a config file or found in a folder cannot be used as it is."""


class InvalidInput(BriefsError):
    """The inputs of a run have errors; `lines` holds every one, as `check` words them."""

    def __init__(self, lines: list[str], summary: str) -> None:
        super().__init__("\n".join([*lines, summary]))
        self.lines = lines
        self.summary = summary


def all_of(errors: list[BriefsError], summary: str) -> BriefsError:
    """Return the one error of `errors`, or an InvalidInput listing each (so one run names every problem), ending in `summary`.

    `summary` may hold `{count}`; errors that are InvalidInput already give their own lines.
    """
    if len(errors) == 1:
        return errors[0]
    lines = [line for error in errors for line in
             (error.lines if isinstance(error, InvalidInput) else [f"error: {one_line(str(error))}"])]
    return InvalidInput(lines, summary.format(count=len(lines)))


def one_line(text: str) -> str:
    """Return `text` on one line, its control characters shown as escapes (a message never spans two lines)."""
    text = _REPR_BYTE.sub(r"\\x\1", text)
    if text.isprintable():
        return text
    return "".join(char if char.isprintable() or char == " " else _escaped(char) for char in text)


_REPR_BYTE = re.compile(r"\\udc([89a-f][0-9a-f])")
"""A byte that was not UTF-8 as `repr` shows it (`\\udcff`): shown as the byte (`\\xff`), as in file names."""


def _escaped(char: str) -> str:
    """Return `char` as an escape: `\\xff` for a byte that was not UTF-8 (carried as a surrogate by os.fsdecode)."""
    if "\udc80" <= char <= "\udcff":
        return f"\\x{ord(char) - 0xDC00:02x}"
    return char.encode("unicode_escape").decode("ascii")


def located(path: Path | str, line: int | str | None, message: str, field: str | None = None) -> str:
    """Return `file:line: field: message` (a workbook's `file:Sheet!C12: ...`), leaving out the parts that are unknown."""
    where = f"{path}:{line}" if line else f"{path}"
    return f"{where}: {field}: {message}" if field else f"{where}: {message}"
