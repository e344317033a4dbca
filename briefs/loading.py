"""Load data files and audience profiles into validated models.

Every error names the file, the line and the field in one sentence, e.g.
`data/x.yaml:42: facts[3].sources[0]: unknown source 'wh-framwork'`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from .errors import DataError, ProfileError, located
from .models import Dataset, Fact, Faq, Profile, Takeaway
from .topics import Scheme, broader_problems, load_scheme, scheme_path, vocabulary
from .validation import Problem, field_name, read_mapping, validate_model

__all__ = ["load_dataset", "load_profile", "load_profiles", "reference_problems", "with_vocabulary"]


def load_dataset(path: Path, scheme: Scheme | None = None) -> Dataset:
    """Read and validate one data file, including its source and topic references (None: the built-in scheme).

    The dataset returned knows every topic it may use: its own and the scheme's, each labelled,
    so selection needs nothing else to weigh them.
    """
    scheme = scheme or load_scheme(scheme_path(()))
    doc = read_mapping(path, DataError)
    dataset = validate_model(Dataset, doc, path, DataError)
    problem = next(reference_problems(dataset, scheme), None)
    if problem is not None:
        raise DataError(located(path, doc.line_of(problem.path), problem.message, field_name(problem.path)))
    return with_vocabulary(dataset, scheme)


def with_vocabulary(dataset: Dataset, scheme: Scheme) -> Dataset:
    """Return `dataset` with its `topics` completed from the scheme (see `topics.vocabulary`)."""
    return dataset.model_copy(update={"topics": vocabulary(scheme, dataset.topics)})


def load_profile(path: Path) -> Profile:
    """Read and validate one audience profile; its id must match its file name."""
    doc = read_mapping(path, ProfileError)
    profile = validate_model(Profile, doc, path, ProfileError)
    if profile.id != path.stem:
        raise ProfileError(
            located(path, doc.line_of(("id",)), f"id {profile.id!r} must match the file name {path.stem!r}", "id")
        )
    return profile


def load_profiles(paths: Iterable[Path]) -> dict[str, Profile]:
    """Load profiles by id; the first path given for an id wins (callers order by precedence)."""
    profiles: dict[str, Profile] = {}
    for path in paths:
        if path.stem not in profiles:
            profiles[path.stem] = load_profile(path)
    return profiles


def reference_problems(dataset: Dataset, scheme: Scheme) -> Iterator[Problem]:
    """Yield every duplicate id, every reference to a source or topic that neither the file nor the
    scheme defines, and every unknown or circular `broader` topic."""
    sources = {source.id for source in dataset.sources}
    every = vocabulary(scheme, dataset.topics)
    topics = set(every)
    yield from broader_problems(dataset.topics, every)
    yield from _duplicates("sources", [source.id for source in dataset.sources], "source")
    yield from _duplicates("facts", [fact.id for fact in dataset.facts], "fact")
    yield from _duplicates("figures", [figure.id for figure in dataset.figures], "figure")
    groups: tuple[tuple[str, Sequence[Fact | Takeaway | Faq]], ...] = (
        ("facts", dataset.facts),
        ("takeaways", dataset.takeaways),
        ("faqs", dataset.faqs),
    )
    for kind, items in groups:
        for index, item in enumerate(items):
            for ref_index, ref in enumerate(item.sources):
                if ref not in sources:
                    yield Problem((kind, index, "sources", ref_index), f"unknown source {ref!r}", "unknown-source")
            for ref_index, ref in enumerate(item.topics if not isinstance(item, Takeaway) else ()):
                if ref not in topics:
                    yield Problem((kind, index, "topics", ref_index), f"unknown topic {ref!r}", "unknown-topic")
    for index, figure in enumerate(dataset.figures):
        if figure.source not in sources:
            yield Problem(("figures", index, "source"), f"unknown source {figure.source!r}", "unknown-source")
        for ref_index, ref in enumerate(figure.topics):
            if ref not in topics:
                yield Problem(("figures", index, "topics", ref_index), f"unknown topic {ref!r}", "unknown-topic")


def _duplicates(kind: str, ids: list[str], what: str) -> Iterator[Problem]:
    first: dict[str, int] = {}
    for index, item_id in enumerate(ids):
        if item_id in first:
            yield Problem((kind, index, "id"), f"duplicate {what} id {item_id!r} (also {kind}[{first[item_id]}])", "duplicate-id")
        first.setdefault(item_id, index)
