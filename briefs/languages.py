"""Language tags (BCP 47) of briefs: checked and normalized once, read by every writer.

A well-formed tag is enough (`en`, `en-GB`, `ja`, `zh-Hant-TW`, `pt-BR`); its case is normalized
as RFC 5646 recommends (language lower, script title, region upper). Word needs to know which
language East Asian characters are in (`w:eastAsia`): the brief's own when it is Japanese,
Chinese or Korean, else Japanese, the script the built-in data quotes.
"""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import AfterValidator

__all__ = ["DEFAULT_LANGUAGE", "Language", "east_asian", "east_asian_font", "is_cjk", "language_tag", "right_to_left"]

DEFAULT_LANGUAGE = "en"
_TAG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z]{4})?(-(?:[A-Za-z]{2}|[0-9]{3}))?(-(?:[A-Za-z0-9]{5,8}|[0-9][A-Za-z0-9]{3}))*$")
_EAST_ASIAN = {"ja": "ja-JP", "zh": "zh-CN", "ko": "ko-KR"}
_RIGHT_TO_LEFT = frozenset({"ar", "he", "fa", "ur", "yi", "ps", "sd", "ug", "dv", "ckb"})


def language_tag(text: str) -> str:
    """Return `text` as a normalized BCP 47 tag; raise ValueError in the user's words when it is not one."""
    value = str(text).strip().replace("_", "-")
    if not _TAG.match(value):
        raise ValueError(f"{text!r} is not a language tag: write a BCP 47 tag such as en, en-GB, ja, zh-Hant or pt-BR")
    parts = value.split("-")
    normalized = [parts[0].lower()]
    for part in parts[1:]:
        normalized.append(part.title() if len(part) == 4 and part.isalpha() else part.upper() if len(part) == 2 else part.lower())
    return "-".join(normalized)


Language = Annotated[str, AfterValidator(language_tag)]


def east_asian(tag: str) -> str:
    """Return the language Word should assume for East Asian characters in a brief in `tag`."""
    primary = tag.split("-")[0]
    return tag if primary in _EAST_ASIAN and "-" in tag else _EAST_ASIAN.get(primary, "ja-JP")


_EAST_ASIAN_FONTS = {"ja": "MS Gothic", "zh-Hant": "Microsoft JhengHei", "zh-TW": "Microsoft JhengHei",
                     "zh-HK": "Microsoft JhengHei", "zh": "Microsoft YaHei", "ko": "Malgun Gothic"}
"""The East Asian font a DOCX names per language (most specific first): Word has them, LibreOffice substitutes an
installed face of the same script. Japanese (the default) also names it for CJK quoted in other languages."""


def east_asian_font(tag: str) -> str:
    """Return the East Asian font (`w:eastAsia`) for a brief in `tag`: its script's, else the Japanese one."""
    primary, *rest = tag.split("-")
    candidates = [f"{primary}-{part}" for part in rest] + [primary]
    return next((_EAST_ASIAN_FONTS[c] for c in candidates if c in _EAST_ASIAN_FONTS), _EAST_ASIAN_FONTS["ja"])


def is_cjk(tag: str) -> bool:
    """Whether the language is Chinese, Japanese or Korean (its text needs East Asian typesetting)."""
    return tag.split("-")[0].lower() in _EAST_ASIAN


def right_to_left(tag: str) -> bool:
    """Whether the language is written right to left (Arabic, Hebrew, Persian...)."""
    return tag.split("-")[0].lower() in _RIGHT_TO_LEFT
