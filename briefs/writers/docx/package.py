"""Save a python-docx document as byte-identical zip output for identical input.

python-docx stamps every zip member with the clock; here each member gets a fixed timestamp and
is deflated (a bare ZipInfo would store it uncompressed), in the order python-docx writes them.
"""

from __future__ import annotations

from typing import BinaryIO
from zipfile import ZIP_DEFLATED, ZipFile, ZipInfo

from docx.document import Document as DocxDocument
from docx.opc.pkgwriter import _ContentTypesItem

__all__ = ["save_deterministic"]

_EPOCH = (1980, 1, 1, 0, 0, 0)


def save_deterministic(document: DocxDocument, out: BinaryIO) -> None:
    """Write `document` to the binary stream `out` with fixed zip timestamps."""
    package = document.part.package
    parts = list(package.iter_parts())
    with ZipFile(out, "w", ZIP_DEFLATED) as archive:
        content_types = _ContentTypesItem.from_parts(parts)  # type: ignore[no-untyped-call]
        _member(archive, "[Content_Types].xml", content_types.blob)
        _member(archive, "_rels/.rels", package.rels.xml)
        for part in parts:
            _member(archive, part.partname.membername, part.blob)
            if len(part.rels):
                _member(archive, part.partname.rels_uri.membername, part.rels.xml)


def _member(archive: ZipFile, name: str, data: bytes) -> None:
    info = ZipInfo(name, date_time=_EPOCH)
    info.compress_type = ZIP_DEFLATED
    info.external_attr = 0o600 << 16
    archive.writestr(info, data)
