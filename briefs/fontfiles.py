"""Tell, without loading it, whether a font file is one the PDF writer can embed.

A theme names its fonts; loading the theme checks each file here, so a bad font stops the run
before anything is written, while the fonts themselves are parsed and registered only by the
PDF writer's font registry, when a PDF is written. The check reads the TrueType header and table
directory: the outline kind (reportlab embeds glyf outlines, not the CFF outlines of most
`.otf` files), the tables reportlab reads, and the embedding permission.
"""

from __future__ import annotations

import struct
from pathlib import Path

__all__ = ["truetype_problem"]

_TRUETYPE = (b"\x00\x01\x00\x00", b"true")
_REQUIRED = (b"head", b"hhea", b"hmtx", b"maxp", b"cmap", b"name", b"post", b"glyf", b"loca")
"""The tables reportlab reads from every TrueType font it embeds."""
_HEAD_MAGIC = 0x5F0F3CF5
_NO_SUBSETS = (0x0002, 0x0100, 0x0200)
"""OS/2 fsType bits of a font that may not be embedded, or not as a subset (reportlab embeds only subsets of a
font of more than 255 glyphs)."""


def truetype_problem(path: Path) -> str | None:
    """Return why `path` is not an embeddable TrueType font, in a few words; None when it looks fine."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        return f"cannot read it ({exc.strerror or exc})"
    try:
        return _problem(data)
    except struct.error:
        return "the file is cut short"


def _problem(data: bytes) -> str | None:
    start = struct.unpack_from(">I", data, 12)[0] if data[:4] == b"ttcf" else 0  # a collection: its first font
    version = data[start:start + 4]
    if version == b"OTTO":
        return "PostScript (CFF) outlines"
    if version not in _TRUETYPE:
        return "not a TrueType font"
    tables = _tables(data, start)
    missing = [tag.decode() for tag in _REQUIRED if tag not in tables]
    if missing:
        return f"no {', '.join(missing)} table"
    if struct.unpack_from(">I", data, tables[b"head"] + 12)[0] != _HEAD_MAGIC:
        return "a damaged head table"
    if b"OS/2" in tables and struct.unpack_from(">H", data, tables[b"maxp"] + 4)[0] > 0xFF:
        fs_type = struct.unpack_from(">H", data, tables[b"OS/2"] + 8)[0]
        if fs_type == _NO_SUBSETS[0] or fs_type & (_NO_SUBSETS[1] | _NO_SUBSETS[2]):
            return "its licence forbids embedding it as a subset"
    return None


def _tables(data: bytes, start: int) -> dict[bytes, int]:
    """Return each table's tag -> offset, refusing an offset past the end of the file."""
    count = struct.unpack_from(">H", data, start + 4)[0]
    tables = {}
    for index in range(count):
        tag, _, offset, length = struct.unpack_from(">4sIII", data, start + 12 + 16 * index)
        if offset + length > len(data):
            raise struct.error("table past the end")
        tables[tag] = offset
    return tables
