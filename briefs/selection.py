"""Select what one audience reads: a pure function from (dataset, profile) to a Brief.

The rule, stated once (and shown by `explain`): a fact's score is the sum of the profile's
weights for the fact's topics (a topic the profile does not name weighs as its broader topic:
`topics.weight`), plus its `priority`. A fact is eligible when its status is not
excluded by the profile and its score is at least `min_score`. The brief shows the `max_facts`
eligible facts with the highest scores, ties broken by priority, then by order in the data file.
Takeaways are the audience's own; FAQs and figures are those sharing a topic the profile weights.
A status the profile excludes leaves out facts, takeaways, FAQs and figures alike, whether the
item says it or its label shows it (`evidence.confidence`: a "confirmed" fact resting only on an
F-graded source is labelled, and excluded as, UNVERIFIED).
Citations are numbered in order of first use, walking the profile's sections in order.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TypeVar

from .brief import (
    Brief,
    Caveat,
    CitedSource,
    CitedText,
    Conflict,
    Correction,
    Decision,
    FactView,
    FaqView,
    FigureView,
    KeyDate,
    Match,
    TakeawayView,
)
from .citestyles import cite_in_style
from .citing import Citer, split_markers
from .deadlines import due_date, rule
from .disputes import Dispute, disputes_in_figure, disputes_in_text, disputes_of_facts, find_disputes
from .evidence import KINDS, Confidence, confidence
from .models import Dataset, Fact, Faq, Figure, Profile, Source, Takeaway, Topic, for_audience
from .profilewords import profile_words
from .sentences import end_sentence
from .topics import weight
from .words import Words, catalogue, label_key

__all__ = ["decide", "item_key", "select"]


def item_key(kind: str, ident: str | int) -> str:
    """Return the key naming one item of a data file (a fact or figure by id, a takeaway or FAQ by position)."""
    return f"{kind}:{ident}"


def select(dataset: Dataset, profile: Profile, words: Words | None = None, omit: frozenset[str] = frozenset()) -> Brief:
    """Return the brief of `dataset` for the audience of `profile`, the words it adds from `words` (None: the built-in
    catalogue of the data's language).

    `omit` holds the keys (`item_key`) of items cut to fit a page budget: they are left out before
    any citation is numbered, so the caveats and sources follow the items kept.
    """
    words = words or catalogue(dataset.language)
    grades = dataset.grades
    decisions = decide(dataset.facts, profile, dataset.topics, grades)
    by_id = {fact.id: fact for fact in dataset.facts}
    chosen = sorted((d for d in decisions if d.selected), key=lambda d: d.rank or 0)
    shown = _Shown(
        facts=[(by_id[d.fact_id], d.score) for d in chosen if item_key("fact", d.fact_id) not in omit]
        if {"key_facts", "claims"} & set(profile.sections) else [],
        figures=[f for f in dataset.figures if "figures" in profile.sections and _shares_topic(f.topics, profile, dataset.topics)
                 and _allowed(f.status, (f.source,), grades, profile) and item_key("figure", f.id) not in omit],
        takeaways=[t for i, t in enumerate(dataset.takeaways) if "takeaways" in profile.sections and t.audience == profile.id
                   and _allowed(t.status, t.sources, grades, profile) and item_key("takeaway", i) not in omit],
        faqs=[q for i, q in enumerate(dataset.faqs) if "faqs" in profile.sections and _shares_topic(q.topics, profile, dataset.topics)
              and _allowed(q.status, q.sources, grades, profile) and item_key("faq", i) not in omit],
    )
    citer = Citer({source.id: source for source in dataset.sources}, words)
    unshown = Citer(citer.sources, words)  # for what the profile's sections leave out: numbered, never listed
    disputes = _Disputes(_Found(find_disputes(dataset)), citer)
    bottom_line = disputes.opening(citer.cited_text(for_audience(dataset.bottom_line, profile.id))) if dataset.bottom_line else None
    summary: CitedText | None = None
    views = _Views(disputes, words)
    shown_facts = [fact for fact, _ in shown.facts]
    key_dates: tuple[KeyDate, ...] | None = None
    caveats: tuple[tuple[Caveat, ...], tuple[Correction, ...]] | None = None
    conflicts: tuple[Conflict, ...] | None = None
    # Built in the profile's section order, so citation numbers follow first use as read.
    for section in profile.sections:
        if section == "summary":
            summary = disputes.opening(citer.cited_text(for_audience(dataset.summary, profile.id)))
            key_dates = _key_dates(shown_facts, dataset, citer, words)
        elif section == "caveats":
            caveats = _caveats(profile.sections, shown, bottom_line, summary, profile, dataset, citer, words)
            # Every disagreement the brief touches anywhere is gathered here too, citing facts it may not show.
            conflicts = disputes.conflicts(_touched(shown, profile, dataset, disputes.found))
        else:
            views.build(section, shown, profile, dataset, citer)
    if summary is None:
        summary = unshown.cited_text(for_audience(dataset.summary, profile.id))
    if caveats is None:
        caveats = _caveats(profile.sections, shown, bottom_line, summary, profile, dataset, unshown, words)
    if conflicts is None:
        conflicts = _Disputes(disputes.found, unshown).conflicts(_touched(shown, profile, dataset, disputes.found))
    disputed = {view.text: view.disputes for view in (*views.facts, *views.claims) if view.disputes}
    corrections = tuple(replace(correction, disputes=disputed.get(correction.text, ())) for correction in caveats[1])
    said = profile_words(profile, dataset.language)
    return Brief(
        dataset_id=dataset.id,
        title=dataset.title,
        subtitle=dataset.subtitle,
        short_title=dataset.short_title or dataset.title,
        as_of=dataset.as_of,
        summary=summary,
        bottom_line=bottom_line,
        organisation=dataset.organisation,
        author=dataset.author,
        keywords=_keywords(dataset, profile),
        audience_id=profile.id,
        audience_label=said.label,
        audience_focus=said.focus,
        disclaimer=said.disclaimer,
        caveats_mode=profile.caveats,
        sections=profile.sections,
        facts=views.facts,
        takeaways=views.takeaways,
        faqs=views.faqs,
        figures=views.figures,
        caveats=caveats[0],
        conflicts=conflicts,
        sources=_in_style(citer.listed(), profile.citation_style or dataset.citation_style, citer.sources),
        decisions=decisions,
        page_size=dataset.page_size,
        language=dataset.language,
        claims=views.claims,
        corrections=corrections,
        legend=_legend(caveats[0], conflicts, words),
        key_dates=key_dates if key_dates is not None else _key_dates(shown_facts, dataset, unshown, words),
    )


def _in_style(listed: tuple[CitedSource, ...], style: str | None, sources: Mapping[str, Source]) -> tuple[CitedSource, ...]:
    """Return the sources list in the citation style (entries formatted, author-date labels, the style's order); as is for none."""
    if style is None or not listed:
        return listed
    styled = cite_in_style(style, [(cited.number, sources[cited.id]) for cited in listed], Path("."))
    by_number = {cited.number: cited for cited in listed}
    return tuple(replace(by_number[number], styled=styled.entries[number], cite_as=styled.labels.get(number))
                 for number in styled.order)


def _key_dates(shown: Sequence[Fact], dataset: Dataset, citer: Citer, words: Words) -> tuple[KeyDate, ...]:
    """Return the deadlines of the facts shown, with the events they count from, in date order (events first on a day).

    Cited where the summary prints them, before the key facts do: numbers follow first use as read.
    """
    by_id = {fact.id: fact for fact in dataset.facts}
    dated = []
    for fact in shown:
        event = by_id.get(fact.deadline.of) if fact.deadline else None
        due = due_date(fact.deadline, event.date) if fact.deadline and event and event.date else None
        if fact.deadline and event and event.date and due:
            dated.append((event.date, 0, fact.deadline.event, event, "", fact.deadline.event))
            dated.append((due, 1, fact.id, fact, rule(fact.deadline, words), fact.deadline.what))
    lines: dict[tuple[dt.date, int, str], KeyDate] = {}
    for when, order, key, fact, how, what in sorted(dated, key=lambda line: line[:3]):
        if (when, order, key) not in lines:
            lines[(when, order, key)] = KeyDate(when, what[:1].upper() + what[1:], how, citer.cite(fact.sources))
    return tuple(lines.values())


_Marked = TypeVar("_Marked", TakeawayView, FaqView)


def _legend(caveats: Sequence[Caveat], conflicts: Sequence[Conflict], words: Words) -> tuple[tuple[str, str, str], ...]:
    """Return (label, style kind, meaning) for each label the brief prints, in the fixed order of `KINDS`.

    Every labelled claim the brief shows is among its caveats, so they say which labels it uses.
    """
    used = {caveat.label for caveat in caveats} | ({"SOURCES DISAGREE"} if conflicts else set())
    return tuple((label, kind, words.text(label_key(label).replace("label.", "meaning.", 1))) for label, kind in KINDS.items()
                 if label in used)


@dataclass
class _Shown:
    """The items the brief shows, chosen before any citation is numbered."""

    facts: list[tuple[Fact, float]]
    figures: list[Figure]
    takeaways: list[Takeaway]
    faqs: list[Faq]


class _Found:
    """The data's disputes, and which of them each text and figure of one brief prints: each is searched once per brief."""

    def __init__(self, disputes: Mapping[str, Dispute]) -> None:
        self.disputes = disputes
        self._texts: dict[str, list[Dispute]] = {}
        self._figures: dict[str, list[Dispute]] = {}

    def in_text(self, text: str) -> list[Dispute]:
        if text not in self._texts:
            self._texts[text] = disputes_in_text(text, self.disputes.values())
        return self._texts[text]

    def in_figure(self, figure: Figure) -> list[Dispute]:
        if figure.id not in self._figures:
            self._figures[figure.id] = disputes_in_figure(figure, self.disputes.values())
        return self._figures[figure.id]

    def of_facts(self, facts: Sequence[Fact]) -> list[Dispute]:
        return disputes_of_facts(facts, self.disputes)


class _Disputes:
    """The data's disputed quantities, turned into cited disagreements where a brief prints one of their values."""

    def __init__(self, found: _Found, citer: Citer) -> None:
        self.found = found
        self.citer = citer

    def conflicts(self, disputes: Iterable[Dispute]) -> tuple[Conflict, ...]:
        """Return each dispute as a disagreement citing every side's sources, the reference side first."""
        return tuple(self._conflict(dispute) for dispute in disputes)

    def _conflict(self, dispute: Dispute) -> Conflict:
        sides = [(side, side.fact.quantity) for side in dispute.sides if side.fact.quantity]
        values = tuple((side.fact.text, q.value, q.unit, self.citer.cite(side.fact.sources)) for side, q in sides)
        reference = self.citer.sources[dispute.sides[0].source] if dispute.sides[0].source else None
        return Conflict(dispute.measure, values, dispute.label, tuple(side.grade for side, _ in sides),
                        reference.publisher if reference else None)

    def opening(self, text: CitedText) -> CitedText:
        """Return a summary or bottom line with the disagreements on the numbers it writes."""
        return replace(text, disputes=self.conflicts(self.found.in_text(str(text))))

    def fact(self, view: FactView, fact: Fact) -> FactView:
        return replace(view, disputes=self.conflicts(self.found.of_facts([fact])))

    def text(self, view: _Marked, text: str) -> _Marked:
        return replace(view, disputes=self.conflicts(self.found.in_text(text)))

    def figure(self, view: FigureView, figure: Figure) -> FigureView:
        return replace(view, disputes=self.conflicts(self.found.in_figure(figure)))


def _touched(shown: _Shown, profile: Profile, dataset: Dataset, found: _Found) -> list[Dispute]:
    """Return the disputes whose values the brief prints anywhere, once each, in data-file order."""
    openings = [dataset.summary, *([dataset.bottom_line] if dataset.bottom_line else [])]
    texts = [_printed(for_audience(text, profile.id)) for text in openings]  # as the opening's view searched it
    texts += [t.text for t in shown.takeaways] + [q.answer for q in shown.faqs]
    touched = {d.measure for d in found.of_facts([fact for fact, _ in shown.facts])}
    touched |= {d.measure for text in texts for d in found.in_text(text)}
    touched |= {d.measure for figure in shown.figures for d in found.in_figure(figure)}
    return [dispute for measure, dispute in found.disputes.items() if measure in touched]


def _printed(text: str) -> str:
    """Return `text` as a brief prints it: without its citation markers (as `str` of its CitedText)."""
    return "".join(piece for piece, _ in split_markers(text)).strip()


@dataclass
class _Views:
    """The views of the shown items, built section by section as the brief is read."""

    disputes: _Disputes
    words: Words
    facts: tuple[FactView, ...] = ()
    claims: tuple[FactView, ...] = ()
    figures: tuple[FigureView, ...] = ()
    takeaways: tuple[TakeawayView, ...] = ()
    faqs: tuple[FaqView, ...] = ()

    def build(self, section: str, shown: _Shown, profile: Profile, dataset: Dataset, citer: Citer) -> None:
        grades = dataset.grades
        # Each view cites its own sources first, then those of the disagreements printed after it.
        marks = self.disputes
        if section == "key_facts":
            self.facts = tuple(marks.fact(_fact_view(fact, score, profile, dataset, citer, grades, self.words), fact)
                               for fact, score in shown.facts if not _is_claim(fact, grades))
        elif section == "claims":
            self.claims = tuple(marks.fact(_fact_view(fact, score, profile, dataset, citer, grades, self.words), fact)
                                for fact, score in shown.facts if _is_claim(fact, grades))
        elif section == "figures":
            self.figures = tuple(marks.figure(_figure_view(figure, citer, grades, self.words), figure) for figure in shown.figures)
        elif section == "takeaways":
            self.takeaways = tuple(marks.text(_takeaway_view(t, citer, grades), t.text) for t in shown.takeaways)
        elif section == "faqs":
            self.faqs = tuple(marks.text(_faq_view(faq, citer, grades), faq.answer) for faq in shown.faqs)


def decide(facts: Sequence[Fact], profile: Profile, topics: Mapping[str, Topic] | None = None,
           grades: Mapping[str, str] | None = None) -> tuple[Decision, ...]:
    """Return one Decision per fact, in data-file order, applying the selection rule.

    `topics` is the data file's vocabulary (`Dataset.topics` as loaded), for weights through `broader`;
    None weighs only the topics the profile names. `grades` (source id -> A..F) lets `exclude_status`
    leave out what the brief would label, e.g. a "confirmed" fact resting only on an F source is
    unverified; None judges by the status word alone.
    """
    scored = []
    for index, fact in enumerate(facts):
        weights = [(topic, weight(profile.interests, topic, topics or {})) for topic in fact.topics]
        matched = tuple(Match(topic, w.value, w.via) for topic, w in weights if w.via is not None or topic in profile.interests)
        score = sum(match.weight for match in matched) + fact.priority
        scored.append((index, fact, matched, score))
    excluded = {index for index, fact, _, _ in scored if not _allowed(fact.status, fact.sources, grades, profile)}
    eligible = [s for s in scored if s[0] not in excluded and s[3] >= profile.min_score]
    ranked = sorted(eligible, key=lambda s: (-s[3], -s[1].priority, s[0]))
    rank_of = {s[0]: rank for rank, s in enumerate(ranked, start=1)}
    decisions = []
    for index, fact, matched, score in scored:
        rank = rank_of.get(index)
        if index in excluded:
            reason = "status excluded"
        elif score < profile.min_score:
            reason = "below min_score"
        elif rank is not None and rank > profile.max_facts:
            reason = "cut by max_facts"
        else:
            reason = "selected"
        decisions.append(Decision(fact.id, score, matched, fact.priority, fact.status, reason == "selected", reason, rank))
    return tuple(decisions)


def _shares_topic(item_topics: Iterable[str], profile: Profile, topics: Mapping[str, Topic]) -> bool:
    """True when the item has no topics (it concerns everyone) or one the profile weights."""
    item_topics = tuple(item_topics)
    return not item_topics or any(weight(profile.interests, topic, topics).value > 0 for topic in item_topics)


def _allowed(status: str | None, sources: Sequence[str], grades: Mapping[str, str] | None, profile: Profile) -> bool:
    """True unless the profile excludes the item's status, or the status its label shows (REPORTED, UNVERIFIED...)."""
    if not profile.exclude_status:
        return True
    if status is not None and status in profile.exclude_status:
        return False
    if grades is None:
        return True
    label = confidence(status, sources, grades).label
    return label is None or label.lower() not in profile.exclude_status


def _is_claim(fact: Fact, grades: Mapping[str, str]) -> bool:
    """True for a fact that is not confirmed (it carries a label): it goes under "Claims in circulation"."""
    return confidence(fact.status, fact.sources, grades).label is not None


def _keywords(dataset: Dataset, profile: Profile) -> tuple[str, ...]:
    """Return the labels of the topics the data file's facts use that this audience weighs."""
    used = dict.fromkeys(topic for fact in dataset.facts for topic in fact.topics)
    return tuple(_label(t, dataset.topics) for t in used if weight(profile.interests, t, dataset.topics).value > 0)


def _label(topic_id: str, topics: Mapping[str, Topic]) -> str:
    topic = topics.get(topic_id)
    return topic.label if topic is not None and topic.label else topic_id


def _due(fact: Fact, dataset: Dataset) -> dt.date | None:
    """Return the date the fact's deadline falls due; None without one (only then are the facts searched for its event)."""
    if fact.deadline is None:
        return None
    event = next((f.date for f in dataset.facts if f.id == fact.deadline.of), None)
    return due_date(fact.deadline, event) if event else None


def _fact_view(fact: Fact, score: float, profile: Profile, dataset: Dataset, citer: Citer, grades: Mapping[str, str],
               words: Words) -> FactView:
    due = _due(fact, dataset)
    return FactView(
        due=due,
        due_rule=rule(fact.deadline, words) if fact.deadline and due else "",
        id=fact.id,
        text=fact.audiences.get(profile.id, fact.text),
        status=fact.status,
        label=confidence(fact.status, fact.sources, grades, fact.note).label,
        note=fact.note,
        citations=citer.cite(fact.sources),
        topics=tuple(_label(t, dataset.topics) for t in fact.topics),
        date=fact.date,
        score=score,
        corrects=_corrects_after_note(fact.corrects, fact.status, fact.sources, grades, citer),
    )


def _takeaway_view(takeaway: Takeaway, citer: Citer, grades: Mapping[str, str]) -> TakeawayView:
    label = confidence(takeaway.status, takeaway.sources, grades, takeaway.note).label
    citations = citer.cite(takeaway.sources)
    corrects = _corrects_after_note(takeaway.corrects, takeaway.status, takeaway.sources, grades, citer)
    return TakeawayView(takeaway.text, takeaway.status, label, takeaway.note, citations, corrects)


def _faq_view(faq: Faq, citer: Citer, grades: Mapping[str, str]) -> FaqView:
    label = confidence(faq.status, faq.sources, grades, faq.note).label
    citations = citer.cite(faq.sources)
    return FaqView(faq.question, faq.answer, faq.status, label, faq.note, citations,
                   _corrects_after_note(faq.corrects, faq.status, faq.sources, grades, citer))


def _corrects_after_note(corrects: Sequence[str], status: str | None, sources: Sequence[str], grades: Mapping[str, str],
                         citer: Citer) -> tuple[int, ...]:
    """Cite the sources an unlabelled claim corrects after its note; a labelled one's caveat cites them instead."""
    return citer.cite(corrects) if corrects and confidence(status, sources, grades).label is None else ()


def _figure_view(figure: Figure, citer: Citer, grades: Mapping[str, str], words: Words) -> FigureView:
    points = tuple(figure.data.items())
    unit = f" {figure.unit}" if figure.unit else ""
    stop, separator = words.text("punctuation.end"), words.text("punctuation.separator")
    alt = figure.alt or (
        end_sentence(words.text("figure.alt", title=figure.title), stop) + " "
        + end_sentence(separator.join(f"{label} {words.number(value)}{unit}" for label, value in points), stop)
    )
    citations = citer.cite([figure.source])
    label = confidence(figure.status, (figure.source,), grades, figure.note).label
    return FigureView(figure.id, figure.title, figure.unit, figure.category, points, alt, citations, figure.note, figure.status, label)




def _caveats(sections: Sequence[str], shown: _Shown, bottom_line: CitedText | None, summary: CitedText | None,
             profile: Profile, dataset: Dataset, citer: Citer, words: Words) -> tuple[tuple[Caveat, ...], tuple[Correction, ...]]:
    """List every labelled claim the brief shows, and every claim correcting a source, in reading order.

    Numbers are taken from `citer` as the caveats are read: a claim listed here before its own
    section cites its sources here first. Sources a claim corrects are cited here only.
    """
    grades = dataset.grades
    caveats: list[Caveat] = []
    for name, opening in ((words.text("caveats.bottom_line"), bottom_line), (words.text("caveats.summary"), summary)):
        if opening is not None and opening.label:
            caveats.append(Caveat(opening.label, name, opening.reason, opening.citations))

    # Read in this order: the claims not confirmed, then the corrections, so numbers follow first use.
    judged: list[tuple[str, Sequence[str], Sequence[str], Confidence, str | None]] = []

    def add(status: str | None, text: str, sources: Sequence[str], note: str | None, corrects: Sequence[str] = ()) -> None:
        judged.append((text, sources, corrects, confidence(status, sources, grades, note, words), note))

    for section in sections:
        if section in ("key_facts", "claims"):
            for fact, _ in shown.facts:
                if _is_claim(fact, grades) == (section == "claims"):
                    add(fact.status, fact.audiences.get(profile.id, fact.text), fact.sources, fact.note, fact.corrects)
        elif section == "figures":
            for figure in shown.figures:
                add(figure.status, figure.title, (figure.source,), figure.note)
        elif section == "takeaways":
            for takeaway in shown.takeaways:
                add(takeaway.status, takeaway.text, takeaway.sources, takeaway.note, takeaway.corrects)
        elif section == "faqs":
            for faq in shown.faqs:
                add(faq.status, faq.question, faq.sources, faq.note, faq.corrects)
    caveats += [Caveat(j.label, text, j.reason, citer.cite(sources), citer.cite(corrects))
                for text, sources, corrects, j, _ in judged if j.label]
    corrections = [Correction(text, note or "", citer.cite(sources), citer.cite(corrects))
                   for text, sources, corrects, j, note in judged if j.correction]
    return tuple(caveats), tuple(corrections)
