"""Pick, for every character, an embedded TrueType font that has a glyph for it.

reportlab prints a character its font lacks as an empty box that extracts as NUL, so text would
be lost without a word. Each run of text is split into segments by font coverage and written as
Paragraph markup, walking this chain (DESIGN.md, "Output that is right everywhere"):

    1. DejaVu Sans (four faces), shipped in `briefs/fonts/`: Latin, Greek, Cyrillic, Hebrew, Arabic,
       symbols; a character the bold or oblique face lacks falls back to the regular face first.
    2. Droid Sans Fallback, shipped: Japanese and Chinese.
    3. NanumGothic, from the system: Korean.
    4. Symbola, from the system: symbols and emoji.

Fonts 2-4 are loaded only when a character needs them (Droid alone costs ~50 ms to parse) and
each font is registered with reportlab once per process. A character no font covers prints as
U+FFFD and is reported, once per document, as a warning naming it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib.fonts import addMapping  # type: ignore[import-untyped]
from reportlab.pdfbase import pdfmetrics, ttfonts  # type: ignore[import-untyped]
from reportlab.pdfbase.ttfonts import TTFError, TTFont  # type: ignore[import-untyped]

from briefs.resources import fonts_dir

__all__ = [
    "BASE_FAMILY",
    "FALLBACK_PATHS",
    "FontRuns",
    "escape_markup",
    "escape_text",
    "face_flags",
    "face_name",
    "register_base_fonts",
]

BASE_FAMILY = "DejaVuSans"
"""The reportlab name of the main family; bold and italic map to its other faces."""

_FACE_FILES = ("DejaVuSans", "DejaVuSans-Bold", "DejaVuSans-Oblique", "DejaVuSans-BoldOblique")
"""Face file stems (and reportlab names), indexed by `bold + 2 * italic`."""

FALLBACK_PATHS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("DroidSansFallback", (
        "DroidSansFallbackFull.ttf",  # relative names are looked up in briefs/fonts/
        "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
    )),
    ("NanumGothic", (
        "NanumGothic.ttf",
        "/usr/share/fonts/truetype/nanum/NanumGothic.ttf",
        "/usr/share/fonts/nanum/NanumGothic.ttf",
        "/usr/share/fonts/naver-nanum/NanumGothic.ttf",
        "/Library/Fonts/NanumGothic.ttf",
        "C:/Windows/Fonts/NanumGothic.ttf",
    )),
    ("Symbola", (
        "Symbola.ttf",
        "/usr/share/fonts/truetype/ancient-scripts/Symbola_hint.ttf",
        "/usr/share/fonts/truetype/symbola/Symbola.ttf",
        "/usr/share/fonts/truetype/ancient-scripts/Symbola.ttf",
        "/usr/share/fonts/gdouros-symbola/Symbola.ttf",
        "/usr/share/fonts/TTF/Symbola.ttf",
    )),
)
"""The fallback fonts in the order tried, each with the places searched for its file."""

_REPLACEMENT = "\ufffd"
_QUOTES = {'"': "&quot;", "'": "&#39;"}

_RTL = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefe\U00010800-\U00010fff\U0001e800-\U0001efff]")
"""Right-to-left scripts: Hebrew, Arabic, Syriac, Thaana, N'Ko... and their presentation forms."""
_CATEGORY_NAMES = {"Co": "private use", "Cn": "unassigned", "Cs": "surrogate", "Cc": "control"}

_cmaps: dict[str, dict[int, int]] = {}
"""Registered reportlab font name -> its character map; fonts are parsed once per process."""
_fallbacks_loaded: list[str] | None = None
"""Fallback font names found so far, in chain order; None until the first lookup needs them."""
_font_of: dict[tuple[int, int], str | None] = {}
"""(code point, face index) -> font that prints it, None for no font: saves re-walking the chain."""


def _to_unicode_cmap(fontname: str, subset: Sequence[int]) -> str:
    """Return reportlab's ToUnicode CMap with code points past U+FFFF as UTF-16 surrogate pairs.

    reportlab 5.1 writes them as 5 hex digits (<1F600>), which extractors reject, so emoji and
    other astral characters would come back from the PDF as nothing.
    """
    text = str(_original_cmap(fontname, subset))
    for code in subset:
        if code > 0xFFFF:
            pair = chr(code).encode("utf-16-be").hex().upper()
            text = text.replace(f"> <{code:04X}>\n", f"> <{pair}>\n")
    return text


_original_cmap = ttfonts.makeToUnicodeCMap
if f"<{0x1F600:X}>" in _original_cmap("probe", [0x1F600]):  # patch only while reportlab has the bug
    ttfonts.makeToUnicodeCMap = _to_unicode_cmap


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


def face_name(bold: bool, italic: bool) -> str:
    """Return the reportlab name of the DejaVu face for this weight and slant."""
    return _FACE_FILES[bold + 2 * italic]


def face_flags(font_name: str) -> tuple[bool, bool]:
    """Return (bold, italic) of a DejaVu face name; (False, False) for any other font."""
    index = _FACE_FILES.index(font_name) if font_name in _FACE_FILES else 0
    return bool(index & 1), bool(index & 2)


def _register(name: str, path: Path) -> None:
    font = TTFont(name, str(path))
    pdfmetrics.registerFont(font)
    _cmaps[name] = font.face.charToGlyph


def register_base_fonts() -> None:
    """Register the four DejaVu faces and their bold/italic mapping, once per process."""
    if _FACE_FILES[0] in _cmaps:
        return
    for stem in _FACE_FILES:
        _register(stem, fonts_dir() / f"{stem}.ttf")
    for index, stem in enumerate(_FACE_FILES):
        addMapping(BASE_FAMILY, index & 1, index >> 1, stem)


def _find(candidates: Sequence[str]) -> Path | None:
    for candidate in candidates:
        path = Path(candidate) if "/" in candidate else fonts_dir() / candidate
        if path.is_file():
            return path
    return None


def _load_fallbacks() -> list[str]:
    """Register every fallback font found; one-face fonts map bold and italic to themselves."""
    names: list[str] = []
    for name, candidates in FALLBACK_PATHS:
        path = _find(candidates)
        if path is None:
            continue
        try:
            _register(name, path)
        except (TTFError, OSError):  # e.g. a CFF-outline file reportlab cannot embed
            continue
        for bold in (0, 1):
            for italic in (0, 1):
                addMapping(name, bold, italic, name)
        names.append(name)
    return names


def _fallbacks() -> list[str]:
    global _fallbacks_loaded
    if _fallbacks_loaded is None:
        _fallbacks_loaded = _load_fallbacks()
    return _fallbacks_loaded


def _resolve(code: int, face: int) -> str | None:
    key = (code, face)
    if key not in _font_of:
        chain = [_FACE_FILES[face], _FACE_FILES[0]]
        found = next((name for name in chain if code in _cmaps[name]), None)
        if found is None:
            found = next((name for name in _fallbacks() if code in _cmaps[name]), None)
        _font_of[key] = found
    return _font_of[key]


@lru_cache(maxsize=8)
def _covered(font: str) -> frozenset[str]:
    """Return the characters a registered font has glyphs for, as a set a whole string is checked against at once."""
    return frozenset(map(chr, _cmaps[font]))


def _ignorable(char: str) -> bool:
    """Tell whether a character is invisible formatting (joiners, variation selectors) safe to drop."""
    code = ord(char)
    return unicodedata.category(char) == "Cf" or 0xFE00 <= code <= 0xFE0F or 0xE0100 <= code <= 0xE01EF


@dataclass
class FontRuns:
    """Split one document's text into per-font segments, collecting warnings as it goes."""

    warnings: list[str] = field(default_factory=list)
    context: Callable[[], str] | None = None
    """Say where the text being split comes from, for warnings; set by the caller per block and
    called only when a warning is made."""
    _reported: set[str] = field(default_factory=set)
    _rtl_reported: bool = False

    def segments(self, text: str, bold: bool = False, italic: bool = False) -> list[tuple[str, str]]:
        """Return (font name, text) segments that print `text` in the face for bold/italic."""
        face = bold + 2 * italic
        base = _FACE_FILES[face]
        if text.isascii():
            return [(base, text)] if text else []
        if not self._rtl_reported and _RTL.search(text):
            self._report_rtl(text)
        if _covered(base).issuperset(text):  # the common case: one font, no per-character walk
            return [(base, text)]
        out: list[tuple[str, str]] = []
        current, chars = base, []
        for char in text:
            if char.isspace():
                chars.append(char)
                continue
            font = _resolve(ord(char), face)
            if font is None:
                if _ignorable(char):
                    continue
                self._report(char)
                char, font = _REPLACEMENT, _resolve(ord(_REPLACEMENT), face) or base
            if font != current:
                if chars:
                    out.append((current, "".join(chars)))
                current, chars = font, []
            chars.append(char)
        if chars:
            out.append((current, "".join(chars)))
        return out

    def markup(self, text: str, bold: bool = False, italic: bool = False) -> str:
        """Return escaped Paragraph markup for `text`, with a <font> tag around each fallback segment.

        A `<font name>` tag sets the exact face (reportlab resets bold and italic inside it), so
        text in the face the surrounding <b>/<i> already select needs no tag.
        """
        base = _FACE_FILES[bold + 2 * italic]
        return "".join(
            escape_text(part) if font == base else f'<font name="{font}">{escape_text(part)}</font>'
            for font, part in self.segments(text, bold, italic)
        )

    def single_font(self, text: str, bold: bool = False) -> tuple[str, str]:
        """Return one font for all of `text` (charts draw plain strings) and the text it can print.

        Picks the first font of the chain covering every character; characters it lacks become
        U+FFFD and are reported.
        """
        register_base_fonts()
        face = int(bold)
        chain = [_FACE_FILES[face], _FACE_FILES[0]]
        if not text.isascii():
            chain += _fallbacks()
        needed = {ord(c) for c in text if not c.isspace() and not _ignorable(c)}
        best = max(chain, key=lambda name: (needed.issubset(_cmaps[name]), len(needed.intersection(_cmaps[name]))))
        cmap = _cmaps[best]
        printed = []
        for char in text:
            if char.isspace() or ord(char) in cmap:
                printed.append(char)
            elif not _ignorable(char):
                self._report(char)
                printed.append(_REPLACEMENT)
        return best, "".join(printed)

    def _report_rtl(self, text: str) -> None:
        self._rtl_reported = True
        where = f" in {self.context()}" if self.context else f" in {text[:40]!r}"
        self.warnings.append(f"right-to-left text{where} is printed left to right, letters unjoined: this writer "
                             "does not use reportlab's bidi (rlbidi) or shaping (uharfbuzz) support")

    def _report(self, char: str) -> None:
        if char in self._reported:
            return
        self._reported.add(char)
        name = unicodedata.name(char, None) or _CATEGORY_NAMES.get(unicodedata.category(char), "unassigned")
        where = f" in {self.context()}" if self.context else ""
        self.warnings.append(f"no font has U+{ord(char):04X} ({name}){where}: printed as U+FFFD")
