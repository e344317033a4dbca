"""`check` reads the laid-out briefs: a template of one's own cannot print a claim not confirmed without its label."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from conftest import DEFAULT_DATA, Result

Cli = Callable[..., Result]

FORGETFUL = """{% extends "builtin/brief.html.j2" %}
{% block claims scoped %}
<h1 id="claims">Claims in circulation</h1>
<ul>
{% for fact in brief.claims %}<li>{{ fact.text }}{{ cites(fact.citations) }}</li>
{% endfor %}
</ul>
{% endblock %}
"""

TRANSLATED = FORGETFUL.replace("<li>{{ fact.text }}", '<li><span class="label {{ fact.label|lower }}">NON CONFIRMÉ</span> {{ fact.text }}'
                                ).replace("{{ cites(fact.citations) }}</li>", "{{ cites(fact.citations) }}{{ disputes(fact) }}</li>")


def templates_with(tmp_path: Path, body: str) -> Path:
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "brief.html.j2").write_text(body, encoding="utf-8")
    return folder


def test_a_template_that_drops_the_labels_of_claims_is_an_error_and_nothing_is_written(cli: Cli, tmp_path: Path) -> None:
    folder = templates_with(tmp_path, FORGETFUL)
    checked = cli("check", "--data", DEFAULT_DATA, "--templates", folder)
    assert checked.code == 1
    assert "error: the investor brief prints the claim “" in checked.out and "without its unverified label" in checked.out
    assert "brief.html.j2" in checked.out
    written = cli("--data", DEFAULT_DATA, "--templates", folder, "--out", tmp_path / "out")
    assert written.code == 1
    assert not (tmp_path / "out").exists()


def test_a_label_in_other_words_but_of_its_kind_is_enough(cli: Cli, tmp_path: Path) -> None:
    folder = templates_with(tmp_path, TRANSLATED)
    checked = cli("check", "--data", DEFAULT_DATA, "--templates", folder)
    assert "unlabelled-claim" not in checked.out and "without its" not in checked.out, checked.out


def test_the_built_in_template_prints_every_label_and_every_disagreement(cli: Cli) -> None:
    checked = cli("check", "--data", DEFAULT_DATA, "--strict")
    assert "without its" not in checked.out, checked.out
