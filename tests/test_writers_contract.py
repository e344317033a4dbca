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
from briefs.writers import DEFAULT_FORMATS, FORMATS, WRITERS, Logo, Style
from briefs.writers.theme import Theme


@pytest.mark.parametrize("fmt", FORMATS)
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


@pytest.mark.parametrize("fmt", FORMATS)
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


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_row_names_a_module_with_a_write_function_and_a_media_type(fmt: str) -> None:
    spec = WRITERS[fmt]
    assert callable(importlib.import_module(spec.module).write)
    assert "/" in spec.media_type
    assert spec.reads <= {field.name for field in dataclasses.fields(Style)}
    assert all(path.is_file() for path in (spec.files() if spec.files else ()))


def test_docx_and_pdf_stay_the_default_formats() -> None:
    assert DEFAULT_FORMATS == ("docx", "pdf")


def test_the_kitchen_sink_reads_the_same_in_every_format() -> None:
    """Each format shows the same words (pdf text extraction aside, in the same order of headings)."""
    document = kitchen_sink()
    headings = [plain_text(block.children) for block in document.blocks if type(block).__name__ == "Heading"]
    for fmt in FORMATS:
        out = io.BytesIO()
        WRITERS[fmt].load()(document, out, Style())
        text = squash(READERS[fmt](out.getvalue()))
        positions = [text.find(squash(heading)) for heading in headings]
        assert -1 not in positions and positions == sorted(positions), (fmt, headings)


@pytest.mark.parametrize("fmt", FORMATS)
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
    from briefs.commands.send import _ATTACH
    from briefs.writers import DEFAULT_FORMATS, PAGE_FORMAT, WRITERS

    assert [fmt for fmt, spec in WRITERS.items() if spec.page] == [PAGE_FORMAT]
    assert _ATTACH["both"] == DEFAULT_FORMATS and PAGE_FORMAT not in DEFAULT_FORMATS


def test_a_writer_reading_a_reference_document_says_how_it_checks_one_and_no_other_does() -> None:
    from briefs.writers import WRITERS

    assert any(spec.reference for spec in WRITERS.values())
    for fmt, spec in WRITERS.items():
        assert ("reference_docx" in spec.reads) == (spec.reference is not None), fmt
