"""What changed between two editions of a data file, per audience, computed on the data (not on text).

    changes = diff(old_dataset, new_dataset, profile)     # the Changes one audience's brief lists

An item counts for an audience when its brief shows it in either edition (facts it selects,
its own takeaways, the FAQs and figures it shows). Facts and figures are matched by id; takeaways
and FAQs, which have none, by their text (a reworded takeaway reads as one removed and one added).
The kinds of change, in the order a brief lists them:

    added        new in this edition            removed     gone (with its old wording)
    reworded     old -> new text                label       its label changed (UNVERIFIED -> none), with why
    sources      sources added or withdrawn     values      a figure's values changed

`earlier.read_edition` reads OLD as a data file, or as a git revision of the new one (`HEAD~1`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping

from .brief import KINDS, Brief, Change, Changes
from .evidence import confidence
from .models import Dataset, Fact, Profile
from .selection import select
from .words import Words, catalogue

__all__ = ["KINDS", "Change", "Changes", "diff", "no_earlier_edition"]

def diff(old: Dataset, new: Dataset, profile: Profile, new_brief: Brief | None = None, old_brief: Brief | None = None,
         words: Words | None = None) -> Changes:
    """Return the changes between two editions that `profile`'s brief shows in either of them (`new_brief`, `old_brief`:
    the editions' briefs when the caller has them, so none is selected twice), in `words` (None: the new data's language)."""
    words = words or catalogue(new.language)
    old_brief, new_brief = old_brief or select(old, profile), new_brief or select(new, profile)
    shown = {view.id for view in old_brief.selected_facts} | {view.id for view in new_brief.selected_facts}
    changes = list(_facts(old, new, profile, shown, words))
    changes += _texts("takeaway", [(t.text, t.label) for t in old_brief.takeaways], [(t.text, t.label) for t in new_brief.takeaways])
    changes += _texts("faq", [(q.question, q.label) for q in old_brief.faqs], [(q.question, q.label) for q in new_brief.faqs])
    changes += _figures(old, new, {f.id for f in old_brief.figures} | {f.id for f in new_brief.figures})
    order = {kind: index for index, kind in enumerate(KINDS)}
    return Changes(old.as_of, tuple(sorted(changes, key=lambda c: order[c.kind])), first_edition=not old.facts)


def _facts(old: Dataset, new: Dataset, profile: Profile, shown: set[str], words: Words) -> Iterator[Change]:
    before, after = {f.id: f for f in old.facts}, {f.id: f for f in new.facts}
    old_grades, new_grades = old.grades, new.grades
    publishers = {s.id: s.publisher for s in (*old.sources, *new.sources)}
    for fact_id in [f.id for f in new.facts] + [f.id for f in old.facts if f.id not in after]:
        if fact_id not in shown:
            continue
        was, now = before.get(fact_id), after.get(fact_id)
        if was is None and now is not None:
            yield Change("added", fact_id, _wording(now, profile), label=confidence(now.status, now.sources, new_grades).label)
        elif now is None and was is not None:
            yield Change("removed", fact_id, _wording(was, profile), label=confidence(was.status, was.sources, old_grades).label)
        elif was is not None and now is not None:
            yield from _fact_changed(was, now, profile, old_grades, new_grades, publishers, words)


def _fact_changed(was: Fact, now: Fact, profile: Profile, old_grades: Mapping[str, str], new_grades: Mapping[str, str],
                  publishers: Mapping[str, str], words: Words) -> Iterator[Change]:
    text = _wording(now, profile)
    before = confidence(was.status, was.sources, old_grades).label
    after = confidence(now.status, now.sources, new_grades, now.note, words)
    if _wording(was, profile) != text:
        yield Change("reworded", now.id, text, before=_wording(was, profile), label=after.label)
    if before != after.label:
        reason = after.reason if after.label else words.text("changes.now_status", status=now.status)
        unlabelled = words.text("changes.no_label")
        yield Change("label", now.id, text, before=before or unlabelled, after=after.label or unlabelled, reason=reason,
                     label=after.label)
    withdrawn = [s for s in was.sources if s not in now.sources]
    added = [s for s in now.sources if s not in was.sources]
    if withdrawn or added:
        yield Change("sources", now.id, text, before=", ".join(_named(withdrawn, publishers)), after=", ".join(_named(added, publishers)),
                     label=after.label)


def _named(ids: list[str], publishers: Mapping[str, str]) -> list[str]:
    return [publishers.get(source_id, source_id) for source_id in ids]


def _wording(fact: Fact, profile: Profile) -> str:
    return fact.audiences.get(profile.id, fact.text)


def _texts(kind: str, old: list[tuple[str, str | None]], new: list[tuple[str, str | None]]) -> list[Change]:
    """Return the takeaways or questions added and removed, each with its label: (text, label) pairs of each edition."""
    old_texts, new_texts = {text for text, _ in old}, {text for text, _ in new}
    return [Change("added", kind, text, label=label) for text, label in new if text not in old_texts] + [
        Change("removed", kind, text, label=label) for text, label in old if text not in new_texts]


def _figures(old: Dataset, new: Dataset, shown: set[str]) -> Iterator[Change]:
    before, after = {f.id: f for f in old.figures}, {f.id: f for f in new.figures}
    for figure_id in sorted(shown):
        was, now = before.get(figure_id), after.get(figure_id)
        if was is None and now is not None:
            yield Change("added", figure_id, now.title)
        elif now is None and was is not None:
            yield Change("removed", figure_id, was.title)
        elif was is not None and now is not None and dict(was.data) != dict(now.data):
            moved = [label for label in {**was.data, **now.data} if was.data.get(label) != now.data.get(label)]
            yield Change("values", figure_id, now.title, before=_values(was.data, moved), after=_values(now.data, moved))


def _values(data: Mapping[str, float], labels: list[str]) -> str:
    return "; ".join(f"{label} {data[label]:,g}" if label in data else f"{label} none" for label in labels)


def no_earlier_edition(new: Dataset, as_of: dt.date) -> Dataset:
    """Return the edition of `as_of` of a data file that did not exist then: `new` with nothing in it.

    A valid data file has at least one fact, so an edition without facts can only be this one
    (`diff` then says so in `Changes.first_edition`).
    """
    return new.model_copy(update={"as_of": as_of, "summary": "", "bottom_line": None, "sources": (), "facts": (),
                                  "takeaways": (), "faqs": (), "figures": ()})
