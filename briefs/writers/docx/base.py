"""The base Word document every DOCX brief starts from, built once per process (or reference document).

The base of a theme is python-docx's default template with Word's built-in styles (Title,
Subtitle, Heading 1-3, List Bullet, List Number, Caption, Quote, Intense Quote, Strong, Emphasis)
restyled from the theme, plus the few styles a brief needs beyond them (`styling`). The built-in
theme's base is also shipped as `templates/styles/reference.docx` (`python -m briefs.writers.docx.reference`
writes it; a test fails when it is out of date).

A reference document (pandoc's idea) replaces it: its styles, page setup, headers and footers are
used; styles it lacks are merged in from the built-in base (a reference saved by LibreOffice has
no List Bullet, Title or table styles), with the numbering definitions the list styles need; its
body is cleared but its last `w:sectPr` (page setup, header and footer references) is kept.

Either way the result is kept as bytes and style ids are resolved once, per reference file and
modification time: looking a style up by name on every paragraph costs about 10 ms a brief.
"""

from __future__ import annotations

import copy
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

import docx
from docx.document import Document as DocxDocument
from docx.opc.constants import CONTENT_TYPE, RELATIONSHIP_TYPE
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.parts.numbering import NumberingPart
from lxml import etree

from ...errors import ThemeError
from ...languages import DEFAULT_LANGUAGE, east_asian, east_asian_font, is_cjk, right_to_left
from ..theme import Theme
from .package import save_deterministic
from .styling import apply_theme

__all__ = ["Base", "base", "base_for", "is_builtin_reference", "new_document"]

_BUILTIN_THEME = Theme()



@dataclass(frozen=True, eq=False)
class Base:
    """The base document's bytes and the style ids a writer uses."""

    data: bytes
    styles: dict[str, str]
    """Style name -> style id."""
    bullet_num_id: int
    number_num_id: int
    page_size: tuple[float, float] | None = None
    """The reference document's page (width, height) in points; None for the built-in base."""
    own_header: bool = False
    """The reference document has its own header, kept as it is (else the running header is written)."""
    own_footer: bool = False
    """The reference document has its own footer, kept as it is (else "Page X of Y" is written)."""
    static_parts: dict[str, Any] = field(default_factory=dict, repr=False)
    """The members a brief never changes, deflated once for this base (`package.save_deterministic`)."""

    @cached_property
    def parsed(self) -> DocxDocument:
        """The base document parsed, once per base: each brief deep-copies it (`new_document`).

        Kept on the base, so it lives exactly as long as the bounded caches that hold bases (`base`, `_reference_base`).
        """
        return docx.Document(io.BytesIO(self.data))


def _child(parent: etree._Element, tag: str, first: bool = False) -> etree._Element:
    """Return the child `tag` of `parent`, created (first or last) when missing."""
    found = parent.find(qn(tag))
    if found is None:
        found = OxmlElement(tag)
        parent.insert(0, found) if first else parent.append(found)
    return found


def _language_defaults(document: DocxDocument, language: str, keep_font: bool = False) -> None:
    """Set the document's language (`w:lang`, with the language of East Asian text) and name an East Asian font.

    Word and LibreOffice spell-check, hyphenate and read aloud by `w:lang`; CJK runs pick their face
    by `w:eastAsia`. With `keep_font` (a reference document), an East Asian font it names is kept.
    """
    styles = document.styles.element
    rpr = _child(_child(_child(styles, "w:docDefaults", first=True), "w:rPrDefault", first=True), "w:rPr")
    fonts = _child(rpr, "w:rFonts", first=True)
    if not (keep_font and (fonts.get(qn("w:eastAsia")) or fonts.get(qn("w:eastAsiaTheme")))):
        fonts.set(qn("w:eastAsia"), east_asian_font(language))
        fonts.attrib.pop(qn("w:eastAsiaTheme"), None)
    if is_cjk(language):  # characters shared with Latin (quotes, ・, …) take the East Asian font
        fonts.set(qn("w:hint"), "eastAsia")
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), language)
    lang.set(qn("w:eastAsia"), east_asian(language))
    lang.set(qn("w:bidi"), language if right_to_left(language) else "ar-SA")
    if right_to_left(language):  # paragraphs run right to left: text starts on the right, lists and tables mirror
        ppr = _child(_child(_child(styles, "w:docDefaults", first=True), "w:pPrDefault"), "w:pPr")
        _child(ppr, "w:bidi")


@lru_cache(maxsize=8)
def base(theme: Theme = _BUILTIN_THEME, language: str = DEFAULT_LANGUAGE) -> Base:
    """Build the base document of a theme and language once per process: Word's built-in styles in the theme's look.

    Keyed by values (frozen theme, language tag), 8 at most; each `Base` owns its parsed document and its deflated
    static parts, so they go when it goes."""
    document = docx.Document()
    _language_defaults(document, language)
    apply_theme(document, theme)
    if is_cjk(language):
        _upright(document)
    _drop_legacy_parts(document)
    styles = {style.name: style.style_id for style in document.styles if style.name}
    out = io.BytesIO()
    save_deterministic(document, out)
    return Base(out.getvalue(), styles, bullet_num_id=_num_id(document, "List Bullet"), number_num_id=_num_id(document, "List Number"))


def _upright(document: DocxDocument) -> None:
    """Set every style upright, emphasis in bold instead: Chinese, Japanese and Korean are never slanted (Word would fake it)."""
    for element in document.styles.element.iterfind(qn("w:style")):
        rpr = element.find(qn("w:rPr"))
        italic = rpr.find(qn("w:i")) if rpr is not None else None
        if rpr is None or italic is None:
            continue
        rpr.remove(italic)
        if element.get(qn("w:styleId")) == "Emphasis":
            rpr.get_or_add_b()  # python-docx puts it where the schema orders it


def _num_id(document: DocxDocument, style_name: str) -> int:
    ppr = document.styles[style_name].element.pPr
    return int(ppr.numPr.numId.val)


def new_document(of: Base | None = None, *, share_styles: bool = False) -> DocxDocument:
    """Return a fresh document from `of` (default: the built-in base); the body is empty.

    The base is parsed once per process and deep-copied for each brief: copying the lxml trees
    costs less than parsing the package again. With `share_styles` the copy keeps the base's own
    styles tree instead of a copy of it (350 KB of XML, about 90% of the copying: 8.6 ms against
    0.9 ms): for a caller that only reads styles, as the brief writer does, which looks style ids up
    once per base (`Base.styles`) and reuses the styles part's deflated bytes (`Base.static_parts`).
    """
    parsed = (of or base(_BUILTIN_THEME)).parsed
    if not share_styles:
        return copy.deepcopy(parsed)
    styles = parsed.styles.element
    return copy.deepcopy(parsed, {id(styles): styles})


_STYLES_WITH_EFFECTS = "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"


def _drop_legacy_parts(document: DocxDocument) -> None:
    """Drop the Word 2010 styles copy and the template's thumbnail: 440 KB to write per brief, and a
    thumbnail that would show a picture of some other document."""
    for rels in (document.part.rels, document.part.package.rels):
        for rel_id, rel in list(rels.items()):
            if rel.reltype in (_STYLES_WITH_EFFECTS, RT.THUMBNAIL):
                rels.pop(rel_id)


def base_for(reference: Path | None, theme: Theme | None = None, language: str = DEFAULT_LANGUAGE) -> Base:
    """Return the base of a reference document, built once per file, modification time and theme; None: the theme's base.

    The reference's styles win; styles it lacks come from the theme's base. Raises ThemeError
    naming the file when it cannot be read as a Word document.
    """
    theme = theme or _BUILTIN_THEME
    if reference is None:
        return base(theme, language)
    try:
        stat = reference.stat()
    except OSError as exc:
        raise ThemeError(f"{reference}: cannot read the reference document ({exc.strerror or exc})") from None
    if is_builtin_reference(reference):
        return base(theme, language)  # `init`'s copy, unchanged: the theme styles the DOCX, as it would without it
    return _reference_base(reference.resolve(), stat.st_mtime_ns, stat.st_size, reference, theme, language)


@lru_cache(maxsize=8)
def _reference_base(path: Path, _mtime: int, _size: int, shown: Path, theme: Theme, language: str) -> Base:
    """Build a reference document's base once per version of the file (path, modification time, size), theme and language."""
    if _size > MAX_REFERENCE_BYTES:
        raise ThemeError(f"{shown}: {_size / 1e6:.0f} MB; a reference document may be at most {MAX_REFERENCE_BYTES / 1e6:.0f} MB "
                         "(its text is not used: save a copy without its content)")
    try:
        return _adopt(path, theme, language)
    except ThemeError:
        raise
    except Exception as exc:  # python-docx and lxml raise many kinds for a damaged or unusual package
        raise ThemeError(f"{shown}: not a Word .docx document briefs can use ({type(exc).__name__}: {str(exc)[:120]}): save it "
                         "from Word or LibreOffice as .docx, or start from the reference.docx that `init` copies") from None


MAX_REFERENCE_BYTES = 50_000_000


def is_builtin_reference(reference: Path) -> bool:
    """Tell whether `reference` is the shipped reference document, unchanged (as `init` copies it)."""
    try:
        stat = reference.stat()
    except OSError:
        return False
    return _same_as_builtin(reference.resolve(), stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=16)
def _same_as_builtin(path: Path, _mtime: int, size: int) -> bool:
    """Compare a file with the shipped reference once per version of it (keyed by path, modification time and size)."""
    from ...resources import builtin_templates_dir

    shipped = builtin_templates_dir() / "styles" / "reference.docx"
    try:
        return size == shipped.stat().st_size and path.read_bytes() == shipped.read_bytes()
    except OSError:
        return False


def _adopt(path: Path, theme: Theme, language: str) -> Base:
    """Build the base of a reference document (any exception means the file is not one we can use)."""
    document = docx.Document(str(path))
    _drop_unknown_core_properties(document)
    default = new_document(base(theme))
    numbering = _Numbering(_numbering_of(document), _numbering_of(default))
    _merge_styles(document, default, numbering)
    for name, default_name in (("List Bullet", "List Bullet"), ("List Number", "List Number")):
        _ensure_numbered(document, default, name, default_name, numbering)
    _language_defaults(document, language, keep_font=True)
    section = _clear_body(document)
    size = (section.page_width.pt, section.page_height.pt) if section.page_width and section.page_height else None
    own_header, own_footer = not section.header.is_linked_to_previous, not section.footer.is_linked_to_previous
    _drop_legacy_parts(document)
    styles = {style.name: style.style_id for style in document.styles if style.name}
    out = io.BytesIO()
    document.save(out)
    return Base(out.getvalue(), styles, _num_id(document, "List Bullet"), _num_id(document, "List Number"), size,
                own_header, own_footer)


def _drop_unknown_core_properties(document: DocxDocument) -> None:
    """Forget a core-properties part python-docx does not recognise, so that saving does not write a second one.

    LibreOffice relates docProps/core.xml with an 'officedocument' (lowercase d) relationship type;
    python-docx then adds its own part of the same name and the zip holds the name twice.
    """
    rels = document.part.package.rels
    for rel_id, rel in list(rels.items()):
        if (not rel.is_external and rel.reltype != RELATIONSHIP_TYPE.CORE_PROPERTIES
                and rel.reltype.endswith("/metadata/core-properties")):
            rels.pop(rel_id)


def _styles(document: DocxDocument) -> Iterator[etree._Element]:
    return iter(document.styles.element.findall(qn("w:style")))


def _name(style: etree._Element) -> str:
    """Return a style's name as stored (Word stores built-in names in English, e.g. 'heading 1'), lowercased."""
    name = style.find(qn("w:name"))
    text: str = name.get(qn("w:val")) if name is not None else style.get(qn("w:styleId"), "")
    return text.lower()


def _merge_styles(document: DocxDocument, default: DocxDocument, numbering: _Numbering) -> None:
    """Copy every style of `default` that `document` lacks (by name), with its references and numbering."""
    ids_by_name = {_name(style): style.get(qn("w:styleId")) for style in _styles(document)}
    taken = set(ids_by_name.values())
    id_map: dict[str, str] = {}
    missing: list[etree._Element] = []
    for style in _styles(default):
        style_id = style.get(qn("w:styleId"))
        if _name(style) in ids_by_name:
            id_map[style_id] = ids_by_name[_name(style)]
            continue
        new_id, n = style_id, 1
        while new_id in taken:
            n += 1
            new_id = f"{style_id}{n}"
        taken.add(new_id)
        id_map[style_id] = new_id
        missing.append(style)
    target = document.styles.element
    for style in missing:
        added = copy.deepcopy(style)
        added.set(qn("w:styleId"), id_map[style.get(qn("w:styleId"))])
        for tag in ("w:basedOn", "w:next", "w:link"):
            ref = added.find(qn(tag))
            if ref is not None and ref.get(qn("w:val")) in id_map:
                ref.set(qn("w:val"), id_map[ref.get(qn("w:val"))])
            elif ref is not None and ref.get(qn("w:val")) not in taken:
                added.remove(ref)
        num_id = added.find(f"{qn('w:pPr')}/{qn('w:numPr')}/{qn('w:numId')}")
        if num_id is not None:
            num_id.set(qn("w:val"), str(numbering.copy(int(num_id.get(qn("w:val"))))))
        target.append(added)


def _ensure_numbered(document: DocxDocument, default: DocxDocument, name: str, default_name: str, numbering: _Numbering) -> None:
    """Give a list style of the reference that has no numbering (LibreOffice's, say) the default's."""
    style = document.styles[name]
    ppr = style.element.get_or_add_pPr()
    if ppr.numPr is not None and ppr.numPr.numId is not None:
        return
    ppr.get_or_add_numPr().get_or_add_numId().val = numbering.copy(_num_id(default, default_name))


def _numbering_of(document: DocxDocument) -> etree._Element:
    """Return the numbering definitions of a document, adding an empty numbering part when it has none."""
    try:
        return document.part.numbering_part.element
    except NotImplementedError:  # python-docx cannot create one itself
        part = NumberingPart(PackURI("/word/numbering.xml"), CONTENT_TYPE.WML_NUMBERING,
                             parse_xml(f"<w:numbering {nsdecls('w')}/>"), document.part.package)
        document.part.relate_to(part, RELATIONSHIP_TYPE.NUMBERING)
        return part.element


class _Numbering:
    """Copy list definitions (w:num and its w:abstractNum) from the default base into a reference, once each."""

    def __init__(self, target: etree._Element, source: etree._Element) -> None:
        self.target, self.source = target, source
        self.copied: dict[int, int] = {}

    def copy(self, num_id: int) -> int:
        """Return the id in the target of the source's list `num_id`, copying it the first time."""
        if num_id not in self.copied:
            self.copied[num_id] = self._copy(num_id)
        return self.copied[num_id]

    def _copy(self, num_id: int) -> int:
        w_val, w_abstract = qn("w:val"), qn("w:abstractNumId")
        num = next(n for n in self.source.findall(qn("w:num")) if n.get(qn("w:numId")) == str(num_id))
        abstract_id = num.find(w_abstract).get(w_val)
        abstract = next(a for a in self.source.findall(qn("w:abstractNum")) if a.get(w_abstract) == abstract_id)
        new_abstract = copy.deepcopy(abstract)
        new_abstract.set(w_abstract, str(self._next_id("w:abstractNum", w_abstract)))
        nsid = new_abstract.find(qn("w:nsid"))
        if nsid is not None:  # the same nsid as a list of the reference's would merge the two lists in Word
            new_abstract.remove(nsid)
        new_num = copy.deepcopy(num)
        new_num_id = self._next_id("w:num", qn("w:numId"))
        new_num.set(qn("w:numId"), str(new_num_id))
        new_num.find(w_abstract).set(w_val, new_abstract.get(w_abstract))
        nums = self.target.findall(qn("w:num"))
        if nums:
            nums[0].addprevious(new_abstract)
            nums[-1].addnext(new_num)
        else:
            self.target.append(new_abstract)
            self.target.append(new_num)
        return new_num_id

    def _next_id(self, tag: str, attribute: str) -> int:
        return max((int(e.get(attribute)) for e in self.target.findall(qn(tag))), default=0) + 1


def _clear_body(document: DocxDocument) -> docx.section.Section:
    """Remove the reference's content but keep its last w:sectPr; return that section."""
    body = document.element.body
    last = body.get_or_add_sectPr()
    for child in list(body):
        if child is not last:
            body.remove(child)
    return document.sections[0]
