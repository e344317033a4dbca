"""Put the document tree's inlines into DrawingML runs: theme fonts and colours, labels, citations, links, East Asian fonts."""

from __future__ import annotations

from dataclasses import dataclass
from typing import assert_never

from lxml import etree
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.oxml.ns import qn
from pptx.text.text import _Paragraph
from pptx.util import Pt

from ...doctree import Citation, Emphasis, Inline, Label, Link, Strong, Text
from ...languages import right_to_left
from ..theme import EAST_ASIAN_FONT, Theme

__all__ = ["Look", "add_inlines", "paragraph_format"]

_SAFE_SCHEMES = ("http://", "https://", "mailto:")


@dataclass(frozen=True)
class Look:
    """How runs look: the theme's fonts and colours (unless a reference deck styles the text), and the language."""

    theme: Theme
    language: str
    own: bool
    """True: the built-in look, so runs name the theme's fonts and colours; False: a reference deck's masters style them."""

    @property
    def rtl(self) -> bool:
        """Whether paragraphs run right to left (an Arabic or Hebrew brief)."""
        return right_to_left(self.language)


@dataclass(frozen=True)
class _Run:
    size: float
    bold: bool = False
    italic: bool = False
    colour: str | None = None
    heading: bool = False


def add_inlines(paragraph: _Paragraph, inlines: tuple[Inline, ...], look: Look, size: float, *, bold: bool = False,
                colour: str | None = None, heading: bool = False) -> None:
    """Append `inlines` to `paragraph` as runs of `size` points."""
    _inlines(paragraph, inlines, look, _Run(size, bold, False, colour, heading), None)


def _inlines(paragraph: _Paragraph, inlines: tuple[Inline, ...], look: Look, run: _Run, href: str | None) -> None:
    theme = look.theme
    for node in inlines:
        match node:
            case Text(text=text):
                _run(paragraph, text, look, run, href)
            case Strong(children=children):
                _inlines(paragraph, children, look, _Run(run.size, True, run.italic, run.colour, run.heading), href)
            case Emphasis(children=children):
                _inlines(paragraph, children, look, _Run(run.size, run.bold, True, run.colour, run.heading), href)
            case Label(text=text, kind=kind):  # the words carry the meaning; the colour is the theme's for the kind, in any deck
                _run(paragraph, text, look, _Run(run.size, True, False, theme.label_colour(kind), run.heading), None, force=True)
            case Citation(numbers=numbers):
                _run(paragraph, "[" + ", ".join(map(str, numbers)) + "]", look, _Run(run.size, run.bold, False, theme.muted_colour), None)
            case Link(href=target, children=children):
                safe = target if target.startswith(_SAFE_SCHEMES) else None
                _inlines(paragraph, children, look, _Run(run.size, run.bold, run.italic, theme.link_colour, run.heading), safe)
            case _:
                assert_never(node)


def _run(paragraph: _Paragraph, text: str, look: Look, run: _Run, href: str | None, force: bool = False) -> None:
    """Append one run, its properties written as XML (python-pptx's property objects cost ~2 ms a run)."""
    if not text:
        return
    r = paragraph._p.add_r()
    r.text = text
    rpr = etree.Element(qn("a:rPr"), {"lang": look.language, "sz": str(round(run.size * 100))})
    r.insert(0, rpr)
    if run.bold:
        rpr.set("b", "1")
    if run.italic:
        rpr.set("i", "1")
    if run.colour and (look.own or force):
        etree.SubElement(etree.SubElement(rpr, qn("a:solidFill")), qn("a:srgbClr")).set("val", run.colour.lstrip("#").upper())
    if look.own:
        etree.SubElement(rpr, qn("a:latin")).set("typeface", look.theme.family_name(headings=run.heading))
    etree.SubElement(rpr, qn("a:ea")).set("typeface", EAST_ASIAN_FONT)
    if href:
        link = etree.SubElement(rpr, qn("a:hlinkClick"))
        link.set(qn("r:id"), paragraph.part.relate_to(href, RT.HYPERLINK, is_external=True))


def paragraph_format(paragraph: _Paragraph, size: float, before: float, *, bullet: str | None = None, number: int = 0,
                     indent: float = 0.0, line: float = 1.2, rtl: bool = False) -> None:
    """Set exact line spacing and space before (what `plan` measured with), the bullet or number, and the direction."""
    ppr = paragraph._p.get_or_add_pPr()
    for child in list(ppr):
        ppr.remove(child)
    if rtl:
        ppr.set("rtl", "1")
        ppr.set("algn", "r")
    ppr.set("marL", str(Pt(indent)) if indent else "0")
    ppr.set("indent", str(-Pt(indent)) if indent else "0")
    spacing = etree.SubElement(ppr, qn("a:lnSpc"))
    etree.SubElement(spacing, qn("a:spcPts")).set("val", str(round(size * line * 100)))
    etree.SubElement(etree.SubElement(ppr, qn("a:spcBef")), qn("a:spcPts")).set("val", str(round(before * 100)))
    if number:
        etree.SubElement(ppr, qn("a:buFont")).set("typeface", "+mj-lt")
        numbered = etree.SubElement(ppr, qn("a:buAutoNum"))
        numbered.set("type", "arabicPeriod")
        numbered.set("startAt", str(number))
    elif bullet:
        etree.SubElement(ppr, qn("a:buFont")).set("typeface", "Arial")
        etree.SubElement(ppr, qn("a:buChar")).set("char", bullet)
    else:
        etree.SubElement(ppr, qn("a:buNone"))
