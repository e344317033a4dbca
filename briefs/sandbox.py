"""One Jinja sandbox with a budget, for every template a user writes (briefs, e-mail bodies, subjects).

Jinja's `SandboxedEnvironment` keeps a template away from Python internals, files and commands,
but not from running forever or filling memory. `BudgetedEnvironment` adds a budget to each
render (budget.py: `Budget`, the constant `BUDGET`):

- depth: calls (macros, `caller()`, recursive loops) nest at most `depth` deep; an include or
  import loop that reaches Python's recursion limit is stopped the same way;
- time: a render stops after `seconds`, checked at every call, filter and loop iteration (each
  `{% for %}` iterates through `budgeted_loop`, put there when a template is parsed);
- memory: the process's peak memory may grow by `memory_bytes` in one render;
- size: operations that run in C and cannot be interrupted are refused before they start when
  their result would pass a limit: `**` and `*` on integers (`bits`), `*` and `+` on strings and
  lists, `~`, `%` and `str.format` widths (`width`), string and list methods (`'x'.ljust(10**10)`),
  and every filter (integer arguments up to `width`, results up to `output_chars`); the text a render writes,
  and every buffer a macro or block fills, stops at `output_chars`.

Every breach, and anything else a template raises (`1/0`, `1 + "a"`, an undefined name, Python's
RecursionError or MemoryError), leaves `BudgetedTemplate.render` as one TemplateError naming the
template file and line: `brief.html.j2:3: the template ran longer than 2 s (the limit) ...`.
A time-out is a `TemplateTimeout`, so that a caller rendering the same template many times can
stop at the first.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import TracebackType
from typing import Any, cast

import jinja2
from jinja2 import nodes
from jinja2.sandbox import SandboxedEnvironment

from . import budget
from .budget import OverBudget, TooSlow, budgeted_concat, budgeted_filter, budgeted_loop, check_binop, check_method, sized, tick
from .errors import BriefsError, TemplateError, located

__all__ = ["BudgetedEnvironment", "BudgetedTemplate", "TemplateTimeout"]

_SAFE_ATTRIBUTES_KEPT = 4096
"""Answers `BudgetedEnvironment.is_safe_attribute` keeps, at most (then it asks Jinja each time)."""


class TemplateTimeout(TemplateError):
    """A template ran past its time budget: rendering it again would only take as long."""


class _BudgetedFilters(dict[str, Any]):
    """The filters of an environment, each handed out with the budget applied (filters added later too)."""

    def __getitem__(self, name: str) -> Any:
        return budgeted_filter(name, super().__getitem__(name))

    def get(self, name: str, default: Any = None) -> Any:  # type: ignore[override]
        function = super().get(name)
        return default if function is None else budgeted_filter(name, function)


class BudgetedTemplate(jinja2.Template):
    """A template whose render keeps to the budget and raises only TemplateError."""

    def render(self, *args: Any, **kwargs: Any) -> str:
        """Render within `BUDGET`; raise TemplateError (TemplateTimeout for time) naming the template file and line."""
        try:
            with budget.render():
                return super().render(*args, **kwargs)
        except BriefsError:
            raise
        except Exception as exc:  # anything a template raises is the template's error, said in one line
            error = TemplateTimeout if isinstance(exc, TooSlow) else TemplateError
            raise error(_described(exc, self.filename or self.name or "<template>")) from None


class BudgetedEnvironment(SandboxedEnvironment):
    """A SandboxedEnvironment whose every render keeps to `BUDGET` (see the module docstring)."""

    template_class = BudgetedTemplate
    intercepted_binops = frozenset({"**", "*", "+", "%"})

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.filters = _BudgetedFilters(self.filters)
        self.concat = budgeted_concat  # type: ignore[assignment]  # compiled templates join every buffer with it
        self.globals["lipsum"] = budgeted_filter("lipsum", cast(Callable[..., Any], self.globals["lipsum"]))
        self.budgeted_loop = budgeted_loop
        self.sized = sized
        self._safe_attributes: dict[tuple[type, str], bool] = {}

    def compile(self, source: Any, name: str | None = None, filename: str | None = None, *args: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        """Compile a template; one nested too deep or holding too long a number is a TemplateSyntaxError."""
        with _compiling(name, filename):
            return super().compile(source, name, filename, *args, **kwargs)

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        """Parse a template, routing every loop through `budgeted_loop` and every `~` operand through `sized`."""
        with _compiling(name, filename):
            tree = super()._parse(source, name, filename)
        for loop in list(tree.find_all(nodes.For)):
            loop.iter = _call("budgeted_loop", loop.iter)
        for concat in list(tree.find_all(nodes.Concat)):
            concat.nodes = [_call("sized", operand) for operand in concat.nodes]
        return tree

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        """Jinja's answer, kept per type and attribute name: it depends on nothing else (a leading underscore, and
        `isinstance` checks of the object), and a brief's template reads about 600 attributes."""
        key = (type(obj), attr)
        safe = self._safe_attributes.get(key)
        if safe is None:
            safe = super().is_safe_attribute(obj, attr, value)
            if len(self._safe_attributes) < _SAFE_ATTRIBUTES_KEPT:  # `|attr(name)` can make names without end
                self._safe_attributes[key] = safe
        return safe

    def call(self, context: jinja2.runtime.Context, obj: Any, /, *args: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        """Call `obj` from a template, within the budget of time, depth and size."""
        tick()
        check_method(obj, args, kwargs)
        spending = budget.SPENDING.get()
        if spending is None:
            return super().call(context, obj, *args, **kwargs)
        if spending.depth >= spending.budget.depth:
            raise OverBudget(f"calls nest too deep (past {spending.budget.depth} levels): a macro that calls itself without end?")
        spending.depth += 1
        try:
            return super().call(context, obj, *args, **kwargs)
        finally:
            spending.depth -= 1

    def call_binop(self, context: jinja2.runtime.Context, operator: str, left: Any, right: Any) -> Any:
        """Apply a binary operator, refusing one whose result would pass the budget."""
        check_binop(operator, left, right)
        return super().call_binop(context, operator, left, right)


@contextmanager
def _compiling(name: str | None, filename: str | None) -> Iterator[None]:
    """Turn what Python raises on a template too deep or too large to parse or compile into a TemplateSyntaxError."""
    try:
        yield
    except (RecursionError, MemoryError, ValueError, SyntaxError) as exc:
        message = "the template nests too deep, or holds too long a number, to be compiled"
        raise jinja2.TemplateSyntaxError(f"{message} ({type(exc).__name__}: {str(exc)[:80]})", 0, name, filename) from None


def _call(attribute: str, argument: nodes.Node) -> nodes.Call:
    """Return the template node calling environment.`attribute`(`argument`)."""
    return nodes.Call(nodes.EnvironmentAttribute(attribute), [argument], [], None, None, lineno=argument.lineno)


def _described(exc: Exception, name: str) -> str:
    """Return the one-line message for an exception a template raised."""
    if isinstance(exc, jinja2.TemplateSyntaxError):
        return located(exc.filename or exc.name or name, exc.lineno, exc.message or "syntax error")
    where = _where(exc.__traceback__, name)
    if isinstance(exc, OverBudget):
        return f"{where}: {exc}"
    if isinstance(exc, RecursionError):
        return f"{where}: templates include, import or call each other too deep (past Python's recursion limit): stop the loop"
    if isinstance(exc, MemoryError):
        return f"{where}: the template ran out of memory"
    if isinstance(exc, jinja2.TemplateNotFound):
        return f"{where}: template {exc.name!r} not found"
    if isinstance(exc, jinja2.UndefinedError):
        return (f"{where}: {exc.message}: fix the name, or test an optional field first "
                "({% if recipient.organisation is defined %})")
    if isinstance(exc, jinja2.exceptions.SecurityError):
        return f"{where}: not allowed in a template: {exc}"
    return f"{where}: {type(exc).__name__}: {exc}"


def _where(tb: TracebackType | None, fallback: str) -> str:
    """Return `file:line` of the innermost template frame in a traceback (Jinja rewrites them)."""
    found = fallback
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith((".j2", ".html", ".jinja")) or "template" in tb.tb_frame.f_globals.get("__name__", ""):
            found = f"{filename}:{tb.tb_lineno}"
        tb = tb.tb_next
    return found
