"""`briefs explain`: why each fact is in or out of a brief, as plain-text tables.

Two views of the one selection rule (`selection.decide`):

    explain(inputs, audiences)        per audience, one row per fact of each data file
    trace(inputs, fact_id, audiences) per fact, one row per audience

Both return lines of text; the command prints them.
"""

from __future__ import annotations

from collections.abc import Sequence

from .brief import Decision
from .errors import BriefsError
from .evidence import Confidence, confidence
from .fitting import Fitted
from .models import Dataset, Profile
from .pipeline import Inputs, chosen_profiles, fit_brief
from .selection import decide
from .suggest import did_you_mean
from .writers import default_formats

__all__ = ["LABEL_RULE", "choose_profiles", "explain", "trace"]


def explain(inputs: Inputs, audiences: Sequence[str] = (), max_pages: int | None = None) -> list[str]:
    """Return, for each audience and data file, a table with one row per fact, in data-file order.

    A brief with a page budget (`max_pages`, else its profile's) also gets the items cut to fit it, in cutting order.
    """
    lines: list[str] = []
    for profile in chosen_profiles(inputs.profiles, audiences):
        for path, dataset in inputs.datasets:
            lines += _table(dataset, profile)
            budget = max_pages or profile.max_pages
            if budget is not None:
                lines += _cuts(fit_brief(inputs, path, dataset, profile, budget, default_formats(), None), profile)
            lines.append("")
    return lines


_CUT_TEXT = 90
"""Characters of a cut item's text shown, so that a row fits a terminal."""


def _cuts(fitted: Fitted, profile: Profile) -> list[str]:
    """Return what was cut to fit the page budget: one row per item, in the order cut, with its score."""
    brief = fitted.brief
    pages = f"{brief.max_pages} page{'s' if brief.max_pages != 1 else ''}"
    head = (f"cut to fit {pages} ({fitted.pages} laid out, {fitted.layouts} layouts measured): {len(brief.cuts)} "
            f"item{'s' if len(brief.cuts) != 1 else ''}, lowest score first within each kind, kinds in the order "
            f"{', '.join(profile.cut_order)}")
    if not brief.cuts:
        return [f"fits {pages} ({fitted.pages} laid out): nothing cut"]
    rows = [f"{n:>4}  {cut.score:>5g}  {cut.kind:<9} {_shortened(cut.text)}" for n, cut in enumerate(brief.cuts, start=1)]
    return [head, f"{'cut':>4}  {'score':>5}  {'kind':<9} item", *rows]


def _shortened(text: str) -> str:
    return text if len(text) <= _CUT_TEXT else text[: _CUT_TEXT - 1].rstrip() + "…"


def trace(inputs: Inputs, fact_id: str, audiences: Sequence[str] = ()) -> list[str]:
    """Return the selection of one fact for every audience (one row each); raise for an unknown id."""
    profiles = choose_profiles(inputs, audiences)
    lines: list[str] = []
    for _path, dataset in inputs.datasets:
        index = next((i for i, fact in enumerate(dataset.facts) if fact.id == fact_id), None)
        if index is None:
            continue
        fact = dataset.facts[index]
        grades = dataset.grades
        judged = confidence(fact.status, fact.sources, grades, fact.note)
        label = (f"labelled {judged.label} ({judged.reason})" if judged.label
                 else "no label, listed under Corrections to the sources" if judged.correction else "no label")
        lines.append(f"{fact.id} in {dataset.id}: {fact.status}, {label}, priority {fact.priority:+d}, topics {', '.join(fact.topics)}")
        rows = [(profile, decide(dataset.facts, profile, dataset.topics, grades)[index]) for profile in profiles]
        width = max(len("audience"), *(len(profile.id) for profile, _ in rows))
        lines.append(f"{'audience':<{width}}  {'rank':>4}  {'score':>5}  {'decision':<26} topics (weight)")
        lines += [f"{p.id:<{width}}  {_rank(d):>4}  {d.score:>5g}  {_decision(d, p):<26} {_topics(d)}" for p, d in rows]
        lines.append("")
    if not lines:
        raise BriefsError(f"unknown fact {fact_id!r}{_suggest(fact_id, [f.id for _, d in inputs.datasets for f in d.facts])}")
    return lines


def choose_profiles(inputs: Inputs, audiences: Sequence[str]) -> list[Profile]:
    """Return the profiles of `audiences` (all, by id, when empty); raise ProfileError naming an unknown one."""
    return chosen_profiles(inputs.profiles, audiences)


def _label_column(judged: Confidence) -> str:
    """Return what the label column shows: the label, `correction` for a corrected fact on strong sources, else `-`."""
    return judged.label or ("correction" if judged.correction else "-")


LABEL_RULE = ("label: UNVERIFIED when every source is graded E or F (or there is none), whatever the status; "
              "else the status's word (REPORTED, UNVERIFIED, DISPUTED); none for confirmed, and none for corrected "
              "(the record: listed under Corrections to the sources)")
"""The rule of `evidence.confidence`, as `explain` states it under each table."""


def _table(dataset: Dataset, profile: Profile) -> list[str]:
    grades = dataset.grades
    decisions = decide(dataset.facts, profile, dataset.topics, grades)
    labels = [_label_column(confidence(fact.status, fact.sources, grades)) for fact in dataset.facts]
    width = max(len("fact"), *(len(d.fact_id) for d in decisions))
    lines = [
        f"{dataset.id} for {profile.id} (min_score {profile.min_score:g}, max_facts {profile.max_facts})",
        f"{'rank':>4}  {'score':>5}  {'decision':<17} {'label':<10} {'fact':<{width}} topics (weight)",
    ]
    lines += [f"{_rank(d):>4}  {d.score:>5g}  {d.reason:<17} {label:<10} {d.fact_id:<{width}} {_topics(d)}"
              for d, label in zip(decisions, labels, strict=True)]
    return [*lines, LABEL_RULE]


def _rank(decision: Decision) -> str:
    return str(decision.rank) if decision.rank else "-"


def _topics(decision: Decision) -> str:
    topics = ", ".join(f"{m.topic} {m.weight:g}" + (f" (via {m.via})" if m.via else "") for m in decision.matched) or "-"
    return topics + (f"; priority {decision.priority:+d}" if decision.priority else "")


def _decision(decision: Decision, profile: Profile) -> str:
    """Return the reason with the profile setting behind it, e.g. 'below min_score 3'."""
    if decision.reason == "below min_score":
        return f"below min_score {profile.min_score:g}"
    if decision.reason == "cut by max_facts":
        return f"cut by max_facts {profile.max_facts}"
    if decision.reason == "status excluded":
        return f"status excluded ({decision.status})"
    return decision.reason


def _suggest(wrong: str, known: Sequence[str]) -> str:
    suggestion = did_you_mean(wrong, known)
    return f"; {suggestion}" if suggestion else ""
