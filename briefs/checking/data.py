"""The checks of a data file: references, sourcing and evidence, openings, conflicts, staleness, reach."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from ..brief import Brief
from ..citing import marker_ids
from ..config import check_image
from ..coverage import describe, uncovered_text
from ..evidence import confidence
from ..invocation import program
from ..loading import raw_topics, reference_problems
from ..models import Dataset, Profile, Source, Topic, same_label
from ..topics import Scheme, vocabulary
from ..validation import Problem, field_name
from .editing import editor_findings
from .findings import WEAK_GRADES, Finding, Loaded, known, relative_file


def reference_findings(item: Loaded[Dataset], scheme: Scheme, audiences: set[str]) -> Iterator[Finding]:
    """Yield the reference errors of one data file as read: sources, topics, `broader`, duplicate ids, audiences."""
    assert item.doc is not None
    value = item.doc.value if isinstance(item.doc.value, dict) else {}
    every = vocabulary(scheme, raw_topics(value))
    source_ids = [s.get("id") for s in value.get("sources") or [] if isinstance(s, dict)] if isinstance(value.get("sources"), list) else []
    for problem in reference_problems(value, scheme):
        if problem.code == "unknown-topic" and not scheme.topics:
            continue  # the scheme itself is broken: reported there, not as dozens of unknown topics here
        message = f"{field_name(problem.path)}: {problem.message}"
        yield item.at(problem.path, "error", problem.code, message, _reference_hint(item, problem, source_ids, every))
    takeaways = value.get("takeaways")
    for index, takeaway in enumerate(takeaways if isinstance(takeaways, list) else []):
        audience = takeaway.get("audience") if isinstance(takeaway, dict) else None
        if isinstance(audience, str) and audience not in audiences:
            yield item.at(("takeaways", index, "audience"), "error", "unknown-audience",
                          f"takeaways[{index}].audience: no profile for audience {audience!r}",
                          known("add a profile <id>.yaml to the audiences/ folder of a templates folder (--templates DIR; "
                                 f"`{program()} init DIR` starts one), or fix the id", audience, audiences))


def shared_id_findings(items: Sequence[Loaded[Dataset]]) -> Iterator[Finding]:
    """Yield an error at each data file whose `id` an earlier file already has: their briefs would share OUT/<id>/.

    Ids are compared as the output folder sees them, case folded (one folder on macOS and Windows).
    """
    first: dict[str, Loaded[Dataset]] = {}
    for item in items:
        value = item.doc.value if item.doc is not None else None
        data_id = value.get("id") if isinstance(value, dict) else None
        if not isinstance(data_id, str):
            continue
        earlier = first.setdefault(data_id.casefold(), item)
        if earlier is not item:
            assert earlier.doc is not None
            where = f"{relative_file(str(earlier.path), Path.cwd())} (line {earlier.doc.line_of(('id',))})"
            yield item.at(("id",), "error", "duplicate-data-id", f"id: {data_id!r} is also the id of {where}",
                          "each topic needs its own id: its briefs go to OUT/<id>/, where the briefs of one would replace the other's")


def data_findings(item: Loaded[Dataset], data: Dataset, scheme: Scheme, audiences: set[str], max_age_days: int) -> Iterator[Finding]:
    """Yield the content warnings (and logo errors) of one valid data file."""
    every = vocabulary(scheme, data.topics)
    yield from _logo_findings(item, data)
    for index, fact in enumerate(data.facts):
        for audience in fact.audiences:
            if audience not in audiences:
                yield item.at(("facts", index, "audiences", audience), "warning", "unknown-audience",
                              f"facts[{index}].audiences: phrasing for {audience!r}, an audience with no profile, is never shown",
                              known("fix the audience id", audience, audiences))
    yield from _sourcing_findings(item, data)
    yield from _glyph_findings(item)
    yield from _conflict_findings(item, data)
    yield from _label_findings(item, data)
    yield from _stale_findings(item, data, max_age_days)
    yield from _unused_topics(item, data, every)


def _unused_topics(item: Loaded[Dataset], data: Dataset, every: Mapping[str, Topic]) -> Iterator[Finding]:
    """Warn about the file's own topics that no fact, FAQ or figure uses, directly or as a broader topic."""
    tagged = {t for group in (data.facts, data.faqs, data.figures) for entry in group for t in entry.topics}
    used = set(tagged)
    for topic in tagged:
        used.update(t for t in _broader_closure(topic, every))
    for topic in data.topics:
        if topic not in used:
            yield item.at(("topics", topic), "warning", "unused-topic", f"topics.{topic}: no fact, FAQ or figure uses topic {topic!r}",
                          "tag facts with it, or remove it")


def _broader_closure(topic: str, every: Mapping[str, Topic]) -> set[str]:
    seen: set[str] = set()
    stack = list(every[topic].broader) if topic in every else []
    while stack:
        current = stack.pop()
        if current not in seen:
            seen.add(current)
            stack += every[current].broader if current in every else ()
    return seen


def _logo_findings(item: Loaded[Dataset], data: Dataset) -> Iterator[Finding]:
    if data.logo is None:
        return
    image = item.path.parent / data.logo
    problem = check_image(image) if image.is_file() else (
        f"no image file at {image} (the path is relative to the data file)")
    if problem:
        yield item.at(("logo",), "error", "logo", f"logo: {problem}", "put a PNG or JPEG file there, or fix the path")


def _glyph_findings(item: Loaded[Dataset]) -> Iterator[Finding]:
    """Warn about text no PDF font can print (it would show as a replacement mark)."""
    if item.doc is None:
        return
    for where, chars in uncovered_text(item.doc.value):
        yield item.at(where, "warning", "no-glyph", f"{field_name(where)}: no PDF font can print {describe(chars)}",
                      "the PDF shows a replacement mark there: rephrase, or install a font that has it (README, Fonts)")


def _reference_hint(item: Loaded[Dataset], problem: Problem, source_ids: Sequence[object], every: Mapping[str, Topic]) -> str:
    if problem.code == "duplicate-id":
        return "give each item its own id"
    if problem.code == "topic-cycle":
        return "a topic's broader topics must lead up to the scheme without coming back to it"
    if problem.code in ("unknown-fact", "undated-event"):
        return "`deadline.of` names the fact stating the event (e.g. the signing), which needs a `date:`"
    named = re.search(r"unknown (?:broader )?(?:source|topic) '([^']*)'", problem.message)
    wrong = named.group(1) if named else str(_value_at(item.doc.value if item.doc else None, problem.path))
    if problem.code == "unknown-source":
        return known("add it under `sources:` or fix the id", wrong, [s for s in source_ids if isinstance(s, str)])
    return known("use a topic of the scheme, or declare it under `topics:` with the scheme topics it belongs to "
                  "(`broader:`)", wrong, list(every))


def _value_at(value: Any, path: Sequence[str | int]) -> Any:
    for part in path:
        value = value[part]
    return value


def _claims(data: Dataset) -> Iterator[tuple[tuple[str | int, ...], str | None, tuple[str, ...], tuple[str, ...], str | None]]:
    """Yield (path, status, supporting source ids, corrected source ids, note) of every item that can cite sources."""
    for index, fact in enumerate(data.facts):
        yield ("facts", index), fact.status, fact.sources, fact.corrects, fact.note
    for index, takeaway in enumerate(data.takeaways):
        yield ("takeaways", index), takeaway.status, takeaway.sources, takeaway.corrects, takeaway.note
    for index, faq in enumerate(data.faqs):
        yield ("faqs", index), faq.status, faq.sources, faq.corrects, faq.note
    for index, figure in enumerate(data.figures):
        yield ("figures", index), figure.status, (figure.source,), (), figure.note


def _sourcing_findings(item: Loaded[Dataset], data: Dataset) -> Iterator[Finding]:
    """Warn where the evidence and the status word disagree, and about sources nobody cites."""
    grades = data.grades
    cited: set[str] = set()
    for where, status, sources, corrects, note in _claims(data):
        cited.update(sources)
        cited.update(corrects)
        name = field_name(where)
        judged = confidence(status, sources, grades)
        if not sources:
            yield item.at(where, "warning", "unsourced", f"{name}: no sources, so briefs label it UNVERIFIED",
                          "list the ids of the sources that support it under `sources:`")
        elif judged.weak:
            weak = ", ".join(f"{s} ({grades.get(s, '?')})" for s in sources)
            said = f"status is {status!r}" if status else "it has no status"
            message = f"{name}: {said} but its only sources are graded E or F ({weak}), so briefs label it UNVERIFIED"
            yield item.at((*where, "sources"), "warning", "labelled-unverified", message,
                          "cite a source graded A–D that supports it, or set its status to 'unverified' and say why in `note`")
        elif status == "confirmed" and all(grades.get(s, "A") in WEAK_GRADES for s in sources):
            weak = ", ".join(f"{s} ({grades[s]})" for s in sources)
            message = f"{name}: status is 'confirmed' but its only sources are graded D–F: {weak}"
            yield item.at((*where, "status"), "warning", "weak-sources", message,
                          "cite a source graded A–C; or set the status to 'reported' or 'unverified', which briefs label")
        if corrects and not note:
            yield item.at((*where, "corrects"), "warning", "corrects-without-note",
                          f"{name}: corrects {', '.join(corrects)} but has no `note` saying what they said",
                          "add a `note` quoting what the corrected source said; the caveat prints it")
    yield from _opening_findings(item, data)
    if data.short_title is None and len(data.title) > 70:
        yield item.at(("title",), "warning", "long-title", f"title: {len(data.title)} characters, and no short_title: the running "
                      "header on every page shows its first 70", "add a `short_title:` for the running header")
    for index, source in enumerate(data.sources):
        if source.id not in cited:
            yield item.at(("sources", index, "id"), "warning", "uncited-source", f"sources[{index}]: source {source.id!r} is never cited",
                          "cite it from a fact, takeaway, FAQ or figure, or remove it")
        yield from _source_findings(item, index, source)


def _source_findings(item: Loaded[Dataset], index: int, source: Source) -> Iterator[Finding]:
    """Warn about a source a reader cannot follow or identify: no address and no reason, an unknown headline or date."""
    if source.url is None and source.no_address is None:
        yield item.at(("sources", index, "id"), "warning", "source-without-address",
                      f"sources[{index}]: source {source.id!r} has no address, and no reason why a reader cannot follow it",
                      "give its `url:` (and an `archived:` copy if you have one), or say why there is none in `no_address:`")
    undated = source.date is None and not _dated_reference(source)
    unknown = [what for what, missing in (("headline", source.descriptive_title), ("date", undated)) if missing]
    if unknown:
        yield item.at(("sources", index, "id"), "warning", "source-details-unknown",
                      f"sources[{index}]: source {source.id!r}: its {' and '.join(unknown)} {'are' if len(unknown) > 1 else 'is'} "
                      "not recorded, so a reader may not find it", "record them from the source itself, or acknowledge the warning "
                      "with the reason under `acknowledged:`")


def _dated_reference(source: Source) -> bool:
    """Whether the source's reference gives at least a year (a journal article's, say), which its citation prints."""
    issued = (source.csl or {}).get("issued")
    return isinstance(issued, dict) and bool(issued.get("date-parts") or issued.get("raw") or issued.get("literal"))


def _opening_findings(item: Loaded[Dataset], data: Dataset) -> Iterator[Finding]:
    """Warn about an uncited summary or bottom line: every brief opens with it, and it states claims."""
    for key in ("bottom_line", "summary"):
        value = getattr(data, key)
        texts = [((key,), value)] if isinstance(value, str) else list(((key, name), text) for name, text in (value or {}).items())
        for path, text in texts:
            if not any(True for _ in marker_ids(text)):
                yield item.at(path, "warning", "uncited", f"{field_name(path)}: cites no source, so briefs label it UNVERIFIED",
                              "cite the sources of its claims inline, e.g. `... about 69% [@usgs-mcs-2025].`")


def _conflict_findings(item: Loaded[Dataset], data: Dataset) -> Iterator[Finding]:
    """Yield one warning per fact whose quantity differs from the first fact of the same measure."""
    first: dict[str, int] = {}
    for index, fact in enumerate(data.facts):
        quantity = fact.quantity
        if quantity is None or quantity.measure is None:
            continue
        other = first.setdefault(quantity.measure, index)
        earlier = data.facts[other].quantity
        if other != index and earlier is not None and earlier.value != quantity.value:
            line = item.doc.line_of(("facts", other, "quantity")) if item.doc else None
            yield item.at(("facts", index, "quantity"), "warning", "conflict",
                          f"facts[{index}].quantity: {quantity.measure} is {quantity.value:g} {quantity.unit} in {fact.id!r} "
                          f"but {earlier.value:g} {earlier.unit} in {data.facts[other].id!r} (line {line})",
                          "keep both with their sources (briefs state the disagreement), and check which is right")


def _label_findings(item: Loaded[Dataset], data: Dataset) -> Iterator[Finding]:
    """Warn where facts that disagree on one measure label it differently: the brief cannot name the disagreement by either."""
    groups: dict[str, list[int]] = {}
    for index, fact in enumerate(data.facts):
        if fact.quantity is not None and fact.quantity.measure is not None:
            groups.setdefault(fact.quantity.measure, []).append(index)
    for measure, indexes in groups.items():
        quantities = [(index, q) for index in indexes if (q := data.facts[index].quantity) is not None]
        if len({q.value for _, q in quantities}) < 2:
            continue
        labelled = [(index, q.label) for index, q in quantities if q.label]
        for index, label in labelled[1:]:
            first, named = labelled[0]
            if not same_label(named, label):
                yield _label_finding(item, data, measure, (first, named), (index, label))


def _label_finding(item: Loaded[Dataset], data: Dataset, measure: str, first: tuple[int, str], other: tuple[int, str]) -> Finding:
    (earlier, named), (index, label) = first, other
    line = item.doc.line_of(("facts", earlier, "quantity", "label")) if item.doc else None
    return item.at(("facts", index, "quantity", "label"), "warning", "conflict-label",
                   f"facts[{index}].quantity.label: {data.facts[index].id!r} labels {measure} \"{label}\" but "
                   f"{data.facts[earlier].id!r} (line {line}) labels it \"{named}\", and their values differ: briefs "
                   "quote each fact instead of naming the disagreement",
                   "give both facts the label of what they both measure, or different measures if they measure different things")


def _stale_findings(item: Loaded[Dataset], data: Dataset, max_age_days: int) -> Iterator[Finding]:
    oldest = data.as_of - dt.timedelta(days=max_age_days)
    for index, fact in enumerate(data.facts):
        if fact.date is not None and fact.date < oldest:
            age = (data.as_of - fact.date).days
            yield item.at(("facts", index, "date"), "warning", "stale",
                          f"facts[{index}].date: {fact.id!r} is {age} days older than as_of {data.as_of} (limit {max_age_days})",
                          "check it still holds and update `date`, or raise --max-age-days")


def reach_findings(item: Loaded[Dataset], data: Dataset, profiles: Sequence[tuple[Loaded[Profile], Profile]],
                   briefs: Mapping[str, Brief]) -> Iterator[Finding]:
    """Yield profiles that select none of this file's facts, facts that no brief shows (selected, or
    quoted in a disagreement), and summaries that state what a brief does not show; `briefs` is each profile's brief."""
    if not profiles:
        return
    for profile_file, profile in profiles:
        decisions = briefs[profile.id].decisions
        if not any(d.selected for d in decisions):
            best = max((d.score for d in decisions), default=0)
            where = ("min_score",) if profile_file.doc and ("min_score",) in profile_file.doc.lines else ("interests",)
            message = f"selects none of the {len(data.facts)} facts of {data.id!r} (best score {best:g}, min_score {profile.min_score:g})"
            yield profile_file.at(where, "warning", "selects-nothing", message, "lower min_score, or weight more of the data file's topics")
    in_conflicts = {text for brief in briefs.values() for conflict in brief.conflicts for text, *_ in conflict.values}
    for index, fact in enumerate(data.facts):
        why = [(p.id, briefs[p.id].decisions[index]) for _, p in profiles]
        if not any(d.selected for _, d in why) and fact.text not in in_conflicts:
            audience, closest = max(why, key=lambda pair: (pair[1].rank is not None, pair[1].score))
            message = f"facts[{index}]: no audience selects {fact.id!r} (closest: {audience}, score {closest.score:g}, {closest.reason})"
            hint = f"weight its topics in a profile or raise its priority; `explain --fact {fact.id}` shows every audience"
            yield item.at(("facts", index, "id"), "warning", "unreachable-fact", message, hint)
    yield from _unshown_mentions(item, data, briefs)
    yield from editor_findings(item, data, briefs)


_NUMBER = re.compile(r"\d[\d,.]*\d%?|\d%?")


def _unshown_mentions(item: Loaded[Dataset], data: Dataset, briefs: Mapping[str, Brief]) -> Iterator[Finding]:
    """Warn when a summary or bottom line states a number that only unconfirmed facts a brief leaves out state.

    A number is the one thing we can tell a text "mentions" without understanding it: "25,000"
    in the summary and only in an unverified fact no investor sees means the investor reads a
    weak claim that the brief neither shows nor labels.
    """
    grades = data.grades
    weak = [fact for fact in data.facts if confidence(fact.status, fact.sources, grades).label in ("UNVERIFIED", "DISPUTED", "REPORTED")]
    confirmed = " ".join(fact.text for fact in data.facts if fact not in weak)
    for audience, brief in briefs.items():
        shown = " ".join([*(f.text for f in brief.selected_facts), *(t.text for t in brief.takeaways),
                          *(q.answer for q in brief.faqs), *(c.text for c in brief.caveats)])
        for key in ("bottom_line", "summary"):
            text = getattr(brief, key)
            if text is None or (key == "summary" and "summary" not in brief.sections):
                continue
            for number in dict.fromkeys(_NUMBER.findall(str(text))):
                stating = [fact.id for fact in weak if _states(fact.text, number)]
                if stating and not _states(shown, number) and not _states(confirmed, number):
                    path = (key, audience) if isinstance(getattr(data, key), dict) and audience in getattr(data, key) else (key,)
                    yield item.at(path, "warning", "unshown-claim",
                                  f"{field_name(path)}: the {audience} brief's {key.replace('_', ' ')} says {number!r}, which only "
                                  f"unconfirmed facts that brief does not show state ({', '.join(stating[:3])})",
                                  f"show one of those facts to {audience}, or give {audience} its own {key} "
                                  f"(`{key}: {{default: ..., {audience}: ...}}`)")


def _states(text: str, number: str) -> bool:
    return re.search(rf"(?<![\d,.]){re.escape(number)}(?![\d,]|\.\d)", text) is not None
