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

from reportlab import rl_config  # type: ignore[import-untyped]
from reportlab.lib.rl_accel import fp_str  # type: ignore[import-untyped]
from reportlab.pdfbase import pdfdoc  # type: ignore[import-untyped]

__all__ = ["FastDictionary", "FastLinkAnnotation", "faster"]

_ANNOT = pdfdoc.PDFName("Annot")


class FastLinkAnnotation(pdfdoc.LinkAnnotation):  # type: ignore[misc]
    """A reportlab link annotation that formats itself directly."""

    def format(self, document: Any) -> bytes:
        entries: dict[str, Any] = {"Type": _ANNOT, **self.otherkw}
        entries.update(Border=self.Border, Rect=self.Rect, Contents=self.Contents, Subtype="/Link", Dest=self.Destination)
        if rl_config.pdfMultiLine or not all(key.isalnum() and key.isascii() for key in entries):
            return bytes(super().format(document))
        parts = [b"/" + key.encode("ascii") + b" " + _value(key, entries[key], document) for key in sorted(entries)]
        for index in reversed(range(6, len(parts), 6)):  # reportlab breaks a dictionary's line every 6 entries
            parts.insert(index, b"\n ")
        return b"<<\n" + b" ".join(parts) + b"\n>>"


class FastDictionary(pdfdoc.PDFDictionary):  # type: ignore[misc]
    """A reportlab dictionary that formats itself directly (an annotation linking to an address, and its action)."""

    def format(self, document: Any, IND: bytes = b"\n ") -> bytes:
        entries = self.dict
        if rl_config.pdfMultiLine or self.multiline == "forced" or type(entries) is not dict or not all(
                type(key) is str and key.isalnum() and key.isascii() for key in entries):
            return bytes(super().format(document, IND))
        parts = [b"/" + key.encode("ascii") + b" " + _value(key, entries[key], document) for key in sorted(entries)]
        for index in reversed(range(6, len(parts), 6)):  # reportlab breaks a dictionary's line every 6 entries
            parts.insert(index, b"\n ")
        return b"<<\n" + b" ".join(parts) + b"\n>>"


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
    if key in ("Rect", "Border"):
        numbers = _numbers(value.sequence if kind is pdfdoc.PDFArray else value) if kind in (list, tuple, pdfdoc.PDFArray) else None
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
        numbers = _numbers((place.left, place.top, place.zoom)) if type(place) is pdfdoc.PDFDestinationXYZ else None
        if numbers is not None and value.page is not None:
            page = bytes(document.Reference(value.page).format(document))
            return b"[ " + page + b" /XYZ " + numbers[2:]
    return bytes(pdfdoc.format(value, document))


def _plain(text: str) -> bool:
    """Whether `text` is written as it is between parentheses: printable ASCII without ( ) or backslash."""
    return text.isascii() and text.isprintable() and not ("(" in text or ")" in text or "\\" in text)


def _numbers(values: Any) -> bytes | None:
    """Return a short array of numbers as reportlab's PDFArray writes it (each by `fp_str`, spaces between), or None."""
    values = list(values)
    if not 0 < len(values) <= 10 or not all(type(value) in (int, float) for value in values):
        return None
    return b"[ " + str(fp_str(*values)).encode("ascii") + b" ]"


def faster(annotation: Any) -> Any:
    """Return `annotation`, made a FastLinkAnnotation or FastDictionary if it is exactly reportlab's LinkAnnotation
    or PDFDictionary."""
    if type(annotation) is pdfdoc.LinkAnnotation:
        annotation.__class__ = FastLinkAnnotation
    elif type(annotation) is pdfdoc.PDFDictionary:
        annotation.__class__ = FastDictionary
    return annotation
