"""The type scale (`writers.roles`): one table of sizes, read back from the DOCX, PDF and HTML alike."""

from __future__ import annotations

import io
import re
from pathlib import Path

import docx
import pytest
from pypdf import PdfReader

from briefs.errors import ThemeError
from briefs.theme import load_theme
from briefs.writers import Style, get_writer
from briefs.writers.roles import ROLES, scale
from briefs.writers.theme import Theme
from tests.kitchen_sink import kitchen_sink


def _written(theme: Theme, fmt: str) -> bytes:
    out = io.BytesIO()
    get_writer(fmt)(kitchen_sink(), out, Style(theme=theme))
    return out.getvalue()


def _theme(tmp_path: Path, text: str) -> Theme:
    path = tmp_path / "theme.yaml"
    path.write_text(text, encoding="utf-8")
    return load_theme(path)


def _docx_size(data: bytes, style: str) -> float:
    size = docx.Document(io.BytesIO(data)).styles[style].font.size
    assert size is not None, style
    return float(size.pt)


def _pdf_size(data: bytes, text: str) -> float:
    """Return the largest size a run starting with `text` is printed at on page 1 (font size times the matrices' scale):
    the title, not the running header that repeats it."""
    sizes: list[float] = []

    def visit(run: str, cm: list[float], tm: list[float], _font: object, size: float) -> None:
        if run.strip().startswith(text):
            sizes.append(size * tm[3] * cm[3])

    PdfReader(io.BytesIO(data)).pages[0].extract_text(visitor_text=visit)
    assert sizes, f"no run {text!r} on page 1"
    return round(max(sizes), 2)


def _css_size(data: bytes, selector: str) -> float:
    """Return, in points, the font size the HTML's stylesheet gives `selector` (em of the body's pt)."""
    html = data.decode()
    body = float(re.search(r"\nbody \{[^}]*?font-size: ([\d.]+)pt", html).group(1))  # type: ignore[union-attr]
    em = float(re.search(rf"\n{re.escape(selector)} \{{[^}}]*?font-size: ([\d.]+)em", html).group(1))  # type: ignore[union-attr]
    return round(body * em, 1)


@pytest.mark.parametrize(("theme_file", "title", "caption"), [("", 20.0, 9.0), ("sizes: {title: 26, caption: 8}\n", 26.0, 8.0)])
def test_a_title_and_caption_size_set_in_the_theme_shows_in_docx_pdf_and_html(
        tmp_path: Path, theme_file: str, title: float, caption: float) -> None:
    theme = _theme(tmp_path, theme_file)
    word, pdf, html = (_written(theme, fmt) for fmt in ("docx", "pdf", "html"))
    assert (_docx_size(word, "Title"), _pdf_size(pdf, "Kitchen sink"), _css_size(html, "h1, .title")) == (title,) * 3
    assert (_docx_size(word, "Caption"), _pdf_size(pdf, "Figure 1"), _css_size(html, ".caption, figcaption")) == (caption,) * 3


def test_a_larger_base_size_scales_every_role_and_its_spacing_alike() -> None:
    table = scale(12.6)
    assert table["h1"].size == pytest.approx(13.5 * 1.2) and table["h1"].space_before == pytest.approx(14 * 1.2)
    assert set(table) == set(ROLES)


def test_a_role_given_its_own_size_keeps_its_leading_in_proportion() -> None:
    h1 = scale(10.5, {"h1": 27})["h1"]
    assert (h1.size, h1.leading, h1.space_before) == (27, 34, 28)


def test_a_misspelt_size_key_in_a_theme_names_the_file_line_and_key(tmp_path: Path) -> None:
    with pytest.raises(ThemeError, match=r"theme\.yaml:3: sizes\.titel: unknown key"):
        _theme(tmp_path, "page_size: A4\nsizes:\n  titel: 20\n")
