"""Read YAML into plain Python values while keeping the line of every value.

PyYAML's `safe_load` forgets line numbers, lets a duplicate key silently replace the first,
reads `no` and `off` as false and expands alias bombs. So the node tree is composed with the
C loader (marks kept, nothing expanded) and values are built from it here: duplicate keys,
aliases and unknown tags are errors naming the line; YAML 1.1 yes/no/on/off stay strings;
timestamps stay strings for the model to parse (so a bad date is reported as a field error).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

import yaml

__all__ = ["MAX_BYTES", "Located", "Unread", "Where", "YamlError", "parse_yaml", "read_bounded", "read_yaml"]

MAX_BYTES = 20 * 1024 * 1024
"""Largest YAML file read; larger ones are refused before parsing (a brief never needs more)."""

_MAX_DEPTH = 64
"""Deepest nesting accepted; deeper documents are refused (a data file needs about five levels)."""

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_BOOL_WORDS = {"true", "false"}
_TAG = "tag:yaml.org,2002:"

Path_ = tuple[str | int, ...]
Where = int | str
"""Where a value is: a 1-based line of a YAML file, or a cell of a workbook (`Facts!C12`)."""


class YamlError(Exception):
    """The YAML text (or a workbook) is unreadable; `line` is 1-based (or a cell), or None when unknown."""

    def __init__(self, message: str, line: Where | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


class Unread(NamedTuple):
    """A value that could not be read as it stands (a workbook's formula with no saved result, an unknown column)."""

    where: Where
    path: Path_
    """The value's path in the document; () for what belongs to no value (a column, a sheet)."""
    message: str


@dataclass(frozen=True)
class Located:
    """A document's plain value and the 1-based line (or the cell) of each value and key, by path."""

    value: Any
    lines: dict[Path_, Where]
    problems: tuple[Unread, ...] = ()
    """Values that could not be read (a workbook's formula with no saved result): where, and what is wrong."""

    def line_of(self, path: Path_) -> Where:
        """Return the line of the deepest known prefix of `path` (1 for an empty or comment-only document)."""
        for end in range(len(path), -1, -1):
            line = self.lines.get(tuple(path[:end]))
            if line is not None:
                return line
        return 1


def read_bounded(path: Path) -> bytes:
    """Return the bytes of a data file; raise YamlError when it is over MAX_BYTES or unreadable."""
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise YamlError(f"file is {size:,} bytes; the limit is {MAX_BYTES:,}")
        return path.read_bytes()
    except OSError as exc:
        raise YamlError(f"cannot read file ({exc.strerror or exc})") from None


def read_yaml(path: Path) -> Located:
    """Read one YAML document from `path`; raise YamlError for anything unreadable or unsafe."""
    raw = read_bounded(path)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise YamlError(f"not UTF-8 text (byte {exc.start})", raw.count(b"\n", 0, exc.start) + 1) from None
    return parse_yaml(text)


def parse_yaml(text: str) -> Located:
    """Build plain values from YAML `text`; raise YamlError naming the line of any problem."""
    builder = _Builder()
    try:
        for event in yaml.parse(text, Loader=_LOADER):
            builder.feed(event)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "invalid YAML"
        raise YamlError(f"invalid YAML: {problem}", mark.line + 1 if mark else None) from None
    except yaml.reader.ReaderError as exc:  # a character YAML refuses, with its position in the text
        line = text.count("\n", 0, exc.position) + 1
        raise YamlError(f"invalid YAML: the character U+{exc.character:04X} is not allowed in YAML"
                        if isinstance(exc.character, int) else f"invalid YAML: {exc.reason}", line) from None
    except yaml.YAMLError as exc:
        raise YamlError("invalid YAML: " + " ".join(str(exc).split())) from None
    return Located(builder.result, builder.lines)


class _Builder:
    """Fold the parser's event stream into values, one event at a time.

    Working from events rather than a composed node tree means an alias is refused the moment it
    appears (no bomb is ever expanded) and deep nesting is refused before the recursive composer
    of libyaml's binding could overflow the C stack.
    """

    def __init__(self) -> None:
        self.result: Any = None
        self.lines: dict[Path_, Where] = {}
        self._stack: list[_Open] = []
        self._documents = 0

    def feed(self, event: yaml.Event) -> None:
        line = event.start_mark.line + 1 if event.start_mark else None
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise YamlError("anchors and aliases (&name, *name) are not allowed", line)
        if isinstance(event, yaml.DocumentStartEvent):
            self._documents += 1
            if self._documents > 1:
                raise YamlError("only one YAML document is allowed per file (found a second '---')", line)
        elif isinstance(event, yaml.ScalarEvent):
            self._add(_scalar(event, line), line, is_key_candidate=True)
        elif isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            self._open(event, line)
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            done = self._stack.pop()
            self._add(done.value, done.line, is_key_candidate=False, path=done.path)

    def _path(self) -> Path_:
        if not self._stack:
            return ()
        top = self._stack[-1]
        if isinstance(top.value, dict):
            return (*top.path, top.pending_key or "")
        return (*top.path, len(top.value))

    def _open(self, event: yaml.Event, line: int | None) -> None:
        tag = getattr(event, "tag", None)
        if tag is not None and not getattr(event, "implicit", True):
            raise YamlError(f"unsupported YAML tag {tag!r}", line)
        if self._stack and isinstance(self._stack[-1].value, dict) and self._stack[-1].pending_key is None:
            raise YamlError("a key must be a plain word, not a list or mapping", line)
        if len(self._stack) >= _MAX_DEPTH:
            raise YamlError(f"nesting deeper than {_MAX_DEPTH} levels", line)
        path = self._path()
        if line is not None:
            self.lines.setdefault(path, line)
        container: dict[str, Any] | list[Any] = {} if isinstance(event, yaml.MappingStartEvent) else []
        self._stack.append(_Open(container, path, line))

    def _add(self, value: Any, line: int | None, *, is_key_candidate: bool, path: Path_ | None = None) -> None:
        if not self._stack:
            self.result = value
            if path is None and line is not None:
                self.lines[()] = line
            return
        top = self._stack[-1]
        if isinstance(top.value, list):
            if path is None and line is not None:
                self.lines[(*top.path, len(top.value))] = line
            top.value.append(value)
        elif top.pending_key is None:
            self._set_key(top, value, line)
        else:
            if path is None and line is not None:
                self.lines[(*top.path, top.pending_key)] = line
            top.value[top.pending_key] = value
            top.pending_key = None

    def _set_key(self, top: _Open, key: Any, line: int | None) -> None:
        if key == _MERGE:
            raise YamlError("merge keys (<<) are not allowed", line)
        if isinstance(key, (dict, list)):
            raise YamlError("a key must be a plain word, not a list or mapping", line)
        name = str(key)
        assert isinstance(top.value, dict)
        if name in top.value:
            first = self.lines.get((*top.path, name))
            raise YamlError(f"duplicate key {name!r} (first given on line {first})", line)
        top.pending_key = name
        if line is not None:
            self.lines[(*top.path, name)] = line


_MERGE = object()


@dataclass
class _Open:
    """A mapping or sequence whose end event has not come yet."""

    value: dict[str, Any] | list[Any]
    path: Path_
    line: int | None
    pending_key: str | None = None


_RESOLVER = yaml.resolver.Resolver()


def _scalar(event: yaml.ScalarEvent, line: int | None) -> Any:
    """Return the plain value of a scalar, as YAML 1.2 would read it (yes/no/on/off stay words)."""
    text = event.value
    if event.tag not in (None, "!", _TAG + "str"):
        raise YamlError(f"unsupported YAML tag {event.tag!r}", line)
    if event.tag is not None or not event.implicit[0]:
        return text
    tag = _RESOLVER.resolve(yaml.ScalarNode, text, (True, False))  # type: ignore[no-untyped-call]
    if tag == _TAG + "merge":
        return _MERGE
    if tag == _TAG + "null":
        return None
    if tag == _TAG + "bool":
        return text.lower() == "true" if text.lower() in _BOOL_WORDS else text
    if tag == _TAG + "int":
        return _number(text, int)
    if tag == _TAG + "float":
        return _number(text, float)
    return text


def _number(text: str, kind: type) -> Any:
    try:
        return kind(text.replace("_", ""))
    except ValueError:
        return text
