"""The checks an editor makes of the briefs a data file gives: repetition, weak openings, unlabelled restatements.

Each reads the briefs as selected for every audience (what a reader will see), and each is a
warning: a sentence may have a good reason to be as it is, and a data file can acknowledge it.

    repeated-number          one brief prints the same number more than three times
    weak-opening-citation    a summary or bottom line rests a claim only on sources graded E or F,
                             without saying whose claim it is
    unlabelled-restatement   a note states the number of a claim not confirmed, without its label
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator, Mapping

from ..brief import Brief
from ..citing import split_markers
from ..evidence import LABELS, confidence
from ..models import Dataset
from ..validation import field_name
from .findings import Finding, Loaded

__all__ = ["MOST_REPEATS", "editor_findings"]

MOST_REPEATS = 3
"""A brief may print one number this many times; a fourth time is repetition an editor would cut."""

_NUMBER = re.compile(r"(?<![\d,.])\d{1,3}(?:,\d{3})+(?:\.\d+)?%?|(?<![\d,.])\d+(?:\.\d+)?%?")
_MONTHS = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
_DATE_PART = re.compile(rf"^\s+{_MONTHS}\b")
_ATTRIBUTED = re.compile(r"\b(article|says|said|claims?|according to|reports?|reported|alleges?|pages?|sites?|gives?|disagrees?)\b",
                         re.IGNORECASE)
"""Words that say whose claim a sentence passes on: an opening may cite a weak source for what that source says."""
_WEAK = frozenset("EF")
_QUOTED = re.compile(r"\"[^\"]*\"|“[^”]*”")


def editor_findings(item: Loaded[Dataset], data: Dataset, briefs: Mapping[str, Brief]) -> Iterator[Finding]:
    """Yield the editor's warnings about the briefs of `data`, one brief per audience."""
    yield from _repeated_numbers(item, briefs)
    yield from _weak_openings(item, data)
    yield from _unlabelled_restatements(item, data)


def numbers_in(text: str) -> list[str]:
    """Return the numbers `text` writes, leaving out years (1900-2099) and days of a written date (28 October)."""
    found = []
    for match in _NUMBER.finditer(text):
        number = match.group()
        if re.fullmatch(r"(19|20)\d\d", number) or _DATE_PART.match(text[match.end():]):
            continue
        found.append(number)
    return found


def _printed(brief: Brief) -> list[str]:
    """Return the texts of a brief's items as its reader reads them (the opening, facts, claims, takeaways, answers)."""
    texts = [str(brief.bottom_line)] if brief.bottom_line else []
    texts += [str(brief.summary)] if "summary" in brief.sections else []
    texts += [fact.text for fact in brief.selected_facts] + [t.text for t in brief.takeaways] + [q.answer for q in brief.faqs]
    return texts


def _repeated_numbers(item: Loaded[Dataset], briefs: Mapping[str, Brief]) -> Iterator[Finding]:
    repeated: dict[str, list[str]] = {}
    for audience, brief in briefs.items():
        counts = Counter(number for text in _printed(brief) for number in numbers_in(text) if len(number.rstrip("%")) > 1)
        for number, count in counts.items():
            if count > MOST_REPEATS:
                repeated.setdefault(number, []).append(f"{audience} {count} times")
    for number, where in repeated.items():
        finding = item.at(("id",), "warning", "repeated-number", f"the briefs print {number} more than {MOST_REPEATS} times "
                          f"({', '.join(where)})", "say it once where it matters; a reader takes repetition for emphasis")
        yield Finding(finding.file, finding.line, finding.severity, finding.code, finding.message, finding.hint, number)


def _weak_openings(item: Loaded[Dataset], data: Dataset) -> Iterator[Finding]:
    grades = data.grades
    for key in ("bottom_line", "summary"):
        value = getattr(data, key)
        texts = [((key,), value)] if isinstance(value, str) else [((key, name), text) for name, text in (value or {}).items()]
        for path, text in texts:
            for words, cited in split_markers(text):
                sentence = words.strip(" ;,.").rsplit(". ", 1)[-1]
                if cited and all(grades.get(source, "F") in _WEAK for source in cited) and not _ATTRIBUTED.search(sentence):
                    yield item.at(path, "warning", "weak-opening-citation",
                                  f"{field_name(path)}: “{sentence[-80:].strip()}” rests only on {', '.join(cited)}, graded "
                                  f"{'/'.join(sorted({grades.get(s, 'F') for s in cited}))}", "cite a source graded A to D for "
                                  "it, or say whose claim it is (\"an unattributed article says ...\")")


def _unlabelled_restatements(item: Loaded[Dataset], data: Dataset) -> Iterator[Finding]:
    grades = data.grades
    labelled = {fact.id: (label or "", numbers_in(fact.text)) for fact in data.facts
                if (label := confidence(fact.status, fact.sources, grades).label) in LABELS.values()}
    for kind in ("facts", "takeaways", "faqs", "figures"):
        for index, other in enumerate(getattr(data, kind)):
            note = _QUOTED.sub("", other.note or "")  # a quotation reports what a source said, not what is so
            for fact_id, (label, numbers) in labelled.items():
                if getattr(other, "id", None) == fact_id or not note or label in note:
                    continue
                stated = [n for n in numbers if len(n.rstrip("%")) > 1 and n in numbers_in(note)]
                if stated:
                    path = (kind, index, "note")
                    yield item.at(path, "warning", "unlabelled-restatement",
                                  f"{field_name(path)}: states {stated[0]}, as {fact_id!r} does, which briefs label {label}; "
                                  "the note does not say so", f"say in the note that the figure is {label.lower()} "
                                  f"(\"a {label.lower()} figure of ...\"), or cite the confirmed source")
