"""The base Word document every DOCX brief starts from, built once per process.

python-docx's default template plus the few paragraph and character styles a brief needs beyond
Word's built-ins (Title, Subtitle, Heading 1-3, List Bullet, List Number, Caption, Quote, Intense
Quote, Strong, Emphasis). The result is kept as bytes, and style ids are resolved once: looking a
style up by name on every paragraph costs about 10 ms a brief.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from functools import cache

import docx
from docx.document import Document as DocxDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

__all__ = ["Base", "base", "new_document"]

EAST_ASIAN_FONT = "MS Gothic"
"""Named for CJK runs (w:eastAsia); Word has it, LibreOffice substitutes an installed CJK face."""


@dataclass(frozen=True)
class Base:
    """The base document's bytes and the style ids a writer uses."""

    data: bytes
    styles: dict[str, str]
    """Style name -> style id."""
    bullet_num_id: int
    number_num_id: int


def _add_paragraph_style(document: DocxDocument, name: str, *, size: float | None = None, italic: bool = False,
                         bold: bool = False, color: str | None = None, space_after: float = 4,
                         space_before: float = 0) -> None:
    style = document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = document.styles["Normal"]
    style.quick_style = True
    font = style.font
    if size:
        font.size = Pt(size)
    font.italic = italic or None
    font.bold = bold or None
    if color:
        font.color.rgb = RGBColor.from_string(color)
    style.paragraph_format.space_after = Pt(space_after)
    style.paragraph_format.space_before = Pt(space_before)


def _add_character_style(document: DocxDocument, name: str, *, bold: bool = False, color: str | None = None,
                         underline: bool = False) -> None:
    style = document.styles.add_style(name, WD_STYLE_TYPE.CHARACTER)
    style.quick_style = True
    style.font.bold = bold or None
    style.font.underline = underline or None
    if color:
        style.font.color.rgb = RGBColor.from_string(color)


def _shade(style_element: object, fill: str, border: str) -> None:
    """Give a paragraph style a tinted background and a left rule."""
    ppr = style_element.get_or_add_pPr()  # type: ignore[attr-defined]
    borders = OxmlElement("w:pBdr")
    left = OxmlElement("w:left")
    for key, value in (("w:val", "single"), ("w:sz", "18"), ("w:space", "6"), ("w:color", border)):
        left.set(qn(key), value)
    borders.append(left)
    ppr.append(borders)
    shading = OxmlElement("w:shd")
    for key, value in (("w:val", "clear"), ("w:color", "auto"), ("w:fill", fill)):
        shading.set(qn(key), value)
    ppr.append(shading)


def _east_asian_defaults(document: DocxDocument) -> None:
    """Name an East Asian font and language in the document defaults, so CJK runs pick a CJK face."""
    rpr_default = document.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault"))
    rpr = rpr_default.find(qn("w:rPr"))
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attribute in ("w:eastAsia",):
        fonts.set(qn(attribute), EAST_ASIAN_FONT)
    fonts.attrib.pop(qn("w:eastAsiaTheme"), None)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), "en-GB")
    lang.set(qn("w:eastAsia"), "ja-JP")


@cache
def base() -> Base:
    """Build the base document once per process."""
    document = docx.Document()
    normal = document.styles["Normal"]
    normal.font.size = Pt(10.5)
    normal.paragraph_format.space_after = Pt(6)
    _east_asian_defaults(document)
    _add_paragraph_style(document, "Brief Meta", italic=True, color="595959", space_after=10)
    _add_paragraph_style(document, "Bottom Line", size=11, space_before=6, space_after=12)
    _shade(document.styles["Bottom Line"].element, "EEF2F8", "1F3864")
    _add_paragraph_style(document, "Source Entry", size=9, space_after=3)
    document.styles["Source Entry"].paragraph_format.left_indent = Cm(0.7)
    document.styles["Source Entry"].paragraph_format.first_line_indent = Cm(-0.7)
    _add_paragraph_style(document, "Small Print", size=9, color="595959")
    _add_character_style(document, "Status Label", bold=True, color="A50021")
    _add_character_style(document, "Citation", color="1F3864")
    _add_character_style(document, "Hyperlink", color="0563C1", underline=True)
    styles = {style.name: style.style_id for style in document.styles if style.name}
    out = io.BytesIO()
    document.save(out)
    return Base(out.getvalue(), styles, bullet_num_id=_num_id(document, "List Bullet"), number_num_id=_num_id(document, "List Number"))


def _num_id(document: DocxDocument, style_name: str) -> int:
    ppr = document.styles[style_name].element.pPr
    return int(ppr.numPr.numId.val)


def new_document() -> DocxDocument:
    """Return a fresh document parsed from the base bytes (the body is empty)."""
    return docx.Document(io.BytesIO(base().data))
