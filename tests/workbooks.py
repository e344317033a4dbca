"""Build .xlsx workbooks by hand, byte by byte: the hostile ones no spreadsheet program would write.

`workbook_bytes` zips the five parts a reader needs around a sheet's XML (and, when given, a
shared-strings table), so a test states only what is odd about its workbook.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence

__all__ = ["cell", "sheet_xml", "workbook_bytes"]

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>
<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>
{{strings}}</Types>"""
_STRINGS_TYPE = ('<Override PartName="/xl/sharedStrings.xml" '
                 'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>')
_ROOT_RELS = f"""<?xml version="1.0" encoding="UTF-8"?>
<Relationships xmlns="{_PACKAGE_RELS}">
<Relationship Id="rId1" Type="{_RELS}/officeDocument" Target="xl/workbook.xml"/>
</Relationships>"""
_WORKBOOK = f"""<?xml version="1.0" encoding="UTF-8"?>
<workbook xmlns="{_MAIN}" xmlns:r="{_RELS}"><sheets><sheet name="List" sheetId="1" r:id="rId1"/></sheets></workbook>"""


def _workbook_rels(shared: bool) -> str:
    strings = f'<Relationship Id="rId2" Type="{_RELS}/sharedStrings" Target="sharedStrings.xml"/>' if shared else ""
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<Relationships xmlns="{_PACKAGE_RELS}">'
            f'<Relationship Id="rId1" Type="{_RELS}/worksheet" Target="worksheets/sheet1.xml"/>{strings}</Relationships>')


def cell(ref: str, text: str) -> str:
    """Return an inline-string cell at `ref` (e.g. "B2") holding `text` (XML-safe text only)."""
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def sheet_xml(rows: Sequence[tuple[int, Sequence[str]]], dimension: str | None = None) -> bytes:
    """Return a sheet's XML: each row is its number and its cells (from `cell`); `dimension` is the declared range."""
    declared = f'<dimension ref="{dimension}"/>' if dimension else ""
    body = "".join(f'<row r="{number}">{"".join(cells)}</row>' for number, cells in rows)
    xml = f'<?xml version="1.0" encoding="UTF-8"?>\n<worksheet xmlns="{_MAIN}">{declared}<sheetData>{body}</sheetData></worksheet>'
    return xml.encode()


def workbook_bytes(sheet: bytes, shared_strings: bytes | None = None, extra: dict[str, bytes] | None = None) -> bytes:
    """Return an .xlsx holding `sheet` as its only sheet, with `shared_strings` and `extra` members when given."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES.replace("{strings}", _STRINGS_TYPE if shared_strings is not None else ""))
        archive.writestr("_rels/.rels", _ROOT_RELS)
        archive.writestr("xl/workbook.xml", _WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", _workbook_rels(shared_strings is not None))
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
        if shared_strings is not None:
            archive.writestr("xl/sharedStrings.xml", shared_strings)
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return buffer.getvalue()
