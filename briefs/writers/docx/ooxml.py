"""The WordprocessingML python-docx has no API for, each in one small function.

Hyperlinks (external and to bookmarks), bookmarks, fields (PAGE, NUMPAGES), picture alt text,
repeating table header rows and restarted numbered lists. Each is covered by a test that reads
the XML back.
"""

from __future__ import annotations

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.text.paragraph import Paragraph
from lxml import etree

_W_R, _W_RPR, _W_RSTYLE, _W_T, _W_VAL = (qn(tag) for tag in ("w:r", "w:rPr", "w:rStyle", "w:t", "w:val"))
_W_P, _W_PPR, _W_PSTYLE = (qn(tag) for tag in ("w:p", "w:pPr", "w:pStyle"))
_XML_SPACE = qn("xml:space")
_W_HYPERLINK, _W_ANCHOR, _W_HISTORY, _R_ID = (qn(tag) for tag in ("w:hyperlink", "w:anchor", "w:history", "r:id"))

__all__ = [
    "add_bookmark",
    "add_field",
    "add_link",
    "add_paragraph",
    "add_run",
    "add_table_row",
    "mark_header_row",
    "restart_numbering",
    "set_alt_text",
    "set_numbering",
    "set_table_caption",
    "set_table_look",
]


def add_run(parent: BaseOxmlElement, text: str, style_id: str | None = None) -> BaseOxmlElement:
    """Append to `parent` a `w:r` holding `text` (spaces kept), in the character style `style_id`.

    Built with lxml's SubElement rather than OxmlElement, which parses an XML string per element:
    a brief has thousands of runs, and this is the writer's hottest path.
    """
    run: BaseOxmlElement = etree.SubElement(parent, _W_R)
    if style_id:
        etree.SubElement(etree.SubElement(run, _W_RPR), _W_RSTYLE).set(_W_VAL, style_id)
    t = etree.SubElement(run, _W_T)
    t.set(_XML_SPACE, "preserve")
    t.text = text
    return run


def set_run_language(run: BaseOxmlElement, language: str) -> None:
    """Mark a run as written in `language` (`w:lang`), for text in another language than the document's."""
    rpr = run.find(_W_RPR)
    if rpr is None:
        rpr = etree.Element(_W_RPR)
        run.insert(0, rpr)
    lang = etree.SubElement(rpr, qn("w:lang"))
    lang.set(_W_VAL, language)
    if language.split("-")[0] in ("ja", "zh", "ko"):
        lang.set(qn("w:eastAsia"), language)


def add_paragraph(body: BaseOxmlElement, style_id: str) -> BaseOxmlElement:
    """Append to `body`, before its final `w:sectPr`, a `w:p` in the paragraph style `style_id`."""
    paragraph: BaseOxmlElement = body.makeelement(_W_P, {})
    etree.SubElement(etree.SubElement(paragraph, _W_PPR), _W_PSTYLE).set(_W_VAL, style_id)
    section = body.sectPr
    if section is not None:
        section.addprevious(paragraph)
    else:
        body.append(paragraph)
    return paragraph


_W_TR, _W_TC, _W_TCPR, _W_TCW = (qn(tag) for tag in ("w:tr", "w:tc", "w:tcPr", "w:tcW"))
_W_GRIDCOL, _W_W, _W_TYPE, _W_KEEPNEXT, _W_JC = (qn(tag) for tag in ("w:gridCol", "w:w", "w:type", "w:keepNext", "w:jc"))


def add_table_row(table: BaseOxmlElement, style_id: str, *, keep_with_next: bool, aligns: tuple[str | None, ...],
                  header: bool = False) -> list[BaseOxmlElement]:
    """Append to `table` a row with one cell per grid column, each holding one empty `w:p` in `style_id`; return those.

    The XML python-docx's `add_row`, `keep_with_next` and `alignment` make (cell widths from the grid,
    a header row that repeats on every page and never splits), built directly: through python-docx a
    row costs about ten times as much, its setters searching the children for their schema place.
    `aligns` gives each column's `w:jc` (None: the style's).
    """
    row = etree.SubElement(table, _W_TR)
    if header:
        mark_header_row(row)
    paragraphs = []
    grid = table.find(qn("w:tblGrid"))
    for column, grid_column in enumerate(grid.iterchildren(_W_GRIDCOL) if grid is not None else ()):
        cell = etree.SubElement(row, _W_TC)
        width = grid_column.get(_W_W)
        if width is not None:
            cell_width = etree.SubElement(etree.SubElement(cell, _W_TCPR), _W_TCW)
            cell_width.set(_W_TYPE, "dxa")
            cell_width.set(_W_W, width)
        paragraph = etree.SubElement(cell, _W_P)
        properties = etree.SubElement(paragraph, _W_PPR)
        etree.SubElement(properties, _W_PSTYLE).set(_W_VAL, style_id)
        if keep_with_next:
            etree.SubElement(properties, _W_KEEPNEXT)
        align = aligns[column] if column < len(aligns) else None
        if align:
            etree.SubElement(properties, _W_JC).set(_W_VAL, align)
        paragraphs.append(paragraph)
    return paragraphs


def add_link(paragraph: Paragraph, href: str) -> BaseOxmlElement:
    """Append and return an empty `w:hyperlink` to `href` (an http(s)/mailto URL or '#bookmark')."""
    link: BaseOxmlElement = etree.SubElement(paragraph._p, _W_HYPERLINK)  # not OxmlElement: it parses XML text per element
    if href.startswith("#"):
        link.set(_W_ANCHOR, href[1:])
    else:
        link.set(_R_ID, paragraph.part.relate_to(href, RT.HYPERLINK, is_external=True))
    link.set(_W_HISTORY, "1")
    return link


def add_bookmark(paragraph: Paragraph, name: str, bookmark_id: int) -> None:
    """Wrap the start of `paragraph` in a bookmark `name`, the target of internal links."""
    start = OxmlElement("w:bookmarkStart")
    start.set(qn("w:id"), str(bookmark_id))
    start.set(qn("w:name"), name)
    end = OxmlElement("w:bookmarkEnd")
    end.set(qn("w:id"), str(bookmark_id))
    ppr = paragraph._p.pPr
    if ppr is not None:
        ppr.addnext(start)
    else:
        paragraph._p.insert(0, start)
    start.addnext(end)


def add_field(paragraph: Paragraph, instruction: str, placeholder: str = "1") -> None:
    """Append a simple field (e.g. PAGE, NUMPAGES) that Word and LibreOffice update on layout."""
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), instruction)
    add_run(field, placeholder)
    paragraph._p.append(field)


def set_alt_text(inline: BaseOxmlElement, title: str, description: str) -> None:
    """Set a picture's alt text (`wp:docPr` title and descr), which screen readers announce."""
    doc_pr = inline.find(qn("wp:docPr"))
    if doc_pr is not None:
        doc_pr.set("title", title)
        doc_pr.set("descr", description)


def set_table_look(table: BaseOxmlElement) -> None:
    """Let the table style shade the header row and band rows, but not bold the first column."""
    look = table.tblPr.find(qn("w:tblLook"))
    if look is None:
        look = OxmlElement("w:tblLook")
        table.tblPr.append(look)
    values = {"w:val": "0420", "w:firstRow": "1", "w:lastRow": "0", "w:firstColumn": "0", "w:lastColumn": "0",
              "w:noHBand": "0", "w:noVBand": "1"}
    for key, value in values.items():
        look.set(qn(key), value)


def set_table_caption(table: BaseOxmlElement, text: str) -> None:
    """Give a table its caption as Word's table title (`w:tblCaption`, read out by screen readers)."""
    caption = OxmlElement("w:tblCaption")
    caption.set(qn("w:val"), text[:255])
    table.tblPr.append(caption)  # after tblLook, its place in the schema's order


def mark_header_row(row: BaseOxmlElement) -> None:
    """Make a table row repeat at the top of every page the table spans, and never split."""
    tr_pr = row.get_or_add_trPr()
    for tag in ("w:cantSplit", "w:tblHeader"):
        element = OxmlElement(tag)
        tr_pr.append(element)


def restart_numbering(numbering: BaseOxmlElement, template_num_id: int) -> int:
    """Add a `w:num` that restarts at 1 the list of `template_num_id`; return its id.

    Without it a second "List Number" list continues the first one's count in Word, pandoc and
    LibreOffice.
    """
    abstract = None
    for num in numbering.findall(qn("w:num")):
        if num.get(qn("w:numId")) == str(template_num_id):
            abstract = num.find(qn("w:abstractNumId")).get(qn("w:val"))
    if abstract is None:
        return template_num_id
    num_id = max(int(n.get(qn("w:numId"))) for n in numbering.findall(qn("w:num"))) + 1
    num = OxmlElement("w:num")
    num.set(qn("w:numId"), str(num_id))
    abstract_ref = OxmlElement("w:abstractNumId")
    abstract_ref.set(qn("w:val"), abstract)
    num.append(abstract_ref)
    override = OxmlElement("w:lvlOverride")
    override.set(qn("w:ilvl"), "0")
    start = OxmlElement("w:startOverride")
    start.set(qn("w:val"), "1")
    override.append(start)
    num.append(override)
    numbering.append(num)
    return num_id


def set_numbering(paragraph: Paragraph, num_id: int) -> None:
    """Put `paragraph` in list `num_id` at level 0."""
    ppr = paragraph._p.get_or_add_pPr()
    num_pr = ppr.get_or_add_numPr()
    num_pr.get_or_add_ilvl().val = 0
    num_pr.get_or_add_numId().val = num_id
