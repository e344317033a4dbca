"""Lay a Brief out with a Jinja2 template, in a sandbox where data can never become markup.

The environment is a `SandboxedEnvironment` with `autoescape=True` and `StrictUndefined`: every
`{{ value }}` is escaped by the environment itself, so `<`, `&` or `{{` in data come back out of
the parser as text, and a template cannot reach Python internals, files or commands.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import TracebackType
from typing import Any

import jinja2
from jinja2.sandbox import SandboxedEnvironment

from .errors import TemplateError, located
from .resources import builtin_templates_dir

__all__ = ["DEFAULT_TEMPLATE", "Renderer"]

DEFAULT_TEMPLATE = "brief.html.j2"

_ALLOWED_TAGS = {
    "h1", "h2", "h3", "p", "ul", "ol", "li", "table", "tr", "th", "td", "figure", "figcaption",
    "strong", "em", "a", "aside", "span", "cite",
}
_TAG = re.compile(r"<\s*(/?)\s*([A-Za-z][\w:-]*)")
_BARE_AMPERSAND = re.compile(r"&(?!(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)")


class Renderer:
    """Render briefs with one template search path; load and check each template once."""

    def __init__(self, user_dirs: Sequence[Path] = ()) -> None:
        builtin = jinja2.FileSystemLoader(str(builtin_templates_dir()))
        # Precedence, stated once: user folders in the order given, then the built-ins. A user
        # template may `{% extends "builtin/brief.html.j2" %}` to reach the built-in of the same
        # name it replaces.
        loader = jinja2.ChoiceLoader(
            [
                *(jinja2.FileSystemLoader(str(d)) for d in user_dirs),
                jinja2.PrefixLoader({"builtin": builtin}),
                builtin,
            ]
        )
        self.env = SandboxedEnvironment(
            loader=loader,
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )
        self.env.filters.update(longdate=_long_date, number=_number)
        self._checked: dict[str, jinja2.Template] = {}

    def template(self, name: str) -> jinja2.Template:
        """Return the compiled template `name`, checking its markup statically the first time."""
        if name in self._checked:
            return self._checked[name]
        try:
            template = self.env.get_template(name)
            self._check_markup(name)
        except jinja2.TemplateSyntaxError as exc:
            raise TemplateError(located(exc.filename or exc.name or name, exc.lineno, exc.message or "syntax error")) from None
        except jinja2.TemplateNotFound as exc:
            raise TemplateError(f"template {exc.name!r} not found on the template search path") from None
        self._checked[name] = template
        return template

    def render(self, name: str, context: Mapping[str, Any]) -> str:
        """Render template `name`; raise TemplateError naming the template file and line."""
        template = self.template(name)
        try:
            return template.render(context)
        except jinja2.TemplateSyntaxError as exc:
            raise TemplateError(located(exc.filename or exc.name or name, exc.lineno, exc.message or "syntax error")) from None
        except jinja2.TemplateNotFound as exc:
            raise TemplateError(f"{_where(exc.__traceback__, name)}: template {exc.name!r} not found") from None
        except jinja2.UndefinedError as exc:
            raise TemplateError(f"{_where(exc.__traceback__, name)}: {exc.message}") from None
        except jinja2.exceptions.SecurityError as exc:
            raise TemplateError(f"{_where(exc.__traceback__, name)}: not allowed in a template: {exc}") from None
        except (TypeError, ValueError, ArithmeticError, LookupError, AttributeError) as exc:
            raise TemplateError(f"{_where(exc.__traceback__, name)}: {type(exc).__name__}: {exc}") from None

    def source_path(self, name: str) -> str:
        """Return the file a template name resolves to, for messages."""
        try:
            _, filename, _ = self.env.loader.get_source(self.env, name)  # type: ignore[union-attr]
        except jinja2.TemplateNotFound:
            return name
        return filename or name

    def _check_markup(self, name: str) -> None:
        """Refuse literal tags outside the layout vocabulary and bare '&', naming the line."""
        assert self.env.loader is not None
        source, filename, _ = self.env.loader.get_source(self.env, name)
        for lineno, kind, value in self.env.lex(source, name, filename):
            if kind != "data":
                continue
            for match in _TAG.finditer(value):
                tag = match.group(2).lower()
                if tag not in _ALLOWED_TAGS:
                    line = lineno + value.count("\n", 0, match.start())
                    raise TemplateError(
                        located(filename or name, line, f"<{tag}> is not in the layout vocabulary ({', '.join(sorted(_ALLOWED_TAGS))})")
                    )
            for match in _BARE_AMPERSAND.finditer(value):
                line = lineno + value.count("\n", 0, match.start())
                raise TemplateError(located(filename or name, line, "a bare '&' in template text: write &amp;"))


def _where(tb: TracebackType | None, fallback: str) -> str:
    """Return `file:line` of the innermost template frame in a traceback (Jinja rewrites them)."""
    found = fallback
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith((".j2", ".html", ".jinja")) or "template" in tb.tb_frame.f_globals.get("__name__", ""):
            found = f"{filename}:{tb.tb_lineno}"
        tb = tb.tb_next
    return found


def _long_date(value: dt.date | None) -> str:
    """Format a date as '15 November 2025' (locale-independent)."""
    if value is None:
        return ""
    return f"{value.day} {_MONTHS[value.month - 1]} {value.year}"


_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December")


def _number(value: float, decimals: int = 0) -> str:
    """Format a number with thousands separators; whole numbers without decimals."""
    if float(value).is_integer() and decimals == 0:
        return f"{value:,.0f}"
    return f"{value:,.{decimals or 1}f}"
