"""Load data files and audience profiles into validated models.

Every error names the file, the line and the field in one sentence, e.g.
`data/x.yaml:42: facts[3].sources[0]: unknown source 'wh-framwork'`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from .citestyles import StyleProblem, check_style
from .citing import marker_ids
from .errors import BriefsError, DataError, ProfileError, located
from .models import Dataset, Profile, Topic
from .references import anchor_style, with_references
from .topics import Scheme, broader_problems, load_scheme, scheme_path, vocabulary
from .validation import Problem, field_name, read_mapping, validate_model
from .yamlsource import Located

__all__ = ["load_dataset", "load_profile", "load_profiles", "raw_topics", "reference_problems", "with_vocabulary"]


def load_dataset(path: Path, scheme: Scheme | None = None, *, shown: Path | None = None) -> Dataset:
    """Read and validate one data file, including its source and topic references (None: the built-in scheme).

    `shown` is how messages name the file (default `path`), e.g. `d.yaml at HEAD~1` for a copy of an
    earlier edition.

    The dataset returned knows every topic it may use: its own and the scheme's, each labelled,
    so selection needs nothing else to weigh them.
    """
    scheme = scheme or load_scheme(scheme_path(()))
    shown = shown or path
    doc = with_references(read_mapping(path, DataError, shown=shown, what="data file"), path, shown)
    dataset = validate_model(Dataset, doc, shown, DataError)
    _check_style(dataset.citation_style, doc, shown, DataError)
    problem = next(reference_problems(doc.value, scheme), None)
    if problem is not None:
        raise DataError(located(shown, doc.line_of(problem.path), problem.message, field_name(problem.path)))
    return with_vocabulary(dataset, scheme)


def with_vocabulary(dataset: Dataset, scheme: Scheme) -> Dataset:
    """Return `dataset` with its `topics` completed from the scheme (see `topics.vocabulary`)."""
    return dataset.model_copy(update={"topics": vocabulary(scheme, dataset.topics)})


def load_profile(path: Path) -> Profile:
    """Read and validate one audience profile; its id must match its file name."""
    doc = anchor_style(read_mapping(path, ProfileError, what="profile"), path.parent)
    profile = validate_model(Profile, doc, path, ProfileError)
    _check_style(profile.citation_style, doc, path, ProfileError)
    if profile.id != path.stem:
        raise ProfileError(
            located(path, doc.line_of(("id",)), f"id {profile.id!r} must match the file name {path.stem!r}", "id")
        )
    return profile


def _check_style(style: str | None, doc: Located, shown: Path, error: type[BriefsError]) -> None:
    """Raise `error` naming the line when the citation style cannot be used (`check` reports it the same way)."""
    try:
        if style:
            check_style(style, shown.parent)
    except StyleProblem as exc:
        raise error(located(shown, doc.line_of(("citation_style",)), str(exc), "citation_style")) from None


def load_profiles(paths: Iterable[Path]) -> dict[str, Profile]:
    """Load profiles by id; the first path given for an id wins (callers order by precedence)."""
    profiles: dict[str, Profile] = {}
    for path in paths:
        if path.stem not in profiles:
            profiles[path.stem] = load_profile(path)
    return profiles


def reference_problems(value: Any, scheme: Scheme) -> Iterator[Problem]:
    """Yield every duplicate id, every reference to a source or topic that neither the file nor the
    scheme defines, and every unknown or circular `broader` topic.

    Works on the file as read rather than on the model, so a file whose fields do not all validate
    still has its references checked in the same run; values of the wrong type are skipped (their
    own error says what is wrong).
    """
    data = value if isinstance(value, dict) else {}
    own = raw_topics(data)
    every = vocabulary(scheme, own)
    sources = {source_id for _, item in _items(data, "sources") if isinstance(source_id := item.get("id"), str)}
    yield from broader_problems(own, every)
    for kind, what in (("sources", "source"), ("facts", "fact"), ("figures", "figure")):
        yield from _duplicates(kind, [(index, item.get("id")) for index, item in _items(data, kind)], what)
    yield from _marker_problems(data, sources)
    yield from _deadline_problems(data)
    for kind in ("facts", "takeaways", "faqs", "figures"):
        for index, item in _items(data, kind):
            corrected = _strings(item.get("corrects"))
            for ref_index, ref in enumerate(corrected):
                if isinstance(ref, str) and ref not in sources:
                    yield Problem((kind, index, "corrects", ref_index), f"unknown source {ref!r}", "unknown-source")
                elif isinstance(ref, str) and ref in _strings(item.get("sources")):
                    yield Problem((kind, index, "corrects", ref_index), f"source {ref!r} is both in `sources` (support) and in "
                                  "`corrects` (says otherwise)", "corrects-support")
            cited = [("source", item.get("source"))] if kind == "figures" else list(enumerate(_strings(item.get("sources"))))
            for where, ref in cited:
                if isinstance(ref, str) and ref not in sources:
                    path = (kind, index, "source") if where == "source" else (kind, index, "sources", where)
                    yield Problem(path, f"unknown source {ref!r}", "unknown-source")
            for ref_index, ref in enumerate(_strings(item.get("topics")) if kind != "takeaways" else []):
                if isinstance(ref, str) and ref not in every:
                    yield Problem((kind, index, "topics", ref_index), f"unknown topic {ref!r}", "unknown-topic")


def _deadline_problems(data: dict[str, Any]) -> Iterator[Problem]:
    """Yield each deadline counted from a fact that does not exist or has no `date`."""
    dated = {item["id"]: item.get("date") for _, item in _items(data, "facts") if isinstance(item.get("id"), str)}
    for index, item in _items(data, "facts"):
        deadline = item.get("deadline")
        event = deadline.get("of") if isinstance(deadline, dict) else None
        if not isinstance(event, str):
            continue
        if event not in dated:
            yield Problem(("facts", index, "deadline", "of"), f"unknown fact {event!r}", "unknown-fact")
        elif dated[event] is None:
            yield Problem(("facts", index, "deadline", "of"), f"fact {event!r} has no `date` to count the deadline from",
                          "undated-event")


def _marker_problems(data: dict[str, Any], sources: set[Any]) -> Iterator[Problem]:
    """Yield each `[@id]` marker of the summary and bottom line naming a source the file does not have."""
    for key in ("bottom_line", "summary"):
        value = data.get(key)
        texts = [((key,), value)] if isinstance(value, str) else [((key, name), text) for name, text in value.items()] \
            if isinstance(value, dict) else []
        for path, text in texts:
            if not isinstance(text, str):
                continue
            for _, source_id in marker_ids(text):
                if source_id not in sources:
                    yield Problem(path, f"unknown source {source_id!r} in a citation marker [@{source_id}]", "unknown-source")


def raw_topics(data: dict[str, Any]) -> dict[str, Topic]:
    """Return the file's own `topics:` as read, with their `broader` lists (labels are not needed for references)."""
    value = data.get("topics")
    if not isinstance(value, dict):
        return {}
    def broader(entry: Any) -> tuple[str, ...]:
        return tuple(b for b in _strings(entry.get("broader")) if b is not None) if isinstance(entry, dict) else ()

    return {str(key): Topic.model_construct(label=None, broader=broader(entry), description=None) for key, entry in value.items()}


def _items(data: dict[str, Any], kind: str) -> list[tuple[int, dict[str, Any]]]:
    value = data.get(kind)
    return [(index, item) for index, item in enumerate(value) if isinstance(item, dict)] if isinstance(value, list) else []


def _strings(value: Any) -> list[str | None]:
    """Return the strings of a list as read, None in place of anything else (so indexes stay those of the file)."""
    return [item if isinstance(item, str) else None for item in value] if isinstance(value, list) else []


def _duplicates(kind: str, ids: list[tuple[int, Any]], what: str) -> Iterator[Problem]:
    first: dict[str, int] = {}
    for index, item_id in ids:
        if not isinstance(item_id, str):
            continue
        if item_id in first:
            yield Problem((kind, index, "id"), f"duplicate {what} id {item_id!r} (also {kind}[{first[item_id]}])", "duplicate-id")
        first.setdefault(item_id, index)
