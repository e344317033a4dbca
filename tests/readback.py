"""Read generated briefs back as a reader's program would: text in order, headings, styles."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import docx
from pypdf import PdfReader


def docx_paragraphs(path: Path | bytes) -> list[tuple[str, str]]:
    """Return (style name, text) of every body paragraph, tables' cells included, in order."""
    document = docx.Document(io.BytesIO(path) if isinstance(path, bytes) else str(path))
    out: list[tuple[str, str]] = []
    body = document.element.body
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            paragraph = docx.text.paragraph.Paragraph(child, document._body)
            out.append((paragraph.style.name if paragraph.style is not None else "", _docx_text(child)))
        elif tag == "tbl":
            for p in child.iter("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}p"):
                out.append(("table", _docx_text(p)))
    return out


def _docx_text(p) -> str:
    return "".join(t.text or "" for t in p.iter("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}t"))


def docx_text(path: Path | bytes) -> str:
    return "\n".join(text for _, text in docx_paragraphs(path))


def pdf_text(path: Path | bytes) -> str:
    reader = PdfReader(io.BytesIO(path) if isinstance(path, bytes) else str(path))
    return "\n".join(page.extract_text() or "" for page in reader.pages)


def squash(text: str) -> str:
    """Return text with all whitespace removed, to compare across line breaking."""
    return re.sub(r"\s+", "", text)


def opens(path: Path) -> bool:
    """Return whether a brief is whole: a zip every member of which reads back, or a PDF with its end and pages."""
    if path.suffix == ".docx":
        with zipfile.ZipFile(path) as package:
            assert package.testzip() is None
        return len(docx.Document(str(path)).paragraphs) > 0
    data = path.read_bytes()
    return data.rstrip().endswith(b"%%EOF") and len(PdfReader(io.BytesIO(data)).pages) > 0


def briefs_in(folder: Path) -> list[Path]:
    """Return the briefs (DOCX and PDF) directly in `folder`, sorted."""
    return sorted(p for p in folder.iterdir() if p.suffix in (".docx", ".pdf"))


def html_text(path: Path | bytes) -> str:
    """Return the text a browser shows (not the stylesheet), one line per block."""
    import lxml.html

    tree = lxml.html.fromstring(path if isinstance(path, bytes) else Path(path).read_bytes())
    for hidden in tree.iter("style", "script", "title"):
        hidden.drop_tree()
    return "\n".join(line.strip() for line in tree.text_content().splitlines() if line.strip())


def pptx_text(path: Path | bytes) -> str:
    """Return every slide's text as PowerPoint shows it: titles, text, table cells, chart categories, one line per paragraph."""
    import pptx

    deck = pptx.Presentation(io.BytesIO(path) if isinstance(path, bytes) else str(path))
    lines: list[str] = []
    for slide in deck.slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                lines += [p.text for p in shape.text_frame.paragraphs]
            if shape.has_table:
                lines += [cell.text for row in shape.table.rows for cell in row.cells]
            if shape.has_chart:
                lines += [str(c) for c in shape.chart.plots[0].categories]
    return "\n".join(line for line in lines if line.strip())


READERS = {"docx": docx_text, "pdf": pdf_text, "html": html_text, "pptx": pptx_text}
"""Format -> how a reader's program reads its text: every format in `briefs.writers.WRITERS` needs one."""
