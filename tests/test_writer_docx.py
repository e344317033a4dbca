"""The DOCX writer: built-in styles, fields, links, bookmarks, lists, alt text, determinism."""

from __future__ import annotations

import io
import zipfile

import docx
import pytest
from kitchen_sink import SCRIPTS, kitchen_sink
from readback import docx_paragraphs

from briefs.writers.docx import write

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture(scope="module")
def data() -> bytes:
    buffer = io.BytesIO()
    write(kitchen_sink(), buffer)
    return buffer.getvalue()


def test_same_document_gives_identical_bytes(data: bytes) -> None:
    again = io.BytesIO()
    write(kitchen_sink(), again)
    assert again.getvalue() == data
    for info in zipfile.ZipFile(io.BytesIO(data)).infolist():
        assert info.date_time == (1980, 1, 1, 0, 0, 0)
        # Pictures are already compressed and stored as they are; XML is deflated.
        expected = zipfile.ZIP_STORED if info.filename.endswith(".png") else zipfile.ZIP_DEFLATED
        assert info.compress_type == expected, info.filename
    assert zipfile.ZipFile(io.BytesIO(data)).testzip() is None


def test_no_thumbnail_or_word_2010_styles_copy_is_carried_over(data: bytes) -> None:
    names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    assert "docProps/thumbnail.jpeg" not in names
    assert "word/stylesWithEffects.xml" not in names


def test_uses_builtin_style_names(data: bytes) -> None:
    styles = {style for style, _ in docx_paragraphs(data)}
    assert {"Title", "Subtitle", "Heading 1", "Heading 2", "List Bullet", "List Number", "Caption", "Quote"} <= styles


def test_header_and_page_x_of_y_footer_are_fields(data: bytes) -> None:
    document = docx.Document(io.BytesIO(data))
    section = document.sections[0]
    assert section.header.paragraphs[0].text == "Kitchen sink · Testers"
    instructions = [f.get(f"{W}instr") for f in section.footer._element.iter(f"{W}fldSimple")]
    assert instructions == ["PAGE", "NUMPAGES"]


def test_core_properties_come_from_the_document_not_the_clock(data: bytes) -> None:
    props = docx.Document(io.BytesIO(data)).core_properties
    assert props.title == "Kitchen sink"
    assert props.subject == "Brief for Testers"
    assert props.author == "Test Org"
    assert props.keywords == "one, two"
    assert props.created.date().isoformat() == "2025-11-15"
    assert props.modified.date().isoformat() == "2025-11-15"


def test_citations_link_to_bookmarked_sources(data: bytes) -> None:
    body = docx.Document(io.BytesIO(data)).element.body
    bookmarks = {b.get(f"{W}name") for b in body.iter(f"{W}bookmarkStart")}
    anchors = [h.get(f"{W}anchor") for h in body.iter(f"{W}hyperlink") if h.get(f"{W}anchor")]
    assert anchors == ["src-1", "src-2"]
    assert set(anchors) <= bookmarks


def test_urls_are_external_hyperlinks(data: bytes) -> None:
    document = docx.Document(io.BytesIO(data))
    targets = [rel.target_ref for rel in document.part.rels.values() if rel.reltype.endswith("/hyperlink")]
    assert targets == ["https://example.org/" + "long-path-segment/" * 8]


def test_second_numbered_list_restarts_at_one(data: bytes) -> None:
    document = docx.Document(io.BytesIO(data))
    numbered = [p for p in document.paragraphs if p.style.name == "List Number"]
    explicit = [p._p.pPr.numPr.numId.val for p in numbered if p._p.pPr is not None and p._p.pPr.numPr is not None]
    assert len(explicit) == 1, "only the second list names its own numbering"
    numbering = document.part.numbering_part.element
    num = next(n for n in numbering.iter(f"{W}num") if n.get(f"{W}numId") == str(explicit[0]))
    assert num.find(f"{W}lvlOverride/{W}startOverride").get(f"{W}val") == "1"


def test_chart_is_a_picture_with_alt_text(data: bytes) -> None:
    document = docx.Document(io.BytesIO(data))
    assert len(document.inline_shapes) == 1
    doc_pr = document.inline_shapes[0]._inline.docPr
    assert doc_pr.get("descr") == "Bar chart of three values."


def test_table_header_row_repeats(data: bytes) -> None:
    table = docx.Document(io.BytesIO(data)).tables[0]
    assert table._tbl.tr_lst[0].trPr.find(f"{W}tblHeader") is not None
    assert table.rows[1].cells[1].paragraphs[0].alignment == 2  # numbers right-aligned


def test_every_script_survives(data: bytes) -> None:
    text = "\n".join(t for _, t in docx_paragraphs(data))
    assert len(SCRIPTS) >= 5
    for sample in SCRIPTS.values():
        assert sample in text


def test_letter_page_size() -> None:
    buffer = io.BytesIO()
    write(kitchen_sink(page_size="Letter"), buffer)
    section = docx.Document(buffer).sections[0]
    assert round(section.page_width.inches, 2) == 8.5
    assert round(section.page_height.inches, 2) == 11.0


def test_briefs_share_the_base_styles_without_changing_them() -> None:
    """Each brief reads the base's own styles tree (not a copy): writing briefs in every script, page size and
    language must leave it as it was, and every brief must still carry the whole styles part."""
    from dataclasses import replace

    from lxml import etree

    from briefs.writers.docx.base import base

    styles = base().parsed.styles.element
    before = etree.tostring(styles)
    sink = kitchen_sink()
    japanese = replace(sink, meta=replace(sink.meta, language="ja"))
    for document in (sink, kitchen_sink(page_size="Letter"), japanese):
        buffer = io.BytesIO()
        write(document, buffer)
        names = {style.name for style in docx.Document(io.BytesIO(buffer.getvalue())).styles}
        assert {"Title", "Heading 1", "Table Text", "Brief Table", "Citation"} <= names
    assert base().parsed.styles.element is styles
    assert etree.tostring(styles) == before


def test_table_cells_have_their_grid_width_style_and_alignment(data: bytes) -> None:
    table = docx.Document(io.BytesIO(data)).tables[0]
    grid = [column.get(f"{W}w") for column in table._tbl.tblGrid.findall(f"{W}gridCol")]
    for row in table.rows:
        widths = [cell._tc.tcPr.find(f"{W}tcW") for cell in row.cells]
        assert [(w.get(f"{W}type"), w.get(f"{W}w")) for w in widths] == [("dxa", g) for g in grid]
        assert {cell.paragraphs[0].style.name for cell in row.cells} == {"Table Text"}
    assert [cell.paragraphs[0].alignment for cell in table.rows[1].cells][-1] == 2
    assert table.rows[1].cells[0].paragraphs[0].alignment is None
