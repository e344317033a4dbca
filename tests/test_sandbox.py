"""The template budget: a hostile template ends quickly in one located TemplateError, never a hang or a crash.

Each attack runs in a forked child with a hard timeout (tests/forking.py), so a template that
still hangs fails its test instead of stopping the suite.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import jinja2
import pytest
from conftest import run_cli
from forking import in_child
from jinja2.sandbox import SandboxedEnvironment

from briefs import budget
from briefs.delivery.messages import MailTemplates
from briefs.pipeline import load_inputs
from briefs.rendering import Renderer
from briefs.selection import select

ROOT_DIR = Path(__file__).resolve().parent.parent
DATA = ROOT_DIR / "data" / "us-japan-critical-minerals-2025.yaml"
QUICK = 0.3
"""The time limit the tests set (seconds), so that a loop that is stopped is stopped fast."""
MARGIN = 3.0
"""What a child may take beyond its time limit before it counts as hung (forking, a loaded machine)."""


@pytest.fixture(autouse=True)
def _quick_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(budget, "BUDGET", budget.Budget(seconds=QUICK), raising=False)


def _in_child(work: Callable[[], object], limit: float = QUICK) -> tuple[str, str, float]:
    """Run `work` in a forked child given `limit` seconds of budget and a margin; see forking.in_child."""
    return in_child(work, limit + MARGIN)


def _brief_template(folder: Path, source: str, **others: str) -> Callable[[], str]:
    """Write brief.html.j2 (and `others`) into `folder`; return a function that renders it."""
    (folder / "brief.html.j2").write_text(source, encoding="utf-8")
    for name, text in others.items():
        (folder / name.replace("_", ".")).write_text(text, encoding="utf-8")
    return lambda: Renderer([folder]).render("brief.html.j2", {"n": 7})


ATTACKS = {
    "recursive macro": ("{% macro m(n) %}{{ m(n + 1) }}{% endmacro %}{{ m(0) }}", r"brief\.html\.j2:1: .*deep"),
    "self include": ('<p>{% include "brief.html.j2" %}</p>', r"brief\.html\.j2:1: .*deep"),
    "nested range loops": ("{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
                           r"brief\.html\.j2:1: .*longer than 0\.3 s"),
    "nested string loops": ("{% for i in 'x'*99999 %}{% for j in 'x'*99999 %}{% endfor %}{% endfor %}",
                            r"brief\.html\.j2:1: .*longer than"),
    "huge power": ("{{ (10**(10**11)) % 7 }}", r"brief\.html\.j2:1: .*10,000 bits"),
    "huge repetition": ("{{ 'a'*10**8*30 }}", r"brief\.html\.j2:1: .*characters"),
    "huge ljust": ("{{ 'x'.ljust(10**10) }}", r"brief\.html\.j2:1: .*characters"),
    "huge percent width": ("{{ '%999999999d' % 1 }}", r"brief\.html\.j2:1: .*width"),
    "huge format width": ("{{ '{:>999999999}'.format(1) }}", r"brief\.html\.j2:1: .*width"),
    "huge center filter": ("{{ 'x'|center(10**9) }}", r"brief\.html\.j2:1: .*filter (map|center)"),
    "huge format filter": ("{{ '%.999999999f'|format(1) }}", r"brief\.html\.j2:1: .*width"),
    "doubling concatenation": ("{% set ns = namespace(s='ab') %}{% for i in range(60) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}",
                               r"brief\.html\.j2:1: .*characters"),
    "output flood": ("{% macro m() %}{% for i in range(100000) %}{{ 'x'*1000000 }}{% endfor %}{% endmacro %}{{ m() }}",
                     r"brief\.html\.j2:1: .*(memory|characters|longer than)"),
    "escaped flood": ("{% set s = '<'*1000000 %}{% macro m() %}{% for i in range(100000) %}{{ s }}{% endfor %}{% endmacro %}{{ m() }}",
                      r"brief\.html\.j2:1: .*(memory|characters|longer than)"),
    "quadratic sum": ("{{ ([[1]*2000]*2000)|sum(start=[]) }}", r"brief\.html\.j2:1: .*filter sum"),
    "huge replacement": ("{{ ('x'*1000000)|replace('x', 'yy'*100) }}", r"brief\.html\.j2:1: .*filter replace"),
    "mapped filter": ("{{ ['x']|map('center', 10**9)|list }}", r"brief\.html\.j2:1: .*filter (map|center)"),
    "zero division": ("<p>\n{{ 1/0 }}</p>", r"brief\.html\.j2:2: ZeroDivisionError"),
}


@pytest.mark.parametrize("attack", ATTACKS)
def test_a_hostile_brief_template_ends_in_one_located_error_within_the_budget(tmp_path: Path, attack: str) -> None:
    source, message = ATTACKS[attack]
    outcome, text, seconds = _in_child(_brief_template(tmp_path, source))
    assert outcome == "TemplateError", (outcome, text)
    assert "\n" not in text
    assert seconds < QUICK + MARGIN
    assert re.search(message, text), text


def test_templates_including_each_other_end_in_one_located_error(tmp_path: Path) -> None:
    render = _brief_template(tmp_path, '<p>{% include "a.html.j2" %}</p>', a_html_j2='{% include "brief.html.j2" %}')
    outcome, text, _ = _in_child(render)
    assert outcome == "TemplateError", (outcome, text)
    assert "deep" in text and ".html.j2:1" in text


@pytest.mark.parametrize("source", ["{{ " + "(" * 5000 + "1" + ")" * 5000 + " }}", "{{ " + "9" * 5000 + " }}",
                                    "{{ " + "-" * 3000 + "1 }}", "{% if 1 %}" * 300 + "{% endif %}" * 300])
def test_a_template_too_deep_or_too_large_to_compile_gives_one_error_naming_it(tmp_path: Path, source: str) -> None:
    outcome, text, _ = _in_child(_brief_template(tmp_path, source))
    assert outcome == "TemplateError", (outcome, text)
    assert "brief.html.j2: the template nests too deep, or holds too long a number" in text


@pytest.mark.slow
def test_a_loop_stops_at_the_real_time_limit_of_a_brief(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(budget, "BUDGET", budget.Budget(), raising=False)
    render = _brief_template(tmp_path, "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}")
    outcome, text, seconds = _in_child(render, limit=2.0)
    assert outcome == "TemplateError", (outcome, text)
    assert "longer than 2 s" in text
    assert 2.0 <= seconds < 2.0 + MARGIN


def test_an_ordinary_template_renders_as_before(tmp_path: Path) -> None:
    render = _brief_template(tmp_path, "{% macro m(x) %}[{{ x }}]{% endmacro %}{% for i in range(3) %}{{ m(i) ~ '-' * 2 }}"
                                       "{% endfor %} {{ '%5.1f' % 2.25 }} {{ '{:>4}'.format(n) }} {{ 'x'|center(5) }} {{ 2**10 }}")
    assert render() == "[0]--[1]--[2]--   2.2    7   x   1024"


@pytest.mark.parametrize("subject", ["{{ 'a'*10**8*30 }}", "{{ 1/0 }}", "{% macro m() %}{{ m() }}{% endmacro %}{{ m() }}"])
def test_a_hostile_subject_ends_in_one_template_error(subject: str) -> None:
    outcome, text, _ = _in_child(lambda: MailTemplates(Renderer(), subject).render("subject", {}))
    assert outcome == "TemplateError", (outcome, text)
    assert "\n" not in text


def test_a_hostile_mail_body_ends_in_one_located_error(tmp_path: Path) -> None:
    (tmp_path / "email.txt.j2").write_text("Hello\n{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}\n",
                                           encoding="utf-8")
    outcome, text, _ = _in_child(lambda: MailTemplates(Renderer([tmp_path]), "s").render("email.txt.j2", {}))
    assert outcome == "TemplateError", (outcome, text)
    assert "email.txt.j2:2: " in text and "longer than" in text


@pytest.mark.parametrize("command", ["check", "generate"])
def test_a_hostile_templates_folder_stops_check_and_generate_with_nothing_written(tmp_path: Path, command: str) -> None:
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "brief.html.j2").write_text('{% extends "builtin/brief.html.j2" %}\n{% block summary %}\n'
                                             "{% for i in 'x'*99999 %}{% for j in 'x'*99999 %}{% endfor %}{% endfor %}"
                                             "\n{% endblock %}\n", encoding="utf-8")
    out = tmp_path / "out"
    extra = ["--out", str(out)] if command == "generate" else []

    outcome, text, seconds = _in_child(lambda: run_cli(command, "--data", DATA, "--templates", templates, *extra), limit=4 * QUICK)
    assert outcome == "ok", (outcome, text)
    assert seconds < 4 * QUICK + 2, "each audience's brief ran the slow template again"
    assert "code=1" in text and "Traceback" not in text, text
    assert "brief.html.j2:3: " in text and "longer than" in text, text
    assert not out.exists() or not any(out.rglob("*.*"))


@pytest.mark.slow
def test_the_budget_changes_no_built_in_brief() -> None:
    inputs = load_inputs([DATA])
    renderer = Renderer()
    plain = SandboxedEnvironment(loader=renderer.env.loader, autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True,
                                 lstrip_blocks=True, keep_trailing_newline=True)
    plain.filters.update(renderer.env.filters)
    plain.globals.update(renderer.env.globals)  # t(), the words of the brief's language
    assert len(inputs.profiles) == 4
    for profile in inputs.profiles.values():
        context = {"brief": select(inputs.datasets[0][1], profile)}
        budgeted = renderer.render("brief.html.j2", context)
        assert "<h2" in budgeted
        assert budgeted == plain.get_template("brief.html.j2").render(context)


def test_an_attribute_allowed_on_one_kind_of_object_stays_refused_on_another() -> None:
    """The sandbox keeps its answers per type and name: `mro` of a plain object is its own attribute, of a class it
    is Python's internals, whichever the template asked first."""
    from briefs.sandbox import BudgetedEnvironment

    class Plain:
        mro = "fine"

    for first in ("plain", "kind"):
        env = BudgetedEnvironment()
        for name in (first, "kind" if first == "plain" else "plain"):
            shown = env.from_string(f"{{{{ {name}.mro is defined }}}}").render(plain=Plain(), kind=int)
            assert shown == ("True" if name == "plain" else "False"), (first, name)  # int.mro exists: refused, not absent
