"""Speaker notes: each slide's citations as the full source entries, and why each claim on it is labelled.

The deck's slides show [1, 2]; the presenter's notes say what 1 and 2 are. The reasons come from
the document itself: a list item that gives a claim in bold, then its citation, then the reason
(the brief's "Claims not confirmed" and "Where sources disagree" items); a slide that shows the
claim elsewhere gets the reason in its notes.
"""

from __future__ import annotations

from collections.abc import Iterator

from ...doctree import BulletList, Citation, Document, Emphasis, Inline, Label, Link, OrderedList, Paragraph, Strong, Text, plain_text
from .plan import Cover, SlidePlan

__all__ = ["Notes"]


class Notes:
    """The sources and reasons of one document, and the notes of each of its slides."""

    sources: dict[int, str]
    """Source number -> its entry as the brief prints it ("[3] The White House. ...")."""

    def __init__(self, document: Document) -> None:
        self.sources = {int(b.anchor[4:]): _squash(plain_text(b.children)) for b in document.blocks
                        if isinstance(b, Paragraph) and b.anchor and b.anchor.startswith("src-") and b.anchor[4:].isdigit()}
        self.reasons = dict(_reasons(document))

    def for_cover(self, cover: Cover) -> str:
        return self._text([line.children for line in cover.lines])

    def for_slide(self, slide: SlidePlan) -> str:
        runs = [para.inlines for para in slide.paragraphs] + [slide.caption]
        if slide.table is not None:
            runs += [cell for row in (slide.table.header, *slide.table.rows) for cell in row]
        if slide.figure is not None:
            runs += [(Text(slide.figure.alt),), slide.figure.caption]
        return self._text(runs, slide.figure.alt if slide.figure else "")

    def _text(self, runs: list[tuple[Inline, ...]], lead: str = "") -> str:
        numbers = sorted({n for inlines in runs for n in _citations(inlines)})
        texts = [_squash(plain_text(inlines)) for inlines in runs]
        reasons = [f"Why labelled: {claim} {reason}" for claim, reason in self.reasons.items()
                   if any(claim in text for text in texts)]
        lines = [lead] if lead else []
        lines += reasons
        if numbers:
            lines += ["Sources cited on this slide:", *(self.sources[n] for n in numbers if n in self.sources)]
        return "\n".join(lines)


def _citations(inlines: tuple[Inline, ...]) -> Iterator[int]:
    for node in inlines:
        match node:
            case Citation(numbers=numbers):
                yield from numbers
            case Strong(children=children) | Emphasis(children=children) | Link(children=children):
                yield from _citations(children)
            case Text() | Label():
                pass


def _reasons(document: Document) -> Iterator[tuple[str, str]]:
    """Yield (claim, reason) from list items shaped [label] **claim** [n] reason."""
    for block in document.blocks:
        if isinstance(block, BulletList | OrderedList):
            for item in block.items:
                nodes = [node for node in item if not (isinstance(node, Text) and not node.text.strip())]
                strong = next((i for i, node in enumerate(nodes) if isinstance(node, Strong)), None)
                cited = next((i for i, node in enumerate(nodes) if isinstance(node, Citation)), None)
                if strong is not None and cited is not None and strong < cited and any(isinstance(n, Label) for n in nodes[:strong]):
                    reason = _squash(plain_text(tuple(nodes[cited + 1:])))
                    if reason:
                        yield _squash(plain_text((nodes[strong],))).rstrip("."), reason


def _squash(text: str) -> str:
    return " ".join(text.split())
