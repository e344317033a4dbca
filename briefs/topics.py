"""The topic vocabulary: a scheme of broad topics, a data file's own topics mapped onto it, and
how an audience weighs a topic.

    scheme     templates/topics.yaml (or a templates folder's): diplomacy, investment, markets, ...
    data file  `topics:` scheme ids, or its own ids mapped with `broader: [scheme ids]`

The rule, stated once (shown by `explain`, tested in test_topics): an audience's weight for a topic
is the profile's own weight when it names the topic, else the highest weight among the topic's
broader topics, followed transitively. A cycle of `broader` is an error. DITA's subject scheme
is the model: profiles speak the scheme, data files map onto it, so a new topic works with every
built-in audience without touching a profile.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from pydantic import TypeAdapter, ValidationError

from .errors import DataError, located
from .models import Topic, TopicEntry
from .resources import builtin_templates_dir
from .validation import Problem, field_name, read_mapping, validation_problems
from .yamlsource import Located

__all__ = [
    "SCHEME_NAME",
    "Scheme",
    "Weight",
    "broader_problems",
    "load_scheme",
    "parse_scheme",
    "scheme_path",
    "vocabulary",
    "weight",
]

SCHEME_NAME = "topics.yaml"
"""The scheme file in a templates folder; the first folder holding one wins, else the built-in."""

_ENTRIES: TypeAdapter[dict[str, Topic]] = TypeAdapter(dict[str, TopicEntry])


@dataclass(frozen=True)
class Scheme:
    """The topics every data file may use without declaring them, and the file they came from."""

    path: Path
    topics: Mapping[str, Topic]


@dataclass(frozen=True)
class Weight:
    """An audience's weight for one topic, and the broader topic it came through (None: named directly)."""

    value: float
    via: str | None = None


def scheme_path(template_dirs: Sequence[Path]) -> Path:
    """Return the scheme file: the first templates folder's `topics.yaml`, else the built-in one."""
    for folder in template_dirs:
        if (folder / SCHEME_NAME).is_file():
            return folder / SCHEME_NAME
    return builtin_templates_dir() / SCHEME_NAME


def load_scheme(path: Path) -> Scheme:
    """Read and check a scheme file; raise DataError naming its file, line and topic."""
    doc = read_mapping(path, DataError, example="markets: {label: Markets and prices}", what="topic scheme")
    scheme, problems = parse_scheme(doc, path)
    if problems:
        first = problems[0]
        raise DataError(located(path, doc.line_of(first.path), first.message, field_name(first.path)))
    return scheme


def parse_scheme(doc: Located, path: Path) -> tuple[Scheme, list[Problem]]:
    """Validate a read scheme file; return it (empty when invalid) and every problem found."""
    try:
        topics = _ENTRIES.validate_python(doc.value)
    except ValidationError as exc:
        return Scheme(path, {}), list(validation_problems(exc, doc.value))
    bad_ids = [Problem((key,), "must be a lowercase id of letters, digits, '-' or '_'", "invalid")
               for key in topics if not _is_slug(key)]
    return Scheme(path, topics), bad_ids + list(broader_problems(topics, topics, ()))


def _is_slug(text: str) -> bool:
    return bool(text) and len(text) <= 64 and text[0].isascii() and text[0].isalnum() and text == text.lower() and all(
        c.isascii() and (c.isalnum() or c in "-_") for c in text)


def vocabulary(scheme: Scheme, own: Mapping[str, Topic]) -> dict[str, Topic]:
    """Return the scheme's topics and a data file's own, every one with a label.

    A data file's entry for a scheme id keeps the scheme's `broader` and label unless it gives its own.
    """
    merged = dict(scheme.topics)
    for topic_id, topic in own.items():
        base = scheme.topics.get(topic_id)
        if base is not None:
            topic = Topic(label=topic.label or base.label, broader=topic.broader or base.broader,
                          description=topic.description or base.description)
        merged[topic_id] = topic
    return {topic_id: topic if topic.label else topic.model_copy(update={"label": _label(topic_id)})
            for topic_id, topic in merged.items()}


def _label(topic_id: str) -> str:
    return topic_id.replace("-", " ").replace("_", " ").capitalize()


def broader_problems(own: Mapping[str, Topic], every: Mapping[str, Topic], prefix: tuple[str, ...] = ("topics",)) -> Iterator[Problem]:
    """Yield each `broader` of `own` naming an unknown topic, and each cycle through `own` (once, at its first topic)."""
    for topic_id, topic in own.items():
        for index, broader in enumerate(topic.broader):
            if broader not in every:
                yield Problem((*prefix, topic_id, "broader", index), f"unknown broader topic {broader!r}", "unknown-topic")
    reported: set[frozenset[str]] = set()
    for topic_id in own:
        cycle = _cycle_from(topic_id, every)
        if cycle and frozenset(cycle) not in reported:
            reported.add(frozenset(cycle))
            chain = " -> ".join([*cycle, cycle[0]])
            yield Problem((*prefix, topic_id, "broader"), f"broader topics form a cycle: {chain}", "topic-cycle")


def _cycle_from(start: str, every: Mapping[str, Topic]) -> list[str] | None:
    """Return the topics of a cycle that `start` is on, in order, or None."""
    path: list[str] = []

    def walk(topic_id: str) -> list[str] | None:
        if topic_id == start and path:
            return list(path)
        if topic_id in path or topic_id not in every:
            return None
        path.append(topic_id)
        for broader in every[topic_id].broader:
            found = walk(broader)
            if found:
                return found
        path.pop()
        return None

    return walk(start)


def weight(interests: Mapping[str, float], topic_id: str, topics: Mapping[str, Topic]) -> Weight:
    """Return the profile's weight for `topic_id` under the rule above (0 when nothing in its chain is weighted).

    `via` names the broader topic whose weight the profile gives, e.g. `technology` for a data
    file's `cell-chemistry: {broader: [technology]}`.
    """
    return _weight(interests, topic_id, topics, frozenset()) or Weight(0.0)


def _weight(interests: Mapping[str, float], topic_id: str, topics: Mapping[str, Topic], seen: frozenset[str]) -> Weight | None:
    """Return the weight the chain above `topic_id` gives, None when the profile names nothing in it."""
    if topic_id in interests:
        return Weight(interests[topic_id])
    topic = topics.get(topic_id)
    best: Weight | None = None
    for broader in topic.broader if topic else ():
        if broader in seen:
            continue  # a cycle: `check` reports it; selection must still end
        found = _weight(interests, broader, topics, seen | {topic_id})
        if found is not None and (best is None or found.value > best.value):
            best = Weight(found.value, found.via or broader)
    return best
