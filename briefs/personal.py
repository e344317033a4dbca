"""Render a brief template once per audience and recipient shape, then put each recipient's fields in.

In a batch, the template renders the same brief for every recipient of an audience; only the
recipient's fields differ. When a template uses `recipient` only in ways that cannot depend on
what a field says, the markup of one recipient is the markup rendered with a marker in place of
each field, each marker replaced by the field's escaped text (rendered twice with two sets of
markers, which must differ only in the markers). Those ways, checked on the
template's syntax tree (and the templates it extends) the first time it is used:

- printing a field: `{{ recipient.name }}` (or `|e`), straight into the page: not inside a macro,
  a call block, a filter block, a `{% set %}` block or a template that reads `self` or `super`
  (each would take the text as a value and could change or compare it);
- testing whether a field is there: `recipient.name is defined`;
- testing whether a field is empty: `{% if recipient.organisation %}`, `a if recipient.x else b`,
  with `and`, `or` and `not`.

Whether each field is empty is part of the key; a template it includes or imports must not use
`recipient` at all. Any other use, a field that is not text, a marker character in the data, or
markup past the output limit: the template is rendered for the recipient as usual. The markup is
the same string either way (tested against rendering each recipient).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterator, Mapping
from typing import Any

from jinja2 import nodes
from markupsafe import escape

from .budget import BUDGET
from .rendering import Renderer

__all__ = ["personal_markup"]

_OPEN, _CLOSE = "\ue000", "\ue001"
"""Private-use characters around each field's marker (`_marker`)."""
_MOST_FIELDS = 256
_KEPT_MARKUP = 64
"""Markup rendered with markers kept, least recently used dropped first (per audience and shape of recipient)."""

_PRINTING_FILTERS = frozenset({"e", "escape"})
_PRESENCE_TESTS = frozenset({"defined", "undefined"})
_CAPTURING = (nodes.Macro, nodes.CallBlock, nodes.FilterBlock, nodes.AssignBlock)
"""Nodes whose body's output becomes a value a template may change or compare, rather than text on the page."""

_opaque: dict[tuple[int, str], tuple[Renderer, bool]] = {}
"""(id of a renderer, template) -> (the renderer, whether it uses `recipient` only as above); the renderer is held so its id
cannot be another's."""
_kept: OrderedDict[tuple[Any, ...], tuple[Any, Any, str | None]] = OrderedDict()
"""(ids of renderer and brief, template, field names, which are empty) -> (renderer, brief, markup with markers, or None
when markers cannot be used for that brief)."""
_lock = threading.Lock()


def personal_markup(renderer: Renderer, name: str, brief: Any, recipient: Mapping[str, object]) -> str | None:
    """Return the markup template `name` renders for `brief` and `recipient`, from markup kept for recipients of the same
    shape; None when it must be rendered as usual (see the module docstring)."""
    fields = tuple(recipient)
    values = tuple(recipient.values())
    if len(fields) > _MOST_FIELDS or not all(isinstance(value, str) for value in values) or not _uses_fields_only(renderer, name):
        return None
    key = (id(renderer), id(brief), name, fields, tuple(bool(value) for value in values))
    with _lock:
        kept = _kept.get(key)
        if kept is not None and kept[0] is renderer and kept[1] is brief:
            _kept.move_to_end(key)
    if kept is None or kept[0] is not renderer or kept[1] is not brief:
        kept = (renderer, brief, _with_markers(renderer, name, brief, recipient))
        with _lock:
            _kept[key] = kept
            while len(_kept) > _KEPT_MARKUP:
                _kept.popitem(last=False)
    markup = kept[2]
    if markup is None:
        return None
    for index, value in enumerate(values):
        if value:
            markup = markup.replace(_marker(index), str(escape(value)))
    return None if len(markup) > BUDGET.output_chars else markup


def _with_markers(renderer: Renderer, name: str, brief: Any, recipient: Mapping[str, object]) -> str | None:
    """Return the markup with a marker for each field that is not empty, or None if the markers cannot be told from the
    brief's own text: rendered twice with two sets of markers, the first must turn into the second by swapping markers (a
    marker character in the data, or a template that treats a field as a value, fails this)."""
    renders = []
    for alphabet in (0, 1):
        markers = {field: _marker(index, alphabet) if value else "" for index, (field, value) in enumerate(recipient.items())}
        renders.append(renderer.render(name, {"brief": brief, "recipient": markers}))
    swapped = renders[0]
    for index, value in enumerate(recipient.values()):
        if value:
            swapped = swapped.replace(_marker(index), _marker(index, 1))
    return renders[0] if swapped == renders[1] else None


def _marker(index: int, alphabet: int = 0) -> str:
    return f"{_OPEN}{chr(0xE100 + 0x100 * alphabet + index)}{_CLOSE}"


def _uses_fields_only(renderer: Renderer, name: str) -> bool:
    """Whether template `name` (with what it extends) uses `recipient` only as the module docstring allows."""
    found = _opaque.get((id(renderer), name))
    if found is None or found[0] is not renderer:
        found = (renderer, _checked(renderer, name, set()))
        with _lock:
            _opaque[(id(renderer), name)] = found
            while len(_opaque) > _KEPT_MARKUP:  # the preview makes a renderer per rebuild: keep the latest only
                del _opaque[next(iter(_opaque))]
    return found[1]


def _checked(renderer: Renderer, name: str, seen: set[str]) -> bool:
    if name in seen:
        return False
    seen.add(name)
    tree = _tree(renderer, name)
    if tree is None or renderer.env.finalize is not None:
        return False
    if any(isinstance(node, nodes.Name) and node.name in ("self", "super") for node in tree.find_all(nodes.Name)):
        return False
    if any(True for _ in tree.find_all((nodes.EvalContextModifier, nodes.ScopedEvalContextModifier))):
        return False  # `{% autoescape false %}` prints a field unescaped
    for node in tree.find_all((nodes.Extends, nodes.Include, nodes.Import, nodes.FromImport)):
        used = getattr(node, "template", None)
        if not isinstance(used, nodes.Const) or not isinstance(used.value, str):
            return False
        if isinstance(node, nodes.Extends):
            if not _checked(renderer, used.value, seen):
                return False
        elif _mentions_recipient(renderer, used.value, set()):
            return False
    return all(_allowed(path) for path in _recipient_paths(tree))


def _tree(renderer: Renderer, name: str) -> nodes.Template | None:
    loader = renderer.env.loader
    if loader is None:
        return None
    try:
        source, filename, _ = loader.get_source(renderer.env, name)
        return renderer.env.parse(source, name, filename)
    except Exception:  # not found or not valid: rendering it says what is wrong
        return None


def _mentions_recipient(renderer: Renderer, name: str, seen: set[str]) -> bool:
    """Whether template `name`, or one it uses, names `recipient` at all (or cannot be read)."""
    if name in seen:
        return False
    seen.add(name)
    tree = _tree(renderer, name)
    if tree is None:
        return True
    if any(node.name == "recipient" for node in tree.find_all(nodes.Name)):
        return True
    for node in tree.find_all((nodes.Extends, nodes.Include, nodes.Import, nodes.FromImport)):
        used = getattr(node, "template", None)
        if not isinstance(used, nodes.Const) or not isinstance(used.value, str) or _mentions_recipient(renderer, used.value, seen):
            return True
    return False


def _recipient_paths(tree: nodes.Node) -> Iterator[list[nodes.Node]]:
    """Yield, for each use of the name `recipient`, the nodes from the template down to it."""
    stack: list[tuple[nodes.Node, list[nodes.Node]]] = [(tree, [tree])]
    while stack:
        node, path = stack.pop()
        if isinstance(node, nodes.Name) and node.name == "recipient":
            yield path
            continue
        for child in node.iter_child_nodes():
            stack.append((child, [*path, child]))


def _allowed(path: list[nodes.Node]) -> bool:
    """Whether one use of `recipient` (the last node of `path`) is printing, a presence test or an emptiness test."""
    name = path[-1]
    if not isinstance(name, nodes.Name) or name.ctx != "load":
        return False
    index = len(path) - 1
    parent = path[index - 1]
    if isinstance(parent, nodes.Test) and parent.node is name and parent.name in _PRESENCE_TESTS:
        return True  # `recipient is defined`
    if not ((isinstance(parent, nodes.Getattr) and parent.node is name)
            or (isinstance(parent, nodes.Getitem) and parent.node is name and isinstance(parent.arg, nodes.Const))):
        return False
    field: nodes.Node = parent
    index -= 1
    above = path[index - 1]
    if isinstance(above, nodes.Test) and above.node is field:
        return above.name in _PRESENCE_TESTS
    if isinstance(above, nodes.Filter) and above.node is field and above.name in _PRINTING_FILTERS and not above.args:
        field, index = above, index - 1
        above = path[index - 1]
    if isinstance(above, nodes.CondExpr) and above.test is not field:  # `recipient.name if recipient.name else "Reader"`
        field, index = above, index - 1
        above = path[index - 1]
    if isinstance(above, nodes.Output) and any(child is field for child in above.nodes):
        return not any(isinstance(node, _CAPTURING) or (isinstance(node, nodes.For) and node.recursive) for node in path[:index])
    return _in_condition(path, index)


def _in_condition(path: list[nodes.Node], index: int) -> bool:
    """Whether path[index] is only tested for emptiness: the test of an if, through and, or and not."""
    child = path[index]
    for position in range(index - 1, -1, -1):
        parent = path[position]
        if isinstance(parent, nodes.And | nodes.Or | nodes.Not):
            child = parent
            continue
        return isinstance(parent, nodes.If | nodes.CondExpr) and parent.test is child
    return False
