"""Turn recipient names into safe, unique, readable file names, whatever the names hold.

    stems = unique_stems(["Anna Müller", "anna müller", "../etc/passwd", "CON", "山田太郎"])
    # ['Anna Müller', 'anna müller-2', 'etc_passwd', 'CON_', '山田太郎']

A stem is safe on Linux, macOS and Windows: no path separators or characters Windows forbids,
no control or invisible formatting characters (a right-to-left override could disguise
`fdp.exe` as `exe.pdf`), no leading dot (hidden file), hyphen (read as an option by a shell
command such as `rm *`) or space, no trailing dot or space (Windows drops them), no Windows
device name (`CON`, `NUL`, `COM1`, ...), and at most STEM_BYTES bytes of UTF-8, so that the stem,
a dedupe suffix and an extension stay within MAX_NAME_BYTES (file systems allow 255 bytes; the
rest is room for temporary names). Letters of every script are kept, NFC-normalised.

Stems are unique after case folding and normalisation, because macOS and Windows file systems
treat `Anna` and `anna` as one file: later names get `-2`, `-3`, ... in the order given.
Pure functions: nothing here touches the file system.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

__all__ = ["FALLBACK_STEM", "MAX_NAME_BYTES", "STEM_BYTES", "safe_stem", "unique_stems"]

MAX_NAME_BYTES = 200
"""Longest file name produced, in UTF-8 bytes, extension included."""

STEM_BYTES = MAX_NAME_BYTES - 16
"""Longest stem, dedupe suffix included: leaves room for an extension such as `.docx`."""

FALLBACK_STEM = "recipient"
"""The stem of a name with nothing printable left in it."""

_FORBIDDEN = re.compile(r'[<>:"/\\|?*]+')
"""Path separators and the other characters Windows forbids in names, runs replaced by one '_'."""

_SPACES = re.compile(r"\s+")
_EDGE_LEAD = "._- "
_EDGE_TRAIL = ". "
_JOINERS = {"\u200c", "\u200d"}
"""Zero-width (non-)joiners: format characters that Persian words and emoji sequences need."""

_DEVICES = frozenset(
    {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$", "CLOCK$"}
    | {f"{port}{n}" for port in ("COM", "LPT") for n in (*"0123456789", "¹", "²", "³")}
)
"""Windows device names: reserved with any extension (`nul.txt` too), in any case."""


def safe_stem(name: str, max_bytes: int = STEM_BYTES) -> str:
    """Return a file-name stem for `name` (no extension): readable, safe everywhere, at most `max_bytes` of UTF-8.

    Never empty: a name with nothing printable left becomes FALLBACK_STEM.
    """
    text = _SPACES.sub(" ", "".join(_visible(char) for char in unicodedata.normalize("NFC", name)))
    text = _FORBIDDEN.sub("_", text).lstrip(_EDGE_LEAD).rstrip(_EDGE_TRAIL)
    head, dot, rest = text.partition(".")
    if head.rstrip(" ").upper() in _DEVICES:
        text = head.rstrip(" ") + "_" + dot + rest
    return _truncate(text, max_bytes) or FALLBACK_STEM


def unique_stems(names: Iterable[str], reserved: Iterable[str] = (), max_bytes: int = STEM_BYTES) -> list[str]:
    """Return one safe stem per name, in order, no two equal after case folding.

    The first holder of a stem keeps it; later ones get `-2`, `-3`, ... (the first free number),
    so the result depends only on the names and their order. Stems in `reserved` (e.g. the
    audience briefs that share the folder) are never handed out.
    """
    taken = {_fold(stem) for stem in reserved}
    stems = []
    for name in names:
        base = safe_stem(name, max_bytes)
        stem, number = base, 1
        while _fold(stem) in taken:
            number += 1
            suffix = f"-{number}"
            stem = _truncate(base, max_bytes - len(suffix)) + suffix
        taken.add(_fold(stem))
        stems.append(stem)
    return stems


def _visible(char: str) -> str:
    """Return `char`, a space for whitespace and line breaks, or nothing for invisible or unprintable characters."""
    category = unicodedata.category(char)
    if char.isspace() or category in ("Zl", "Zp"):
        return " "
    if category in ("Cc", "Cs", "Co", "Cn") or (category == "Cf" and char not in _JOINERS):
        return ""
    return char


def _truncate(text: str, max_bytes: int) -> str:
    """Cut `text` to at most `max_bytes` of UTF-8 at a character boundary, without a trailing dot or space."""
    encoded = text.encode("utf-8")
    if len(encoded) <= max_bytes:
        return text
    cut = encoded[:max_bytes].decode("utf-8", errors="ignore")
    # Never part a letter from its combining accents, nor leave a joiner without its partner.
    while cut and (unicodedata.combining(text[len(cut)]) or text[len(cut)] in _JOINERS or cut[-1] in _JOINERS):
        cut = cut[:-1]
    return cut.rstrip(_EDGE_TRAIL)


def _fold(stem: str) -> str:
    """Return the form two names share when a case-insensitive file system sees one file."""
    return unicodedata.normalize("NFC", stem.casefold())
