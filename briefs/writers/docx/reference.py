"""Write the built-in theme's Word reference document: `python -m briefs.writers.docx.reference [PATH]`.

The shipped `templates/styles/reference.docx` (what `init` copies for users to restyle in Word)
is this script's output for `templates/styles/theme.yaml`; a test fails when the two disagree,
so the built-in look lives in one file, the theme, and the reference is never edited by hand.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

from ...resources import builtin_templates_dir
from ...theme import load_theme
from .base import base, new_document
from .package import save_deterministic
from .styling import LABEL_STYLE, TABLE_STYLE, label_style

__all__ = ["reference_bytes"]

_SAMPLES = (
    ("Title", "Title: the brief's title"),
    ("Subtitle", "Subtitle"),
    ("Brief Meta", "Brief Meta: who the brief is for, and its date"),
    ("Bottom Line", "Bottom Line: the one thing to know"),
    ("Heading 1", "Heading 1: a section"),
    ("Normal", "Normal: body text. Change the styles, the page size and margins, add a header or footer with "
               "your logo, and save: the briefs take them. This text is never copied into a brief."),
    ("List Bullet", "List Bullet: a key fact"),
    ("List Number", "List Number: a takeaway"),
    ("Heading 2", "Heading 2"),
    ("Heading 3", "Heading 3"),
    ("Question", "Question: a question of the FAQ (a level-2 heading)"),
    ("Intense Quote", "Intense Quote: a note"),
    ("Caveat", "Caveat: a caveat"),
    ("Caption", "Caption: Figure 1. A chart's caption."),
    ("Source Entry", "Source Entry: [1] Publisher. Title. 1 January 2025. https://example.org."),
    ("Small Print", "Small Print"),
    ("Quote", "Quote: the disclaimer"),
)
"""One paragraph per style a brief uses, so that a user sees what to restyle."""


def reference_bytes(theme_file: Path | None = None) -> bytes:
    """Return the reference document of a theme file (default: the built-in theme): its base and a sample of each style."""
    theme = load_theme(theme_file or builtin_templates_dir() / "styles" / "theme.yaml")
    document = new_document(base(theme))
    for style, text in _SAMPLES:
        document.add_paragraph(text, style=style)
    labels = document.add_paragraph("Labels: ", style="Normal")
    for kind, _ in theme.label_colours:
        labels.add_run(kind.upper(), style=label_style(kind))
        labels.add_run(" ")
    labels.add_run("OTHER", style=LABEL_STYLE)
    table = document.add_table(rows=3, cols=2, style=TABLE_STYLE)
    for row, cells in enumerate((("Table header", "Value"), ("Row", "1"), ("Row", "2"))):
        for column, text in enumerate(cells):
            table.cell(row, column).text = text
            table.cell(row, column).paragraphs[0].style = document.styles["Table Text"]
    out = io.BytesIO()
    save_deterministic(document, out)
    return out.getvalue()


def main(argv: list[str]) -> int:
    target = Path(argv[0]) if argv else builtin_templates_dir() / "styles" / "reference.docx"
    target.write_bytes(reference_bytes())
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
