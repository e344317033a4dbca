"""A trial writer, kept in the tests: Markdown from the document tree, to show that a format is one module and one row.

It writes headings, paragraphs, lists, tables, figures (as their alt text) and callouts; nothing
else of the program knows it exists.
"""

from __future__ import annotations

from typing import BinaryIO, assert_never

from briefs.doctree import (
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
from briefs.writers import Style


def write(document: Document, out: BinaryIO, style: Style | None = None) -> list[str]:
    """Write `document` as Markdown (UTF-8); a Markdown file has no page, so `style` is ignored."""
    out.write("\n\n".join(_block(block) for block in document.blocks).encode("utf-8") + b"\n")
    return []


def _block(block: Block) -> str:
    match block:
        case Heading():
            return "#" * block.level + " " + _inlines(block.children)
        case Paragraph(role="title"):
            return "# " + _inlines(block.children)
        case Paragraph():
            return _inlines(block.children)
        case BulletList():
            return "\n".join(f"- {_inlines(item)}" for item in block.items)
        case OrderedList():
            return "\n".join(f"{number}. {_inlines(item)}" for number, item in enumerate(block.items, 1))
        case Table():
            rows = [block.header, *block.rows]
            lines = ["| " + " | ".join(_inlines(cell) for cell in row) + " |" for row in rows]
            return "\n".join([lines[0], "|" + " --- |" * len(block.header), *lines[1:]])
        case Figure():
            return f"*{block.title}*: {block.alt}\n\n{_inlines(block.caption)}"
        case Callout():
            return "\n>\n".join("> " + _inlines(paragraph.children) for paragraph in block.children)
        case _:
            assert_never(block)


def _inlines(inlines: tuple[Inline, ...]) -> str:
    return "".join(_inline(inline) for inline in inlines)


def _inline(inline: Inline) -> str:
    match inline:
        case Text():
            return _escaped(inline.text)
        case Strong():
            return f"**{_inlines(inline.children)}**"
        case Emphasis():
            return f"*{_inlines(inline.children)}*"
        case Link():
            return f"[{_inlines(inline.children)}](<{inline.href}>)"
        case Citation():
            return "[" + ",".join(str(number) for number in inline.numbers) + "]"
        case Label():
            return f"**{_escaped(inline.text)}**"
        case _:
            assert_never(inline)


def _escaped(text: str) -> str:
    """Return data text that Markdown prints as written (its markup characters escaped)."""
    return "".join("\\" + char if char in "\\`*_[]<>#|" else char for char in text)
