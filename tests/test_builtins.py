"""Every built-in profile on the default data: each brief holds what its profile selects, in both formats."""

from __future__ import annotations

import re
from pathlib import Path

import docx
import pytest
from conftest import AUDIENCES, DEFAULT_DATA, ROOT
from pypdf import PdfReader
from readback import docx_paragraphs, docx_text, pdf_text, squash

from briefs.loading import load_dataset, load_profile
from briefs.selection import select

DATASET = load_dataset(DEFAULT_DATA)


def _text(out: Path, audience: str, fmt: str) -> str:
    """Return the brief's text; a PDF's without its running header and page numbers, so an item broken across pages reads whole."""
    path = out / f"{audience}.{fmt}"
    if fmt == "docx":
        return docx_text(path)
    header = f"{DATASET.short_title} · {load_profile(ROOT / 'templates' / 'audiences' / f'{audience}.yaml').label}"
    return re.sub(r"Page\s*\d+\s*of\s*\d+", "", pdf_text(path)).replace(header, "")


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
@pytest.mark.parametrize("audience", AUDIENCES)
def test_brief_holds_its_selected_facts_and_none_scored_out(default_out: Path, audience: str, fmt: str) -> None:
    profile = load_profile(ROOT / "templates" / "audiences" / f"{audience}.yaml")
    brief = select(DATASET, profile)
    text = squash(_text(default_out, audience, fmt))
    assert brief.selected_facts and len(brief.selected_facts) < len(DATASET.facts)  # some shown, some scored out
    for fact in brief.selected_facts:
        assert squash(fact.text) in text, fact.id
    shown = {f.id for f in brief.selected_facts}
    for fact in DATASET.facts:
        if fact.id not in shown:
            assert squash(fact.audiences.get(audience, fact.text)) not in text, fact.id


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
@pytest.mark.parametrize("audience", AUDIENCES)
def test_every_unverified_claim_shown_carries_its_label_and_a_citation(default_out: Path, audience: str, fmt: str) -> None:
    brief = select(DATASET, load_profile(ROOT / "templates" / "audiences" / f"{audience}.yaml"))
    text = squash(_text(default_out, audience, fmt))
    assert all(fact.label is None for fact in brief.facts)
    for fact in brief.claims:
        if fact.label:
            cites = "[" + ",".join(map(str, fact.citations)) + "]"
            assert squash(f"{fact.label} {fact.text} {cites}") in text, fact.id


@pytest.mark.parametrize("audience", AUDIENCES)
def test_brief_opens_with_a_title_block(default_out: Path, audience: str) -> None:
    paragraphs = docx_paragraphs(default_out / f"{audience}.docx")
    styles = [style for style, _ in paragraphs[:4]]
    assert styles[:3] == ["Title", "Subtitle", "Brief Meta"]
    label = load_profile(ROOT / "templates" / "audiences" / f"{audience}.yaml").label
    assert f"Prepared for {label}" in paragraphs[2][1]
    assert "As of 15 November 2025" in paragraphs[2][1]


@pytest.mark.parametrize("audience", AUDIENCES)
def test_docx_and_pdf_hold_the_same_text_in_the_same_order(default_out: Path, audience: str) -> None:
    header = docx.Document(str(default_out / f"{audience}.docx")).sections[0].header.paragraphs[0].text
    body_lines = [line for line in pdf_text(default_out / f"{audience}.pdf").splitlines() if line.strip() != header]
    # The footer's "Page X of Y" may come out of the PDF split over two lines, and between two halves of a word.
    pages = len(PdfReader(str(default_out / f"{audience}.pdf")).pages)
    pdf_words = re.sub(rf"Page\d+of{pages}", "", squash("".join(body_lines)))
    position = 0
    paragraphs = docx_paragraphs(default_out / f"{audience}.docx")
    assert len(paragraphs) > 20  # a whole brief, not an empty document
    for _, paragraph in paragraphs:
        if paragraph.strip():
            found = pdf_words.find(squash(paragraph), position)
            assert found >= 0, f"not found in order in the PDF: {paragraph[:70]!r}"
            position = found + len(squash(paragraph))


def test_policymaker_brief_prints_the_prime_ministers_name_in_japanese(default_out: Path) -> None:
    for fmt in ("docx", "pdf"):
        assert "高市早苗" in _text(default_out, "policymaker", fmt)


@pytest.mark.parametrize("audience", AUDIENCES)
def test_a_figures_data_table_is_on_one_page_with_its_caption_under_a_heading_that_names_the_figure(
        default_out: Path, audience: str) -> None:
    from pypdf import PdfReader

    pages = [page.extract_text() or "" for page in PdfReader(str(default_out / f"{audience}.pdf")).pages]
    captions = [index for index, text in enumerate(pages) if "The data of figure 1" in text]
    if not captions:
        pytest.skip(f"the {audience} brief shows no figure")
    assert squash("Country") in squash(pages[captions[0]])  # the table's header is on the caption's page
    headings = [text for style, text in docx_paragraphs(default_out / f"{audience}.docx") if style == "Heading 1"]
    assert "Rare-earth mine production by country, 2024" in headings and "Figure" not in headings


def test_a_sources_url_ends_with_a_full_stop_before_its_reliability(default_out: Path) -> None:
    text = docx_text(default_out / "investor.docx")
    entries = [line for line in text.splitlines() if line.startswith("[") and "http" in line and "Reliability" in line]
    assert entries and all(re.search(r"https?://\S+\. Reliability [A-F]", line) for line in entries), entries[:2]
