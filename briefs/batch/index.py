"""`recipients/index.csv`: which file belongs to whom, for a mail merge or any mail tool.

One row per recipient of the latest run's list, in list order: name, email, audience, the list's
line, the edition (the data file's `as_of`) their briefs were made from, then for each format the
file (relative to the index) and its sha256. Cells a spreadsheet would take for a formula (a name
such as `=HYPERLINK(...)` or `-2+3`) start with an apostrophe (`csvsafe`). A recipient whose
row failed, or whose brief is not written yet, has empty cells for it. Written atomically at the
end of every run.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from ..csvsafe import csv_bytes
from ..manifest import Record
from ..output import write_atomic
from .recipients import Recipient

__all__ = ["INDEX_NAME", "write_index"]

INDEX_NAME = "index.csv"


def write_index(folder: Path, recipients: Mapping[str, Recipient], records: Mapping[str, Record], formats: Sequence[str]) -> Path:
    """Write `folder/index.csv` for `recipients` (by key) from the manifest `records`; return its path."""
    by_recipient: dict[tuple[str, str], Record] = {(r.recipient, r.format): r for r in records.values() if not r.stale}
    every_format = sorted({*formats, *(fmt for _, fmt in by_recipient)})
    rows = [["name", "email", "audience", "line", "edition", *(column for fmt in every_format for column in (fmt, f"{fmt}_sha256"))]]
    editions_of: dict[str, set[str]] = {}
    for (key, _), written in by_recipient.items():
        editions_of.setdefault(key, set()).add(written.edition)
    for row in sorted(recipients.values(), key=lambda row: row.line):
        editions = editions_of.get(row.key, set())
        cells = [row.name, row.email, row.audience, str(row.line), ", ".join(sorted(editions - {""}))]
        for fmt in every_format:
            record = by_recipient.get((row.key, fmt))
            cells += [record.path, record.sha256] if record else ["", ""]
        rows.append(cells)
    path = folder / INDEX_NAME
    data = csv_bytes(rows)
    try:
        unchanged = path.read_bytes() == data
    except OSError:
        unchanged = False
    if not unchanged:  # a rerun with nothing changed touches nothing
        write_atomic(path, data)
    return path
