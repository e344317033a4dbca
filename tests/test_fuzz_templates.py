"""Property-based runs over templates: whatever a user writes into a brief template, an e-mail
template or a `--subject`, rendering it ends within the time budget (plus a margin) in text or in
one TemplateError, never another exception, a hang or a crash.

Templates are drawn from a grammar of Jinja fragments: expressions with huge numbers, operators,
filters and string methods with big arguments, loops, macros (recursive ones too), includes,
undefined names and broken syntax. Each render runs in a forked child (tests/forking.py) with a
lowered time budget. The default run tries a few dozen per kind, the same ones every time; CI
runs thousands (BRIEFS_FUZZ_EXAMPLES=N, fresh each run).
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path

from forking import in_child
from fuzzing import fuzz
from hypothesis import given
from hypothesis import strategies as st

from briefs import budget
from briefs.delivery.messages import MailTemplates
from briefs.rendering import Renderer

FUZZ_TEMPLATES = fuzz(cost=4)  # each input renders in a forked child: a quarter as many as the cheapest tests

SECONDS = 0.1
"""The time budget of a render under test."""
MARGIN = 3.0
"""What a child may take beyond it (forking, a loaded machine) before it counts as hung."""

NUMBERS = ["0", "1", "-1", "7", "n", "99999", "10**9", "10**(10**11)", "2**64", "9" * 30, "1.5", "1e308", "-10**6", "(n*n)"]
STRINGS = ["'x'", "'%999999999d'", "'{:>999999999}'", "'{:>{}}'", "'\\t'", "''", "'a'*10**8", "'ab'*n", "'<&>'", "'%*d'",
           "'%.99999f'", "'{0.__class__}'", "'{}'"]
NAMES = ["n", "nope", "brief", "recipient", "ns.s", "loop", "range", "lipsum", "cycler", "joiner", "namespace", "dict"]
BINARY = ["+", "-", "*", "/", "//", "%", "**", "~", "and", "or", "==", "in"]
FILTERS = ["center({})", "indent({})", "wordwrap({})", "truncate({})", "batch({})|list", "slice({})|list", "format({})",
           "join({})", "int", "round({})", "replace('x', {})", "list", "length", "string", "sum", "first", "random",
           "number({})", "longdate", "e", "safe", "trim", "title", "reverse", "unique|list", "sort", "default({})"]
METHODS = ["ljust({})", "center({})", "zfill({})", "expandtabs({})", "format({})", "replace('x', {})", "split({})",
           "join({})", "upper()", "count({})", "format_map({})", "__class__", "mro()", "append({})", "extend({})"]
BROKEN = ["{% for %}", "{{", "}}", "{% endif %}", "{% if %}", "{{ 1 + }}", "{% macro %}", "{% include %}", "{% raw %}",
          "{# unterminated", "{% set %}", "{{ ) }}", "{% block b %}{% block b %}{% endblock %}{% endblock %}"]


def _expressions(depth: int = 2) -> st.SearchStrategy[str]:
    """Return a strategy for Jinja expressions, nested up to `depth` operators, filters or calls."""
    leaf = st.sampled_from(NUMBERS + STRINGS + NAMES + ["[1, 2]", "('x', 'y')", "{'a': 1}", "range(n)", "range(100000)",
                                                       "m(n)", "m(n + 1)", "caller()"])
    if depth == 0:
        return leaf
    inner = _expressions(depth - 1)
    return st.one_of(
        leaf,
        st.tuples(inner, st.sampled_from(BINARY), inner).map(lambda t: f"({t[0]} {t[1]} {t[2]})"),
        st.tuples(inner, st.sampled_from(FILTERS), inner).map(lambda t: f"({t[0]}|{t[1].format(t[2])})"),
        st.tuples(inner, st.sampled_from(METHODS), inner).map(lambda t: f"({t[0]}).{t[1].format(t[2])}"),
    )


@st.composite
def _statements(draw: st.DrawFn, depth: int = 2) -> str:
    """Return one template statement: output, a loop, a macro, an include, a namespace update, or broken syntax."""
    expression = draw(_expressions())
    kinds = ["output", "output", "set", "include", "broken", "text"] + (["for", "macro", "if", "call"] if depth else [])
    kind = draw(st.sampled_from(kinds))
    body = "".join(draw(st.lists(_statements(depth - 1), max_size=2))) if depth else ""
    if kind == "output":
        return f"{{{{ {expression} }}}}"
    if kind == "set":
        return f"{{% set ns.s = {expression} %}}"
    if kind == "include":
        tag = draw(st.sampled_from(["include", "include", "extends", "import"]))
        used = draw(st.sampled_from(["self", "other", "missing", "n"]))
        return f"{{% {tag} {used!r}{' as x' if tag == 'import' else ''} %}}".replace("'n'", "n")
    if kind == "broken":
        return draw(st.sampled_from(BROKEN))
    if kind == "text":
        return draw(st.sampled_from(["words ", "\n", "R&amp;D ", "{{ '{{' }}"]))
    if kind == "for":
        return f"{{% for i in {expression} %}}{body}{{% endfor %}}"
    if kind == "macro":
        return f"{{% macro m(n) %}}{body}{{% endmacro %}}"
    if kind == "call":
        return f"{{% call m(n) %}}{body}{{% endcall %}}"
    return f"{{% if {expression} %}}{body}{{% else %}}{body}{{% endif %}}"


@st.composite
def templates(draw: st.DrawFn) -> str:
    """Return a template: a namespace and a few statements drawn from the grammar."""
    return "{% set ns = namespace(s='ab') %}" + "".join(draw(st.lists(_statements(), min_size=1, max_size=4)))


def _renders_or_fails_cleanly(work: Callable[[], object]) -> None:
    """Assert that `work`, run with the lowered budget, gives text or one TemplateError in time."""
    def budgeted() -> object:
        budget.BUDGET = budget.Budget(seconds=SECONDS)  # in the forked child only
        return work()

    outcome, text, seconds = in_child(budgeted, SECONDS + MARGIN)
    assert outcome in ("ok", "TemplateError"), (outcome, text)
    assert seconds < SECONDS + MARGIN
    if outcome == "TemplateError":
        assert text and "\n" not in text and "Traceback" not in text, text


def _folder(tmp: str, name: str, source: str) -> Path:
    """Write `source` as template `name`, with 'self' and 'other' templates to include."""
    folder = Path(tmp)
    (folder / name).write_text(source, encoding="utf-8")
    (folder / "self").write_text(source, encoding="utf-8")
    (folder / "other").write_text("{% include 'self' %}", encoding="utf-8")
    return folder


@FUZZ_TEMPLATES
@given(templates())
def test_any_brief_template_renders_or_fails_with_one_template_error_in_time(source: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = _folder(tmp, "brief.html.j2", source)
        _renders_or_fails_cleanly(lambda: Renderer([folder]).render("brief.html.j2", {"n": 7}))


@FUZZ_TEMPLATES
@given(templates())
def test_any_mail_template_renders_or_fails_with_one_template_error_in_time(source: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = _folder(tmp, "email.txt.j2", source)
        _renders_or_fails_cleanly(lambda: MailTemplates(Renderer([folder]), "s").render("email.txt.j2", {"n": 7}))


@FUZZ_TEMPLATES
@given(templates())
def test_any_subject_renders_or_fails_with_one_template_error_in_time(subject: str) -> None:
    _renders_or_fails_cleanly(lambda: MailTemplates(Renderer(), subject).render("subject", {"n": 7}))
