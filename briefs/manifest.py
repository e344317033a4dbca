"""The batch manifest, `out/<data id>/recipients/manifest.jsonl`: what each output shows and depends on.

The file is a journal of JSON lines, one Record per written output (rewriting a JSON document
after each file is quadratic at 20,000 files). Each process that writes briefs (this one, a local
worker, a Dask worker) appends the record of each brief the moment the brief is renamed into
place, to a part file of its own beside the manifest (`manifest.jsonl.<host>.<pid>.part`), one
flushed line at a time: a Ctrl-C, SIGTERM or SIGKILL loses at most the briefs in flight. Reading
takes the manifest and every part; a later line for the same path replaces an earlier one.
`compact` rewrites the manifest with one line per path at the end of a run and removes the parts.
A run killed mid-line leaves a truncated last line, which reading skips (that output is simply
rendered again) and appending first terminates.

    {"path": "Anna Müller.pdf", "recipient": "anna@example.org", "name": "Anna Müller", "line": 2,
     "audience": "investor", "format": "pdf", "key": "<sha256>", "facts": [...], "sources": [...],
     "sha256": "<sha256 of the file>", "size": 81234, "mtime_ns": 1731672000000000000}

An older layout kept `manifest.json` (also JSON lines) beside the audience briefs in
`out/<data id>/`; `migrate_legacy` moves its briefs into `recipients/` once.
"""

from __future__ import annotations

import json
import os
import socket
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import IO, Any

from .errors import OutputError
from .output import write_atomic

__all__ = [
    "LEGACY_MANIFEST_NAME", "MANIFEST_NAME", "RECIPIENTS_DIR", "Journal", "Record", "compact", "migrate_legacy", "part_path",
    "read_manifest",
]

RECIPIENTS_DIR = "recipients"
"""The folder of a batch's personal briefs, inside `out/<data id>/` (apart from the audience briefs)."""
MANIFEST_NAME = "manifest.jsonl"
LEGACY_MANIFEST_NAME = "manifest.json"
"""The manifest of the older layout, in `out/<data id>/` beside the audience briefs."""


@dataclass(frozen=True)
class Record:
    """One output file of a batch."""

    path: str
    """File name relative to the manifest's folder."""
    recipient: str
    """Who the brief is for: the e-mail address in lower case, or `name|audience` for a list without addresses."""
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
    stale: bool = False
    """True when the recipient was not in the list of the latest run (their file is kept until `--prune`)."""
    edition: str = ""
    """The `as_of` of the data file the brief was made from (YYYY-MM-DD): which edition the recipient holds."""

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
            recipient=str(value.get("recipient") or f"{value['name']}|{value['audience']}".casefold()),
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
            stale=bool(value.get("stale", False)),
            edition=str(value.get("edition", "")),
        )


def read_manifest(path: Path) -> dict[str, Record]:
    """Return the latest record of each output path, from the manifest and its part files; {} when there is none.

    Lines that do not parse (a run killed mid-line, or an older layout) are skipped: the outputs
    they described are rendered again, which is always safe.
    """
    records: dict[str, Record] = {}
    for source in (path, *_parts(path)):
        try:
            text = source.read_text(encoding="utf-8", errors="replace")
        except FileNotFoundError:
            continue
        except OSError as exc:
            raise OutputError(f"{source}: cannot read the batch manifest ({exc.strerror or exc}): move whatever is there "
                              "away, and rerun") from None
        for line in text.splitlines():
            try:
                record = Record.from_json(line)
            except (ValueError, KeyError, TypeError, ArithmeticError, RecursionError):
                continue
            records[record.path] = record
    return records


def part_path(manifest: Path) -> Path:
    """Return the part file this process journals to (one writer per file, so lines never interleave)."""
    host = "".join(c if c.isalnum() or c in "-_" else "_" for c in socket.gethostname())[:40] or "host"
    return manifest.with_name(f"{manifest.name}.{host}.{os.getpid()}.part")


def _parts(manifest: Path) -> list[Path]:
    return sorted(manifest.parent.glob(f"{manifest.name}.*.part"))


def migrate_legacy(folder: Path) -> int:
    """Move the briefs an older layout's `../manifest.json` records into `folder` (recipients/), once; return how many.

    Each recorded file still in the old place moves, with its record; the old manifest is then
    removed. Nothing happens when `folder` already has a manifest.
    """
    legacy = folder.parent / LEGACY_MANIFEST_NAME
    if not legacy.is_file() or (folder / MANIFEST_NAME).exists():
        return 0
    old = read_manifest(legacy)
    folder.mkdir(parents=True, exist_ok=True)
    moved: dict[str, Record] = {}
    for name, record in old.items():
        source = folder.parent / name
        if source.is_file() and not (folder / name).exists():
            source.replace(folder / name)
            moved[name] = record
    compact(folder / MANIFEST_NAME, moved)
    legacy.unlink()
    return len(moved)


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
    """Rewrite the manifest atomically with one line per record, sorted by path, and remove the part files."""
    lines = "".join(records[key].to_json() + "\n" for key in sorted(records))
    write_atomic(path, lines.encode("utf-8"))
    for part in _parts(path):
        part.unlink(missing_ok=True)
