"""Templates: data renders literally in both formats; template errors name the file and line."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import MINIMAL
from readback import docx_text, html_text, pdf_text, squash

from briefs.errors import InvalidInput, TemplateError
from briefs.pipeline import load_inputs
from briefs.rendering import Renderer

ROOT_DIR = Path(__file__).resolve().parent.parent

HOSTILE = "Bold <b>not bold</b> & R&D {{ 7*7 }} {% raw %} **x** # h 高市早苗 x' color='red \"q\""


def _hostile_data(tiny_data) -> Path:
    quoted = HOSTILE.replace("\\", "\\\\").replace('"', '\\"')
    return tiny_data(MINIMAL.replace("text: The first fact.", f'text: "{quoted}"'))


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_data_text_comes_out_literally(cli, tiny_data, tmp_path: Path, fmt: str) -> None:
    path = _hostile_data(tiny_data)
    profile_dir = tmp_path / "tpl" / "audiences"
    profile_dir.mkdir(parents=True)
    (profile_dir / "tester.yaml").write_text(
        "id: tester\nlabel: Testers\nfocus: Tests\ninterests: {markets: 1}\nmax_facts: 5\nmin_score: 1\n"
        "sections: [key_facts, sources]\ndisclaimer: Test.\n",
        encoding="utf-8",
    )
    result = cli("--data", path, "--out", tmp_path / "out", "-a", "tester", "-f", fmt, "--templates", tmp_path / "tpl")
    assert result.code == 0, result.err
    output = tmp_path / "out" / "tiny" / f"tester.{fmt}"
    text = docx_text(output) if fmt == "docx" else pdf_text(output)
    assert squash(HOSTILE) in squash(text)
    assert "49" not in text


def test_undefined_name_fails_naming_template_and_line(tmp_path: Path) -> None:
    (tmp_path / "brief.html.j2").write_text("<p>ok</p>\n<p>{{ brief.no_such_field }}</p>\n", encoding="utf-8")
    from briefs.compose import compose
    from briefs.selection import select

    inputs = load_inputs([Path(__file__).parent.parent / "data" / "us-japan-critical-minerals-2025.yaml"])
    brief = select(inputs.datasets[0][1], inputs.profiles["investor"])
    with pytest.raises(TemplateError, match=r"brief\.html\.j2:2: .*no_such_field"):
        compose(brief, Renderer([tmp_path]))
    with pytest.raises(InvalidInput, match=r"brief\.html\.j2:2: error: .*no_such_field"):
        load_inputs([Path(__file__).parent.parent / "data" / "us-japan-critical-minerals-2025.yaml"], [tmp_path])


def test_template_syntax_error_names_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "brief.html.j2").write_text("<p>ok</p>\n\n{% if %}\n", encoding="utf-8")
    with pytest.raises(TemplateError, match=r"brief\.html\.j2:3: "):
        Renderer([tmp_path]).template("brief.html.j2")


def test_tag_outside_the_vocabulary_names_template_line(tmp_path: Path) -> None:
    (tmp_path / "brief.html.j2").write_text("<p>ok</p>\n<div>no</div>\n", encoding="utf-8")
    with pytest.raises(TemplateError, match=r"brief\.html\.j2:2: <div> is not in the layout vocabulary"):
        Renderer([tmp_path]).template("brief.html.j2")


@pytest.mark.parametrize(
    "attack",
    [
        "{{ ''.__class__.__mro__ }}",
        "{{ brief.__class__.__init__.__globals__ }}",
        "{% include '/etc/passwd' %}",
        "{% include '../../../../etc/passwd' %}",
        "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
    ],
)
def test_template_attacks_fail_cleanly(tmp_path: Path, attack: str) -> None:
    (tmp_path / "brief.html.j2").write_text(f"<p>{attack}</p>\n", encoding="utf-8")
    renderer = Renderer([tmp_path])
    with pytest.raises(TemplateError):
        renderer.render("brief.html.j2", {"brief": object()})


def test_a_note_on_an_unlabelled_item_is_printed_under_it_and_a_conflict_names_its_measure(cli, tmp_path: Path) -> None:
    data = ROOT_DIR / "tests" / "fixtures" / "eu-battery.yaml"
    result = cli("--data", data, "--out", tmp_path, "-a", "manufacturer", "-f", "pdf")
    assert result.code == 0, result.err
    text = squash(pdf_text(tmp_path / "eu-battery-regulation" / "manufacturer.pdf"))
    # A confirmed FAQ's note shows beside it; a reported fact's note shows with its REPORTED label in the caveats.
    assert squash("Note: Importers carry the obligations of the producer") in text
    assert "Note:Seenin" not in text
    assert squash("REPORTED The due-diligence obligations on cobalt") in text
    assert squash("[2] Seen in a trade report; check the amending act") in text
    assert squash("SOURCES DISAGREE on the minimum share of recycled cobalt in 2031: 16 %") in text
    assert "min-recycled-cobalt-2031" not in text


def _disagreeing(tiny_data, first: str, second: str) -> Path:
    """Return a data file whose two facts measure one thing with different values, labelled `first` and `second`."""
    def quantity(value: int, label: str) -> str:
        return f"    quantity: {{value: {value}, unit: t, measure: output, label: \"{label}\"}}\n"
    two = ("  - id: fact-two\n    text: The second fact.\n    topics: [markets]\n    sources: [src-a]\n    status: confirmed\n"
           + quantity(140000, second))
    return tiny_data(MINIMAL.replace("    status: confirmed\n", "    status: confirmed\n" + quantity(270000, first)) + two)


def _disagreement(cli, path: Path, tmp_path: Path) -> str:
    """Return the brief's "sources disagree" line, rendered as HTML text."""
    profile_dir = tmp_path / "tpl" / "audiences"
    profile_dir.mkdir(parents=True)
    (profile_dir / "tester.yaml").write_text(
        "id: tester\nlabel: Testers\nfocus: Tests\ninterests: {markets: 1}\nmax_facts: 5\nmin_score: 1\n"
        "sections: [key_facts, caveats, sources]\ndisclaimer: Test.\n", encoding="utf-8")
    result = cli("--data", path, "--out", tmp_path / "out", "-a", "tester", "-f", "html", "--templates", tmp_path / "tpl")
    assert result.code == 0, result.err
    text = " ".join(html_text(tmp_path / "out" / "tiny" / "tester.html").split())
    return text[text.index("SOURCES DISAGREE", text.index("Key facts")):]  # the first, after the legend's


def test_a_disagreement_between_facts_labelled_differently_quotes_each_fact(cli, tiny_data, tmp_path: Path) -> None:
    line = _disagreement(cli, _disagreeing(tiny_data, "Mine output", "Refined output"), tmp_path)
    assert not line.startswith("SOURCES DISAGREE on"), line  # neither label is true of both facts
    assert line.startswith("SOURCES DISAGREE “The first fact.” 270,000 t"), line
    assert "“The second fact.” 140,000 t" in line


def test_a_disagreement_between_facts_sharing_a_label_is_named_by_it(cli, tiny_data, tmp_path: Path) -> None:
    line = _disagreement(cli, _disagreeing(tiny_data, "Mine output", "Mine output"), tmp_path)
    assert line.startswith("SOURCES DISAGREE on Mine output: 270,000 t"), line


ENDINGS = [  # (publisher, title): each already ends a sentence but the last, which needs its full stop
    ("Acme Inc.", "Stop the line!"),
    ("Publisher B", "Why now?"),
    ("Publisher C", "Wait for it…"),
    ("Publisher D", 'He said "no."'),
    ("Publisher E", "A plain title"),
]


@pytest.fixture(scope="module")
def ending_briefs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """Return a brief citing sources whose names end in every way, in each format, by format."""
    from conftest import run_cli

    from briefs.writers import formats

    folder = tmp_path_factory.mktemp("endings")
    sources = "".join(f"  - id: s{i}\n    title: '{title}'\n    publisher: {publisher}\n    reliability: B\n"
                      f"    url: https://example.org/{i}{'?' if i == 0 else ''}\n"
                      for i, (publisher, title) in enumerate(ENDINGS))
    cited = ", ".join(f"s{i}" for i in range(len(ENDINGS)))
    text = MINIMAL.split("sources:\n")[0] + "sources:\n" + sources + "facts:" + MINIMAL.split("facts:")[1].replace("[src-a]", f"[{cited}]")
    text += "figures:\n  - id: fig\n    title: Who mines it?\n    source: s0\n    topics: [markets]\n    data: {a: 1, b: 2}\n"
    (folder / "d.yaml").write_text(text, encoding="utf-8")
    chosen = [arg for fmt in formats() for arg in ("-f", fmt)]
    result = run_cli("--data", folder / "d.yaml", "--out", folder / "out", "-a", "investor", *chosen)
    assert result.code == 0, result.err
    return {fmt: (folder / "out" / "tiny" / f"investor.{fmt}").read_bytes() for fmt in formats()}


@pytest.mark.parametrize("fmt", ["docx", "pdf", "html"])
def test_a_full_stop_is_added_only_where_a_name_does_not_end_a_sentence(ending_briefs: dict[str, bytes], fmt: str) -> None:
    from readback import READERS

    text = squash(READERS[fmt](ending_briefs[fmt]))
    for publisher, title in ENDINGS:
        after_publisher, after_title = "" if publisher == "Acme Inc." else ".", "." if title == "A plain title" else ""
        assert squash(f"{publisher}{after_publisher} {title}{after_title} https://example.org/") in text, (publisher, title)
    assert squash("Acme Inc.. ") not in text and squash("!.") not in text and squash("?.") not in text
    assert squash("https://example.org/0? Reliability") in text and squash("https://example.org/4. Reliability") in text
    assert squash("Who mines it?") in text and squash("Who mines it?.") not in text


def test_composing_a_brief_looks_its_words_up_once_per_render_not_once_per_phrase(monkeypatch: pytest.MonkeyPatch) -> None:
    """The brief's template asks for words about 170 times, and each lookup looks at the override files on disk (so
    the preview sees an edited one): a render looks once (compose itself once more, for the document's words)."""
    from conftest import DEFAULT_DATA

    from briefs import rendering
    from briefs.compose import compose
    from briefs.selection import select

    inputs = load_inputs([DEFAULT_DATA])
    profile = next(iter(inputs.profiles.values()))
    brief = select(inputs.datasets[0][1], profile)
    looked_up: list[str] = []
    original = rendering.catalogue

    def counting(language: str, folders: object = ()) -> object:
        looked_up.append(language)
        return original(language, folders)  # type: ignore[arg-type]

    monkeypatch.setattr(rendering, "catalogue", counting)
    document = compose(brief, inputs.renderer, template=profile.template)
    assert document.blocks and 1 <= len(looked_up) <= 2 and set(looked_up) == {brief.language}
