"""A profile's words (label, focus, disclaimer) in the language of the brief that prints them.

A profile is written in one language (`language`, English by default) and gives its words in
others under `translations`, keyed by BCP 47 tag. Precedence, stated once: for a brief in `ja-JP`
the profile's own words when it is written in Japanese, else `translations` at `ja-JP`, then at `ja`.
With none, the profile's own words are shown tagged with their language (`Foreign`), like an
untranslated item of a data file, and `check` warns: nothing falls back silently.
"""

from __future__ import annotations

from .foreign import Foreign
from .models import Profile, ProfileWords

__all__ = ["missing_languages", "profile_words"]


def profile_words(profile: Profile, language: str) -> ProfileWords:
    """Return the label, focus and disclaimer a brief in `language` prints for `profile`."""
    if _primary(profile.language) == _primary(language):
        return ProfileWords(label=profile.label, focus=profile.focus, disclaimer=profile.disclaimer)
    found = _translation(profile, language)
    if found is not None:
        return found
    return ProfileWords.model_construct(label=Foreign(profile.label, profile.language),
                                        focus=Foreign(profile.focus, profile.language),
                                        disclaimer=Foreign(profile.disclaimer, profile.language))


def missing_languages(profile: Profile, languages: set[str]) -> list[str]:
    """Return, sorted, the languages among `languages` that would show the profile's words untranslated."""
    return sorted(tag for tag in languages
                  if _primary(tag) != _primary(profile.language) and _translation(profile, tag) is None)


def _translation(profile: Profile, language: str) -> ProfileWords | None:
    """Return the profile's translation into `language` or the language it narrows (ja-JP: ja), else None."""
    parts = language.split("-")
    for end in range(len(parts), 0, -1):
        found = profile.translations.get("-".join(parts[:end]))
        if found is not None:
            return found
    return None


def _primary(tag: str) -> str:
    return tag.split("-")[0].lower()
