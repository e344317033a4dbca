"""Tagged PDF: a structure tree that follows the document tree, and every mark on a page accounted for.

reportlab has no tagging of its own, but it lets us write content and objects. While it draws,
each flowable that carries a structure `Node` wraps what it draws in a marked-content sequence
(`/P <</MCID 3>> BDC ... EMC`, written with `canvas.addLiteral`); decorations (running header,
footer, rules, table grids and backgrounds, change bars, a repeated table header, the logo) are
wrapped as `/Artifact`. `Tagger` records which node each MCID and each link annotation belongs
to, and at save (`write_structure`) adds what a reader needs to reportlab's own document: the
StructTreeRoot and its elements (with `/Alt`, `/Scope`, `/BBox`, `/ListNumbering`), the
ParentTree, each page's `/StructParents` and `/Tabs /S`, each link annotation's `/StructParent`
and `/Contents`, `/MarkInfo`, and XMP metadata naming PDF/UA-1. Writing the objects with
reportlab rather than rewriting the finished file with a PDF library keeps tagging cheap (a
pikepdf post-pass cost about 14 ms a brief, most of it in saving the file again).

    tagger = Tagger()
    node = tagger.node("P")              # while building flowables, in reading order
    paragraph.node = node                # the flowable marks itself when drawn (`flowables.marking`)
    tagger.write_structure(canvas, title=..., language=...)   # in the canvas's save
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any
from xml.sax.saxutils import escape

from reportlab.pdfbase.pdfdoc import (  # type: ignore[import-untyped]
    PDFArray,
    PDFDictionary,
    PDFName,
    PDFObject,
    PDFObjectReference,
    PDFStream,
    PDFString,
    PDFtrue,
)

from ...doctree import DocWords
from ...words import fill

__all__ = ["Node", "Tagger", "describe_link", "walk"]


@dataclass(eq=False)
class Node:
    """One structure element: its standard type, attributes, children, and where its content was drawn."""

    tag: str
    """A standard structure type: Document, H1-H6, P, L, LI, Lbl, LBody, Table, THead, TBody, TR, TH, TD,
    Figure, Caption, Div."""
    attributes: dict[str, Any] = field(default_factory=dict)
    """Table, list and layout attributes (`Scope`, `ListNumbering`, `BBox`)."""
    alt: str | None = None
    actual_text: str | None = None
    """The element's text in reading order, for right-to-left text drawn in display order."""
    lang: str | None = None
    """The element's language when it is not the document's (/Lang), e.g. an untranslated original."""
    kids: list[Node] = field(default_factory=list)
    marks: list[tuple[int, int]] = field(default_factory=list)
    """(page index, MCID) of each marked-content sequence drawn for this node, in drawing order."""
    repeated_is_artifact: bool = False
    """Drawn again (a table header repeated on the next page): the copies are artifacts."""

    def add(self, tag: str, **attributes: Any) -> Node:
        """Append a child element and return it."""
        child = Node(tag, attributes)
        self.kids.append(child)
        return child


_OWNERS = {"Scope": "Table", "ListNumbering": "List", "BBox": "Layout"}
"""Attribute -> the owner (/O) it belongs to."""


@dataclass(frozen=True)
class _Annotation:
    owner: Node
    page: int
    annotation: Any
    reference: Any
    description: str


class Tagger:
    """Collect the structure while flowables are built and drawn; write it into the PDF at save."""

    def __init__(self) -> None:
        self.root = Node("Document")
        self.page_marks: dict[int, list[Node]] = {}
        """Page index -> the node of each MCID on it, by MCID."""
        self.links: list[_Annotation] = []
        self._open: list[Node] = []

    def node(self, tag: str, parent: Node | None = None, **attributes: Any) -> Node:
        """Return a new element under `parent` (the document by default), after its earlier children."""
        return (parent or self.root).add(tag, **attributes)

    @contextmanager
    def mark(self, canv: Any, node: Node, bbox: tuple[float, float, float, float] | None = None) -> Iterator[None]:
        """Wrap what is drawn inside in `node`'s marked content; `bbox` in page coordinates (a figure's)."""
        if node.repeated_is_artifact and node.marks:
            with self.artifact(canv):
                yield
            return
        page = canv.getPageNumber() - 1
        marks = self.page_marks.setdefault(page, [])
        canv.addLiteral(f"/{node.tag} <</MCID {len(marks)}>> BDC")
        node.marks.append((page, len(marks)))
        marks.append(node)
        if bbox is not None:
            node.attributes["BBox"] = bbox
        self._open.append(node)
        try:
            yield
        finally:
            self._open.pop()
            canv.addLiteral("EMC")

    @contextmanager
    def artifact(self, canv: Any, kind: str | None = None) -> Iterator[None]:
        """Wrap what is drawn inside as an artifact: decoration a screen reader skips (`kind`: Header or Footer)."""
        canv.addLiteral(f"/Artifact <</Type /Pagination /Subtype /{kind}>> BDC" if kind else "/Artifact BMC")
        try:
            yield
        finally:
            canv.addLiteral("EMC")

    def table_callback(self, table: Any, command: str, *args: Any) -> None:
        """reportlab's Table render hook: a table's backgrounds and rules are artifacts."""
        if command in ("startBG", "startLines"):
            table.canv.addLiteral("/Artifact BMC")
        elif command in ("endBG", "endLines"):
            table.canv.addLiteral("EMC")

    def link(self, canv: Any, annotation: Any, reference: Any, description: str) -> None:
        """Record a link annotation just added to the current page, for the element being drawn."""
        owner = self._open[-1] if self._open else self.root
        self.links.append(_Annotation(owner, canv.getPageNumber() - 1, annotation, reference, description))

    def write_structure(self, canv: Any, *, title: str, language: str) -> None:
        """Add the structure tree, parent tree and PDF/UA markers to the canvas's document, before it is saved.

        Elements are written by `_Element.format`, a few string operations each: reportlab's generic
        dictionaries cost about 5 ms more a brief, for some 150 elements.
        """
        doc = canv._doc
        pages = doc.Pages.pages
        nodes = list(walk(self.root))
        names = {id(node): f"StructElem{index}" for index, node in enumerate(nodes)}
        parents = {id(kid): names[id(node)] for node in nodes for kid in node.kids}
        parent_tree: list[tuple[int, str]] = []
        links: dict[int, list[str]] = {}
        for key, link in enumerate(self.links, start=len(pages)):  # keys after the pages'
            name = f"StructLink{key}"
            doc.Reference(_Link(names[id(link.owner)], link.page, link.reference), name)
            links.setdefault(id(link.owner), []).append(name)
            _annotate(link.annotation, key, link.description)
            parent_tree.append((key, name))
        for node in nodes:
            doc.Reference(_Element(node, names, parents.get(id(node), "StructTreeRoot"), links.get(id(node), ())), names[id(node)])
        linked_pages = {link.page for link in self.links}
        for index, page in enumerate(pages):
            name = f"StructPage{index}"
            doc.Reference(_References([names[id(node)] for node in self.page_marks.get(index, ())]), name)
            parent_tree.append((index, name))
            page.__NoDefault__ = [*page.__NoDefault__, "StructParents", "Tabs"]  # keys reportlab's page does not know
            page.StructParents = index
            page.Tabs = _S if index in linked_pages else None
        nums: list[Any] = []
        for key, name in sorted(parent_tree):
            nums += [key, PDFObjectReference(name)]
        canv.setCatalogEntry("StructTreeRoot", doc.Reference(PDFDictionary({
            "Type": PDFName("StructTreeRoot"), "K": PDFObjectReference(names[id(self.root)]),
            "ParentTree": doc.Reference(PDFDictionary({"Nums": PDFArray(nums)})),
            "ParentTreeNextKey": len(pages) + len(self.links),
        }), "StructTreeRoot"))
        canv.setCatalogEntry("MarkInfo", PDFDictionary({"Marked": PDFtrue}))
        canv.setCatalogEntry("Metadata", PDFStream(PDFDictionary({"Type": PDFName("Metadata"), "Subtype": PDFName("XML")}),
                                                   _xmp(title, language).encode("utf-8"), filters=[]))


_S = PDFName("S")


class _Element(PDFObject):  # type: ignore[misc]
    """A structure element, formatted directly (references resolved when reportlab writes the file)."""

    def __init__(self, node: Node, names: dict[int, str], parent: str, links: Iterable[str]) -> None:
        self.node, self.parent = node, parent
        self.kids = [names[id(child)] for child in node.kids]
        self.links = tuple(links)

    def format(self, document: Any) -> bytes:
        number = document.idToObjectNumberAndVersion
        node = self.node
        parts = [f"<< /Type /StructElem /S /{node.tag} /P {number[self.parent][0]} 0 R"]
        home = node.marks[0][0] if node.marks else None
        if home is not None:
            parts.append(f" /Pg {number[f'Page{home + 1}'][0]} 0 R")
        kids = [str(mcid) if page == home else f"<< /Type /MCR /Pg {number[f'Page{page + 1}'][0]} 0 R /MCID {mcid} >>"
                for page, mcid in node.marks]  # marks on the element's own page are bare MCIDs
        kids += [f"{number[name][0]} 0 R" for name in (*self.kids, *self.links)]
        parts.append(f" /K [ {' '.join(kids)} ]")
        out = "".join(parts).encode("ascii")
        if node.alt is not None:
            out += b" /Alt " + PDFString(node.alt).format(document)
        if node.actual_text is not None:
            out += b" /ActualText " + PDFString(node.actual_text).format(document)
        if node.lang is not None:
            out += b" /Lang " + PDFString(node.lang).format(document)
        attributes = _attributes(node)
        if attributes is not None:
            out += b" /A " + attributes.format(document)
        return out + b" >>"


class _Link(PDFObject):  # type: ignore[misc]
    """A Link element: the structure's reference to a link annotation (OBJR)."""

    def __init__(self, parent: str, page: int, annotation: Any) -> None:
        self.parent, self.page, self.annotation = parent, page, annotation

    def format(self, document: Any) -> bytes:
        number = document.idToObjectNumberAndVersion
        page = f"{number[f'Page{self.page + 1}'][0]} 0 R"
        return (f"<< /Type /StructElem /S /Link /P {number[self.parent][0]} 0 R /Pg {page} "
                f"/K [ << /Type /OBJR /Obj {self.annotation.format(document).decode('ascii')} /Pg {page} >> ] >>").encode("ascii")


class _References(PDFObject):  # type: ignore[misc]
    """An array of references to named objects (a page's entry in the parent tree)."""

    def __init__(self, names: list[str]) -> None:
        self.names = names

    def format(self, document: Any) -> bytes:
        number = document.idToObjectNumberAndVersion
        return ("[ " + " ".join(f"{number[name][0]} 0 R" for name in self.names) + " ]").encode("ascii")


def walk(node: Node) -> Iterator[Node]:
    """Yield `node` and its descendants, depth first, in reading order."""
    yield node
    for kid in node.kids:
        yield from walk(kid)


def _attributes(node: Node) -> Any:
    by_owner: dict[str, dict[str, Any]] = {}
    for key, value in node.attributes.items():
        owner = _OWNERS.get(key)
        if owner is None:
            continue
        if key == "BBox":
            value = PDFArray([round(number, 2) for number in value])
        elif isinstance(value, str):
            value = PDFName(value)
        by_owner.setdefault(owner, {"O": PDFName(owner)})[key] = value
    if not by_owner:
        return None
    dictionaries = [PDFDictionary(entries) for entries in by_owner.values()]
    return dictionaries[0] if len(dictionaries) == 1 else PDFArray(dictionaries)


def _annotate(annotation: Any, key: int, description: str) -> None:
    """Give a link annotation its key in the parent tree and a description in words (reportlab makes two kinds)."""
    if isinstance(annotation, PDFDictionary):
        annotation["StructParent"] = key
        annotation["Contents"] = PDFString(description)
    else:  # a LinkAnnotation, which checks its keys
        annotation.permitted = (*annotation.permitted, "StructParent")
        annotation.otherkw["StructParent"] = key
        annotation.Contents = description


@lru_cache(maxsize=1024)
def describe_link(words: DocWords, url: str | None, destination: str | None) -> str:
    """Return what a link does, in the brief's `words`, for a reader that cannot see where it points.

    Kept per words and target: a brief's ninety citation links repeat a few sources, and filling a
    pattern costs 30 µs."""
    if url:
        return fill(words.link_url, url=url)
    if destination and destination.startswith("src-"):
        return fill(words.link_source, number=destination[4:])
    return fill(words.link_place, place=destination) if destination else words.link_elsewhere


def _xmp(title: str, language: str) -> str:
    """Return the XMP packet: the title (dc:title), language and PDF/UA-1 identification (pdfuaid:part)."""
    return (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/">'
        f'<dc:title><rdf:Alt><rdf:li xml:lang="x-default">{escape(title)}</rdf:li></rdf:Alt></dc:title>'
        f'<dc:language><rdf:Bag><rdf:li>{escape(language)}</rdf:li></rdf:Bag></dc:language>'
        '<pdfuaid:part>1</pdfuaid:part>'
        '</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>'
    )
