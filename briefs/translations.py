"""Translations of a data file: `<data>.<tag>.yaml` beside `<data>.yaml` gives, by id, its text in another language.

A translation holds only text; structure (sources, statuses, topics, numbers) stays in the data
file. Each translated item carries `of:`, the fingerprint of the original texts it translates
(the first 8 hex digits of their SHA-256, whitespace collapsed). When the original changes, the
fingerprint no longer matches: the translation is *stale*. A stale or missing translation is
never used silently: the original text is shown, tagged with its language (a `Foreign` string,
which the layout prints as `<span lang="...">`), and `check` lists it with the fingerprint to write.
Storing a fingerprint rather than comparing git history works without git, on any copy of the files.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict

from .citing import marker_ids
from .errors import DataError, located
from .foreign import Foreign
from .languages import Language, language_tag
from .models import Dataset
from .suggest import did_you_mean
from .validation import field_name, read_mapping, validate_model
from .yamlsource import Located

__all__ = [
    "Foreign",
    "Translation",
    "Untranslated",
    "earlier_in_language",
    "fingerprint",
    "in_language",
    "is_translation",
    "load_translation",
    "read_translation",
    "translate",
    "translation_language",
    "translation_path",
    "translations_of",
]

_TAG_SUFFIX = re.compile(r"^(?P<stem>.+)\.(?P<tag>[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*)$")


def fingerprint(*texts: str | None) -> str:
    """Return the 8-hex-digit fingerprint of the original texts a translated item translates."""
    joined = "\x1f".join(" ".join((text or "").split()) for text in texts)
    return hashlib.sha256(joined.encode()).hexdigest()[:8]


class _Item(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    of: str | None = None
    """The fingerprint of the original texts this translates (`check` prints it)."""


class DocumentText(_Item):
    title: str | None = None
    subtitle: str | None = None
    short_title: str | None = None


class OpeningText(_Item):
    text: str | dict[str, str]
    """One text, or one per audience as in the data file (`default`, `investor`, ...)."""


class SourceText(_Item):
    title: str | None = None
    note: str | None = None


class FactText(_Item):
    text: str | None = None
    note: str | None = None
    audiences: dict[str, str] = {}
    event: str | None = None
    """The deadline's event in words (`deadline.event`)."""
    what: str | None = None
    """What is due by the deadline (`deadline.what`)."""
    quantity: str | None = None
    """What the fact's quantity measures, in words (`quantity.label`), for the "sources disagree" line."""


class TakeawayText(_Item):
    text: str | None = None
    note: str | None = None


class FaqText(_Item):
    question: str | None = None
    answer: str | None = None
    note: str | None = None


class FigureText(_Item):
    title: str | None = None
    alt: str | None = None
    category: str | None = None
    note: str | None = None
    labels: dict[str, str] = {}
    """Original label: translated label."""


class TopicText(_Item):
    label: str | None = None


class Translation(BaseModel):
    """A translation file: the text of one data file in one language."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    language: Language
    translated_by: str | None = None
    """Who (or what) translated it."""
    checked_by: str | None = None
    """Who checked it; leave empty until a speaker of the language has."""
    document: DocumentText | None = None
    summary: OpeningText | None = None
    bottom_line: OpeningText | None = None
    sources: dict[str, SourceText] = {}
    facts: dict[str, FactText] = {}
    takeaways: dict[int, TakeawayText] = {}
    """By position in the data file's `takeaways`, from 0."""
    faqs: dict[int, FaqText] = {}
    """By position in the data file's `faqs`, from 0."""
    figures: dict[str, FigureText] = {}
    topics: dict[str, TopicText] = {}
    """By topic id (the data file's or the scheme's): the labels of the topics the data file's items use."""


@dataclass(frozen=True)
class Untranslated:
    """An item shown in its original language: missing from the translation, or translated from an older text."""

    where: tuple[str | int, ...]
    """Its place in the translation file (e.g. ("facts", "signed")), for the line of a finding."""
    stale: bool
    fingerprint: str
    """The fingerprint of the current original: what `of:` must say once the translation is brought up to date."""


def translation_path(data_path: Path, language: str) -> Path:
    """Return where the translation of `data_path` into `language` lives: `<stem>.<language><suffix>` beside it."""
    return data_path.with_name(f"{data_path.stem}.{language}{data_path.suffix}")


def is_translation(path: Path) -> bool:
    """Whether `path` is named `<stem>.<tag>.yaml` beside a data file `<stem>.yaml` (or .yml): a translation, not data."""
    match = _TAG_SUFFIX.match(path.stem)
    if not match:
        return False
    try:
        language_tag(match["tag"])
    except ValueError:
        return False
    return any(path.with_name(match["stem"] + suffix).is_file() for suffix in (".yaml", ".yml"))


def load_translation(path: Path, dataset: Dataset) -> Translation:
    """Read and validate the translation at `path`; raise DataError naming its file, line and field."""
    return read_translation(path, dataset)[0]


def read_translation(path: Path, dataset: Dataset) -> tuple[Translation, Located]:
    """Return the translation at `path` and its lines (for findings); raise DataError naming its file, line and field."""
    doc = read_mapping(path, DataError, what="translation")
    translation = validate_model(Translation, doc, path, DataError, "see \"Translations\" in the README")
    for where, message in _unknown_ids(translation, dataset):
        raise DataError(located(path, doc.line_of(where), message, field_name(where)))
    return translation, doc


def _unknown_ids(translation: Translation, dataset: Dataset) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """Yield (place, message) for each id the translation names that the data file does not have."""
    known: dict[str, Sequence[Any]] = {
        "sources": [s.id for s in dataset.sources], "facts": [f.id for f in dataset.facts],
        "figures": [f.id for f in dataset.figures], "takeaways": list(range(len(dataset.takeaways))),
        "faqs": list(range(len(dataset.faqs))), "topics": list(dataset.topics),
    }
    for section, ids in known.items():
        for key in getattr(translation, section):
            if key not in ids:
                hint = did_you_mean(str(key), map(str, ids)) or f"the data file has {len(ids)} {section}"
                yield (section, key), f"no {section[:-1]} {key!r} in the data file; {hint}"
    sources = [s.id for s in dataset.sources]
    for name in ("summary", "bottom_line"):
        entry_ = getattr(translation, name)
        texts = {} if entry_ is None else {"text": entry_.text} if isinstance(entry_.text, str) else entry_.text
        for key, text in texts.items():
            for _, source_id in marker_ids(text):
                if source_id not in sources:
                    where = (name, "text") if key == "text" and isinstance(entry_.text, str) else (name, "text", key)
                    hint = did_you_mean(source_id, sources) or "cite the sources of the data file"
                    yield where, f"cites unknown source {source_id!r}; {hint}"
    for figure in dataset.figures:
        entry = translation.figures.get(figure.id)
        for label in entry.labels if entry else ():
            if label not in figure.data:
                hint = did_you_mean(label, figure.data) or "use the labels of the figure's `data`"
                yield ("figures", figure.id, "labels", label), f"no label {label!r} in figure {figure.id!r}; {hint}"


def translate(dataset: Dataset, translation: Translation) -> tuple[Dataset, list[Untranslated]]:
    """Return `dataset` in the translation's language, and every item shown in the original instead."""
    run = _Run(dataset.language, [])
    texts = {"title": dataset.title, "subtitle": dataset.subtitle, "short_title": dataset.short_title}
    update: dict[str, Any] = {"language": translation.language, **run.item(("document",), translation.document, texts)}
    for name in ("summary", "bottom_line"):
        original = getattr(dataset, name)
        if original is not None:
            update[name] = run.opening(name, getattr(translation, name), original)
    update["sources"] = tuple(s.model_copy(update=run.item(("sources", s.id), translation.sources.get(s.id),
                                                           {"title": s.title, "note": s.note})) for s in dataset.sources)
    update["facts"] = tuple(run.fact(f, translation.facts.get(f.id)) for f in dataset.facts)
    update["takeaways"] = tuple(t.model_copy(update=run.item(("takeaways", i), translation.takeaways.get(i),
                                                             {"text": t.text, "note": t.note}))
                                for i, t in enumerate(dataset.takeaways))
    update["faqs"] = tuple(q.model_copy(update=run.item(
        ("faqs", i), translation.faqs.get(i), {"question": q.question, "answer": q.answer, "note": q.note}))
        for i, q in enumerate(dataset.faqs))
    update["figures"] = tuple(f.model_copy(update=run.item(
        ("figures", f.id), translation.figures.get(f.id),
        {"title": f.title, "alt": f.alt, "category": f.category, "note": f.note}, labels=f.data))
        for f in dataset.figures)
    used = {topic for items in (dataset.facts, dataset.faqs, dataset.figures) for item in items for topic in item.topics}
    update["topics"] = {key: topic.model_copy(update=run.item(("topics", key), translation.topics.get(key), {"label": topic.label}))
                        if key in used and topic.label else topic for key, topic in dataset.topics.items()}
    return dataset.model_copy(update=update), run.untranslated


@dataclass
class _Run:
    """One translation being applied: the original's language and what could not be translated."""

    original: str
    untranslated: list[Untranslated]

    def item(self, where: tuple[str | int, ...], entry: Any, texts: dict[str, str | None], *,
             audiences: dict[str, str] | None = None, labels: dict[str, float] | None = None) -> dict[str, Any]:
        """Return the translated fields of one item; the original, tagged, for each field not (or no longer) translated."""
        current = fingerprint(*texts.values(), *_sorted_values(audiences), *(labels or ()))
        usable = entry is not None and entry.of == current
        if not usable:
            self.untranslated.append(Untranslated(where, entry is not None, current))
        given = entry if usable else None
        out: dict[str, Any] = {name: self._one((*where, name), original, getattr(given, name, None), usable, current)
                               for name, original in texts.items() if original is not None}
        if audiences is not None:
            out["audiences"] = {a: self._one((*where, "audiences", a), text, given and given.audiences.get(a), usable, current)
                                for a, text in audiences.items()}
        if labels is not None:
            out["data"] = {self._one((*where, "labels", label), label, given and given.labels.get(label), usable, current): value
                           for label, value in labels.items()}
        return out

    def _one(self, where: tuple[str | int, ...], original: str, translated: str | None, usable: bool, current: str) -> str:
        """Return the translated text, or the original tagged with its language (listed when the translator left it out)."""
        if translated:
            return translated
        if usable:
            self.untranslated.append(Untranslated(where, False, current))
        return Foreign(original, self.original)

    def fact(self, fact: Any, entry: FactText | None) -> Any:
        """Return a fact translated, its deadline's words included."""
        deadline = fact.deadline
        texts = {"text": fact.text, "note": fact.note, "event": deadline and deadline.event, "what": deadline and deadline.what}
        quantity = fact.quantity
        if quantity is not None and quantity.label:
            texts["quantity"] = quantity.label  # only when labelled, so unlabelled facts keep their fingerprints
        fields = self.item(("facts", fact.id), entry, texts, audiences=fact.audiences)
        if deadline is not None:
            fields["deadline"] = deadline.model_copy(update={"event": fields.pop("event"), "what": fields.pop("what")})
        if "quantity" in fields:
            fields["quantity"] = quantity.model_copy(update={"label": fields["quantity"]})  # type: ignore[union-attr]
        return fact.model_copy(update=fields)

    def opening(self, name: str, entry: OpeningText | None, original: str | dict[str, str]) -> str | dict[str, str]:
        """Return a summary or bottom line translated: one text, or one per audience."""
        if isinstance(original, str):
            fields = self.item((name,), entry, {"text": original})
            return str(fields["text"]) if not isinstance(fields["text"], Foreign) else fields["text"]
        current = fingerprint(*_sorted_values(original))
        usable = entry is not None and entry.of == current and isinstance(entry.text, dict)
        if not usable:
            self.untranslated.append(Untranslated((name,), entry is not None, current))
        given = entry.text if usable and entry and isinstance(entry.text, dict) else {}
        return {k: self._one((name, "text", k), v, given.get(k), usable, current) for k, v in original.items()}


def _sorted_values(mapping: dict[str, str] | None) -> list[str]:
    return [value for _, value in sorted((mapping or {}).items())]


def translations_of(data_path: Path) -> list[Path]:
    """Return the translation files beside `data_path`, sorted by name."""
    pattern = f"{data_path.stem}.*{data_path.suffix}"
    return sorted(p for p in data_path.parent.glob(pattern) if p != data_path and is_translation(p)
                  and _TAG_SUFFIX.match(p.stem)["stem"] == data_path.stem)  # type: ignore[index]


def translation_language(path: Path) -> str:
    """Return the language a translation file is named for (`topic.ja.yaml`: ja)."""
    match = _TAG_SUFFIX.match(path.stem)
    return language_tag(match["tag"]) if match else ""


def earlier_in_language(data_path: Path, current: Dataset, earlier: Dataset, language: str,
                        earlier_translation: Translation | None = None) -> Dataset:
    """Return the earlier edition `earlier` of `data_path` (whose data is now `current`) in `language`.

    Each item is read through the current translation when that translates it as it was (so what did not change reads
    the same in both editions, and "what changed" lists the data's changes only), else through the translation the
    earlier edition had (`earlier_translation`: the old wording as readers of the earlier brief read it), else in the
    original language."""
    tag = language_tag(language)
    if earlier.language.split("-")[0] == tag.split("-")[0]:
        return earlier
    translation = load_translation(translation_path(data_path, tag), current)  # checked against the data it translates
    translated, untranslated = translate(earlier, translation)
    places = [item.where for item in untranslated if len(item.where) <= 2]  # whole items; not fields a translator left out
    if earlier_translation is None or not places:
        return translated
    return translate(earlier, _patched(translation, earlier_translation, places))[0]


def _patched(current: Translation, earlier: Translation, places: list[tuple[str | int, ...]]) -> Translation:
    """Return `current` with the entries at `places` (items it does not translate as they were) taken from `earlier`."""
    update: dict[str, Any] = {}
    for where in places:
        section = str(where[0])
        if len(where) == 1:
            update[section] = getattr(earlier, section)
            continue
        entries = dict(update.get(section, getattr(current, section)))
        before = getattr(earlier, section).get(where[1])
        if before is None:
            entries.pop(where[1], None)
        else:
            entries[where[1]] = before
        update[section] = entries
    return current.model_copy(update=update)


def in_language(data_path: Path, dataset: Dataset, language: str) -> tuple[Dataset, list[Untranslated]]:
    """Return the edition of `dataset` in `language`: itself when written in it, else from its translation file."""
    tag = language_tag(language)
    if dataset.language.split("-")[0] == tag.split("-")[0]:
        return dataset, []
    path = translation_path(data_path, tag)
    if not path.is_file():
        found = ", ".join(p.name for p in translations_of(data_path)) or "none"
        raise DataError(f"{path}: no translation of {data_path.name} into {tag!r} (translations found: {found}); "
                        f"write one beside the data file (see \"Translations\" in the README)")
    return translate(dataset, load_translation(path, dataset))
