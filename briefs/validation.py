"""Read YAML files whose top level is a mapping, and validate them against models, wording every
problem for an author: the file, the line and the field, never pydantic's own vocabulary.

Shared by data files, profiles, the topic scheme, config files and themes.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, NamedTuple, TypeVar

from pydantic import BaseModel, ValidationError

from .datafiles import read_data
from .errors import BriefsError, all_of, located
from .suggest import did_you_mean
from .yamlsource import Located, YamlError

__all__ = ["Problem", "empty_message", "field_name", "read_mapping", "validate_model", "validation_problems"]

M = TypeVar("M", bound=BaseModel)


_HOLDS = {
    "data file": "a topic's id, title, summary, sources and facts (`{program} new ID` starts one)",
    "profile": "an audience's id, label, interests, max_facts, sections and disclaimer",
    "topic scheme": "the topics briefs may use, each with its label",
}
"""What each kind of file holds, said when one is empty."""


def empty_message(what: str) -> str:
    """Return the message for an empty (or comment-only) file of kind `what`, saying what it should hold."""
    from .invocation import program

    holds = _HOLDS.get(what)
    return f"the file is empty: a {what} holds {holds.format(program=program())}" if holds else "the file is empty"


class Problem(NamedTuple):
    """One thing wrong in a document: where (a path of keys and indexes), what, and a short code."""

    path: tuple[str | int, ...]
    message: str
    code: str


def read_mapping(path: Path, error: type[BriefsError], *, shown: Path | None = None, empty_ok: bool = False,
                 example: str = "", what: str = "") -> Located:
    """Read a YAML file (or a data workbook) whose top level is a mapping; raise `error` naming the file and line otherwise.

    `shown` is the path to name in messages (default `path`); with `empty_ok` an empty file reads
    as an empty mapping, else it is "the file is empty" with what a `what` holds; `example` is
    appended to the "expected a mapping" message.
    """
    shown = shown or path
    try:
        doc = read_data(path)
    except YamlError as exc:
        raise error(located(shown, exc.line, exc.message)) from None
    if doc.problems:
        raise all_of([error(located(shown, where, message, field_name(at) if at else None))
                      for where, at, message in doc.problems], "{count} cells of " + f"{shown} cannot be read: nothing done")
    if doc.value is None and empty_ok:
        return Located({}, doc.lines)
    if doc.value is None:
        raise error(located(shown, 1, empty_message(what)))
    if not isinstance(doc.value, dict):
        message = "expected a mapping of keys to values at the top level" + (f", e.g. `{example}`" if example else "")
        raise error(located(shown, doc.line_of(()), message))
    return doc


def validate_model(model: type[M], doc: Located, shown: Path, error: type[BriefsError], hint: str = "") -> M:
    """Validate `doc` as `model`; raise `error` naming the file, line and field of the first problem."""
    try:
        return model.model_validate(doc.value)
    except ValidationError as exc:
        first = next(validation_problems(exc, doc.value))
        message = f"{first.message} ({hint})" if hint else first.message
        raise error(located(shown, doc.line_of(first.path), message, field_name(first.path))) from None


def validation_problems(exc: ValidationError, value: Any = None) -> Iterator[Problem]:
    """Yield every error of a failed model validation, worded for an author.

    `value` is the validated input: with it, the names pydantic gives the branches of a union
    (`constrained-float`, `_Family`) are dropped from paths, and errors of several branches at
    one place become one. An error about a container whose own items failed (pydantic then finds
    the tuple "too short") is left out: the items' errors say what is wrong.
    """
    errors = exc.errors(include_url=False)
    paths = [_input_path(value, tuple(error["loc"]), error["type"]) if value is not None else tuple(error["loc"]) for error in errors]
    messages: dict[tuple[str | int, ...], list[tuple[str, str]]] = {}
    for error, path in zip(errors, paths, strict=True):
        if not any(len(other) > len(path) and other[: len(path)] == path for other in paths):
            said = messages.setdefault(path, [])
            if (text := _message(error)) not in [message for _, message in said]:
                said.append((error["type"], text))
    for path, said in messages.items():
        # Of a union's branches, those that wanted another type say nothing useful when one branch took the value's type.
        relevant = [message for kind, message in said if not kind.endswith("_type")] or [message for _, message in said]
        yield Problem(path, "; or ".join(relevant), "invalid")


def _input_path(value: Any, loc: tuple[str | int, ...], kind: str) -> tuple[str | int, ...]:
    """Return `loc` with the parts that are not keys or indexes of `value` left out (union branch names)."""
    path: list[str | int] = []
    current = value
    for index, part in enumerate(loc):
        is_key = isinstance(current, dict) and part in current
        if is_key or (isinstance(current, list) and isinstance(part, int) and 0 <= part < len(current)):
            current = current[part]
        elif index == len(loc) - 1 and kind == "missing":
            pass  # the key that should be there
        else:
            continue
        path.append(part)
    return tuple(path)


_SLUG_PATTERN = "^[a-z0-9][a-z0-9_-]{0,63}$"


def _message(error: Any) -> str:
    kind = error["type"]
    got = error.get("input")
    if kind == "extra_forbidden":
        return "unknown key (check its spelling; unknown keys are not allowed)"
    if kind == "missing":
        return "required field is missing"
    if kind == "string_pattern_mismatch":
        if error.get("ctx", {}).get("pattern") == _SLUG_PATTERN:
            return f"must be a lowercase id of letters, digits, '-' or '_' (e.g. wh-framework), got {_short(got)}"
        if "http" in str(error.get("ctx", {}).get("pattern", "")):
            return f"must be an http(s) or mailto address, got {_short(got)}"
    if kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        bound = next(iter(error.get("ctx", {}).values()), "")
        bound = f"{bound:g}" if isinstance(bound, (int, float)) else bound
        words = {"greater_than_equal": "at least", "greater_than": "more than", "less_than_equal": "at most", "less_than": "less than"}
        return f"must be {words[kind]} {bound}, got {_short(got)}"
    if kind == "value_error":
        return str(error["msg"]).removeprefix("Value error, ")
    message = str(error["msg"]).replace("a valid dictionary or instance of", "a mapping (key: value lines) for")
    if kind.endswith(("_type", "_parsing")) or kind.startswith(("literal", "date")):
        message += f", got {_short(got)}"
    if kind == "literal_error" and isinstance(got, str):
        suggestion = did_you_mean(got, re.findall(r"'([^']*)'", str(error.get("ctx", {}).get("expected", ""))), most=1)
        message += f" ({suggestion})" if suggestion else ""
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
