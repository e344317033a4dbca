"""Customization from files: template folders and blocks, new audiences, a Word reference document,
a theme, personalization, the config file, `init` and `list`, and errors that name file and line."""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import subprocess
import sys
import zipfile
from dataclasses import replace
from pathlib import Path

import docx
import pytest
from conftest import AUDIENCES, DEFAULT_DATA, MINIMAL, ROOT, one_error
from docx.oxml.ns import qn
from docx.shared import RGBColor
from PIL import Image
from pypdf import PdfReader
from readback import docx_paragraphs, pdf_text, squash

from briefs.compose import compose
from briefs.config import CONFIG_NAME, page_size
from briefs.doctree import BulletList, DocMeta, Document, Emphasis, Heading, Paragraph, Strong, Text, plain_text
from briefs.errors import TemplateError
from briefs.rendering import Renderer
from briefs.selection import select
from briefs.theme import load_theme
from briefs.writers import PAGE_SIZES
from briefs.writers.docx.reference import reference_bytes
from briefs.writers.pdf import FontFamily, Theme, bidi, write
from briefs.writers.pdf.fonts import BUILTIN_FACES, FALLBACK_PATHS, NAME_PREFIX
from briefs.writers.pdf.runs import FontRuns
from briefs.writers.pdf.styles import faces

DATA_ID = "us-japan-critical-minerals-2025"
SERIF = Path("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf")
SERIF_BOLD = SERIF.with_name("DejaVuSerif-Bold.ttf")
LETTER, A4 = PAGE_SIZES["Letter"], PAGE_SIZES["A4"]
PROFILE = ("id: {id}\nlabel: {label}\nfocus: What the desk needs\ninterests: {{investment: 3, markets: 3, supply: 1}}\n"
           "max_facts: 4\nmin_score: 2\nsections: [summary, key_facts, caveats, sources]\ndisclaimer: Desk use only.\n")


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _logo(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (120, 40), "#8b1a1a").save(path)
    return path


def _brief(cli, out: Path, *args: str | Path, audience: str = "investor", fmt: str = "pdf") -> Path:
    result = cli("--data", DEFAULT_DATA, "--out", out, "-a", audience, "-f", fmt, *args)
    assert result.code == 0, result.err
    return out / DATA_ID / f"{audience}.{fmt}"


def _fails(cli, tmp_path: Path, *args: str | Path, data: Path = DEFAULT_DATA) -> str:
    """Run a generate that must fail on input: exit 1, nothing written; return stderr."""
    out = tmp_path / "failed-out"
    result = cli("--data", data, "--out", out, "-a", "investor", *args)
    assert result.code == 1, result.out + result.err
    assert not out.exists()
    return one_error(result.err)


def _without_page_numbers(text: str) -> str:
    """Return the text without running headers and footers, which move with page breaks."""
    return re.sub(r"Page\d+of\d+", "", squash(text)).replace(squash("U.S.–Japan Critical Minerals Framework · Investors"), "")


def _pdf_fonts(path: Path) -> set[str]:
    reader = PdfReader(str(path))
    return {str(font.get_object()["/BaseFont"]).split("+")[-1] for page in reader.pages
            for font in page["/Resources"]["/Font"].values()}


def _page_size(path: Path) -> tuple[float, float]:
    box = PdfReader(str(path)).pages[0].mediabox
    return float(box.width), float(box.height)


# --- Template folders and blocks ---------------------------------------------------------------


@pytest.mark.parametrize(("block", "body", "marker"), [
    ("disclaimer", '<aside class="disclaimer"><p>House rules apply. {{ brief.disclaimer }}</p></aside>', "House rules apply."),
    ("title_block", '<p class="small">MARKETS DESK BRIEFING</p>\n{{ super() }}', "MARKETS DESK BRIEFING"),
])
def test_user_template_overrides_exactly_one_block_in_both_formats(cli, tmp_path: Path, default_out: Path, block: str, body: str,
                                                                    marker: str) -> None:
    tpl = tmp_path / "tpl"
    _write(tpl / "brief.html.j2", f'{{% extends "builtin/brief.html.j2" %}}\n{{% block {block} %}}\n{body}\n{{% endblock %}}\n')
    custom_docx = _brief(cli, tmp_path / "out", "--templates", tpl, fmt="docx")
    before, after = docx_paragraphs(default_out / "investor.docx"), docx_paragraphs(custom_docx)
    changed = [(old, new) for old, new in zip(before, after, strict=False) if old != new]
    if block == "disclaimer":
        assert len(before) == len(after) and [new[1] for _, new in changed] == [f"{marker} For information only. Not investment advice."]
    else:
        assert after[0][1] == marker and after[1:] == before
    custom_pdf = _brief(cli, tmp_path / "out", "--templates", tpl)
    old, new = _without_page_numbers(pdf_text(default_out / "investor.pdf")), _without_page_numbers(pdf_text(custom_pdf))
    assert new.replace(squash(marker), "", 1) == old and squash(marker) not in old


def test_a_same_name_file_replaces_the_builtin_template(cli, tmp_path: Path) -> None:
    tpl = tmp_path / "tpl"
    _write(tpl / "brief.html.j2", '<p class="title">{{ brief.title }}</p>\n<p>Our own layout.</p>\n')
    paragraphs = docx_paragraphs(_brief(cli, tmp_path / "out", "--templates", tpl, fmt="docx"))
    assert [text for _, text in paragraphs] == ["U.S.–Japan Critical Minerals and Rare Earths Framework", "Our own layout."]


def test_earlier_template_folders_come_first(tmp_path: Path) -> None:
    _write(tmp_path / "a" / "brief.html.j2", "<p>from a</p>\n")
    _write(tmp_path / "b" / "brief.html.j2", "<p>from b</p>\n")
    assert Renderer([tmp_path / "a", tmp_path / "b"]).render("brief.html.j2", {}) == "<p>from a</p>\n"
    assert Renderer([tmp_path / "b", tmp_path / "a"]).render("brief.html.j2", {}) == "<p>from b</p>\n"


# --- Audiences from files ----------------------------------------------------------------------


def test_a_new_profile_file_adds_a_fifth_audience_with_its_own_template(cli, tmp_path: Path) -> None:
    tpl = tmp_path / "tpl"
    _write(tpl / "audiences" / "desk.yaml", PROFILE.format(id="desk", label="Trading desk") + "template: desk.html.j2\n")
    _write(tpl / "desk.html.j2", '{% extends "builtin/brief.html.j2" %}\n{% block summary %}<h1>In one line</h1>\n'
                                 "<p>{{ brief.bottom_line }}</p>\n{% endblock %}\n")
    out = tmp_path / "out"
    result = cli("--data", DEFAULT_DATA, "--out", out, "--templates", tpl)
    assert result.code == 0, result.err
    assert sorted(p.stem for p in (out / DATA_ID).glob("*.pdf")) == sorted([*AUDIENCES, "desk"])
    paragraphs = docx_paragraphs(out / DATA_ID / "desk.docx")
    assert ("Brief Meta", "Prepared for Trading desk · As of 15 November 2025") in paragraphs
    assert ("Heading 1", "In one line") in paragraphs and ("Quote", "Desk use only.") in paragraphs
    assert [text for style, text in paragraphs if style == "Heading 1"] == ["In one line", "Key facts", "Confidence and caveats", "Sources"]


def test_a_profile_file_replaces_a_builtin_audience(cli, tmp_path: Path) -> None:
    tpl = tmp_path / "tpl"
    _write(tpl / "audiences" / "investor.yaml", PROFILE.format(id="investor", label="Fund managers"))
    paragraphs = docx_paragraphs(_brief(cli, tmp_path / "out", "--templates", tpl, fmt="docx"))
    assert ("Brief Meta", "Prepared for Fund managers · As of 15 November 2025") in paragraphs
    assert ("Quote", "Desk use only.") in paragraphs


# --- Word reference document -------------------------------------------------------------------


def _house_reference(path: Path, *, letter: bool = True, header: str | None = "ACME HOUSE HEADER") -> Path:
    document = docx.Document(str(ROOT / "templates" / "styles" / "reference.docx"))
    heading = document.styles["Heading 1"]
    heading.font.name = "Georgia"
    heading.font.color.rgb = RGBColor(0xC0, 0x00, 0x00)
    section = document.sections[0]
    if letter:
        section.page_width, section.page_height = docx.shared.Pt(612), docx.shared.Pt(792)
    if header:
        section.header.paragraphs[0].text = header
    document.save(str(path))
    return path


def test_a_reference_docx_gives_its_heading_font_colour_page_and_header(cli, tmp_path: Path) -> None:
    reference = _house_reference(tmp_path / "house.docx")
    output = docx.Document(str(_brief(cli, tmp_path / "out", "--reference-docx", reference, fmt="docx")))
    heading = output.styles["Heading 1"]
    assert heading.font.name == "Georgia" and heading.font.color.rgb == RGBColor(0xC0, 0x00, 0x00)
    section = output.sections[0]
    assert (round(section.page_width.pt), round(section.page_height.pt)) == (612, 792)
    assert section.header.paragraphs[0].text == "ACME HOUSE HEADER"
    assert "Page" in "".join(p.text for p in section.footer.paragraphs)  # the reference has no footer: ours is written
    assert "Title:" not in "".join(p.text for p in output.paragraphs)  # the reference's sample text is not copied


def test_a_reference_from_libreoffice_lacking_styles_and_numbering_still_works(cli, tmp_path: Path) -> None:
    reference = _minimal_docx(tmp_path / "lo.docx")
    path = _brief(cli, tmp_path / "out", "--reference-docx", reference, fmt="docx")
    names = zipfile.ZipFile(path).namelist()
    assert len(names) == len(set(names))
    output = docx.Document(str(path))
    assert output.styles["Heading 1"].font.color.rgb == RGBColor(0x00, 0x66, 0x33)
    bullet = output.styles["List Bullet"].element.pPr.numPr.numId.val
    numbering = output.part.numbering_part.element
    assert any(num.get(docx.oxml.ns.qn("w:numId")) == str(bullet) for num in numbering.findall(docx.oxml.ns.qn("w:num")))
    styles = {style for style, _ in docx_paragraphs(path)}
    assert {"Title", "List Bullet", "List Number", "Heading 1", "Quote"} <= styles
    assert "REFERENCE BODY TEXT" not in "".join(p.text for p in output.paragraphs)
    assert (round(output.sections[0].page_width.pt), round(output.sections[0].page_height.pt)) == (612, 792)


def test_the_shipped_reference_docx_and_the_builtin_look_come_from_the_shipped_theme() -> None:
    """The built-in look is one file: the theme. The reference document is generated from it, never edited by hand."""
    shipped = (ROOT / "templates" / "styles" / "reference.docx").read_bytes()
    assert shipped == reference_bytes(), "run `python -m briefs.writers.docx.reference` and commit the result"
    document = docx.Document(io.BytesIO(shipped))
    assert document.styles["Heading 1"].font.color.rgb == RGBColor.from_string(Theme().heading_colour[1:].upper())
    assert round(document.sections[0].page_width.cm, 1) == 21.0  # the theme's A4


def test_the_shipped_reference_docx_gives_the_builtin_look(cli, tmp_path: Path, default_out: Path) -> None:
    path = _brief(cli, tmp_path / "out", "--reference-docx", ROOT / "templates" / "styles" / "reference.docx", fmt="docx")
    assert docx_paragraphs(path) == docx_paragraphs(default_out / "investor.docx")
    assert docx.Document(str(path)).sections[0].page_width == docx.Document(str(default_out / "investor.docx")).sections[0].page_width


# --- theme -----------------------------------------------------------------------------------


@pytest.mark.skipif(not SERIF.is_file(), reason="DejaVu Serif is not installed (fonts-dejavu-extra)")
def test_a_theme_with_letter_and_another_font_gives_that_page_and_embeds_that_font(cli, tmp_path: Path) -> None:
    theme = _write(tmp_path / "theme" / "theme.yaml",
                   f"page_size: Letter\nfonts:\n  body: {{name: DejaVu Serif, regular: {SERIF}, bold: {SERIF_BOLD}}}\n"
                   'colours: {headings: "#8b1a1a"}\n')
    path = _brief(cli, tmp_path / "out", "--theme", theme)
    assert _page_size(path) == pytest.approx(LETTER)
    fonts = _pdf_fonts(path)
    assert {"DejaVuSerif", "DejaVuSerif-Bold"} <= fonts
    assert "DejaVuSans" not in fonts or "DejaVuSans-Bold" not in fonts  # body and headings are in the theme font
    assert squash("Rare-earth mine production") in squash(pdf_text(path))


def _serif_family() -> FontFamily:
    return FontFamily("House Serif", SERIF, SERIF_BOLD, SERIF.with_name("DejaVuSerif-Italic.ttf"),
                      SERIF.with_name("DejaVuSerif-BoldItalic.ttf"))


HEBREW, JAPANESE, EMOJI = "שלום עולם", "高市早苗", "🔋"
"""Characters DejaVu Serif lacks: DejaVu Sans has the Hebrew, IPAexGothic the Japanese, Symbola the emoji."""


def _scripts_document() -> Document:
    """Hebrew, Japanese and an emoji in the title, each heading level, and body text in every face."""
    mixed = f"Latin {HEBREW} {JAPANESE} {EMOJI} end"
    meta = DocMeta("Scripts", "Testers", "Desk", (), dt.date(2025, 11, 15), f"Header {HEBREW} {JAPANESE} {EMOJI}")
    return Document(meta, (
        Paragraph((Text(f"Title {mixed}"),), "title"),
        Heading(1, (Text(f"One {mixed}"),)),
        Paragraph((Text(f"Body {mixed}. "), Strong((Text(f"Strong {mixed}."),)), Text(" "), Emphasis((Text(f"Em {mixed}."),)))),
        Heading(2, (Text(f"Two {mixed}"),)),
        Heading(3, (Text(f"Three {mixed}"),)),
        Paragraph((Text(f"Question {mixed}?"),), "question"),
        BulletList(((Text(f"Item {mixed}"),),)),
    ))


_SCRIPTS_STARTS = ("Title", "One", "Body", "Strong", "Em", "Two", "Three", "Question", "Item")
"""The first word of each run of `_scripts_document`, followed in each by the same mixed text."""


def _plain(text: str) -> str:
    """Return extracted text with whitespace collapsed and without the invisible marks around right-to-left runs."""
    return " ".join("".join(char for char in text if char not in bidi.LINE_TEXT_CONTROLS).split())


def _texts_by_font(data: bytes) -> dict[str, str]:
    """Return the text each font printed, by the font's name without its subset prefix."""
    by_font: dict[str, str] = {}

    def visit(text: str, _cm: object, _tm: object, font: dict[str, object] | None, _size: object) -> None:
        if font and text.strip():
            name = str(font["/BaseFont"]).split("+")[-1]
            by_font[name] = by_font.get(name, "") + text

    for page in PdfReader(io.BytesIO(data)).pages:
        page.extract_text(visitor_text=visit)
    return by_font


@pytest.fixture(scope="module")
def serif_pdf() -> bytes:
    """The scripts document in a theme whose body and heading family is DejaVu Serif, written without a warning."""
    if not all(path.is_file() for path in _serif_family().files()):
        pytest.skip("DejaVu Serif is not installed (fonts-dejavu-extra)")
    if not any(Path(c).is_file() for name, candidates in FALLBACK_PATHS if name == NAME_PREFIX + "Symbola" for c in candidates if "/" in c):
        pytest.skip("Symbola is not installed (fonts-symbola)")
    out = io.BytesIO()
    assert write(_scripts_document(), out, Theme(body_font=_serif_family(), heading_font=_serif_family())) == []
    return out.getvalue()


def test_characters_a_theme_font_lacks_fall_back_to_dejavu_then_the_fallback_fonts(serif_pdf: bytes) -> None:
    text = _plain(pdf_text(serif_pdf))
    for word in _SCRIPTS_STARTS:
        assert f"{word} Latin {HEBREW} {JAPANESE} {EMOJI} end" in text, (word, text)
    assert f"Header {HEBREW} {JAPANESE} {EMOJI}" in text and "\x00" not in text and "\ufffd" not in text
    by_font = _texts_by_font(serif_pdf)
    theme_fonts = {"DejaVuSerif", "DejaVuSerif-Bold", "DejaVuSerif-Italic", "DejaVuSerif-BoldItalic"}
    assert theme_fonts <= set(by_font), sorted(by_font)  # Latin text stays in the theme's faces...
    assert all(word not in "".join(by_font[name] for name in by_font if name not in theme_fonts) for word in ("Latin", "end"))
    for name in ("DejaVuSans", "DejaVuSans-Bold", "DejaVuSans-Oblique", "DejaVuSans-BoldOblique"):  # ...Hebrew in
        assert set(HEBREW.replace(" ", "")) <= set(by_font[name]), name  # DejaVu Sans of the same weight and slant
    assert set(JAPANESE) <= set(by_font["IPAexGothic"]) and EMOJI in by_font["Symbola"]


@pytest.mark.skipif(not shutil.which("pdftotext") or not shutil.which("pdffonts"), reason="poppler-utils not installed")
def test_poppler_reads_back_theme_text_with_fallback_characters_from_embedded_fonts(serif_pdf: bytes, tmp_path: Path) -> None:
    path = tmp_path / "serif.pdf"
    path.write_bytes(serif_pdf)
    text = _plain(subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout)
    for word in _SCRIPTS_STARTS:
        assert f"{word} Latin {HEBREW} {JAPANESE} {EMOJI} end" in text, (word, text)
    assert f"Header {HEBREW} {JAPANESE} {EMOJI}" in text
    listing = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    rows = {line.split()[0].split("+")[-1]: line.split() for line in listing.splitlines()[2:]}
    assert {"DejaVuSerif", "DejaVuSerif-Bold", "DejaVuSerif-Italic", "DejaVuSerif-BoldItalic", "DejaVuSans",
            "DejaVuSans-Bold", "IPAexGothic", "Symbola"} <= set(rows), listing
    assert all(row[-5] == "yes" for row in rows.values()), listing  # every font embedded


@pytest.mark.skipif(not SERIF.is_file(), reason="DejaVu Serif is not installed (fonts-dejavu-extra)")
def test_the_fallback_chain_starts_from_the_theme_face_of_the_runs_weight_and_slant() -> None:
    body, _ = faces(Theme(body_font=_serif_family()))
    runs = FontRuns(faces=body)
    p = NAME_PREFIX
    assert runs.segments("plain ASCII") == [(f"{p}DejaVuSerif", "plain ASCII")]
    assert runs.segments("Bold שלום", bold=True) == [(f"{p}DejaVuSerif-Bold", "Bold "), (f"{p}DejaVuSans-Bold", "שלום")]
    assert runs.segments("Slanted שלום", italic=True) == [(f"{p}DejaVuSerif-Italic", "Slanted "), (f"{p}DejaVuSans-Oblique", "שלום")]
    assert runs.markup("a<b שלום", bold=True) == f'a&lt;b <font name="{p}DejaVuSans-Bold">שלום</font>'
    assert runs.markup("x שלום 日本") == f'x <font name="{p}DejaVuSans">שלום </font><font name="{p}IPAexGothic">日本</font>'
    assert runs.markup("x שלום", faces=BUILTIN_FACES) == "x שלום"  # another family: DejaVu Sans has Hebrew
    assert runs.single_font("日本") == (f"{p}IPAexGothic", "日本")  # Japanese glyph forms
    assert runs.single_font("Serif ∑") == (f"{p}DejaVuSerif", "Serif ∑")
    assert runs.segments("\ue000") == [(f"{p}DejaVuSerif", "\ufffd")] and len(runs.warnings) == 1  # no font: U+FFFD, a warning


@pytest.mark.skipif(not SERIF.with_name("DejaVuSans.ttf").is_file(), reason="the system's DejaVu Sans is not installed")
def test_a_theme_font_named_like_a_builtin_face_and_loaded_first_leaves_the_builtin_faces_alone() -> None:
    script = (
        "import io, sys\n"
        "from pathlib import Path\n"
        "from briefs.doctree import Document, Paragraph, Strong, Text\n"
        "from briefs.writers.pdf.fonts import FONTS\nfrom briefs.writers.theme import FontFamily, Theme\n"
        "from briefs.writers.pdf import write\n"
        "sys.path.insert(0, 'tests')\n"
        "from kitchen_sink import kitchen_sink\n"
        f"family = FontFamily('System Sans', Path({str(SERIF.with_name('DejaVuSans.ttf'))!r}))\n"
        "names = FONTS.family(family)\n"
        "sink = kitchen_sink()\n"  # and bold Japanese, whose chain passes DejaVu Sans Bold
        "document = Document(sink.meta, (*sink.blocks, Paragraph((Strong((Text('太字'),)),))))\n"
        "print(names[0] != 'DejaVuSans', write(document, io.BytesIO(), Theme(body_font=family)))\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=ROOT)
    assert result.stdout == "True []\n"


def test_the_shipped_theme_file_is_the_builtin_theme() -> None:
    """What writers use when no theme is given (`Theme()`) is the shipped file."""
    theme = load_theme(ROOT / "templates" / "styles" / "theme.yaml")
    assert theme.page_size == "A4" and replace(theme, page_size=None) == Theme()


def test_a_theme_logo_is_drawn_on_page_one_only(cli, tmp_path: Path) -> None:
    _logo(tmp_path / "theme" / "logo.png")
    theme = _write(tmp_path / "theme" / "theme.yaml", "logo: {image: logo.png, place: right, width_cm: 4}\nmargins: 2.5\n")
    reader = PdfReader(str(_brief(cli, tmp_path / "out", "--theme", theme)))
    images = [len(page.images) for page in reader.pages]
    assert images[0] == 1 and sum(images) == 1


# --- Precedence of settings -------------------------------------------------------------------


def test_page_size_precedence_is_command_line_data_file_style_then_a4() -> None:
    assert page_size("Letter", "A4", "A5") == LETTER
    assert page_size(None, "A4", "Letter") == A4
    assert page_size(None, None, "Letter") == LETTER
    assert page_size(None, None, (100.0, 200.0)) == (100.0, 200.0)
    assert page_size(None, None, None) == A4


def test_page_size_precedence_end_to_end(cli, tiny_data, tmp_path: Path) -> None:
    theme = _write(tmp_path / "letter.yaml", "page_size: Letter\n")
    plain = tiny_data()
    a4_data = tiny_data(MINIMAL.replace("summary:", "page_size: A4\nsummary:"), name="a4.yaml")
    reference = _house_reference(tmp_path / "letter.docx", header=None)

    def size(data: Path, *args: str | Path, fmt: str = "pdf") -> tuple[int, int]:
        out = tmp_path / f"out-{len(list(tmp_path.iterdir()))}"
        result = cli("--data", data, "--out", out, "-a", "investor", "-f", fmt, *args)
        assert result.code == 0, result.err
        if fmt == "pdf":
            width, height = _page_size(out / "tiny" / "investor.pdf")
            return round(width), round(height)
        section = docx.Document(str(out / "tiny" / "investor.docx")).sections[0]
        return round(section.page_width.pt), round(section.page_height.pt)

    assert size(plain) == (595, 842)  # built-in default
    assert size(plain, "--theme", theme) == (612, 792)  # the theme
    assert size(a4_data, "--theme", theme) == (595, 842)  # the data file wins over the theme
    assert size(a4_data, "--theme", theme, "--page-size", "Letter") == (612, 792)  # the command line wins
    assert size(plain, "--reference-docx", reference, fmt="docx") == (612, 792)  # the reference document
    assert size(a4_data, "--reference-docx", reference, fmt="docx") == (595, 842)


def test_a_config_file_sets_templates_theme_and_page_size(cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _write(tmp_path / "tpl" / "audiences" / "desk.yaml", PROFILE.format(id="desk", label="Trading desk"))
    _write(tmp_path / "theme.yaml", 'colours: {headings: "#8b1a1a"}\n')
    _write(tmp_path / CONFIG_NAME, "templates: [tpl]\ntheme: theme.yaml\npage_size: Letter\n")
    monkeypatch.chdir(tmp_path)
    result = cli("--data", DEFAULT_DATA, "--out", "out", "-a", "desk", "-f", "pdf")
    assert result.code == 0, result.err
    assert _page_size(tmp_path / "out" / DATA_ID / "desk.pdf") == pytest.approx(LETTER)
    listed = cli("list").out
    assert f"Config file: {CONFIG_NAME}" in listed and "theme.yaml" in listed and f"config file {tmp_path / CONFIG_NAME}" in listed
    assert cli("--data", DEFAULT_DATA, "--out", "out", "-a", "desk", "-f", "pdf", "--page-size", "A4").code == 0
    assert _page_size(tmp_path / "out" / DATA_ID / "desk.pdf") == pytest.approx(A4)


# --- Personalization -----------------------------------------------------------------------------


def test_templates_use_recipient_fields_when_they_exist(tmp_path: Path) -> None:
    from briefs.pipeline import load_inputs

    _write(tmp_path / "brief.html.j2", '{% extends "builtin/brief.html.j2" %}\n{% block disclaimer %}\n'
           "<p>{% if recipient is defined and recipient.region is defined %}Region: {{ recipient.region }}{% else %}No region"
           "{% endif %}</p>\n{% endblock %}\n")
    inputs = load_inputs([DEFAULT_DATA], [tmp_path])
    brief = select(inputs.datasets[0][1], inputs.profiles["investor"])

    def text(recipient: dict[str, str] | None) -> list[str]:
        blocks = compose(brief, inputs.renderer, recipient=recipient).blocks
        return [plain_text(block.children) for block in blocks if isinstance(block, Paragraph)]

    assert text({"name": "Ada Lovelace", "organisation": "Acme", "region": "EMEA"})[-1] == "Region: EMEA"
    assert text({"name": "Ada Lovelace"})[-1] == text(None)[-1] == "No region"
    assert "Prepared for Investors: Ada Lovelace, Acme · As of 15 November 2025" in text({"name": "Ada Lovelace", "organisation": "Acme"})
    assert "Prepared for Investors: Ada Lovelace · As of 15 November 2025" in text({"name": "Ada Lovelace"})


def test_a_data_file_brings_its_organisation_and_logo_to_both_covers(cli, tiny_data, tmp_path: Path) -> None:
    _logo(tmp_path / "art" / "acme.png")
    data = tiny_data(MINIMAL.replace("summary:", "organisation: Acme Analytics\nlogo: art/acme.png\nsummary:"))
    out = tmp_path / "out"
    assert cli("--data", data, "--out", out, "-a", "investor").code == 0
    paragraphs = docx_paragraphs(out / "tiny" / "investor.docx")
    assert paragraphs[0] == ("Normal", "") and paragraphs[3][1].startswith("Acme Analytics · Prepared for Investors")
    document = docx.Document(str(out / "tiny" / "investor.docx"))
    assert document.paragraphs[0]._p.xpath(".//pic:pic")
    reader = PdfReader(str(out / "tiny" / "investor.pdf"))
    assert len(reader.pages[0].images) == 1 and "Acme Analytics · Prepared for Investors" in pdf_text(out / "tiny" / "investor.pdf")


# --- Errors that help ----------------------------------------------------------------------------


@pytest.mark.parametrize(("template", "expected"), [
    ("<p>ok</p>\n\n{% if %}\n", r"brief\.html\.j2:3: "),
    ("<p>ok</p>\n<p>{{ brief.no_such_field }}</p>\n", r"brief\.html\.j2:2: .*no_such_field.*is defined"),
    ('{% extends "builtin/brief.html.j2" %}\n{% block nosuch %}<p>x</p>{% endblock %}\n',
     r"brief\.html\.j2:2: \{% block nosuch %\} is not a block of builtin/brief\.html\.j2.*disclaimer"),
    ("<p>ok</p>\n<div>no</div>\n", r"brief\.html\.j2:2: <div> is not in the layout vocabulary"),
    ('{% extends "brief.html.j2" %}\n', r'brief\.html\.j2:1: a template cannot extend itself.*builtin/brief\.html\.j2'),
    ("<p>ok</p>\n{% include 'parts/nothere.html.j2' %}\n", r"brief\.html\.j2:2: template 'parts/nothere\.html\.j2' not found"),
])
def test_template_errors_exit_1_naming_the_user_file_and_line(cli, tmp_path: Path, template: str, expected: str) -> None:
    path = _write(tmp_path / "tpl" / "brief.html.j2", template)
    err = _fails(cli, tmp_path, "--templates", tmp_path / "tpl")
    assert re.search(expected, err), err
    assert str(path) in err


@pytest.mark.parametrize("attack", [
    "{{ ''.__class__.__mro__ }}",
    "{{ brief.__class__.__init__.__globals__ }}",
    "{% include '../secret.txt' %}",
    "{% include 'tpl/../../secret.txt' %}",
    "{% import '/etc/passwd' as p %}",
    "{% extends '../secret.txt' %}",
    "{% include 'leak.txt' %}",  # a symbolic link out of the folder
    "{{ lipsum.__globals__.os.popen('id').read() }}",
])
def test_template_attacks_from_a_user_folder_fail_cleanly(cli, tmp_path: Path, attack: str) -> None:
    _write(tmp_path / "secret.txt", "<p>SECRET</p>\n")
    (tmp_path / "tpl").mkdir()
    (tmp_path / "tpl" / "leak.txt").symlink_to(tmp_path / "secret.txt")
    _write(tmp_path / "tpl" / "brief.html.j2", f"<p>ok</p>\n{attack}\n")
    err = _fails(cli, tmp_path, "--templates", tmp_path / "tpl")
    assert "brief.html.j2:2" in err and "SECRET" not in err
    with pytest.raises(TemplateError):
        Renderer([tmp_path / "tpl"]).render("brief.html.j2", {"brief": object()})


def _theme_error(cli, tmp_path: Path, text: str) -> str:
    return _fails(cli, tmp_path, "--theme", _write(tmp_path / "theme" / "theme.yaml", text))


def test_theme_errors_exit_1_naming_the_theme_file_line_and_what_to_do(cli, tmp_path: Path) -> None:
    err = _theme_error(cli, tmp_path, "page_size: A4\nfonts:\n  body: {name: House, regular: fonts/House.ttf}\n")
    assert re.search(r"theme\.yaml:3: fonts\.body\.regular: no font file at .*House\.ttf .*put the file there", err), err
    _write(tmp_path / "theme" / "fonts" / "Fake.ttf", "not a font")
    err = _theme_error(cli, tmp_path, "fonts:\n  headings:\n    name: Fake\n    regular: fonts/Fake.ttf\n")
    assert re.search(r"theme\.yaml:4: fonts\.headings\.regular: cannot embed Fake\.ttf .*TrueType", err), err
    err = _theme_error(cli, tmp_path, "logo: {image: missing.png}\n")
    assert re.search(r"theme\.yaml:1: logo\.image: no logo image at", err), err
    _write(tmp_path / "theme" / "bad.png", "not an image")
    err = _theme_error(cli, tmp_path, "logo:\n  image: bad.png\n")
    assert re.search(r"theme\.yaml:2: logo\.image: .*bad\.png is not a PNG, JPEG or GIF image", err), err
    err = _theme_error(cli, tmp_path, "colours:\n  headings: red\n")
    assert re.search(r"theme\.yaml:2: colours\.headings: ", err), err
    err = _theme_error(cli, tmp_path, "page_size: A4\ncolour: {}\n")
    assert re.search(r"theme\.yaml:2: colour: unknown key", err), err


def test_a_missing_data_logo_exits_1_naming_the_data_file_and_line(cli, tiny_data, tmp_path: Path) -> None:
    data = tiny_data(MINIMAL.replace("summary:", "logo: art/missing.png\nsummary:"))
    err = _fails(cli, tmp_path, data=data)
    assert re.search(r"tiny\.yaml:5: logo: no image file at .*art/missing\.png .*relative to the data file", err), err


def test_unusable_settings_exit_1_naming_the_file(cli, tmp_path: Path) -> None:
    assert "no-such-folder: no such templates folder" in _fails(cli, tmp_path, "--templates", tmp_path / "no-such-folder")
    assert "nothere.docx: no such file (--reference-docx)" in _fails(cli, tmp_path, "--reference-docx", tmp_path / "nothere.docx")
    bad = _write(tmp_path / "bad.docx", "not a zip")
    assert "bad.docx: not a Word .docx document" in _fails(cli, tmp_path, "--reference-docx", bad)
    config = _write(tmp_path / "c.yaml", "templates: [.]\ncolour: red\n")
    assert re.search(r"c\.yaml:2: colour: unknown key", _fails(cli, tmp_path, "--config", config))


# --- init and list -------------------------------------------------------------------------------


def test_init_copies_working_files_and_refuses_to_overwrite(cli, tmp_path: Path, default_out: Path) -> None:
    folder = tmp_path / "house"
    result = cli("init", folder)
    assert result.code == 0, result.err
    copied = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())
    assert copied == sorted(["README.md", "brief.html.j2", "onepage.html.j2", "email.html.j2", "email.txt.j2", "styles/theme.yaml",
                             "styles/reference.docx", "topics.yaml",
                             *(f"audiences/{a}.yaml" for a in AUDIENCES)])
    readme = (folder / "README.md").read_text(encoding="utf-8")
    assert all(name in readme for name in ("brief.html.j2", "audiences/", "theme.yaml", "reference.docx", "topics.yaml",
                                           "email.txt.j2"))
    (folder / "brief.html.j2").write_text("<p>mine</p>\n", encoding="utf-8")
    again = cli("init", folder)
    assert again.code == 1 and "already exist" in again.err and "--force" in again.err
    assert (folder / "brief.html.j2").read_text(encoding="utf-8") == "<p>mine</p>\n"
    assert cli("init", folder, "--force").code == 0
    pdf = _brief(cli, tmp_path / "out", "--templates", folder)
    assert pdf.read_bytes() == (default_out / "investor.pdf").read_bytes()
    docx_path = _brief(cli, tmp_path / "out", "--templates", folder, fmt="docx")
    assert docx_paragraphs(docx_path) == docx_paragraphs(default_out / "investor.docx")


def test_list_shows_where_each_audience_template_and_style_comes_from(cli, tmp_path: Path) -> None:
    tpl = tmp_path / "tpl"
    _write(tpl / "audiences" / "desk.yaml", PROFILE.format(id="desk", label="Trading desk"))
    _write(tpl / "audiences" / "investor.yaml", PROFILE.format(id="investor", label="Fund managers"))
    _write(tpl / "brief.html.j2", '{% extends "builtin/brief.html.j2" %}\n')
    _write(tpl / "styles" / "theme.yaml", "page_size: Letter\n")
    result = cli("list", "--templates", tpl)
    assert result.code == 0, result.err
    lines = result.out.splitlines()

    def row(*words: str) -> str:
        found = [line for line in lines if all(word in line for word in words)]
        assert len(found) == 1, (words, result.out)
        return found[0]

    assert "user folder" in row("desk", "Trading desk")
    assert "user folder" in row("investor", "Fund managers")
    assert "built-in, shadowed by" in row("investor", "templates/audiences/investor.yaml", "shadowed")
    assert "built-in" in row("manufacturer", "Manufacturers")
    assert "shadowed by" in row("brief.html.j2", "built-in")
    assert f"templates folder {tpl}" in row("theme", "theme.yaml")
    assert "built-in" in row("reference DOCX", "a copy to start from")
    assert DATA_ID in result.out


# --- Slow: external programs -----------------------------------------------------------------------


@pytest.mark.slow
def test_pdffonts_lists_every_theme_font_embedded(cli, tmp_path: Path) -> None:
    import shutil
    import subprocess

    if not shutil.which("pdffonts") or not SERIF.is_file():
        pytest.skip("pdffonts or DejaVu Serif missing")
    theme = _write(tmp_path / "t.yaml", f"fonts:\n  headings: {{name: Serif, regular: {SERIF}, bold: {SERIF_BOLD}}}\n")
    path = _brief(cli, tmp_path / "out", "--theme", theme)
    listing = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    rows = [line.split() for line in listing.splitlines()[2:]]
    assert any("DejaVuSerif-Bold" in row[0] for row in rows)
    assert all(row[-5] == "yes" for row in rows)  # every font embedded


def _minimal_docx(path: Path) -> Path:
    """Write a .docx as LibreOffice might: a few styles, no numbering part, a lowercase core-properties relationship."""
    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    wml = "application/vnd.openxmlformats-officedocument.wordprocessingml"
    files = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/word/document.xml" ContentType="{wml}.document.main+xml"/>'
            f'<Override PartName="/word/styles.xml" ContentType="{wml}.styles+xml"/>'
            '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
            "</Types>"),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officedocument/2006/relationships/metadata/core-properties" '
            'Target="docProps/core.xml"/>'
            '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
            'Target="word/document.xml"/></Relationships>'),
        "docProps/core.xml": (
            '<?xml version="1.0" encoding="UTF-8"?><cp:coreProperties '
            'xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>LibreOffice</dc:title></cp:coreProperties>'),
        "word/_rels/document.xml.rels": (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" '
            'Target="styles.xml"/></Relationships>'),
        "word/document.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><w:document {w}><w:body><w:p><w:r><w:t>REFERENCE BODY TEXT</w:t></w:r></w:p>'
            '<w:sectPr><w:pgSz w:w="12240" w:h="15840"/><w:pgMar w:top="1134" w:right="1134" w:bottom="1134" w:left="1134" '
            'w:header="0" w:footer="0" w:gutter="0"/></w:sectPr></w:body></w:document>'),
        "word/styles.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><w:styles {w}>'
            '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>'
            '<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/>'
            '<w:rPr><w:color w:val="006633"/></w:rPr></w:style>'
            '<w:style w:type="paragraph" w:styleId="ListBullet"><w:name w:val="List Bullet"/><w:basedOn w:val="Normal"/></w:style>'
            "</w:styles>"),
    }
    with zipfile.ZipFile(path, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return path


def test_one_theme_styles_the_docx_as_it_styles_the_pdf(cli, tmp_path: Path) -> None:
    """Headings, labels per kind, the table look, chart bars, fonts and margins of the DOCX all come from the theme."""
    theme = tmp_path / "house.yaml"
    theme.write_text('margins: 2.5\nbase_font_size: 12\ncolours:\n  headings: "#8b1a1a"\n  bars: "#00a050"\n'
                     '  table_header: "#ffe0e0"\n  labels: {unverified: "#6a0dad", reported: "#00607a"}\n', encoding="utf-8")
    assert cli("-a", "researcher", "--theme", theme, "--out", tmp_path / "out").code == 0
    path = tmp_path / "out" / "us-japan-critical-minerals-2025" / "researcher.docx"
    document = docx.Document(str(path))
    styles = document.styles
    assert styles["Heading 1"].font.color.rgb == RGBColor.from_string("8B1A1A") == styles["Title"].font.color.rgb
    assert styles["Label Unverified"].font.color.rgb == RGBColor.from_string("6A0DAD")
    assert styles["Label Reported"].font.color.rgb == RGBColor.from_string("00607A")
    assert styles["Normal"].font.size.pt == 12 and styles["Heading 1"].font.size.pt == pytest.approx(13.5 * 12 / 10.5, abs=0.5)
    assert round(document.sections[0].left_margin.cm, 2) == 2.5
    xml = path.read_bytes()
    with zipfile.ZipFile(path) as package:
        body = package.read("word/document.xml").decode()
        table_style = package.read("word/styles.xml").decode()
        chart = next(Image.open(io.BytesIO(package.read(name))).convert("RGB") for name in package.namelist()
                     if name.startswith("word/media/"))
    assert xml and 'w:styleId="LabelUnverified"' in table_style and 'w:rStyle w:val="LabelUnverified"' in body
    assert 'w:fill="FFE0E0"' in table_style and 'w:tblStyle w:val="BriefTable"' in body
    assert (0, 160, 80) in {colour for _, colour in chart.getcolors(1 << 20)}  # the theme's bar colour
    fonts = list(styles.element.iter(qn("w:rFonts")))
    assert {f.get(qn("w:ascii")) for f in fonts} - {None, "Courier"} == {"DejaVu Sans"}  # the PDF's family (Courier: code styles)
    assert not any(f.get(qn("w:asciiTheme")) for f in fonts)  # no Calibri or Cambria from Word's theme left to win


def test_a_colour_without_quotes_is_an_error_not_the_builtin_colour(cli, tmp_path: Path) -> None:
    theme = tmp_path / "house.yaml"
    theme.write_text("colours:\n  headings: #8b1a1a\n", encoding="utf-8")  # YAML reads the bare # as a comment
    result = cli("--theme", theme, "--out", tmp_path / "out")
    assert result.code == 1 and not (tmp_path / "out").exists()
    assert f"{theme}:2: error: colours.headings: no value (a colour goes in quotes" in result.err, result.err


def test_a_theme_in_an_init_folder_styles_the_docx_while_its_reference_is_the_unchanged_copy(cli, tmp_path: Path) -> None:
    assert cli("init", tmp_path / "house").code == 0
    theme = tmp_path / "house" / "styles" / "theme.yaml"
    theme.write_text(theme.read_text(encoding="utf-8").replace('headings: "#1f3864"', 'headings: "#8b1a1a"')
                     .replace("page_size: A4", "page_size: Letter"), encoding="utf-8")
    assert cli("--templates", tmp_path / "house", "-a", "investor", "-f", "docx", "--out", tmp_path / "out").code == 0
    document = docx.Document(str(tmp_path / "out" / "us-japan-critical-minerals-2025" / "investor.docx"))
    assert document.styles["Heading 1"].font.color.rgb == RGBColor.from_string("8B1A1A")
    assert round(document.sections[0].page_width.pt) == 612
    assert "reference-over-theme" not in cli("check", "--templates", tmp_path / "house", "--format", "json").out
    reference = tmp_path / "house" / "styles" / "reference.docx"
    changed = docx.Document(str(reference))
    changed.styles["Heading 1"].font.size = docx.shared.Pt(15)
    changed.save(str(reference))
    assert "the DOCX briefs take their Word styles" in cli("check", "--templates", tmp_path / "house").out


def test_two_themes_at_once_are_refused_and_formats_are_read_in_any_case(cli, tmp_path: Path) -> None:
    first, second = tmp_path / "a.yaml", tmp_path / "b.yaml"
    first.write_text("base_font_size: 11\n", encoding="utf-8")
    second.write_text("base_font_size: 12\n", encoding="utf-8")
    result = cli("--theme", first, "--pdf-theme", second, "--out", tmp_path / "out")
    assert result.code == 1 and "give one theme" in result.err
    assert cli("-f", "HTML", "-a", "investor", "--out", tmp_path / "out").code == 0
    assert (tmp_path / "out" / "us-japan-critical-minerals-2025" / "investor.html").is_file()


def test_docx_lists_and_tables_take_the_pdfs_look(default_out: Path) -> None:
    """Bullets in the heading colour, header cells bold as text, horizontal rules only."""
    with zipfile.ZipFile(default_out / "researcher.docx") as package:
        numbering = package.read("word/numbering.xml").decode()
        styles = package.read("word/styles.xml").decode()
        body = package.read("word/document.xml").decode()
    assert f'w:color w:val="{Theme().heading_colour[1:].upper()}"' in numbering
    table_style = styles[styles.index('w:styleId="BriefTable"'):]
    table_style = table_style[: table_style.index("</w:style>")]
    borders = table_style[table_style.index("<w:tblBorders>"): table_style.index("</w:tblBorders>")]
    assert "insideH" in borders and not any(f"<w:{side} " in borders for side in ("insideV", "left", "right"))
    header_row = body[body.index("<w:tblHeader/>"): body.index("</w:tr>", body.index("<w:tblHeader/>"))]
    assert header_row.count('<w:rStyle w:val="Strong"/>') >= 2
