"""Check the words a run's briefs add: each data file's language has every word, and override files only known keys.

A word missing in a language prints in English (the fallback, `words.chain`): a warning names the
data file, its language and the keys, and says where to add them. A key in a templates folder's
`words/<tag>.yaml` that no catalogue has is a warning at its line (a typo would never show). A
words file that cannot be read is an error.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ..errors import TemplateError
from ..models import Dataset
from ..rendering import Renderer
from ..words import Words
from ..yamlsource import Where, read_yaml
from .findings import Finding, located_finding

__all__ = ["word_findings", "words_of"]

_SHOWN_KEYS = 6
"""Missing keys a warning names before it says how many more there are."""


def words_of(renderer: Renderer, language: str) -> tuple[Words | None, list[Finding]]:
    """Return the words of `language` on the renderer's search path, or None and the error of a words file that is broken."""
    try:
        return renderer.words(language), []
    except TemplateError as exc:
        return None, [located_finding(exc, "words", "a words file maps keys to texts with {placeholders}; see the README of "
                                                    "the templates folder")]


def word_findings(renderer: Renderer, datasets: Sequence[tuple[Path, Dataset]], data_lines: dict[Path, Where]) -> list[Finding]:
    """Return a warning per data file whose language lacks words, and one per unknown key of an override file."""
    found: list[Finding] = []
    unknown: dict[tuple[Path, str], None] = {}
    for path, dataset in datasets:
        words, _ = words_of(renderer, dataset.language)
        if words is None:
            continue
        unknown.update(dict.fromkeys(words.unknown))
        if words.missing:
            found.append(_missing(path, data_lines.get(path), dataset.language, words.missing, renderer.folders))
    for file, key in unknown:
        found.append(Finding(str(file), read_yaml(file).line_of((key,)), "warning", "unknown-word",
                             f"{key!r} is not a key of the words briefs adds, so it is never used",
                             "use the keys of the built-in English catalogue (briefs/words/en.yaml)"))
    return found


def _missing(path: Path, line: Where | None, language: str, keys: Sequence[str], folders: Sequence[Path]) -> Finding:
    """Return the warning that a data file's language lacks `keys`, which then print in English."""
    shown = ", ".join(keys[:_SHOWN_KEYS]) + (f" and {len(keys) - _SHOWN_KEYS} more" if len(keys) > _SHOWN_KEYS else "")
    where = f"{folders[0]}/words/{language}.yaml" if folders else f"words/{language}.yaml in a templates folder (--templates)"
    return Finding(str(path), line, "warning", "missing-words", f"language {language}: {len(keys)} of the words briefs adds have "
                   f"no translation and print in English: {shown}", f"add them to {where}", "language")
