"""The checks of the translations beside a data file: each loads, names known ids, and is complete and current."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from ..errors import DataError
from ..models import Dataset, Profile
from ..profilewords import missing_languages
from ..translations import Untranslated, read_translation, translate, translation_language, translations_of
from .findings import Finding, Loaded, located_finding

__all__ = ["brief_languages", "profile_language_findings", "translation_findings"]


def brief_languages(datasets: Iterable[tuple[Path, Dataset]]) -> set[str]:
    """Return the languages the run's briefs can be written in: each data file's own and its translations'."""
    return {language for path, dataset in datasets
            for language in (dataset.language, *map(translation_language, translations_of(path)))}


def profile_language_findings(item: Loaded[Profile], profile: Profile, languages: set[str]) -> Iterator[Finding]:
    """Yield a warning when briefs in a language would show the profile's label, focus and disclaimer untranslated."""
    missing = missing_languages(profile, languages)
    if missing:
        where = ("translations",) if profile.translations else ("label",)
        yield item.at(where, "warning", "missing-profile-translation",
                      f"no {', '.join(missing)} translation of this profile's label, focus and disclaimer; "
                      f"briefs in {'that language' if len(missing) == 1 else 'those languages'} show them in {profile.language}, "
                      "marked as such", f"add `translations: {{{missing[0]}: {{label: ..., focus: ..., disclaimer: ...}}}}`")


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
