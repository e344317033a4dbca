"""Parse the layout markup a template writes into the closed document tree.

The vocabulary (templates/README.md lists it for template authors):

    blocks   h1-h3 [id]   p [class, id]   ul/ol > li [class=changed]   table > tr > th|td [class=num]
             figure [data-figure] > figcaption   aside [class] > p
    inlines  strong  em  a [href]  cite (citation numbers, "1,3")  span [class="label <kind>"]

Parsing is strict: a tag or attribute outside the vocabulary, or markup that is not well formed,
is an error. Whitespace is collapsed as HTML does. Parsing is pure: figures' data comes in as a
mapping, and nothing is read from disk.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol, cast

from lxml import etree as ET

from .doctree import (
    PARAGRAPH_ROLES,
    Block,
    BulletList,
    Callout,
    CalloutRole,
    Citation,
    Emphasis,
    Figure,
    Heading,
    Inline,
    Label,
    Link,
    OrderedList,
    Paragraph,
    ParagraphRole,
    Strong,
    Table,
    Text,
)
from .models import LABEL_KINDS

__all__ = ["FigureData", "MarkupError", "parse_blocks"]

_SPACE = re.compile(r"\s+")
_SAFE_HREF = re.compile(r"^(https?://|mailto:|#)[^\s<>\"]+$")
_CALLOUT_ROLES = ("note", "caveat", "disclaimer")


class FigureData(Protocol):
    """What the parser needs to know of a figure."""

    @property
    def id(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def points(self) -> tuple[tuple[str, float], ...]: ...
    @property
    def unit(self) -> str | None: ...
    @property
    def alt(self) -> str: ...


class MarkupError(Exception):
    """Markup outside the vocabulary; `line` is the line of the rendered markup."""

    def __init__(self, message: str, line: int | None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


def parse_blocks(markup: str, figures: Mapping[str, FigureData], cited_as: Mapping[int, str] | None = None) -> tuple[Block, ...]:
    """Return the blocks of rendered `markup`; raise MarkupError for anything outside the vocabulary.

    `cited_as` gives the author-date label of each citation number (a citation style's); numbers without one print as numbers.
    """
    try:
        root = ET.fromstring(f"<brief>\n{markup}\n</brief>", _XML)
    except ET.XMLSyntaxError as exc:
        line = exc.lineno or 2
        raise MarkupError(f"markup is not well formed ({exc.msg.split(',')[0]})", max(1, line - 1)) from None
    if (root.text or "").strip():
        raise MarkupError(f"text outside any block: {root.text.strip()[:40]!r}", None)
    return tuple(_Parser(figures, cited_as or {}).blocks(root))


_XML = ET.XMLParser(resolve_entities=False, no_network=True, remove_comments=True, remove_pis=True, huge_tree=False)


def _line(element: ET._Element) -> int | None:
    """Return the element's line in the rendered markup (the wrapper adds one line)."""
    return max(1, element.sourceline - 1) if element.sourceline else None


@dataclass
class _Parser:
    figures: Mapping[str, FigureData]
    cited_as: Mapping[int, str]

    def blocks(self, parent: ET._Element) -> list[Block]:
        blocks: list[Block] = []
        for element in parent:
            blocks.append(self.block(element))
            if (element.tail or "").strip():
                raise MarkupError(f"text outside any block after <{element.tag}>: {element.tail.strip()[:40]!r}", _line(element))
        return blocks

    def block(self, element: ET._Element) -> Block:
        tag = element.tag
        if tag in ("h1", "h2", "h3"):
            _attributes(element, "id")
            return Heading(int(tag[1]), self.inlines(element), element.get("id"))
        if tag == "p":
            return self.paragraph(element)
        if tag in ("ul", "ol"):
            _attributes(element)
            elements = _children(element, "li")
            changed = tuple(index for index, item in enumerate(elements) if _changed(item))
            items = tuple(self.inlines(item) for item in elements)
            return BulletList(items, changed) if tag == "ul" else OrderedList(items, changed)
        if tag == "table":
            return self.table(element)
        if tag == "figure":
            return self.figure(element)
        if tag == "aside":
            _attributes(element, "class")
            role = element.get("class", "note")
            if role not in _CALLOUT_ROLES:
                raise MarkupError(f"<aside class={role!r}>: class must be one of {', '.join(_CALLOUT_ROLES)}", _line(element))
            paragraphs = tuple(self.paragraph(p) for p in _children(element, "p"))
            return Callout(paragraphs, cast(CalloutRole, role))
        raise MarkupError(f"<{tag}> is not a block in the layout vocabulary", _line(element))

    def paragraph(self, element: ET._Element) -> Paragraph:
        if element.tag != "p":
            raise MarkupError(f"<{element.tag}> where a <p> was expected", _line(element))
        _attributes(element, "class", "id")
        role = element.get("class", "body")
        if role not in PARAGRAPH_ROLES:
            raise MarkupError(f"<p class={role!r}>: class must be one of {', '.join(PARAGRAPH_ROLES)}", _line(element))
        return Paragraph(self.inlines(element), cast(ParagraphRole, role), element.get("id"))

    def table(self, element: ET._Element) -> Table:
        _attributes(element)
        header: tuple[tuple[Inline, ...], ...] = ()
        rows: list[tuple[tuple[Inline, ...], ...]] = []
        numeric: list[bool] = []
        for row in _children(element, "tr"):
            _attributes(row)
            cells = list(row)
            kinds = {cell.tag for cell in cells}
            if not cells or not kinds <= {"th", "td"} or len(kinds) != 1:
                raise MarkupError("a table row holds either <th> or <td> cells, at least one", _line(element))
            for cell in cells:
                _attributes(cell, "class")
                if cell.get("class") not in (None, "num"):
                    raise MarkupError(f"<{cell.tag} class={cell.get('class')!r}>: the only class is 'num'", _line(element))
            content = tuple(self.inlines(cell) for cell in cells)
            if kinds == {"th"}:
                if header or rows:
                    raise MarkupError("a table has one header row, first", _line(element))
                header = content
                numeric = [cell.get("class") == "num" for cell in cells]
            else:
                rows.append(content)
        width = len(header) if header else (len(rows[0]) if rows else 0)
        if any(len(row) != width for row in rows):
            raise MarkupError("every table row needs the same number of cells", _line(element))
        return Table(header, tuple(rows), tuple(numeric) if numeric else (False,) * width)

    def figure(self, element: ET._Element) -> Figure:
        _attributes(element, "data-figure")
        figure_id = element.get("data-figure", "")
        data = self.figures.get(figure_id)
        if data is None:
            raise MarkupError(f"<figure data-figure={figure_id!r}>: no figure with that id in this brief", _line(element))
        captions = _children(element, "figcaption")
        if len(captions) > 1:
            raise MarkupError("a figure has at most one <figcaption>", _line(element))
        caption = self.inlines(captions[0]) if captions else (Text(data.title),)
        return Figure(data.id, data.title, data.points, data.unit, data.alt, caption)

    def inlines(self, element: ET._Element) -> tuple[Inline, ...]:
        """Return the inline content of `element`, whitespace collapsed and trimmed at the ends."""
        nodes = self._inlines(element)
        return _trim(nodes)

    def _inlines(self, element: ET._Element) -> list[Inline]:
        nodes: list[Inline] = []
        if element.text:
            nodes.append(Text(_SPACE.sub(" ", element.text)))
        for child in element:
            nodes.append(self.inline(child))
            if child.tail:
                nodes.append(Text(_SPACE.sub(" ", child.tail)))
        return [n for n in nodes if not (isinstance(n, Text) and n.text == "")]

    def inline(self, element: ET._Element) -> Inline:
        tag = element.tag
        if tag == "strong":
            _attributes(element)
            return Strong(tuple(self._inlines(element)))
        if tag == "em":
            _attributes(element)
            return Emphasis(tuple(self._inlines(element)))
        if tag == "a":
            _attributes(element, "href")
            href = element.get("href", "")
            if not _SAFE_HREF.match(href):
                raise MarkupError(f"<a href={href[:60]!r}>: links must be http(s), mailto or #anchor", _line(element))
            return Link(href, tuple(self._inlines(element)))
        if tag == "cite":
            _attributes(element)
            numbers = _numbers(_text_only(element))
            labels = tuple(self.cited_as.get(number, "") for number in numbers)
            return Citation(numbers, labels if all(labels) else ())
        if tag == "span":
            _attributes(element, "class")
            classes = element.get("class", "").split()
            if not classes or classes[0] != "label" or len(classes) > 2 or (len(classes) == 2 and classes[1] not in LABEL_KINDS):
                kinds = ", ".join(LABEL_KINDS)
                raise MarkupError(f"<span class={element.get('class')!r}>: use class=\"label <kind>\", kind one of {kinds}", _line(element))
            return Label(_SPACE.sub(" ", _text_only(element)).strip(), classes[1] if len(classes) == 2 else "note")
        raise MarkupError(f"<{tag}> is not an inline in the layout vocabulary", _line(element))


def _trim(nodes: list[Inline]) -> tuple[Inline, ...]:
    if nodes and isinstance(nodes[0], Text):
        nodes[0] = Text(nodes[0].text.lstrip())
    if nodes and isinstance(nodes[-1], Text):
        nodes[-1] = Text(nodes[-1].text.rstrip())
    return tuple(n for n in nodes if not (isinstance(n, Text) and n.text == ""))


def _changed(item: ET._Element) -> bool:
    """Return whether an <li> is marked changed; refuse any other attribute or class."""
    _attributes(item, "class")
    value = item.get("class")
    if value not in (None, "changed"):
        raise MarkupError(f'<li class="{value}">: the only class of <li> is "changed"', _line(item))
    return bool(value == "changed")


def _children(element: ET._Element, tag: str) -> list[ET._Element]:
    children = list(element)
    for child in children:
        if child.tag != tag:
            raise MarkupError(f"<{element.tag}> may hold only <{tag}>, found <{child.tag}>", _line(element))
    if (element.text or "").strip() or any((c.tail or "").strip() for c in children):
        raise MarkupError(f"text directly inside <{element.tag}>; put it in a <{tag}>", _line(element))
    return children


def _attributes(element: ET._Element, *allowed: str) -> None:
    for name in element.attrib:
        if name not in allowed:
            raise MarkupError(f"<{element.tag} {name}=...>: attribute {name!r} is not allowed here", _line(element))


def _text_only(element: ET._Element) -> str:
    if len(element):
        raise MarkupError(f"<{element.tag}> holds text only", _line(element))
    return element.text or ""


def _numbers(text: str) -> tuple[int, ...]:
    parts = [p.strip() for p in text.split(",") if p.strip()]
    if not parts or not all(p.isdigit() for p in parts):
        raise MarkupError(f"<cite> holds citation numbers like 1,3; found {text!r}", None)
    return tuple(int(p) for p in parts)
