"""`briefs impact --source ID`: which briefs, and which claims in them, depend on one source.

When a source is retracted or downgraded, the author needs to know what to re-issue. The answer
is computed the way the briefs were made: each data file that defines the source is selected for
every audience, and an item counts as in a brief only when that brief shows it (a fact scored out
of the investor brief does not make the investor brief depend on its source). Items that cite the
source but appear in no brief are listed separately, so the author still sees them.

The core, `impact`, returns plain values; the command prints them. Outputs are the files
`generate` wrote (`<out>/<data id>/<audience>.<ext>`) that are in the output folder now: a brief
never written there is not listed as a file to re-issue. Where a batch has run, its manifest
(`<out>/<data id>/recipients/manifest.jsonl`) says which source ids each recipient's brief cites, as issued:
those citing the source are listed per recipient (`DatasetImpact.issued`), whatever the data file
says now, so that the briefs to re-issue are known even after the data has been edited.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from .brief import Brief
from .errors import BriefsError
from .manifest import MANIFEST_NAME, RECIPIENTS_DIR, read_manifest
from .models import Dataset, Source
from .pipeline import Inputs
from .suggest import known_or_closest
from .validation import field_name
from .writers import formats

__all__ = ["BriefImpact", "Citing", "DatasetImpact", "Impact", "Issued", "impact"]

Kind = Literal["fact", "figure", "takeaway", "faq"]


@dataclass(frozen=True)
class Citing:
    """One item of a data file that cites the source."""

    kind: Kind
    index: int
    """Position in its list of the data file (facts, figures, takeaways or faqs), from 0."""
    field: str
    """Where it is in the data file, e.g. facts[12] or takeaways[0]."""
    key: str
    """The fact or figure id; for takeaways and FAQs, which have none, the field."""
    text: str
    """The fact's text, the figure's title, the takeaway's text or the FAQ's question."""
    status: str | None


@dataclass(frozen=True)
class BriefImpact:
    """One brief that cites the source, and what in it does."""

    dataset_id: str
    audience: str
    folder: Path
    """The folder generate writes this brief to, `<out>/<data id>`."""
    outputs: tuple[Path, ...]
    """The brief's files that generate wrote to the output folder, one per format; () when none is there."""
    number: int
    """The source's citation number in this brief."""
    items: tuple[Citing, ...]
    """The items shown in this brief that cite the source, in data-file order."""
    in_disagreement: tuple[Citing, ...] = ()
    """Facts not shown as key facts whose value the brief quotes in a stated disagreement."""


@dataclass(frozen=True)
class Issued:
    """One recipient's brief, written by a batch, whose manifest record shows that it cites the source."""

    path: Path
    """The file, `<out>/<data id>/recipients/<file name>`."""
    recipient: str
    """Who it is for (the e-mail address, lower case, or `name|audience`): one recipient's formats share it."""
    name: str
    """The recipient's name as the CSV gave it."""
    audience: str
    format: str
    line: int
    """The recipient's line in the CSV of the run that wrote the file."""
    number: int
    """The source's citation number in that brief."""
    edition: str = ""
    """The data file's `as_of` the brief was made from ('' for a brief of an older layout)."""


@dataclass(frozen=True)
class DatasetImpact:
    """The briefs of one data file that depend on the source."""

    path: Path
    dataset_id: str
    audiences: int
    """How many audiences' briefs were examined."""
    briefs: tuple[BriefImpact, ...]
    unshown: tuple[Citing, ...]
    """Items citing the source that no audience's brief shows."""
    manifest: Path | None = None
    """The batch manifest read (`<out>/<data id>/recipients/manifest.jsonl`); None when there is none."""
    recorded: int = 0
    """How many outputs the manifest records."""
    issued: tuple[Issued, ...] = ()
    """The batch outputs whose record cites the source, by CSV line, then file name."""


@dataclass(frozen=True)
class Impact:
    """Everything that depends on one source, across data files and audiences."""

    source: Source
    datasets: tuple[DatasetImpact, ...]


def impact(inputs: Inputs, source_id: str, out_dir: Path) -> Impact:
    """Return the briefs and items that depend on `source_id`; raise BriefsError for an unknown id."""
    sources = {s.id: s for _path, dataset in inputs.datasets for s in dataset.sources}
    if source_id not in sources:
        raise BriefsError(f"unknown source {source_id!r}; {known_or_closest(source_id, sources, 'sources', shown=len(sources))}")
    found = tuple(
        _dataset_impact(path, dataset, source_id, inputs, out_dir)
        for path, dataset in inputs.datasets
        if any(s.id == source_id for s in dataset.sources)
    )
    return Impact(sources[source_id], found)


def _dataset_impact(path: Path, dataset: Dataset, source_id: str, inputs: Inputs, out_dir: Path) -> DatasetImpact:
    citing = list(_citing(dataset, source_id))
    briefs = []
    shown: set[str] = set()
    folder = out_dir / dataset.id
    for audience in sorted(inputs.profiles):
        brief = inputs.brief(path, inputs.profiles[audience])
        number = next((s.number for s in brief.sources if s.id == source_id), None)
        if number is None:
            continue
        items = tuple(item for item in citing if _shows(brief, dataset, item))
        quoted = tuple(item for item in citing if item not in items and _quotes(brief, dataset, item, number))
        shown.update(item.field for item in (*items, *quoted))
        briefs.append(BriefImpact(dataset.id, audience, folder, _outputs(folder / audience), number, items, quoted))
    unshown = tuple(item for item in citing if item.field not in shown)
    recipients = folder / RECIPIENTS_DIR
    manifest = recipients / MANIFEST_NAME
    if not manifest.is_file():
        return DatasetImpact(path, dataset.id, len(inputs.profiles), tuple(briefs), unshown)
    # Only the recipients of the latest run: a brief of someone no longer on the list is not re-issued.
    records = {key: record for key, record in read_manifest(manifest).items() if not record.stale}
    issued = sorted(
        (Issued(recipients / record.path, record.recipient, record.name, record.audience, record.format, record.line,
                record.sources.index(source_id) + 1, record.edition)
         for record in records.values() if source_id in record.sources),
        key=lambda item: (item.line, item.path.name),
    )
    return DatasetImpact(path, dataset.id, len(inputs.profiles), tuple(briefs), unshown, manifest, len(records), tuple(issued))


def _citing(dataset: Dataset, source_id: str) -> Iterator[Citing]:
    """Yield every item of the data file that cites `source_id`, in file order."""
    for index, fact in enumerate(dataset.facts):
        if source_id in fact.sources:
            yield Citing("fact", index, field_name(("facts", index)), fact.id, fact.text, fact.status)
    for index, figure in enumerate(dataset.figures):
        if figure.source == source_id:
            yield Citing("figure", index, field_name(("figures", index)), figure.id, figure.title, figure.status)
    for index, takeaway in enumerate(dataset.takeaways):
        if source_id in takeaway.sources:
            where = field_name(("takeaways", index))
            yield Citing("takeaway", index, where, where, takeaway.text, takeaway.status)
    for index, faq in enumerate(dataset.faqs):
        if source_id in faq.sources:
            where = field_name(("faqs", index))
            yield Citing("faq", index, where, where, faq.question, faq.status)


def _shows(brief: Brief, dataset: Dataset, item: Citing) -> bool:
    """Return whether the brief shows the item (views carry ids, or the data's own wording)."""
    if item.kind == "fact":
        return any(view.id == item.key for view in brief.selected_facts)
    if item.kind == "figure":
        return any(view.id == item.key for view in brief.figures)
    if item.kind == "takeaway":
        takeaway = dataset.takeaways[item.index]
        return takeaway.audience == brief.audience_id and any(view.text == takeaway.text for view in brief.takeaways)
    faq = dataset.faqs[item.index]
    return any((view.question, view.answer) == (faq.question, faq.answer) for view in brief.faqs)


def _quotes(brief: Brief, dataset: Dataset, item: Citing, number: int) -> bool:
    """Return whether a fact's value is quoted, citing the source, in a disagreement the caveats state."""
    if item.kind != "fact" or "caveats" not in brief.sections:
        return False
    fact = dataset.facts[item.index]
    return any(
        fact.quantity is not None and conflict.measure == fact.quantity.measure and text == fact.text and number in numbers
        for conflict in brief.conflicts
        for text, _value, _unit, numbers in conflict.values
    )


def _outputs(stem: Path) -> tuple[Path, ...]:
    """Return the audience's briefs on disk, in any format: only a file that is there needs re-issuing."""
    return tuple(stem.with_suffix(f".{fmt}") for fmt in formats() if stem.with_suffix(f".{fmt}").is_file())
