"""The PDF writer, read back with pypdf (and poppler/qpdf where installed)."""

from __future__ import annotations

import datetime as dt
import io
import random
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from kitchen_sink import SCRIPTS as SENTENCES
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
from briefs.writers.pdf import Theme, bidi, write
from briefs.writers.pdf.fonts import FALLBACK_PATHS, NAME_PREFIX

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


def _pdf(document: Document | None = None, theme: Theme | None = None) -> tuple[bytes, list[str]]:
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
    text = _plain("".join(_page_texts(reader)))
    for name, sample in SCRIPTS.items():
        assert f"{name}: {sample}." in text, name
    assert f"italic {ITALIC_ARABIC}" in text
    assert f"bold {SCRIPTS['korean']}" in text
    assert MARKUP in text
    assert "UNVERIFIED A claim to weigh [1, 2]" in text
    assert INJECTION in text
    assert "\x00" not in text


def test_every_page_has_the_running_header_and_page_x_of_y(reader: PdfReader) -> None:
    texts = _page_texts(reader)
    assert len(texts) > 1
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


def test_right_to_left_text_prints_without_a_warning(sink: tuple[bytes, list[str]]) -> None:
    assert not [warning for warning in sink[1] if "right-to-left" in warning or "Arabic" in warning]


def test_arabic_prints_unjoined_with_a_warning_without_arabic_reshaper(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bidi, "_reshaper", lambda: None)
    data, warnings = _pdf(_one_paragraph_each([SENTENCES["arabic"]]))
    assert sum("arabic-reshaper" in warning for warning in warnings) == 1
    assert SENTENCES["arabic"] in _plain(_text_of(data))  # letters unjoined, still in order


def test_letter_page_size_and_theme_are_applied() -> None:
    document = kitchen_sink()
    letter = Document(DocMeta(**{**document.meta.__dict__, "page_size": "Letter"}), document.blocks[:6])
    reader = PdfReader(io.BytesIO(_pdf(letter, Theme(base_font_size=12))[0]))
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
        "print(sorted(getRegisteredFontNames()), 'arabic_reshaper' in sys.modules)\n"
    )
    result = subprocess.run([sys.executable, "-c", "import sys\n" + script], capture_output=True, text=True, check=True)
    assert "DroidSansFallback" not in result.stdout and "IPAexGothic" not in result.stdout and "DejaVuSans" in result.stdout
    assert result.stdout.endswith("False\n")  # nor the Arabic shaper


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
        assert name.removeprefix(NAME_PREFIX) in names or not any(Path(c).is_file() for c in candidates if "/" in c)


@pytest.mark.skipif(shutil.which("qpdf") is None, reason="qpdf not installed")
def test_qpdf_finds_no_structural_errors(tmp_path: Path, sink: tuple[bytes, list[str]]) -> None:
    path = tmp_path / "sink.pdf"
    path.write_bytes(sink[0])
    result = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No syntax or stream encoding errors" in result.stdout


# Right-to-left text: printed in display order (Arabic joined), read back in logical order.
# Extracted text is compared with whitespace collapsed and without the invisible bidi marks that
# pdftotext puts around right-to-left runs (U+202A-U+202C) and the writer adds for it and pypdf
# (LRM, RLM, ALM, ZWSP; `bidi.LINE_TEXT_CONTROLS`). No NFKC: the PDF maps Arabic joined forms back
# to their letters, so both extractors give the letters themselves.

MIXED = (
    "The word שלום עולם means peace, and مرحبا بالعالم means hello world.",
    "שנת 2024 היתה (טובה) מאוד לכולם.",
    "في عام 2024 كانت الأسعار (مرتفعة) جدًا!",
    "הוא אמר: hello world ואז הלך הביתה",
    "لا أهلا وسهلا",
    " ".join(["זהו משפט ארוך בעברית שנמשך על פני כמה שורות כדי לבדוק את שבירת השורות."] * 3),
    " ".join(["A long English sentence with the Hebrew phrase שלום עולם in it, repeated."] * 4),
)


def _plain(text: str) -> str:
    return " ".join("".join(char for char in text if char not in bidi.LINE_TEXT_CONTROLS).split())


def _text_of(data: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def _pdftotext(data: bytes, tmp_path: Path) -> str:
    path = tmp_path / "brief.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


def _one_paragraph_each(sentences: list[str] | tuple[str, ...], header: str = "Scripts") -> Document:
    meta = DocMeta("Scripts", "Testers", "Desk", (), dt.date(2025, 1, 1), header)
    return Document(meta, tuple(Paragraph((_t(sentence),)) for sentence in sentences))


def _sentences_document() -> Document:
    """The kitchen sink's sentence in each script, as paragraphs, list items, a heading and a table cell."""
    meta = DocMeta("Scripts", "Testers", "Desk", (), dt.date(2025, 1, 1), f"Scripts · {SENTENCES['hebrew']}")
    cells = tuple(((_t(name),), (_t(sentence),)) for name, sentence in SENTENCES.items())
    return Document(meta, (
        Heading(1, (_t(SENTENCES["arabic"]),)),
        *(Paragraph((_t(sentence),)) for sentence in SENTENCES.values()),
        BulletList(tuple((_t(sentence),) for sentence in SENTENCES.values())),
        Table(((_t("Script"),), (_t("Sentence"),)), cells, (False, False)),
        Paragraph((_t("In a link: "), Link("https://example.org", (_t(SENTENCES["hebrew"]),)), _t(" and after.")),),
    ))


@pytest.fixture(scope="module")
def sentences_pdf() -> bytes:
    data, warnings = _pdf(_sentences_document())
    assert warnings == []
    return data


def test_pypdf_gives_back_the_sentence_in_each_script(sentences_pdf: bytes) -> None:
    text = _plain(_text_of(sentences_pdf))
    for name, sentence in SENTENCES.items():
        assert text.count(sentence) >= 3, name  # paragraph, list item, table cell (Hebrew: header, Arabic: heading)
    assert f"In a link: {SENTENCES['hebrew']} and after." in text


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_pdftotext_gives_back_the_sentence_in_each_script(sentences_pdf: bytes, tmp_path: Path) -> None:
    text = _plain(_pdftotext(sentences_pdf, tmp_path))
    for name, sentence in SENTENCES.items():
        assert text.count(sentence) >= 3, name
    assert f"Scripts · {SENTENCES['hebrew']}" in text  # the running header
    assert f"In a link: {SENTENCES['hebrew']} and after." in text


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
@pytest.mark.parametrize("filler", [0, 40], ids=["right-to-left pages", "left-to-right pages"])
def test_mixed_and_wrapped_right_to_left_lines_come_back_in_order(filler: int, tmp_path: Path) -> None:
    """Digits, brackets, punctuation, English inside Hebrew, Hebrew inside English, lines that wrap.

    pdftotext orders a page's lines by its main direction, so both kinds of page are tried.
    """
    sentences = (*MIXED, *["Plain English filler to make the page mainly left to right."] * filler)
    data = _pdf(_one_paragraph_each(sentences))[0]
    by_pypdf, by_poppler = _plain(_text_of(data)), _plain(_pdftotext(data, tmp_path))
    for sentence in MIXED:
        assert sentence in by_poppler
        assert sentence in by_pypdf


def _scrambled_sentences(count: int) -> list[str]:
    """Sentences of random Arabic, Hebrew, Greek and Cyrillic words, numbers and punctuation: enough letters
    (every Arabic joined form) to fill more than one of reportlab's 256-glyph font subsets, so the font
    changes inside words, which ends pypdf's runs."""
    chance = random.Random(1)
    arabic = [chr(c) for c in (*range(0x0621, 0x063B), *range(0x0641, 0x064B))]  # the letters DejaVu Sans has
    letters = [arabic, *([chr(c) for c in range(first, last)] for first, last in ((0x05D0, 0x05EB), (0x03B1, 0x03CA),
                                                                                (0x0430, 0x0450)))]

    def word(script: int) -> str:
        return "".join(chance.choice(letters[script]) for _ in range(chance.randint(2, 7)))

    sentences = []
    for _ in range(count):
        parts = [word(0), word(0), str(chance.randint(1, 999)), word(1), f"({word(0)})", word(2), word(3), f"{word(0)}.",
                 "and", f"{word(1)},"]
        chance.shuffle(parts)
        sentences.append(" ".join(parts))
    return sentences


def test_right_to_left_words_split_across_font_subsets_come_back(tmp_path: Path) -> None:
    sentences = _scrambled_sentences(60)
    assert len(sentences) == 60
    data = _pdf(_one_paragraph_each(sentences))[0]
    by_pypdf = _plain(_text_of(data))
    by_poppler = _plain(_pdftotext(data, tmp_path)) if shutil.which("pdftotext") else by_pypdf
    for sentence in sentences:
        assert sentence in by_pypdf
        assert sentence in by_poppler


def test_right_to_left_lines_keep_the_bytes_of_the_same_input() -> None:
    assert _pdf(_sentences_document())[0] == _pdf(_sentences_document())[0]


@pytest.mark.skipif(shutil.which("qpdf") is None, reason="qpdf not installed")
def test_right_to_left_lines_pass_qpdf(sentences_pdf: bytes, tmp_path: Path) -> None:
    path = tmp_path / "rtl.pdf"
    path.write_bytes(sentences_pdf)
    result = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(("text", "base", "shown"), [
    ("abc שלום def", 0, "abc םולש def"),
    ("שלום abc עולם", 1, "םלוע abc םולש"),
    ("שנת 2024 היתה", 1, "התיה 2024 תנש"),
    ("(שלום) abc", 1, "abc (םולש)"),  # brackets mirrored on a right-to-left level
    ("abc (שלום) def", 0, "abc (םולש) def"),
    ("עברית: שלום.", 1, ".םולש :תירבע"),
])
def test_display_order(text: str, base: int, shown: str) -> None:
    assert bidi.base_level(text) == base
    order, levels = bidi.display_order(text, bidi.resolve_levels(text, base), base)
    assert "".join(bidi.mirrored(text[i]) if levels[i] & 1 else text[i] for i in order) == shown


def test_poppler_source_undoes_poppler_reordering_on_both_kinds_of_page() -> None:
    alphabet = [*"אבגשלום", *"abcX", *"0123", *"   :.()!-,%", *"مرحبا", *"٣٤"]
    chance = random.Random(4)
    for _ in range(3000):
        text = "".join(chance.choice(alphabet) for _ in range(chance.randint(1, 14)))
        for page_ltr in (True, False):
            shown = bidi.poppler_reorder(bidi.poppler_source(text, page_ltr), page_ltr)
            assert "".join(char for char in shown if char not in bidi.LINE_TEXT_CONTROLS) == text


def test_display_order_agrees_with_python_bidi() -> None:
    import bidi as reference
    alphabet = [*"אבגשלום", *"abcX", *"0123", *"   :.()[]!-,%$+", *"مرحبا", *"٣٤", "“", "”"]
    chance = random.Random(5)
    for _ in range(3000):
        text = "".join(chance.choice(alphabet) for _ in range(chance.randint(1, 16)))
        for base in (0, 1):
            order, _ = bidi.display_order(text, bidi.resolve_levels(text, base), base)
            # python-bidi does not mirror brackets: compare the order only
            assert "".join(text[i] for i in order) == reference.get_display(text, base_dir="R" if base else "L")


def test_no_page_ends_with_a_section_heading(tmp_path: Path) -> None:
    """A heading stays with what follows it, a chart included (a KeepTogether once left "Figure" alone)."""
    from conftest import AUDIENCES, DEFAULT_DATA, run_cli

    fixture = Path(__file__).parent / "fixtures" / "eu-battery.yaml"
    headings = ("Summary", "Key facts", "Claims in circulation", "Figure", "Figures", "Frequently asked questions",
                "Confidence and caveats", "Claims not confirmed", "Corrections to the sources", "Where sources disagree", "Sources")
    for data in (DEFAULT_DATA, fixture):
        assert run_cli("--data", data, "--out", tmp_path, "-f", "pdf").code == 0
    assert len(list(tmp_path.glob("*/*.pdf"))) == 2 * len(AUDIENCES)
    for pdf in sorted(tmp_path.glob("*/*.pdf")):
        assert pdf.stem in AUDIENCES
        for number, page in enumerate(PdfReader(pdf).pages[:-1], start=1):
            lines = [line.strip() for line in page.extract_text().splitlines() if line.strip()]
            body = [line for line in lines if not line.startswith("Page ") and "·" not in line]
            assert body and body[-1] not in headings and not body[-1].startswith("Takeaways for"), (pdf, number, body[-3:])


@pytest.mark.parametrize("filler", range(30, 42))
def test_a_small_table_never_splits_from_its_caption_or_across_pages(filler: int) -> None:
    """Wherever the page breaks, an 8-row table and its caption are on one page, never 3 rows here and 5 there."""
    rows = tuple(((_t(f"Row {i}"),), (_t(f"{i * 1000}"),)) for i in range(8))
    blocks = (*(Paragraph((_t(f"Filler line {i}."),)) for i in range(filler)),
              Table(((_t("Country"),), (_t("Tonnes"),)), rows, (False, True)),
              Paragraph((_t("Table 1. The data of figure 1."),), role="caption"))
    document = Document(DocMeta("T", "S", "A", (), dt.date(2025, 1, 1), "H"), blocks)
    out = io.BytesIO()
    write(document, out)
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(out.getvalue())).pages]
    holding = [index for index, text in enumerate(pages) if "Row 0" in text or "Row 7" in text or "Table 1." in text]
    assert len(set(holding)) == 1, f"table and caption spread over pages {holding}"


def _charts_only() -> Document:
    """A short brief of two charts, so that threads spend most of their time drawing them."""
    figures = tuple(Figure(f"fig-{n}", f"Chart {n}", (("China", 240000.0 + n), ("United States", 43000.0), ("Japan", 1500.5)),
                           "tonnes", f"Bar chart {n}", (_t(f"Figure {n}."),)) for n in range(2))
    return Document(kitchen_sink().meta, figures)


@pytest.mark.slow
def test_the_same_brief_rendered_in_many_threads_at_once_is_always_the_single_threaded_pdf() -> None:
    from concurrent.futures import ThreadPoolExecutor

    document = _charts_only()
    alone = _pdf(document)[0]
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-4)  # switch threads as often as possible, as a busy server does
    try:
        with ThreadPoolExecutor(16) as pool:
            results = list(pool.map(lambda _: _pdf(document)[0], range(48)))
    finally:
        sys.setswitchinterval(interval)
    assert len(results) == 48 and all(result == alone for result in results)


@pytest.mark.parametrize("language", ["en", "ja"])
def test_links_written_directly_are_the_bytes_reportlab_writes(monkeypatch: pytest.MonkeyPatch, language: str) -> None:
    from conftest import DEFAULT_DATA

    from briefs.compose import compose
    from briefs.pipeline import load_inputs
    from briefs.selection import select
    from briefs.writers import forget_kept
    from briefs.writers.pdf import canvas

    inputs = load_inputs([DEFAULT_DATA], language=None if language == "en" else language)
    dataset = inputs.datasets[0][1]
    documents = [compose(select(dataset, profile), inputs.renderer, template=profile.template) for profile in inputs.profiles.values()]

    def written() -> list[bytes]:
        out = []
        for document in documents:
            forget_kept()
            buffer = io.BytesIO()
            write(document, buffer)
            out.append(buffer.getvalue())
        return out

    direct = written()
    monkeypatch.setattr(canvas, "faster", lambda annotation: annotation)  # reportlab's own LinkAnnotation
    assert written() == direct
    assert all(data.count(b"/Subtype /Link") > 40 for data in direct)


def test_a_written_pdf_leaves_its_objects_to_be_freed_at_once_not_by_the_cycle_collector() -> None:
    """The template, canvas and PDF document of a brief refer to one another; once the file is written they are
    emptied, so a brief's thousands of objects do not wait for (and slow down) the cycle collector."""
    import gc

    from kitchen_sink import kitchen_sink

    document = kitchen_sink()
    write(document, io.BytesIO())  # fonts registered, charts drawn, paragraphs kept
    gc.collect()
    enabled = gc.isenabled()
    gc.disable()
    try:
        from briefs.writers import pdf

        pdf._KEPT.clear()  # written in full again, not finished from the file kept just now
        written = io.BytesIO()
        write(document, written)
        left_for_the_collector = gc.collect()
    finally:
        if enabled:
            gc.enable()
    assert PdfReader(written).pages
    assert left_for_the_collector < 300, left_for_the_collector  # about 3,500 when the build's objects stayed linked
