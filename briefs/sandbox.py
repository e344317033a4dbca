"""One Jinja sandbox with a budget, for every template a user writes (briefs, e-mail bodies, subjects).

Jinja's `SandboxedEnvironment` keeps a template away from Python internals, files and commands,
but not from running forever or filling memory. `BudgetedEnvironment` adds a budget to each
render (`Budget`, the constant `BUDGET`):

- depth: calls (macros, `caller()`, recursive loops) nest at most `depth` deep; an include or
  import loop that reaches Python's recursion limit is stopped the same way;
- time: a render stops after `seconds`, checked at every call, filter and loop iteration (each
  `{% for %}` iterates through `budgeted_loop`, put there when a template is parsed);
- memory: the process's peak memory may grow by `memory_bytes` in one render;
- size: operations that run in C and cannot be interrupted are refused before they start when
  their result would pass a limit: `**` and `*` on integers (`bits`), `*` and `+` on strings and
  lists, `~`, `%` and `str.format` widths (`width`), string and list methods, and every filter
  (integer arguments up to `width`, results up to `output_chars`); the text a render writes,
  and every buffer a macro or block fills, stops at `output_chars`.

Every breach, and anything else a template raises (`1/0`, `1 + "a"`, an undefined name, Python's
RecursionError or MemoryError), leaves `BudgetedTemplate.render` as one TemplateError naming the
template file and line: `brief.html.j2:3: the template ran longer than 2 s (the limit) ...`.
A time-out is a `TemplateTimeout`, so that a caller rendering the same template many times can
stop at the first.
"""

from __future__ import annotations

import re
import resource
import string
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import wraps
from types import TracebackType
from typing import Any, cast

import jinja2
from jinja2 import nodes
from jinja2.sandbox import SandboxedEnvironment

from .errors import BriefsError, TemplateError, located

__all__ = ["BUDGET", "Budget", "BudgetedEnvironment", "BudgetedTemplate", "TemplateTimeout"]


@dataclass(frozen=True)
class Budget:
    """What one render of a template may spend."""

    seconds: float = 2.0
    """Wall-clock time. The built-in brief renders in about 2 ms: 2 s is a thousand times that, and
    short enough that `check`, which renders every template for every audience, answers at once."""
    depth: int = 100
    """Nested calls (macro in macro, recursive loops); Python's own limit is about 1,000 frames."""
    output_chars: int = 5_000_000
    """Characters of text a render writes, or any one string or list it builds (a brief is ~50,000)."""
    bits: int = 10_000
    """Size of an integer a template computes (about 3,000 decimal digits)."""
    width: int = 10_000
    """A width, precision or count given to a format, a filter or a string method (`center(80)`)."""
    memory_bytes: int = 500_000_000
    """Growth of the process's peak memory during one render: a net under whatever the size limits
    do not see (a buffer filling with escaped copies of one long string)."""


BUDGET = Budget()
"""The budget of every render (module-level, so that tests may lower it)."""

_MEMORY_EVERY = 16
"""Looks at the clock between two looks at the process's memory (a system call of about 1 µs)."""


class TemplateTimeout(TemplateError):
    """A template ran past its time budget: rendering it again would only take as long."""


class _OverBudget(Exception):
    """Raised inside a render when an operation would pass the budget; becomes a TemplateError."""


class _TooSlow(_OverBudget):
    """Raised inside a render past its deadline; becomes a TemplateTimeout."""


@dataclass
class _Spending:
    """What the current render has spent."""

    budget: Budget
    deadline: float
    peak_memory: int
    """The process's peak memory when the render started (bytes)."""
    depth: int = 0
    ticks: int = 0


def _peak_memory() -> int:
    """Return the process's peak resident memory in bytes (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


_SPENDING: ContextVar[_Spending | None] = ContextVar("briefs_template_spending", default=None)


def _tick() -> None:
    """Raise _OverBudget once the current render is past its deadline, or has grown memory past its budget."""
    spending = _SPENDING.get()
    if spending is None:
        return
    if time.monotonic() > spending.deadline:
        raise _TooSlow(f"the template ran longer than {spending.budget.seconds:g} s (the limit): "
                       "a loop or a recursion that does not end, or far too much work")
    spending.ticks += 1
    if spending.ticks % _MEMORY_EVERY == 0 and _peak_memory() - spending.peak_memory > spending.budget.memory_bytes:
        raise _OverBudget(f"the template took more than {spending.budget.memory_bytes // 1_000_000:,} MB of memory (the limit)")


def _too_long(size: int, what: str) -> None:
    """Raise _OverBudget when `size` characters or items pass the output limit."""
    if size > BUDGET.output_chars:
        raise _OverBudget(f"{what} would make about {size:,} characters or items, "
                          f"past the limit of {BUDGET.output_chars:,}")


def _size(value: Any) -> int:
    """Return the length of a string or sequence, else 0 (what a copy of it costs)."""
    return len(value) if isinstance(value, (str, bytes, list, tuple)) else 0


def _weight(value: Any) -> int:
    """Return the characters a string or a list of strings holds (what joining it makes)."""
    if isinstance(value, (list, tuple)):
        return len(value) + sum(map(_size, value))
    return _size(value)


def _integers(args: Iterable[Any]) -> list[int]:
    """Return the integer arguments (not booleans) among `args`."""
    return [abs(arg) for arg in args if isinstance(arg, int) and not isinstance(arg, bool)]


def _check_width(number: int, what: str) -> None:
    """Refuse a width, precision or count past the budget's `width`."""
    if number > BUDGET.width:
        raise _OverBudget(f"{what}: a width or count of {number:,} is past the limit of {BUDGET.width:,}")


_PERCENT_SPEC = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(\*|\d+)?(?:\.(\*|\d+))?")


def _check_percent(text: str, values: Any) -> None:
    """Refuse `text % values` when a width or precision in `text`, or given by `*`, is past the limit."""
    for match in _PERCENT_SPEC.finditer(text):
        for part in match.groups():
            if part == "*":
                for number in _integers(values if isinstance(values, tuple) else (values,)):
                    _check_width(number, "'%' formatting")
            elif part:
                _check_width(int(part[:9]), "'%' formatting")


def _check_format(text: str, args: Iterable[Any]) -> None:
    """Refuse `text.format(...)` when a width or precision in a field, or a nested one, is past the limit."""
    for _, _, spec, _ in string.Formatter().parse(text):
        for digits in re.findall(r"\d+", spec or ""):
            _check_width(int(digits[:9]), "str.format")
        if spec and "{" in spec:
            for number in _integers(args):
                _check_width(number, "str.format")


def _check_binop(operator: str, left: Any, right: Any) -> None:
    """Refuse an arithmetic or sequence operation whose result would pass the budget (before computing it)."""
    if operator == "**" and _integers([left]) and _integers([right]) and abs(left) > 1 and right > 0:
        if left.bit_length() * right > BUDGET.bits:
            raise _OverBudget(f"the power would have about {left.bit_length() * right:,} bits, past the limit of {BUDGET.bits:,} bits")
    elif operator == "*" and _integers([left]) and _integers([right]):
        if left.bit_length() + right.bit_length() > BUDGET.bits:
            raise _OverBudget(f"the product would pass the limit of {BUDGET.bits:,} bits")
    elif operator == "*":
        for sequence, count in ((left, right), (right, left)):
            if _size(sequence) and _integers([count]):
                _too_long(_size(sequence) * count, "repeating a string or list")
    elif operator == "+" and _size(left) and _size(right):
        _too_long(_size(left) + _size(right), "joining two strings or lists")
    elif operator == "%" and isinstance(left, str):
        _check_percent(left, right)


def _check_method(method: Any, args: tuple[Any, ...], kwargs: Mapping[str, Any]) -> None:
    """Refuse a string or list method (or str.format) whose result would pass the budget, before calling it."""
    target = getattr(method, "__wrapped__", method)  # the sandbox wraps str.format in a function
    receiver = getattr(target, "__self__", None)
    values = [*args, *kwargs.values()]
    if isinstance(receiver, str) and getattr(target, "__name__", "") in ("format", "format_map"):
        _check_format(receiver, values)
    elif _size(receiver):
        factor = max([1, *_integers(values), *(len(v) for v in values if isinstance(v, str))])
        grown = sum(_weight(v) + _size(receiver) * _size(v) for v in values if isinstance(v, (list, tuple)))
        _too_long((_size(receiver) + 1) * factor + grown, f"{getattr(target, '__name__', 'the method')}()")


def budgeted_loop(iterable: Iterable[Any]) -> Iterator[Any]:
    """Yield from `iterable`, looking at the budget before each item (every `{% for %}` iterates through this)."""
    for item in iterable:
        _tick()
        yield item


def sized(value: Any) -> Any:
    """Return `value`, refusing a string or list past the output limit (each operand of `~` passes here)."""
    _too_long(_size(value), "joining with '~'")
    return value


def _budgeted_concat(parts: Iterable[str]) -> str:
    """Join a render's or a buffer's parts, stopping when they pass the output limit."""
    kept: list[str] = []
    total = 0
    for part in parts:
        total += len(part)
        if total > BUDGET.output_chars:
            raise _OverBudget(f"the template wrote more than {BUDGET.output_chars:,} characters (the limit)")
        kept.append(part)
    return "".join(kept)


def _budgeted(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    """Return filter `name` with the budget applied: the clock, integer arguments, and the size of what it makes."""
    first = 2 if getattr(function, "jinja_pass_arg", None) else 1  # a context or environment comes before the value

    @wraps(function)
    def filtered(*args: Any, **kwargs: Any) -> Any:
        _tick()
        options = [*args[first:], *kwargs.values()]
        for number in _integers(options):
            _check_width(number, f"the filter {name}")
        value = args[first - 1] if len(args) >= first else None
        if name == "format" and isinstance(value, str):
            _check_percent(value, tuple(args[first:]))
        made = _weight(value) + _size(value) * max([0, *map(_size, options)])
        if name == "sum":  # adding lists copies the running total each time: quadratic
            made += _size(value) * _weight(value)
        _too_long(made, f"the filter {name}")
        result = function(*args, **kwargs)
        _too_long(_size(result), f"the filter {name}")
        return result

    return filtered


class _BudgetedFilters(dict[str, Any]):
    """The filters of an environment, each handed out with the budget applied (filters added later too)."""

    def __getitem__(self, name: str) -> Any:
        return _budgeted(name, super().__getitem__(name))

    def get(self, name: str, default: Any = None) -> Any:  # type: ignore[override]
        function = super().get(name)
        return default if function is None else _budgeted(name, function)


class BudgetedTemplate(jinja2.Template):
    """A template whose render keeps to the budget and raises only TemplateError."""

    def render(self, *args: Any, **kwargs: Any) -> str:
        """Render within `BUDGET`; raise TemplateError (TemplateTimeout for time) naming the template file and line."""
        spending = _Spending(BUDGET, time.monotonic() + BUDGET.seconds, _peak_memory())
        token = _SPENDING.set(spending) if _SPENDING.get() is None else None
        try:
            return super().render(*args, **kwargs)
        except BriefsError:
            raise
        except Exception as exc:  # anything a template raises is the template's error, said in one line
            error = TemplateTimeout if isinstance(exc, _TooSlow) else TemplateError
            raise error(_described(exc, self.filename or self.name or "<template>")) from None
        finally:
            if token is not None:
                _SPENDING.reset(token)


class BudgetedEnvironment(SandboxedEnvironment):
    """A SandboxedEnvironment whose every render keeps to `BUDGET` (see the module docstring)."""

    template_class = BudgetedTemplate
    intercepted_binops = frozenset({"**", "*", "+", "%"})

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.filters = _BudgetedFilters(self.filters)
        self.concat = _budgeted_concat  # type: ignore[assignment]  # compiled templates join every buffer with it
        self.globals["lipsum"] = _budgeted("lipsum", cast(Callable[..., Any], self.globals["lipsum"]))
        self.budgeted_loop = budgeted_loop
        self.sized = sized

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

    def call(self, context: jinja2.runtime.Context, obj: Any, /, *args: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        """Call `obj` from a template, within the budget of time, depth and size."""
        _tick()
        _check_method(obj, args, kwargs)
        spending = _SPENDING.get()
        if spending is None:
            return super().call(context, obj, *args, **kwargs)
        if spending.depth >= spending.budget.depth:
            raise _OverBudget(f"calls nest too deep (past {spending.budget.depth} levels): a macro that calls itself without end?")
        spending.depth += 1
        try:
            return super().call(context, obj, *args, **kwargs)
        finally:
            spending.depth -= 1

    def call_binop(self, context: jinja2.runtime.Context, operator: str, left: Any, right: Any) -> Any:
        """Apply a binary operator, refusing one whose result would pass the budget."""
        _check_binop(operator, left, right)
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
    if isinstance(exc, _OverBudget):
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
