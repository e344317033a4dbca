"""A template rendered once per audience, each recipient's fields put in: the same markup as rendering for each recipient."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import DEFAULT_DATA

from briefs import personal
from briefs.compose import compose
from briefs.pipeline import load_inputs
from briefs.rendering import Renderer
from briefs.selection import select

RECIPIENTS = (
    {"name": "Ann Lee", "organisation": "Acme"},
    {"name": "Bob", "organisation": ""},
    {"name": "O'Brien & Sons <b>bold</b> {{ 7*7 }}", "organisation": "R&D \"Labs\""},
    {"name": "高市早苗", "organisation": "経済産業省"},
    {"name": "محمد علي", "organisation": "Org"},
    {"name": "  spaced   out  ", "organisation": "x"},
    {"name": "", "organisation": "Nameless Org"},
    {"name": "Zoë Ångström", "organisation": "Ångström AB"},
)


@pytest.fixture(scope="module")
def inputs():  # type: ignore[no-untyped-def]
    return load_inputs([DEFAULT_DATA])


def rendered(renderer: Renderer, name: str, brief: object, recipient: dict[str, str]) -> str:
    return renderer.render(name, {"brief": brief, "recipient": dict(recipient)})


@pytest.mark.parametrize("template", ["brief.html.j2", "onepage.html.j2"])
def test_the_built_in_templates_give_every_recipient_the_markup_rendered_for_them(inputs, template: str) -> None:  # type: ignore[no-untyped-def]
    renderer = inputs.renderer
    for profile in inputs.profiles.values():
        brief = select(inputs.datasets[0][1], profile)
        for recipient in RECIPIENTS:
            markup = personal.personal_markup(renderer, template, brief, recipient)
            assert markup is not None, (template, recipient)
            assert markup == rendered(renderer, template, brief, recipient), recipient
    assert any("Ann Lee" in markup for markup in (personal.personal_markup(renderer, template, brief, RECIPIENTS[0]),))


def _renderer(tmp_path: Path, body: str, **others: str) -> Renderer:
    (tmp_path / "brief.html.j2").write_text(body, encoding="utf-8")
    for name, text in others.items():
        (tmp_path / name.replace("_", ".")).write_text(text, encoding="utf-8")
    return Renderer([tmp_path])


ALLOWED = {
    "printed": "<p>{{ brief.title }} for {{ recipient.name }}</p>",
    "escaped filter": "<p>{{ recipient.name|e }}</p>",
    "presence and emptiness": "{% if recipient is defined and recipient.organisation is defined and recipient.organisation %}"
                              "<p>{{ recipient.organisation }}</p>{% else %}<p>none</p>{% endif %}",
    "a default": "<p>{{ recipient.name if recipient.name else 'Reader' }}</p>",
    "not empty": "{% if not recipient.name %}<p>Dear reader</p>{% endif %}<p>{{ recipient['name'] }}</p>",
}
INSPECTING = {
    "upper-cased": "<p>{{ recipient.name|upper }}</p>",
    "compared": "{% if recipient.name == 'Ann Lee' %}<p>VIP</p>{% endif %}<p>x</p>",
    "measured": "<p>{{ recipient.name|length }}</p>",
    "captured and compared": "{% set who %}{{ recipient.name }}{% endset %}{% if who == 'Ann Lee' %}<p>VIP</p>{% endif %}<p>x</p>",
    "in a macro": "{% macro m() %}{{ recipient.name }}{% endmacro %}{% if m() == 'Ann Lee' %}<p>VIP</p>{% endif %}<p>x</p>",
    "joined": "<p>{{ 'Dear ' ~ recipient.name }}</p>",
    "unescaped": "{% autoescape false %}<p>{{ recipient.name }}</p>{% endautoescape %}",
    "sliced": "<p>{{ recipient.name[:3] }}</p>",
    "looped": "{% for key, value in recipient.items() %}<p>{{ value }}</p>{% endfor %}",
    "assigned": "{% set n = recipient.name %}<p>{{ n }}</p>",
    "in a filter block": "{% filter replace('n', 'N') %}<p>{{ recipient.name }}</p>{% endfilter %}",
    "in an included template": '{% include "part.html.j2" %}',
}


@pytest.mark.parametrize("case", ALLOWED)
def test_a_template_that_only_prints_and_tests_fields_is_rendered_once(tmp_path: Path, inputs, case: str) -> None:  # type: ignore[no-untyped-def]
    renderer = _renderer(tmp_path, ALLOWED[case])
    brief = select(inputs.datasets[0][1], next(iter(inputs.profiles.values())))
    for recipient in RECIPIENTS:
        markup = personal.personal_markup(renderer, "brief.html.j2", brief, recipient)
        assert markup is not None
        assert markup == rendered(renderer, "brief.html.j2", brief, recipient)


@pytest.mark.parametrize("case", INSPECTING)
def test_a_template_that_reads_a_field_as_a_value_is_rendered_for_each_recipient(tmp_path: Path, inputs, case: str) -> None:  # type: ignore[no-untyped-def]
    renderer = _renderer(tmp_path, INSPECTING[case], part_html_j2="<p>{{ recipient.name|upper }}</p>")
    brief = select(inputs.datasets[0][1], next(iter(inputs.profiles.values())))
    assert personal.personal_markup(renderer, "brief.html.j2", brief, RECIPIENTS[0]) is None
    profile = next(iter(inputs.profiles.values()))
    document = compose(brief, renderer, template="brief.html.j2", recipient=RECIPIENTS[0])
    assert document == compose(brief, renderer, template="brief.html.j2", recipient=dict(RECIPIENTS[0]))
    assert profile is not None


def test_data_holding_the_marker_characters_is_rendered_for_each_recipient(tmp_path: Path, inputs) -> None:  # type: ignore[no-untyped-def]
    renderer = _renderer(tmp_path, "<p>{{ brief.title }} {{ recipient.name }}</p>")
    brief = select(inputs.datasets[0][1], next(iter(inputs.profiles.values())))
    from dataclasses import replace

    odd = replace(brief, title="Title \ue000\ue100\ue001")
    assert personal.personal_markup(renderer, "brief.html.j2", odd, RECIPIENTS[0]) is None
