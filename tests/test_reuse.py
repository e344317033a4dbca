"""Briefs finished from one written before (a personalised batch): each is the file it would be if written alone."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import DEFAULT_DATA
from docx import Document as open_docx
from pypdf import PdfReader

from briefs.compose import compose
from briefs.doctree import Document
from briefs.pipeline import load_inputs
from briefs.selection import select
from briefs.writers import Style, forget_kept, get_writer
from briefs.writers.docx import kept as docx_kept
from briefs.writers.pdf import firstpage
from briefs.writers.reuse import varying_blocks
from briefs.writers.theme import Theme

NAMES = (
    "Al", "Bo Li", "Ann Lee", "José Álvarez", "Maximiliana Wolfeschlegelsteinhausen-Bergerdorff von Hohenzollern-Sigmaringen",
    "高市早苗", "山田", "김민준", "Ελένη Παπαδοπούλου", "Анна Каренина", "محمد", "דוד", "O'Brien & Sons <b>", "Zoë",
    "Dr. Jean-Baptiste Emmanuel Zorg", "李", "Ngũgĩ wa Thiong'o", "A B C D E F G H I J K L M N O P", "Ōtomo", "X",
)
"""Twenty recipients: short and long, Latin, CJK, Greek, Cyrillic, right to left, and markup."""


@pytest.fixture(scope="module")
def inputs():  # type: ignore[no-untyped-def]
    return load_inputs([DEFAULT_DATA])


@pytest.fixture
def alone() -> Iterator[None]:
    forget_kept()
    yield
    forget_kept()


def personalised(inputs, audience_index: int, name: str, organisation: str = "") -> Document:  # type: ignore[no-untyped-def]
    profile = list(inputs.profiles.values())[audience_index]
    brief = select(inputs.datasets[0][1], profile)
    return compose(brief, inputs.renderer, template=profile.template, recipient={"name": name, "organisation": organisation})


def written(fmt: str, document: Document, style: Style | None = None) -> bytes:
    buffer = io.BytesIO()
    get_writer(fmt)(document, buffer, style)
    return buffer.getvalue()


def written_alone(fmt: str, document: Document, style: Style | None = None) -> bytes:
    forget_kept()
    return written(fmt, document, style)


@pytest.fixture
def finishes(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    """Count the briefs each writer finished from a kept one (so a test cannot pass by never reusing anything)."""
    counts = {"docx": 0, "pdf": 0}

    def counting(fmt: str, original):  # type: ignore[no-untyped-def]
        def finish(*args, **kwargs):  # type: ignore[no-untyped-def]
            result = original(*args, **kwargs)
            counts[fmt] += result is not None
            return result
        return finish

    import briefs.writers.docx as docx_writer
    import briefs.writers.pdf as pdf_writer

    monkeypatch.setattr(docx_writer, "finish", counting("docx", docx_kept.finish))
    monkeypatch.setattr(pdf_writer, "finish", counting("pdf", firstpage.finish))
    return counts


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_twenty_recipients_briefs_written_in_turn_are_the_files_each_would_be_alone(inputs, fmt: str, alone: None,  # type: ignore[no-untyped-def]
                                                                                   finishes: dict[str, int]) -> None:
    documents = [personalised(inputs, index % 2, name, "" if index % 3 else f"Org {index}") for index, name in enumerate(NAMES)]
    in_turn = [written(fmt, document) for document in documents]
    assert len(set(in_turn)) == len(NAMES)
    for name, document, data in zip(NAMES, documents, in_turn, strict=True):
        assert data == written_alone(fmt, document), name
    assert finishes[fmt] >= {"docx": 15, "pdf": 2}[fmt], finishes  # finished from a kept brief, not written in full


LATIN = ("Ann Lee", "Bob Ray", "Cy Young", "Dee Snider", "Ed Kowalski", "Flo Rida", "Gus Grissom", "Hal Jordan", "Ivy Smith",
         "Jo March", "Kim Wexler", "Lou Reed")


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_a_batch_of_latin_names_is_finished_from_the_first_brief_and_matches_briefs_written_alone(  # type: ignore[no-untyped-def]
        inputs, fmt: str, alone: None, finishes: dict[str, int]) -> None:
    documents = [personalised(inputs, 3, name, f"Org {index}") for index, name in enumerate(LATIN)]
    in_turn = [written(fmt, document) for document in documents]
    assert finishes[fmt] == len(LATIN) - 1
    for name, document, data in zip(LATIN, documents, in_turn, strict=True):
        assert data == written_alone(fmt, document), name


def test_a_finished_pdf_prints_its_own_recipient_and_the_rest_of_the_brief(inputs, alone: None,  # type: ignore[no-untyped-def]
                                                                          finishes: dict[str, int]) -> None:
    first = written("pdf", personalised(inputs, 0, "Ann Lee", "Acme"))
    second = written("pdf", personalised(inputs, 0, "Bob Ray", "Acme"))
    assert finishes["pdf"] == 1
    old, new = PdfReader(io.BytesIO(first)), PdfReader(io.BytesIO(second))
    assert "Bob Ray" in new.pages[0].extract_text() and "Ann Lee" not in new.pages[0].extract_text()
    assert len(new.pages) == len(old.pages) > 1
    assert [page.extract_text() for page in new.pages[1:]] == [page.extract_text() for page in old.pages[1:]]


def test_a_finished_docx_names_its_own_recipient_and_leaves_the_kept_one_unchanged(inputs, alone: None,  # type: ignore[no-untyped-def]
                                                                                   finishes: dict[str, int]) -> None:
    ann = personalised(inputs, 1, "Ann Lee", "Acme")
    first = written("docx", ann)
    second = written("docx", personalised(inputs, 1, "Bob Ray", "Acme"))
    third = written("docx", personalised(inputs, 1, "Cy Young", "Acme"))
    assert finishes["docx"] == 2
    text = "\n".join(paragraph.text for paragraph in open_docx(io.BytesIO(second)).paragraphs)
    assert "Bob Ray" in text and "Ann Lee" not in text
    assert "Cy Young" in "\n".join(paragraph.text for paragraph in open_docx(io.BytesIO(third)).paragraphs)
    assert written_alone("docx", ann) == first


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_the_same_recipient_in_another_theme_or_page_size_is_not_finished_from_the_first(inputs, fmt: str, alone: None,  # type: ignore[no-untyped-def]
                                                                                        finishes: dict[str, int]) -> None:
    document = personalised(inputs, 2, "Ann Lee")
    written(fmt, document)
    for style in (Style(theme=Theme(heading_colour="#7a0000")), Style(page_size=(612.0, 792.0))):
        assert written(fmt, personalised(inputs, 2, "Bob Ray"), style) == written_alone(fmt, personalised(inputs, 2, "Bob Ray"), style)
        written(fmt, document)
    assert finishes[fmt] == 0


def test_briefs_in_other_languages_budgets_or_templates_do_not_share_a_file(inputs, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    investor = personalised(inputs, 0, "Ann Lee")
    assert varying_blocks(investor, personalised(inputs, 0, "Bob Ray")) == (2,)
    assert varying_blocks(investor, personalised(inputs, 1, "Ann Lee")) is None  # another audience: other properties
    from dataclasses import replace

    japanese = replace(investor, meta=replace(investor.meta, language="ja"))
    assert varying_blocks(investor, japanese) is None
    shorter = replace(investor, blocks=investor.blocks[:-3])  # a page budget cut items
    assert varying_blocks(investor, shorter) is None
    retitled = replace(investor, blocks=(investor.blocks[0], *investor.blocks[1:]))
    assert varying_blocks(investor, retitled) == ()
    headed = replace(investor, blocks=(*investor.blocks[:5], investor.blocks[6], investor.blocks[5], *investor.blocks[7:]))
    assert varying_blocks(investor, headed) is None  # another template's order: not plain paragraphs only


def test_a_finished_pdf_gives_the_warnings_it_would_give_alone(alone: None, finishes: dict[str, int]) -> None:
    import datetime as dt
    from dataclasses import replace

    from briefs.doctree import DocMeta, Paragraph, Text
    from briefs.writers.pdf import write as write_pdf

    meta = DocMeta("Rare earths", "Investors", "Desk", (), dt.date(2025, 3, 1), "Rare earths")
    meta = replace(meta, words=replace(meta.words, page="Page {page} \ue000 {pages}"))  # a character no font has, on every page

    def brief(name: str) -> Document:
        body = tuple(Paragraph((Text(f"Shared paragraph {index}: supply of heavy rare earths stays concentrated. " * 6),))
                     for index in range(40))
        return Document(meta, (Paragraph((Text(f"Prepared for {name}"),), role="meta"), *body))

    said = {}
    for name in ("Ann Lee", "Bob Ray"):
        said[name] = write_pdf(brief(name), io.BytesIO())
    assert finishes["pdf"] == 1
    forget_kept()
    assert said["Bob Ray"] == write_pdf(brief("Bob Ray"), io.BytesIO())
    assert said["Bob Ray"] == ["no font has U+E000 (private use) in the page footer: printed as U+FFFD"]


def test_a_docx_finish_that_fails_leaves_the_kept_brief_as_it_was(inputs, alone: None) -> None:  # type: ignore[no-untyped-def]
    from dataclasses import replace

    import briefs.writers.docx as docx_writer

    written("docx", personalised(inputs, 0, "Ann Lee", "Acme"))
    (kept,) = [entry for entries in docx_writer._KEPT._entries.values() for entry in entries]
    bob = personalised(inputs, 0, "Bob Ray", "Acme")
    varying = varying_blocks(kept.document, bob)
    assert varying

    def failing(block: object) -> None:
        kept.add_block(block)  # writes half of it, then fails
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        docx_kept.finish(replace(kept, add_block=failing), varying, bob)
    assert docx_kept.finish(kept, varying, bob) == written_alone("docx", bob)


def test_a_finished_pdf_draws_nothing_after_the_recipients_paragraph(inputs, alone: None, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    import briefs.writers.pdf as pdf_writer

    seen: list[tuple[int, int, bool]] = []

    def watching(kept, varying, structure, watch, canv):  # type: ignore[no-untyped-def]
        result = firstpage.finish(kept, varying, structure, watch, canv)
        seen.append((len(watch.placed), len(kept.page_one), result is not None))
        return result

    monkeypatch.setattr(pdf_writer, "finish", watching)
    written("pdf", personalised(inputs, 1, "Ann Lee", "Acme"))
    bob = personalised(inputs, 1, "Bob Ray", "Acme")
    data = written("pdf", bob)
    ((placed, on_first_page, finished),) = seen
    assert finished and placed <= 4 < on_first_page  # title, subtitle, the recipient's line: then it stopped
    assert data == written_alone("pdf", bob)
