"""Pick, for every character, an embedded TrueType font that has a glyph for it.

reportlab prints a character its font lacks as an empty box that extracts as NUL, so text would
be lost without a word. Each run of text is split into segments by font coverage and written as
Paragraph markup, walking this chain:

    0. The theme's face for the run's weight and slant, when a theme names its own family
       (`register_face`; `FontRuns(faces=...)`): a Latin-only house font still prints the rest.
    1. DejaVu Sans (four faces), shipped in `briefs/fonts/`: Latin, Greek, Cyrillic, Hebrew, Arabic,
       symbols; the face of the run's weight and slant first, then the regular face.
    2. IPAexGothic, shipped: Japanese, with Japanese glyph forms (the built-in data quotes Japanese).
    3. Droid Sans Fallback, shipped: Chinese, and what IPAexGothic lacks.
    4. NanumGothic, from the system: Korean.
    5. Symbola, from the system: symbols and emoji.

Fonts 2-4 are loaded only when a character needs them (Droid alone costs ~50 ms to parse) and
each font is registered with reportlab once per process. A character no font covers prints as
U+FFFD and is reported, once per document, as a warning naming it.

Right-to-left text (`bidi`): Arabic letters are put in their joined forms here, before line
breaking; the PDF's ToUnicode maps those forms back to the letters, so text extractors give the
letters. Lines are reordered for display when drawn (`flowables`).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib.fonts import addMapping  # type: ignore[import-untyped]
from reportlab.pdfbase import pdfmetrics, ttfonts  # type: ignore[import-untyped]
from reportlab.pdfbase.ttfonts import TTFError, TTFont  # type: ignore[import-untyped]

from briefs.resources import fonts_dir

from . import bidi

__all__ = [
    "BASE_FAMILY",
    "BUILTIN_FACES",
    "FALLBACK_PATHS",
    "DirectedMarkup",
    "Faces",
    "FontRuns",
    "escape_markup",
    "escape_text",
    "face_flags",
    "face_name",
    "font_files",
    "invisible_marks",
    "mirror_alias",
    "register_base_fonts",
    "register_face",
    "uncovered",
]

BASE_FAMILY = "DejaVuSans"
"""The reportlab name of the main family; bold and italic map to its other faces."""

Faces = tuple[str, str, str, str]
"""The reportlab names of a family's four faces, indexed by `bold + 2 * italic` (a missing face repeats another)."""

_FACE_FILES: Faces = ("DejaVuSans", "DejaVuSans-Bold", "DejaVuSans-Oblique", "DejaVuSans-BoldOblique")
"""Face file stems (and reportlab names), indexed by `bold + 2 * italic`."""
BUILTIN_FACES = _FACE_FILES

FALLBACK_PATHS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("IPAexGothic", (
        "ipaexg.ttf",
        "/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf",
        "/usr/share/fonts/truetype/fonts-japanese-gothic.ttf",
    )),
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



def font_files() -> list[Path]:
    """Return every font file a PDF may embed: the shipped fonts and the fallback fonts found on this system."""
    shipped = sorted(fonts_dir().glob("*.ttf"))
    system = [Path(candidate) for _, candidates in FALLBACK_PATHS for candidate in candidates
              if Path(candidate).is_absolute() and Path(candidate).is_file()]
    return [*shipped, *system]


_REPLACEMENT = "\ufffd"
_QUOTES = {'"': "&quot;", "'": "&#39;"}

_CATEGORY_NAMES = {"Co": "private use", "Cn": "unassigned", "Cs": "surrogate", "Cc": "control"}

_cmaps: dict[str, dict[int, int]] = {}
"""Registered reportlab font name -> its character map; fonts are parsed once per process."""
_fallback_state: dict[str, bool] = {}
"""Fallback font name -> whether it was found and registered; absent until first needed."""
_font_of: dict[tuple[int, str, int], str | None] = {}
"""(code point, first font, face index) -> font that prints it, None for no font: saves re-walking the chain."""
_prints_ascii: dict[str, bool] = {}
"""Registered font name -> whether it has every printable ASCII character (the fast path of `segments`)."""


def _to_unicode_cmap(fontname: str, subset: Sequence[int]) -> str:
    """Return reportlab's ToUnicode CMap, telling extractors what each glyph is.

    Two changes: code points past U+FFFF are written as UTF-16 surrogate pairs (reportlab 5.1
    writes 5 hex digits, <1F600>, which extractors reject, so emoji came back as nothing), and an
    Arabic presentation form (a joined letter drawn by `bidi.shape_arabic`) maps to its letters.
    """
    text = str(_original_cmap(fontname, subset))
    changed = [i for i, code in enumerate(subset) if code > 0xFFFF or 0xFB50 <= code <= 0xFDFF or 0xFE70 <= code <= 0xFEFE]
    if not changed:
        return text
    lines = text.split("\n")
    first = next((n for n, line in enumerate(lines) if line.endswith("beginbfchar")), len(lines)) + 1
    for i in changed:  # one "<code> <unicode>" line per glyph, in subset order
        if first + i < len(lines) and lines[first + i].startswith(f"<{i:02X}> "):
            letters = bidi.extracted(chr(subset[i]))
            lines[first + i] = f"<{i:02X}> <{letters.encode('utf-16-be').hex().upper()}>"
    return "\n".join(lines)


_original_cmap = ttfonts.makeToUnicodeCMap
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


def face_flags(font_name: str, faces: Faces = _FACE_FILES) -> tuple[bool, bool]:
    """Return (bold, italic) of a face of `faces` (DejaVu Sans by default); (False, False) for any other font.

    A face a family repeats (a theme family without a bold file) is taken as the first it stands for.
    """
    index = faces.index(font_name) if font_name in faces else 0
    return bool(index & 1), bool(index & 2)


def _register(name: str, path: Path) -> None:
    font = TTFont(name, str(path))
    pdfmetrics.registerFont(font)
    cmap: dict[int, int] = font.face.charToGlyph
    _cmaps[name] = cmap
    _prints_ascii[name] = all(code in cmap for code in range(0x20, 0x7F))


def register_face(name: str, path: Path) -> None:
    """Register a theme's TrueType face with reportlab as `name`, once, so a fallback chain can start from it.

    Raises OSError or reportlab's TTFError (among others) for a file reportlab cannot embed.
    """
    if name not in _cmaps:
        _register(name, path)


def invisible_marks(name: str) -> None:
    """Let a registered font print U+061C (ALM) and U+200B (ZWSP) as nothing: a blank glyph, zero wide.

    The writer draws them where pypdf must be turned to right to left before a full stop
    (`bidi.pypdf_order`), and to mark the edges of a line's /ActualText for poppler.
    """
    face = pdfmetrics.getFont(name).face
    blank = face.charToGlyph.get(0x200B, face.charToGlyph.get(0x20, 0))
    for mark in (bidi.ALM, bidi.ZWSP):
        if ord(mark) not in face.charToGlyph or face.charWidths.get(ord(mark)):
            face.charToGlyph[ord(mark)] = blank
            face.charWidths[ord(mark)] = 0


def mirror_alias(name: str, char: str) -> str:
    """Return what to draw for `char` on a right-to-left level: its mirror's glyph ("(" shows as ")"),
    told to extractors as `char` (see `bidi.ALIAS_BASE`); `char` itself when the font lacks the mirror."""
    mirror = bidi.mirrored(char)
    if mirror == char:
        return char
    face = pdfmetrics.getFont(name).face
    alias = bidi.ALIAS_BASE + ord(char)
    if alias not in face.charToGlyph:
        if ord(mirror) not in face.charToGlyph:
            return char
        face.charToGlyph[alias] = face.charToGlyph[ord(mirror)]
        face.charWidths[alias] = face.charWidths.get(ord(mirror), face.defaultWidth)
    return chr(alias)


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


def _load_fallback(name: str, candidates: Sequence[str]) -> bool:
    """Register one fallback font if found; a one-face font maps bold and italic to itself."""
    path = _find(candidates)
    if path is None:
        return False
    try:
        _register(name, path)
    except (TTFError, OSError):  # e.g. a CFF-outline file reportlab cannot embed
        return False
    for bold in (0, 1):
        for italic in (0, 1):
            addMapping(name, bold, italic, name)
    return True


def _fallbacks() -> Iterator[str]:
    """Yield the fallback fonts in chain order, parsing each only when the ones before it lacked a
    character: a Japanese brief loads Droid Sans Fallback (60 ms) and never Nanum or Symbola."""
    for name, candidates in FALLBACK_PATHS:
        if name not in _fallback_state:
            _fallback_state[name] = _load_fallback(name, candidates)
        if _fallback_state[name]:
            yield name


def _resolve(code: int, face: int, first: str | None = None) -> str | None:
    """Return the first font of the chain that has `code`: `first` (a theme's face; DejaVu's by default),
    the DejaVu face for `face`, DejaVu regular, then the fallback fonts; None if none has it."""
    first = first or _FACE_FILES[face]
    key = (code, first, face)
    if key not in _font_of:
        chain = (first, _FACE_FILES[face], _FACE_FILES[0])
        found = next((name for name in chain if code in _cmaps[name]), None)
        if found is None:
            found = next((name for name in _fallbacks() if code in _cmaps[name]), None)  # loads lazily
        _font_of[key] = found
    return _font_of[key]


def uncovered(text: str) -> list[str]:
    """Return the characters of `text`, in order and once each, that no font of the chain can print.

    For `check`, which reports them with the field they stand in before any brief is written.
    """
    register_base_fonts()
    if set(text) <= _covered(_FACE_FILES[0]):
        return []
    missing = []
    for char in dict.fromkeys(text):
        if not char.isspace() and not _ignorable(char) and _resolve(ord(char), 0) is None:
            missing.append(char)
    return missing


@lru_cache(maxsize=32)
def _covered(font: str) -> frozenset[str]:
    """Return the characters a registered font has glyphs for, as a set a whole string is checked against at once."""
    return frozenset(map(chr, _cmaps[font]))


def _ignorable(char: str) -> bool:
    """Tell whether a character is invisible formatting (joiners, variation selectors) safe to drop."""
    code = ord(char)
    return unicodedata.category(char) == "Cf" or 0xFE00 <= code <= 0xFE0F or 0xE0100 <= code <= 0xE01EF


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

    faces: Faces = _FACE_FILES
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
            if not text or _prints_ascii.get(base, True):
                return [(base, text)] if text else []
        elif bidi.has_rtl(text):
            text = self._right_to_left(text, face, base)
        else:
            self._other_chars += len(text)
        if _covered(base).issuperset(text):  # the common case: one font, no per-character walk
            return [(base, text)]
        out: list[tuple[str, str]] = []
        current, chars = base, []
        for char in text:
            if char.isspace():
                chars.append(char)
                continue
            font = _resolve(ord(char), face, base)
            if font is None:
                if _ignorable(char):
                    continue
                self._report(char)
                char, font = _REPLACEMENT, _resolve(ord(_REPLACEMENT), face, base) or base
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
        register_base_fonts()
        face = int(bold)
        chain = list(dict.fromkeys(((faces or self.faces)[face], _FACE_FILES[face], _FACE_FILES[0])))
        needed = {ord(c) for c in text if not c.isspace() and not _ignorable(c)}
        if not needed.issubset(_cmaps[chain[0]]):
            for name in _fallbacks():  # parsed lazily, and only until one covers every character
                chain.append(name)
                if needed.issubset(_cmaps[name]):
                    break
        best = max(chain, key=lambda name: (needed.issubset(_cmaps[name]), len(needed.intersection(_cmaps[name]))))
        cmap = _cmaps[best]
        printed = []
        for char in text:
            if char.isspace() or ord(char) in cmap:
                printed.append(char)
            elif not _ignorable(char):
                self._report(char)
                printed.append(_REPLACEMENT)
        line = "".join(printed)
        if bidi.has_rtl(line):
            line = bidi.shape_arabic(line, lambda char: ord(char) in cmap) or line
            base = bidi.base_level(line)
            order, levels = bidi.display_order(line, bidi.resolve_levels(line, base), base)
            line = "".join(mirror_alias(best, line[i]) if levels[i] & 1 else line[i] for i in order)
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
        shaped = bidi.shape_arabic(text, lambda char: _resolve(ord(char), face, first) is not None)
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
