"""Load data files and audience profiles into validated models.

Every error names the file, the line and the field in one sentence, e.g.
`data/x.yaml:42: facts[3].sources[0]: unknown source 'wh-framwork'`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, NamedTuple, TypeVar

from pydantic import BaseModel, ValidationError

from .errors import BriefsError, DataError, ProfileError, located
from .models import Dataset, Fact, Faq, Profile, Takeaway
from .yamlsource import Located, YamlError, read_yaml

__all__ = [
    "Problem",
    "field_name",
    "load_dataset",
    "load_profile",
    "load_profiles",
    "read_mapping",
    "reference_problems",
    "validate_model",
    "validation_problems",
]

M = TypeVar("M", bound=BaseModel)


class Problem(NamedTuple):
    """One thing wrong in a document: where (a path of keys and indexes), what, and a short code."""

    path: tuple[str | int, ...]
    message: str
    code: str


def load_dataset(path: Path) -> Dataset:
    """Read and validate one data file, including its source and topic references."""
    doc = read_mapping(path, DataError)
    dataset = validate_model(Dataset, doc, path, DataError)
    problem = next(reference_problems(dataset), None)
    if problem is not None:
        raise DataError(located(path, doc.line_of(problem.path), problem.message, field_name(problem.path)))
    return dataset


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


def read_mapping(path: Path, error: type[BriefsError], *, shown: Path | None = None, empty_ok: bool = False,
                 example: str = "") -> Located:
    """Read a YAML file whose top level is a mapping; raise `error` naming the file and line otherwise.

    `shown` is the path to name in messages (default `path`); with `empty_ok` an empty file reads
    as an empty mapping; `example` is appended to the "expected a mapping" message.
    """
    shown = shown or path
    try:
        doc = read_yaml(path)
    except YamlError as exc:
        raise error(located(shown, exc.line, exc.message)) from None
    if doc.value is None and empty_ok:
        return Located({}, doc.lines)
    if not isinstance(doc.value, dict):
        message = "expected a mapping of keys to values at the top level" + (f", e.g. `{example}`" if example else "")
        raise error(located(shown, doc.line_of(()), message))
    return doc


def validate_model(model: type[M], doc: Located, shown: Path, error: type[BriefsError], hint: str = "") -> M:
    """Validate `doc` as `model`; raise `error` naming the file, line and field of the first problem."""
    try:
        return model.model_validate(doc.value)
    except ValidationError as exc:
        first = next(validation_problems(exc))
        message = f"{first.message} ({hint})" if hint else first.message
        raise error(located(shown, doc.line_of(first.path), message, field_name(first.path))) from None






def validation_problems(exc: ValidationError) -> Iterator[Problem]:
    """Yield every error of a failed model validation, worded for an author.

    An error about a container whose own items failed (pydantic then finds the tuple "too short")
    is left out: the items' errors say what is wrong.
    """
    errors = exc.errors(include_url=False)
    paths = [tuple(error["loc"]) for error in errors]
    for error, path in zip(errors, paths, strict=True):
        if not any(len(other) > len(path) and other[: len(path)] == path for other in paths):
            yield Problem(path, _message(error), "invalid")


def _message(error: Any) -> str:
    kind = error["type"]
    if kind == "extra_forbidden":
        return "unknown key (check its spelling; unknown keys are not allowed)"
    if kind == "missing":
        return "required field is missing"
    if kind == "string_pattern_mismatch" and error["loc"][-1:] == ("url",):
        return "must be an http(s) or mailto address"
    if kind == "string_pattern_mismatch":
        return "must be a lowercase id of letters, digits, '-' or '_' (e.g. wh-framework)"
    message = str(error["msg"])
    got = error.get("input")
    if kind.endswith("_type") or kind.startswith("literal") or kind.startswith("date"):
        message += f", got {_short(got)}"
    return message[0].lower() + message[1:]


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def field_name(where: Sequence[str | int]) -> str:
    """Return a path like facts[3].sources[0]; list indexes are shown 0-based as in the data."""
    text = ""
    for part in where:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def reference_problems(dataset: Dataset) -> Iterator[Problem]:
    """Yield every duplicate id and every reference to a source or topic the file does not define."""
    sources = {source.id for source in dataset.sources}
    topics = set(dataset.topics)
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
