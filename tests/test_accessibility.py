"""Accessible briefs: what a screen reader needs from each format, checked on the default briefs and the kitchen sink."""

from __future__ import annotations

import io
import itertools
import zipfile
from pathlib import Path

import docx
import pytest
from conftest import AUDIENCES
from docx.oxml.ns import qn
from kitchen_sink import KITCHEN_SINK, brief_bytes

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _heading_level(paragraph: docx.text.paragraph.Paragraph) -> int | None:
    """The level a screen reader announces: Title 0, Heading n, or a style's outline level."""
    style = paragraph.style
    if style is None:
        return None
    if style.name == "Title":
        return 0
    if style.name.startswith("Heading ") and style.name[8:].isdigit():
        return int(style.name[8:])
    level = style.element.find(f"{_W}pPr/{_W}outlineLvl")
    return int(level.get(qn("w:val"))) + 1 if level is not None else None


@pytest.mark.parametrize("which", [*AUDIENCES, KITCHEN_SINK])
def test_docx_headings_never_skip_a_level_tables_have_header_rows_and_images_alt_text(default_out: Path, which: str) -> None:
    data = brief_bytes(default_out, which, "docx")
    document = docx.Document(io.BytesIO(data))
    levels = [level for paragraph in document.paragraphs if (level := _heading_level(paragraph)) is not None]
    assert levels and levels[0] == 0, "the title comes first"
    for before, after in itertools.pairwise(levels):
        assert after <= before + 1, f"a heading jumps from level {before} to {after}"
    for table in document.tables:
        first = table.rows[0]._tr
        assert first.trPr is not None and first.trPr.find(qn("w:tblHeader")) is not None, "a header row a reader can announce"
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        body = package.read("word/document.xml").decode()
        styles = package.read("word/styles.xml").decode()
    pictures = body.count("<wp:docPr ")
    assert pictures == body.count('descr="') and 'descr=""' not in body, "every image has a description"
    assert document.core_properties.title and "<w:lang " in styles


def test_docx_headings_have_outline_levels_and_citations_say_what_they_point_to(default_out: Path) -> None:
    """LibreOffice (and its tagged PDF export) knows headings by outline level, not by Word's style names."""
    document = docx.Document(str(default_out / "investor.docx"))
    for level in (1, 2, 3):
        outline = document.styles[f"Heading {level}"].element.find(f"{_W}pPr/{_W}outlineLvl")
        assert outline is not None and outline.get(qn("w:val")) == str(level - 1)
    with zipfile.ZipFile(default_out / "investor.docx") as package:
        assert 'w:tooltip="Source 1"' in package.read("word/document.xml").decode()


def test_a_right_to_left_brief_runs_right_to_left_in_word(cli, tmp_path: Path) -> None:
    from conftest import MINIMAL

    data = tmp_path / "tiny.yaml"
    data.write_text(MINIMAL.replace("as_of: 2025-11-15\n", "as_of: 2025-11-15\nlanguage: ar\n"), encoding="utf-8")
    assert cli("--data", data, "--out", tmp_path, "-a", "investor", "-f", "docx", "-f", "html").code == 0
    with zipfile.ZipFile(tmp_path / "tiny" / "investor.docx") as package:
        styles = package.read("word/styles.xml").decode()
    defaults = styles[styles.index("<w:pPrDefault>"): styles.index("</w:pPrDefault>")]
    assert "<w:bidi/>" in defaults and 'w:bidi="ar"' in styles
    page = (tmp_path / "tiny" / "investor.html").read_text(encoding="utf-8")
    assert 'lang="ar"' in page and 'dir="rtl"' in page and 'aria-label="Source 1"' in page


def test_a_tables_caption_is_tied_to_the_table_in_html_and_docx(cli, tmp_path: Path) -> None:
    assert cli("-a", "researcher", "-f", "docx", "-f", "html", "--out", tmp_path).code == 0
    folder = tmp_path / "us-japan-critical-minerals-2025"
    page = (folder / "researcher.html").read_text(encoding="utf-8")
    assert '<table><caption class="caption">Table 1. The data of figure 1.' in page
    with zipfile.ZipFile(folder / "researcher.docx") as package:
        assert '<w:tblCaption w:val="Table 1. The data of figure 1.' in package.read("word/document.xml").decode()
