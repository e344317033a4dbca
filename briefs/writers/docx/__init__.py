"""Write a Document as a Word (DOCX) file with python-docx, in Word's built-in styles.

Built-in style names throughout (Title, Subtitle, Heading 1-3, List Bullet, List Number, Caption,
Quote, Intense Quote, a table style), so Word's navigation pane shows the structure and a
reference document (`Style.reference_docx`, see `base`) restyles everything. Output is
byte-identical for identical input.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import BinaryIO, assert_never

from docx.document import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Cm, Emu
from docx.text.paragraph import Paragraph as DocxParagraph

from ...doctree import (
    Block,
    BulletList,
    Callout,
    Citation,
    DocMeta,
    Document,
    Emphasis,
    Figure,
    Heading,
    Inline,
    Label,
    Link,
    OrderedList,
    Paragraph,
    Strong,
    Table,
    Text,
    plain_text,
)
from ...errors import ThemeError
from ...words import pieces
from .. import PAGE_SIZES, Logo, Style
from ..reuse import Kept, file_versions, varying_blocks
from ..theme import Theme
from . import ooxml
from .base import Base, base_for, new_document
from .chart import WIDTH_CM, bar_chart_png
from .kept import KeptDocx, finish, made_by
from .package import entries_of, write_zip
from .styling import LABEL_STYLE, TABLE_STYLE, label_style

_BUILTIN_THEME = Theme()
_KEEP_TABLE_ROWS = 20
"""As in the PDF: a table of at most this many rows stays on one page with its caption."""

__all__ = ["check_reference", "forget", "write"]

_KEPT: Kept[tuple[object, ...], KeptDocx] = Kept(per_key=1)
"""The last brief written in full per style and document properties (`kept`): a batch finishes the next from it."""

_FIELDS = {"page": "PAGE", "pages": "NUMPAGES"}
"""The footer pattern's placeholders and the Word fields that fill them."""

_ALIGN = {"left": WD_ALIGN_PARAGRAPH.LEFT, "center": WD_ALIGN_PARAGRAPH.CENTER, "right": WD_ALIGN_PARAGRAPH.RIGHT}
_ROLE_STYLES = {
    "body": "Normal",
    "title": "Title",
    "subtitle": "Subtitle",
    "meta": "Brief Meta",
    "bottom-line": "Bottom Line",
    "question": "Question",
    "source": "Source Entry",
    "caption": "Caption",
    "small": "Small Print",
}
_CALLOUT_STYLES = {"note": "Intense Quote", "caveat": "Caveat", "disclaimer": "Quote"}


def write(document: Document, out: BinaryIO, style: Style | None = None) -> list[str]:
    """Write `document` as DOCX to the binary stream `out`; return warnings (none so far).

    With a reference document in `style`, its styles, margins, headers and footers are used, and
    its page size unless the style names one. Raises ThemeError for an unreadable reference.
    """
    style = style or Style()
    theme = style.theme or _BUILTIN_THEME
    base = base_for(style.reference_docx, theme, document.meta.language)
    key = (style, document.meta, file_versions(None, style.logo.image if style.logo else None))
    for kept in _KEPT.under(key):
        varying = varying_blocks(kept.document, document) if kept.base is base else None
        finished = None if varying is None else kept.data if not varying else finish(kept, varying, document)
        if finished is not None:
            out.write(finished)
            return []
    docx_document = new_document(base, share_styles=True)
    writer = _Writer(docx_document, base, theme)
    _page_setup(docx_document, document, style, base)
    if style.logo is not None:
        writer.logo(style.logo)
    made = []
    for block, following in zip(document.blocks, (*document.blocks[1:], None), strict=True):
        count = len(writer.body)
        writer.block(block)
        made.append(made_by(writer.body, count))
        captioned = isinstance(block, Table) and isinstance(following, Paragraph) and following.role == "caption"
        if captioned and writer.last_table is not None and isinstance(following, Paragraph):
            ooxml.set_table_caption(writer.last_table, plain_text(following.children))
    entries = entries_of(docx_document, base.static_parts)
    buffer = io.BytesIO()
    write_zip(entries, buffer)
    data = buffer.getvalue()
    _KEPT.add(key, KeptDocx(document, base, writer.body, lambda: docx_document.part.blob, writer.block, tuple(made),
                            tuple(entries), data))
    out.write(data)
    return []


def forget() -> None:
    """Drop the briefs kept from earlier writes."""
    _KEPT.clear()


def _page_setup(docx_document: DocxDocument, document: Document, style: Style, base: Base) -> None:
    meta = document.meta
    section = docx_document.sections[0]
    width, height = style.page_size or base.page_size or PAGE_SIZES.get(meta.page_size, PAGE_SIZES["A4"])
    if (width, height) != base.page_size:
        section.page_width, section.page_height = Emu(round(width * 12700)), Emu(round(height * 12700))
    if not base.own_header:  # (a theme's base has its margins; a reference document keeps its own)
        header = section.header.paragraphs[0]
        header._p.style = base.styles["Header"]  # by id: python-docx's lookup by name costs 2 ms a brief
        header.text = meta.header
    if not base.own_footer:
        footer = section.footer.paragraphs[0]
        footer._p.style = base.styles["Footer"]
        for text, field in pieces(meta.words.page):  # "Page {page} of {pages}": the placeholders are fields Word fills
            if field and text in _FIELDS:
                ooxml.add_field(footer, _FIELDS[text])
            else:
                footer.add_run("{" + text + "}" if field else text)
    props = docx_document.core_properties
    stamp = dt.datetime.combine(meta.date, dt.time(0, 0))
    props.title = _property(meta.title)
    props.subject = _property(meta.subject)
    props.author = _property(meta.author)
    props.last_modified_by = _property(meta.author)
    props.keywords = _property(", ".join(meta.keywords))
    props.comments = ""
    props.created = stamp
    props.modified = stamp
    props.last_printed = stamp
    props.revision = 1
    props.language = meta.language


class _Writer:
    """Append blocks to one python-docx document, resolving style ids once."""

    def __init__(self, document: DocxDocument, base: Base, theme: Theme) -> None:
        self.document = document
        self.base = base
        self.theme = theme
        self.body = document.element.body
        self.styles = base.styles
        self.numbering = document.part.numbering_part.element
        self.ordered_lists = 0
        self.bookmarks = 0
        self.heading_level = 0
        self.last_table: BaseOxmlElement | None = None

    def paragraph(self, style: str) -> DocxParagraph:
        """Append a paragraph in `style` to the body (before its section properties)."""
        return DocxParagraph(ooxml.add_paragraph(self.body, self.styles[style]), self.document._body)

    def block(self, block: Block) -> None:
        match block:
            case Heading(level=level, children=children):
                self.heading_level = min(max(level, 1), self.heading_level + 1, 3)  # levels never skip (Title is 0)
                self.inlines(self.paragraph(f"Heading {self.heading_level}"), children)
            case Paragraph(children=children, role=role, anchor=anchor):
                paragraph = self.paragraph(_ROLE_STYLES[role])
                if anchor:
                    self.bookmarks += 1
                    ooxml.add_bookmark(paragraph, anchor, self.bookmarks)
                self.inlines(paragraph, children)
            case BulletList(items=items):
                for item in items:
                    self.inlines(self.paragraph("List Bullet"), item)
            case OrderedList(items=items):
                self.ordered_list(items)
            case Table():
                self.table(block)
            case Figure():
                self.figure(block)
            case Callout(children=children, role=role):
                for child in children:
                    self.inlines(self.paragraph(_CALLOUT_STYLES[role]), child.children)
            case _:
                assert_never(block)

    def ordered_list(self, items: tuple[tuple[Inline, ...], ...]) -> None:
        self.ordered_lists += 1
        num_id = self.base.number_num_id
        if self.ordered_lists > 1:
            num_id = ooxml.restart_numbering(self.numbering, num_id)
        for item in items:
            paragraph = self.paragraph("List Number")
            if self.ordered_lists > 1:
                ooxml.set_numbering(paragraph, num_id)
            self.inlines(paragraph, item)

    def logo(self, logo: Logo) -> None:
        """Put the cover logo in a paragraph of its own at the logo's place."""
        paragraph = self.paragraph("Normal")
        paragraph.alignment = _ALIGN[logo.place]
        shape = paragraph.add_run().add_picture(str(logo.image), width=Cm(logo.width_cm))
        ooxml.set_alt_text(shape._inline, "Logo", f"Logo ({logo.image.name})")

    def table(self, table: Table) -> None:
        width = len(table.header) or (len(table.rows[0]) if table.rows else 0)
        if width == 0:
            return
        docx_table = self.document.add_table(rows=0, cols=width)
        tbl = self.last_table = docx_table._tbl
        tbl.tblPr.get_or_add_tblStyle().val = self.styles[TABLE_STYLE]
        ooxml.set_table_look(tbl)
        rows = ([table.header] if table.header else []) + list(table.rows)
        keep = len(table.rows) <= _KEEP_TABLE_ROWS  # every row kept with the next: the table stays with its caption
        cell_style = self.styles["Table Text"]  # the PDF's cell size; a table style's size loses to Normal's
        aligns = tuple("right" if numeric else None for numeric in table.numeric)
        for index, row in enumerate(rows):
            header = index == 0 and bool(table.header)  # bold as text, not only by the table style (LibreOffice ignores that)
            cells = ooxml.add_table_row(tbl, cell_style, keep_with_next=keep, aligns=aligns, header=header)
            for cell, content in zip(cells, row, strict=True):
                self.inlines(DocxParagraph(cell, self.document._body), content, "Strong" if header else None)

    def figure(self, figure: Figure) -> None:
        picture = self.paragraph("Normal")
        picture.paragraph_format.keep_with_next = True
        run = picture.add_run()
        chart = bar_chart_png(figure.points, figure.unit, self.theme)
        shape = run.add_picture(io.BytesIO(chart), width=Cm(WIDTH_CM))  # the height in proportion
        ooxml.set_alt_text(shape._inline, figure.title, figure.alt)
        self.inlines(self.paragraph("Caption"), figure.caption)

    def inlines(self, paragraph: DocxParagraph, inlines: tuple[Inline, ...], style: str | None = None,
                parent: BaseOxmlElement | None = None) -> None:
        target = paragraph._p if parent is None else parent
        for node in inlines:
            match node:
                case Text(text=text, language=language):
                    run = ooxml.add_run(target, text, self.styles[style] if style else None)
                    if language:
                        ooxml.set_run_language(run, language)
                case Strong(children=children):
                    self.inlines(paragraph, children, "Strong", parent)
                case Emphasis(children=children):
                    self.inlines(paragraph, children, "Emphasis", parent)
                case Label(text=text, kind=kind):
                    ooxml.add_run(target, text, self.styles.get(label_style(kind)) or self.styles[LABEL_STYLE])
                case Citation(numbers=numbers, labels=labels):
                    self.citation(paragraph, numbers, target, labels)
                case Link(href=href, children=children):
                    link = ooxml.add_link(paragraph, href)
                    if parent is not None:
                        parent.append(link)
                    self.inlines(paragraph, children, "Hyperlink", link)
                case _:
                    assert_never(node)

    def citation(self, paragraph: DocxParagraph, numbers: tuple[int, ...], target: BaseOxmlElement, labels: tuple[str, ...] = ()) -> None:
        """Write [1, 3], or (USGS, 2025; Smith, 2024) in an author-date style, each linked to its source entry's bookmark."""
        style = self.styles["Citation"]
        ooxml.add_run(target, "(" if labels else "[", style)
        for index, number in enumerate(numbers):
            if index:
                ooxml.add_run(target, "; " if labels else ", ", style)
            link = ooxml.add_link(paragraph, f"#src-{number}")
            link.set(qn("w:tooltip"), f"Source {number}")  # what the number stands for, as the PDF's link /Contents
            if target is not paragraph._p:
                target.append(link)
            ooxml.add_run(link, labels[index] if labels else str(number), style)
        ooxml.add_run(target, ")" if labels else "]", style)


_PROPERTY_CHARS = 255
"""Word's limit for a core document property (python-docx refuses longer values)."""


def _property(text: str) -> str:
    """Return `text` shortened for a document property, with an ellipsis (the brief itself keeps the whole text)."""
    return text if len(text) <= _PROPERTY_CHARS else text[: _PROPERTY_CHARS - 1].rstrip() + "…"


_PROBE = (
    '<p class="title">T</p><p class="meta">M</p><h1>H</h1><h2>H</h2><h3>H</h3><p>P <strong>s</strong> <em>e</em> '
    '<a href="https://example.org">a</a> <cite>1</cite> <span class="label unverified">U</span></p>'
    "<ul><li>a</li></ul><ol><li>b</li></ol><table><tr><th>h</th><th class=\"num\">n</th></tr><tr><td>c</td>"
    '<td class="num">1</td></tr></table><aside class="note"><p>n</p></aside><aside class="disclaimer"><p>d</p></aside>'
    '<p class="source">s</p><p class="small">s</p><p class="caption">c</p>'
)


def check_reference(reference: Path) -> None:
    """Write a small brief that uses every style with `reference`; raise ThemeError naming the file if that fails.

    So that a reference document the writer cannot use is refused when it is loaded, never halfway
    through writing the briefs.
    """
    from ...parsing import parse_blocks

    base_for(reference)
    document = Document(DocMeta("T", "S", "A", (), dt.date(2025, 1, 1), "H"), parse_blocks(_PROBE, {}))
    try:
        write(document, io.BytesIO(), Style(reference_docx=reference))
    except Exception as exc:  # the reference's styles or numbering are what differ from the built-in base
        raise ThemeError(f"{reference}: briefs cannot write with this reference document ({type(exc).__name__}: "
                         f"{str(exc)[:120]}): save it again from Word or LibreOffice, or start from the one `init` copies") from None
