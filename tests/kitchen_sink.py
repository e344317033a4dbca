"""A document holding every block and inline kind, for writer contract tests."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

from briefs.doctree import (
    BulletList,
    Callout,
    Citation,
    DocMeta,
    Document,
    Emphasis,
    Figure,
    Heading,
    Label,
    Link,
    OrderedList,
    Paragraph,
    Strong,
    Table,
    Text,
)

SCRIPTS = {
    "latin": "“Quoted” text – with dashes — and naïve café",
    "greek": "Ελληνικά: καλημέρα κόσμε",
    "cyrillic": "Кириллица: добрый день",
    "hebrew": "עברית: שלום עולם",
    "arabic": "العربية: مرحبا بالعالم",
    "japanese": "日本語: 高市早苗首相",
    "chinese": "中文: 稀土供应链",
    "korean": "한국어: 희토류 공급망",
    "emoji": "Emoji: 🌏⚡🔋",
    "math": "Math: ∑ ∫ √ ≤ ≥ ∞",
}


def kitchen_sink(page_size: str = "A4", rows: int = 8) -> Document:
    """Return a document with every node kind, several scripts, and a table of `rows` rows."""
    meta = DocMeta(
        title="Kitchen sink",
        subject="Brief for Testers",
        author="Test Org",
        keywords=("one", "two"),
        date=dt.date(2025, 11, 15),
        header="Kitchen sink · Testers",
        page_size="Letter" if page_size == "Letter" else "A4",
    )
    blocks = (
        Paragraph((Text("Kitchen sink"),), "title"),
        Paragraph((Text("Every node kind"),), "subtitle"),
        Paragraph((Text("Prepared for Testers"),), "meta"),
        Paragraph((Strong((Text("Bottom line:"),)), Text(" it all prints.")), "bottom-line"),
        Heading(1, (Text("Section one"),)),
        Paragraph((Text("Plain "), Strong((Text("strong"),)), Text(" "), Emphasis((Text("em"),)), Text(" "), Citation((1, 2)))),
        Paragraph((Label("UNVERIFIED", "unverified"), Text(" <b>&{{ 7*7 }}**x**"))),
        Heading(2, (Text("Scripts"),)),
        BulletList(tuple((Text(text),) for text in SCRIPTS.values())),
        OrderedList(((Text("first"),), (Text("second"),))),
        OrderedList(((Text("again first"),),)),
        Figure("fig", "A chart", (("China", 270000.0), ("United States", 45000.0), ("Myanmar", 31000.0)), "t REO",
               "Bar chart of three values.", (Text("Figure 1. A chart"),)),
        Table(
            (((Text("Name"),)), ((Text("Value"),))),
            tuple(((Text(f"Row {i}"),), (Text(f"{i * 1000:,}"),)) for i in range(rows)),
            (False, True),
        ),
        Heading(1, (Text("Sources"),)),
        Paragraph((Text("[1] Publisher. "), Link("https://example.org/" + "long-path-segment/" * 8, (Text("https://example.org/long"),))),
                  "source", "src-1"),
        Paragraph((Text("[2] Other publisher."),), "source", "src-2"),
        Callout((Paragraph((Text("Not advice."),)),), "disclaimer"),
    )
    return Document(meta, blocks)


KITCHEN_SINK = "kitchen-sink"
"""The name that stands for this document beside the default briefs' audiences in parametrized tests."""


def brief_bytes(default_out: Path, which: str, fmt: str) -> bytes:
    """Return a default brief (`which` an audience, read from `default_out`) or the kitchen sink, written in `fmt`."""
    if which != KITCHEN_SINK:
        return (default_out / f"{which}.{fmt}").read_bytes()
    from briefs.writers import Style, get_writer

    out = io.BytesIO()
    get_writer(fmt)(kitchen_sink(), out, Style())
    return out.getvalue()
