"""Write a document tree as one self-contained HTML5 page: semantic, accessible, printable.

    warnings = write(document, stream)                 # built-in theme
    warnings = write(document, stream, Style(theme=theme, logo=logo))

The page loads nothing: the stylesheet (`css`, made from the theme) is inline, the chart (`svg`)
is inline SVG, the logo a data: URI, and there is no script. Every string from the document is
escaped, links are only http(s), mailto or anchors that exist, and the bytes are the same for the
same input (ids come from the document, not from counters shared between documents).
"""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass, field
from functools import lru_cache
from html import escape
from pathlib import Path
from typing import BinaryIO, assert_never
from urllib.parse import quote

from ...doctree import (
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
    plain_text,
)
from ...languages import right_to_left
from .. import Logo, Style, page_points
from ..theme import Theme
from .css import label_class, stylesheet
from .svg import bar_chart

__all__ = ["write"]

_SAFE_HREF = re.compile(r"^(https?://|mailto:)[^\s<>\"]+$", re.IGNORECASE)
_URL_SAFE = ":/?#[]@!$&'()*+,;=%~-._"
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
"""Characters HTML forbids in text; dropped rather than passed on as parse errors."""
_HEADER_ROLES = frozenset({"title", "subtitle", "meta"})
_IMAGE_TYPES = ((b"\x89PNG", "image/png"), (b"\xff\xd8", "image/jpeg"), (b"GIF8", "image/gif"))


def write(document: Document, out: BinaryIO, style: Style | None = None) -> list[str]:
    """Write `document` as a UTF-8 HTML page to the binary stream `out`; return warnings (nothing is printed)."""
    style = style or Style()
    theme = style.theme or Theme()
    page = _Page(theme, _anchors(document.blocks))
    out.write(page.render(document, style).encode("utf-8", "replace"))
    return page.warnings


def _t(text: str) -> str:
    """Escape text for content and quoted attributes alike."""
    return escape(_CONTROL.sub("", text), quote=True)


def _valid_id(anchor: str | None) -> str | None:
    return anchor if anchor and not any(c.isspace() for c in anchor) else None


def _anchors(blocks: tuple[Block, ...]) -> frozenset[str]:
    """Return every anchor the document places, so links and citations point only at ids that exist."""
    found: set[str] = set()
    for block in blocks:
        match block:
            case Heading(anchor=anchor) | Paragraph(anchor=anchor) if _valid_id(anchor):
                found.add(str(anchor))
            case Callout(children=children):
                found |= _anchors(children)
    return frozenset(found)


def _slug(text: str) -> str:
    return re.sub(r"[^\w]+", "-", text.lower()).strip("-")[:60].strip("-") or "section"


@dataclass
class _Page:
    """Render one document; ids are handed out in document order, so they are stable."""

    theme: Theme
    anchors: frozenset[str]
    warnings: list[str] = field(default_factory=list)
    _ids: set[str] = field(default_factory=set)
    _level: int = 0
    _has_h1: bool = False

    def render(self, document: Document, style: Style) -> str:
        """Return the page: the leading title, subtitle and meta paragraphs (and the logo) in `<header>`, the rest in `<main>`."""
        meta = document.meta
        blocks = document.blocks
        split = next((i for i, block in enumerate(blocks) if not (isinstance(block, Paragraph) and block.role in _HEADER_ROLES)),
                     len(blocks))
        header = [self.block(block) for block in blocks[:split]]
        if not self._has_h1:  # a page needs one h1: the title, for readers who navigate by headings
            header.insert(0, f'<h1 class="visually-hidden" id="{self._unique("title")}">{_t(meta.title)}</h1>')
        main = self.blocks(blocks[split:])
        logo = _logo(style.logo or self.theme.logo, self.warnings)
        language = meta.language or "en"
        direction = ' dir="rtl"' if right_to_left(language) else ""
        css = stylesheet(self.theme, page_points(style, meta.page_size), meta.header, meta.words.page)
        head = [
            '<meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f"<title>{_t(meta.title)}</title>",
            f'<meta name="description" content="{_t(meta.subject)}">',
            f'<meta name="author" content="{_t(meta.author)}">',
            f'<meta name="keywords" content="{_t(", ".join(meta.keywords))}">',
            f'<meta name="dcterms.date" content="{meta.date.isoformat()}">',
            '<meta name="generator" content="briefs">',
            f"<style>\n{css}</style>",
        ]
        return "\n".join([
            "<!DOCTYPE html>",
            f'<html lang="{_t(language)}"{direction}>',
            "<head>", *head, "</head>",
            "<body>",
            "<header>", *logo, *header, "</header>",
            "<main>", *main, "</main>",
            "</body>",
            "</html>",
            "",
        ])

    def _unique(self, base: str, own: str | None = None) -> str:
        """Return an id not yet used and not an anchor placed elsewhere (`own` is this element's anchor)."""
        if own is not None and own not in self._ids:
            self._ids.add(own)
            return own
        candidate, n = base, 1
        while candidate in self._ids or candidate in self.anchors:
            n += 1
            candidate = f"{base}-{n}"
        self._ids.add(candidate)
        return candidate

    def _anchor_id(self, anchor: str | None) -> str:
        """Return ` id="..."` for a paragraph's anchor the first time it is placed, else nothing."""
        anchor = _valid_id(anchor)
        if anchor is None or anchor in self._ids:
            return ""
        self._ids.add(anchor)
        return f' id="{_t(anchor)}"'

    def blocks(self, blocks: tuple[Block, ...]) -> list[str]:
        """Return the HTML of a run of blocks; a caption right after a table becomes that table's `<caption>`."""
        html: list[str] = []
        index = 0
        while index < len(blocks):
            block = blocks[index]
            following = blocks[index + 1] if index + 1 < len(blocks) else None
            if isinstance(block, Table) and isinstance(following, Paragraph) and following.role == "caption":
                html.append(self._table(block, following))
                index += 2
                continue
            html.append(self.block(block))
            index += 1
        return html

    def block(self, block: Block) -> str:
        """Return the HTML of one block."""
        match block:
            case Heading(level=level, children=children, anchor=anchor):
                # Levels 1-3 become h2-h4 under the title's h1, never skipping one (as the PDF outline).
                self._level = min(max(level, 1), 3, self._level + 1)
                identifier = self._unique(_slug(plain_text(children)), _valid_id(anchor))
                tag = f"h{self._level + 1}"
                return f'<{tag} id="{_t(identifier)}">{self.inlines(children)}</{tag}>'
            case Paragraph(role="title", children=children, anchor=anchor) if not self._has_h1:
                self._has_h1 = True
                identifier = self._unique("title", _valid_id(anchor))
                return f'<h1 class="title" id="{_t(identifier)}">{self.inlines(children)}</h1>'
            case Paragraph(role="question", children=children, anchor=anchor):
                # A question of the FAQ is a heading under its section's, as in the DOCX and the tagged PDF.
                level = min(self._level + 1, 3) + 1
                identifier = self._unique(_slug(plain_text(children)), _valid_id(anchor))
                return f'<h{level} class="question" id="{_t(identifier)}">{self.inlines(children)}</h{level}>'
            case Paragraph():
                return self.paragraph(block)
            case BulletList(items=items, changed=changed):
                return self._list("ul", items, changed)
            case OrderedList(items=items, changed=changed):
                return self._list("ol", items, changed)
            case Table():
                return self._table(block)
            case Figure():
                return self._figure(block)
            case Callout(children=children, role=role):
                inner = "".join(self.paragraph(child) for child in children)
                return f'<aside class="callout callout-{role}">{inner}</aside>'
            case _:
                assert_never(block)

    def paragraph(self, paragraph: Paragraph) -> str:
        """Return a `<p>` with its role as its class (none for body text) and its anchor as its id."""
        role = "" if paragraph.role == "body" else f' class="{paragraph.role}"'
        return f"<p{role}{self._anchor_id(paragraph.anchor)}>{self.inlines(paragraph.children)}</p>"

    def inlines(self, nodes: tuple[Inline, ...]) -> str:
        """Return the HTML of a run of inlines."""
        return "".join(self.inline(node) for node in nodes)

    def inline(self, node: Inline) -> str:
        """Return the HTML of one inline; only `Link` and `Citation` make links, and only to safe targets."""
        match node:
            case Text(text=text, language=language) if language:
                return f'<span lang="{_t(language)}">{_t(text)}</span>'
            case Text(text=text):
                return _t(text)
            case Strong(children=children):
                return f"<strong>{self.inlines(children)}</strong>"
            case Emphasis(children=children):
                return f"<em>{self.inlines(children)}</em>"
            case Link(href=href, children=children):
                return self._link(href, self.inlines(children))
            case Citation(numbers=numbers, labels=labels) if labels:
                return "(" + "; ".join(self._citation(number, _t(label)) for number, label in zip(numbers, labels, strict=True)) + ")"
            case Citation(numbers=numbers):
                return "[" + ", ".join(self._citation(number) for number in numbers) + "]"
            case Label(text=text, kind=kind):
                return f'<strong class="label {label_class(kind)}">{_t(text)}</strong>'
            case _:
                assert_never(node)

    def _link(self, href: str, inner: str) -> str:
        if href.startswith("#"):
            return f'<a href="{_t(href)}">{inner}</a>' if href[1:] in self.anchors else inner
        if not _SAFE_HREF.match(href):
            self.warnings.append(f"link to {href!r} printed as plain text: only http, https and mailto")
            return inner
        return f'<a href="{_t(quote(href, safe=_URL_SAFE))}">{inner}</a>'

    def _citation(self, number: int, shown: str | None = None) -> str:
        anchor = f"src-{number}"
        if anchor not in self.anchors:
            return shown or str(number)
        if shown:
            return f'<a href="#{anchor}">{shown}</a>'
        # "Source 3" in a screen reader's list of links, where the number alone says nothing (as the PDF's /Contents)
        return f'<a href="#{anchor}" aria-label="Source {number}">{number}</a>'

    def _list(self, tag: str, items: tuple[tuple[Inline, ...], ...], changed: tuple[int, ...]) -> str:
        if not items:
            return ""
        marks = {index: ' class="changed"' for index in changed}  # a change bar, as in the PDF
        rows = "".join(f"<li{marks.get(index, '')}>{self.inlines(item)}</li>" for index, item in enumerate(items))
        return f"<{tag}>{rows}</{tag}>"

    def _table(self, table: Table, caption: Paragraph | None = None) -> str:
        columns = max((len(row) for row in (table.header, *table.rows)), default=0)
        if columns == 0:
            return ""
        numeric = table.numeric[:columns] + (False,) * (columns - len(table.numeric))

        def cells(row: tuple[tuple[Inline, ...], ...], header: bool) -> str:
            padded = row + ((),) * (columns - len(row))
            html = []
            for index, cell in enumerate(padded):
                tag, scope = ("th", "col") if header else (("th", "row") if index == 0 else ("td", ""))
                attributes = (f' scope="{scope}"' if scope else "") + (' class="num"' if numeric[index] else "")
                html.append(f"<{tag}{attributes}>{self.inlines(cell)}</{tag}>")
            return "<tr>" + "".join(html) + "</tr>"

        head = f"<thead>{cells(table.header, True)}</thead>" if table.header else ""
        body = "".join(cells(row, False) for row in table.rows)
        title = (f'<caption class="caption"{self._anchor_id(caption.anchor)}>{self.inlines(caption.children)}</caption>'
                 if caption is not None else "")  # tied to its table for screen readers; shown below it
        return f"<table>{title}{head}<tbody>{body}</tbody></table>"

    def _figure(self, figure: Figure) -> str:
        caption = f"<figcaption>{self.inlines(figure.caption)}</figcaption>"
        if not figure.points:
            return f"<figure>{caption}</figure>"
        title_id = self._unique(f"figure-{_slug(figure.id)}-title")
        return f"<figure>{bar_chart(figure, self.theme, title_id)}{caption}</figure>"


def _logo(logo: Logo | None, warnings: list[str]) -> list[str]:
    """Return the logo as a decorative `<img>` holding the image itself (a data: URI), at its width and place."""
    if logo is None:
        return []
    try:
        stat = logo.image.stat()
        uri = _data_uri(logo.image, stat.st_mtime_ns, stat.st_size)
    except (OSError, ValueError) as exc:
        warnings.append(f"logo {logo.image} left out: {exc}")
        return []
    return [f'<div class="logo logo-{logo.place}"><img alt="" src="{uri}" style="width: {logo.width_cm:g}cm"></div>']


@lru_cache(maxsize=8)
def _data_uri(path: Path, mtime_ns: int, size: int) -> str:
    """Return an image file as a data: URI, read once per version of the file (a batch repeats its logo); 8 at most."""
    data = path.read_bytes()
    media = next((media for magic, media in _IMAGE_TYPES if data.startswith(magic)), None)
    if media is None:
        raise ValueError("not a PNG, JPEG or GIF image")
    return f"data:{media};base64,{base64.b64encode(data).decode('ascii')}"
