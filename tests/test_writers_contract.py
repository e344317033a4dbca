"""The writer table's contract: every row writes the kitchen-sink document whole, deterministically, from its module.

A new format is one module and one row of `WRITERS`; these tests then run on it unchanged (and
ask for a text reader in `readback.READERS`, which is how the other tests read its briefs).
"""

from __future__ import annotations

import dataclasses
import importlib
import io
from pathlib import Path

import pytest
from conftest import ROOT
from kitchen_sink import SCRIPTS, kitchen_sink
from readback import READERS, squash

from briefs.doctree import plain_text
from briefs.writers import WRITERS, Logo, Style, WriterSpec, check_writers, default_formats, formats
from briefs.writers.theme import Theme


@pytest.mark.parametrize("fmt", formats())
def test_every_writer_writes_every_node_kind_and_all_the_text(fmt: str) -> None:
    assert fmt in READERS, f"add a text reader for {fmt!r} to tests/readback.py READERS"
    document = kitchen_sink()
    out = io.BytesIO()
    warnings = WRITERS[fmt].load()(document, out, Style())
    assert isinstance(warnings, list)
    text = squash(READERS[fmt](out.getvalue()))
    for heading in ("Section one", "Scripts"):
        assert squash(heading) in text
    for sample in ("Plain", "strong", "UNVERIFIED", "[1,2]", "first", "second", SCRIPTS["latin"], SCRIPTS["greek"]):
        assert squash(sample) in text, sample
    assert squash("<b>&{{ 7*7 }}**x**") in text  # data text printed as text, never as markup


@pytest.mark.parametrize("fmt", formats())
def test_every_writer_is_deterministic_and_reads_exactly_the_style_fields_its_row_names(fmt: str, tmp_path: Path) -> None:
    """Batch keys hash only the fields a row names: a field read but not named would leave stale briefs "up to date"."""
    import docx
    from PIL import Image

    logo = tmp_path / "logo.png"
    Image.new("RGB", (40, 20), "#8b1a1a").save(logo)
    reference = docx.Document(str(ROOT / "templates" / "styles" / "reference.docx"))
    reference.styles["Normal"].font.size = docx.shared.Pt(12)  # (the shipped one as it is gives the built-in look exactly)
    reference.save(str(tmp_path / "house.docx"))
    import pptx

    pptx.Presentation().save(str(tmp_path / "house.pptx"))  # python-pptx's own deck, 4:3
    document = kitchen_sink()
    values = {"page_size": (612.0, 792.0), "theme": Theme(base_font_size=12), "logo": Logo(logo),
              "reference_docx": tmp_path / "house.docx", "reference_pptx": tmp_path / "house.pptx"}
    assert set(values) == {field.name for field in dataclasses.fields(Style)}

    def bytes_of(chosen: Style) -> bytes:
        out = io.BytesIO()
        WRITERS[fmt].load()(document, out, chosen)
        return out.getvalue()

    plain = bytes_of(Style())
    assert plain == bytes_of(Style())
    for name, value in values.items():
        changed = bytes_of(dataclasses.replace(Style(), **{name: value})) != plain
        assert changed == (name in WRITERS[fmt].reads), f"{fmt} {'reads' if changed else 'ignores'} {name}"


@pytest.mark.parametrize("fmt", formats())
def test_every_row_names_a_module_with_a_write_function_and_a_media_type(fmt: str) -> None:
    spec = WRITERS[fmt]
    assert callable(importlib.import_module(spec.module).write)
    assert "/" in spec.media_type
    assert spec.reads <= {field.name for field in dataclasses.fields(Style)}
    assert all(path.is_file() for path in (spec.files() if spec.files else ()))


def test_docx_and_pdf_stay_the_default_formats() -> None:
    assert default_formats() == ("docx", "pdf")


def test_the_kitchen_sink_reads_the_same_in_every_format() -> None:
    """Each format shows the same words (pdf text extraction aside, in the same order of headings)."""
    document = kitchen_sink()
    headings = [plain_text(block.children) for block in document.blocks if type(block).__name__ == "Heading"]
    assert len(headings) >= 2 and {"docx", "pdf", "html"} <= set(formats()), (headings, formats())
    for fmt in formats():
        out = io.BytesIO()
        WRITERS[fmt].load()(document, out, Style())
        text = squash(READERS[fmt](out.getvalue()))
        positions = [text.find(squash(heading)) for heading in headings]
        assert -1 not in positions and positions == sorted(positions), (fmt, headings)


@pytest.mark.parametrize("fmt", formats())
def test_every_writer_draws_a_chart_whose_unit_and_labels_hold_line_breaks(fmt: str) -> None:
    """A data file's U+2028 is read as a line break; a chart's unit or label may hold one (found by the fuzz tests)."""
    import datetime as dt

    from briefs.doctree import DocMeta, Document, Figure, Text

    figure = Figure("f", "Output", (("Al\u2028pha", 3.0), ("Beta\nGamma", 1.5)), "\u2028 line\u2029 para\x85 ", "Chart.",
                    (Text("Figure 1."),))
    out = io.BytesIO()
    WRITERS[fmt].load()(Document(DocMeta("T", "S", "A", (), dt.date(2025, 1, 1), "H"), (figure,)), out, Style())
    assert out.getvalue()


def test_exactly_one_format_is_the_previews_page_and_send_attaches_the_default_formats_as_both() -> None:
    from briefs.commands.send import _attach
    from briefs.writers import page_format

    assert [fmt for fmt, spec in WRITERS.items() if spec.page] == [page_format()]
    assert _attach()["both"] == default_formats() and page_format() not in default_formats()


def test_a_writer_reading_a_reference_document_says_how_it_checks_one_and_no_other_does() -> None:
    assert any(spec.reference for spec in WRITERS.values())
    for fmt, spec in WRITERS.items():
        assert ("reference_docx" in spec.reads) == (spec.reference is not None), fmt


@pytest.mark.parametrize("fmt", [fmt for fmt in formats() if WRITERS[fmt].measure is not None])
def test_every_paged_writer_measures_the_kitchen_sink_as_the_pdf_writer_lays_it_out(fmt: str) -> None:
    measure = WRITERS[fmt].measure
    assert measure is not None
    document = kitchen_sink()
    pdf = io.BytesIO()
    WRITERS["pdf"].load()(document, pdf, Style())
    from pypdf import PdfReader

    pages = len(PdfReader(pdf).pages)
    assert measure(document, Style()) == pages >= 1


def test_the_writer_table_as_shipped_passes_its_own_check() -> None:
    check_writers(WRITERS)


@pytest.mark.parametrize(("field", "value", "says"), [
    ("module", "", "module: the writer's module name is missing"),
    ("media_type", "markdown", "media_type: 'markdown' is not a media type"),
    ("reads", frozenset({"colour"}), "reads: frozenset({'colour'}) is not a frozenset of Style fields"),
    ("libraries", "reportlab", "libraries: 'reportlab' is not a tuple of distribution names"),
    ("reference", None, "reference: a writer reads reference_docx exactly when its row says how it checks one"),
    ("redline", "yes", "redline: 'yes' is not callable"),
])
def test_a_row_lacking_a_field_is_refused_when_made_naming_the_row_and_the_field(field: str, value: object, says: str) -> None:
    row = WRITERS["docx"].media_type if field == "module" else "briefs.writers.docx"  # a row is named by its module
    with pytest.raises(ValueError, match=f"^writer row for '{_escaped(row)}': {_escaped(says)}"):
        dataclasses.replace(WRITERS["docx"], **{field: value})


def test_a_table_naming_a_row_that_is_no_writer_spec_names_its_format_and_one_page_format_is_required() -> None:
    with pytest.raises(ValueError, match=r"^WRITERS\['md'\]: a row is a WriterSpec, not dict$"):
        check_writers({**WRITERS, "md": {"module": "markdown_writer"}})  # type: ignore[dict-item]
    with pytest.raises(ValueError, match=r"exactly one row has page=True .*not 0"):
        check_writers({fmt: spec for fmt, spec in WRITERS.items() if not spec.page})


def test_a_row_whose_module_has_no_write_function_says_so_on_loading() -> None:
    with pytest.raises(ValueError, match=r"^writer row for 'briefs.doctree': module: briefs.doctree has no write"):
        WriterSpec("briefs.doctree", "text/plain", frozenset(), ()).load()


def test_a_format_that_can_redline_gives_a_redliner_that_tracks_a_change() -> None:
    import datetime as dt

    from briefs.doctree import DocMeta, Document, Paragraph, Text

    def brief(text: str) -> bytes:
        out = io.BytesIO()
        spec.load()(Document(DocMeta("T", "S", "A", (), dt.date(2025, 1, 1), "H"), (Paragraph((Text(text),)),)), out, Style())
        return out.getvalue()

    redlining = [(fmt, spec) for fmt, spec in WRITERS.items() if spec.redline is not None]
    assert [fmt for fmt, _ in redlining] == ["docx"]
    for fmt, spec in redlining:
        assert spec.redline is not None
        out = io.BytesIO()
        spec.redline()(brief("Output rose 5%."), brief("Output rose 7%."), out, dt.date(2025, 2, 1))
        text = squash(READERS[fmt](out.getvalue()))
        assert "7%" in text and b"w:del " in _member(out.getvalue(), "word/document.xml")


def _member(data: bytes, name: str) -> bytes:
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read(name)


def _escaped(text: str) -> str:
    import re

    return re.escape(text)


# --- a trial writer: Markdown, one module in tests/ and one row -------------------------------------------------


@pytest.fixture
def markdown_row(monkeypatch: pytest.MonkeyPatch) -> str:
    """Add Markdown as a format: its module (tests/markdown_writer.py) and one row, and a text reader for the tests."""
    monkeypatch.setitem(WRITERS, "md", WriterSpec("markdown_writer", "text/markdown", frozenset(), ("markdown-it-py",),
                                                  default=False))
    monkeypatch.setitem(READERS, "md", _markdown_text)
    return "md"


def _markdown_text(data: bytes) -> str:
    """Read Markdown as a reader sees it: rendered to HTML by a CommonMark parser, then the text a browser shows."""
    from markdown_it import MarkdownIt
    from readback import html_text

    rendered = MarkdownIt("commonmark").enable("table").render(data.decode("utf-8"))
    return html_text(f'<html><head><meta charset="utf-8"></head><body>{rendered}</body></html>'.encode())


def _headings(html: bytes) -> list[str]:
    import lxml.html

    tree = lxml.html.document_fromstring(html, parser=lxml.html.HTMLParser(encoding="utf-8"))
    return [" ".join(h.text_content().split()) for h in tree.iter("h1", "h2", "h3")]


def test_a_trial_markdown_writer_passes_the_contract_tests_unchanged(markdown_row: str, tmp_path: Path) -> None:
    assert markdown_row in formats() and markdown_row not in default_formats()
    check_writers(WRITERS)
    test_every_writer_writes_every_node_kind_and_all_the_text(markdown_row)
    test_every_writer_is_deterministic_and_reads_exactly_the_style_fields_its_row_names(markdown_row, tmp_path)
    test_every_row_names_a_module_with_a_write_function_and_a_media_type(markdown_row)


def test_a_trial_markdown_writer_is_written_by_generate_with_the_same_headings_as_the_html(markdown_row: str, cli,
                                                                                           tmp_path: Path) -> None:
    from conftest import DEFAULT_DATA
    from markdown_it import MarkdownIt

    result = cli("--data", DEFAULT_DATA, "--out", tmp_path, "-a", "investor", "-f", markdown_row, "-f", "html")
    assert result.code == 0, result.err
    folder = tmp_path / "us-japan-critical-minerals-2025"
    assert sorted(path.name for path in folder.iterdir()) == ["investor.html", "investor.md"]
    markdown = MarkdownIt("commonmark").enable("table").render((folder / "investor.md").read_text(encoding="utf-8"))
    headings = _headings((folder / "investor.html").read_bytes())
    assert len(headings) > 5 and _headings(markdown.encode("utf-8")) == headings


def test_a_trial_markdown_writer_is_planned_and_written_by_batch(markdown_row: str, cli, tmp_path: Path) -> None:
    from conftest import DEFAULT_DATA

    recipients = tmp_path / "people.csv"
    recipients.write_text("name,audience,email\nAnn Lee,investor,ann@example.org\nBo Chen,researcher,bo@example.org\n",
                          encoding="utf-8")
    result = cli("batch", recipients, "--data", DEFAULT_DATA, "--out", tmp_path / "out", "-f", markdown_row, "--jobs", "1")
    assert result.code == 0, result.err
    written = sorted((tmp_path / "out").rglob("*.md"))
    assert [path.stem for path in written] == ["Ann Lee", "Bo Chen"], written
    assert all("# " in path.read_text(encoding="utf-8") for path in written)
    assert ".md" in (next((tmp_path / "out").rglob("index.csv"))).read_text(encoding="utf-8")
