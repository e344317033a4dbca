"""The HTML writer, read back as a browser or a screen reader would: structure, links, escaping, self-containment."""

from __future__ import annotations

import dataclasses
import io
import itertools
import re
from pathlib import Path

import lxml.html
import pytest
from conftest import AUDIENCES, DEFAULT_DATA
from kitchen_sink import SCRIPTS, kitchen_sink
from PIL import Image

from briefs.doctree import (
    Block,
    BulletList,
    Callout,
    Citation,
    Document,
    Figure,
    Heading,
    Label,
    Link,
    OrderedList,
    Paragraph,
    Table,
    Text,
)
from briefs.pages import PAGE_SIZES
from briefs.writers import WRITERS, Logo, Style, default_formats, get_writer
from briefs.writers.html import write
from briefs.writers.theme import Theme

HOSTILE = "<script>alert(1)</script>"
QUOTES = "x\" onmouseover=\"alert(2)' & <b>"


def _html(document: Document | None = None, style: Style | None = None) -> tuple[bytes, list[str]]:
    out = io.BytesIO()
    warnings = write(document or kitchen_sink(), out, style)
    return out.getvalue(), warnings


def _tree(data: bytes) -> lxml.html.HtmlElement:
    return lxml.html.document_fromstring(data)


def _with(*extra: Block, document: Document | None = None) -> Document:
    """Return the kitchen sink with blocks added before its disclaimer."""
    base = document or kitchen_sink()
    return dataclasses.replace(base, blocks=base.blocks[:-1] + extra + base.blocks[-1:])


@pytest.fixture(scope="module")
def sink() -> tuple[bytes, list[str]]:
    return _html()


@pytest.fixture(scope="module")
def tree(sink: tuple[bytes, list[str]]) -> lxml.html.HtmlElement:
    return _tree(sink[0])


def _headings(tree: lxml.html.HtmlElement) -> list[lxml.html.HtmlElement]:
    return list(tree.xpath("//h1|//h2|//h3|//h4|//h5|//h6"))


def test_the_page_says_its_language_charset_title_and_properties(tree: lxml.html.HtmlElement, sink: tuple[bytes, list[str]]) -> None:
    assert sink[0].startswith(b"<!DOCTYPE html>\n")
    assert sink[1] == []
    assert tree.get("lang") == "en"
    assert tree.xpath("//meta[@charset]")[0].get("charset").lower() == "utf-8"
    assert tree.findtext(".//title") == "Kitchen sink"
    assert tree.xpath("//meta[@name='viewport']")
    meta = {m.get("name"): m.get("content") for m in tree.xpath("//meta[@name]")}
    assert (meta["description"], meta["author"], meta["keywords"]) == ("Brief for Testers", "Test Org", "one, two")


def test_the_title_block_is_the_header_and_the_rest_is_main(tree: lxml.html.HtmlElement) -> None:
    header, main = tree.find(".//header"), tree.find(".//main")
    assert [el.text_content() for el in header] == ["Kitchen sink", "Every node kind", "Prepared for Testers"]
    assert [el.tag for el in header] == ["h1", "p", "p"]
    assert [el.get("class") for el in header[1:]] == ["subtitle", "meta"]
    assert main[0].get("class") == "bottom-line"
    body = tree.find("body").text_content()
    assert "Kitchen sink · Testers" not in body  # the running header is for print only
    assert re.search(r"@top-center \{ content: \"Kitchen sink \\b7  Testers\"", tree.findtext(".//style"))


def test_one_h1_no_skipped_level_and_unique_ids(tree: lxml.html.HtmlElement) -> None:
    headings = _headings(tree)
    levels = [int(h.tag[1]) for h in headings]
    assert levels.count(1) == 1 and levels[0] == 1
    assert all(b <= a + 1 for a, b in itertools.pairwise(levels))
    assert all(h.get("id") for h in headings)
    ids = tree.xpath("//@id")
    assert len(ids) == len(set(ids))


def test_skipping_and_repeated_headings_are_clamped_and_get_distinct_ids() -> None:
    meta = kitchen_sink().meta
    document = Document(meta, (
        Heading(3, (Text("Deep"),)), Heading(1, (Text("Top"),), anchor="top"), Heading(3, (Text("Top"),)),
        Heading(2, (Text("Top"),)), Heading(1, (Text("Again"),), anchor="top"),
    ))
    tree = _tree(_html(document)[0])
    headings = _headings(tree)
    # No title paragraph: a visually hidden h1 holds the document's title.
    assert [(h.tag, h.text_content()) for h in headings] == [
        ("h1", "Kitchen sink"), ("h2", "Deep"), ("h2", "Top"), ("h3", "Top"), ("h3", "Top"), ("h2", "Again"),
    ]
    ids = [h.get("id") for h in headings]
    assert len(set(ids)) == len(ids) and ids[2] == "top"


def test_every_internal_link_and_citation_resolves(tree: lxml.html.HtmlElement) -> None:
    ids = set(tree.xpath("//@id"))
    internal = [a.get("href") for a in tree.xpath("//a[starts-with(@href, '#')]")]
    assert {"#src-1", "#src-2"} <= set(internal)
    assert all(href[1:] in ids for href in internal)
    cited = tree.xpath("//main/p")[1]
    assert cited.text_content() == "Plain strong em [1, 2]"
    assert [a.get("href") for a in cited.xpath(".//a")] == ["#src-1", "#src-2"]


def test_citations_and_anchor_links_to_missing_targets_are_plain_text() -> None:
    document = _with(Paragraph((Text("See "), Citation((9,)), Text(" and "), Link("#nowhere", (Text("there"),)))))
    tree = _tree(_html(document)[0])
    paragraph = next(p for p in tree.xpath("//p") if p.text_content().startswith("See "))
    assert paragraph.text_content() == "See [9] and there"
    assert not paragraph.xpath(".//a")


def test_only_http_https_and_mailto_links_are_made() -> None:
    document = _with(Paragraph((
        Link("https://example.org/?a=1&b='2'", (Text("web"),)), Link("mailto:desk@example.org", (Text("mail"),)),
        Link("javascript:alert(1)", (Text("bad"),)),
    )))
    data, warnings = _html(document)
    tree = _tree(data)
    hrefs = [a.get("href") for a in tree.xpath("//a[not(starts-with(@href, '#'))]")]
    assert "https://example.org/?a=1&b='2'" in hrefs and "mailto:desk@example.org" in hrefs
    assert not any("javascript" in href for href in hrefs)
    assert any("javascript:alert(1)" in w for w in warnings)


def test_table_cells_carry_scopes_and_numeric_columns_align_right(tree: lxml.html.HtmlElement) -> None:
    table = tree.find(".//table")
    assert [(th.get("scope"), th.text_content()) for th in table.xpath("./thead/tr/th")] == [("col", "Name"), ("col", "Value")]
    rows = table.xpath("./tbody/tr")
    assert len(rows) == 8
    for row in rows:
        assert row[0].tag == "th" and row[0].get("scope") == "row"
        assert row[1].tag == "td" and row[1].get("class") == "num"
    assert "num" in (table.xpath("./thead/tr/th")[1].get("class") or "")
    assert re.search(r"\.num \{ text-align: right", tree.findtext(".//style"))


def test_ragged_and_empty_tables_render() -> None:
    document = _with(Table(((Text("A"),),), (((Text("1"),), (Text("2"),), (Text("3"),)),), (True,)), Table((), (), ()))
    tree = _tree(_html(document)[0])
    ragged = tree.xpath("//table")[-1]
    assert len(ragged.xpath("./thead/tr/th")) == 3
    assert [c.get("class") for c in ragged.xpath("./tbody/tr/*")] == ["num", None, None]


def test_figure_is_an_accessible_svg_with_one_bar_per_point(tree: lxml.html.HtmlElement) -> None:
    figure = tree.find(".//figure")
    svg = figure.find("svg")
    assert svg.get("role") == "img"
    title = svg.find("title")
    assert svg.get("aria-labelledby") == title.get("id")
    assert title.text == "Bar chart of three values."
    assert len(svg.findall(".//rect")) == 3
    texts = [t.text for t in svg.iter("text")]
    assert {"270,000", "45,000", "31,000", "China", "Myanmar", "t REO"} <= set(texts)
    assert figure.findtext("figcaption") == "Figure 1. A chart"


@pytest.mark.parametrize("points", [
    (("Gain", 12.5), ("Loss", -7.25), ("Flat", 0.0)),
    (("A", 0.0), ("B", 0.0)),
    (("Only", 3.0),),
    (("Tiny", 0.001), ("Huge", 1e12)),
    (("Negative", -5.0),),
    tuple((f"A rather long category name {n}", float(n)) for n in range(14)),
])
def test_charts_of_awkward_data_draw_inside_their_box(points: tuple[tuple[str, float], ...]) -> None:
    figure = Figure("odd", "Odd", points, None, "Odd data", (Text("Odd"),))
    svg = _tree(_html(_with(figure))[0]).xpath("//svg")[-1]
    _, _, width, height = (float(v) for v in svg.get("viewbox").split())  # lxml.html lowercases names
    rects = svg.findall(".//rect")
    assert len(rects) == len(points)
    for rect in rects:
        x, y, w, h = (float(rect.get(name)) for name in ("x", "y", "width", "height"))
        assert x >= 0 and y >= 0 and h >= 0
        assert x + w <= width and y + h <= height
    assert not re.search(r"\d\.\d{3}", lxml.html.tostring(svg).decode())  # at most two decimals


def test_figure_without_points_keeps_its_caption() -> None:
    tree = _tree(_html(_with(Figure("none", "None", (), None, "No data", (Text("Caption only"),))))[0])
    figure = tree.xpath("//figure")[-1]
    assert figure.find("svg") is None and figure.findtext("figcaption") == "Caption only"


def test_labels_carry_their_kind_and_the_theme_colour() -> None:
    theme = Theme(label_colours=(("unverified", "#a1b2c3"),))
    tree = _tree(_html(style=Style(theme=theme))[0])
    label = tree.xpath("//strong[contains(@class, 'label')]")[0]
    assert label.get("class") == "label label-unverified" and label.text == "UNVERIFIED"
    assert ".label-unverified { color: #a1b2c3; }" in tree.findtext(".//style")


def test_changed_items_and_callouts_are_marked() -> None:
    document = _with(
        BulletList(((Text("old"),), (Text("new"),)), (1,)), OrderedList(((Text("first"),),), (0,)),
        Callout((Paragraph((Text("Careful."),)),), "caveat"), Callout((Paragraph((Text("Aside."),)),), "note"),
        BulletList(()),
    )
    tree = _tree(_html(document)[0])
    assert [li.text_content() for li in tree.xpath("//li[@class='changed']")] == ["new", "first"]
    classes = [aside.get("class") for aside in tree.xpath("//aside")]
    assert classes == ["callout callout-caveat", "callout callout-note", "callout callout-disclaimer"]
    css = tree.findtext(".//style")
    assert Theme().caveat_fill in css and Theme().note_fill in css


def test_data_text_is_escaped_everywhere() -> None:
    base = kitchen_sink()
    meta = dataclasses.replace(base.meta, title=HOSTILE, author=QUOTES, header=HOSTILE + "}</style>", keywords=(QUOTES,))
    document = _with(
        Paragraph((Text(HOSTILE), Label(HOSTILE, QUOTES)), anchor=QUOTES),
        Heading(1, (Text(QUOTES),)),
        Figure("x\"y", HOSTILE, ((HOSTILE, 1.0),), QUOTES, HOSTILE, (Text(HOSTILE),)),
        document=dataclasses.replace(base, meta=meta),
    )
    data, _ = _html(document)
    tree = _tree(data)
    assert not tree.xpath("//script") and not tree.xpath("//b") and b"<script" not in data
    assert b"onmouseover=\"alert" not in data
    assert tree.findtext(".//title") == HOSTILE
    assert tree.xpath("//meta[@name='author']")[0].get("content") == QUOTES
    assert any(p.text_content().startswith(HOSTILE) for p in tree.xpath("//p"))
    assert tree.xpath("//svg/title")[-1].text == HOSTILE
    assert len(tree.xpath("//style")) == 1 and "</style>" not in tree.findtext(".//style")


def test_nothing_is_loaded_from_outside(tmp_path: Path) -> None:
    logo = tmp_path / "logo.png"
    Image.new("RGB", (40, 20), "#1f3864").save(logo)
    data, warnings = _html(style=Style(logo=Logo(logo, "right", 4.0)))
    tree = _tree(data)
    assert warnings == []
    assert not tree.xpath("//script|//link|//iframe|//object|//embed")
    assert "@import" not in data.decode() and "url(" not in data.decode()
    assert [img.get("src")[:22] for img in tree.xpath("//img")] == ["data:image/png;base64,"]
    image = tree.xpath("//header//img")[0]
    assert image.get("alt") == "" and "4cm" in image.get("style")
    assert image.getparent().get("class") == "logo logo-right"
    external = [a.get("href") for a in tree.xpath("//*[@href]") if not a.get("href").startswith("#")]
    assert external == ["https://example.org/" + "long-path-segment/" * 8]  # the data's one link


def test_the_theme_logo_is_used_when_the_style_has_none(tmp_path: Path) -> None:
    logo = tmp_path / "logo.jpg"
    Image.new("RGB", (40, 20), "white").save(logo)
    tree = _tree(_html(style=Style(theme=Theme(logo=Logo(logo, "center"))))[0])
    assert tree.xpath("//img")[0].get("src").startswith("data:image/jpeg;base64,")


def test_same_input_gives_byte_identical_output(sink: tuple[bytes, list[str]]) -> None:
    assert _html()[0] == sink[0]


def test_every_script_survives(tree: lxml.html.HtmlElement) -> None:
    text = tree.find(".//main").text_content()
    assert len(SCRIPTS) >= 5
    for sample in SCRIPTS.values():
        assert sample in text


def test_print_rules_follow_the_page_size_margins_and_fonts() -> None:
    theme = Theme(margins_cm=(1.5, 2.0, 2.5, 3.0), base_font_size=12, heading_colour="#123456")
    data, _ = _html(style=Style(theme=theme, page_size=PAGE_SIZES["Letter"]))
    css = _tree(data).findtext(".//style")
    assert "size: 612.00pt 792.00pt;" in css and "margin: 1.5cm 2cm 2.5cm 3cm;" in css
    assert "font-size: 12pt" in css and "#123456" in css
    assert '"DejaVu Sans", Verdana' in css
    assert "break-after: avoid" in css and "break-inside: avoid" in css


def test_html_is_registered_but_not_a_default_format() -> None:
    assert WRITERS["html"].media_type == "text/html" and not WRITERS["html"].default
    assert "html" not in default_formats() and get_writer("html") is write


def test_generate_writes_one_html_page_per_audience(cli, tmp_path: Path) -> None:
    result = cli("--data", DEFAULT_DATA, "-f", "html", "--out", tmp_path)
    assert result.code == 0, result.err
    folder = tmp_path / "us-japan-critical-minerals-2025"
    assert sorted(p.name for p in folder.iterdir()) == sorted(f"{a}.html" for a in AUDIENCES)
    tree = _tree((folder / "policymaker.html").read_bytes())
    assert tree.get("lang") == "en-GB" and len(tree.xpath("//h1")) == 1  # the data file's language
    ids = set(tree.xpath("//@id"))
    assert all(a.get("href")[1:] in ids for a in tree.xpath("//a[starts-with(@href, '#')]"))


def test_the_default_run_writes_no_html(default_out: Path) -> None:
    assert {p.suffix for p in default_out.iterdir()} == {".docx", ".pdf"}
