"""Japanese typeset properly: line-breaking rules (JIS X 4051), numbers kept whole, Japanese fonts, language tags."""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from conftest import DEFAULT_DATA, run_cli
from pypdf import PdfReader

from briefs.doctree import DocMeta, Document, Paragraph, Strong, Text
from briefs.writers import get_writer
from briefs.writers.pdf.kinsoku import NO_END, NO_START, may_break

SENTENCE = ("日本は2025年に約270,000トンのレアアースを輸入した。「重要鉱物」の供給網（サプライチェーン）を強化するため、"
            "両国は枠組みに署名した！ただし、資金額は明記されていない？ジスプロシウム・ネオジムの需要は増えている。")
"""Closing and opening brackets, 、。！？・, small kana and ー: shifted along the line, a naive line breaker puts some at a line edge."""


def _document(language: str = "ja") -> Document:
    paragraphs = tuple(Paragraph((Text("あ" * shift + SENTENCE * 3),)) for shift in range(16))  # every break position moves
    strong = Paragraph((Strong((Text("重要：輸出許可制は継続している。"),)), Text("詳細は後述。")))
    meta = DocMeta("レアアース", "テスト", "briefs", (), dt.date(2025, 11, 15), "日米重要鉱物枠組み", language=language)
    return Document(meta, (*paragraphs, strong))


@pytest.fixture(scope="module")
def japanese_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = io.BytesIO()
    get_writer("pdf")(_document(), out)
    path = tmp_path_factory.mktemp("ja") / "brief.pdf"
    path.write_bytes(out.getvalue())
    return path


def _lines(path: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return [line.strip() for line in text.splitlines() if line.strip()]


def test_no_line_of_a_japanese_pdf_starts_with_a_closing_mark_or_ends_with_an_opening_one(japanese_pdf: Path) -> None:
    lines = [line for line in _lines(japanese_pdf) if re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", line)]
    assert len(lines) > 60
    assert [line for line in lines if line[0] in NO_START] == []
    assert [line for line in lines if line[-1] in NO_END] == []


def test_a_number_is_never_split_across_lines(japanese_pdf: Path) -> None:
    lines = _lines(japanese_pdf)
    assert "".join(lines).count("270,000") == sum(line.count("270,000") for line in lines) == 48
    assert "".join(lines).count("2025") == sum(line.count("2025") for line in lines)


def test_a_japanese_pdf_is_set_in_embedded_ipaexgothic_and_says_it_is_japanese(japanese_pdf: Path) -> None:
    reader = PdfReader(japanese_pdf)
    fonts = {}
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = (font.get("/FontDescriptor") or font["/DescendantFonts"][0].get_object()["/FontDescriptor"]).get_object()
            fonts[str(font["/BaseFont"])] = any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))
    assert any(name.endswith("+IPAexGothic") for name in fonts), fonts
    assert all(fonts.values()), fonts
    assert reader.trailer["/Root"]["/Lang"] == "ja"


def test_emphasis_in_a_face_without_bold_is_drawn_heavier(japanese_pdf: Path) -> None:
    stream = PdfReader(japanese_pdf).pages[-1].get_contents().get_data().decode("latin-1")
    assert re.search(r"2 Tr [0-9.]+ w", stream) and "0 Tr" in stream


@pytest.mark.parametrize(("before", "after", "allowed"), [
    ("ン", "）", False), ("（", "サ", False), ("す", "。", False), ("ジ", "ャ", False), ("ル", "ー", False),
    ("「", "重", False), ("2", "70", False), ("0", ",", False), (",", "0", False), ("約", "2", True),
    ("。", "「", True), ("た", "両", True), ("a", " ", False), (" ", "w", True),
])
def test_line_breaking_rules_between_two_characters(before: str, after: str, allowed: bool) -> None:
    assert may_break(before, after[0]) is allowed


def test_a_japanese_docx_names_its_language_east_asian_font_and_hint(tmp_path: Path) -> None:
    out = io.BytesIO()
    get_writer("docx")(_document(), out)
    with zipfile.ZipFile(out) as docx:
        styles = docx.read("word/styles.xml").decode()
    defaults = re.search(r"<w:rPrDefault>.*?</w:rPrDefault>", styles, re.DOTALL)
    assert defaults is not None
    assert 'w:eastAsia="ja-JP"' in defaults.group(0) and 'w:val="ja"' in defaults.group(0)
    assert 'w:eastAsia="MS Gothic"' in defaults.group(0) and 'w:hint="eastAsia"' in defaults.group(0)
    assert "<w:i/>" not in styles  # nothing slanted
    emphasis = re.search(r'<w:style [^>]*w:styleId="Emphasis".*?</w:style>', styles, re.DOTALL)
    assert emphasis is not None and "<w:b/>" in emphasis.group(0)


def test_a_chinese_docx_names_a_chinese_east_asian_font() -> None:
    out = io.BytesIO()
    get_writer("docx")(_document("zh-Hant"), out)
    with zipfile.ZipFile(out) as docx:
        styles = docx.read("word/styles.xml").decode()
    assert 'w:eastAsia="Microsoft JhengHei"' in styles and 'w:eastAsia="zh-Hant"' in styles


def test_japanese_html_breaks_lines_strictly_and_sets_emphasis_upright() -> None:
    out = io.BytesIO()
    get_writer("html")(_document(), out)
    html = out.getvalue().decode()
    assert '<html lang="ja"' in html
    assert "line-break: strict" in html
    assert re.search(r":lang\(ja\) em[^{]*\{[^}]*font-style: normal", html)


@pytest.mark.slow
@pytest.mark.skipif(not (shutil.which("soffice") and shutil.which("qpdf")), reason="LibreOffice or qpdf is not installed")
def test_the_japanese_edition_opens_in_libreoffice_and_passes_qpdf(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run_cli("generate", "--data", DEFAULT_DATA, "--language", "ja", "--out", out, "-a", "manufacturer").code == 0
    folder = out / "ja" / DEFAULT_DATA.stem
    check = subprocess.run(["qpdf", "--check", str(folder / "manufacturer.pdf")], capture_output=True, text=True, timeout=300)
    assert check.returncode == 0 and "No syntax or stream encoding errors" in check.stdout, check.stdout + check.stderr
    converted = subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/profile", "--headless", "--convert-to", "pdf",
                                "--outdir", str(tmp_path), str(folder / "manufacturer.docx")], capture_output=True, text=True, timeout=300)
    assert converted.returncode == 0, converted.stderr
    text = subprocess.run(["pdftotext", str(tmp_path / "manufacturer.pdf"), "-"], capture_output=True, text=True, check=True).stdout
    assert "日米重要鉱物・レアアース枠組み" in text
    fonts = subprocess.run(["pdffonts", str(tmp_path / "manufacturer.pdf")], capture_output=True, text=True, check=True).stdout
    assert "IPAexGothic" in fonts or "Gothic" in fonts


def test_bold_latin_words_in_a_japanese_brief_are_drawn_heavier() -> None:
    """A Japanese brief sets Latin text in its Japanese face too, which has no bold: a paragraph of Latin words with a
    bold lead-in must still draw the lead-in heavier, however reportlab broke its lines."""
    from briefs.writers.pdf import forget

    meta = DocMeta("Bold", "Investors", "Desk", (), dt.date(2025, 1, 1), "Bold", language="ja")
    lead = Paragraph((Strong((Text("Bottom line:"),)), Text(" the two governments intend to back selected projects " * 4)))
    forget()
    buffer = io.BytesIO()
    get_writer("pdf")(Document(meta, (lead,)), buffer)
    stream = PdfReader(buffer).pages[0].get_contents().get_data().decode("latin-1")
    assert re.search(r"2 Tr [0-9.]+ w", stream) and "0 Tr" in stream
