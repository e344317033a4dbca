"""The PDF writer, read back with pypdf (and poppler/qpdf where installed)."""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader
from pypdf.generic import Destination

from briefs.doctree import (
    Block,
    BulletList,
    Callout,
    Citation,
    DocMeta,
    Document,
    Emphasis,
    Figure,
    Heading,
    Label,
    Link,
    OrderedList,
    Paragraph,
    Strong,
    Table,
    Text,
)
from briefs.writers.pdf import PdfTheme, write

SCRIPTS = {
    "latin": "“Quoted” – dash — déjà vu",
    "greek": "Ελληνικά",
    "cyrillic": "Русский",
    "hebrew": "עברית",
    "arabic": "العربية",
    "japanese": "高市早苗",
    "chinese": "中文简体",
    "korean": "한국어",
    "emoji": "😀",
    "math": "∑∫√",
}
MARKUP = "<b>&{{ 7*7 }}**x**"
INJECTION = "x' color='red"
LONG_URL = "https://example.org/" + "a-very-long-path-segment/" * 12 + "?q=1&r='2'"
UNCOVERED = "\ue000"
TABLE_HEADER = ("Region", "Tonnes")


def _t(text: str) -> Text:
    return Text(text)


def kitchen_sink(extra: tuple[Block, ...] = ()) -> Document:
    """Build a document holding every block and inline type, every script, and hostile text."""
    meta = DocMeta(
        title="Rare earths — brief 高市早苗", subject="Investors", author="Analyst Desk",
        keywords=("rare earths", "supply"), date=dt.date(2025, 3, 1), header="Rare earths · 高市早苗 · confidential",
    )
    rows = tuple(((_t(f"Region {n} {SCRIPTS['greek']}"),), (_t(f"{n * 1234:,}"),)) for n in range(1, 90))
    blocks: tuple[Block, ...] = (
        Paragraph((_t(meta.title),), role="title"),
        Paragraph((_t("Supply, prices and policy"),), role="subtitle"),
        Paragraph((_t("Prepared for investors · As of 1 March 2025"),), role="meta"),
        Paragraph((Strong((_t("Bottom line:"),)), _t(" prices rose. "), Citation((1,))), role="bottom-line"),
        Heading(1, (_t("Summary"),), anchor="summary"),
        Paragraph(tuple(_t(f"{name}: {sample}. ") for name, sample in SCRIPTS.items())),
        Paragraph((_t(MARKUP), _t(" "), _t(INJECTION), _t(" "), Emphasis((_t("em "), Strong((_t("both"),)))))),
        Paragraph((Label("Unverified", "unverified"), _t(" A claim to weigh "), Citation((1, 2)))),
        Paragraph((_t("Private use: "), _t(UNCOVERED), _t(".")), role="small"),
        Heading(2, (_t("Details"),)),
        BulletList(((_t("First point "), Citation((1,))), (_t("Second "), Strong((_t("bold"),))))),
        OrderedList(((_t("One"),), (_t("Two "), Link("#summary", (_t("back to summary"),))))),
        Callout((Paragraph((_t("A caveat about the data."),)),), role="caveat"),
        Callout((Paragraph((_t("A note."),)),), role="note"),
        Heading(1, (_t("Figures"),)),
        Figure("prod", "Production", (("China", 240000.0), ("United States", 43000.0), ("日本", 1500.5)),
               "tonnes", "Bar chart of production", (_t("Figure 1. Production (tonnes). "), Citation((2,)))),
        Table((tuple((_t(h),) for h in TABLE_HEADER)), rows, (False, True)),
        Paragraph((_t("Table 1. Production by region."),), role="caption"),
        Heading(1, (_t("Sources"),)),
        Paragraph((_t("[1] Publisher. "), Link(LONG_URL, (_t(LONG_URL),)), _t(".")), role="source", anchor="src-1"),
        Paragraph((_t("[2] Other. "), Link("mailto:desk@example.org", (_t("desk@example.org"),))), role="source",
                  anchor="src-2"),
        Callout((Paragraph((_t("Not investment advice."),)),), role="disclaimer"),
        *extra,
    )
    return Document(meta, blocks)


def _pdf(document: Document | None = None, theme: PdfTheme | None = None) -> tuple[bytes, list[str]]:
    out = io.BytesIO()
    warnings = write(document or kitchen_sink(), out, theme)
    return out.getvalue(), warnings


@pytest.fixture(scope="module")
def sink() -> tuple[bytes, list[str]]:
    return _pdf()


@pytest.fixture(scope="module")
def reader(sink: tuple[bytes, list[str]]) -> PdfReader:
    return PdfReader(io.BytesIO(sink[0]))


def _page_texts(reader: PdfReader) -> list[str]:
    return [page.extract_text() for page in reader.pages]


def test_every_script_and_literal_markup_survive_text_extraction(reader: PdfReader) -> None:
    text = "".join(_page_texts(reader))
    for name, sample in SCRIPTS.items():
        for word in sample.split():
            assert word in text or word[::-1] in text, f"{name}: {word!r} lost"
    assert MARKUP in text
    assert INJECTION in text
    assert "\x00" not in text


def test_long_table_repeats_its_header_on_every_page_it_spans(reader: PdfReader) -> None:
    texts = _page_texts(reader)
    assert len(reader.pages) > 1
    spanned = [text for text in texts if re.search(r"Region \d+ ", text)]
    assert len(spanned) > 1
    for text in spanned:
        assert all(cell in text for cell in TABLE_HEADER)


def test_outline_mirrors_the_headings_and_clamps_levels(reader: PdfReader) -> None:
    def walk(entries: list[object], depth: int) -> list[tuple[int, str]]:
        found: list[tuple[int, str]] = []
        for entry in entries:
            if isinstance(entry, list):
                found += walk(entry, depth + 1)
            else:
                assert isinstance(entry, Destination)
                found.append((depth, str(entry.title)))
        return found

    assert walk(reader.outline, 0) == [(0, "Summary"), (1, "Details"), (0, "Figures"), (0, "Sources")]
    assert reader.trailer["/Root"]["/PageMode"] == "/UseOutlines"


def test_outline_entry_for_a_heading_that_skips_a_level_does_not_fail() -> None:
    meta = kitchen_sink().meta
    document = Document(meta, (Heading(3, (_t("Deep"),)), Heading(1, (_t("Top"),)), Heading(3, (_t("Jump"),))))
    reader = PdfReader(io.BytesIO(_pdf(document)[0]))
    assert [str(e.title) for e in reader.outline if isinstance(e, Destination)] == ["Deep", "Top"]


def _source_page(reader: PdfReader, marker: str) -> int:
    return next(i for i, text in enumerate(_page_texts(reader)) if marker in text)


def test_citations_link_to_the_page_of_their_source(reader: PdfReader) -> None:
    named = reader.named_destinations
    targets = {name: reader.get_destination_page_number(dest) for name, dest in named.items()}
    assert targets["src-1"] == _source_page(reader, "[1] Publisher.")
    links = []
    for page in reader.pages:
        for annot in page.get("/Annots", []):
            annot = annot.get_object()
            dest = annot.get("/Dest") or annot.get("/A", {}).get("/D")
            if annot["/Subtype"] == "/Link" and dest is not None and not isinstance(dest, list):
                links.append(str(dest))
    assert links.count("src-1") >= 3 and "src-2" in links and "summary" in links
    assert all(name in targets for name in links)


def test_external_links_are_clickable_uris(reader: PdfReader) -> None:
    uris = [annot.get_object()["/A"].get("/URI") for page in reader.pages for annot in page.get("/Annots", [])
            if "/A" in annot.get_object()]
    assert "mailto:desk@example.org" in uris
    assert any(str(uri).startswith("https://example.org/a-very-long") for uri in uris)


def test_document_info_is_set(reader: PdfReader) -> None:
    info = reader.metadata
    assert info is not None
    assert info.title == "Rare earths — brief 高市早苗"
    assert info.author == "Analyst Desk"
    assert info.subject == "Investors"
    assert info["/Keywords"] == "rare earths, supply"
    assert info["/Creator"] == "briefs"


def test_same_input_gives_byte_identical_output(sink: tuple[bytes, list[str]]) -> None:
    assert _pdf()[0] == sink[0]


def test_uncovered_character_is_replaced_visibly_and_reported(reader: PdfReader, sink: tuple[bytes, list[str]]) -> None:
    warnings = sink[1]
    assert len(warnings) == 1 and "U+E000" in warnings[0] and "Private use" in warnings[0]
    assert "Private use: \ufffd." in "".join(_page_texts(reader))


def test_letter_page_size_and_theme_are_applied() -> None:
    document = kitchen_sink()
    letter = Document(DocMeta(**{**document.meta.__dict__, "page_size": "Letter"}), document.blocks[:6])
    reader = PdfReader(io.BytesIO(_pdf(letter, PdfTheme(base_font_size=12))[0]))
    assert [round(float(v)) for v in reader.pages[0].mediabox[2:]] == [612, 792]


def test_tall_table_row_splits_instead_of_failing() -> None:
    tall = Table(((_t("Text"),),), (((_t("word " * 3000),),),), (False,))
    reader = PdfReader(io.BytesIO(_pdf(kitchen_sink((tall,)))[0]))
    assert len(reader.pages) > 3


def test_unsafe_link_prints_as_text_with_a_warning() -> None:
    bad = Paragraph((Link("javascript:alert(1)", (_t("click"),)),))
    data, warnings = _pdf(kitchen_sink((bad,)))
    assert any("javascript:" in warning for warning in warnings)
    assert b"javascript" not in data


@pytest.mark.skipif(shutil.which("pdffonts") is None, reason="poppler-utils not installed")
def test_every_font_is_embedded_and_none_is_helvetica(tmp_path: Path, sink: tuple[bytes, list[str]]) -> None:
    path = tmp_path / "sink.pdf"
    path.write_bytes(sink[0])
    lines = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout.splitlines()
    header = lines[0]
    emb = header.index("emb")
    fonts = lines[2:]
    assert len(fonts) >= 4
    for line in fonts:
        assert line[emb:emb + 3].strip() == "yes", line
        assert "Helvetica" not in line
    assert "NanumGothic" in "".join(fonts) or not Path("/usr/share/fonts/truetype/nanum/NanumGothic.ttf").exists()


@pytest.mark.skipif(shutil.which("qpdf") is None, reason="qpdf not installed")
def test_qpdf_finds_no_structural_errors(tmp_path: Path, sink: tuple[bytes, list[str]]) -> None:
    path = tmp_path / "sink.pdf"
    path.write_bytes(sink[0])
    result = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No syntax or stream encoding errors" in result.stdout
