"""Select what one audience reads: a pure function from (dataset, profile) to a Brief.

The rule, stated once (and shown by `explain`): a fact's score is the sum of the profile's
weights for the fact's topics (a topic the profile does not name weighs as its broader topic:
`topics.weight`), plus its `priority`. A fact is eligible when its status is not
excluded by the profile and its score is at least `min_score`. The brief shows the `max_facts`
eligible facts with the highest scores, ties broken by priority, then by order in the data file.
Takeaways are the audience's own; FAQs and figures are those sharing a topic the profile weights.
A status the profile excludes leaves out facts, takeaways, FAQs and figures alike.
Citations are numbered in order of first use, walking the profile's sections in order.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from .brief import (
    GRADE_MEANINGS,
    STATUS_LABELS,
    Brief,
    Caveat,
    CitedSource,
    Conflict,
    Decision,
    FactView,
    FaqView,
    FigureView,
    Match,
    TakeawayView,
)
from .models import Dataset, Fact, Faq, Figure, Profile, Source, Takeaway, Topic
from .topics import weight

__all__ = ["decide", "select"]


def select(dataset: Dataset, profile: Profile) -> Brief:
    """Return the brief of `dataset` for the audience of `profile`."""
    decisions = decide(dataset.facts, profile, dataset.topics)
    by_id = {fact.id: fact for fact in dataset.facts}
    chosen = sorted((d for d in decisions if d.selected), key=lambda d: d.rank or 0)
    citer = _Citer({source.id: source for source in dataset.sources})
    facts: tuple[FactView, ...] = ()
    figures: tuple[FigureView, ...] = ()
    takeaways: tuple[TakeawayView, ...] = ()
    faqs: tuple[FaqView, ...] = ()
    conflicts: tuple[Conflict, ...] | None = None
    shown = [by_id[d.fact_id] for d in chosen] if "key_facts" in profile.sections else []
    # Built in the profile's section order, so citation numbers follow first use as read.
    for section in profile.sections:
        if section == "key_facts":
            facts = tuple(_fact_view(by_id[d.fact_id], d.score, profile, dataset, citer) for d in chosen)
        elif section == "figures":
            figures = tuple(_figure_view(f, citer) for f in dataset.figures
                            if _shares_topic(f.topics, profile, dataset.topics) and _allowed(f.status, profile))
        elif section == "takeaways":
            takeaways = tuple(_takeaway_view(t, citer) for t in dataset.takeaways
                              if t.audience == profile.id and _allowed(t.status, profile))
        elif section == "faqs":
            faqs = tuple(_faq_view(q, citer) for q in dataset.faqs
                         if _shares_topic(q.topics, profile, dataset.topics) and _allowed(q.status, profile))
        elif section == "caveats":
            # Disagreements are stated in the caveats, and may cite facts the brief does not show.
            conflicts = _conflicts(shown, dataset.facts, citer)
    if conflicts is None:
        conflicts = _conflicts(shown, dataset.facts, citer)
    return Brief(
        dataset_id=dataset.id,
        title=dataset.title,
        subtitle=dataset.subtitle,
        short_title=dataset.short_title or dataset.title,
        as_of=dataset.as_of,
        summary=dataset.summary,
        bottom_line=dataset.bottom_line,
        organisation=dataset.organisation,
        author=dataset.author,
        keywords=_keywords(dataset, profile),
        audience_id=profile.id,
        audience_label=profile.label,
        audience_focus=profile.focus,
        disclaimer=profile.disclaimer,
        caveats_mode=profile.caveats,
        sections=profile.sections,
        facts=facts,
        takeaways=takeaways,
        faqs=faqs,
        figures=figures,
        caveats=_caveats(profile.sections, facts, figures, takeaways, faqs),
        conflicts=conflicts,
        sources=citer.listed(),
        decisions=decisions,
        page_size=dataset.page_size,
    )


def decide(facts: Sequence[Fact], profile: Profile, topics: Mapping[str, Topic] | None = None) -> tuple[Decision, ...]:
    """Return one Decision per fact, in data-file order, applying the selection rule.

    `topics` is the data file's vocabulary (`Dataset.topics` as loaded), for weights through `broader`;
    None weighs only the topics the profile names.
    """
    scored = []
    for index, fact in enumerate(facts):
        weights = [(topic, weight(profile.interests, topic, topics or {})) for topic in fact.topics]
        matched = tuple(Match(topic, w.value, w.via) for topic, w in weights if w.via is not None or topic in profile.interests)
        score = sum(match.weight for match in matched) + fact.priority
        scored.append((index, fact, matched, score))
    eligible = [s for s in scored if s[1].status not in profile.exclude_status and s[3] >= profile.min_score]
    ranked = sorted(eligible, key=lambda s: (-s[3], -s[1].priority, s[0]))
    rank_of = {s[0]: rank for rank, s in enumerate(ranked, start=1)}
    decisions = []
    for index, fact, matched, score in scored:
        rank = rank_of.get(index)
        if fact.status in profile.exclude_status:
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


def _allowed(status: str | None, profile: Profile) -> bool:
    """True unless the profile excludes the item's status (an item without one is never excluded)."""
    return status is None or status not in profile.exclude_status


def _keywords(dataset: Dataset, profile: Profile) -> tuple[str, ...]:
    """Return the labels of the topics the data file's facts use that this audience weighs."""
    used = dict.fromkeys(topic for fact in dataset.facts for topic in fact.topics)
    return tuple(_label(t, dataset.topics) for t in used if weight(profile.interests, t, dataset.topics).value > 0)


def _label(topic_id: str, topics: Mapping[str, Topic]) -> str:
    topic = topics.get(topic_id)
    return topic.label if topic is not None and topic.label else topic_id


class _Citer:
    """Number sources in order of first use; local to one selection."""

    def __init__(self, sources: dict[str, Source]) -> None:
        self.sources = sources
        self._numbers: dict[str, int] = {}

    def cite(self, ids: Iterable[str]) -> tuple[int, ...]:
        numbers = []
        for source_id in ids:
            number = self._numbers.setdefault(source_id, len(self._numbers) + 1)
            if number not in numbers:
                numbers.append(number)
        return tuple(sorted(numbers))

    def listed(self) -> tuple[CitedSource, ...]:
        return tuple(
            CitedSource(
                number=number,
                id=s.id,
                title=s.title,
                publisher=s.publisher,
                date=s.date,
                url=s.url,
                reliability=s.reliability,
                grade_meaning=GRADE_MEANINGS[s.reliability],
                note=s.note,
            )
            for source_id, number in self._numbers.items()
            for s in (self.sources[source_id],)
        )


def _fact_view(fact: Fact, score: float, profile: Profile, dataset: Dataset, citer: _Citer) -> FactView:
    return FactView(
        id=fact.id,
        text=fact.audiences.get(profile.id, fact.text),
        status=fact.status,
        label=STATUS_LABELS.get(fact.status),
        note=fact.note,
        citations=citer.cite(fact.sources),
        topics=tuple(_label(t, dataset.topics) for t in fact.topics),
        date=fact.date,
        score=score,
    )


def _takeaway_view(takeaway: Takeaway, citer: _Citer) -> TakeawayView:
    status = takeaway.status
    return TakeawayView(takeaway.text, status, STATUS_LABELS.get(status or ""), takeaway.note, citer.cite(takeaway.sources))


def _faq_view(faq: Faq, citer: _Citer) -> FaqView:
    status = faq.status
    return FaqView(faq.question, faq.answer, status, STATUS_LABELS.get(status or ""), faq.note, citer.cite(faq.sources))


def _figure_view(figure: Figure, citer: _Citer) -> FigureView:
    points = tuple(figure.data.items())
    unit = f" {figure.unit}" if figure.unit else ""
    alt = figure.alt or (
        f"Bar chart: {figure.title}. " + "; ".join(f"{label} {_plain_number(value)}{unit}" for label, value in points) + "."
    )
    citations = citer.cite([figure.source])
    label = STATUS_LABELS.get(figure.status)
    return FigureView(figure.id, figure.title, figure.unit, figure.category, points, alt, citations, figure.note, figure.status, label)


def _plain_number(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,}"


def _caveats(
    sections: Sequence[str],
    facts: Sequence[FactView],
    figures: Sequence[FigureView],
    takeaways: Sequence[TakeawayView],
    faqs: Sequence[FaqView],
) -> tuple[Caveat, ...]:
    """List every labelled claim the brief shows, in reading order, with why it is labelled."""
    by_section = {
        "key_facts": [Caveat(f.label, f.text, _reason(f.status, f.note), f.citations) for f in facts if f.label],
        "figures": [Caveat(g.label, g.title, _reason(g.status, g.note), g.citations) for g in figures if g.label],
        "takeaways": [Caveat(t.label, t.text, _reason(t.status, t.note), t.citations) for t in takeaways if t.label],
        "faqs": [Caveat(q.label, q.question, _reason(q.status, q.note), q.citations) for q in faqs if q.label],
    }
    return tuple(caveat for section in sections for caveat in by_section.get(section, ()))


def _reason(status: str | None, note: str | None) -> str:
    if note:
        return note
    if status == "corrected":
        return "The original source stated this differently."
    if status == "disputed":
        return "Sources disagree on this claim."
    return "Only a weak or unattributed source makes this claim."


def _conflicts(shown: Sequence[Fact], every: Sequence[Fact], citer: _Citer) -> tuple[Conflict, ...]:
    """State each disagreement among facts measuring the same quantity that the brief shows."""
    conflicts = []
    for measure in dict.fromkeys(f.quantity.measure for f in shown if f.quantity and f.quantity.measure):
        group = [f for f in every if f.quantity and f.quantity.measure == measure]
        if len({f.quantity.value for f in group if f.quantity}) > 1:
            values = tuple((f.text, f.quantity.value, f.quantity.unit, citer.cite(f.sources)) for f in group if f.quantity)
            label = next((f.quantity.label for f in group if f.quantity and f.quantity.label), None)
            conflicts.append(Conflict(measure, values, label))
    return tuple(conflicts)
