"""The batch manifest, `out/<data id>/manifest.json`: what each output shows and what it depends on.

The file is a journal of JSON lines, one Record per written output, appended and flushed as
outputs are written (rewriting a JSON document after each file is quadratic at 20,000 files).
A later line for the same path replaces an earlier one; `compact` rewrites the file with one line
per path at the end of a run. A run killed mid-line leaves a truncated last line, which reading
skips (that output is simply rendered again) and appending first terminates.

    {"path": "Anna Müller.pdf", "name": "Anna Müller", "line": 2, "audience": "investor",
     "format": "pdf", "key": "<sha256>", "facts": [...], "sources": [...],
     "sha256": "<sha256 of the file>", "size": 81234, "mtime_ns": 1731672000000000000}
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import IO, Any

from .output import write_atomic

__all__ = ["MANIFEST_NAME", "Journal", "Record", "compact", "read_manifest"]

MANIFEST_NAME = "manifest.json"


@dataclass(frozen=True)
class Record:
    """One output file of a batch."""

    path: str
    """File name relative to the manifest's folder."""
    name: str
    """The recipient's name as the CSV gives it."""
    line: int
    """Line of the CSV where the recipient's row starts (1 = the header)."""
    audience: str
    format: str
    key: str
    """sha256 of everything the output depends on; equal keys mean identical outputs."""
    facts: tuple[str, ...]
    """Ids of the facts the output shows, in the order shown."""
    sources: tuple[str, ...]
    """Ids of the sources it cites, in citation-number order."""
    sha256: str
    """sha256 of the file's bytes."""
    size: int
    mtime_ns: int
    """The file's modification time when written: a file with the same size and time is taken as unchanged."""

    def to_json(self) -> str:
        """Return the record as one line of JSON (no newline)."""
        return json.dumps(asdict(self), ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def from_json(cls, line: str) -> Record:
        """Parse one line; raise ValueError (or a subclass) if it is not a complete record."""
        value: Any = json.loads(line)
        if not isinstance(value, dict):
            raise ValueError("not an object")
        return cls(
            path=str(value["path"]),
            name=str(value["name"]),
            line=int(value["line"]),
            audience=str(value["audience"]),
            format=str(value["format"]),
            key=str(value["key"]),
            facts=tuple(str(item) for item in value["facts"]),
            sources=tuple(str(item) for item in value["sources"]),
            sha256=str(value["sha256"]),
            size=int(value["size"]),
            mtime_ns=int(value["mtime_ns"]),
        )


def read_manifest(path: Path) -> dict[str, Record]:
    """Return the latest record of each output path; {} when there is no manifest.

    Lines that do not parse (a run killed mid-line, or an older layout) are skipped: the outputs
    they described are rendered again, which is always safe.
    """
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        return {}
    records: dict[str, Record] = {}
    for line in text.splitlines():
        try:
            record = Record.from_json(line)
        except (ValueError, KeyError, TypeError):
            continue
        records[record.path] = record
    return records


class Journal:
    """Append records to a manifest, one flushed line each; use as a context manager."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.appended = 0
        self._stream: IO[str] | None = None

    def __enter__(self) -> Journal:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def append(self, records: Iterable[Record]) -> None:
        """Append `records` and flush them to the operating system (they survive a SIGKILL); none: touch nothing."""
        lines = [record.to_json() + "\n" for record in records]
        if not lines:
            return
        stream = self._stream or self._open()
        stream.write("".join(lines))
        stream.flush()
        self.appended += len(lines)

    def close(self) -> None:
        """Close the file if it was opened."""
        if self._stream is not None:
            self._stream.close()
            self._stream = None

    def _open(self) -> IO[str]:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        stream = open(self.path, "a+b")  # noqa: SIM115 - kept open across appends, closed by close()
        if stream.tell() > 0:
            stream.seek(-1, os.SEEK_END)
            if stream.read(1) != b"\n":  # a killed run's half line: end it, so ours parse
                stream.write(b"\n")
        stream.close()
        self._stream = open(self.path, "a", encoding="utf-8")  # noqa: SIM115
        return self._stream


def compact(path: Path, records: Mapping[str, Record]) -> None:
    """Rewrite the manifest atomically with one line per record, sorted by path."""
    lines = "".join(records[key].to_json() + "\n" for key in sorted(records))
    write_atomic(path, lines.encode("utf-8"))
