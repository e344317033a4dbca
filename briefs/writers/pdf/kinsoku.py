"""Break lines of Chinese, Japanese and Korean text by the line-breaking rules of JIS X 4051 (kinsoku shori).

reportlab's `wordWrap='CJK'` (`cjkFragSplit`) pulls back one character that may not start a
line, from a short list, and never looks at characters that may not end one: a line could end
with 「 or （, start with ！ or ？, and a number could split as 約2 / 70,000. This module breaks
the same glyph units (`cjkU`) itself, for a paragraph holding CJK text, and leaves reportlab alone:

    - a line never starts with a closing bracket or quote, 、。，．・：；！？, a small kana, ー, 々
      (`NO_START`), and never ends with an opening bracket or quote (`NO_END`);
    - a run of other letters and digits (a Latin word, 270,000, U.S.–Japan) is never split; it breaks
      at spaces, and next to CJK characters;
    - when no allowed break fits, 、 and 。 may hang in the margin (burasage); only a run longer than a
      whole line is cut.
"""

from __future__ import annotations

from typing import Any

from reportlab.platypus.paragraph import (  # type: ignore[import-untyped]
    ParaLines,
    _handleBulletWidth,
    cjkU,
    makeCJKParaLine,
)
from reportlab.rl_config import _FUZZ  # type: ignore[import-untyped]

__all__ = ["NO_END", "NO_START", "break_lines", "holds_cjk"]

NO_START = frozenset(
    ")]}）〕］｝〉》」』】〙〗〟’”｠»"  # closing brackets and quotes
    "、。，．・：；！？,.:;!?‼⁇⁈⁉"  # punctuation
    "ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶㇰㇱㇲㇳㇴㇵㇶㇷㇸㇹㇺㇻㇼㇽㇾㇿ"  # small kana
    "ー々〻ゝゞヽヾ〜～‐゠–"  # prolonged sound, iteration marks, hyphens and dashes
    "%％‰℃°′″"  # units that follow their number
)
"""Characters that may not start a line (JIS X 4051 classes 2-7 and postfixed units)."""
NO_END = frozenset("([{（〔［｛〈《「『【〘〖〝‘“｟«$£¥＄￥￡#＃")
"""Characters that may not end a line: opening brackets and quotes, and prefixed currency signs."""
_HANGING = frozenset("、。，．,.")
"""Marks that may hang in the right margin when nothing else fits."""


def holds_cjk(text: str) -> bool:
    """Whether `text` holds a Chinese, Japanese or Korean character (or full-width form): the paragraph needs these rules."""
    return any(_is_cjk(char) for char in text)


def _is_cjk(char: str) -> bool:
    if len(char) != 1:  # an image or an anchor: no character
        return False
    code = ord(char)
    return 0x2E80 <= code < 0xA000 or 0xAC00 <= code < 0xD7B0 or 0xF900 <= code < 0xFB00 or 0xFF00 <= code < 0xFFF0


def _glued(before: str, after: str) -> bool:
    """Whether two neighbours belong to one unbreakable run: letters, digits and their punctuation (270,000)."""
    return bool(before and after) and not (before.isspace() or after.isspace() or _is_cjk(before) or _is_cjk(after))


def may_break(before: str, after: str) -> bool:
    """Whether a line may end after `before` and the next start with `after`."""
    if after.isspace():
        return False  # break after the space, so it ends the line and the next starts with the word
    return after not in NO_START and before not in NO_END and not _glued(before, after)


def break_lines(paragraph: Any, max_widths: list[float]) -> Any:
    """Return the paragraph's lines (reportlab's `ParaLines`, kind 1) broken by the rules above."""
    if not isinstance(max_widths, (list, tuple)):
        max_widths = [max_widths]
    if hasattr(paragraph, "blPara") and getattr(paragraph, "_splitpara", False):
        return paragraph.blPara  # the second part of a split paragraph keeps the lines it was given
    style = paragraph.style
    _handleBulletWidth(paragraph.bulletText, style, max_widths)
    auto_leading = getattr(paragraph, "autoLeading", getattr(style, "autoLeading", ""))
    units = _units(paragraph.frags)
    return ParaLines(kind=1, lines=_lines(units, max_widths, auto_leading not in ("", "off")))


def _units(frags: list[Any]) -> list[Any]:
    """Return one glyph unit per character (an image or empty fragment is one unit), as reportlab's CJK wrap does."""
    units: list[Any] = []
    for frag in frags:
        text = frag.text.decode("utf8") if isinstance(frag.text, bytes) else frag.text
        units.extend(cjkU(char, frag, "utf8") for char in text) if text else units.append(cjkU(text, frag, "utf8"))
    return units


def _width(unit: Any, max_width: float) -> float:
    width = unit.width
    if hasattr(width, "normalizedValue"):
        width._normalizer = max_width
        width = width.normalizedValue(max_width)
    return float(width)


def _lines(units: list[Any], max_widths: list[float], calc_bounds: bool) -> list[Any]:
    """Break `units` greedily at the last allowed break that fits each line."""
    lines: list[Any] = []
    start, count = 0, len(units)
    while start < count:
        max_width = max_widths[min(len(lines), len(max_widths) - 1)]
        end, forced = _line_end(units, start, max_width)
        used = sum(_width(unit, max_width) for unit in units[start:end])
        lines.append(makeCJKParaLine(units[start:end], max_width, used, max_width - used, forced, calc_bounds))
        start = end
        while start < count and units[start].isspace() and not hasattr(units[start].frag, "lineBreak"):
            start += 1  # a space at a break is dropped, as in Latin text
    return lines


def _line_end(units: list[Any], start: int, max_width: float) -> tuple[int, bool]:
    """Return (end of the line that starts at `start`, whether a <br/> ends it)."""
    used, last_break = 0.0, None
    for index in range(start, len(units)):
        unit = units[index]
        if index > start and may_break(units[index - 1], unit):
            last_break = index
        used += _width(unit, max_width)
        if hasattr(unit.frag, "lineBreak"):
            return index + 1, True
        if used > max_width + _FUZZ and index > start:
            return _fallback(units, start, index, last_break), False
    return len(units), False


def _fallback(units: list[Any], start: int, over: int, last_break: int | None) -> int:
    """Return where to end a line when unit `over` no longer fits: the last allowed break, else hang or cut."""
    if units[over] in _HANGING and (over + 1 == len(units) or may_break(units[over], units[over + 1])):
        return over + 1  # burasage: 、 or 。 hangs rather than pulling a character down with it
    if units[over].isspace():
        return over
    if last_break is not None and last_break > start:
        return last_break
    return over  # a run longer than the line: cut where it overflows
