"""Paragraph drawings kept across briefs: a brief drawn from earlier drawings is the same file as one drawn alone."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from dataclasses import replace

import pytest
from conftest import DEFAULT_DATA
from kitchen_sink import kitchen_sink
from pypdf import PdfReader

from briefs.compose import compose
from briefs.doctree import Citation, DocMeta, Document, Heading, Link, Paragraph, Strong, Text
from briefs.pipeline import load_inputs
from briefs.selection import select
from briefs.writers import pdf as pdf_writer
from briefs.writers.pdf import forget, redraw, write

SHARED = (Text("Heavy rare earths stay concentrated — magnet makers pay more "), Strong((Text("again"),)),
          Text(" this quarter ("), Link("https://example.org/prices", (Text("price index"),)), Text(") "),
          Citation((1,)), Text(", in € and ¥."))
"""A paragraph every test document shares: plain, bold, a link to an address and a citation (a link inside). Its
characters beyond ASCII take their codes in the order a document first uses them (ASCII keeps its own)."""


@pytest.fixture
def alone() -> Iterator[None]:
    forget()
    yield
    forget()


def drawn(document: Document) -> bytes:
    """Write `document` as a new file: the finished files kept for a batch are dropped, the drawings are not."""
    pdf_writer._KEPT.clear()
    buffer = io.BytesIO()
    write(document, buffer)
    return buffer.getvalue()


def drawn_alone(document: Document) -> bytes:
    forget()
    return drawn(document)


def document(lead: str, before: int = 0) -> Document:
    """A short document whose first paragraph is `lead`, then `before` filler paragraphs, then the shared one."""
    meta = DocMeta("Rare earths", "Investors", "Desk", (), dt.date(2025, 3, 1), "Rare earths")
    filler = tuple(Paragraph((Text(f"Filler paragraph {n} pushes the shared one down the page. " * 3),)) for n in range(before))
    return Document(meta, (
        Heading(1, (Text("Summary"),), anchor="summary"),
        Paragraph((Text(lead),)),
        *filler,
        Paragraph(SHARED),
        Heading(2, (Text("Sources"),), anchor="sources"),
        Paragraph((Text("1. Price reporting agency, 2025."),), anchor="src-1"),
    ))


def test_a_paragraph_drawn_again_is_replayed_and_the_file_is_the_same(alone: None) -> None:
    first = drawn(document("Zebras quickly vex jumping fowl."))
    replays = redraw.replays
    again = drawn(document("Zebras quickly vex jumping fowl."))
    assert redraw.replays - replays >= 4  # heading, lead, the shared paragraph, sources (the running header too)
    assert again == first == drawn_alone(document("Zebras quickly vex jumping fowl."))


def test_a_shared_paragraph_moved_down_the_page_keeps_its_links_where_it_is_drawn(alone: None) -> None:
    near, far = document("Lead.", before=0), document("Lead.", before=6)
    written = [drawn(near), drawn(far), drawn(near), drawn(far)]
    assert written[0] == written[2] == drawn_alone(near)
    assert written[1] == written[3] == drawn_alone(far)

    def link_tops(data: bytes) -> list[float]:
        annotations = PdfReader(io.BytesIO(data)).pages[0].get("/Annots") or []
        return [float(a.get_object()["/Rect"][3]) for a in annotations if "/URI" in a.get_object().get("/A", {})]

    assert link_tops(written[1])[0] < link_tops(written[0])[0]  # the link went down with its paragraph


def test_characters_met_in_another_order_draw_the_paragraph_anew(alone: None) -> None:
    """The lead gives the characters of the shared paragraph other codes: replaying its first drawing would print the
    wrong glyphs, so it is drawn again; both drawings are kept, and each brief then replays its own."""
    latin, other = document("Prices in ¥ and € — quoted weekly."), document("Ωμέγα: prices in € — and then ¥.")
    written = [drawn(latin), drawn(other)]
    kept = [drawings for key, drawings in redraw._KEPT.items() if key[0] is not None and len(drawings) > 1]
    assert kept, "the shared paragraph was drawn once per order of codes"
    replays = redraw.replays
    written += [drawn(latin), drawn(other)]
    assert redraw.replays > replays
    assert written[0] == written[2] == drawn_alone(latin)
    assert written[1] == written[3] == drawn_alone(other)
    assert "magnet makers pay more again" in PdfReader(io.BytesIO(written[3])).pages[0].extract_text()


def test_briefs_in_any_order_are_the_files_they_would_be_alone(alone: None) -> None:
    inputs = load_inputs([DEFAULT_DATA])
    dataset = inputs.datasets[0][1]
    documents = [compose(select(dataset, profile), inputs.renderer, template=profile.template)
                 for profile in inputs.profiles.values()][:2]
    documents += [kitchen_sink(), replace(documents[0], meta=replace(documents[0].meta, language="ja"))]
    expected = [drawn_alone(d) for d in documents]
    forget()
    replays = redraw.replays
    for index in (0, 1, 2, 3, 3, 2, 1, 0, 2, 0, 3, 1):
        assert drawn(documents[index]) == expected[index], index
    assert redraw.replays - replays > 300


def test_a_chart_drawn_again_is_replayed_and_the_file_is_the_same(alone: None, monkeypatch: pytest.MonkeyPatch) -> None:
    from reportlab.graphics import renderPDF  # type: ignore[import-untyped]

    rendered: list[object] = []
    render = renderPDF.draw

    def counted(drawing: object, *args: object, **kwargs: object) -> None:
        rendered.append(drawing)
        render(drawing, *args, **kwargs)

    monkeypatch.setattr(renderPDF, "draw", counted)
    sink = kitchen_sink()
    first = drawn(sink)
    assert len(rendered) == 1  # the kitchen sink's one chart
    again = drawn(sink)
    assert len(rendered) == 1, "the chart was replayed, not rendered again"
    assert again == first == drawn_alone(sink)
    assert len(rendered) == 2
