"""The checks of the translations beside a data file: each loads, names known ids, and is complete and current."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from ..errors import DataError
from ..models import Dataset
from ..translations import Untranslated, read_translation, translate, translations_of
from .findings import Finding, located_finding

__all__ = ["translation_findings"]


def translation_findings(data_path: Path, dataset: Dataset) -> Iterator[Finding]:
    """Yield an error for a translation that does not load, a warning for each item shown untranslated."""
    for path in translations_of(data_path):
        try:
            translation, doc = read_translation(path, dataset)
        except DataError as exc:
            yield located_finding(exc, "invalid-translation", "a translation gives, by id, the text of its data file's items")
            continue
        _, untranslated = translate(dataset, translation)
        for item in untranslated:
            line = doc.line_of(item.where) if item.where else None
            yield Finding(str(path), line, "warning", *_described(item, translation.language))


def _described(item: Untranslated, language: str) -> tuple[str, str, str]:
    """Return (code, message, hint) for one item shown in its original language."""
    where = ".".join(str(part) for part in item.where)
    if item.stale:
        return ("stale-translation", f"{where}: the original text changed since it was translated; it is shown untranslated",
                f"update the translation, then set `of: {item.fingerprint}`")
    return ("missing-translation", f"{where}: no {language} translation; the original is shown, marked as such",
            f"translate it and give `of: {item.fingerprint}`")
