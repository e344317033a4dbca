"""Link annotations, written directly: the same bytes as reportlab's `LinkAnnotation`, faster.

A brief has about 90 links (every citation number links to its source entry) and 16 links to
addresses. reportlab formats each through its generic dictionaries: about 70 µs a link, 6 ms a
brief, a tenth of the PDF. `FastLinkAnnotation.format` (a link within the brief) and
`FastDictionary.format` (a link to an address, a dictionary holding its action) build the same text
from the same values, falling back to reportlab's own code for anything they do not expect; tests
compare the two on every link of the built-in briefs.
"""

from __future__ import annotations

from typing import Any

from reportlab.pdfbase import pdfdoc  # type: ignore[import-untyped]

from .objects import dictionary, number_array, plain_keys

__all__ = ["FastDictionary", "FastLinkAnnotation", "faster"]

_ANNOT = pdfdoc.PDFName("Annot")


class FastLinkAnnotation(pdfdoc.LinkAnnotation):  # type: ignore[misc]
    """A reportlab link annotation that formats itself directly."""

    def format(self, document: Any) -> bytes:
        entries: dict[str, Any] = {"Type": _ANNOT, **self.otherkw}
        entries.update(Border=self.Border, Rect=self.Rect, Contents=self.Contents, Subtype="/Link", Dest=self.Destination)
        if not plain_keys(entries):
            return bytes(super().format(document))
        return dictionary(entries, lambda key, value: _value(key, value, document))


class FastDictionary(pdfdoc.PDFDictionary):  # type: ignore[misc]
    """A reportlab dictionary that formats itself directly (an annotation linking to an address, and its action)."""

    def format(self, document: Any, IND: bytes = b"\n ") -> bytes:
        if self.multiline == "forced" or not plain_keys(self.dict):
            return bytes(super().format(document, IND))
        return dictionary(self.dict, lambda key, value: _value(key, value, document))


def _value(key: str, value: Any, document: Any) -> bytes:
    """Return one entry's value as reportlab writes it: directly for the kinds a brief's links hold, else by reportlab."""
    kind = type(value)
    if key == "Contents" and kind is not pdfdoc.PDFString:  # text, written as a string
        if isinstance(value, str) and _plain(value) and isinstance(document.encrypt, pdfdoc.NoEncryption):
            return b"(" + value.encode("ascii") + b")"
        return bytes(pdfdoc.PDFString(value, 1).format(document))
    if isinstance(value, str) and kind is str and value.isascii() and value.isprintable():
        return value.encode("ascii")  # a name (/Annot, /Link), written as it is: PDFDocEncoding is ASCII here
    if kind is int:
        return str(value).encode("ascii")
    if key in ("Rect", "Border") and kind in (list, tuple, pdfdoc.PDFArray):
        numbers = number_array(value.sequence if kind is pdfdoc.PDFArray else value)
        if numbers is not None:
            return numbers
    if kind is pdfdoc.PDFString and isinstance(value.s, str) and _plain(value.s) and getattr(value, "escape", 1) == 1 \
            and getattr(value, "enc", "auto") == "auto" and isinstance(document.encrypt, pdfdoc.NoEncryption):
        return b"(" + value.s.encode("ascii") + b")"
    if kind is pdfdoc.PDFDictionary:
        value.__class__ = FastDictionary  # an annotation's action
        return bytes(value.format(document))
    if key == "Dest" and kind is pdfdoc.Destination:
        place = value.fmt
        numbers = number_array((place.left, place.top, place.zoom)) if type(place) is pdfdoc.PDFDestinationXYZ else None
        if numbers is not None and value.page is not None:
            page = bytes(document.Reference(value.page).format(document))
            return b"[ " + page + b" /XYZ " + numbers[2:]
    return bytes(pdfdoc.format(value, document))


def _plain(text: str) -> bool:
    """Whether `text` is written as it is between parentheses: printable ASCII without ( ) or backslash."""
    return text.isascii() and text.isprintable() and not ("(" in text or ")" in text or "\\" in text)


def faster(annotation: Any) -> Any:
    """Return `annotation`, made a FastLinkAnnotation or FastDictionary if it is exactly reportlab's LinkAnnotation
    or PDFDictionary."""
    if type(annotation) is pdfdoc.LinkAnnotation:
        annotation.__class__ = FastLinkAnnotation
    elif type(annotation) is pdfdoc.PDFDictionary:
        annotation.__class__ = FastDictionary
    return annotation
