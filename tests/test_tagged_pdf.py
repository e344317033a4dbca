"""Tagged PDF: what a screen reader gets from a brief, read back with pikepdf and poppler.

Each check runs on the four default briefs and on the kitchen sink (every node kind, Japanese,
Arabic, Hebrew, a table). veraPDF is not available here; docs/accessibility.md says which
Matterhorn Protocol checkpoints these tests cover.
"""

from __future__ import annotations

import io
import itertools
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pikepdf
import pytest
from conftest import AUDIENCES, ROOT
from kitchen_sink import KITCHEN_SINK, brief_bytes, kitchen_sink
from readback import squash

from briefs.doctree import BulletList, DocMeta, Document, Figure, Heading, OrderedList, Paragraph, Table, Text, plain_text
from briefs.writers import Style, get_writer

PAINTING = {"Tj", "TJ", "'", '"', "Do", "S", "s", "f", "F", "f*", "B", "B*", "b", "b*", "sh", "INLINE IMAGE"}
"""Operators that put something on the page: each must sit inside marked content (an element's or an artifact)."""
WHICH = [*AUDIENCES, KITCHEN_SINK]


def _pdf(default_out: Path, which: str) -> bytes:
    return brief_bytes(default_out, which, "pdf")


def _elements(node: pikepdf.Object) -> Iterator[pikepdf.Object]:
    """Yield the structure elements under `node`, depth first, in reading order."""
    kids = node.get("/K")
    if kids is None:
        return
    for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
        if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/StructElem":
            yield kid
            yield from _elements(kid)


def _marked_content(pdf: pikepdf.Pdf) -> Iterator[tuple[int, int | None, str, int]]:
    """Yield (page, MCID or None, tag, painting operators inside) for each outermost marked-content sequence; MCID -1
    stands for painting found outside any marked content."""
    for index, page in enumerate(pdf.pages):
        depth, current, painted = 0, (None, ""), 0
        for operands, operator in pikepdf.parse_content_stream(page):
            name = str(operator)
            if name in ("BDC", "BMC"):
                if depth:  # only a /Span with /ActualText (right-to-left text) may sit inside: no artifact, no second MCID
                    inner = operands[1] if name == "BDC" and len(operands) > 1 else None
                    assert str(operands[0]) == "/Span" and isinstance(inner, pikepdf.Dictionary) and "/MCID" not in inner, (
                        f"page {index + 1}: {operands[0]} nested in marked content")
                if depth == 0:
                    properties = operands[1] if name == "BDC" and len(operands) > 1 else None
                    mcid = int(properties.MCID) if isinstance(properties, pikepdf.Dictionary) and "/MCID" in properties else None
                    current, painted = (mcid, str(operands[0])), 0
                depth += 1
            elif name == "EMC":
                depth -= 1
                if depth == 0:
                    yield index, current[0], current[1], painted
            elif name in PAINTING:
                if depth == 0:
                    yield index, -1, name, 1
                painted += 1
        assert depth == 0, f"page {index + 1}: marked content left open"


@pytest.mark.parametrize("which", WHICH)
def test_everything_on_a_page_is_an_elements_content_or_an_artifact(default_out: Path, which: str) -> None:
    with pikepdf.open(io.BytesIO(_pdf(default_out, which))) as pdf:
        loose = [(page + 1, tag) for page, mcid, tag, _ in _marked_content(pdf) if mcid == -1]
        assert not loose, f"drawn outside marked content: {loose[:5]}"
        artifacts = [tag for _, mcid, tag, _ in _marked_content(pdf) if mcid is None]
        assert artifacts and set(artifacts) == {"/Artifact"}  # header, footer, rules, grids
        for page in pdf.pages:  # the running header and the page number are pagination artifacts, on every page
            kinds = {str(operands[1].get("/Subtype")) for operands, operator in pikepdf.parse_content_stream(page)
                     if str(operator) == "BDC" and str(operands[0]) == "/Artifact" and isinstance(operands[1], pikepdf.Dictionary)}
            assert kinds == {"/Header", "/Footer"}


@pytest.mark.parametrize("which", WHICH)
def test_every_mcid_is_in_the_parent_tree_under_the_element_that_claims_it(default_out: Path, which: str) -> None:
    with pikepdf.open(io.BytesIO(_pdf(default_out, which))) as pdf:
        root = pdf.Root.StructTreeRoot
        nums = list(root.ParentTree.Nums)
        parents = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
        drawn = [(page, mcid) for page, mcid, _, _ in _marked_content(pdf) if mcid is not None and mcid >= 0]
        assert drawn
        claimed: set[tuple[int, int]] = set()
        number = {page.obj.objgen: index for index, page in enumerate(pdf.pages)}
        for element in _elements(root):
            for kid in element.K if isinstance(element.K, pikepdf.Array) else [element.K]:
                if isinstance(kid, int):  # an MCID on the element's page
                    page, mcid = number[element.Pg.objgen], int(kid)
                elif isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/MCR":
                    page, mcid = number[kid.Pg.objgen], int(kid.MCID)
                else:
                    continue
                claimed.add((page, mcid))
                assert parents[int(pdf.pages[page].obj.StructParents)][mcid].objgen == element.objgen
        assert set(drawn) == claimed, "each marked sequence belongs to exactly one element"
        assert int(root.ParentTreeNextKey) == max(parents) + 1


@pytest.mark.parametrize("which", WHICH)
def test_figures_have_alt_text_and_a_box_table_headers_a_scope_lists_a_numbering(default_out: Path, which: str) -> None:
    with pikepdf.open(io.BytesIO(_pdf(default_out, which))) as pdf:
        elements = list(_elements(pdf.Root.StructTreeRoot))
        tags = [str(element.S) for element in elements]
        figures = [element for element in elements if element.S == "/Figure"]
        assert figures, "every default brief and the kitchen sink have a chart"
        for figure in figures:
            assert str(figure.Alt).strip() and len(figure.A.BBox) == 4
        headers = [element for element in elements if element.S == "/TH"]
        assert headers and all(str(header.A.Scope) in ("/Column", "/Row") for header in headers)
        assert all("/ListNumbering" in element.A for element in elements if element.S == "/L")
        for element in elements:
            if element.S == "/LI":
                assert [str(kid.S) for kid in element.K] == ["/Lbl", "/LBody"]
        levels = [int(tag[2]) for tag in tags if len(tag) == 3 and tag.startswith("/H") and tag[2].isdigit()]
        assert levels[0] == 1 and all(b <= a + 1 for a, b in itertools.pairwise(levels)), levels


@pytest.mark.parametrize("which", WHICH)
def test_links_are_link_elements_pointing_at_their_annotations_with_a_description(default_out: Path, which: str) -> None:
    with pikepdf.open(io.BytesIO(_pdf(default_out, which))) as pdf:
        nums = list(pdf.Root.StructTreeRoot.ParentTree.Nums)
        parents = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
        links = 0
        for page in pdf.pages:
            annotations = list(page.obj.get("/Annots", []))
            if annotations:
                assert page.obj.Tabs == "/S"
            for annotation in annotations:
                link = parents[int(annotation.StructParent)]
                assert link.S == "/Link" and link.K[0].Obj.objgen == annotation.objgen
                assert str(annotation.Contents).startswith(("Link to ", "Go to "))
                links += 1
        assert links


@pytest.mark.parametrize("which", WHICH)
def test_the_catalog_says_tagged_language_title_and_pdf_ua(default_out: Path, which: str) -> None:
    with pikepdf.open(io.BytesIO(_pdf(default_out, which))) as pdf:
        catalog = pdf.Root
        assert catalog.MarkInfo.Marked is True and str(catalog.Lang) in ("en", "en-GB")
        assert catalog.ViewerPreferences.DisplayDocTitle is True
        xmp = catalog.Metadata.read_bytes().decode()
        assert "<pdfuaid:part>1</pdfuaid:part>" in xmp and f">{pdf.docinfo.Title}</rdf:li>" in xmp


@pytest.mark.parametrize("which", WHICH)
def test_the_structure_reads_in_the_documents_order(default_out: Path, which: str, tmp_path: Path) -> None:
    """The text of the structure tree, in tree order, holds every heading and paragraph in the order they were written."""
    path = tmp_path / "brief.pdf"
    path.write_bytes(_pdf(default_out, which))
    tree = subprocess.run(["pdfinfo", "-struct-text", str(path)], capture_output=True, text=True, check=True).stdout
    text = squash("".join(line.strip().strip('"') for line in tree.splitlines() if line.strip().startswith('"')))
    blocks = _document(default_out, which).blocks
    expected = [squash(plain_text(block.children))[:40] for block in blocks if isinstance(block, Heading | Paragraph)
                and plain_text(block.children).strip()]
    at = 0
    assert len(expected) > 10
    for piece in expected:
        found = text.find(piece, at)
        assert found >= 0, f"{piece!r} is missing or out of order in the structure"
        at = found + len(piece)


def _document(default_out: Path, which: str) -> Document:
    if which == KITCHEN_SINK:
        return kitchen_sink()
    from conftest import DEFAULT_DATA

    from briefs.compose import compose
    from briefs.pipeline import load_inputs
    from briefs.selection import select

    inputs = load_inputs([DEFAULT_DATA])
    profile = inputs.profiles[which]
    return compose(select(inputs.datasets[0][1], profile), inputs.renderer, template=profile.template)


def test_a_small_documents_structure_is_the_expected_tree(tmp_path: Path) -> None:
    """`pdfinfo -struct-text` of a small document, compared whole with its fixture."""
    import datetime as dt

    document = Document(DocMeta("Small", "S", "A", (), dt.date(2025, 1, 1), "Small · Testers"), (
        Paragraph((Text("Small"),), "title"),
        Heading(1, (Text("Section"),)),
        Paragraph((Text("A paragraph."),)),
        BulletList(((Text("one"),), (Text("two"),))),
        OrderedList(((Text("first"),),)),
        Table(((Text("Country"),), (Text("t"),)), (((Text("Japan"),), (Text("10"),)),), (False, True)),
        Figure("f", "Output", (("A", 1.0), ("B", 2.0)), "t", "Bar chart: A 1 t, B 2 t.", (Text("Figure 1. Output."),)),
    ))
    path = tmp_path / "small.pdf"
    with path.open("wb") as stream:
        get_writer("pdf")(document, stream, Style())
    tree = subprocess.run(["pdfinfo", "-struct-text", str(path)], capture_output=True, text=True, check=True).stdout
    fixture = ROOT / "tests" / "fixtures" / "tagged-small.txt"
    assert tree == fixture.read_text(encoding="utf-8"), tree


def test_tagging_keeps_the_pdf_byte_identical_run_to_run() -> None:
    first, second = io.BytesIO(), io.BytesIO()
    get_writer("pdf")(kitchen_sink(), first, Style())
    get_writer("pdf")(kitchen_sink(), second, Style())
    assert first.getvalue() == second.getvalue()


@pytest.mark.parametrize("which", WHICH)
def test_every_font_maps_its_glyphs_to_unicode(default_out: Path, which: str, tmp_path: Path) -> None:
    """So that screen readers, search and copy get the text (Japanese, Arabic, Hebrew and symbols included)."""
    path = tmp_path / "brief.pdf"
    path.write_bytes(_pdf(default_out, which))
    rows = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout.splitlines()[2:]
    assert rows and all(row.split()[-3] == "yes" for row in rows), rows  # the "uni" column
    assert all(row.split()[-5] == "yes" for row in rows), rows  # and every font embedded ("emb")


def test_right_to_left_text_reads_in_logical_order_from_the_structure(default_out: Path) -> None:
    """Glyphs are drawn in display order; the element's /ActualText gives a screen reader the words in reading order."""
    from kitchen_sink import SCRIPTS

    with pikepdf.open(io.BytesIO(_pdf(default_out, KITCHEN_SINK))) as pdf:
        texts = {str(element.ActualText) for element in _elements(pdf.Root.StructTreeRoot) if "/ActualText" in element}
        assert pdf.pdf_version == "1.7"
    assert SCRIPTS["arabic"] in texts and SCRIPTS["hebrew"] in texts
    assert not any(text.isascii() for text in texts)  # only elements holding right-to-left text carry one


def test_a_tables_caption_belongs_to_the_table_and_a_figures_is_read_beside_its_alt_text(default_out: Path) -> None:
    with pikepdf.open(default_out / "researcher.pdf") as pdf:
        elements = list(_elements(pdf.Root.StructTreeRoot))
        tables = [element for element in elements if element.S == "/Table"]
        assert tables and all(table.K[-1].S == "/Caption" for table in tables)
        figures = [element for element in elements if element.S == "/Figure"]
        assert figures and not any(isinstance(kid, pikepdf.Dictionary) and kid.get("/S") == "/Caption"
                                   for figure in figures for kid in figure.K)
