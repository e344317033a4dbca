"""Turn the document tree into platypus flowables: one `match` for blocks, one for inlines.

Every text node goes through `FontRuns.markup`, which escapes it for reportlab's Paragraph
mini-markup and wraps characters the paragraph's font lacks in a fallback font (titles and headings
start from the theme's heading family, other text from its body family); nothing from the data is
ever pasted into markup unescaped. Paragraphs learn the document's main direction (`_with_page_direction`):
right-to-left lines are written for the way pdftotext will read their page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import assert_never
from urllib.parse import quote

from reportlab.lib.styles import ParagraphStyle  # type: ignore[import-untyped]
from reportlab.platypus import (  # type: ignore[import-untyped]
    CondPageBreak,
    Flowable,
    KeepTogether,
    ListFlowable,
    ListItem,
    TableStyle,
)
from reportlab.platypus import Table as RLTable

from briefs.doctree import (
    Block,
    BulletList,
    Callout,
    Citation,
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

from ..spans import dominant_language
from ..theme import Theme
from . import bidi
from .chart import bar_chart
from .flowables import Marked, OutlinedHeading, TaggedList
from .flowables import WrapOnceParagraph as RLParagraph
from .fonts import BASE_FAMILY, Faces
from .runs import FontRuns, escape_markup
from .styles import Styles, colour
from .tagging import Node, Tagger

__all__ = ["Flow", "anchors_of"]

_KEEP_TABLE_ROWS = 20
"""A table of at most this many rows goes on one page with its caption (a longer one may split, its header repeated)."""
_SAFE_HREF = re.compile(r"^(https?://|mailto:)[^\s<>\"]+$", re.IGNORECASE)
_URL_SAFE = ":/?#[]@!$&'()*+,;=%~-._"
"""Characters kept as they are when a URL is made ASCII for the PDF (non-ASCII is percent-encoded)."""


def anchors_of(blocks: tuple[Block, ...]) -> frozenset[str]:
    """Return every anchor a block carries, so links and citations are made only to targets that exist."""
    anchors: set[str] = set()
    for block in blocks:
        match block:
            case Heading(anchor=anchor) | Paragraph(anchor=anchor) if anchor:
                anchors.add(anchor)
            case Callout(children=children):
                anchors |= anchors_of(children)
    return frozenset(anchors)


@dataclass
class Flow:
    """Build the flowables of one document; `runs` collects its warnings."""

    styles: Styles
    theme: Theme
    runs: FontRuns
    anchors: frozenset[str]
    width: float
    """Width of the text frame, in points."""
    tagger: Tagger = field(default_factory=Tagger)
    """The structure tree the flowables' content is marked as (`tagging`)."""
    _placed: set[str] = field(default_factory=set)
    _table_node: Node | None = None
    starts: list[int] = field(default_factory=list)
    """Block index -> the index of its first flowable in what `blocks` returned (a held table: its group's)."""
    """The table just made, whose caption follows it."""
    _heading_level: int = 0
    """Level of the last structure heading (H1 is the title): levels never skip."""
    _outline_level: int = -1
    _headings: int = 0

    def blocks(self, blocks: tuple[Block, ...]) -> list[Flowable]:
        """Return the flowables for a run of blocks, in order; a small table stays on one page with its caption."""
        flowables: list[Flowable] = []
        held: list[Flowable] = []
        for index, block in enumerate(blocks):
            self.starts.append(len(flowables))
            if not (isinstance(block, Paragraph) and block.role == "caption"):
                self._table_node = None  # a caption right after a table is that table's (its last child)
            made = self.block(block)
            following = blocks[index + 1] if index + 1 < len(blocks) else None
            if isinstance(block, Heading) and isinstance(following, Heading) and isinstance(made[0], CondPageBreak):
                made[0] = CondPageBreak(2 * made[0].height)  # room for both headings and the first lines under the second
            if isinstance(block, Table) and len(block.rows) <= _KEEP_TABLE_ROWS and (
                    isinstance(following, Paragraph) and following.role == "caption"):
                held = made
                continue
            if held:
                made, held = [KeepTogether([*held, *made])], []
            flowables += made
        return flowables

    def block(self, block: Block) -> list[Flowable]:
        """Return the flowables for one block."""
        match block:
            case Heading():
                heading = self._heading(block)
                heading.node = self._structure_heading(block.level + 1)
                heading.node.actual_text = _logical(block.children)
                return [CondPageBreak(self._room_for(heading)), heading]
            case Paragraph(role="bottom-line"):
                return [self._box([self._tagged(self.paragraph(block), "P", text=block.children)], self.theme.note_fill,
                                  self.theme.heading_colour)]
            case Paragraph(role="title"):
                return [self._tagged(self.paragraph(block), None, heading=1, text=block.children)]
            case Paragraph(role="caption"):
                return [self._tagged(self.paragraph(block), "Caption", self._table_node, text=block.children)]
            case Paragraph(role="question"):  # a question of the FAQ: a heading under its section's, as in the DOCX
                return [self._tagged(self.paragraph(block), None, heading=3, text=block.children)]
            case Paragraph():
                return [self._tagged(self.paragraph(block), "P", text=block.children)]
            case BulletList(items=items, changed=changed):
                return [self._list(items, ordered=False, changed=changed)] if items else []
            case OrderedList(items=items, changed=changed):
                return [self._list(items, ordered=True, changed=changed)] if items else []
            case Table():
                return self._table(block)
            case Figure():
                return self._figure(block)
            case Callout():
                return [self._callout(block)]
            case _:
                assert_never(block)

    def _structure_heading(self, level: int) -> Node:
        """Return a heading element of `level` (H1 the title), never more than one below the last heading."""
        self._heading_level = min(max(level, 1), self._heading_level + 1, 6)
        return self.tagger.node(f"H{self._heading_level}")

    def _tagged(self, paragraph: RLParagraph, tag: str | None, parent: Node | None = None, heading: int = 0,
                text: tuple[Inline, ...] = ()) -> RLParagraph:
        """Give a paragraph its structure element (a heading of level `heading`, else `tag` under `parent`)."""
        paragraph.node = self._structure_heading(heading) if heading else self.tagger.node(tag or "P", parent)
        paragraph.node.actual_text = _logical(text)
        paragraph.node.lang = dominant_language(text)
        return paragraph

    def inlines(self, nodes: tuple[Inline, ...], bold: bool = False, italic: bool = False, faces: Faces | None = None) -> str:
        """Return Paragraph markup for inlines; bold/italic say which face of `faces` (the paragraph's
        family; the body family by default) the surrounding text uses."""
        return "".join(self._inline(node, bold, italic, faces) for node in nodes)

    def _inline(self, node: Inline, bold: bool, italic: bool, faces: Faces | None) -> str:
        match node:
            case Text(text=text):
                return self.runs.markup(text, bold, italic, faces)
            case Strong(children=children):
                return f"<b>{self.inlines(children, True, italic, faces)}</b>"
            case Emphasis(children=children):
                return f"<i>{self.inlines(children, bold, True, faces)}</i>"
            case Link(href=href, children=children):
                return self._link(href, self.inlines(children, bold, italic, faces))
            case Citation(numbers=numbers, labels=labels) if labels:
                shown = [self.runs.markup(label, bold, italic, faces) for label in labels]
                return "(" + "; ".join(self._citation(number, text) for number, text in zip(numbers, shown, strict=True)) + ")"
            case Citation(numbers=numbers):
                return "[" + ", ".join(self._citation(number) for number in numbers) + "]"
            case Label(text=text, kind=kind):
                size = self.theme.roles["label"].size
                face = self.runs.markup(text.upper(), True, italic, faces)
                return f'<font color="{self.theme.label_colour(kind)}" size="{size:.2f}"><b>{face}</b></font>'
            case _:
                assert_never(node)

    def _link(self, href: str, inner: str) -> str:
        link_colour = self.theme.link_colour
        if href.startswith("#"):
            if href[1:] not in self.anchors:
                return inner
            return f'<a href="{escape_markup(href)}" color="{link_colour}">{inner}</a>'
        if not _SAFE_HREF.match(href):  # the parser refuses these; a second guard costs nothing
            self.runs.warnings.append(f"link to {href!r} printed as plain text: only http, https and mailto")
            return inner
        return f'<a href="{escape_markup(quote(href, safe=_URL_SAFE))}" color="{link_colour}"><u>{inner}</u></a>'

    def _citation(self, number: int, shown: str | None = None) -> str:
        if f"src-{number}" not in self.anchors:
            return shown or str(number)
        return f'<a href="#src-{number}" color="{self.theme.link_colour}">{shown or number}</a>'

    def paragraph(self, paragraph: Paragraph, style: ParagraphStyle | None = None) -> RLParagraph:
        """Return a Paragraph in its role's style (or `style`), with its anchor as a destination."""
        chosen = style or self.styles.roles[paragraph.role]
        self._where("paragraph", paragraph.children)
        faces, bold, italic = self.styles.face(chosen)
        markup = self.inlines(paragraph.children, bold, italic, faces)
        return self._with_page_direction(RLParagraph(self._anchor(paragraph.anchor) + markup, chosen))

    def _with_page_direction(self, paragraph: RLParagraph) -> RLParagraph:
        """Tell a paragraph the document's main direction, which it reads if it holds right-to-left text (`bidi`)."""
        paragraph.page_ltr = self.runs.primary_ltr
        return paragraph

    def _anchor(self, anchor: str | None) -> str:
        if not anchor or anchor in self._placed:
            return ""
        self._placed.add(anchor)
        return f'<a name="{escape_markup(anchor)}"/>'

    def _where(self, kind: str, inlines: tuple[Inline, ...]) -> None:
        self.runs.context = lambda: f"{kind} {plain_text(inlines)[:60]!r}"

    def _heading(self, heading: Heading) -> OutlinedHeading:
        style = self.styles.headings[min(max(heading.level, 1), 3) - 1]
        level = min(heading.level - 1, self._outline_level + 1)  # outlines cannot skip a level
        self._outline_level = level = max(level, 0)
        self._headings += 1
        self._where("heading", heading.children)
        faces, bold, italic = self.styles.face(style)
        markup = self._anchor(heading.anchor) + self.inlines(heading.children, bold, italic, faces)
        outline = (plain_text(heading.children), level, f"_outline-{self._headings}")
        rule = colour(self.theme.rule_colour) if heading.level == 1 else None
        return self._with_page_direction(OutlinedHeading(markup, style, outline=outline, rule=rule))

    def _room_for(self, heading: OutlinedHeading) -> float:
        """Return the height a heading needs below it to start a page's last section: itself and a few lines.

        A heading's keepWithNext binds it to the next flowable only when that is not a container
        (a list, a KeepTogether), so headings also start a new page when less than this is left.
        """
        style = heading.style
        return float(style.spaceBefore + style.leading * 2 + style.spaceAfter + 4 * self.styles.list_item.leading)

    def _list(self, items: tuple[tuple[Inline, ...], ...], ordered: bool, changed: tuple[int, ...] = ()) -> ListFlowable:
        style = self.styles.list_item
        indent = 16 * style.fontSize / 10.5
        paragraphs = []
        structure = self.tagger.node("L", ListNumbering="Decimal" if ordered else "Disc")
        for index, item in enumerate(items):
            paragraph = self._list_paragraph(self._item(item), style)
            entry = structure.add("LI")
            paragraph.label, paragraph.node = entry.add("Lbl"), entry.add("LBody")
            paragraph.node.actual_text = _logical(item)
            paragraph.node.lang = dominant_language(item)
            if index in changed:  # a change bar in the margin, left of the bullet, as editors' drafts have
                paragraph.change_bar = (-indent - 9, colour(self.theme.heading_colour))
            paragraphs.append(ListItem(paragraph))
        return TaggedList(
            paragraphs, bulletType="1" if ordered else "bullet", bulletFormat="%s." if ordered else None,
            bulletFontName=BASE_FAMILY, bulletFontSize=style.fontSize, bulletColor=colour(self.theme.heading_colour),
            leftIndent=indent, spaceAfter=style.spaceAfter + 4,
        )

    def _list_paragraph(self, markup: str, style: ParagraphStyle) -> RLParagraph:
        paragraph = self._with_page_direction(RLParagraph(markup, style))
        paragraph.right_to_left_aligns_right = False  # next to its bullet, which reportlab puts on the left
        return paragraph

    def _item(self, item: tuple[Inline, ...]) -> str:
        self._where("list item", item)
        return self.inlines(item)

    def _table(self, table: Table) -> list[Flowable]:
        columns = max((len(row) for row in (table.header, *table.rows)), default=0)
        if columns == 0:
            return []
        numeric = table.numeric + (False,) * (columns - len(table.numeric))
        structure = self._table_node = self.tagger.node("Table")
        data = [self._row(table.header, numeric, header=True, parent=structure.add("THead"))] if table.header else []
        body = structure.add("TBody")
        data += [self._row(row, numeric, header=False, parent=body) for row in table.rows]
        widths = _column_widths(table, columns, self.width)
        flowable = RLTable(data, colWidths=widths, repeatRows=1 if table.header else 0, splitInRow=1,
                           hAlign="LEFT", spaceBefore=2, spaceAfter=4, renderCB=self.tagger.table_callback)
        flowable.setStyle(_table_style(self.theme, bool(table.header)))
        return [flowable]

    def _row(self, cells: tuple[tuple[Inline, ...], ...], numeric: tuple[bool, ...], header: bool, parent: Node) -> list[Flowable]:
        """Return a row's cells; a header row's cells are column headers (TH), each body row's first cell its row header."""
        styles = self.styles
        row: list[Flowable] = []
        structure = parent.add("TR")
        for index, cell in enumerate(cells):
            self._where("table cell", cell)
            if header:
                style = styles.header_cell_numeric if numeric[index] else styles.header_cell
            else:
                style = styles.cell_numeric if numeric[index] else styles.cell
            paragraph = self._with_page_direction(RLParagraph(self.inlines(cell, bold=header), style))
            paragraph.node = structure.add("TH", Scope="Column") if header else (
                structure.add("TH", Scope="Row") if index == 0 else structure.add("TD"))
            paragraph.node.actual_text = _logical(cell)
            paragraph.node.repeated_is_artifact = header  # reportlab repeats the header row on each page the table spans
            row.append(paragraph)
        for _ in range(len(numeric) - len(cells)):
            padding = RLParagraph("", styles.cell)
            padding.node = structure.add("TD")
            row.append(padding)
        return row

    def _figure(self, figure: Figure) -> list[Flowable]:
        self._where("figure caption", figure.caption)
        caption = self._with_page_direction(RLParagraph(self.inlines(figure.caption, italic=True), self.styles.roles["caption"]))
        if not figure.points:
            return [self._tagged(caption, "Caption", text=figure.caption)]
        structure = self.tagger.node("Figure")
        structure.alt = figure.alt
        drawing = bar_chart(figure, self.theme, self.width, self.runs)
        drawing.hAlign = "CENTER"
        # keepWithNext rather than a KeepTogether: reportlab keeps a heading only with a next
        # flowable that is not itself a container, so a KeepTogether left "Figure" alone at a page foot.
        drawing.__dict__["keepWithNext"] = 1  # Drawing refuses unknown attributes through setattr
        # The caption is the figure's sibling, not its child: the figure's /Alt replaces what is inside it, and the
        # caption (with its link to the source) must still be read.
        return [Marked(drawing, structure), self._tagged(caption, "Caption", text=figure.caption)]

    def _callout(self, callout: Callout) -> Flowable:
        theme = self.theme
        structure = self.tagger.node("Div")
        if callout.role == "disclaimer":
            children = [self._tagged(self.paragraph(child, self.styles.disclaimer), "P", structure, text=child.children)
                        for child in callout.children]
            return self._box(children, None, theme.rule_colour, edge_kind="box")
        children = [self._tagged(self.paragraph(child, self._callout_style(child)), "P", structure, text=child.children)
                    for child in callout.children]
        if callout.role == "caveat":
            return self._box(children, theme.caveat_fill, theme.caveat_rule)
        return self._box(children, theme.note_fill, theme.heading_colour)

    def _callout_style(self, child: Paragraph) -> ParagraphStyle:
        return self.styles.callout if child.role == "body" else self.styles.roles[child.role]

    def _box(self, flowables: list[Flowable], fill: str | None, edge: str, edge_kind: str = "left") -> RLTable:
        """Return the flowables in a full-width box: tinted with a left rule, or outlined."""
        commands: list[tuple[object, ...]] = [
            ("FONT", (0, 0), (-1, -1), BASE_FAMILY),
            ("LEFTPADDING", (0, 0), (-1, -1), 9), ("RIGHTPADDING", (0, 0), (-1, -1), 9),
            ("TOPPADDING", (0, 0), (-1, -1), 6), ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
        ]
        if fill:
            commands.append(("BACKGROUND", (0, 0), (-1, -1), colour(fill)))
        if edge_kind == "box":
            commands.append(("BOX", (0, 0), (-1, -1), 0.5, colour(edge)))
        else:
            commands.append(("LINEBEFORE", (0, 0), (0, -1), 2.5, colour(edge)))
        box = RLTable([[flowables]], colWidths=[self.width], splitInRow=1, hAlign="LEFT", spaceBefore=4, spaceAfter=10,
                      renderCB=self.tagger.table_callback)
        box.setStyle(TableStyle(commands))
        return box


def _logical(inlines: tuple[Inline, ...]) -> str | None:
    """Return the text in logical order for an element holding right-to-left text (None for others).

    The glyphs are drawn in display order, with /ActualText spans tuned for pdftotext; a screen
    reader reading the structure takes the element's /ActualText, in reading order, instead.
    """
    text = plain_text(inlines)
    return text if bidi.has_rtl(text) else None


def _column_widths(table: Table, columns: int, width: float) -> list[float]:
    """Share the width by each column's longest text (capped, so one long URL cannot starve the rest)."""
    longest = [4] * columns
    for row in (table.header, *table.rows):
        for index, cell in enumerate(row):
            longest[index] = max(longest[index], min(len(plain_text(cell)), 36))
    total = sum(longest)
    return [width * share / total for share in longest]


def _table_style(theme: Theme, header: bool) -> TableStyle:
    rule = colour(theme.rule_colour)
    commands: list[tuple[object, ...]] = [
        ("FONT", (0, 0), (-1, -1), BASE_FAMILY),  # tables set a cell font before drawing; Helvetica otherwise
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 5), ("RIGHTPADDING", (0, 0), (-1, -1), 5),
        ("TOPPADDING", (0, 0), (-1, -1), 3), ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
        ("LINEBELOW", (0, 0), (-1, -1), 0.25, rule),
        ("LINEABOVE", (0, 0), (-1, 0), 0.8, colour(theme.heading_colour)),
        ("LINEBELOW", (0, -1), (-1, -1), 0.8, colour(theme.heading_colour)),
        ("ROWBACKGROUNDS", (0, 1 if header else 0), (-1, -1), [None, colour(theme.table_stripe_fill)]),
    ]
    if header:
        commands += [("BACKGROUND", (0, 0), (-1, 0), colour(theme.table_header_fill)),
                     ("LINEBELOW", (0, 0), (-1, 0), 0.8, colour(theme.heading_colour))]
    return TableStyle(commands)
