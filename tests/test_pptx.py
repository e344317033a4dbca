"""The PPTX writer: decks read back with python-pptx (titles, charts, tables, notes), a reference deck, determinism."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import io
import re
import subprocess
import zipfile
from pathlib import Path

import pptx
import pytest
from conftest import AUDIENCES, DEFAULT_DATA, ROOT, have, one_error
from kitchen_sink import SCRIPTS, kitchen_sink
from pptx.enum.chart import XL_CHART_TYPE
from pptx.oxml.ns import qn
from pptx.util import Inches
from pypdf import PdfReader
from readback import squash

from briefs.doctree import BulletList, DocMeta, Document, Figure, Heading, Paragraph, Table, Text, plain_text
from briefs.errors import ThemeError
from briefs.pipeline import lay_out, load_inputs, render, style_for
from briefs.writers import Style
from briefs.writers.pptx import write
from briefs.writers.pptx.plan import CONTINUED
from briefs.writers.theme import EAST_ASIAN_FONT, Theme


@pytest.fixture(scope="module")
def investor() -> tuple[Document, bytes]:
    inputs = load_inputs([DEFAULT_DATA])
    (laid,) = lay_out(inputs, audiences=["investor"])
    data, _ = render(laid.document, "pptx", style_for(inputs.look, laid.path, laid.dataset, "pptx"))
    return laid.document, data


def _deck(data: bytes) -> pptx.presentation.Presentation:
    return pptx.Presentation(io.BytesIO(data))


def _titles(data: bytes) -> list[str]:
    return [slide.shapes.title.text_frame.text if slide.shapes.title else "" for slide in _deck(data).slides]


def _deck_of(blocks: tuple, style: Style | None = None, language: str = "en") -> bytes:
    meta = DocMeta("Long brief", "Brief for Testers", "Test Org", (), dt.date(2025, 11, 15), "H", language=language)
    out = io.BytesIO()
    write(Document(meta, (Paragraph((Text("Long brief"),), "title"), *blocks)), out, style)
    return out.getvalue()


def test_the_investor_deck_opens_with_a_title_slide_and_gives_every_section_a_titled_slide(investor) -> None:
    document, data = investor
    deck = _deck(data)
    titles = _titles(data)
    assert deck.slide_width == Inches(13.333) and deck.slide_height == Inches(7.5)  # 16:9
    assert titles[0] == "U.S.–Japan Critical Minerals and Rare Earths Framework"
    assert deck.slides[0].slide_layout.name == "Title Slide"
    cover = deck.slides[0].placeholders[1].text_frame.text
    assert "Prepared for Investors · As of 15 November 2025" in cover and "Bottom line:" in cover
    sections = [plain_text(b.children) for b in document.blocks if isinstance(b, Heading) and b.level == 1]
    assert len(sections) >= 6
    assert all(section in titles for section in sections)
    assert "How to read this brief" in titles  # the legend, with the labels' words
    assert all(title.strip() for title in titles)  # every slide has a title, in its layout's title placeholder


def test_a_figure_is_a_native_column_chart_with_its_data_and_alt_text(investor) -> None:
    document, data = investor
    figure = next(b for b in document.blocks if isinstance(b, Figure))
    frames = [shape for slide in _deck(data).slides for shape in slide.shapes if shape.has_chart]
    assert len(frames) == 1
    chart = frames[0].chart
    assert chart.chart_type == XL_CHART_TYPE.COLUMN_CLUSTERED
    assert list(chart.plots[0].categories) == [label for label, _ in figure.points]
    assert list(chart.plots[0].series[0].values) == [value for _, value in figure.points]
    props = frames[0]._element.xpath("./p:nvGraphicFramePr/p:cNvPr")[0]
    assert props.get("descr") == figure.alt and props.get("title") == figure.title


def test_tables_are_native_tables_with_every_cell(investor) -> None:
    document, data = investor
    tables = [shape.table for slide in _deck(data).slides for shape in slide.shapes if shape.has_table]
    dates = next(b for b in document.blocks if isinstance(b, Table))
    first = tables[0]
    assert [cell.text for cell in first.rows[0].cells] == ["Date", "What"]
    assert [[cell.text for cell in row.cells] for row in list(first.rows)[1:]] == [
        [plain_text(cell) for cell in row] for row in dates.rows]


def test_speaker_notes_give_the_cited_sources_in_full_and_why_claims_are_labelled(investor) -> None:
    _, data = investor
    notes = {title: slide.notes_slide.notes_text_frame.text for title, slide in zip(_titles(data), _deck(data).slides, strict=True)
             if slide.has_notes_slide}
    summary = notes["Summary"]
    assert "[4] thefederalnewswire.com. Report on the U.S.–Japan critical minerals framework" in summary
    assert "https://thefederalnewswire.com/stories/" in summary  # in full, with the address
    claims = notes["Claims in circulation"]
    assert "Why labelled: The agreement is said to create a $5.8 billion joint fund" in claims
    assert "Appears only in an unattributed web article" in claims


def test_a_long_section_continues_on_next_slides_and_loses_no_text() -> None:
    items = tuple((Text(f"Point {n}: " + "the framework sets out policy tools and not a fund " * 4),) for n in range(30))
    data = _deck_of((Heading(1, (Text("Key facts"),)), BulletList(items)))
    titles = _titles(data)
    assert titles[1] == "Key facts" and len(titles) >= 4
    assert set(titles[2:]) == {"Key facts" + CONTINUED}
    bodies = [p.text for slide in list(_deck(data).slides)[1:] for p in slide.placeholders[1].text_frame.paragraphs]
    assert [text.split(":")[0] for text in bodies] == [f"Point {n}" for n in range(30)]  # each once, in order


def test_a_paragraph_taller_than_a_slide_is_split_between_lines_without_losing_a_word() -> None:
    words = [f"word{n}" for n in range(900)]
    data = _deck_of((Heading(1, (Text("Background"),)), Paragraph((Text(" ".join(words)),))))
    slides = list(_deck(data).slides)[1:]
    assert len(slides) >= 2
    text = " ".join(slide.placeholders[1].text_frame.text for slide in slides)
    assert text.split() == words


def test_table_rows_continue_on_next_slides_with_the_header_repeated() -> None:
    rows = tuple(((Text(f"Row {n}"),), (Text(f"{n * 1000:,}"),)) for n in range(60))
    table = Table(((Text("Country"),), (Text("t REO"),)), rows, (False, True))
    data = _deck_of((Heading(1, (Text("Production"),)), table, Paragraph((Text("Table 1. Made up."),), "caption")))
    tables = [shape.table for slide in _deck(data).slides for shape in slide.shapes if shape.has_table]
    assert len(tables) >= 2
    assert all(t.cell(0, 0).text == "Country" for t in tables)
    assert [row.cells[0].text for t in tables for row in list(t.rows)[1:]] == [f"Row {n}" for n in range(60)]
    assert _titles(data)[2] == "Production" + CONTINUED


def test_labels_east_asian_text_and_the_theme_reach_the_runs() -> None:
    theme = Theme(heading_colour="#123456", label_colours=(("unverified", "#aa0011"),))
    out = io.BytesIO()
    write(kitchen_sink(), out, Style(theme=theme))
    runs = [run for slide in _deck(out.getvalue()).slides for shape in slide.shapes if shape.has_text_frame
            for p in shape.text_frame.paragraphs for run in p.runs]
    label = next(run for run in runs if run.text == "UNVERIFIED")
    assert label.font.bold and str(label.font.color.rgb) == "AA0011"
    japanese = next(run for run in runs if SCRIPTS["japanese"] in run.text)
    assert japanese._r.rPr.find(qn("a:ea")).get("typeface") == EAST_ASIAN_FONT
    assert japanese._r.rPr.get("lang") == "en"
    title = _deck(out.getvalue()).slides[1].shapes.title.text_frame.paragraphs[0].runs[0]
    assert str(title.font.color.rgb) == "123456"


def test_decks_are_byte_identical_and_dated_by_the_brief(investor) -> None:
    document, data = investor
    again = io.BytesIO()
    write(document, again, Style())
    assert again.getvalue() == data
    with zipfile.ZipFile(io.BytesIO(data)) as deck:
        assert {info.date_time for info in deck.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        core = deck.read("docProps/core.xml").decode()
        (workbook,) = [name for name in deck.namelist() if name.endswith(".xlsx")]
        with zipfile.ZipFile(io.BytesIO(deck.read(workbook))) as inner:
            inner_core = inner.read("docProps/core.xml").decode()
            assert {info.date_time for info in inner.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    assert re.findall(r"<dcterms:created[^>]*>([^<]*)<", core) == ["2025-11-15T00:00:00Z"]
    assert re.findall(r"<dcterms:created[^>]*>([^<]*)<", inner_core) == ["2025-11-15T00:00:00Z"]
    assert "python-pptx" not in core


def _reference(tmp_path: Path, drop: str | None = None) -> Path:
    """Save python-pptx's own deck (4:3) with one slide, as a house deck; optionally with a layout renamed away."""
    deck = pptx.Presentation()
    deck.slides.add_slide(deck.slide_layouts[6])
    for layout in deck.slide_layouts:
        if layout.name == drop:
            layout.name = "House Layout"
    path = tmp_path / "templates" / "styles" / "reference.pptx"
    path.parent.mkdir(parents=True, exist_ok=True)
    deck.save(str(path))
    return path


def test_a_reference_deck_in_the_templates_folder_supplies_the_masters_and_layouts(cli, tmp_path: Path) -> None:
    _reference(tmp_path)
    result = cli("generate", "--data", DEFAULT_DATA, "-a", "investor", "-f", "pptx", "--templates", tmp_path / "templates",
                 "--out", tmp_path / "out")
    assert result.code == 0, result.err
    (deck_path,) = (tmp_path / "out").rglob("*.pptx")
    deck = pptx.Presentation(str(deck_path))
    assert deck.slide_width == Inches(10)  # the reference's 4:3, not the built-in 16:9
    assert [slide.slide_layout.name for slide in deck.slides][:3] == ["Title Slide", "Title and Content", "Title and Content"]
    assert all(slide.shapes.title.text for slide in deck.slides)  # its own slide is gone, every slide has a title
    assert not any(shape.has_table and shape.table.cell(0, 0).fill.type is not None for slide in deck.slides
                   for shape in slide.shapes)  # the deck's table style, not the theme's fills
    listed = cli("list", "--templates", tmp_path / "templates")
    assert re.search(r"reference deck +\S*reference\.pptx", listed.out), listed.out


def test_a_reference_deck_without_a_layout_is_refused_naming_the_layout_and_the_file(cli, tmp_path: Path) -> None:
    path = _reference(tmp_path, drop="Title Only")
    with pytest.raises(ThemeError, match=r"reference\.pptx: the reference deck has no slide layout named 'Title Only'"):
        write(kitchen_sink(), io.BytesIO(), Style(reference_pptx=path))
    result = cli("generate", "--data", DEFAULT_DATA, "-f", "pptx", "--templates", tmp_path / "templates", "--out", tmp_path / "out")
    assert result.code == 1
    assert one_error(result.err).startswith(f"{path}: the reference deck has no slide layout named 'Title Only'")
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").rglob("*.*"))
    checked = cli("check", "--data", DEFAULT_DATA, "--templates", tmp_path / "templates")
    assert checked.code == 1 and "'Title Only'" in checked.out + checked.err  # `check` says so before any run


def test_a_figure_slide_keeps_a_chart_of_decimal_values_with_their_decimals() -> None:
    figure = Figure("f", "Prices", (("2024", 1.5), ("2025", 2.25)), "USD/kg", "Bar chart of prices.", ())
    data = _deck_of((Heading(1, (Text("Prices"),)), figure))
    (frame,) = [shape for slide in _deck(data).slides for shape in slide.shapes if shape.has_chart]
    assert list(frame.chart.plots[0].series[0].values) == [1.5, 2.25]
    assert "0.0" in frame.chart.plots[0].data_labels.number_format



@pytest.mark.slow
def test_every_audience_gets_a_deck_whose_every_slide_has_a_title(cli, tmp_path: Path) -> None:
    result = cli("generate", "--data", DEFAULT_DATA, "-f", "pptx", "--out", tmp_path)
    assert result.code == 0, result.err
    decks = sorted(tmp_path.rglob("*.pptx"))
    assert [deck.stem for deck in decks] == AUDIENCES
    for deck in decks:
        titles = _titles(deck.read_bytes())
        assert len(titles) > 5 and all(title.strip() for title in titles), deck.name


@pytest.mark.slow
@pytest.mark.skipif(not (have("soffice") and have("pdftotext")), reason="needs LibreOffice and poppler")
def test_libreoffice_opens_the_deck_one_page_a_slide_with_its_text(investor, tmp_path: Path) -> None:
    _, data = investor
    deck = tmp_path / "investor.pptx"
    deck.write_bytes(data)
    # A private profile folder: two soffice runs sharing one profile fail.
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/profile", "--headless", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(deck)], capture_output=True, timeout=300, check=True)
    pdf = tmp_path / "investor.pdf"
    assert len(PdfReader(pdf).pages) == len(_deck(data).slides) >= 10
    text = squash(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout)
    for words in ("U.S.–Japan Critical Minerals", "How to read this brief", "Key facts (continued)", "UNVERIFIED", "270,000",
                  "Takeaways for investors", "For information only. Not investment advice."):
        assert squash(words) in text, words


def test_send_attaches_each_recipients_deck(cli, tmp_path: Path) -> None:
    recipients = tmp_path / "r.csv"
    recipients.write_text("name,audience,email\nAnn,investor,ann@example.org\n", encoding="utf-8")
    result = cli("send", recipients, "--data", ROOT / "tests" / "fixtures" / "eu-battery.yaml", "--out", tmp_path / "out",
                 "--jobs", "1", "--from", "desk@example.org", "--attach", "pptx", "--dry-run", tmp_path / "drafts")
    assert result.code == 0, result.err
    message = email.message_from_bytes((tmp_path / "drafts" / "Ann.eml").read_bytes(), policy=email.policy.default)
    (attachment,) = message.iter_attachments()
    assert attachment.get_filename() == "Ann.pptx"
    assert attachment.get_content_type() == "application/vnd.openxmlformats-officedocument.presentationml.presentation"
    assert _titles(attachment.get_content())[0]


def test_a_long_title_gets_smaller_to_fit_its_placeholder_and_an_arabic_deck_runs_right_to_left() -> None:
    long = ("Rare-earth magnets, separation capacity, offtake agreements and price floors across the Indo-Pacific supply chain "
            "in 2025, with what the framework says and does not say about each of them")  # three lines at 28 pt
    data = _deck_of((Heading(1, (Text("Short"),)), Paragraph((Text("نص"),)), Heading(1, (Text(long),)), Paragraph((Text("x"),))),
                    language="ar")
    short, longer = list(_deck(data).slides)[1:]
    short_size, long_size = (slide.shapes.title.text_frame.paragraphs[0].runs[0].font.size.pt for slide in (short, longer))
    assert short_size == 28 and long_size < 28
    body = short.placeholders[1].text_frame.paragraphs[0]._p.pPr
    assert body.get("rtl") == "1" and body.get("algn") == "r"
