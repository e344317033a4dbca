"""Line breaks kept across briefs: a brief written after others is the same file as one written alone."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator

import pytest
from conftest import DEFAULT_DATA
from pypdf import PdfReader
from reportlab.platypus import Paragraph as RLParagraph  # type: ignore[import-untyped]

from briefs.compose import compose
from briefs.doctree import BulletList, DocMeta, Document, Heading, Paragraph, Strong, Text
from briefs.pipeline import load_inputs
from briefs.writers.pdf import forget, write

NAMES = (
    "Al", "Bo Li", "Ann Lee", "José Álvarez", "Maximiliana Wolfeschlegelsteinhausen-Bergerdorff", "高市早苗", "山田", "김민준",
    "Ελένη Παπαδοπούλου", "Анна Каренина", "محمد", "דוד", "O'Brien & Sons <b>", "Zoë", "Dr. Jean-Baptiste Emmanuel Zorg",
    "李", "Ngũgĩ wa Thiong'o", "A B C D E F G H I J K L M N O P", "Ōtomo", "X",
)
"""Twenty recipients: short and long, Latin, CJK, Greek, Cyrillic, right to left, and markup."""
SHARED = "Supply of heavy rare earths stays concentrated, and prices for magnet makers rose again this quarter. " * 4


@pytest.fixture
def alone() -> Iterator[None]:
    """Forget every paragraph, line break and file kept so far, before and after the test."""
    forget()
    yield
    forget()


def personal(name: str) -> Document:
    """Return a short brief whose lines for `name` wrap around it, among paragraphs every recipient shares."""
    meta = DocMeta("Rare earths", "Investors", "Desk", (), dt.date(2025, 3, 1), f"Rare earths · {name}")
    return Document(meta, (
        Heading(1, (Text("Summary"),), anchor="summary"),
        Paragraph((Text(f"Prepared for {name}, whose portfolio holds magnet makers and miners: "), Strong((Text(SHARED),)))),
        Paragraph((Text(SHARED),)),
        BulletList(((Text(SHARED),), (Text(f"Your contact: {name}"),))),
        Heading(2, (Text("Caveats"),), anchor="caveats"),
        Paragraph((Text(SHARED * 3),)),
    ))


def pdf(document: Document) -> bytes:
    buffer = io.BytesIO()
    write(document, buffer)
    return buffer.getvalue()


def built_alone(document: Document) -> bytes:
    forget()
    return pdf(document)


def test_every_recipients_brief_is_the_file_it_would_be_if_written_alone(alone: None) -> None:
    names = NAMES[::3]  # all twenty in the slow test below
    in_turn = [pdf(personal(name)) for name in names]
    for name, written in zip(names, in_turn, strict=True):
        assert written == built_alone(personal(name)), name


def test_a_longer_name_moves_the_line_breaks_of_its_paragraph_and_still_matches(alone: None) -> None:
    lines = {}
    for name in ("Al", "Maximiliana Wolfeschlegelsteinhausen-Bergerdorff", "Al"):
        written = pdf(personal(name))
        text = PdfReader(io.BytesIO(written)).pages[0].extract_text()
        lines[name] = next(line for line in text.splitlines() if "Prepared for" in line)
        assert written == built_alone(personal(name))
    assert lines["Al"] != lines["Maximiliana Wolfeschlegelsteinhausen-Bergerdorff"]


@pytest.fixture
def broken(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Collect the text of every paragraph whose lines reportlab breaks from now on."""
    texts: list[str] = []
    original = RLParagraph.breakLines

    def counting(self: RLParagraph, width: object) -> object:
        texts.append("".join(str(getattr(frag, "text", "")) for frag in self.frags))
        return original(self, width)

    monkeypatch.setattr(RLParagraph, "breakLines", counting)
    return texts


def test_a_brief_written_again_breaks_no_paragraph_anew(alone: None, broken: list[str]) -> None:
    first = pdf(personal("Ann Lee"))
    at_first = len(broken)
    assert pdf(personal("Ann Lee")) == first
    assert at_first > 5
    assert len(broken) == at_first


def test_only_the_recipients_own_paragraphs_are_broken_for_a_new_recipient(alone: None, broken: list[str]) -> None:
    pdf(personal("Ann Lee"))
    broken.clear()
    pdf(personal("Zoë"))
    assert broken
    assert all("Zoë" in text for text in broken)


@pytest.mark.slow
def test_a_personalised_batch_of_the_default_data_matches_briefs_written_alone(alone: None) -> None:
    inputs = load_inputs([DEFAULT_DATA])
    dataset = inputs.datasets[0][1]
    profiles = list(inputs.profiles.values())
    from briefs.selection import select

    briefs = {profile.id: (select(dataset, profile), profile.template) for profile in profiles}
    recipients = [(profiles[i % len(profiles)].id, {"name": name, "organisation": f"Org {i}"}) for i, name in enumerate(NAMES)]

    def document(audience: str, fields: dict[str, str]) -> Document:
        brief, template = briefs[audience]
        return compose(brief, inputs.renderer, template=template, recipient=fields)

    in_turn = [pdf(document(audience, fields)) for audience, fields in recipients]
    assert len(set(in_turn)) == len(NAMES)
    for (audience, fields), written in zip(recipients, in_turn, strict=True):
        assert written == built_alone(document(audience, fields)), fields["name"]


URL = "https://example.org/reports/" + "critical-minerals-framework-annex-" * 6 + "final.pdf"
"""An address far wider than a line: reportlab cuts it into pieces, as in a brief's source entries."""


def sources(lead: int) -> Document:
    """Return a brief whose source entries hold long addresses, after `lead` paragraphs that move them down the pages."""
    meta = DocMeta("Sources", "Investors", "Desk", (), dt.date(2025, 3, 1), "Sources")
    entries = tuple(Paragraph((Text(f"[{n}] Publisher {n}. "), Strong((Text("A report"),)), Text(f" {URL}{n}")), "source")
                    for n in range(1, 30))
    return Document(meta, (*(Paragraph((Text(SHARED),)) for _ in range(lead)), Heading(1, (Text("Sources"),)), *entries))


def test_cut_long_addresses_are_kept_and_match_briefs_written_alone(alone: None, broken: list[str]) -> None:
    leads = (0, 3, 7, 12, 3)  # the entries fall at other places on the pages, some split over a page break
    in_turn = [pdf(sources(lead)) for lead in leads]
    assert sum(URL in text for text in broken) == 29  # each entry broken once, then kept
    for lead, written in zip(leads, in_turn, strict=True):
        assert written == built_alone(sources(lead)), lead
    assert len(PdfReader(io.BytesIO(in_turn[3])).pages) >= 3
