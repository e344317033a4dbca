"""Word styles made from the theme: the DOCX's share of "one theme for every format".

Each style a brief uses is rebuilt from one row of `_PARAGRAPHS` or `_CHARACTERS`, with the sizes,
spacing, weights and colours of the type scale every format reads (`writers.roles`), so the formats
look like one document: the same families, sizes, colours, rules and boxes. Word's built-in names are kept
(Title, Heading 1-3, Caption, Quote...), so the navigation pane shows the structure and a
reference document can still restyle everything. Theme font attributes (`w:asciiTheme`...) are
removed, since they would win over the family the theme names.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from docx.document import Document as DocxDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Emu
from lxml import etree

from ...pages import PAGE_SIZES
from ..theme import RoleStyle, Theme

__all__ = ["LABEL_STYLE", "TABLE_STYLE", "apply_theme", "label_style"]

TABLE_STYLE = "Brief Table"
LABEL_STYLE = "Status Label"
"""The label style of a kind the theme gives no colour (and the parent of every kind's style)."""

Colour = Literal["heading", "text", "muted", "link", "none"]
Box = Literal["note", "caveat", "disclaimer", "none"]


@dataclass(frozen=True)
class _Paragraph:
    role: str
    """The row of the type scale (`roles`) giving size, weight, colour, family and spacing."""
    sized: bool = True
    """False: no size of its own, Normal's (list items and questions follow the body text)."""
    box_spacing: tuple[float, float] | None = None
    """Points before and after at the base size, for a boxed paragraph: Word draws the box around the
    paragraph, so its spacing is the box's (the PDF's box flowable), not the text's."""
    keep_next: bool = False
    box: Box = "none"
    rule_below: bool = False
    align: Literal["left", "center", "right"] | None = None
    hanging_cm: float = 0
    outline: int | None = None
    """The heading level (1-9) a screen reader announces: Word knows its Heading styles by name, LibreOffice
    (and its tagged PDF export) only by this."""


_PARAGRAPHS: dict[str, _Paragraph] = {
    "Title": _Paragraph("title"),
    "Subtitle": _Paragraph("subtitle"),
    "Brief Meta": _Paragraph("meta"),
    "Heading 1": _Paragraph("h1", keep_next=True, rule_below=True, outline=1),
    "Heading 2": _Paragraph("h2", keep_next=True, outline=2),
    "Heading 3": _Paragraph("h3", keep_next=True, outline=3),
    "Question": _Paragraph("question", sized=False, keep_next=True, outline=2),
    "Caption": _Paragraph("caption"),
    "Bottom Line": _Paragraph("bottom-line", box_spacing=(4, 10), box="note"),
    "Intense Quote": _Paragraph("callout", box_spacing=(2, 6), box="note"),
    "Caveat": _Paragraph("callout", box_spacing=(2, 6), box="caveat"),
    "Quote": _Paragraph("disclaimer", box_spacing=(2, 6), box="disclaimer"),
    "Source Entry": _Paragraph("source", hanging_cm=0.64),
    "Table Text": _Paragraph("cell"),
    "Small Print": _Paragraph("small"),
    "List Bullet": _Paragraph("list-item", sized=False),
    "List Number": _Paragraph("list-item", sized=False),
    "Header": _Paragraph("running", align="center"),
    "Footer": _Paragraph("running", align="center"),
}
"""Every paragraph style a brief uses, but Normal (the body: the theme's base size and text colour)."""

_CHARACTERS: dict[str, tuple[bool, Colour, bool]] = {
    "Citation": (False, "link", False),
    "Hyperlink": (False, "link", True),
    LABEL_STYLE: (True, "muted", False),
}
"""Character style -> (bold, colour, underline); one more per label kind (`label_style`)."""


def label_style(kind: str) -> str:
    """Return the character style of a label kind ("Label Unverified"), one per colour the theme gives."""
    return "Label " + kind.replace("-", " ").title()


def apply_theme(document: DocxDocument, theme: Theme) -> None:
    """Restyle `document`'s styles from `theme` (sizes, families, colours, spacing, boxes, the table look)."""
    k = theme.base_font_size / 10.5
    styles = document.styles
    _drop_theme_fonts(styles.element)
    _defaults(styles.element, theme)
    normal, body = styles["Normal"].element, theme.roles["body"]
    _reset(normal)
    _spacing(normal, body.space_before, body.space_after)
    _run(normal, theme.colour(body.colour), body.size)
    names = {style.name for style in styles}
    for name, spec in _PARAGRAPHS.items():
        if name not in names:
            styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH).base_style = styles["Normal"]
            styles[name].quick_style = True
        _paragraph(styles[name].element, spec, theme, k)
    characters = {name: (bold, _colour(theme, colour), underline) for name, (bold, colour, underline) in _CHARACTERS.items()}
    characters.update({label_style(kind): (True, colour, False) for kind, colour in theme.label_colours})
    for name, (bold, colour, underline) in characters.items():
        if name not in names:
            styles.add_style(name, WD_STYLE_TYPE.CHARACTER).quick_style = True
        element = styles[name].element
        _reset(element)
        _run(element, colour, None, bold=bold, underline=underline)
    _table_style(styles.element, theme)
    _list_markers(document, theme)
    section = document.sections[0]
    width, height = PAGE_SIZES[theme.page_size or "A4"]
    section.page_width, section.page_height = Emu(round(width * 12700)), Emu(round(height * 12700))
    top, right, bottom, left = theme.margins_cm
    section.top_margin, section.right_margin, section.bottom_margin, section.left_margin = Cm(top), Cm(right), Cm(bottom), Cm(left)


def _role_colour(theme: Theme, role: RoleStyle) -> str:
    """Return a role's colour, or "" for body-family text in the text colour, which it takes from Normal."""
    return "" if role.colour == "text" and not role.headings else theme.colour(role.colour)


def _colour(theme: Theme, name: Colour) -> str:
    return {"heading": theme.heading_colour, "text": theme.text_colour, "muted": theme.muted_colour,
            "link": theme.link_colour, "none": ""}[name]


def _hex(colour: str) -> str:
    return colour.lstrip("#").upper()


def _drop_theme_fonts(styles: etree._Element) -> None:
    """Remove theme font and colour references, which would win over the names and colours set here."""
    for fonts in styles.iter(qn("w:rFonts")):
        for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme"):
            fonts.attrib.pop(qn(attribute), None)


def _defaults(styles: etree._Element, theme: Theme) -> None:
    rpr = styles.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}")
    if rpr is None:
        return
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attribute in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(attribute), theme.family_name())


def _reset(style: etree._Element) -> None:
    """Remove a style's paragraph and run properties but its list numbering, to rebuild them from the theme."""
    ppr = style.find(qn("w:pPr"))
    if ppr is not None:
        for child in list(ppr):
            if child.tag != qn("w:numPr") and child.tag != qn("w:ind"):
                ppr.remove(child)
    rpr = style.find(qn("w:rPr"))
    if rpr is not None:
        style.remove(rpr)


def _ppr(style: etree._Element) -> etree._Element:
    ppr = style.find(qn("w:pPr"))
    if ppr is None:
        ppr = OxmlElement("w:pPr")
        rpr = style.find(qn("w:rPr"))
        rpr.addprevious(ppr) if rpr is not None else style.append(ppr)
    return ppr


def _put(ppr: etree._Element, element: etree._Element) -> None:
    """Add a pPr child in schema order (ECMA-376 17.3.1.26): Word rejects pPr children out of order."""
    order = ["w:pStyle", "w:keepNext", "w:keepLines", "w:pageBreakBefore", "w:framePr", "w:widowControl", "w:numPr",
             "w:suppressLineNumbers", "w:pBdr", "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap",
             "w:overflowPunct", "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd",
             "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc",
             "w:textDirection", "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl"]
    rank = {qn(tag): index for index, tag in enumerate(order)}
    mine = rank.get(element.tag, len(order))
    for index, child in enumerate(ppr):
        if rank.get(child.tag, len(order)) > mine:
            ppr.insert(index, element)
            return
    ppr.append(element)


def _spacing(style: etree._Element, before: float, after: float) -> None:
    spacing = OxmlElement("w:spacing")
    spacing.set(qn("w:before"), str(round(before * 20)))
    spacing.set(qn("w:after"), str(round(after * 20)))
    spacing.set(qn("w:line"), "276")  # 1.15 lines, about the PDF's leading
    spacing.set(qn("w:lineRule"), "auto")
    _put(_ppr(style), spacing)


def _run(style: etree._Element, colour: str, size: float | None, *, bold: bool = False, italic: bool = False,
         underline: bool = False, family: str | None = None) -> None:
    """Give a style its run properties, in schema order (rFonts, b, i, color, sz, szCs, u)."""
    rpr = OxmlElement("w:rPr")
    if family:
        fonts = OxmlElement("w:rFonts")
        for attribute in ("w:ascii", "w:hAnsi", "w:cs"):
            fonts.set(qn(attribute), family)
        rpr.append(fonts)
    for flag, tags in ((bold, ("w:b", "w:bCs")), (italic, ("w:i", "w:iCs"))):
        for tag in tags:
            rpr.append(OxmlElement(tag) if flag else _off(tag))
    if colour:
        element = OxmlElement("w:color")
        element.set(qn("w:val"), _hex(colour))
        rpr.append(element)
    if size:
        for tag in ("w:sz", "w:szCs"):
            element = OxmlElement(tag)
            element.set(qn("w:val"), str(round(size * 2)))
            rpr.append(element)
    if underline:
        element = OxmlElement("w:u")
        element.set(qn("w:val"), "single")
        rpr.append(element)
    style.append(rpr)


def _off(tag: str) -> etree._Element:
    element = OxmlElement(tag)
    element.set(qn("w:val"), "0")
    return element


def _paragraph(style: etree._Element, spec: _Paragraph, theme: Theme, k: float) -> None:
    _reset(style)
    ppr = _ppr(style)
    if spec.keep_next:
        _put(ppr, OxmlElement("w:keepNext"))
    if spec.box != "none" or spec.rule_below:
        _put(ppr, _borders(spec, theme))
    if spec.box in ("note", "caveat"):
        shading = OxmlElement("w:shd")
        for key, value in (("w:val", "clear"), ("w:color", "auto"),
                           ("w:fill", _hex(theme.note_fill if spec.box == "note" else theme.caveat_fill))):
            shading.set(qn(key), value)
        _put(ppr, shading)
    role = theme.roles[spec.role]
    before, after = (spec.box_spacing[0] * k, spec.box_spacing[1] * k) if spec.box_spacing else (
        role.space_before, role.space_after)
    _spacing(style, before, after)
    if spec.outline:
        level = OxmlElement("w:outlineLvl")
        level.set(qn("w:val"), str(spec.outline - 1))
        _put(ppr, level)
    if spec.box != "none" or spec.hanging_cm:
        indent = ppr.find(qn("w:ind"))
        if indent is not None:
            ppr.remove(indent)
        indent = OxmlElement("w:ind")
        if spec.box != "none":
            indent.set(qn("w:left"), "170")
            indent.set(qn("w:right"), "170")
        else:
            twips = str(round(spec.hanging_cm / 2.54 * 1440))
            indent.set(qn("w:left"), twips)
            indent.set(qn("w:hanging"), twips)
        _put(ppr, indent)
    if spec.align:
        jc = OxmlElement("w:jc")
        jc.set(qn("w:val"), spec.align)
        _put(ppr, jc)
    family = theme.family_name(headings=True) if role.headings else None
    _run(style, _role_colour(theme, role), role.size if spec.sized else None, bold=role.bold, italic=role.italic,
         family=family)


def _borders(spec: _Paragraph, theme: Theme) -> etree._Element:
    borders = OxmlElement("w:pBdr")
    if spec.rule_below:
        sides = {"bottom": (theme.rule_colour, "6", "2")}
    elif spec.box == "disclaimer":
        sides = {side: (theme.rule_colour, "4", "4") for side in ("top", "left", "bottom", "right")}
    else:
        rule = theme.heading_colour if spec.box == "note" else theme.caveat_rule
        sides = {"left": (rule, "18", "6")}
    for side in ("top", "left", "bottom", "right"):
        if side in sides:
            colour, size, space = sides[side]
            element = OxmlElement(f"w:{side}")
            for key, value in (("w:val", "single"), ("w:sz", size), ("w:space", space), ("w:color", _hex(colour))):
                element.set(qn(key), value)
            borders.append(element)
    return borders


def _list_markers(document: DocxDocument, theme: Theme) -> None:
    """Colour the bullets and numbers of the list styles in the heading colour, as the PDF does."""
    numbering = document.part.numbering_part.element
    used = set()
    for name in ("List Bullet", "List Number"):
        num_id = document.styles[name].element.pPr.numPr.numId.val
        num = next(n for n in numbering.findall(qn("w:num")) if n.get(qn("w:numId")) == str(num_id))
        used.add(num.find(qn("w:abstractNumId")).get(qn("w:val")))
    for abstract in numbering.findall(qn("w:abstractNum")):
        if abstract.get(qn("w:abstractNumId")) not in used:
            continue
        for level in abstract.findall(qn("w:lvl")):
            rpr = level.find(qn("w:rPr"))
            if rpr is None:
                rpr = OxmlElement("w:rPr")
                level.append(rpr)
            for old in rpr.findall(qn("w:color")):
                rpr.remove(old)
            colour = OxmlElement("w:color")
            colour.set(qn("w:val"), _hex(theme.heading_colour))
            fonts = rpr.find(qn("w:rFonts"))
            (fonts.addnext(colour) if fonts is not None else rpr.insert(0, colour))


def _table_style(styles: etree._Element, theme: Theme) -> None:
    """Add (or replace) the table style: ruled grid, tinted bold header row, striped rows, the PDF's cell text size."""
    for old in styles.findall(qn("w:style")):
        if old.get(qn("w:styleId")) == "BriefTable":
            styles.remove(old)
    rule, header, stripe = _hex(theme.rule_colour), _hex(theme.table_header_fill), _hex(theme.table_stripe_fill)
    strong = _hex(theme.heading_colour)
    size = round(theme.roles["cell"].size * 2)
    # As the PDF: horizontal rules only, the table's top and bottom (and the header's foot) in the heading colour.
    edges = (f'<w:top w:val="single" w:sz="6" w:space="0" w:color="{strong}"/>'
             f'<w:bottom w:val="single" w:sz="6" w:space="0" w:color="{strong}"/>'
             f'<w:insideH w:val="single" w:sz="2" w:space="0" w:color="{rule}"/>')
    styles.append(parse_xml(
        f'<w:style {nsdecls("w")} w:type="table" w:customStyle="1" w:styleId="BriefTable">'
        f'<w:name w:val="{TABLE_STYLE}"/><w:basedOn w:val="TableNormal"/><w:uiPriority w:val="59"/><w:qFormat/>'
        f'<w:pPr><w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/></w:pPr>'
        f'<w:rPr><w:sz w:val="{size}"/><w:szCs w:val="{size}"/></w:rPr>'
        f'<w:tblPr><w:tblStyleRowBandSize w:val="1"/><w:tblBorders>{edges}</w:tblBorders>'
        f'<w:tblCellMar><w:top w:w="40" w:type="dxa"/><w:left w:w="85" w:type="dxa"/><w:bottom w:w="40" w:type="dxa"/>'
        f'<w:right w:w="85" w:type="dxa"/></w:tblCellMar></w:tblPr>'
        f'<w:tblStylePr w:type="firstRow"><w:rPr><w:b/><w:bCs/></w:rPr><w:tcPr>'
        f'<w:tcBorders><w:bottom w:val="single" w:sz="6" w:space="0" w:color="{strong}"/></w:tcBorders>'
        f'<w:shd w:val="clear" w:color="auto" w:fill="{header}"/></w:tcPr></w:tblStylePr>'
        f'<w:tblStylePr w:type="band2Horz"><w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="{stripe}"/></w:tcPr>'
        f'</w:tblStylePr></w:style>'
    ))
