"""The fonts a PDF embeds: the fallback chain, and the one registry per process that loads them.

reportlab prints a character its font lacks as an empty box that extracts as NUL, so text would
be lost without a word. The writer (`runs.FontRuns`) splits text by font coverage, walking this
chain for each character:

    0. The theme's face for the run's weight and slant, when a theme names its own family
       (`FontRegistry.family`): a Latin-only house font still prints the rest.
    1. DejaVu Sans (four faces), shipped in `briefs/fonts/`: Latin, Greek, Cyrillic, Hebrew, Arabic,
       symbols; the face of the run's weight and slant first, then the regular face.
    2. The fallback fonts of `FALLBACK_PATHS`, in order: IPAexGothic (shipped; Japanese, with Japanese glyph forms),
       Droid Sans Fallback (shipped; Chinese, and what IPAexGothic lacks), NanumGothic (Korean) and Symbola (symbols,
       emoji) from the system.

`FONTS`, the process's one `FontRegistry`, owns all of it: which files are parsed (each once per
process; a fallback only when a character needs it: Droid alone costs ~50 ms), what each covers,
and reportlab's registration, done when a PDF is written or a coverage check runs, never at import.
Fonts are `_Font`s: their ToUnicode CMap says what each glyph is (see `to_unicode_cmap`) without
changing reportlab for anyone else.
"""

from __future__ import annotations

import hashlib
import threading
import unicodedata
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from reportlab.lib.fonts import addMapping  # type: ignore[import-untyped]
from reportlab.pdfbase import pdfdoc, pdfmetrics  # type: ignore[import-untyped]
from reportlab.pdfbase.ttfonts import SUBSETN, TTFError, TTFont, makeToUnicodeCMap  # type: ignore[import-untyped]

from briefs.errors import ThemeError
from briefs.resources import fonts_dir

from ..theme import FontFamily
from . import bidi
from .objects import NumberArray

__all__ = [
    "BASE_FAMILY",
    "BUILTIN_FACES",
    "FALLBACK_PATHS",
    "FONTS",
    "NAME_PREFIX",
    "Faces",
    "FontRegistry",
    "face_flags",
    "face_name",
    "font_files",
    "ignorable",
    "to_unicode_cmap",
    "uncovered",
]

NAME_PREFIX = "briefs-"
"""Every font briefs registers with reportlab is named with this prefix: reportlab keeps one table of fonts for the
process, and a program using briefs that registers a "DejaVuSans" of its own (a common choice) would otherwise
replace ours, or ours its, for every PDF written after."""

BASE_FAMILY = NAME_PREFIX + "DejaVuSans"
"""The reportlab name of the main family; bold and italic map to its other faces."""

Faces = tuple[str, str, str, str]
"""The reportlab names of a family's four faces, indexed by `bold + 2 * italic` (a missing face repeats another)."""

_FACE_STEMS: Faces = ("DejaVuSans", "DejaVuSans-Bold", "DejaVuSans-Oblique", "DejaVuSans-BoldOblique")
"""Face file stems in `briefs/fonts/`, indexed by `bold + 2 * italic`."""
_FACE_FILES: Faces = (BASE_FAMILY, NAME_PREFIX + "DejaVuSans-Bold", NAME_PREFIX + "DejaVuSans-Oblique",
                      NAME_PREFIX + "DejaVuSans-BoldOblique")
"""The faces' reportlab names, indexed by `bold + 2 * italic`."""
BUILTIN_FACES = _FACE_FILES

FALLBACK_PATHS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (NAME_PREFIX + "IPAexGothic", (
        "ipaexg.ttf",
        "/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf",
        "/usr/share/fonts/truetype/fonts-japanese-gothic.ttf",
    )),
    (NAME_PREFIX + "DroidSansFallback", (
        "DroidSansFallbackFull.ttf",  # relative names are looked up in briefs/fonts/
        "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
    )),
    (NAME_PREFIX + "NanumGothic", (
        "NanumGothic.ttf",
        "/usr/share/fonts/truetype/nanum/NanumGothic.ttf",
        "/usr/share/fonts/nanum/NanumGothic.ttf",
        "/usr/share/fonts/naver-nanum/NanumGothic.ttf",
        "/Library/Fonts/NanumGothic.ttf",
        "C:/Windows/Fonts/NanumGothic.ttf",
    )),
    (NAME_PREFIX + "Symbola", (
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




def face_name(bold: bool, italic: bool) -> str:
    """Return the reportlab name of the DejaVu face for this weight and slant."""
    return _FACE_FILES[bold + 2 * italic]


def face_flags(font_name: str, faces: Faces = _FACE_FILES) -> tuple[bool, bool]:
    """Return (bold, italic) of a face of `faces` (DejaVu Sans by default); (False, False) for any other font.

    A face a family repeats (a theme family without a bold file) is taken as the first it stands for.
    """
    index = faces.index(font_name) if font_name in faces else 0
    return bool(index & 1), bool(index & 2)


def ignorable(char: str) -> bool:
    """Tell whether a character is invisible formatting (joiners, variation selectors) safe to drop."""
    code = ord(char)
    return unicodedata.category(char) == "Cf" or 0xFE00 <= code <= 0xFE0F or 0xE0100 <= code <= 0xE01EF


def to_unicode_cmap(fontname: str, subset: Sequence[int]) -> str:
    """Return reportlab's ToUnicode CMap for a subset of one of our fonts, telling extractors what each glyph is.

    Two changes: code points past U+FFFF are written as UTF-16 surrogate pairs (reportlab 5.1
    writes 5 hex digits, <1F600>, which extractors reject, so emoji came back as nothing), and an
    Arabic presentation form (a joined letter drawn by `bidi.shape_arabic`) or a mirrored glyph's
    alias (`bidi.ALIAS_BASE`) maps to what it stands for.
    """
    text = str(makeToUnicodeCMap(fontname, subset))
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


class FirstCodes:
    """The codes a document has given characters in a font's first subset: as a set and a `str.translate` table."""

    def __init__(self) -> None:
        self.known: set[str] = set()
        self.table: dict[int, str] = {}

    def learn(self, text: str, assignments: dict[int, int]) -> None:
        """Learn the codes of `text`'s characters from the font state's `assignments` (those in the first subset)."""
        for char in set(text) - self.known:
            n = assignments.get(ord(char))
            if n is not None and n < 256:
                self.known.add(char)
                self.table[ord(char)] = chr(n)
        if " " in self.known:  # reportlab prints a no-break space as a space
            self.known.add("\xa0")
            self.table[0xA0] = self.table[32]


class _Subsets:
    """A font's subset files made before, and their deflated bytes: a subset is the same file whenever the same
    characters are in it in the same order, as when a brief is written again (a batch, the live preview).

    Making a subset and deflating it costs about 1.5 ms a subset, 4 to 8 a brief. Bounded, least recently
    used dropped first; safe to share between threads (one dictionary operation at a time, under a lock).
    """

    LIMIT = 16
    """Subsets kept per font: an audience's brief usually fills one per face, a few briefs' worth."""

    def __init__(self, make: Any) -> None:
        self._make = make
        self._lock = threading.Lock()
        self._kept: OrderedDict[tuple[int, ...], tuple[bytes, bytes | None]] = OrderedDict()

    def file(self, subset: Sequence[int]) -> bytes:
        """Return the font file of `subset` (reportlab's `makeSubset`), made once."""
        key = tuple(subset)
        with self._lock:
            kept = self._kept.get(key)
            if kept is not None:
                self._kept.move_to_end(key)
                return kept[0]
        made: bytes = self._make(subset)
        with self._lock:
            self._kept[key] = (made, None)
            if len(self._kept) > self.LIMIT:
                self._kept.popitem(last=False)
        return made

    def clear(self) -> None:
        with self._lock:
            self._kept.clear()

    def deflated(self, subset: Sequence[int]) -> bytes | None:
        """Return the font file of `subset` deflated as reportlab deflates a stream, once; None if it was never made."""
        key = tuple(subset)
        with self._lock:
            kept = self._kept.get(key)
        if kept is None:
            return None
        if kept[1] is None:
            kept = (kept[0], pdfdoc.PDFZCompress.encode(kept[0]))  # reportlab's own filter, as the stream would use
            with self._lock:
                if key in self._kept:
                    self._kept[key] = kept
        return kept[1]


class _Font(TTFont):  # type: ignore[misc]
    """A TrueType font whose subsets carry `to_unicode_cmap`, which encodes text it has seen quickly, and which
    makes and deflates each subset file once (`_Subsets`).

    reportlab's other fonts keep its own CMap.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.subsets = _Subsets(self.face.makeSubset)
        self.face.makeSubset = self.subsets.file  # this font's own face object, made just above

    def splitString(self, text: Any, doc: Any, encoding: str = "utf-8") -> list[tuple[int, bytes]]:
        """Return `text` as (subset, codes) runs, as reportlab does; text whose characters all have codes in the
        first subset already (most runs after a brief's first lines) is encoded by `str.translate`, in C.

        reportlab walks the text a character at a time in Python: 7% of writing a PDF. A document's
        codes never change once assigned, so what is learnt here (`FirstCodes`, kept with the
        document's font state) is never wrong, only incomplete: a character it lacks takes reportlab's
        way, which assigns it a code, and then it is learnt.
        """
        codes = self.first_subset_codes(doc, text) if isinstance(text, str) else None
        if codes is not None:
            runs: list[tuple[int, bytes]] = [(0, codes)] if text else []
        else:
            runs = super().splitString(text, doc, encoding)
            state = self.state.get(doc)
            if state is not None and isinstance(text, str):
                first: FirstCodes | None = getattr(state, "first_codes", None)
                if first is None:
                    first = state.first_codes = FirstCodes()
                first.learn(text, state.assignments)
        recorder = doc.__dict__.get("drawing_recorder")
        if recorder is not None:  # a paragraph's first drawing is being recorded (`redraw`)
            recorder.encoded(self, text, runs)
        return runs

    def first_subset_codes(self, doc: Any, text: str) -> bytes | None:
        """Return `text` in the codes `doc` gave its characters in this font's first subset, if every character has one
        (by `str.translate`, in C); None otherwise (encoding `text` would assign codes: reportlab's way)."""
        first: FirstCodes | None = getattr(self.state.get(doc), "first_codes", None)
        if first is None or not first.known.issuperset(text):
            return None
        return text.translate(first.table).encode("latin-1")

    def getSubsetInternalName(self, subset: int, doc: Any) -> str:
        """Return the resource name of `subset` in `doc`, as reportlab does (telling a recording drawing: `redraw`)."""
        name: str = super().getSubsetInternalName(subset, doc)
        recorder = doc.__dict__.get("drawing_recorder")
        if recorder is not None:
            recorder.subset_named(self, subset, name)
        return name

    def addObjects(self, doc: Any) -> None:
        """Add the font's subsets to `doc` as reportlab does, then put our CMap in each subset's ToUnicode stream."""
        state = self.state.get(doc)
        subsets = [list(subset) for subset in state.subsets] if state is not None else []
        internal = state.internalName if state is not None else None
        super().addObjects(doc)
        fonts = doc.idToObject["BasicFonts"].dict if internal is not None and "BasicFonts" in doc.idToObject else {}
        for n, subset in enumerate(subsets):
            name = b"".join((SUBSETN(n), b"+", self.face.name, getattr(self.face, "subfontNameX", b""))).decode("pdfdoc")
            stream = doc.idToObject.get(f"toUnicodeCMap:{name}")
            if stream is not None:
                stream.content = to_unicode_cmap(name, subset)
            self._put_deflated(doc, name, subset)
            widths = getattr(fonts.get(f"{internal}+{n}"), "Widths", None)
            if type(widths) is pdfdoc.PDFArray:
                widths.__class__ = NumberArray  # 100 to 256 widths a subset, each formatted alone by reportlab

    def _put_deflated(self, doc: Any, name: str, subset: Sequence[int]) -> None:
        """Give the subset's font file stream its kept deflated bytes: the stream writes them as they are (its
        /Filter is set) instead of deflating the same file again."""
        stream = doc.idToObject.get(f"fontFile:{self.face.filename}({name})")
        if stream is None or stream.filters != [pdfdoc.PDFZCompress] or "Filter" in stream.dictionary.dict:
            return
        deflated = self.subsets.deflated(subset)
        if deflated is not None:
            stream.content = deflated
            stream.dictionary["Filter"] = pdfdoc.PDFArray([pdfdoc.PDFName(pdfdoc.PDFZCompress.pdfname)])


class FontRegistry:
    """Every font the PDF writer embeds, loaded once per process: the files, what they cover, reportlab's names.

    Methods are safe to call from several threads; a PDF using the fonts is written one at a time
    (`pdf.write`), as reportlab's fonts are shared by the process.
    """

    def __init__(self, fallbacks: tuple[tuple[str, tuple[str, ...]], ...] = FALLBACK_PATHS) -> None:
        self._fallback_paths = fallbacks
        self._lock = threading.RLock()
        self._fonts: dict[str, Any] = {}
        """reportlab name -> its registered `_Font`."""
        self._files: dict[str, str] = {}
        """Resolved file -> the reportlab name of a theme face registered from it."""
        self._families: dict[FontFamily, Faces] = {}
        self._fallbacks: dict[str, bool] = {}
        """Fallback font name -> whether it was found and registered; absent until first needed."""
        self._covered: dict[str, frozenset[str]] = {}
        self._prints_ascii: dict[str, bool] = {}
        self._font_of: dict[tuple[int, str, int], str | None] = {}
        """(code point, first font, face index) -> font that prints it, None for no font: saves re-walking the chain.

        Keyed by values and bounded by what exists: the code points printed (a data file is size-limited) times the
        fonts registered; the answer never changes, as a registered font is never replaced."""

    def builtin(self) -> Faces:
        """Register the four DejaVu faces and their bold/italic mapping (once); return their names."""
        with self._lock:
            if _FACE_FILES[0] not in self._fonts:
                for stem, name in zip(_FACE_STEMS, _FACE_FILES, strict=True):
                    self._register(name, fonts_dir() / f"{stem}.ttf")
                for index, stem in enumerate(_FACE_FILES):
                    addMapping(BASE_FAMILY, index & 1, index >> 1, stem)
        return _FACE_FILES

    def family(self, family: FontFamily | None) -> Faces:
        """Register a theme family's faces (once); return their names, indexed by `bold + 2 * italic`.

        None is the built-in family. Raises ThemeError naming a file reportlab cannot embed.
        """
        self.builtin()  # first: a theme face never takes a built-in face's name
        if family is None:
            return _FACE_FILES
        with self._lock:
            if family not in self._families:
                names = tuple(self._theme_face(path) for path in family.files())
                for index, name in enumerate(names):
                    addMapping(names[0], index & 1, index >> 1, name)
                self._families[family] = (names[0], names[1], names[2], names[3])
            return self._families[family]

    def cmap(self, name: str) -> dict[int, int]:
        """Return a registered font's character map: code point -> glyph."""
        cmap: dict[int, int] = self._fonts[name].face.charToGlyph
        return cmap

    def covered(self, name: str) -> frozenset[str]:
        """Return the characters a registered font has glyphs for, as a set a whole string is checked against at once."""
        known = self._covered.get(name)
        if known is None:
            known = self._covered[name] = frozenset(map(chr, self.cmap(name)))
        return known

    def prints_ascii(self, name: str) -> bool:
        """Tell whether a registered font has every printable ASCII character (the fast path of `FontRuns.segments`)."""
        return self._prints_ascii.get(name, True)

    def fallbacks(self) -> Iterator[str]:
        """Yield the fallback fonts in chain order, parsing each only when the ones before it lacked a
        character: a Japanese brief loads Droid Sans Fallback (60 ms) and never Nanum or Symbola."""
        for name, candidates in self._fallback_paths:
            with self._lock:
                if name not in self._fallbacks:
                    self._fallbacks[name] = self._load_fallback(name, candidates)
            if self._fallbacks[name]:
                yield name

    def resolve(self, code: int, face: int, first: str | None = None) -> str | None:
        """Return the first font of the chain that has `code`: `first` (a theme's face; DejaVu's by default),
        the DejaVu face for `face`, DejaVu regular, then the fallback fonts; None if none has it."""
        first = first or _FACE_FILES[face]
        key = (code, first, face)
        if key not in self._font_of:
            chain = (first, _FACE_FILES[face], _FACE_FILES[0])
            found = next((name for name in chain if code in self.cmap(name)), None)
            if found is None:
                found = next((name for name in self.fallbacks() if code in self.cmap(name)), None)  # loads lazily
            self._font_of[key] = found
        return self._font_of[key]

    def uncovered(self, text: str) -> list[str]:
        """Return the characters of `text`, in order and once each, that no font of the chain can print."""
        self.builtin()
        if set(text) <= self.covered(_FACE_FILES[0]):
            return []
        return [char for char in dict.fromkeys(text)
                if not char.isspace() and not ignorable(char) and self.resolve(ord(char), 0) is None]

    def invisible_marks(self, name: str) -> None:
        """Let a registered font print U+061C (ALM) and U+200B (ZWSP) as nothing: a blank glyph, zero wide.

        The writer draws them where pypdf must be turned to right to left before a full stop
        (`bidi.pypdf_order`), and to mark the edges of a line's /ActualText for poppler.
        """
        face = self._fonts[name].face
        blank = face.charToGlyph.get(0x200B, face.charToGlyph.get(0x20, 0))
        for mark in (bidi.ALM, bidi.ZWSP):
            if ord(mark) not in face.charToGlyph or face.charWidths.get(ord(mark)):
                face.charToGlyph[ord(mark)] = blank
                face.charWidths[ord(mark)] = 0

    def mirror_alias(self, name: str, char: str) -> str:
        """Return what to draw for `char` on a right-to-left level: its mirror's glyph ("(" shows as ")"),
        told to extractors as `char` (see `bidi.ALIAS_BASE`); `char` itself when the font lacks the mirror."""
        mirror = bidi.mirrored(char)
        if mirror == char:
            return char
        face = self._fonts[name].face
        alias = bidi.ALIAS_BASE + ord(char)
        if alias not in face.charToGlyph:
            if ord(mirror) not in face.charToGlyph:
                return char
            face.charToGlyph[alias] = face.charToGlyph[ord(mirror)]
            face.charWidths[alias] = face.charWidths.get(ord(mirror), face.defaultWidth)
        return chr(alias)

    def forget_subsets(self) -> None:
        """Drop every font's kept subset files (`_Subsets`)."""
        with self._lock:
            for font in self._fonts.values():
                font.subsets.clear()

    def face(self, name: str, path: Path) -> None:
        """Register the font file `path` under `name`, once per process (a language's face, or its emboldened twin)."""
        if name not in self._fonts:
            self._register(name, path)

    def _register(self, name: str, path: Path) -> None:
        font = _Font(name, str(path))
        pdfmetrics.registerFont(font)
        self._fonts[name] = font
        self._prints_ascii[name] = all(code in font.face.charToGlyph for code in range(0x20, 0x7F))

    def _theme_face(self, path: Path) -> str:
        """Register one file of a theme family under its stem (made unique if taken); return that name."""
        key = str(path.resolve())
        if key not in self._files:
            name = NAME_PREFIX + path.stem
            taken = name in self._fonts or name in pdfmetrics.getRegisteredFontNames() or name in _RESERVED_NAMES
            if taken:
                name = f"{name}-{hashlib.sha1(key.encode()).hexdigest()[:8]}"  # another file of the same name
            try:
                self._register(name, Path(key))
            except Exception as exc:  # reportlab raises TTFError, AssertionError, struct.error... for files it cannot use
                raise ThemeError(f"{path}: cannot embed {path.name} ({exc}): use a TrueType .ttf file with glyf outlines") from None
            self._files[key] = name
        return self._files[key]

    def _load_fallback(self, name: str, candidates: Sequence[str]) -> bool:
        """Register one fallback font if found; a one-face font maps bold and italic to itself."""
        path = _find(candidates)
        if path is None:
            return False
        try:
            self._register(name, path)
        except (TTFError, OSError):  # e.g. a CFF-outline file reportlab cannot embed
            return False
        for bold in (0, 1):
            for italic in (0, 1):
                addMapping(name, bold, italic, name)
        return True


_RESERVED_NAMES = frozenset((*_FACE_FILES, *(name for name, _ in FALLBACK_PATHS)))
"""Names the built-in faces and fallback fonts are registered under (the fallbacks only when first
needed): a theme face never takes one, even registered before them."""


def _find(candidates: Sequence[str]) -> Path | None:
    for candidate in candidates:
        path = Path(candidate) if "/" in candidate else fonts_dir() / candidate
        if path.is_file():
            return path
    return None


FONTS = FontRegistry()
"""The process's fonts: every PDF and every coverage check uses this one registry."""


def uncovered(text: str) -> list[str]:
    """Return the characters of `text`, in order and once each, that no PDF font can print.

    The PDF row's `coverage` in `WRITERS`: `check` reports them with the field they stand in
    before any brief is written.
    """
    return FONTS.uncovered(text)
