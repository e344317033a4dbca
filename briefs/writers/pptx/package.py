"""Save a deck byte-identically for identical input.

python-pptx stamps zip members with the clock, keeps its template's core properties (2013, "python-pptx")
and embeds each chart's workbook with its own creation time: members are rewritten with a fixed
zip time, the core properties come from the brief's date, and each embedded workbook is re-zipped
the same way with its dates set to the brief's.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from typing import BinaryIO

from pptx.presentation import Presentation as Deck

__all__ = ["save_deterministic"]

_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_STORED_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif")
_W3CDTF = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)")


def save_deterministic(deck: Deck, out: BinaryIO, date: dt.date) -> None:
    """Write `deck` to `out` with fixed zip times and the workbooks inside it made deterministic."""
    buffer = io.BytesIO()
    deck.save(buffer)
    out.write(_rezip(buffer.getvalue(), date))


def _rezip(data: bytes, date: dt.date) -> bytes:
    """Return the zip `data` with every member at a fixed time, embedded workbooks rewritten the same way."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            member = source.read(info.filename)
            if info.filename.endswith(".xlsx"):
                member = _rezip(member, date)
            elif info.filename == "docProps/core.xml":
                member = _W3CDTF.sub(rb"\g<1>" + f"{date.isoformat()}T00:00:00Z".encode() + rb"\g<2>", member)
            fixed = zipfile.ZipInfo(info.filename, _ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_STORED if info.filename.lower().endswith(_STORED_SUFFIXES) else zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o600 << 16
            target.writestr(fixed, member)
    return out.getvalue()
