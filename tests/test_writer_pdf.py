"""The PDF writer, read back with pypdf (and poppler/qpdf where installed)."""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import subprocess
import sys
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
from briefs.writers.pdf.fonts import FALLBACK_PATHS

SCRIPTS = {
    "latin": "“Quoted” – dash — déjà vu",
    "greek": "Ελληνικά",
    "cyrillic": "Русский",
    "hebrew": "עברית",
    "arabic": "العربية",
    "japanese": "高市早苗",
    "chinese": "中文简体",
    "korean": "한국어",
    "emoji": "😀 🌏🔋",
    "math": "∑∫√",
}
MARKUP = "<b>&{{ 7*7 }}**x**"
INJECTION = "x' color='red"
LONG_URL = "https://example.org/" + "a-very-long-path-segment/" * 12 + "?q=1&r='2'"
UNCOVERED = "\ue000"
ITALIC_ARABIC = "سلام"
"""DejaVu's oblique face has no Arabic: the writer must fall back to the regular face."""
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
        Paragraph((Emphasis((_t(f"italic {ITALIC_ARABIC} "),)), Strong((_t(f"bold {SCRIPTS['korean']}"),)))),
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
    assert ITALIC_ARABIC in text or ITALIC_ARABIC[::-1] in text  # pypdf reorders right-to-left runs
    assert f"bold {SCRIPTS['korean']}" in text
    assert MARKUP in text
    assert "UNVERIFIED A claim to weigh [1, 2]" in text
    assert INJECTION in text
    assert "\x00" not in text


def test_every_page_has_the_running_header_and_page_x_of_y(reader: PdfReader) -> None:
    texts = _page_texts(reader)
    for number, text in enumerate(texts, start=1):
        assert text.startswith("Rare earths · 高市早苗 · confidential")
        assert re.search(rf"Page {number} of\s*{len(texts)}\b", text), text[-80:]


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
    last = reader.outline[-1]
    assert isinstance(last, Destination)
    assert reader.get_destination_page_number(last) == _page_of(reader, "[1] Publisher.") > 0
    assert reader.trailer["/Root"]["/PageMode"] == "/UseOutlines"


def test_outline_entry_for_a_heading_that_skips_a_level_does_not_fail() -> None:
    meta = kitchen_sink().meta
    document = Document(meta, (Heading(3, (_t("Deep"),)), Heading(1, (_t("Top"),)), Heading(3, (_t("Jump"),))))
    reader = PdfReader(io.BytesIO(_pdf(document)[0]))
    assert [str(e.title) for e in reader.outline if isinstance(e, Destination)] == ["Deep", "Top"]


def _page_of(reader: PdfReader, marker: str) -> int:
    return next(i for i, text in enumerate(_page_texts(reader)) if marker in text)


def _internal_links(reader: PdfReader) -> list[tuple[int, float]]:
    """Return (page index, top) of every internal link's destination, in page order."""
    pages = {page.indirect_reference.idnum: index for index, page in enumerate(reader.pages)}
    found = []
    for page in reader.pages:
        for annot in page.get("/Annots", []):
            dest = annot.get_object().get("/Dest")
            if dest is not None:
                found.append((pages[dest[0].idnum], float(dest[3])))
    return found


def test_citations_and_anchor_links_go_to_the_page_of_their_target(reader: PdfReader) -> None:
    links = _internal_links(reader)
    sources, summary = _page_of(reader, "[1] Publisher."), _page_of(reader, "latin:")
    # Citations [1] (bottom line), [1, 2], [1] (list) and [2] (figure); one link back to the summary.
    to_sources = [top for page, top in links if page == sources]
    src1, src2 = to_sources[0], to_sources[2]
    assert to_sources == [src1, src1, src2, src1, src2]
    assert src1 > src2  # source 2 is listed below source 1
    assert [page for page, _ in links if page != sources] == [summary]


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
    warnings = [warning for warning in sink[1] if "U+" in warning]
    assert len(warnings) == 1 and "U+E000" in warnings[0] and "Private use" in warnings[0]
    assert "Private use: \ufffd." in "".join(_page_texts(reader))


def test_right_to_left_text_is_reported_once(sink: tuple[bytes, list[str]]) -> None:
    assert sum("right-to-left" in warning for warning in sink[1]) == 1


def test_letter_page_size_and_theme_are_applied() -> None:
    document = kitchen_sink()
    letter = Document(DocMeta(**{**document.meta.__dict__, "page_size": "Letter"}), document.blocks[:6])
    reader = PdfReader(io.BytesIO(_pdf(letter, PdfTheme(base_font_size=12))[0]))
    assert [round(float(v)) for v in reader.pages[0].mediabox[2:]] == [612, 792]


def test_tall_table_row_splits_instead_of_failing() -> None:
    tall = Table(((_t("Text"),),), (((_t("word " * 3000),),),), (False,))
    reader = PdfReader(io.BytesIO(_pdf(kitchen_sink((tall,)))[0]))
    assert len(reader.pages) > 3


def test_empty_document_and_empty_lists_still_make_a_page() -> None:
    document = Document(kitchen_sink().meta, (BulletList(()), OrderedList(()), Table((), (), ())))
    reader = PdfReader(io.BytesIO(_pdf(document)[0]))
    assert len(reader.pages) == 1


def test_latin_only_brief_never_loads_the_fallback_fonts() -> None:
    script = (
        "import io, datetime as dt\n"
        "from reportlab.pdfbase.pdfmetrics import getRegisteredFontNames\n"
        "from briefs.doctree import DocMeta, Document, Paragraph, Text\n"
        "from briefs.writers.pdf import write\n"
        "meta = DocMeta('T', 'S', 'A', (), dt.date(2025, 1, 1), 'Header – “quoted” café')\n"
        "write(Document(meta, (Paragraph((Text('Plain text — déjà vu, Ελληνικά, Русский.'),)),)), io.BytesIO())\n"
        "print(sorted(getRegisteredFontNames()))\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert "DroidSansFallback" not in result.stdout and "DejaVuSans" in result.stdout


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
    names = "".join(fonts)
    for name, candidates in FALLBACK_PATHS:  # Korean and emoji samples need every fallback font found
        assert name in names or not any(Path(c).is_file() for c in candidates if "/" in c)


@pytest.mark.skipif(shutil.which("qpdf") is None, reason="qpdf not installed")
def test_qpdf_finds_no_structural_errors(tmp_path: Path, sink: tuple[bytes, list[str]]) -> None:
    path = tmp_path / "sink.pdf"
    path.write_bytes(sink[0])
    result = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No syntax or stream encoding errors" in result.stdout
