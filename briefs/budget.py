"""What one render of a user's template may spend, and the checks that keep it to that.

`Budget` states the limits (the constant `BUDGET` is the one every render gets); the render in
progress keeps what it has spent in `SPENDING`. The checks refuse an operation *before* it runs
when its result would pass a limit, since an operation that runs in C (`10**(10**11)`,
`'a'*10**9`, `'x'.ljust(10**10)`) cannot be interrupted once started. They raise `OverBudget`,
which the sandbox (sandbox.py) turns into a TemplateError naming the template line.
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
from typing import Any

__all__ = [
    "BUDGET", "SPENDING", "Budget", "OverBudget", "Spending", "TooSlow", "budgeted_concat", "budgeted_filter", "budgeted_loop",
    "check_binop", "check_method", "peak_memory", "render", "sized", "tick",
]


@dataclass(frozen=True)
class Budget:
    """What one render of a template may spend."""

    seconds: float = 2.0
    """Wall-clock time. The built-in brief renders in about 1 ms: 2 s leaves a slow machine and a long
    template a thousandfold margin, and is short enough that `check`, which lays out every brief,
    answers at once (a template that ran out of time is not run again)."""
    depth: int = 100
    """Nested calls (macro in macro, recursive loops); Python's own limit is about 1,000 frames."""
    output_chars: int = 5_000_000
    """Characters of text a render writes, or any one string or list it builds (a built-in brief: ~13,000)."""
    bits: int = 10_000
    """Size of an integer a template computes (about 3,000 decimal digits)."""
    width: int = 10_000
    """A width, precision or count given to `%` or `str.format`, or an integer given to a filter (`center(80)`).
    A string or list method is refused instead when its result could pass `output_chars`."""
    memory_bytes: int = 500_000_000
    """Growth of the process's peak memory during one render: a net under whatever the size limits
    do not see (a buffer filling with escaped copies of one long string)."""


BUDGET = Budget()
"""The budget of every render (module-level, so that tests may lower it)."""

_MEMORY_EVERY = 16
"""Looks at the clock between two looks at the process's memory (a system call of about 1 µs)."""


class OverBudget(Exception):
    """Raised inside a render when an operation would pass the budget; becomes a TemplateError."""


class TooSlow(OverBudget):
    """Raised inside a render past its deadline; becomes a TemplateTimeout."""


@dataclass
class Spending:
    """What the current render has spent."""

    budget: Budget
    deadline: float
    peak_memory: int
    """The process's peak memory when the render started (bytes)."""
    depth: int = 0
    ticks: int = 0


@contextmanager
def render() -> Iterator[Spending]:
    """Give the render starting now its budget, unless it runs inside one (then it shares that)."""
    current = SPENDING.get()
    if current is not None:
        yield current
        return
    spending = Spending(BUDGET, time.monotonic() + BUDGET.seconds, peak_memory())
    token = SPENDING.set(spending)
    try:
        yield spending
    finally:
        SPENDING.reset(token)


def peak_memory() -> int:
    """Return the process's peak resident memory in bytes (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


SPENDING: ContextVar[Spending | None] = ContextVar("briefs_template_spending", default=None)


def tick() -> None:
    """Raise OverBudget once the current render is past its deadline, or has grown memory past its budget."""
    spending = SPENDING.get()
    if spending is None:
        return
    if time.monotonic() > spending.deadline:
        raise TooSlow(f"the template ran longer than {spending.budget.seconds:g} s (the limit): "
                       "a loop or a recursion that does not end, or far too much work")
    spending.ticks += 1
    if spending.ticks % _MEMORY_EVERY == 0 and peak_memory() - spending.peak_memory > spending.budget.memory_bytes:
        raise OverBudget(f"the template took more than {spending.budget.memory_bytes // 1_000_000:,} MB of memory (the limit)")


def too_long(size: int, what: str) -> None:
    """Raise OverBudget when `size` characters or items pass the output limit."""
    if size > BUDGET.output_chars:
        raise OverBudget(f"{what} would make about {size:,} characters or items, "
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
        raise OverBudget(f"{what}: a width or count of {number:,} is past the limit of {BUDGET.width:,}")


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


def check_binop(operator: str, left: Any, right: Any) -> None:
    """Refuse an arithmetic or sequence operation whose result would pass the budget (before computing it)."""
    if operator == "**" and _integers([left]) and _integers([right]) and abs(left) > 1 and right > 0:
        if left.bit_length() * right > BUDGET.bits:
            raise OverBudget(f"the power would have about {left.bit_length() * right:,} bits, past the limit of {BUDGET.bits:,} bits")
    elif operator == "*" and _integers([left]) and _integers([right]):
        if left.bit_length() + right.bit_length() > BUDGET.bits:
            raise OverBudget(f"the product would pass the limit of {BUDGET.bits:,} bits")
    elif operator == "*":
        for sequence, count in ((left, right), (right, left)):
            if _size(sequence) and _integers([count]):
                too_long(_size(sequence) * count, "repeating a string or list")
    elif operator == "+" and _size(left) and _size(right):
        too_long(_size(left) + _size(right), "joining two strings or lists")
    elif operator == "%" and isinstance(left, str):
        _check_percent(left, right)


def check_method(method: Any, args: tuple[Any, ...], kwargs: Mapping[str, Any]) -> None:
    """Refuse a string or list method (or str.format) whose result would pass the budget, before calling it."""
    target = getattr(method, "__wrapped__", method)  # the sandbox wraps str.format in a function
    receiver = getattr(target, "__self__", None)
    values = [*args, *kwargs.values()]
    if isinstance(receiver, str) and getattr(target, "__name__", "") in ("format", "format_map"):
        _check_format(receiver, values)
    elif _size(receiver):
        factor = max([1, *_integers(values), *(len(v) for v in values if isinstance(v, str))])
        grown = sum(_weight(v) + _size(receiver) * _size(v) for v in values if isinstance(v, (list, tuple)))
        too_long((_size(receiver) + 1) * factor + grown, f"{getattr(target, '__name__', 'the method')}()")


def budgeted_loop(iterable: Iterable[Any]) -> Iterator[Any]:
    """Yield from `iterable`, looking at the budget before each item (every `{% for %}` iterates through this)."""
    for item in iterable:
        tick()
        yield item


def sized(value: Any) -> Any:
    """Return `value`, refusing a string or list past the output limit (each operand of `~` passes here)."""
    too_long(_size(value), "joining with '~'")
    return value


def budgeted_concat(parts: Iterable[str]) -> str:
    """Join a render's or a buffer's parts, stopping when they pass the output limit."""
    kept: list[str] = []
    total = 0
    for part in parts:
        total += len(part)
        if total > BUDGET.output_chars:
            raise OverBudget(f"the template wrote more than {BUDGET.output_chars:,} characters (the limit)")
        kept.append(part)
    return "".join(kept)


def budgeted_filter(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    """Return filter `name` with the budget applied: the clock, integer arguments, and the size of what it makes."""
    first = 2 if getattr(function, "jinja_pass_arg", None) else 1  # a context or environment comes before the value

    @wraps(function)
    def filtered(*args: Any, **kwargs: Any) -> Any:
        tick()
        options = [*args[first:], *kwargs.values()]
        for number in _integers(options):
            _check_width(number, f"the filter {name}")
        value = args[first - 1] if len(args) >= first else None
        if name == "format" and isinstance(value, str):
            _check_percent(value, tuple(args[first:]))
        made = _weight(value) + _size(value) * max([0, *map(_size, options)])
        if name == "sum":  # adding lists copies the running total each time: quadratic
            made += _size(value) * _weight(value)
        too_long(made, f"the filter {name}")
        result = function(*args, **kwargs)
        too_long(_size(result), f"the filter {name}")
        return result

    return filtered
