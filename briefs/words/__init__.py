"""The words briefs adds to a brief, in the brief's language: one catalogue per language, read here.

    words = catalogue("de")                       # cached per (language, folders)
    words.text("summary.heading")                 'Zusammenfassung'
    words.text("caveats.intro_summary", count=2, counts="...")   the plural form of German for 2
    words.date(dt.date(2025, 10, 28))             '28. Oktober 2025' (the pattern is the key `date.long`)
    words.number(270000)                          '270.000'

A catalogue is a YAML file of flat keys (`<tag>.yaml` beside this module). A message is a text
with `{name}` placeholders, or a mapping of CLDR plural categories (zero, one, two, few, many,
other) to texts, chosen by the `count` argument with Babel's plural rules for the language.

Precedence, stated once: for a tag such as `ja-JP` the chain is `ja-JP`, `ja`, then `en`; at each
tag, the templates folders' `words/<tag>.yaml` in the order given come before the built-in file.
The first that has a key wins. Keys the language's own files lack (falling back to English) are
`Words.missing`, which `check` reports as a warning.
"""

from __future__ import annotations

import datetime as dt
import re
import string
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from babel import Locale, UnknownLocaleError
from babel.dates import format_date
from babel.lists import format_list
from babel.numbers import format_percent
from markupsafe import Markup, escape

from ..errors import TemplateError, located
from ..numbers import format_number
from ..yamlsource import Where, YamlError, read_yaml

__all__ = [
    "ENGLISH", "PLURAL_CATEGORIES", "Words", "catalogue", "chain", "fill", "label_key", "pieces", "placeholders", "read_catalogue",
    "shipped_languages",
]

ENGLISH = "en"
"""The language every catalogue falls back to, and whose keys every catalogue has."""
PLURAL_CATEGORIES = ("zero", "one", "two", "few", "many", "other")
_HERE = Path(__file__).resolve().parent

_FOLDER = "words"
"""The folder of a templates folder that holds overrides: `<templates>/words/<tag>.yaml`."""

Message = str | Mapping[str, str]
ListStyle = Literal["standard", "standard-short", "or", "or-short", "unit", "unit-short", "unit-narrow"]


@dataclass(frozen=True)
class Words:
    """One language's words, with its fallbacks resolved: what a brief in that language prints."""

    language: str
    messages: Mapping[str, Message]
    locale: Locale = field(compare=False)
    missing: tuple[str, ...] = ()
    """Keys of the English catalogue that no file of this language has (they print in English)."""
    unknown: tuple[tuple[Path, str], ...] = ()
    """Keys a templates folder's file gives that no catalogue knows (a typo: never used)."""

    def text(self, key: str, markup: bool = False, **args: Any) -> str:
        """Return message `key` with its placeholders filled; a plural message picks its form by `count`.

        Numbers print the language's way. With `markup` (an autoescaping template) the message and
        every argument that is not already Markup are escaped, and the result is Markup.
        """
        message = self.messages.get(key)
        if message is None:
            message = key  # an unknown key prints itself, so a typo in a template shows rather than vanishes
        elif not isinstance(message, str):
            count = args.get("count", 0)
            category = self.locale.plural_form(abs(count) if isinstance(count, int | float) else 0)
            message = message.get(category) or message["other"]
        shown = {name: self.number(value) if isinstance(value, int | float) and not isinstance(value, bool) else value
                 for name, value in args.items()}
        if markup:
            return Markup(string.Formatter().vformat(str(escape(message)), (), _Lenient({n: escape(v) for n, v in shown.items()})))
        return string.Formatter().vformat(message, (), _Lenient(shown))

    def date(self, value: dt.date | None) -> str:
        """Return `value` written the language's way (the pattern is the key `date.long`); '' for None."""
        if value is None:
            return ""
        # A language without a catalogue writes dates as Babel's long pattern for it, not as English orders them.
        pattern = "long" if "date.long" in self.missing else str(self.messages["date.long"])
        return format_date(value, format=pattern, locale=self.locale)

    def number(self, value: float, decimals: int | None = None) -> str:
        """Return `value` with the language's separators (`numbers.format_number`)."""
        return format_number(value, decimals, self.locale)

    def percent(self, share: float) -> str:
        """Return a share (0.15) as the language writes a percentage: '15%', '15 %', at most one decimal."""
        return format_percent(share, format=_percent_pattern(self.locale), locale=self.locale)

    def list(self, items: Sequence[str], style: ListStyle = "standard") -> str:
        """Return `items` as the language joins a list ('A, B and C'; `style` 'or' for 'A, B or C')."""
        return format_list(list(items), style=style, locale=self.locale) if items else ""


def fill(pattern: str, **args: Any) -> str:
    """Return a catalogue pattern with its placeholders filled; one it has no value for prints as written."""
    return string.Formatter().vformat(pattern, (), _Lenient(args))


def pieces(pattern: str) -> list[tuple[str, bool]]:
    """Split a pattern into (text, is a placeholder) pieces, for a writer that fills fields itself: "Page {page}" ->
    [("Page ", False), ("page", True)]."""
    found: list[tuple[str, bool]] = []
    for literal, name, _, _ in string.Formatter().parse(pattern):
        found += [(literal, False)] if literal else []
        found += [(name, True)] if name is not None else []
    return found


class _Lenient(dict[str, Any]):
    """Placeholder values; a placeholder the caller did not give prints as written."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


_PLACEHOLDER = re.compile(r"^[a-z_][a-z0-9_]*$")


def label_key(label: str) -> str:
    """Return the key of a claim's label: 'SOURCES DISAGREE' -> 'label.sources_disagree'."""
    return "label." + label.lower().replace(" ", "_")


def placeholders(text: str) -> set[str]:
    """Return the names of the `{name}` placeholders in `text`; raise ValueError for any other `{...}`.

    Only plain names are allowed: no attribute, index, conversion or format spec, so a message
    cannot reach into a value or ask for a huge width.
    """
    names = set()
    for _, name, spec, conversion in string.Formatter().parse(text):
        if name is None:
            continue
        if spec or conversion or not _PLACEHOLDER.match(name):
            raise ValueError(f"{{{name}{'!' + conversion if conversion else ''}{':' + spec if spec else ''}}} is not a placeholder: "
                             "write {name} (letters, digits and _), and {{ or }} for a brace")
        names.add(name)
    return names


def shipped_languages() -> tuple[str, ...]:
    """Return the tags of the built-in catalogues."""
    return tuple(sorted(path.stem for path in _HERE.glob("*.yaml")))


def chain(language: str) -> tuple[str, ...]:
    """Return the tags to look a key up in, most specific first: `ja-JP` -> ja-JP, ja, en."""
    parts = language.split("-")
    tags = ["-".join(parts[:end]) for end in range(len(parts), 0, -1)]
    return tuple(dict.fromkeys([*tags, ENGLISH]))


def read_catalogue(path: Path) -> dict[str, Message]:
    """Read one catalogue file; raise TemplateError naming the file, line and key of any problem."""
    try:
        doc = read_yaml(path)
    except YamlError as exc:
        raise TemplateError(located(path, exc.line, exc.message)) from None
    if doc.value is None:
        return {}
    if not isinstance(doc.value, dict):
        raise TemplateError(located(path, 1, "a words file is a mapping of keys to texts, e.g. summary.heading: Summary"))
    messages: dict[str, Message] = {}
    for key, value in doc.value.items():
        messages[str(key)] = _message(value, path, doc.line_of((key,)), str(key))
    return messages


def _message(value: object, path: Path, line: Where, key: str) -> Message:
    """Return one message checked: a text, or plural forms by CLDR category, with well-formed placeholders."""
    if isinstance(value, dict):
        unknown = [str(name) for name in value if name not in PLURAL_CATEGORIES]
        if unknown or "other" not in value:
            raise TemplateError(located(path, line, f"plural forms are keyed by {', '.join(PLURAL_CATEGORIES)} and need other"
                                        + (f" (not {unknown[0]!r})" if unknown else ""), key))
        forms = {str(name): _message(text, path, line, key) for name, text in value.items()}
        return {name: text for name, text in forms.items() if isinstance(text, str)}
    if not isinstance(value, str):
        raise TemplateError(located(path, line, "a message is a text (put it in quotes) or plural forms by category", key))
    try:
        placeholders(value)
    except ValueError as exc:
        raise TemplateError(located(path, line, str(exc), key)) from None
    return value


@lru_cache(maxsize=32)
def _builtin(tag: str) -> Mapping[str, Message]:
    """Return the built-in catalogue of `tag`, read once per process ({} when none ships)."""
    path = _HERE / f"{tag}.yaml"
    return read_catalogue(path) if path.is_file() else {}


@lru_cache(maxsize=64)
def _percent_pattern(locale: Locale) -> str:
    """Return the language's percent pattern ('#,##0%', '#,##0 %') with one optional decimal."""
    pattern = locale.percent_formats[None].pattern.split(";")[0]
    head, zero, tail = pattern.rpartition("0")
    return f"{head}{zero}.#{tail}" if zero else pattern


@lru_cache(maxsize=64)
def _locale(language: str) -> Locale:
    """Return Babel's locale for a tag, parsed once (its data loads lazily and is costly): English when Babel has none."""
    for tag in chain(language):
        try:
            return Locale.parse(tag, sep="-")
        except (UnknownLocaleError, ValueError):
            continue
    return Locale.parse(ENGLISH)


def catalogue(language: str = ENGLISH, folders: Sequence[Path] = ()) -> Words:
    """Return the words of `language`, with overrides from templates `folders` (see the module docstring for precedence)."""
    paths = tuple(Path(folder) for folder in folders)
    return _catalogue(language, paths, _stamps(paths, chain(language)))


def _stamps(folders: tuple[Path, ...], tags: tuple[str, ...]) -> tuple[tuple[str, int, int], ...]:
    """Return (file, modified, size) of every override file there is, so that an edited one is read again (the preview)."""
    found = []
    for folder in folders:
        for tag in tags:
            try:
                stat = (folder / _FOLDER / f"{tag}.yaml").stat()
            except OSError:
                continue
            found.append((f"{folder}/{tag}", stat.st_mtime_ns, stat.st_size))
    return tuple(found)


@lru_cache(maxsize=64)
def _catalogue(language: str, folders: tuple[Path, ...], _stamps: tuple[tuple[str, int, int], ...]) -> Words:
    english = _builtin(ENGLISH)
    messages: dict[str, Message] = {}
    own: set[str] = set()
    unknown: list[tuple[Path, str]] = []
    for tag in reversed(chain(language)):  # the least specific first, so that each more specific layer replaces keys
        layers = [_builtin(tag), *(_user(folder, tag) for folder in reversed(folders))]
        for layer in layers:
            messages.update(layer)
            if tag != ENGLISH or language.split("-")[0] == ENGLISH:
                own.update(layer)
        unknown += [(folder / _FOLDER / f"{tag}.yaml", key) for folder in folders for key in _user(folder, tag) if key not in english]
    missing = tuple(key for key in english if key not in own)
    return Words(language, messages, _locale(language), missing, tuple(unknown))


def _user(folder: Path, tag: str) -> Mapping[str, Message]:
    """Return a templates folder's overrides for `tag` ({} when it has none)."""
    path = folder / _FOLDER / f"{tag}.yaml"
    return read_catalogue(path) if path.is_file() else {}
