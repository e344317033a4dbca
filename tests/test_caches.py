"""What the writers keep between briefs never outlives the file or theme it was made from."""

from __future__ import annotations

import io
import re
from pathlib import Path

from kitchen_sink import kitchen_sink
from PIL import Image
from pypdf import PdfReader

from briefs.writers import Logo, Style
from briefs.writers.docx import write as write_docx
from briefs.writers.pdf import write as write_pdf
from briefs.writers.theme import Theme


def _drawn_logo_shape(data: bytes) -> float:
    """Return height / width of the first image drawn on page 1, from the page's `cm` operator before its `Do`."""
    content = PdfReader(io.BytesIO(data)).pages[0].get_contents().get_data().decode("latin-1")
    match = re.search(r"([\d.]+) 0 0 ([\d.]+) 0 0 cm\s*/FormXob\.(?!total)\w+ Do", content)
    assert match is not None, "no image drawn on page 1"
    return float(match[2]) / float(match[1])


def test_a_logo_saved_anew_is_drawn_in_its_new_proportions(tmp_path: Path) -> None:
    logo = tmp_path / "logo.png"
    shapes = []
    for size in ((200, 100), (100, 300)):
        Image.new("RGB", size, "navy").save(logo)
        out = io.BytesIO()
        write_pdf(kitchen_sink(), out, Style(logo=Logo(logo)))
        shapes.append(_drawn_logo_shape(out.getvalue()))
    assert [round(shape, 2) for shape in shapes] == [0.5, 3.0]


def test_equal_themes_made_apart_give_identical_documents() -> None:
    """Caches are keyed by what a theme says, not by which object says it: a second, equal theme reuses the first's work."""
    outputs = {}
    for fmt, write in (("pdf", write_pdf), ("docx", write_docx)):
        made = []
        for _ in range(2):
            out = io.BytesIO()
            write(kitchen_sink(), out, Style(theme=Theme(base_font_size=11)))
            made.append(out.getvalue())
        outputs[fmt] = made
    assert set(outputs) == {"pdf", "docx"}
    assert all(first == second for first, second in outputs.values())
