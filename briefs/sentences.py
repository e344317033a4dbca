"""Ending a sentence: the one rule for the full stop the brief puts after a title, a name, a URL or a note.

A full stop is added only where the text does not already end a sentence: "Why now?" and
"Stop!" keep their marks, "Inc." gets no second dot, and a closing quote or bracket after the
mark ('He said "no."', "(Reuters.)") still counts as the end. The mark is the brief's language's
(`punctuation.end` in its words: "." or "。"). Templates reach the rule as the `stop` filter, which
gives the mark to print after the text (so the mark can stay outside markup such as `<em>`);
Python code calls `end_sentence`.
"""

from __future__ import annotations

__all__ = ["end_sentence", "full_stop"]

_ENDS = frozenset(".!?…。！？‼⁇⁈⁉")
"""Marks that end a sentence already, in Latin and CJK text."""
_CLOSERS = "\"'”’»›)]}）」』】"
"""Closing quotes and brackets that may follow a sentence's last mark."""


def full_stop(text: object, mark: str = ".") -> str:
    """Return `mark` (the language's full stop: "." or "。") when `text` needs one to end a sentence, else "".

    "" when it already ends one, or is empty.
    """
    core = str(text).rstrip().rstrip(_CLOSERS)
    return "" if not core or core[-1] in _ENDS else mark


def end_sentence(text: str, mark: str = ".") -> str:
    """Return `text` ending a sentence: with the full stop `mark` added only where it lacks one."""
    return text + full_stop(text, mark)
