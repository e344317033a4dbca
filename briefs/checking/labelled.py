"""Read the laid-out briefs as a reader will: a claim not confirmed never prints without its label.

The built-in template prints a label beside every labelled claim and "SOURCES DISAGREE" beside
every value sources dispute; a template of one's own may forget to. So `check` reads each
document, and wherever a paragraph, list item or table row prints the text of a labelled fact,
takeaway or FAQ answer, that same paragraph, item or row must hold a label of its kind (the
label's class, so a translated label still counts), and a disputed value a `disputed` label.
Missing either is an error: a brief would state as fact what its sources do not establish.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import assert_never

from ..brief import Brief
from ..doctree import (
    Block,
    BulletList,
    Callout,
    Citation,
    Document,
    Emphasis,
    Figure,
    Heading,
    Inline,
    Label,
    Link,
    OrderedList,
    Paragraph,
    Strong,
    Table,
    Text,
)
from ..rendering import DEFAULT_TEMPLATE, Renderer
from .findings import Finding

__all__ = ["MATCHED_CHARS", "label_findings"]

MATCHED_CHARS = 60
"""A claim is found in a paragraph by its first this many characters (a template may add to its end)."""

Unit = tuple[str, frozenset[str]]
"""The text of one paragraph, list item or table row, and the kinds of the labels in it."""


def label_findings(renderer: Renderer, documents: Mapping[tuple[Path, str], Document], briefs: Mapping[tuple[Path, str], Brief],
                   templates: Mapping[str, str | None]) -> Iterator[Finding]:
    """Yield an error for each labelled claim a document prints without its label (once per template and claim)."""
    seen: set[tuple[str, str]] = set()
    for key, document in documents.items():
        brief = briefs.get(key)
        if brief is None:
            continue
        name = templates.get(key[1]) or DEFAULT_TEMPLATE
        units = list(_units(document.blocks))
        for text, kind, what in _claims(brief):
            probe = " ".join(text.split())[:MATCHED_CHARS]
            bare = [unit for unit in units if probe in unit[0] and kind not in unit[1]]
            if bare and (name, f"{kind}:{probe}") not in seen:
                seen.add((name, f"{kind}:{probe}"))
                yield Finding(str(renderer.source_path(name)), None, "error", "unlabelled-claim",
                              f"the {brief.audience_id} brief prints {what} “{probe}” without its {kind} label",
                              "print the item's label beside it (the built-in template's `label(item)` and `disputes(item)` macros)")


def _claims(brief: Brief) -> Iterator[tuple[str, str, str]]:
    """Yield (text as printed, the label kind it needs, what it is) for every claim a reader must see labelled."""
    for fact in (*brief.facts, *brief.claims):
        if fact.label:
            yield fact.text, fact.label.lower(), "the claim"
        if fact.disputes:
            yield fact.text, "disputed", "the disputed value in"
    for takeaway in brief.takeaways:
        if takeaway.label:
            yield takeaway.text, takeaway.label.lower(), "the takeaway"
        if takeaway.disputes:
            yield takeaway.text, "disputed", "the disputed value in"
    for faq in brief.faqs:
        if faq.label:
            yield faq.answer, faq.label.lower(), "the answer"
        if faq.disputes:
            yield faq.answer, "disputed", "the disputed value in"


def _units(blocks: Sequence[Block]) -> Iterator[Unit]:
    for block in blocks:
        match block:
            case Paragraph(children=children) | Heading(children=children):
                yield _unit(children)
            case BulletList(items=items) | OrderedList(items=items):
                yield from (_unit(item) for item in items)
            case Table(header=header, rows=rows):
                for row in (header, *rows):
                    yield _unit(tuple(inline for cell in row for inline in (*cell, Text(" "))))
            case Callout(children=children):
                yield from _units(children)
            case Figure(caption=caption):
                yield _unit(caption)
            case _:
                assert_never(block)


def _unit(inlines: Sequence[Inline]) -> Unit:
    words: list[str] = []
    kinds: set[str] = set()
    _walk(inlines, words, kinds)
    return " ".join("".join(words).split()), frozenset(kinds)


def _walk(inlines: Sequence[Inline], words: list[str], kinds: set[str]) -> None:
    for inline in inlines:
        match inline:
            case Text(text=text):
                words.append(text)
            case Strong(children=children) | Emphasis(children=children) | Link(children=children):
                _walk(children, words, kinds)
            case Label(text=text, kind=kind):
                words.append(text)
                kinds.add(kind)
            case Citation():
                pass
            case _:
                assert_never(inline)
