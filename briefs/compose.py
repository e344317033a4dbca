"""Compose: lay a Brief out with its template and parse the result into a Document."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .brief import Brief
from .doctree import DocMeta, Document, DocWords
from .errors import TemplateError
from .parsing import MarkupError, parse_blocks
from .personal import personal_markup
from .rendering import DEFAULT_TEMPLATE, Renderer
from .words import Words

__all__ = ["compose"]


def compose(
    brief: Brief,
    renderer: Renderer,
    *,
    template: str | None = None,
    recipient: Mapping[str, str] | None = None,
    page_size: str | None = None,
) -> Document:
    """Return the Document of `brief`, laid out by `template` (the profile's, else the default)."""
    name = template or DEFAULT_TEMPLATE
    markup = personal_markup(renderer, name, brief, recipient) if recipient is not None else None
    if markup is None:
        context: dict[str, Any] = {"brief": brief}
        if recipient is not None:
            context["recipient"] = dict(recipient)
        markup = renderer.render(name, context)
    try:
        blocks = parse_blocks(markup, {figure.id: figure for figure in brief.figures},
                              {source.number: source.cite_as for source in brief.sources if source.cite_as})
    except MarkupError as exc:
        snippet = markup.splitlines()[exc.line - 1].strip()[:80] if exc.line else ""
        where = f" (output line {exc.line}: {snippet!r})" if exc.line else ""
        raise TemplateError(f"{renderer.source_path(name)}: {exc.message}{where}") from None
    return Document(_meta(brief, page_size, renderer.words(brief.language)), blocks)


HEADER_CHARS = 70
"""The running header's share of a title: a longer one (without a `short_title`) is cut at a word, with an ellipsis."""


def _shortened(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0] if " " in text[: limit - 1] else text[: limit - 1]
    return cut.rstrip(" ,;:–-") + "…"


def _meta(brief: Brief, page_size: str | None, words: Words) -> DocMeta:
    size = page_size or brief.page_size or "A4"
    return DocMeta(
        title=brief.title,
        subject=words.text("meta.subject", audience=brief.audience_label),
        author=brief.author or brief.organisation or "briefs",
        keywords=brief.keywords,
        date=brief.as_of,
        header=f"{_shortened(brief.short_title, HEADER_CHARS)} · {brief.audience_label}",
        page_size=size,
        language=brief.language,
        words=DocWords.of(words),
    )
