"""Page budgets: a brief cut to fit N pages, measured with a real layout, keeping every caveat and source it owes."""

from __future__ import annotations

import csv
import dataclasses
import subprocess
import tempfile
from pathlib import Path

import docx
import docx.shared
import pytest
from conftest import AUDIENCES, DEFAULT_DATA, ROOT
from pypdf import PdfReader

from briefs.brief import Brief
from briefs.doctree import Block, BulletList, Callout, Citation, Inline, OrderedList, Paragraph, Table
from briefs.fitting import cut_line
from briefs.pipeline import fit_brief, lay_out, load_inputs, render, style_for
from briefs.selection import select
from briefs.writers import WRITERS, Style

BRIEFS = DEFAULT_DATA.parent.name


@pytest.fixture(scope="module")
def inputs():  # type: ignore[no-untyped-def]
    return load_inputs([DEFAULT_DATA])


@pytest.fixture(scope="module")
def one_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every default audience's brief cut to one page, in DOCX, PDF and HTML."""
    from conftest import run_cli

    out = tmp_path_factory.mktemp("one-page")
    result = run_cli("--data", DEFAULT_DATA, "--out", out, "--max-pages", "1", "-f", "pdf", "-f", "docx", "-f", "html")
    assert result.code == 0, result.err
    return out / "us-japan-critical-minerals-2025"


def _fitted(inputs, audience: str, pages: int) -> Brief:  # type: ignore[no-untyped-def]
    path, dataset = inputs.datasets[0]
    return fit_brief(inputs, path, dataset, inputs.profiles[audience], pages, ("pdf",), None).brief


def test_each_default_audience_fits_one_page_in_the_pdf(one_page: Path) -> None:
    pages = {audience: len(PdfReader(one_page / f"{audience}.pdf").pages) for audience in AUDIENCES}
    assert pages == dict.fromkeys(AUDIENCES, 1)


def test_the_one_page_brief_says_how_many_items_were_left_out(one_page: Path) -> None:
    text = " ".join(PdfReader(one_page / "policymaker.pdf").pages[0].extract_text().split())
    assert "items left out to fit one page; see the full brief." in text


def test_docx_pdf_and_html_of_a_fitted_brief_keep_the_same_words(one_page: Path) -> None:
    pdf = " ".join(page.extract_text() for page in PdfReader(one_page / "investor.pdf").pages)
    words = " ".join(p.text for p in docx.Document(str(one_page / "investor.docx")).paragraphs)
    html = (one_page / "investor.html").read_text(encoding="utf-8")
    left_out = next(p.text for p in docx.Document(str(one_page / "investor.docx")).paragraphs if "left out to fit" in p.text)
    count = left_out.split()[0]
    assert f"{count} items left out" in " ".join(pdf.split()) and f"{count} items left out" in html
    assert "Bottom line:" in words and "Bottom line:" in html


@pytest.mark.parametrize("audience", AUDIENCES)
def test_every_citation_a_one_page_brief_prints_has_its_source_listed(inputs, audience: str) -> None:
    brief = _fitted(inputs, audience, 1)
    assert brief.cuts, "a six-page brief cut to one page leaves something out"
    path, dataset = inputs.datasets[0]
    laid = lay_out(inputs, audiences=[audience], max_pages=1)[0].document
    cited = {number for node in _inlines(laid.blocks) if isinstance(node, Citation) for number in node.numbers}
    assert cited and cited == {source.number for source in brief.sources}
    pdf = render(laid, "pdf", style_for(inputs.look, path, dataset, "pdf"))[0]
    text = " ".join(PdfReader(_bytes(pdf)).pages[0].extract_text().split())
    assert all(f"[{number}]" in text for number in cited)


@pytest.mark.parametrize("audience", ["manufacturer", "researcher"])
def test_every_labelled_claim_a_fitted_brief_shows_keeps_its_caveat_and_the_legend_its_label(inputs, audience: str) -> None:
    brief = _fitted(inputs, audience, 3)
    assert brief.cuts
    labelled = [(item.label, item.text) for item in (*brief.facts, *brief.claims, *brief.takeaways) if item.label]
    labelled += [(faq.label, faq.question) for faq in brief.faqs if faq.label]
    labelled += [(figure.label, figure.title) for figure in brief.figures if figure.label]
    assert labelled, "this budget keeps claims that are not confirmed"
    assert set(labelled) <= {(caveat.label, caveat.text) for caveat in brief.caveats}
    assert {label for label, _ in labelled} <= {label for label, _, _ in brief.legend}


def test_cuts_leave_no_caveat_or_source_of_an_item_cut(inputs) -> None:
    brief = _fitted(inputs, "researcher", 1)
    full = select(inputs.datasets[0][1], inputs.profiles["researcher"])
    assert len(brief.sources) < len(full.sources)
    kept = {caveat.text for caveat in brief.caveats}
    assert not kept & {cut.text for cut in brief.cuts}


def test_a_two_page_budget_keeps_more_than_a_one_page_budget(inputs) -> None:
    one, two = _fitted(inputs, "investor", 1), _fitted(inputs, "investor", 2)
    assert len(two.cuts) < len(one.cuts)
    assert len(two.selected_facts) + len(two.faqs) + len(two.figures) > len(one.selected_facts) + len(one.faqs) + len(one.figures)


def test_a_brief_within_its_budget_is_laid_out_once_and_nothing_is_cut(inputs) -> None:
    path, dataset = inputs.datasets[0]
    fitted = fit_brief(inputs, path, dataset, inputs.profiles["investor"], 50, ("pdf",), None)
    assert (fitted.brief.cuts, fitted.layouts) == ((), 1)
    assert fitted.brief.selected_facts == select(dataset, inputs.profiles["investor"]).selected_facts


def test_the_cut_goes_kind_by_kind_in_the_profile_order_lowest_score_first(inputs) -> None:
    _, dataset = inputs.datasets[0]
    profile = inputs.profiles["manufacturer"]
    line = cut_line(select(dataset, profile), dataset, profile)
    kinds = [cut.kind for cut in line]
    assert kinds == sorted(kinds, key=list(profile.cut_order).index)
    facts = [cut.score for cut in line if cut.kind == "facts"]
    assert len(facts) > 2 and facts == sorted(facts)
    reordered = profile.model_copy(update={"cut_order": ("figures", "facts")})
    kinds = [cut.kind for cut in cut_line(select(dataset, reordered), dataset, reordered)]
    assert kinds[0] == "figures" and set(kinds) == {"figures", "facts"}


def test_the_pdf_writer_measures_the_pages_it_writes(inputs) -> None:
    path, dataset = inputs.datasets[0]
    document = lay_out(inputs, audiences=["investor"])[0].document
    style = style_for(inputs.look, path, dataset, "pdf")
    measure = WRITERS["pdf"].measure
    assert measure is not None
    written = len(PdfReader(_bytes(render(document, "pdf", style)[0])).pages)
    assert measure(document, style) == written > 1
    assert measure(document, dataclasses.replace(style, page_size=(595.0, 1684.0))) < written  # a taller page


def test_the_docx_is_measured_under_its_reference_documents_margins(inputs, tmp_path: Path) -> None:
    reference = docx.Document(str(ROOT / "templates" / "styles" / "reference.docx"))
    for section in reference.sections:
        section.left_margin = section.right_margin = docx.shared.Cm(6)
    reference.save(str(tmp_path / "narrow.docx"))
    document = lay_out(inputs, audiences=["investor"])[0].document
    docx_pages, pdf_pages = WRITERS["docx"].measure, WRITERS["pdf"].measure
    assert docx_pages is not None and pdf_pages is not None
    assert docx_pages(document, Style(reference_docx=tmp_path / "narrow.docx")) > pdf_pages(document, Style())
    assert docx_pages(document, Style()) == pdf_pages(document, Style())


def test_a_budget_even_the_shortest_brief_cannot_meet_exits_1_with_one_line_and_writes_nothing(cli, tmp_path: Path) -> None:
    templates = _profile_with(tmp_path, "investor", "template: brief.html.j2")  # the full layout
    out = tmp_path / "out"
    result = cli("--data", DEFAULT_DATA, "--templates", templates, "--out", out, "--max-pages", "1", "-a", "investor")
    assert result.code == 1
    assert len(result.err.strip().splitlines()) == 1
    assert "the investor brief needs 2 pages with every item it may cut left out, over its budget of 1 page" in result.err
    assert not out.exists() or not any(out.rglob("*.*"))


def test_a_profile_max_pages_fits_its_brief_without_the_option(cli, tmp_path: Path) -> None:
    templates = _profile_with(tmp_path, "researcher", "max_pages: 2")
    result = cli("--data", DEFAULT_DATA, "--templates", templates, "--out", tmp_path / "out", "-a", "researcher", "-f", "pdf")
    assert result.code == 0, result.err
    reader = PdfReader(tmp_path / "out" / "us-japan-critical-minerals-2025" / "researcher.pdf")
    assert len(reader.pages) <= 2
    assert "left out to fit 2 pages; see the full brief." in " ".join(reader.pages[0].extract_text().split())


def test_check_rejects_a_max_pages_below_one_naming_the_file_and_field(cli, tmp_path: Path) -> None:
    templates = _profile_with(tmp_path, "researcher", "max_pages: -1")
    result = cli("check", "--data", DEFAULT_DATA, "--templates", templates)
    assert result.code == 1
    assert "researcher.yaml" in result.out + result.err and "max_pages: must be at least 1" in result.out + result.err


def test_max_pages_on_the_command_line_takes_only_a_positive_number(cli, tmp_path: Path) -> None:
    result = cli("--data", DEFAULT_DATA, "--out", tmp_path, "--max-pages", "0")
    assert result.code == 2 and "not a number of pages" in result.err


def test_explain_lists_the_cuts_with_their_scores_in_the_order_cut(cli) -> None:
    result = cli("explain", "--data", DEFAULT_DATA, "-a", "policymaker", "--max-pages", "2")
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("cut to fit 2 pages"))
    rows = [line.split(None, 3) for line in lines[start + 2:] if line.strip()]
    assert rows and [int(row[0]) for row in rows] == list(range(1, len(rows) + 1))
    facts = [float(row[1]) for row in rows if row[2] == "facts"]
    assert facts and facts == sorted(facts)


def test_each_recipients_brief_in_a_batch_holds_the_budget(cli, tmp_path: Path) -> None:
    recipients = tmp_path / "list.csv"
    with recipients.open("w", newline="", encoding="utf-8") as handle:
        rows = csv.writer(handle)
        rows.writerow(["name", "audience", "email"])
        rows.writerow(["Ann", "investor", "ann@example.org"])
        rows.writerow(["Bartholomew Maximilian Featherstonehaugh-Wolfeschlegelsteinhausen the Third", "investor", "b@example.org"])
    result = cli("batch", recipients, "--data", DEFAULT_DATA, "--out", tmp_path / "out", "--max-pages", "1", "-f", "pdf", "-j", "1")
    assert result.code == 0, result.err
    written = sorted((tmp_path / "out").rglob("*.pdf"))
    assert len(written) == 2
    assert [len(PdfReader(path).pages) for path in written] == [1, 1]


def test_the_preview_shows_briefs_cut_to_its_budget(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from briefs.config import Settings
    from briefs.preview import Builder, Request

    monkeypatch.chdir(ROOT)
    build = Builder(Request(lambda: Settings(), (DEFAULT_DATA,), ("investor",), (), 1)).build()
    assert not build.errors
    (item,) = build.briefs.values()
    assert item.brief is not None and item.brief.cuts and item.layouts > 1


@pytest.mark.slow
def test_libreoffice_lays_each_one_page_docx_out_on_one_page(one_page: Path) -> None:
    with tempfile.TemporaryDirectory() as profile, tempfile.TemporaryDirectory() as outdir:
        docs = [str(one_page / f"{audience}.docx") for audience in AUDIENCES]
        subprocess.run(["libreoffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
                        "--outdir", outdir, *docs], check=True, capture_output=True, timeout=240)
        pages = {audience: len(PdfReader(Path(outdir) / f"{audience}.pdf").pages) for audience in AUDIENCES}
    assert pages == dict.fromkeys(AUDIENCES, 1)


def _profile_with(tmp_path: Path, audience: str, line: str) -> Path:
    """Return a templates folder holding the built-in profile of `audience` with `line` added."""
    folder = tmp_path / "templates" / "audiences"
    folder.mkdir(parents=True)
    profile = (ROOT / "templates" / "audiences" / f"{audience}.yaml").read_text(encoding="utf-8")
    (folder / f"{audience}.yaml").write_text(f"{profile}{line}\n", encoding="utf-8")
    return folder.parent


def _bytes(data: bytes):  # type: ignore[no-untyped-def]
    import io

    return io.BytesIO(data)


def _inlines(blocks: tuple[Block, ...]) -> list[Inline]:
    """Return every inline of `blocks`, nested ones included."""
    found: list[Inline] = []
    for block in blocks:
        match block:
            case Paragraph(children=children):
                found += _flat(children)
            case BulletList(items=items) | OrderedList(items=items):
                found += [node for item in items for node in _flat(item)]
            case Table(rows=rows):
                found += [node for row in rows for cell in row for node in _flat(cell)]
            case Callout(children=children):
                found += _inlines(children)
    return found


def _flat(nodes: tuple[Inline, ...]) -> list[Inline]:
    found: list[Inline] = []
    for node in nodes:
        found.append(node)
        found += _flat(getattr(node, "children", ()))
    return found
