"""Save a python-docx document as a zip that is byte-identical for identical input, quickly.

python-docx stamps every zip member with the clock; here each member gets a fixed timestamp. The
parts a brief never changes (styles, theme, settings, fonts table) are serialized and deflated
once per base document and reused: styles.xml alone is 350 KB, and compressing it again for
every brief cost about 2 ms. The zip is written directly (local headers, central directory):
the standard library's zipfile cannot take data that is already deflated.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Iterable, Iterator, MutableMapping
from dataclasses import dataclass
from typing import Any, BinaryIO

from docx.document import Document as DocxDocument
from docx.opc.pkgwriter import _ContentTypesItem

__all__ = ["DOCUMENT_PART", "STATIC_PARTS", "Entry", "entries_of", "entry", "save_deterministic", "write_zip"]

STATIC_PARTS = frozenset(
    {
        "word/styles.xml",
        "word/settings.xml",
        "word/webSettings.xml",
        "word/fontTable.xml",
        "word/theme/theme1.xml",
        "docProps/app.xml",
    }
)
"""Members the DOCX writer never changes after the base document is built."""

_DOS_TIME, _DOS_DATE = 0, (0 << 9) | (1 << 5) | 1  # 1980-01-01 00:00:00, the earliest zip date
_STORED_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif")


DOCUMENT_PART = "word/document.xml"
"""The member holding the body: the only one a brief finished from another writes anew."""


@dataclass(frozen=True)
class Entry:
    """One zip member, compressed."""

    name: bytes
    method: int
    crc: int
    size: int
    data: bytes


def save_deterministic(document: DocxDocument, out: BinaryIO, static: MutableMapping[str, Any] | None = None) -> None:
    """Write `document` to `out` as a zip with fixed timestamps.

    With `static` (a base document's own mapping), the members in STATIC_PARTS are compressed once
    into it and reused; the caller promises it did not change them. The mapping lives with its base,
    so there is no cache here to outgrow or to confuse two bases.
    """
    write_zip(entries_of(document, static), out)


def entries_of(document: DocxDocument, static: MutableMapping[str, Any] | None = None) -> list[Entry]:
    """Return the zip members of `document`, in the order they are written (see `save_deterministic` for `static`)."""
    return list(_entries(document, static))


def write_zip(entries: Iterable[Entry], out: BinaryIO) -> None:
    """Write `entries` to `out` as a zip with fixed timestamps."""
    offset = 0
    central = []
    for entry in entries:
        header = struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0x0800, entry.method, _DOS_TIME, _DOS_DATE, entry.crc,
                             len(entry.data), entry.size, len(entry.name), 0)
        out.write(header + entry.name)
        out.write(entry.data)
        central.append(struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 0x0314, 20, 0x0800, entry.method, _DOS_TIME, _DOS_DATE,
                                   entry.crc, len(entry.data), entry.size, len(entry.name), 0, 0, 0, 0, 0o600 << 16, offset)
                       + entry.name)
        offset += len(header) + len(entry.name) + len(entry.data)
    directory = b"".join(central)
    out.write(directory)
    out.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(central), len(central), len(directory), offset, 0))


def _entries(document: DocxDocument, static: MutableMapping[str, Any] | None) -> Iterator[Entry]:
    package = document.part.package
    parts = list(package.iter_parts())
    content_types = _ContentTypesItem.from_parts(parts)  # type: ignore[no-untyped-call]
    yield entry("[Content_Types].xml", content_types.blob)
    yield entry("_rels/.rels", package.rels.xml)
    for part in parts:
        name = part.partname.membername
        if static is not None and name in STATIC_PARTS:
            if name not in static:
                static[name] = entry(name, part.blob)
            yield static[name]
        else:
            yield entry(name, part.blob)
        if len(part.rels):
            yield entry(part.partname.rels_uri.membername, part.rels.xml)


def entry(name: str, data: bytes) -> Entry:
    """Return the zip member `name` holding `data`, deflated (stored for images)."""
    crc = zlib.crc32(data)
    if name.lower().endswith(_STORED_SUFFIXES):
        return Entry(name.encode("utf-8"), 0, crc, len(data), data)  # already compressed: store it
    compressor = zlib.compressobj(6, zlib.DEFLATED, -15)
    packed = compressor.compress(data) + compressor.flush()
    return Entry(name.encode("utf-8"), 8, crc, len(data), packed)
