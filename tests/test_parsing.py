"""The markup parser, as text fixtures: title, input markup, expected dump (or error)."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefs.doctree import (
    Block,
    BulletList,
    Callout,
    Citation,
    Emphasis,
    Figure,
    Heading,
    Inline,
    Label,
    Link,
    OrderedList,
    Paragraph,
    Strong,
    Table,
    Text,
)
from briefs.parsing import MarkupError, parse_blocks

FIXTURES = Path(__file__).parent / "fixtures" / "parsing.txt"


def _cases() -> list[tuple[str, str, str]]:
    cases = []
    for chunk in FIXTURES.read_text(encoding="utf-8").split("\n# ")[0:]:
        title, _, rest = chunk.lstrip("# ").partition("\n.\n")
        markup, _, expected = rest.partition("\n.\n")
        cases.append((title.strip(), markup, expected.rstrip().removesuffix("\n.").rstrip(".").rstrip()))
    return cases


def _inline(node: Inline) -> str:
    match node:
        case Text(text=text):
            return f'"{text}"'
        case Strong(children=c):
            return f"strong({_inlines(c)})"
        case Emphasis(children=c):
            return f"em({_inlines(c)})"
        case Link(href=href, children=c):
            return f"link({href}:{_inlines(c)})"
        case Citation(numbers=numbers):
            return f"cite({','.join(map(str, numbers))})"
        case Label(text=text, kind=kind):
            return f'label({kind}:"{text}")'
    raise AssertionError(node)


def _inlines(nodes: tuple[Inline, ...]) -> str:
    return " ".join(_inline(n) for n in nodes)


def _block(block: Block) -> str:
    match block:
        case Heading(level=level, children=c, anchor=anchor):
            return f"Heading{level}{'#' + anchor if anchor else ''}: {_inlines(c)}"
        case Paragraph(children=c, role=role, anchor=anchor):
            return f"Paragraph[{role}]{'#' + anchor if anchor else ''}: {_inlines(c)}"
        case BulletList(items=items) | OrderedList(items=items):
            return f"{type(block).__name__}: " + " ".join(f"[{_inlines(i)}]" for i in items)
        case Table(header=header, rows=rows, numeric=numeric):
            cells = " ".join(f"[{_inlines(c)}]" for c in header)
            body = " | ".join(" ".join(f"[{_inlines(c)}]" for c in row) for row in rows)
            return f"Table num={numeric}: {cells} / {body}"
        case Callout(children=children, role=role):
            return f"Callout[{role}]: " + " ".join(_block(p) for p in children)
        case Figure(id=figure_id):
            return f"Figure {figure_id}"
    raise AssertionError(block)


@pytest.mark.parametrize(("title", "markup", "expected"), _cases(), ids=[c[0] for c in _cases()])
def test_parser_fixture(title: str, markup: str, expected: str) -> None:
    try:
        dump = "\n".join(_block(b) for b in parse_blocks(markup, {}))
    except MarkupError as exc:
        dump = f"error line {exc.line}: {exc.message}" if exc.line else f"error: {exc.message}"
    assert dump == expected


def test_every_label_kind_a_template_may_print_has_its_colour_in_the_theme() -> None:
    from briefs.models import LABEL_KINDS
    from briefs.theme import ThemeFile
    from briefs.writers.theme import Theme

    assert [kind for kind, _ in Theme().label_colours] == list(LABEL_KINDS)
    colours = ThemeFile.model_validate({"colours": {"labels": dict.fromkeys(LABEL_KINDS, "#000000")}}).colours
    assert colours.labels.keys() == set(LABEL_KINDS)
