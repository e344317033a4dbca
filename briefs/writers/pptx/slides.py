"""Put slide plans into a python-pptx deck: titles in the layouts' title placeholders, text, native tables and charts."""

from __future__ import annotations

from pathlib import Path

from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION
from pptx.enum.text import MSO_AUTO_SIZE, PP_ALIGN
from pptx.presentation import Presentation as Deck
from pptx.shapes.graphfrm import GraphicFrame
from pptx.slide import Slide
from pptx.text.text import TextFrame
from pptx.util import Cm, Emu, Pt

from ...doctree import Figure, Inline, Table, Text, plain_text
from .. import Logo
from .deck import LAYOUTS, Area, layout
from .plan import Cover, Para, Room, SlidePlan, column_widths
from .text import Look, add_inlines, paragraph_format

__all__ = ["INSET", "add_cover", "add_slide"]

INSET = 5.0
"""Points between a text box's edge and its text, on every side (set, so that `plan` measures with it)."""
_BULLETS = {"bullet": "•"}
_TITLE_SIZE = {"cover": 40.0, "slide": 28.0}


def _rgb(colour: str) -> RGBColor:
    """Return a theme colour ("#1f3864" or "1f3864") as python-pptx's colour."""
    rgb: RGBColor = RGBColor.from_string(colour)  # type: ignore[no-untyped-call]
    return rgb


def _pt(emu: int) -> float:
    return emu / 12700


def _frame(frame: TextFrame) -> None:
    """Make a text frame wrap and never shrink or grow (the plan has measured what fits)."""
    frame.word_wrap = True
    frame.auto_size = MSO_AUTO_SIZE.NONE
    frame.margin_left = frame.margin_right = frame.margin_top = frame.margin_bottom = Pt(INSET)


def _title(slide: Slide, text: str, look: Look, size: float, room: Room) -> None:
    """Fill the layout's title placeholder, smaller (down to 60%) when the title would not fit it."""
    title = slide.shapes.title
    if title is None:
        return
    frame = title.text_frame
    frame.word_wrap = True
    width, height = _pt(int(title.width or 0)) - 2 * INSET, _pt(int(title.height or 0)) - 2 * INSET
    smallest = size * 0.6
    while size > smallest and room.measure.lines(text, width, size) * size * room.line > height:
        size -= 2
    add_inlines(frame.paragraphs[0], (Text(text),), look, size, colour=look.theme.heading_colour, heading=True)


def add_cover(deck: Deck, cover: Cover, look: Look, reference: Path | None, room: Room, logo: Logo | None) -> Slide:
    """Add the title slide: the title, then subtitle, audience and date, and the bottom line, smaller until they fit."""
    slide: Slide = deck.slides.add_slide(layout(deck, LAYOUTS["cover"], reference))
    _title(slide, cover.title, look, _TITLE_SIZE["cover"], room)
    body = next((ph for ph in slide.placeholders if ph.placeholder_format.idx == 1), None)
    if body is not None:
        _frame(body.text_frame)
        if look.own:  # the built-in layout's subtitle box grows down to the slide's foot before its text shrinks
            left, top, width = int(body.left), int(body.top), int(body.width)
            height = max(int(body.height), int(deck.slide_height or 0) - top - int(Cm(1.2)))
            body.left, body.top, body.width, body.height = Emu(left), Emu(top), Emu(width), Emu(height)
        scale = _cover_scale(cover, room, _pt(int(body.width)) - 2 * INSET, _pt(int(body.height)) - 2 * INSET)
        for index, line in enumerate(cover.lines):
            paragraph = body.text_frame.paragraphs[0] if index == 0 else body.text_frame.add_paragraph()
            size = round(_COVER_SIZES[line.role] * scale, 1)
            paragraph_format(paragraph, size, 0 if index == 0 else size * 0.5, rtl=look.rtl)
            colour = look.theme.text_colour if line.role == "bottom-line" else look.theme.muted_colour
            add_inlines(paragraph, line.children, look, size, colour=colour)
    if logo is not None:
        _logo(deck, slide, logo)
    return slide


_COVER_SIZES = {"subtitle": 22.0, "meta": 16.0, "bottom-line": 16.0}


def _cover_scale(cover: Cover, room: Room, width: float, height: float) -> float:
    """Return the factor (at most 1, at least 0.6) by which the cover's lines shrink to fit its subtitle box."""
    scale = 1.0
    while scale > 0.6:
        used = sum(room.measure.lines(plain_text(line.children), width, _COVER_SIZES[line.role] * scale) * _COVER_SIZES[line.role]
                   * scale * room.line * 1.0 + _COVER_SIZES[line.role] * scale * 0.5 for line in cover.lines)
        if used <= height:
            break
        scale -= 0.05
    return scale


def _logo(deck: Deck, slide: Slide, logo: Logo) -> None:
    width = int(Cm(logo.width_cm))
    slide_width = int(deck.slide_width or 0)
    left = {"left": Cm(1.2), "center": (slide_width - width) // 2, "right": slide_width - width - Cm(1.2)}[logo.place]
    picture = slide.shapes.add_picture(str(logo.image), Emu(int(left)), Cm(0.8), width=Emu(width))
    picture._element.xpath("./p:nvPicPr/p:cNvPr")[0].set("descr", f"Logo ({logo.image.name})")


def add_slide(deck: Deck, plan: SlidePlan, look: Look, reference: Path | None, room: Room, area: Area) -> Slide:
    """Add one content slide; return it (the caller writes its notes)."""
    name = LAYOUTS["text"] if plan.paragraphs else LAYOUTS["title"]
    slide: Slide = deck.slides.add_slide(layout(deck, name, reference))
    _title(slide, plan.title, look, _TITLE_SIZE["slide"], room)
    top = area.top
    if plan.paragraphs:
        top = _body(slide, plan.paragraphs, look, room, area)
    bottom = area.top + area.height
    caption_top = bottom - int(Pt(room.caption_height(plan.caption))) if plan.caption else bottom
    if plan.table is not None:
        below = _table(slide, plan.table, look, room, Area(area.left, top, area.width, caption_top - top))
        caption_top = min(caption_top, below + int(Pt(4)))  # the caption right under its table
    if plan.figure is not None:
        _chart(slide, plan.figure, look, room, Area(area.left, top, area.width, caption_top - top - int(Pt(6))))
    if plan.caption:
        _caption(slide, plan.caption, look, room, Area(area.left, caption_top, area.width, bottom - caption_top))
    return slide


def _body(slide: Slide, paragraphs: tuple[Para, ...], look: Look, room: Room, area: Area) -> int:
    """Fill the body placeholder; return where the content below it may start (EMU)."""
    body = next(ph for ph in slide.placeholders if ph.placeholder_format.idx == 1)
    frame = body.text_frame
    _frame(frame)
    used = 0.0
    for index, para in enumerate(paragraphs):
        paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
        size = room.size(para.kind)
        indent = room.indent if para.kind in ("bullet", "number") else 0.0
        paragraph_format(paragraph, size, room.space_before(para.kind), bullet=_BULLETS.get(para.kind), number=para.number,
                         indent=indent, line=room.line, rtl=look.rtl)
        colour = {"subheading": look.theme.heading_colour, "small": look.theme.muted_colour}.get(para.kind, look.theme.text_colour)
        add_inlines(paragraph, para.inlines, look, size, bold=para.kind == "subheading", colour=colour)
        used += room.para_height(para)
    height = min(int(Pt(used + 2 * INSET + 4)), area.height)
    body.left, body.top, body.width, body.height = Emu(area.left), Emu(area.top), Emu(area.width), Emu(height)
    return area.top + height + int(Pt(8))


def _table(slide: Slide, table: Table, look: Look, room: Room, area: Area) -> int:
    """Add a native table at the top of `area`; return where it ends (EMU)."""
    widths = column_widths(room, table)
    rows = ((table.header,) if table.header else ()) + table.rows
    heights = [room.row_height(row, widths, index == 0 and bool(table.header)) for index, row in enumerate(rows)]
    shape = slide.shapes.add_table(len(rows), len(widths), Emu(area.left), Emu(area.top), Emu(area.width), Pt(sum(heights)))
    shape.name = "Table"
    grid = shape.table
    grid.first_row = bool(table.header)
    for index, width in enumerate(widths):
        grid.columns[index].width = Pt(width)
    size = room.size("table")
    theme = look.theme
    for index, row in enumerate(rows):
        grid.rows[index].height = Pt(heights[index])
        header = index == 0 and bool(table.header)
        for column, content in enumerate(row):
            cell = grid.cell(index, column)
            cell.margin_left = cell.margin_right = Pt(7)
            cell.margin_top = cell.margin_bottom = Pt(4)
            paragraph = cell.text_frame.paragraphs[0]
            paragraph_format(paragraph, size, 0, line=room.line, rtl=look.rtl)
            if table.numeric[column]:
                paragraph.alignment = PP_ALIGN.RIGHT
            if look.own:  # the theme's table look; a reference deck's own table style otherwise
                cell.fill.solid()  # type: ignore[no-untyped-call]
                stripe = theme.table_stripe_fill if index % 2 == 0 else "#ffffff"
                cell.fill.fore_color.rgb = _rgb((theme.table_header_fill if header else stripe).lstrip("#"))
            add_inlines(paragraph, content, look, size, bold=header, colour=theme.heading_colour if header else theme.text_colour)
    return area.top + int(Pt(sum(heights)))


def _chart(slide: Slide, figure: Figure, look: Look, room: Room, area: Area) -> None:
    data = CategoryChartData()  # type: ignore[no-untyped-call]
    data.categories = [label for label, _ in figure.points]
    whole = all(float(value).is_integer() for _, value in figure.points)
    number_format = "#,##0" if whole else "#,##0.0##"
    data.add_series(figure.unit or figure.title, [value for _, value in figure.points], number_format)  # type: ignore[no-untyped-call]
    # (typed as returning the Chart; it returns the chart's frame)
    frame: GraphicFrame = slide.shapes.add_chart(  # type: ignore[assignment]
        XL_CHART_TYPE.COLUMN_CLUSTERED, Emu(area.left), Emu(area.top), Emu(area.width), Emu(area.height), data)  # type: ignore[arg-type]
    frame.name = "Chart"
    props = frame._element.nvGraphicFramePr.cNvPr
    props.set("title", figure.title)
    props.set("descr", figure.alt)
    chart = frame.chart
    chart.has_legend = chart.has_title = False  # the slide's title names the chart; one series needs no legend
    chart.font.size = Pt(room.size("table"))
    if look.own:
        chart.font.name = look.theme.family_name()
        chart.font.color.rgb = _rgb(look.theme.text_colour.lstrip("#"))
    plot = chart.plots[0]
    plot.gap_width = 50
    plot.has_data_labels = True
    labels = plot.data_labels
    labels.number_format, labels.number_format_is_linked = number_format, False
    labels.position = XL_LABEL_POSITION.OUTSIDE_END
    values = chart.value_axis
    values.has_major_gridlines = True
    if look.own:  # the theme's bars and rules; a reference deck's own accent colour otherwise
        series = plot.series[0]
        series.format.fill.solid()  # type: ignore[no-untyped-call]
        series.format.fill.fore_color.rgb = _rgb(look.theme.bar_colour.lstrip("#"))
        chart.category_axis.format.line.color.rgb = _rgb(look.theme.rule_colour.lstrip("#"))
        values.major_gridlines.format.line.color.rgb = _rgb(look.theme.rule_colour.lstrip("#"))
    values.tick_labels.number_format, values.tick_labels.number_format_is_linked = number_format, False
    values.format.line.fill.background()
    if figure.unit:
        values.has_title = True
        values.axis_title.text_frame.text = figure.unit
        _axis_title_size(values.axis_title.text_frame, room.size("table"))


def _axis_title_size(frame: TextFrame, size: float) -> None:
    for paragraph in frame.paragraphs:
        for run in paragraph.runs:
            run.font.size = Pt(size)
            run.font.bold = False


def _caption(slide: Slide, caption: tuple[Inline, ...], look: Look, room: Room, area: Area) -> None:
    box = slide.shapes.add_textbox(Emu(area.left), Emu(area.top), Emu(area.width), Emu(area.height))
    box.name = "Caption"
    _frame(box.text_frame)
    paragraph = box.text_frame.paragraphs[0]
    size = room.size("caption")
    paragraph_format(paragraph, size, 0, line=room.line, rtl=look.rtl)
    add_inlines(paragraph, caption, look, size, colour=look.theme.muted_colour)
