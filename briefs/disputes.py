"""Quantities the sources disagree on, and where a brief prints one of their values.

Two facts measuring one quantity (`quantity.measure`) with different values are a dispute. Its
reference value is the one whose best supporting source has the best grade (A before F; the
earlier fact on a tie): the one a reader should use, named as such, never the only one shown.

A brief prints a disputed value in the fact itself, in a figure drawing that value, or in free
text (summary, bottom line, takeaway, FAQ answer) that writes the number as the data does
(270000 as "270,000" or "270000"). Wherever it does, selection attaches the dispute, so the
brief states the disagreement there; no brief picks one side silently.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from .models import Dataset, Fact, Figure, same_label

__all__ = ["Dispute", "Side", "disputes_in_figure", "disputes_in_text", "disputes_of_facts", "find_disputes", "written"]

_GRADE_ORDER = "ABCDEF"


@dataclass(frozen=True)
class Side:
    """One value of a disputed quantity, the fact that gives it, and how well that fact is sourced."""

    fact: Fact
    grade: str
    """The best grade among the fact's supporting sources (F when it has none)."""
    source: str | None
    """The id of that best-graded source."""


@dataclass(frozen=True)
class Dispute:
    """A quantity sources give different values for; the reference side first."""

    measure: str
    label: str | None
    sides: tuple[Side, ...]

    def values(self) -> frozenset[float]:
        """Return the values the sides give."""
        return frozenset(side.fact.quantity.value for side in self.sides if side.fact.quantity)

    def unit(self) -> str:
        """Return the unit of the reference value."""
        quantity = self.sides[0].fact.quantity
        return quantity.unit if quantity else ""


def find_disputes(dataset: Dataset) -> dict[str, Dispute]:
    """Return every disputed quantity of `dataset` by measure id, in data-file order."""
    grades = dataset.grades
    groups: dict[str, list[Fact]] = {}
    for fact in dataset.facts:
        if fact.quantity and fact.quantity.measure:
            groups.setdefault(fact.quantity.measure, []).append(fact)
    found = {}
    for measure, facts in groups.items():
        if len({fact.quantity.value for fact in facts if fact.quantity}) < 2:
            continue
        sides = sorted((_side(fact, grades) for fact in facts), key=lambda side: _GRADE_ORDER.index(side.grade))
        found[measure] = Dispute(measure, _shared_label(facts), tuple(sides))
    return found


def _shared_label(group: Sequence[Fact]) -> str | None:
    """Return the label the group's labelled facts all give what they measure; None (quote each fact) when they differ."""
    labels = [f.quantity.label for f in group if f.quantity and f.quantity.label]
    if not labels or not all(same_label(labels[0], label) for label in labels[1:]):
        return None
    return labels[0]


def _side(fact: Fact, grades: Mapping[str, str]) -> Side:
    graded = sorted((grades.get(source, "F"), source) for source in fact.sources)
    grade, source = graded[0] if graded else ("F", None)
    return Side(fact, grade if grade in _GRADE_ORDER else "F", source)


def disputes_in_text(text: str, disputes: Iterable[Dispute]) -> list[Dispute]:
    """Return the disputes one of whose values `text` writes as a number, in the order given."""
    return [dispute for dispute in disputes if any(written(value).search(text) for value in dispute.values())]


def disputes_in_figure(figure: Figure, disputes: Iterable[Dispute]) -> list[Dispute]:
    """Return the disputes whose value, in the same unit, the figure draws."""
    drawn = set(figure.data.values())
    return [d for d in disputes if figure.unit is not None and d.unit() == figure.unit and drawn & d.values()]


def disputes_of_facts(facts: Sequence[Fact], disputes: Mapping[str, Dispute]) -> list[Dispute]:
    """Return the disputes the facts' quantities belong to, once each, in order."""
    measures = dict.fromkeys(f.quantity.measure for f in facts if f.quantity and f.quantity.measure in disputes)
    return [disputes[measure] for measure in measures if measure]


@lru_cache(maxsize=256)
def written(value: float) -> re.Pattern[str]:
    """Match `value` written as the data writes numbers: with or without thousands separators, not inside another."""
    whole = float(value).is_integer()
    forms = {f"{value:,.0f}", f"{value:.0f}"} if whole else {f"{value:,}", f"{value}"}
    alternatives = "|".join(re.escape(form) for form in sorted(forms, key=len, reverse=True))
    return re.compile(rf"(?<![\d.,])(?:{alternatives})(?![\d]|[.,]\d)")
