"""The PDF's fonts: one registry per process, theme font files checked without loading, coverage through `WRITERS`."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT
from pypdf import PdfReader

from briefs.coverage import uncovered_text
from briefs.doctree import DocMeta, Document, Heading, Paragraph, Text
from briefs.fontfiles import truetype_problem
from briefs.writers import WRITERS
from briefs.writers.pdf import FontFamily, Theme, write

DEJAVU = Path("/usr/share/fonts/truetype/dejavu")
SHIPPED = ROOT / "briefs" / "fonts" / "DejaVuSans.ttf"


def _document(text: str) -> Document:
    meta = DocMeta("Fonts", "Testers", "Desk", (), dt.date(2025, 1, 1), "Fonts")
    return Document(meta, (Heading(1, (Text("Heading"),)), Paragraph((Text(text),))))


def _pdffonts(data: bytes, tmp_path: Path, name: str) -> set[str]:
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(data)
    listing = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    return {line.split()[0].split("+")[-1] for line in listing.splitlines()[2:]}


def _copy(source: Path, folder: Path, name: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    return Path(shutil.copyfile(source, folder / name))


@pytest.mark.skipif(not shutil.which("pdffonts") or not (DEJAVU / "DejaVuSerif.ttf").is_file(),
                    reason="pdffonts or DejaVu Serif missing")
def test_two_themes_with_different_fonts_in_one_process_each_embed_their_own(tmp_path: Path) -> None:
    serif = Theme(body_font=FontFamily("Serif", _copy(DEJAVU / "DejaVuSerif.ttf", tmp_path / "a", "HouseSerifA.ttf")))
    mono = Theme(body_font=FontFamily("Mono", _copy(DEJAVU / "DejaVuSansMono.ttf", tmp_path / "b", "HouseMonoB.ttf")))
    fonts = {}
    for name, theme in (("serif", serif), ("mono", mono), ("serif-again", serif)):
        out = io.BytesIO()
        assert write(_document("Plain text, then שלום."), out, theme) == []
        fonts[name] = _pdffonts(out.getvalue(), tmp_path, name)
    assert "DejaVuSerif" in fonts["serif"] and "DejaVuSansMono" not in fonts["serif"]
    assert "DejaVuSansMono" in fonts["mono"] and "DejaVuSerif" not in fonts["mono"]
    assert fonts["serif-again"] == fonts["serif"]
    assert all("DejaVuSans" in listed for listed in fonts.values())  # the chain's Hebrew, in each


def test_briefs_leaves_reportlab_as_it_found_it_and_loads_no_font_before_a_pdf(tmp_path: Path) -> None:
    """Importing everything, loading a theme and checking coverage change nothing reportlab's other users see:
    its ToUnicode maker stays its own, and a font registered outside briefs keeps reportlab's CMap; a font another
    user registers under a name of DejaVu's changes nothing in a brief."""
    if not (DEJAVU / "DejaVuSansCondensed.ttf").is_file():
        pytest.skip("DejaVu Sans Condensed is not installed")
    _copy(SHIPPED, tmp_path / "fonts", "HouseSans.ttf")
    theme = tmp_path / "theme.yaml"
    theme.write_text("fonts:\n  body: {name: House Sans, regular: fonts/HouseSans.ttf}\n")
    script = (
        "import io, sys\n"
        "from pathlib import Path\n"
        "from reportlab.pdfbase import pdfmetrics, ttfonts\n"
        "own = ttfonts.makeToUnicodeCMap\n"
        "import briefs.cli, briefs.pipeline, briefs.theme, briefs.coverage, briefs.writers.pdf, briefs.writers.pdf.fonts\n"
        f"theme = briefs.theme.load_theme(Path({str(theme)!r}))\n"
        "names = pdfmetrics.getRegisteredFontNames()\n"
        "print('after theme', [name for name in names if isinstance(pdfmetrics.getFont(name), ttfonts.TTFont)])\n"
        "from briefs.writers.pdf import write\n"
        "from briefs.doctree import DocMeta, Document, Paragraph, Text\n"
        "import datetime as dt\n"
        "meta = DocMeta('T', 'S', 'A', (), dt.date(2025, 1, 1), 'H')\n"
        "document = Document(meta, (Paragraph((Text('Text \\U0001F600 مرحبا'),)),))\n"
        "first = io.BytesIO()\n"
        "write(document, first, theme)\n"
        "print('same maker', ttfonts.makeToUnicodeCMap is own)\n"
        "print('house sans', 'briefs-HouseSans' in pdfmetrics.getRegisteredFontNames())\n"
        f"pdfmetrics.registerFont(ttfonts.TTFont('DejaVuSans', {str(DEJAVU / 'DejaVuSansCondensed.ttf')!r}))\n"
        "again = io.BytesIO()\n"
        "write(document, again, theme)\n"
        "print('own fonts', again.getvalue() == first.getvalue())\n"
        "from reportlab.pdfgen.canvas import Canvas\n"
        f"pdfmetrics.registerFont(ttfonts.TTFont('Other', {str(DEJAVU / 'DejaVuSansCondensed.ttf')!r}))\n"
        "out = io.BytesIO()\n"
        "canvas = Canvas(out, invariant=1)\n"
        "canvas.setFont('Other', 12)\n"
        "canvas.drawString(10, 10, '\\ufe8d')\n"
        "canvas.save()\n"
        "from pypdf import PdfReader\n"
        "fonts = PdfReader(out).pages[0]['/Resources']['/Font']\n"
        "cmaps = b''.join(font['/ToUnicode'].get_object().get_data() for font in fonts.values() if '/ToUnicode' in font)\n"
        "print('other cmap', b' <FE8D>' in cmaps, b' <0627>' in cmaps)\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["after theme []", "same maker True", "house sans True", "own fonts True",
                                          "other cmap True False"]


def test_briefs_own_fonts_still_tell_extractors_emoji_and_arabic_letters() -> None:
    """Our fonts' CMap (not reportlab's) maps emoji past U+FFFF and Arabic joined forms back to the letters."""
    out = io.BytesIO()
    write(_document("Smile \U0001F600 and مرحبا."), out)
    text = "".join(page.extract_text() for page in PdfReader(out).pages)
    assert "\U0001F600" in text and "مرحبا" in text


def test_loading_a_theme_checks_its_fonts_without_importing_reportlab(tmp_path: Path) -> None:
    _copy(SHIPPED, tmp_path / "fonts", "House.ttf")
    theme = tmp_path / "theme.yaml"
    theme.write_text("fonts:\n  body: {name: House, regular: fonts/House.ttf}\n")
    script = (
        "import sys\nfrom pathlib import Path\nfrom briefs.theme import load_theme\n"
        f"print(load_theme(Path({str(theme)!r})).body_font.name, 'reportlab' in sys.modules, 'briefs.writers.pdf' in sys.modules)\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "House False False\n"


def _font_variants(tmp_path: Path) -> dict[str, Path]:
    """Font files a user might name: good ones, and ones broken in the ways reportlab refuses."""
    data = SHIPPED.read_bytes()
    files = {path.name: path for path in sorted(DEJAVU.glob("*.ttf"))[:4]}
    files["DejaVuSans.ttf"] = SHIPPED
    broken = {"cut.ttf": data[:2000], "cff.otf": b"OTTO" + data[4:], "text.ttf": b"not a font\n", "empty.ttf": b"",
              "nohead.ttf": data.replace(b"head", b"hexd", 1), "collection.ttc": b"ttcf\x00\x01\x00\x00\x00\x00\x00\x01"}
    for name, content in broken.items():
        (tmp_path / name).write_bytes(content)
        files[name] = tmp_path / name
    return files


def test_the_font_file_check_refuses_exactly_the_files_reportlab_cannot_embed(tmp_path: Path) -> None:
    from reportlab.pdfbase.ttfonts import TTFont

    files = _font_variants(tmp_path)
    refused = set()
    for name, path in files.items():
        try:
            TTFont(f"probe-{name}", str(path))
        except Exception:  # reportlab raises TTFError, struct.error, AssertionError... as it goes
            refused.add(name)
    assert {name for name, path in files.items() if truetype_problem(path)} == refused
    assert {"cut.ttf", "cff.otf", "text.ttf", "empty.ttf", "nohead.ttf", "collection.ttc"} <= refused
    assert truetype_problem(files["cff.otf"]) == "PostScript (CFF) outlines"


def test_check_finds_characters_no_pdf_font_prints_through_the_writers_table(monkeypatch: pytest.MonkeyPatch) -> None:
    data = {"facts": [{"text": "Fine: 日本語, שלום"}, {"text": "A private-use mark \ue000 here"}], "title": "ASCII"}
    assert list(uncovered_text(data)) == [(("facts", 1, "text"), "pdf", ["\ue000"])]
    trial = dataclasses.replace(WRITERS["html"], coverage=lambda text: [char for char in text if char == "ש"])
    monkeypatch.setitem(WRITERS, "html", trial)
    assert list(uncovered_text(data)) == [(("facts", 1, "text"), "pdf", ["\ue000"]), (("facts", 0, "text"), "html", ["ש"])]


def test_text_encoded_by_the_quick_path_gives_the_bytes_reportlab_gives(monkeypatch: pytest.MonkeyPatch) -> None:
    """Runs of text whose characters already have codes are encoded without reportlab's loop: the file must be the
    one reportlab's own encoding gives, through no-break spaces, a second subset (over 255 characters) and scripts."""
    from reportlab.pdfbase.ttfonts import TTFont  # type: ignore[import-untyped]

    from briefs.writers.pdf import forget
    from briefs.writers.pdf.fonts import _Font

    many = "".join(chr(code) for code in range(0x400, 0x4FF)) + "".join(chr(code) for code in range(0x100, 0x17F))
    text = (f"Prices\u00a0rose — “again” in 2025. {many} Ελληνικά, עברית, العربية, 日本語. " * 3).strip()
    document = _document(text)

    def written() -> bytes:
        forget()
        buffer = io.BytesIO()
        write(document, buffer)
        return buffer.getvalue()

    quick = written()
    monkeypatch.setattr(_Font, "splitString", TTFont.splitString)
    assert written() == quick
    assert "rose" in PdfReader(io.BytesIO(quick)).pages[0].extract_text()


def test_a_brief_written_again_reuses_its_font_subset_files(monkeypatch: pytest.MonkeyPatch) -> None:
    """The subset files (made and deflated once) are what a first write makes: the same bytes, and none made again."""
    from briefs.writers.pdf import forget
    from briefs.writers.pdf.fonts import FONTS

    FONTS.builtin()
    FONTS.resolve(ord("日"), 0)  # registers the fallback font that prints it
    made: list[int] = []
    for font in FONTS._fonts.values():
        def counting(subset: list[int], make: object = font.subsets._make) -> bytes:
            made.append(len(subset))
            return bytes(make(subset))  # type: ignore[operator]

        monkeypatch.setattr(font.subsets, "_make", counting)
    document = _document("Prices rose — “again” in 2025: Ελληνικά, עברית, 日本語. " * 4)

    def written() -> bytes:
        buffer = io.BytesIO()
        write(document, buffer)
        return buffer.getvalue()

    forget()
    first = written()
    at_first = len(made)
    again = written()
    assert at_first >= 2 and len(made) == at_first  # a font per script at least, and nothing made the second time
    assert again == first
    forget()
    assert written() == first
    assert len(made) == 2 * at_first
    assert "Ελληνικά" in PdfReader(io.BytesIO(again)).pages[0].extract_text()
