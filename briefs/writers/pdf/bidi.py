"""Right-to-left text for the PDF writer: display order, Arabic joining, and what text extractors read back.

reportlab draws characters left to right in the order given and has no bidi or shaping of its own
without `rlbidi` (not on PyPI) and `uharfbuzz` (whose shaped glyphs extract as private-use
characters). So the writer does it, per displayed line and only for paragraphs holding
right-to-left text (Latin-only briefs never come here):

* `resolve_levels`, `base_level` and `mirrored`: the Unicode bidirectional algorithm (UAX #9) is
  python-bidi's (levels resolved over a whole paragraph, rule L4's mirrors); `display_order`
  reorders one line after line breaking (rules L1-L3), which python-bidi does only for a whole
  paragraph at once.
* `shape_arabic`: Arabic letters become their joined presentation forms (`arabic-reshaper`,
  imported on first use) before line breaking, so widths are right; `extracted` maps them, and
  mirrored brackets (see ALIAS_BASE), back to what extractors should be told.
* `poppler_source`: pdftotext does not undo the display order: it reverses each run of
  right-to-left letters in place, keeps the runs in page order, and treats `: , . - + /` and
  digits as left to right, so "עברית: שלום עולם" drawn in display order comes back as
  "שלום עולם:עברית". A line can carry an /ActualText that poppler reads instead of its glyphs,
  and reorders the same way: this returns the text that poppler's reordering (`poppler_reorder`,
  a model of its TextOutputDev.cc) turns into the logical line, with LRM/RLM where its rules
  would move a neutral. It depends on the page's main direction (more left-to-right letters or
  not), which the writer estimates for the whole document. Readers that take /ActualText
  literally (Acrobat's copy) would read that text, not the logical line: the writer adds it
  only to lines whose glyphs poppler would get wrong.
* `pypdf_order`: pypdf reads glyphs in content-stream order, reverses runs of right-to-left
  characters itself, and ends a run at each font change; the writer draws each run at its
  display position but in the order pypdf reads back as the logical text.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import Any

from bidi import get_base_level, get_display  # type: ignore[import-untyped]  # python-bidi, ~2 ms to import
from bidi.mirror import MIRRORED  # type: ignore[import-untyped]

__all__ = [
    "ALIAS_BASE",
    "ALM",
    "ALM_MARK",
    "LINE_TEXT_CONTROLS",
    "SPACE_MOVE",
    "ZWSP",
    "base_level",
    "display_order",
    "extracted",
    "has_rtl",
    "has_strong_rtl",
    "is_rtl_letter",
    "mirrored",
    "poppler_reorder",
    "poppler_source",
    "pypdf_order",
    "resolve_levels",
    "shape_arabic",
]

_RTL = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefe\U00010800-\U00010fff\U0001e800-\U0001efff]")
"""Right-to-left scripts: Hebrew, Arabic, Syriac, Thaana, N'Ko... and their presentation forms."""
_ARABIC = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff]")
_PRESENTATION = re.compile("[\ufb50-\ufdff\ufe70-\ufefe]")
"""Arabic presentation forms: what `shape_arabic` draws, and what extractors are told is the base letter."""
_WORD = re.compile(r"\S+")

LRM, RLM = "\u200e", "\u200f"
ZWSP = "\u200b"
LINE_TEXT_CONTROLS = frozenset("\u061c\u200b\u200e\u200f\u202a\u202b\u202c")
"""Invisible marks extracted text may carry: pdftotext's around right-to-left runs, LRM/RLM from
`poppler_source`, ALM from `pypdf_order`, ZWSP marking the edges of a line's /ActualText."""


def has_rtl(text: str) -> bool:
    """Tell whether `text` holds a character of a right-to-left script (a quick check, no per-character work)."""
    return not text.isascii() and _RTL.search(text) is not None


def has_strong_rtl(text: str) -> bool:
    """Tell whether `text` holds a right-to-left letter (class R or AL), the only thing that reverses LTR text."""
    return has_rtl(text) and any(unicodedata.bidirectional(char) in ("R", "AL") for char in text)


ALIAS_BASE = 0x100000
"""A character drawn with its mirror's glyph (rule L4) is written as ALIAS_BASE + its code point (plane 16,
private use), so extractors are told it is itself: "(" drawn as ")" still reads "("."""


def extracted(char: str) -> str:
    """Return what a text extractor is told a drawn character is: the base letters of an Arabic presentation
    form, the character an alias (see ALIAS_BASE) stands for, else itself."""
    if _PRESENTATION.match(char):
        return unicodedata.normalize("NFKC", char)
    code = ord(char) - ALIAS_BASE
    return chr(code) if 0 <= code < 0x10000 and mirrored(chr(code)) != chr(code) else char


# ---------------------------------------------------------------------------------------------
# Arabic joining


@lru_cache(maxsize=1)
def _reshaper() -> Any:
    """Return arabic-reshaper's reshaper keeping vowel marks, or None when the package is missing (made once: one entry,
    no key, a reshaper that keeps no state between calls)."""
    try:
        from arabic_reshaper import ArabicReshaper  # type: ignore[import-untyped]
    except ImportError:
        return None
    return ArabicReshaper(configuration={"delete_harakat": False, "support_ligatures": True})


def shape_arabic(text: str, printable: Callable[[str], bool]) -> str | None:
    """Return `text` with Arabic letters in their joined forms; None when arabic-reshaper is not installed.

    Each word is shaped on its own (letters never join across a space); a word whose shaped forms
    `printable` rejects (no font has them) is left as it was: unjoined but readable.
    """
    if not _ARABIC.search(text):
        return text
    reshaper = _reshaper()
    if reshaper is None:
        return None

    def word(match: re.Match[str]) -> str:
        original = match.group()
        if not _ARABIC.search(original):
            return original
        shaped: str = reshaper.reshape(original)
        return shaped if all(printable(char) for char in shaped if _PRESENTATION.match(char)) else original

    return _WORD.sub(word, text)


# ---------------------------------------------------------------------------------------------
# Levels and mirrors from python-bidi; the order of one line after line breaking here

_TRAILING = frozenset(("WS", "BN", "LRI", "RLI", "FSI", "PDI", "LRE", "RLE", "LRO", "RLO", "PDF"))
"""Original classes that rule L1 puts back on the paragraph level at the end of a line."""
_LEVELS = re.compile(r"levels: \[(.*?)\]", re.S)
_NUMBER = re.compile(r"\d+")


def mirrored(char: str) -> str:
    """Return the glyph a character shows on a right-to-left level (rule L4): "(" shows as ")"."""
    mirror: str = MIRRORED.get(char, char)
    return mirror


def base_level(text: str) -> int:
    """Return the paragraph level of `text` by its first strong character (rules P2, P3): 1 right to left, else 0.

    Line ends count as spaces: python-bidi would look at the first line only.
    """
    text = " ".join(text.splitlines())
    return int(get_base_level(text)) if text else 0


def resolve_levels(text: str, base: int) -> list[int]:
    """Return the embedding level of each character of a paragraph, for paragraph level `base` (0 or 1).

    python-bidi's engine (the Rust unicode-bidi crate) resolves them; its debug result lists one
    level per UTF-8 byte, so each character takes the level of its first byte.
    """
    info = str(get_display(text, base_dir="R" if base & 1 else "L", debug=True))
    found = _LEVELS.search(info)
    per_byte = [int(level) for level in _NUMBER.findall(found.group(1))] if found else []
    if len(per_byte) != len(text.encode()):
        raise RuntimeError(f"python-bidi gave {len(per_byte)} levels for {len(text.encode())} bytes")
    levels, offset = [], 0
    for char in text:
        levels.append(per_byte[offset])
        offset += len(char.encode())
    return levels


def display_order(text: str, levels: Sequence[int], base: int) -> tuple[list[int], list[int]]:
    """Return (order, levels) for one line: its characters' indices in display order, left to right, and
    each character's level after rule L1 (trailing spaces go back to the paragraph level).

    Rule L2 reverses runs from the highest level down; a letter keeps its combining marks after it
    (L3), as a drawing glyph by glyph needs.
    """
    levels = list(levels)
    count = len(text)
    original = [unicodedata.bidirectional(char) for char in text]
    trailing = True
    for i in range(count - 1, -1, -1):  # L1
        kind = original[i]
        if kind in ("S", "B"):
            levels[i] = base
            trailing = True
        elif trailing and kind in _TRAILING:
            levels[i] = base
        else:
            trailing = False
    clusters: list[tuple[int, int]] = []
    for i in range(count):
        if clusters and original[i] in ("NSM", "BN") and levels[i] == levels[clusters[-1][0]]:
            clusters[-1] = (clusters[-1][0], i + 1)
        else:
            clusters.append((i, i + 1))
    order = list(range(len(clusters)))
    odd = [levels[start] for start, _ in clusters if levels[start] & 1]
    if odd:
        lowest = min(odd)
        for level in range(max(levels), lowest - 1, -1):
            k = 0
            while k < len(order):
                if levels[clusters[order[k]][0]] < level:
                    k += 1
                    continue
                end = k
                while end < len(order) and levels[clusters[order[end]][0]] >= level:
                    end += 1
                order[k:end] = order[k:end][::-1]
                k = end
    return [i for c in order for i in range(*clusters[c])], levels


# ---------------------------------------------------------------------------------------------
# What poppler (pdftotext) does with a line, and the /ActualText that makes it give the line back


def _poppler_class(char: str) -> str:
    """Return poppler's class of a character: L, R, # (digits and number separators, counted as L) or N."""
    if ord(char) > 0xFFFF:
        return "N"
    kind = unicodedata.bidirectional(char)
    if kind == "L":
        return "L"
    if kind in ("R", "AL"):
        return "R"
    return "#" if kind in ("EN", "ES", "ET", "CS", "AN") else "N"


def poppler_reorder(text: str, primary_ltr: bool) -> str:
    """Return what pdftotext prints for a line whose characters, left to right on the page, are `text`.

    A model of poppler's `reorderText` (TextOutputDev.cc), with its marks (U+202A-U+202C) left in.
    `primary_ltr` is poppler's page direction: more left-to-right than right-to-left letters.
    """
    kinds = [_poppler_class(char) for char in text]
    out: list[str] = []
    count = len(text)
    if primary_ltr:
        i = 0
        while i < count:
            j = i
            while j < count and kinds[j] != "R":
                j += 1
            out.append(text[i:j])
            i = j
            while j < count and kinds[j] not in ("L", "#"):
                j += 1
            if j > i:
                out.append("\u202b" + text[i:j][::-1] + "\u202c")
                i = j
        return "".join(out)
    out.append("\u202b")
    i = count - 1
    while i >= 0:
        j = i
        while j >= 0 and kinds[j] not in ("L", "#"):
            j -= 1
        out.append(text[j + 1:i + 1][::-1])
        i = j
        while j >= 0 and kinds[j] != "R":
            j -= 1
        if j < i:
            out.append("\u202a" + text[j + 1:i + 1] + "\u202c")
            i = j
    out.append("\u202c")
    return "".join(out)


def poppler_source(text: str, primary_ltr: bool) -> str:
    """Return the text that `poppler_reorder` turns into `text` (give or take LRM/RLM and its own marks)."""
    kinds = [_poppler_class(char) for char in text]
    count = len(text)
    if primary_ltr:  # reverse each run from a right-to-left letter to the last before an L or # character
        out: list[str] = []
        i = 0
        while i < count:
            if kinds[i] != "R":
                out.append(text[i])
                i += 1
                continue
            j, last = i, i
            while j < count and kinds[j] not in ("L", "#"):
                if kinds[j] == "R":
                    last = j
                j += 1
            out.append(text[i:last + 1][::-1])
            if last + 1 < count and kinds[last + 1] == "N":
                out.append(LRM)  # else poppler would take the neutral into the reversed run
            i = last + 1
        return "".join(out)
    tokens: list[tuple[bool, str]] = []  # (left to right?, text), in logical order
    i, pending = 0, []
    while i < count:
        if kinds[i] not in ("L", "#"):
            pending.append(text[i])
            i += 1
            continue
        j, last = i, i
        while j < count and kinds[j] != "R":
            if kinds[j] in ("L", "#"):
                last = j
            j += 1
        if pending:
            tokens.append((False, "".join(pending)))
            pending = []
        tokens.append((True, text[i:last + 1]))
        i = last + 1
    if pending:
        tokens.append((False, "".join(pending)))
    pieces = []
    for k, (ltr, part) in enumerate(tokens):
        if not ltr:
            pieces.append(part[::-1])
        elif k + 1 < len(tokens) and _poppler_class(tokens[k + 1][1][0]) == "N":
            pieces.append(RLM + part)  # else poppler would take the neutral into this left-to-right run
        else:
            pieces.append(part)
    return "".join(reversed(pieces))


# ---------------------------------------------------------------------------------------------
# The order pypdf wants glyphs drawn in


def is_rtl_letter(text: str) -> bool:
    """Tell whether pypdf takes the text of a glyph as a right-to-left character (one that turns its direction)."""
    return _pypdf_class(text) == "R"


def _pypdf_class(text: str) -> str:
    """Return pypdf's class of what one glyph extracts as: R, L, or N (neutral, and any multi-character text)."""
    if len(text) != 1:
        return "N"
    char = text
    if char <= "\x2f" or "\x3a" <= char <= "\x40" or "\u0660" <= char <= "\u066d" or "\u06f0" <= char <= "\u06f9" \
            or "\u2000" <= char <= "\u206f" or "\u20a0" <= char <= "\u21ff":
        return "N"
    if "\u0590" <= char <= "\u08ff" or "\ufb1d" <= char <= "\ufdff" or "\ufe70" <= char <= "\ufeff":
        return "R"
    return "L"


SPACE_MOVE = -1
"""In `pypdf_order`: an empty forward move, for which pypdf adds a space."""
ALM_MARK = -2
"""In `pypdf_order`: an invisible ARABIC LETTER MARK (U+061C), which pypdf takes as right to left."""
ALM = "\u061c"


def pypdf_order(texts: Sequence[str], fonts: Sequence[object] | None = None) -> list[int]:
    """Return the logical indices of a line's glyphs in the order to draw them for pypdf, with
    `SPACE_MOVE` and `ALM_MARK` where those go; spaces left out of the list are not drawn.

    pypdf appends the glyphs of a left-to-right run and prepends those of a right-to-left run, a
    neutral glyph joining the run it follows, and it ends a run at every font change (`fonts`
    tells each glyph's font and subset). So runs are drawn in logical order, a right-to-left run
    from its last character back. Spaces between a right-to-left run and the left-to-right text
    after it become the move (drawn, pypdf would prepend them to the run); other neutrals after a
    right-to-left run (a full stop) are drawn first, after an invisible ALM that turns pypdf to
    right to left (else the full stop would join the text before the run). Each right-to-left
    part gets an `ALM_MARK`: the writer draws it where the last glyph ended when the part starts
    elsewhere (a move forward would be read as a space before the run), else leaves it out.
    """
    fonts = fonts if fonts is not None else [None] * len(texts)
    units: list[tuple[str, list[int]]] = []
    pending: list[int] = []
    for i, text in enumerate(texts):
        kind = _pypdf_class(text)
        if kind == "N":
            pending.append(i)
        elif not units:
            units.append((kind, [*pending, i]))
            pending = []
        elif units[-1][0] == kind:
            units[-1][1].extend([*pending, i])
            pending = []
        else:
            units[-1][1].extend(pending)
            units.append((kind, [i]))
            pending = []
    if units:
        units[-1][1].extend(pending)
    elif pending:
        units.append(("L", pending))
    order: list[int] = []
    for k, (kind, indices) in enumerate(units):
        if kind == "L":
            order.extend(indices)
            continue
        parts = [[indices[0]]]  # pieces of one font: pypdf would put them in drawing order
        for i in indices[1:]:
            if fonts[i] == fonts[parts[-1][-1]]:
                parts[-1].append(i)
            else:
                parts.append([i])
        for p, part in enumerate(parts):
            last = max((i for i in part if _pypdf_class(texts[i]) == "R"), default=-1)
            tail = [i for i in part if i > last]
            if p + 1 == len(parts) and k + 1 < len(units) and tail and all(texts[i].isspace() for i in tail) \
                    and last >= 0:
                order.append(ALM_MARK)
                order.extend(i for i in reversed(part) if i <= last)
                order.append(SPACE_MOVE)
                continue
            order.append(ALM_MARK)  # needed if a neutral comes first, or the part starts away from the last glyph
            order.extend(reversed(part))
    return order
