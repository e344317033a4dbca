"""Check every path a user gives before anything reads or writes it, and word file-system failures.

    check_path(Path("out"), "--out", room=OUTPUT_ROOM)   # raises PathError, or returns the path
    printable(Path(os.fsdecode(b"\\xff.yaml")))          # '\\xff.yaml'

A path is refused, naming the option or config key that gave it, when it holds a NUL character,
bytes that are not UTF-8 (Python carries them as lone surrogates, and every later message, CSV
cell or JSON value would fail on them), a component longer than the file system's NAME_MAX
(255 bytes on Linux, macOS and Windows), or, made absolute, more bytes than PATH_MAX (4,096 on
Linux) leaves; `room` keeps space for the folders and names a run adds under an output folder.
Messages show such bytes escaped (`\\xff`), so a message is always one printable line.
"""

from __future__ import annotations

import os
from pathlib import Path

from .errors import PathError, one_line

__all__ = ["OUTPUT_ROOM", "check_listed", "check_path", "failure", "path_problem", "printable"]

NAME_MAX = 255
PATH_MAX = 4096
"""The limits used where the file system does not say (os.pathconf), in bytes."""

OUTPUT_ROOM = 320
"""Bytes a run adds under an output folder: `/<data id>/recipients/<name>.<ext>` and a temporary name."""

_SHOWN_CHARS = 60
"""A component longer than this is shortened in messages (its length is given instead)."""


def printable(path: Path | str) -> str:
    """Return `path` as one printable line: undecodable bytes as `\\xff`, control characters escaped."""
    return one_line(os.fsencode(path).decode("utf-8", "backslashreplace"))


def path_problem(path: Path, room: int = 0) -> str | None:
    """Return why the file system cannot take `path` (None when it can); `room` is bytes a run adds under it."""
    text = str(path)
    if "\0" in text:
        return "the path holds a NUL character"
    if not _decodable(text):
        return "the path holds bytes that are not UTF-8 (shown as \\x..): rename it, or name it another way"
    name_max = _limit(path, "PC_NAME_MAX", NAME_MAX)
    for part in path.parts:
        size = len(os.fsencode(part))
        if size > name_max and part != path.anchor:
            return f"a name in it is {size:,} bytes long; the file system allows {name_max}"
    size, path_max = len(os.fsencode(os.path.abspath(path))), _limit(path, "PC_PATH_MAX", PATH_MAX)
    if size + room > path_max:
        extra = f" (and {room} for the folders and files written inside it)" if room else ""
        return f"the full path is {size:,} bytes long{extra}; the file system allows {path_max:,}"
    return None


def check_path(path: Path, named_by: str, room: int = 0) -> Path:
    """Return `path` when the file system can take it; raise PathError naming the path and `named_by` otherwise."""
    problem = path_problem(path, room)
    if problem:
        raise PathError(f"{_shown(path)}: {problem} ({named_by})")
    return path


def check_listed(path: Path, folder: Path) -> Path:
    """Return `path`, found by listing `folder`, when its name can be used; raise PathError otherwise."""
    return check_path(path, f"a file in the folder {printable(folder)}")


def failure(path: Path, doing: str, exc: OSError) -> str:
    """Return the one-line message of an OSError met while doing `doing` ("read", "write", ...) to `path`."""
    return f"{_shown(path)}: cannot {doing} ({exc.strerror or exc})"


def _decodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _limit(path: Path, name: str, default: int) -> int:
    """Return the file system's limit `name` where `path` (or its nearest existing folder) lives."""
    folder = Path(os.path.abspath(path))
    while True:
        try:
            if folder.exists():
                return int(os.pathconf(folder, name)) or default
        except (OSError, ValueError):
            pass
        if folder.parent == folder:
            return default
        folder = folder.parent


def _shown(path: Path) -> str:
    """Return `path` printable, each over-long component shortened to its ends (the message gives its length)."""
    parts = [part if len(part) <= _SHOWN_CHARS else f"{part[:24]}...{part[-12:]}" for part in str(path).split(os.sep)]
    text = os.sep.join(parts)
    return printable(text if len(text) <= 3 * _SHOWN_CHARS else f"{text[:_SHOWN_CHARS]}...{text[-2 * _SHOWN_CHARS:]}")
