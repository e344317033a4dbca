"""Split a document's text into per-font segments of reportlab Paragraph markup, collecting warnings.

Each run of text is split by font coverage, walking the fallback chain of `fonts` (the process's
`FONTS` registry loads and registers the fonts); a character no font covers prints as U+FFFD and
is reported, once per document, as a warning naming it.

Right-to-left text (`bidi`): Arabic letters are put in their joined forms here, before line
breaking; the PDF's ToUnicode maps those forms back to the letters (`fonts.to_unicode_cmap`), so
text extractors give the letters. Lines are reordered for display when drawn (`flowables`).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

from . import bidi
from .fonts import BUILTIN_FACES, FONTS, Faces, FontRegistry, ignorable

__all__ = ["DirectedMarkup", "FontRuns", "escape_markup", "escape_text"]

_REPLACEMENT = "\ufffd"
_QUOTES = {'"': "&quot;", "'": "&#39;"}

_CATEGORY_NAMES = {"Co": "private use", "Cn": "unassigned", "Cs": "surrogate", "Cc": "control"}


def escape_markup(text: str) -> str:
    """Escape a value for an attribute of reportlab's Paragraph mini-markup, quotes included.

    A quote left in would close the attribute: a URL holding ' crashes Paragraph, and
    `x' color='red` would inject an attribute.
    """
    return escape(text, _QUOTES)


def escape_text(text: str) -> str:
    """Escape a text node (between tags) for reportlab's Paragraph mini-markup: &, < and >.

    Between tags a quote is plain data to reportlab's parser (no attribute is open), while each
    entity such as &#39; becomes a fragment of its own, which line breaking then walks: escaping
    the apostrophes of English text cost about 3 ms of a 45 ms brief. `escape_markup` is for
    attribute values, where quotes do matter.
    """
    return escape(text)


class DirectedMarkup(str):
    """Markup of right-to-left text that knows its document's main direction (`FontRuns.primary_ltr`):
    a paragraph made from it (the running header) writes its lines for the way pdftotext reads the page."""

    page_ltr: Callable[[], bool]


@dataclass
class FontRuns:
    """Split one document's text into per-font segments, collecting warnings as it goes.

    `faces` is the family text is set in unless a call names another (a theme's heading family):
    each of its faces starts the fallback chain of the runs in that face; all must be registered
    (`register_base_fonts`, `register_face`).
    """

    faces: Faces = BUILTIN_FACES
    fonts: FontRegistry = FONTS
    """Where fonts are loaded and what they cover: the process's one registry."""
    warnings: list[str] = field(default_factory=list)
    context: Callable[[], str] | None = None
    """Say where the text being split comes from, for warnings; set by the caller per block and
    called only when a warning is made."""
    _reported: set[str] = field(default_factory=set)
    _other_chars: int = 0
    """Characters of text without right-to-left letters (about 3 in 4 are letters), for `primary_ltr`..."""
    _ltr_letters: int = 0
    _rtl_letters: int = 0
    """...and the left-to-right and right-to-left letters of text with some."""

    def segments(self, text: str, bold: bool = False, italic: bool = False, faces: Faces | None = None) -> list[tuple[str, str]]:
        """Return (font name, text) segments that print `text` in the face for bold/italic of `faces`
        (the runs' own family by default); the first segment's font is that face unless it lacks the character."""
        face = bold + 2 * italic
        base = (faces or self.faces)[face]
        if text.isascii():
            self._other_chars += len(text)
            if not text or self.fonts.prints_ascii(base):
                return [(base, text)] if text else []
        elif bidi.has_rtl(text):
            text = self._right_to_left(text, face, base)
        else:
            self._other_chars += len(text)
        if self.fonts.covered(base).issuperset(text):  # the common case: one font, no per-character walk
            return [(base, text)]
        out: list[tuple[str, str]] = []
        current, chars = base, []
        for char in text:
            if char.isspace():
                chars.append(char)
                continue
            font = self.fonts.resolve(ord(char), face, base)
            if font is None:
                if ignorable(char):
                    continue
                self._report(char)
                char, font = _REPLACEMENT, self.fonts.resolve(ord(_REPLACEMENT), face, base) or base
            if font != current:
                if chars:
                    out.append((current, "".join(chars)))
                current, chars = font, []
            chars.append(char)
        if chars:
            out.append((current, "".join(chars)))
        return out

    def markup(self, text: str, bold: bool = False, italic: bool = False, faces: Faces | None = None) -> str:
        """Return escaped Paragraph markup for `text`, with a <font> tag around each fallback segment.

        `faces` is the family of the paragraph the text is in (the runs' own by default). A `<font
        name>` tag sets the exact face (reportlab resets bold and italic inside it), so text in the
        face the paragraph's font and the surrounding <b>/<i> already select needs no tag.
        """
        base = (faces or self.faces)[bold + 2 * italic]
        markup = "".join(
            escape_text(part) if font == base else f'<font name="{font}">{escape_text(part)}</font>'
            for font, part in self.segments(text, bold, italic, faces)
        )
        if text.isascii() or not bidi.has_rtl(text):
            return markup
        directed = DirectedMarkup(markup)
        directed.page_ltr = self.primary_ltr
        return directed

    def single_font(self, text: str, bold: bool = False, faces: Faces | None = None) -> tuple[str, str]:
        """Return one font for all of `text` (charts draw plain strings) and the text it can print.

        Picks the first font of the chain (from the face of `faces`, the runs' own by default)
        covering every character, else the one covering most; characters it lacks become U+FFFD
        and are reported. Right-to-left text comes back joined and in display order (one line;
        pypdf reads it back, pdftotext may move punctuation: no /ActualText in a chart).
        """
        self.fonts.builtin()
        face = int(bold)
        chain = list(dict.fromkeys(((faces or self.faces)[face], BUILTIN_FACES[face], BUILTIN_FACES[0])))
        needed = {ord(c) for c in text if not c.isspace() and not ignorable(c)}
        if not needed.issubset(self.fonts.cmap(chain[0])):
            for name in self.fonts.fallbacks():  # parsed lazily, and only until one covers every character
                chain.append(name)
                if needed.issubset(self.fonts.cmap(name)):
                    break
        best = max(chain, key=lambda name: (needed.issubset(self.fonts.cmap(name)), len(needed.intersection(self.fonts.cmap(name)))))
        cmap = self.fonts.cmap(best)
        printed = []
        for char in text:
            if char.isspace() or ord(char) in cmap:
                printed.append(char)
            elif not ignorable(char):
                self._report(char)
                printed.append(_REPLACEMENT)
        line = "".join(printed)
        if bidi.has_rtl(line):
            line = bidi.shape_arabic(line, lambda char: ord(char) in cmap) or line
            base = bidi.base_level(line)
            order, levels = bidi.display_order(line, bidi.resolve_levels(line, base), base)
            line = "".join(self.fonts.mirror_alias(best, line[i]) if levels[i] & 1 else line[i] for i in order)
        return best, line

    def primary_ltr(self) -> bool:
        """Tell whether the document has more left-to-right letters than right-to-left ones (pdftotext
        reorders a page's lines by which it has more of: see `bidi.poppler_source`)."""
        return self._other_chars * 3 // 4 + self._ltr_letters >= self._rtl_letters

    def _right_to_left(self, text: str, face: int, first: str) -> str:
        """Count the letters of right-to-left text and return it with Arabic letters joined."""
        kinds = [unicodedata.bidirectional(char) for char in text]
        self._ltr_letters += kinds.count("L")
        self._rtl_letters += kinds.count("R") + kinds.count("AL")
        shaped = bidi.shape_arabic(text, lambda char: self.fonts.resolve(ord(char), face, first) is not None)
        if shaped is not None:
            return shaped
        message = "Arabic letters are printed unjoined: the arabic-reshaper package is not installed"
        if message not in self.warnings:
            self.warnings.append(message)
        return text

    def _report(self, char: str) -> None:
        if char in self._reported:
            return
        self._reported.add(char)
        name = unicodedata.name(char, None) or _CATEGORY_NAMES.get(unicodedata.category(char), "unassigned")
        where = f" in {self.context()}" if self.context else ""
        self.warnings.append(f"no font has U+{ord(char):04X} ({name}){where}: printed as U+FFFD")
