"""Lay a Brief out with a Jinja2 template, in a sandbox where data can never become markup.

The environment is a `BudgetedEnvironment` (sandbox.py: Jinja's sandbox, with a budget of depth,
time and size for every render) with `autoescape=True` and `StrictUndefined`: every `{{ value }}`
is escaped by the environment itself, so `<`, `&` or `{{` in data come back out of the parser as
text, and a template cannot reach Python internals, files or commands, nor hang a run. Template
names are relative to a template folder ('..' is refused) and a file whose real path is outside
its folder (a symbolic link out) is not found.

Each template is checked statically the first time it is used, with the templates it extends,
includes or imports: syntax, literal tags outside the layout vocabulary, and blocks a child
template defines that its parent does not have (Jinja would ignore them without a word).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from contextvars import ContextVar
from pathlib import Path
from typing import Any

import jinja2
from jinja2 import nodes
from jinja2.runtime import Context

from .errors import TemplateError, located
from .evidence import KINDS
from .resources import builtin_templates_dir
from .sandbox import BudgetedEnvironment, TemplateTimeout
from .sentences import full_stop
from .words import ENGLISH, Words, catalogue, label_key

_RENDERING_WORDS: ContextVar[tuple[Renderer, str, Words] | None] = ContextVar("briefs_rendering_words", default=None)
"""The renderer, language and words of the brief being rendered, looked up once per render: a brief's template asks
for words about 170 times, and each lookup checks the override files on disk (so the preview sees an edited one)."""

__all__ = ["DEFAULT_TEMPLATE", "Renderer"]

DEFAULT_TEMPLATE = "brief.html.j2"

_ALLOWED_TAGS = {
    "h1", "h2", "h3", "p", "ul", "ol", "li", "table", "tr", "th", "td", "figure", "figcaption",
    "strong", "em", "a", "aside", "span", "cite",
}
_TAG = re.compile(r"<\s*(/?)\s*([A-Za-z][\w:-]*)")
_BARE_AMPERSAND = re.compile(r"&(?!(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)")


class _FolderLoader(jinja2.FileSystemLoader):
    """Load templates from one folder, refusing a file whose real path is outside it."""

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Any]:
        try:
            source, filename, uptodate = super().get_source(environment, template)
        except jinja2.TemplateNotFound:
            raise  # (an OSError too) the next folder on the search path may have it
        except UnicodeDecodeError as exc:
            raise TemplateError(f"{Path(self.searchpath[0]) / template}: not a UTF-8 text file (byte {exc.start}): a template "
                                "is a text file; save it as UTF-8") from None
        except OSError as exc:
            raise TemplateError(f"{Path(self.searchpath[0]) / template}: cannot read the template ({exc.strerror or exc})") from None
        if not Path(filename).resolve().is_relative_to(Path(self.searchpath[0]).resolve()):
            raise jinja2.TemplateNotFound(template)
        return source, filename, uptodate


class Renderer:
    """Render briefs with one template search path; load and check each template once."""

    def __init__(self, user_dirs: Sequence[Path] = ()) -> None:
        builtin = _FolderLoader(str(builtin_templates_dir()))
        # Precedence, stated once: user folders in the order given, then the built-ins. A user
        # template may `{% extends "builtin/brief.html.j2" %}` to reach the built-in of the same
        # name it replaces.
        loader = jinja2.ChoiceLoader(
            [
                *(_FolderLoader(str(d)) for d in user_dirs),
                jinja2.PrefixLoader({"builtin": builtin}),
                builtin,
            ]
        )
        self.env = BudgetedEnvironment(
            loader=loader,
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )
        self.folders = tuple(user_dirs)
        """The templates folders, whose `words/` override single words of the built-in catalogues."""
        self.env.filters.update(longdate=self._long_date, number=self._number, stop=self._stop, label=self._label,
                                words_list=self._list, percent=self._percent)
        self.env.globals["t"] = self._text
        self._checked: dict[str, jinja2.Template] = {}
        self._blocks: dict[str, frozenset[str]] = {}
        """Template name -> the blocks it and the templates it extends define."""
        self._checking: set[str] = set()
        """Templates being checked, so that a template including itself is checked once."""
        self._timed_out: dict[str, TemplateTimeout] = {}

    def template(self, name: str) -> jinja2.Template:
        """Return the compiled template `name`, checking it statically the first time (see the module docstring)."""
        if name in self._checked:
            return self._checked[name]
        self._checking.add(name)
        try:
            template = self.env.get_template(name)
            self._check_markup(name)
            self._blocks[name] = self._check_references(name)
        except jinja2.TemplateSyntaxError as exc:
            raise TemplateError(located(exc.filename or exc.name or name, exc.lineno, exc.message or "syntax error")) from None
        except jinja2.TemplateNotFound as exc:
            raise TemplateError(f"template {exc.name!r} not found on the template search path") from None
        finally:
            self._checking.discard(name)
        self._checked[name] = template
        return template

    def render(self, name: str, context: Mapping[str, Any]) -> str:
        """Render template `name` within the template budget; raise TemplateError naming the template file and line.

        A template that ran out of time once is not run again by this renderer: `check` and a
        batch render the same template for many briefs, and each would take as long.
        """
        if name in self._timed_out:
            raise self._timed_out[name]
        template = self.template(name)
        language = _language(context.get("brief"))
        token = _RENDERING_WORDS.set((self, language, self.words(language)))
        try:
            return template.render(context)
        except TemplateTimeout as exc:
            self._timed_out[name] = exc
            raise
        finally:
            _RENDERING_WORDS.reset(token)

    def source_path(self, name: str) -> str:
        """Return the file a template name resolves to, for messages."""
        try:
            _, filename, _ = self.env.loader.get_source(self.env, name)  # type: ignore[union-attr]
        except jinja2.TemplateNotFound:
            return name
        return filename or name

    def words(self, language: str) -> Words:
        """Return the words of `language`, with this search path's overrides (`words.catalogue`)."""
        return catalogue(language, self.folders)

    def _words_of(self, context: Context) -> Words:
        """Return the words of the brief being rendered (English when a template has no brief)."""
        language = _language(context.get("brief"))
        rendering = _RENDERING_WORDS.get()
        if rendering is not None and rendering[0] is self and rendering[1] == language:
            return rendering[2]
        return self.words(language)

    @jinja2.pass_context
    def _text(self, context: Context, key: str, **args: Any) -> str:
        """`t('key', name=value)`: the message `key` in the brief's language (a plural one picks its form by `count`)."""
        return self._words_of(context).text(str(key), markup=context.eval_ctx.autoescape, **args)

    @jinja2.pass_context
    def _long_date(self, context: Context, value: dt.date | None) -> str:
        """Format a date the brief's language's way: '15 November 2025', '2025年11月15日'."""
        return self._words_of(context).date(value)

    @jinja2.pass_context
    def _stop(self, context: Context, text: object) -> str:
        """Return the full stop `text` needs to end a sentence in the brief's language ("." or "。"), or ""."""
        return full_stop(text, self._words_of(context).text("punctuation.end"))

    @jinja2.pass_context
    def _number(self, context: Context, value: float, decimals: int | None = None) -> str:
        """Format a number as every chart and table prints it (`numbers.format_number`); `decimals` fixes how many."""
        return self._words_of(context).number(value, decimals)

    @jinja2.pass_context
    def _percent(self, context: Context, share: float) -> str:
        """Format a share (0.15) as a percentage the brief's language's way: '15%', '15 %'."""
        return self._words_of(context).percent(share)

    @jinja2.pass_context
    def _label(self, context: Context, label: str) -> str:
        """Return a claim's label (UNVERIFIED, SOURCES DISAGREE...) as the brief's language prints it."""
        return self._words_of(context).text(label_key(label)) if label in KINDS else label

    @jinja2.pass_context
    def _list(self, context: Context, items: Sequence[str], alternatives: bool = False) -> str:
        """Join items as the brief's language lists them: 'A, B and C' ('A, B or C' with `alternatives`)."""
        return self._words_of(context).list([str(item) for item in items], "or" if alternatives else "standard")

    def _check_references(self, name: str) -> frozenset[str]:
        """Check the templates `name` extends, includes or imports; return the blocks it can override.

        A block a child template defines that its parent lacks would be silently ignored by Jinja:
        it is an error naming the child's line.
        """
        assert self.env.loader is not None
        source, filename, _ = self.env.loader.get_source(self.env, name)
        tree = self.env.parse(source, name, filename)
        where = filename or name
        parents: list[str] = []
        for node in tree.find_all((nodes.Extends, nodes.Include, nodes.Import, nodes.FromImport)):
            used = getattr(node, "template", None)
            if not isinstance(used, nodes.Const) or not isinstance(used.value, str) or getattr(node, "ignore_missing", False):
                continue  # a name computed at render time is checked when it is rendered
            if isinstance(node, nodes.Extends) and used.value == name:
                raise TemplateError(located(where, node.lineno, f"a template cannot extend itself: to build on the built-in one, "
                                            f'write {{% extends "builtin/{name}" %}}'))
            self._check_used(used.value, where, node.lineno)
            if isinstance(node, nodes.Extends):
                parents.append(used.value)
        own = _outer_blocks(tree)
        if not parents:
            return frozenset(block.name for block in tree.find_all(nodes.Block))
        available = frozenset().union(*(self._blocks.get(parent, frozenset()) for parent in parents))
        for block in own:
            if block.name not in available:
                raise TemplateError(located(where, block.lineno, f"{{% block {block.name} %}} is not a block of {parents[0]}, so it would "
                                            f"never show: override one of {', '.join(sorted(available))}"))
        return available | frozenset(block.name for block in tree.find_all(nodes.Block))

    def _check_used(self, used: str, where: str, line: int) -> None:
        """Check a template another one names at `where`:`line`; say what to do when there is none."""
        if used in self._checking:
            return
        assert self.env.loader is not None
        try:
            self.env.loader.get_source(self.env, used)
        except jinja2.TemplateNotFound:
            raise TemplateError(located(where, line, f"template {used!r} not found: name a file in a template folder, relative "
                                        "to it ('..' and absolute paths are refused), or builtin/<name> for a built-in one")) from None
        self.template(used)

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


def _outer_blocks(node: nodes.Node) -> list[nodes.Block]:
    """Return the blocks of a template that are not inside another block (those a child overrides)."""
    found: list[nodes.Block] = []
    for child in node.iter_child_nodes():
        found += [child] if isinstance(child, nodes.Block) else _outer_blocks(child)
    return found


def _language(brief: Any) -> str:
    """Return the language of the brief a template renders (English when it has none)."""
    return str(getattr(brief, "language", ENGLISH)) if brief is not None else ENGLISH
