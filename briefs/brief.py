"""The Brief: what selection hands to templates, as plain frozen values.

A Brief holds everything one audience's document prints, already chosen, ordered, phrased and
numbered, plus the reason for every fact's inclusion or exclusion (for `explain`). Templates
print it; they never sort, count or filter.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

__all__ = [
    "KINDS",
    "Brief",
    "Caveat",
    "Change",
    "Changes",
    "CitedSource",
    "CitedText",
    "Conflict",
    "Correction",
    "Cut",
    "Decision",
    "FactView",
    "FaqView",
    "FigureView",
    "KeyDate",
    "Match",
    "TakeawayView",
]





def _first_sentence(text: str) -> str:
    """Return `text` up to its first full stop followed by a space (all of it when there is none): the short caveats."""
    end = text.find(". ")
    return text if end < 0 else text[: end + 1]

@dataclass(frozen=True)
class Match:
    """One of a fact's topics that the audience weighs, and how."""

    topic: str
    weight: float
    via: str | None = None
    """The broader topic the weight came through; None when the profile names the topic itself."""


@dataclass(frozen=True)
class Decision:
    """Why one fact is in or out of one audience's brief."""

    fact_id: str
    score: float
    matched: tuple[Match, ...]
    """Each of the fact's topics the profile weights, directly or through a broader topic."""
    priority: int
    status: str
    selected: bool
    reason: str
    """'selected', 'below min_score', 'status excluded' or 'cut by max_facts'."""
    rank: int | None
    """Position among eligible facts (1 = best), None when not eligible."""


@dataclass(frozen=True)
class CitedSource:
    """A source as the brief lists it, numbered in order of first use."""

    number: int
    id: str
    title: str
    publisher: str
    date: dt.date | None
    url: str | None
    reliability: str
    grade_meaning: str
    note: str | None
    archived: str | None = None
    """An archived copy of the page."""
    no_address: str | None = None
    """Why there is no address to follow."""
    descriptive_title: bool = False
    """The title describes the source: its own headline is not known."""
    styled: str | None = None
    """The entry in the brief's citation style (layout markup, a `markupsafe.Markup`); None: the built-in form."""
    cite_as: str | None = None
    """What the text cites it as in an author-date style ("USGS, 2025"); None: its number."""


@dataclass(frozen=True)
class FactView:
    """A selected fact, phrased for the audience, with its citation numbers."""

    id: str
    text: str
    status: str
    label: str | None
    """Reader-facing label (`evidence.confidence`: from the status and the sources), None for none."""
    note: str | None
    citations: tuple[int, ...]
    topics: tuple[str, ...]
    """Human labels of the fact's topics."""
    date: dt.date | None
    score: float
    changed: bool = False
    """New or changed since the earlier edition of a `--since` run (the PDF marks it with a change bar)."""
    corrects: tuple[int, ...] = ()
    """Sources the fact corrects, cited after its note when it has no label (a label's caveat cites them)."""
    disputes: tuple[Conflict, ...] = ()
    """Disagreements on a quantity it prints, stated right after it."""
    due: dt.date | None = None
    """The calendar date of the deadline the fact states (`deadline`), None when it states none."""
    due_rule: str = ""
    """How `due` follows from the event: `6 months after signing`."""


@dataclass(frozen=True)
class TakeawayView:
    """A takeaway for this audience."""

    text: str
    status: str | None
    label: str | None
    note: str | None
    citations: tuple[int, ...]
    corrects: tuple[int, ...] = ()
    changed: bool = False
    """New since the earlier edition of a `--since` run."""
    disputes: tuple[Conflict, ...] = ()
    """Disagreements on a quantity it prints, stated right after it."""


@dataclass(frozen=True)
class FaqView:
    """A question and its answer."""

    question: str
    answer: str
    status: str | None
    label: str | None
    note: str | None
    citations: tuple[int, ...]
    corrects: tuple[int, ...] = ()
    disputes: tuple[Conflict, ...] = ()
    """Disagreements on a quantity its answer prints, stated right after it."""


@dataclass(frozen=True)
class FigureView:
    """A chart's data, ready to draw and to tabulate."""

    id: str
    title: str
    unit: str | None
    category: str
    """Heading of the label column."""
    points: tuple[tuple[str, float], ...]
    alt: str
    citations: tuple[int, ...]
    note: str | None
    status: str = "confirmed"
    label: str | None = None
    """Reader-facing label (`evidence.confidence`), None for none."""
    disputes: tuple[Conflict, ...] = ()
    """Disagreements on a value it draws, stated under its table."""


@dataclass(frozen=True)
class Conflict:
    """Two or more facts giving different values for one measured quantity."""

    measure: str
    """The measure's id, for tools; readers see `label`."""
    values: tuple[tuple[str, float, str, tuple[int, ...]], ...]
    """(fact text, value, unit, citation numbers) for each differing fact."""
    label: str | None = None
    """What is measured, in words: the `quantity.label` every labelled fact gives; None when none has one or they
    differ (then the template quotes each fact's own words, which are true of each)."""
    grades: tuple[str, ...] = ()
    """The best source grade behind each value, in the order of `values`: the first value is the reference."""
    reference: str | None = None
    """The publisher of the best-graded source, whose value is the reference (the first of `values`)."""


@dataclass(frozen=True)
class Caveat:
    """A claim the brief shows that a reader must weigh, and why."""

    label: str
    text: str
    reason: str
    citations: tuple[int, ...]
    """The sources that support the claim."""
    corrects: tuple[int, ...] = ()
    """Sources that say otherwise (the ones the claim corrects), cited here and nowhere else."""

    @property
    def short_reason(self) -> str:
        """Return the reason's first sentence, for the short caveats of `caveats: summary` (never empty)."""
        return _first_sentence(self.reason)


@dataclass(frozen=True)
class KeyDate:
    """One line of the brief's "Key dates": an event a deadline counts from, or a deadline."""

    date: dt.date
    text: str
    """`Signing` for an event; what is due for a deadline."""
    rule: str
    """For a deadline, how its date follows (`6 months after signing`); empty for an event."""
    citations: tuple[int, ...]


@dataclass(frozen=True)
class Correction:
    """A claim the brief shows that corrects one of its sources: the record, and what the source said."""

    text: str
    note: str
    """What the corrected source said (the claim's `note`); may be empty."""
    citations: tuple[int, ...]
    """The sources that support the correction."""
    corrects: tuple[int, ...] = ()
    """The sources it corrects."""
    disputes: tuple[Conflict, ...] = ()
    """Disagreements over a value it states: printed with it here too, as wherever the value prints."""

    @property
    def short_note(self) -> str:
        """Return the note's first sentence, for the short caveats of `caveats: summary`."""
        return _first_sentence(self.note)


@dataclass(frozen=True)
class CitedText:
    """A summary or bottom line: text pieces, each followed by the citation numbers of its marker.

    `str()` gives the plain text, so `{{ brief.summary }}` still prints the words.
    """

    parts: tuple[tuple[str, tuple[int, ...]], ...]
    label: str | None = None
    """UNVERIFIED when it cites no source, or only sources graded E or F; else None."""
    reason: str = ""
    disputes: tuple[Conflict, ...] = ()
    """Disagreements on a quantity it prints, stated right after it."""

    def __str__(self) -> str:
        return "".join(text for text, _ in self.parts).strip()

    def __bool__(self) -> bool:
        return bool(str(self))

    @property
    def citations(self) -> tuple[int, ...]:
        """Every number cited in the text, once each, in order."""
        return tuple(sorted({n for _, numbers in self.parts for n in numbers}))


KINDS = ("added", "removed", "reworded", "label", "sources", "values")


@dataclass(frozen=True)
class Change:
    """One change an audience's brief lists."""

    kind: str
    """One of KINDS."""
    item: str
    """What changed: a fact or figure id, `takeaway`, or `faq`."""
    text: str
    """The item's wording in the new edition (in the old one for `removed`)."""
    before: str = ""
    """For `reworded` the old wording; for `label` the old label; for `sources` the sources withdrawn (their publishers);
    for `values` the old values."""
    after: str = ""
    """For `label` the new label; for `sources` the sources added (their publishers); for `values` the new values."""
    reason: str = ""
    """For `label`: why the claim is labelled (or is no longer), from the new edition."""
    label: str | None = None
    """The item's label where `text` is from (UNVERIFIED...): a claim not confirmed is labelled in this list too."""


@dataclass(frozen=True)
class Changes:
    """Every change one audience's brief lists, since one earlier edition."""

    since: dt.date
    """The old edition's `as_of`."""
    items: tuple[Change, ...]
    first_edition: bool = False
    """True when the data file did not exist in the old edition (see `no_earlier_edition`): every item is new."""

    def by_kind(self) -> dict[str, tuple[Change, ...]]:
        """Return the changes grouped by kind, in KINDS order, leaving out kinds with none."""
        return {kind: found for kind in KINDS if (found := tuple(c for c in self.items if c.kind == kind))}


@dataclass(frozen=True)
class Cut:
    """An item left out of a brief to fit its page budget, and the score that made it go first."""

    kind: str
    """facts, faqs, figures or takeaways (a profile's `cut_order` words)."""
    key: str
    """`selection.item_key` of the item."""
    text: str
    """What a reader would have seen: the fact, the question, the figure's title, the takeaway."""
    score: float
    """The selection score: the profile's weights for the item's topics (a fact's plus its priority)."""


@dataclass(frozen=True)
class Brief:
    """One audience's brief of one data file: the selection, ready to lay out."""

    dataset_id: str
    title: str
    subtitle: str
    short_title: str
    as_of: dt.date
    summary: CitedText
    bottom_line: CitedText | None
    organisation: str | None
    author: str | None
    keywords: tuple[str, ...]
    audience_id: str
    audience_label: str
    audience_focus: str
    disclaimer: str
    caveats_mode: str
    sections: tuple[str, ...]
    facts: tuple[FactView, ...]
    takeaways: tuple[TakeawayView, ...]
    faqs: tuple[FaqView, ...]
    figures: tuple[FigureView, ...]
    caveats: tuple[Caveat, ...]
    conflicts: tuple[Conflict, ...]
    sources: tuple[CitedSource, ...]
    decisions: tuple[Decision, ...]
    page_size: str | None
    language: str = "en"
    """BCP 47 tag of the data's language."""
    changes: Changes | None = None
    """What changed since an earlier edition (`--since`), for this audience; None when not asked or the profile leaves it out."""
    claims: tuple[FactView, ...] = ()
    """Selected facts that are not confirmed (labelled), for "Claims in circulation"; `facts` holds the rest."""
    corrections: tuple[Correction, ...] = ()
    """Shown claims that correct a source, for the caveats' "Corrections to the sources"."""
    key_dates: tuple[KeyDate, ...] = ()
    """The deadlines of the facts shown and the events they count from, in date order."""
    legend: tuple[tuple[str, str, str], ...] = ()
    """(label, style kind, meaning) of each label the brief prints, in a fixed order, for "How to read this brief"."""
    cuts: tuple[Cut, ...] = ()
    """Items left out to fit the page budget, in the order they were cut; empty when nothing was cut."""
    max_pages: int | None = None
    """The page budget the brief was fitted to; None when it had none."""

    @property
    def left_out(self) -> int:
        """Return how many items were left out to fit the page budget (for "n items left out to fit one page")."""
        return len(self.cuts)

    @property
    def selected_facts(self) -> tuple[FactView, ...]:
        """Return every fact the brief shows, key facts and claims alike, in the order the selection ranked them."""
        rank = {decision.fact_id: decision.rank or 0 for decision in self.decisions}
        return tuple(sorted((*self.facts, *self.claims), key=lambda fact: rank.get(fact.id, 0)))

    def caveat_counts(self) -> dict[str, int]:
        """Return how many caveats carry each label, in label order."""
        counts: dict[str, int] = {}
        for caveat in self.caveats:
            counts[caveat.label] = counts.get(caveat.label, 0) + 1
        return counts
