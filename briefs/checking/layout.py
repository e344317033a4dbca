"""The checks of profiles, the topic scheme, templates (brief and e-mail) and styles (theme, reference document)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import jinja2

from ..brief import Brief
from ..compose import compose
from ..doctree import Document
from ..errors import TemplateError, ThemeError
from ..models import Profile
from ..rendering import DEFAULT_TEMPLATE, Renderer
from ..topics import Scheme, parse_scheme
from ..validation import field_name
from ..writers import WRITERS, ReferenceReader
from ..yamlsource import YamlError, read_yaml
from .findings import LOCATED, Finding, Loaded, Severity, known, load_file, located_finding, schema_hint


def read_scheme(path: Path) -> tuple[Loaded[Any], Scheme]:
    """Read the topic scheme; its problems are findings, and an unusable scheme reads as empty."""
    try:
        doc = read_yaml(path)
    except YamlError as exc:
        finding = Finding(str(path), exc.line, "error", "invalid-yaml", exc.message, "fix the YAML at this line")
        return Loaded(path, None, None, [finding]), Scheme(path, {})
    item: Loaded[Any] = Loaded(path, doc, None)
    if not isinstance(doc.value, dict):
        item.findings.append(item.at((), "error", "invalid", "expected a mapping of topic ids to topics at the top level",
                                     "e.g. `markets: {label: Markets and prices}`"))
        return item, Scheme(path, {})
    scheme, problems = parse_scheme(doc, path)
    for problem in problems:
        item.findings.append(item.at(problem.path, "error", problem.code, f"{field_name(problem.path)}: {problem.message}",
                                     "each topic is `id: {label: ..., broader: [scheme ids]}` or `id: Label`"))
    return item, scheme


def style_findings(theme: Path | None, reference_docx: Path | None) -> list[Finding]:
    """Check the theme (every key, then its fonts and logo) and the reference document."""
    findings: list[Finding] = []
    if theme is not None:
        from ..theme import ThemeFile, load_theme

        item = load_file(theme, ThemeFile, "theme", empty_ok=True)
        findings += item.findings
        if not item.findings:
            try:
                load_theme(theme)
            except ThemeError as exc:
                findings.append(located_finding(exc, "theme", schema_hint(ThemeFile, "theme")))
    for spec in WRITERS.values():
        if reference_docx is None or spec.reference is None:
            continue
        try:
            spec.reference.check(reference_docx)
        except ThemeError as exc:
            findings.append(located_finding(exc, "reference-docx", "save the reference document from Word or LibreOffice as .docx"))
        else:
            findings += _reference_over_theme(theme, reference_docx, spec.reference)
    return findings


def deck_findings(deck: Path | None) -> list[Finding]:
    """Check a templates folder's reference deck: a deck the PPTX writer cannot use stops every run that writes."""
    if deck is None:
        return []
    checks = [spec.deck_check for spec in WRITERS.values() if spec.deck_check is not None]
    try:
        for check_deck in checks:
            check_deck(deck)
    except ThemeError as exc:
        return [located_finding(exc, "reference-pptx", "save the deck from PowerPoint or Impress as .pptx with those layouts")]
    return []


def _reference_over_theme(theme: Path | None, reference_docx: Path, reader: ReferenceReader) -> list[Finding]:
    """Warn that a changed reference document's Word styles win over the theme's in the DOCX."""
    if theme is None or reader.is_builtin(reference_docx):
        return []
    return [Finding(str(reference_docx), 1, "warning", "reference-over-theme",
                    f"the DOCX briefs take their Word styles (fonts, colours, labels, page) from this reference document, "
                    f"not from the theme {theme.name}; the theme still colours the chart and styles the PDF and HTML",
                    "remove the reference document (styles/reference.docx) to let the theme style the DOCX too, or "
                    "restyle it in Word to match")]


def profile_findings(item: Loaded[Profile], profile: Profile, topics: set[str] | None) -> Iterator[Finding]:
    if topics is not None:
        yield from interest_findings(item, list(profile.interests), topics)
    for section, why in (("caveats", "labelled claims would not be explained"), ("sources", "citation numbers would point nowhere")):
        if section not in profile.sections:
            yield item.at(("sections",), "warning", "missing-section", f"sections: no {section!r} section, so {why}",
                          f"add {section} to `sections:`")


def interest_findings(item: Loaded[Profile], interests: Iterable[str], topics: set[str]) -> Iterator[Finding]:
    for topic in interests:
        if topic not in topics:
            yield item.at(("interests", topic), "error", "unknown-topic",
                          f"interests.{topic}: neither the topic scheme nor a data file defines topic {topic!r}",
                          known("use a topic of the scheme or of a data file's `topics:`", topic, topics))


def raw_interests(item: Loaded[Profile]) -> list[str]:
    """Return the topic keys of a profile that did not validate, as written (none when unreadable)."""
    value = item.doc.value if item.doc else None
    interests = value.get("interests") if isinstance(value, dict) else None
    return [str(key) for key in interests] if isinstance(interests, dict) else []


def template_findings(
    renderer: Renderer, names: Sequence[str], briefs: Sequence[tuple[Path, Mapping[tuple[Path, str], Brief]]],
    profiles: Sequence[tuple[Loaded[Profile], Profile]], recipient: Severity | None,
) -> tuple[list[Finding], dict[tuple[Path, str], Document]]:
    """Load every template and lay out every brief in memory; return one finding per distinct error, and the documents.

    `briefs` gives, for each data file, its briefs by (file, audience): each is laid out once here, and
    the documents are what the command that runs next writes.
    """
    found: dict[str, Finding] = {}
    documents: dict[tuple[Path, str], Document] = {}
    broken: set[str] = set()
    for name in names:
        try:
            renderer.template(name)
        except TemplateError as exc:
            broken.add(name)
            users = [item for item, profile in profiles if profile.template == name]
            found.setdefault(str(exc), _template_finding(renderer, name, exc, users[0] if users else None))
    for path, selected in briefs:
        for item, profile in profiles:
            name = profile.template or DEFAULT_TEMPLATE
            brief = selected.get((path, profile.id))
            if name in broken or brief is None:
                continue
            try:
                documents[path, profile.id] = compose(brief, renderer, template=profile.template)
            except TemplateError as exc:
                finding = _template_finding(renderer, name, exc, item, f" (laying out {brief.dataset_id} for {profile.id})")
                if "'recipient' is undefined" in str(exc):
                    if recipient is None:
                        continue
                    finding = replace(finding, severity=recipient, code="needs-recipient", hint=(
                        "only a batch run has `recipient`, so briefs without one fail: test it with "
                        "{% if recipient is defined %}"))
                found.setdefault(str(exc), finding)
    return list(found.values()), documents


MAIL_TEMPLATES = ("email.txt.j2", "email.html.j2")
"""The bodies `send` writes: compiled here, so a syntax error is found before a list is sent."""


def mail_template_findings(renderer: Renderer) -> list[Finding]:
    found = []
    for name in MAIL_TEMPLATES:
        try:
            renderer.env.get_template(name)
        except jinja2.TemplateSyntaxError as exc:
            found.append(Finding(exc.filename or renderer.source_path(name), exc.lineno, "error", "template", exc.message or "syntax error",
                                 "the e-mail templates are Jinja2; see the README of the templates folder"))
        except (jinja2.TemplateNotFound, TemplateError):
            continue  # not on the search path, or not text: `send` says so when it needs it
    return found


def _template_finding(renderer: Renderer, name: str, exc: TemplateError, user: Loaded[Profile] | None, context: str = "") -> Finding:
    """Place a template error at its template line when known, else at the profile naming the template."""
    hint = "templates write a small HTML vocabulary, listed in the README of the templates folder (`init` copies it)"
    match = LOCATED.match(str(exc))
    if match:
        return Finding(match["file"], int(match["line"]), "error", "template", match["message"] + context, hint)
    path = renderer.source_path(name)
    if path == name and user is not None and user.model is not None and user.model.template == name:
        return user.at(("template",), "error", "template", f"template: {exc}", "name a template on the template search path (--templates)")
    return Finding(path, None, "error", "template", str(exc).removeprefix(f"{path}: ") + context, hint)
