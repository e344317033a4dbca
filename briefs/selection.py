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

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from .brief import (
    Brief,
    Caveat,
    CitedText,
    Conflict,
    Decision,
    FactView,
    FaqView,
    FigureView,
    Match,
    TakeawayView,
)
from .citing import Citer
from .evidence import confidence
from .models import Dataset, Fact, Faq, Figure, Profile, Takeaway, Topic, for_audience, same_label
from .sentences import end_sentence
from .topics import weight

__all__ = ["decide", "select"]


def select(dataset: Dataset, profile: Profile) -> Brief:
    """Return the brief of `dataset` for the audience of `profile`."""
    grades = dataset.grades
    decisions = decide(dataset.facts, profile, dataset.topics, grades)
    by_id = {fact.id: fact for fact in dataset.facts}
    chosen = sorted((d for d in decisions if d.selected), key=lambda d: d.rank or 0)
    shown = _Shown(
        facts=[(by_id[d.fact_id], d.score) for d in chosen] if "key_facts" in profile.sections else [],
        figures=[f for f in dataset.figures if "figures" in profile.sections and _shares_topic(f.topics, profile, dataset.topics)
                 and _allowed(f.status, (f.source,), grades, profile)],
        takeaways=[t for t in dataset.takeaways if "takeaways" in profile.sections and t.audience == profile.id
                   and _allowed(t.status, t.sources, grades, profile)],
        faqs=[q for q in dataset.faqs if "faqs" in profile.sections and _shares_topic(q.topics, profile, dataset.topics)
              and _allowed(q.status, q.sources, grades, profile)],
    )
    citer = Citer({source.id: source for source in dataset.sources})
    unshown = Citer(citer.sources)  # for what the profile's sections leave out: numbered, never listed
    bottom_line = citer.cited_text(for_audience(dataset.bottom_line, profile.id)) if dataset.bottom_line else None
    summary: CitedText | None = None
    views = _Views()
    caveats: tuple[Caveat, ...] | None = None
    conflicts: tuple[Conflict, ...] | None = None
    # Built in the profile's section order, so citation numbers follow first use as read.
    for section in profile.sections:
        if section == "summary":
            summary = citer.cited_text(for_audience(dataset.summary, profile.id))
        elif section == "caveats":
            caveats = _caveats(profile.sections, shown, bottom_line, summary, profile, dataset, citer)
            # Disagreements are stated in the caveats, and may cite facts the brief does not show.
            conflicts = _conflicts([fact for fact, _ in shown.facts], dataset.facts, citer)
        else:
            views.build(section, shown, profile, dataset, citer)
    if summary is None:
        summary = unshown.cited_text(for_audience(dataset.summary, profile.id))
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
        audience_label=profile.label,
        audience_focus=profile.focus,
        disclaimer=profile.disclaimer,
        caveats_mode=profile.caveats,
        sections=profile.sections,
        facts=views.facts,
        takeaways=views.takeaways,
        faqs=views.faqs,
        figures=views.figures,
        caveats=caveats if caveats is not None else _caveats(profile.sections, shown, bottom_line, summary, profile, dataset, unshown),
        conflicts=conflicts if conflicts is not None else _conflicts([fact for fact, _ in shown.facts], dataset.facts, unshown),
        sources=citer.listed(),
        decisions=decisions,
        page_size=dataset.page_size,
        language=dataset.language,
    )


@dataclass
class _Shown:
    """The items the brief shows, chosen before any citation is numbered."""

    facts: list[tuple[Fact, float]]
    figures: list[Figure]
    takeaways: list[Takeaway]
    faqs: list[Faq]


@dataclass
class _Views:
    """The views of the shown items, built section by section as the brief is read."""

    facts: tuple[FactView, ...] = ()
    figures: tuple[FigureView, ...] = ()
    takeaways: tuple[TakeawayView, ...] = ()
    faqs: tuple[FaqView, ...] = ()

    def build(self, section: str, shown: _Shown, profile: Profile, dataset: Dataset, citer: Citer) -> None:
        grades = dataset.grades
        if section == "key_facts":
            self.facts = tuple(_fact_view(fact, score, profile, dataset, citer, grades) for fact, score in shown.facts)
        elif section == "figures":
            self.figures = tuple(_figure_view(figure, citer, grades) for figure in shown.figures)
        elif section == "takeaways":
            self.takeaways = tuple(_takeaway_view(takeaway, citer, grades) for takeaway in shown.takeaways)
        elif section == "faqs":
            self.faqs = tuple(_faq_view(faq, citer, grades) for faq in shown.faqs)


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


def _keywords(dataset: Dataset, profile: Profile) -> tuple[str, ...]:
    """Return the labels of the topics the data file's facts use that this audience weighs."""
    used = dict.fromkeys(topic for fact in dataset.facts for topic in fact.topics)
    return tuple(_label(t, dataset.topics) for t in used if weight(profile.interests, t, dataset.topics).value > 0)


def _label(topic_id: str, topics: Mapping[str, Topic]) -> str:
    topic = topics.get(topic_id)
    return topic.label if topic is not None and topic.label else topic_id


def _fact_view(fact: Fact, score: float, profile: Profile, dataset: Dataset, citer: Citer, grades: Mapping[str, str]) -> FactView:
    return FactView(
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


def _figure_view(figure: Figure, citer: Citer, grades: Mapping[str, str]) -> FigureView:
    points = tuple(figure.data.items())
    unit = f" {figure.unit}" if figure.unit else ""
    alt = figure.alt or (
        end_sentence(f"Bar chart: {figure.title}") + " "
        + end_sentence("; ".join(f"{label} {_plain_number(value)}{unit}" for label, value in points))
    )
    citations = citer.cite([figure.source])
    label = confidence(figure.status, (figure.source,), grades, figure.note).label
    return FigureView(figure.id, figure.title, figure.unit, figure.category, points, alt, citations, figure.note, figure.status, label)


def _plain_number(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,}"


def _caveats(sections: Sequence[str], shown: _Shown, bottom_line: CitedText | None, summary: CitedText | None,
             profile: Profile, dataset: Dataset, citer: Citer) -> tuple[Caveat, ...]:
    """List every labelled claim the brief shows, in reading order, with its label and why.

    Numbers are taken from `citer` as the caveats are read: a claim listed here before its own
    section cites its sources here first. Sources a claim corrects are cited here only.
    """
    grades = dataset.grades
    caveats: list[Caveat] = []
    for name, opening in (("Bottom line", bottom_line), ("Summary", summary)):
        if opening is not None and opening.label:
            caveats.append(Caveat(opening.label, name, opening.reason, opening.citations))

    def add(status: str | None, text: str, sources: Sequence[str], note: str | None, corrects: Sequence[str] = ()) -> None:
        judged = confidence(status, sources, grades, note)
        if judged.label:
            caveats.append(Caveat(judged.label, text, judged.reason, citer.cite(sources), citer.cite(corrects)))

    for section in sections:
        if section == "key_facts":
            for fact, _ in shown.facts:
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
    return tuple(caveats)


def _conflicts(shown: Sequence[Fact], every: Sequence[Fact], citer: Citer) -> tuple[Conflict, ...]:
    """State each disagreement among facts measuring the same quantity that the brief shows."""
    conflicts = []
    for measure in dict.fromkeys(f.quantity.measure for f in shown if f.quantity and f.quantity.measure):
        group = [f for f in every if f.quantity and f.quantity.measure == measure]
        if len({f.quantity.value for f in group if f.quantity}) > 1:
            values = tuple((f.text, f.quantity.value, f.quantity.unit, citer.cite(f.sources)) for f in group if f.quantity)
            conflicts.append(Conflict(measure, values, _shared_label(group)))
    return tuple(conflicts)


def _shared_label(group: Sequence[Fact]) -> str | None:
    """Return the label the group's labelled facts all give what they measure; None (quote each fact) when they differ."""
    labels = [f.quantity.label for f in group if f.quantity and f.quantity.label]
    if not labels or not all(same_label(labels[0], label) for label in labels[1:]):
        return None
    return labels[0]
