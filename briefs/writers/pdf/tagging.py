"""Tagged PDF: a structure tree that follows the document tree, and every mark on a page accounted for.

reportlab has no tagging of its own. While it draws, each flowable that carries a structure
`Node` wraps what it draws in a marked-content sequence (`/P <</MCID 3>> BDC ... EMC`, written
with `canvas.addLiteral`), and decorations (running header, footer, rules, table grids,
backgrounds, change bars, a repeated table header) are wrapped as `/Artifact`. `Tagger` records
which node each MCID and each link annotation belongs to; `Tagger.finish` then writes what
reportlab cannot reach, with pikepdf: the StructTreeRoot and its elements (with `/Alt`, `/Scope`,
`/BBox`, `/ListNumbering`), the ParentTree, each page's `/StructParents` and `/Tabs /S`, each link
annotation's `/StructParent` and `/Contents`, `/MarkInfo`, and XMP metadata naming PDF/UA-1.

    tagger = Tagger()
    node = tagger.node("P")              # while building flowables, in reading order
    paragraph.node = node                # the flowable marks itself when drawn (`mark`)
    pdf_bytes = tagger.finish(reportlab_bytes, title=..., language=...)
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from xml.sax.saxutils import escape

import pikepdf

__all__ = ["Node", "Tagger"]


@dataclass(eq=False)
class Node:
    """One structure element: its standard type, attributes, children, and where its content was drawn."""

    tag: str
    """A standard structure type: Document, H1-H6, P, L, LI, Lbl, LBody, Table, THead, TBody, TR, TH, TD,
    Figure, Caption, Div."""
    attributes: dict[str, Any] = field(default_factory=dict)
    """Layout/table/list attributes (`Scope`, `ListNumbering`, `BBox`), under their owner."""
    alt: str | None = None
    kids: list[Node] = field(default_factory=list)
    marks: list[tuple[int, int]] = field(default_factory=list)
    """(page index, MCID) of each marked-content sequence drawn for this node, in drawing order."""
    links: list[tuple[int, int]] = field(default_factory=list)
    """(page index, index in the page's /Annots) of each link annotation made while this node was drawn."""
    repeated_is_artifact: bool = False
    """Drawn again (a table header repeated on the next page): the copies are artifacts."""

    def add(self, tag: str, **attributes: Any) -> Node:
        """Append a child element and return it."""
        child = Node(tag, attributes)
        self.kids.append(child)
        return child


_OWNERS = {"Scope": "Table", "Headers": "Table", "ListNumbering": "List", "BBox": "Layout", "Placement": "Layout"}


class Tagger:
    """Collect the structure while flowables are built and drawn; write it into the finished PDF."""

    def __init__(self) -> None:
        self.root = Node("Document")
        self.page_marks: dict[int, list[Node]] = {}
        """Page index -> the node of each MCID on it, by MCID."""
        self.page_links: dict[int, list[Node | None]] = {}
        """Page index -> the node each link annotation on it belongs to, in /Annots order."""
        self._open: list[Node] = []

    def node(self, tag: str, parent: Node | None = None, **attributes: Any) -> Node:
        """Return a new element under `parent` (the document by default), after its earlier children."""
        return (parent or self.root).add(tag, **attributes)

    @contextmanager
    def mark(self, canv: Any, node: Node | None, bbox: tuple[float, float, float, float] | None = None) -> Iterator[None]:
        """Wrap what is drawn inside in `node`'s marked content (nothing when `node` is None)."""
        if node is None:
            yield
            return
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
            node.attributes["Page"] = page
        self._open.append(node)
        try:
            yield
        finally:
            self._open.pop()
            canv.addLiteral("EMC")

    @contextmanager
    def artifact(self, canv: Any, kind: str | None = None) -> Iterator[None]:
        """Wrap what is drawn inside as an artifact: decoration a screen reader skips (`kind`: Header or Footer)."""
        if kind:
            canv.addLiteral(f"/Artifact <</Type /Pagination /Subtype /{kind}>> BDC")
        else:
            canv.addLiteral("/Artifact BMC")
        try:
            yield
        finally:
            canv.addLiteral("EMC")

    def annotation(self, canv: Any) -> None:
        """Record a link annotation just added to the current page, for the element being drawn."""
        page = canv.getPageNumber() - 1
        self.page_links.setdefault(page, []).append(self._open[-1] if self._open else None)
        if self._open:
            self._open[-1].links.append((page, len(self.page_links[page]) - 1))

    def table_callback(self, table: Any, command: str, *args: Any) -> None:
        """reportlab's Table render hook: a table's backgrounds and rules are artifacts."""
        canv = table.canv
        if command in ("startBG", "startLines"):
            canv.addLiteral("/Artifact BMC")
        elif command in ("endBG", "endLines"):
            canv.addLiteral("EMC")

    def finish(self, data: bytes, *, title: str, language: str) -> bytes:
        """Return `data` (reportlab's PDF) with its structure tree, parent tree and PDF/UA markers."""
        with pikepdf.open(io.BytesIO(data)) as pdf:
            _Writer(pdf, self).write(title, language)
            out = io.BytesIO()
            pdf.save(out, deterministic_id=True, stream_decode_level=pikepdf.StreamDecodeLevel.none)
        return out.getvalue()


class _Writer:
    """Build the StructTreeRoot of a Tagger's nodes in a pikepdf document."""

    def __init__(self, pdf: pikepdf.Pdf, tagger: Tagger) -> None:
        self.pdf = pdf
        self.tagger = tagger
        self.pages = list(pdf.pages)
        self.elements: dict[int, pikepdf.Object] = {}
        """id(node) -> its structure element."""
        self.parent_tree: list[tuple[int, pikepdf.Object]] = []
        self.next_key = len(self.pages)

    def write(self, title: str, language: str) -> None:
        pdf = self.pdf
        root = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.StructTreeRoot))
        document = self.element(self.tagger.root, root)
        root.K = pikepdf.Array([document])
        for index, page in enumerate(self.pages):
            marks = self.tagger.page_marks.get(index, [])
            page.obj.StructParents = index
            self.parent_tree.append((index, pikepdf.Array([self.elements[id(node)] for node in marks])))
            if "/Annots" in page.obj:
                page.obj.Tabs = pikepdf.Name.S
        self.links()
        nums = pikepdf.Array()
        for key, value in sorted(self.parent_tree, key=lambda item: item[0]):
            nums.append(key)
            nums.append(pdf.make_indirect(value) if isinstance(value, pikepdf.Array) else value)
        root.ParentTree = pdf.make_indirect(pikepdf.Dictionary(Nums=nums))
        root.ParentTreeNextKey = self.next_key
        catalog = pdf.Root
        catalog.StructTreeRoot = root
        catalog.MarkInfo = pikepdf.Dictionary(Marked=True)
        catalog.Lang = pikepdf.String(language)
        preferences = catalog.get("/ViewerPreferences", pikepdf.Dictionary())
        preferences.DisplayDocTitle = True
        catalog.ViewerPreferences = preferences
        catalog.Metadata = pdf.make_stream(_xmp(title, language).encode("utf-8"), Type=pikepdf.Name.Metadata,
                                           Subtype=pikepdf.Name.XML)

    def element(self, node: Node, parent: pikepdf.Object) -> pikepdf.Object:
        """Return the indirect structure element of `node` and its subtree, under `parent`."""
        element = self.pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.StructElem, S=pikepdf.Name("/" + node.tag),
                                                            P=parent))
        self.elements[id(node)] = element
        if node.alt is not None:
            element.Alt = pikepdf.String(node.alt)
        attributes = self.attributes(node)
        if attributes is not None:
            element.A = attributes
        kids = pikepdf.Array()
        pending = list(node.kids)
        for page, mcid in node.marks:
            kids.append(pikepdf.Dictionary(Type=pikepdf.Name.MCR, Pg=self.pages[page].obj, MCID=mcid))
        for child in pending:
            kids.append(self.element(child, element))
        if node.marks:
            element.Pg = self.pages[node.marks[0][0]].obj
        element.K = kids
        return element

    def attributes(self, node: Node) -> pikepdf.Object | None:
        by_owner: dict[str, pikepdf.Dictionary] = {}
        for key, value in node.attributes.items():
            owner = _OWNERS.get(key)
            if owner is None:
                continue
            if key == "BBox":
                value = pikepdf.Array([round(number, 2) for number in value])
            elif isinstance(value, str):
                value = pikepdf.Name("/" + value)
            by_owner.setdefault(owner, pikepdf.Dictionary(O=pikepdf.Name("/" + owner)))[("/" + key)] = value
        if not by_owner:
            return None
        dictionaries = list(by_owner.values())
        return dictionaries[0] if len(dictionaries) == 1 else pikepdf.Array(dictionaries)

    def links(self) -> None:
        """Give each link annotation a Link element (under the element drawn with it), `/StructParent` and `/Contents`."""
        for index, owners in self.tagger.page_links.items():
            page = self.pages[index].obj
            annotations = list(page.get("/Annots", pikepdf.Array()))
            for annotation, owner in zip(annotations, owners, strict=False):
                parent = self.elements.get(id(owner)) if owner is not None else self.elements[id(self.tagger.root)]
                assert parent is not None
                link = self.pdf.make_indirect(pikepdf.Dictionary(
                    Type=pikepdf.Name.StructElem, S=pikepdf.Name.Link, P=parent, Pg=page,
                    K=pikepdf.Array([pikepdf.Dictionary(Type=pikepdf.Name.OBJR, Obj=annotation, Pg=page)])))
                parent.K.append(link)
                annotation.StructParent = self.next_key
                annotation.Contents = pikepdf.String(_describe(annotation))
                self.parent_tree.append((self.next_key, link))
                self.next_key += 1


def _describe(annotation: pikepdf.Object) -> str:
    """Return what a link does, in words, for a reader that cannot see where it points."""
    action = annotation.get("/A")
    if action is not None and "/URI" in action:
        return f"Link to {action.URI}"
    destination = str(annotation.get("/Dest", ""))
    if destination.startswith("src-"):
        return f"Go to source {destination[4:]}"
    return f"Go to {destination or 'another place in the document'}"


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
