"""Every class of input that once crashed or hung: bounded at load with file, line and field, or drawn."""

from __future__ import annotations

import copy
import io
import time
import zipfile
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, error_lines, one_error
from fuzzing import VALID_DATA
from PIL import Image
from readback import docx_text, pdf_text, squash


def _data(tmp_path: Path, **changes: object) -> Path:
    document = copy.deepcopy(VALID_DATA)
    for dotted, value in changes.items():
        *head, last = dotted.split(".")
        target: object = document
        for part in head:
            target = target[int(part)] if part.isdigit() else target[part]  # type: ignore[index]
        target[int(last) if last.isdigit() else last] = value  # type: ignore[index]
    path = tmp_path / "fuzz.yaml"
    path.write_text(yaml.safe_dump(document, allow_unicode=True, width=10**9), encoding="utf-8")
    return path


def _ok(cli, tmp_path: Path, data: Path, *extra: str) -> Path:  # type: ignore[no-untyped-def]
    result = cli("--data", data, "--out", tmp_path / "out", "-a", "investor", *extra)
    assert result.code == 0, result.err
    return tmp_path / "out" / "fuzz"


def _refused(cli, tmp_path: Path, data: Path, *extra: str) -> str:  # type: ignore[no-untyped-def]
    result = cli("--data", data, "--out", tmp_path / "out", "-a", "investor", *extra)
    assert result.code == 1 and not (tmp_path / "out").exists(), result.err
    return one_error(result.err)


@pytest.mark.parametrize("values", [
    {"A": 0, "B": 0}, {"Only": 5}, {"A": -5, "B": 3, "C": -1e6}, {"Huge": 1e15, "Small": 1}, {"A": 1e-300, "B": 2e-300},
    {"x" * 200: 1, "word " * 39 + "end": 2},
], ids=["zeros", "one bar", "negative", "a million times", "tiny", "long labels"])
def test_charts_draw_any_in_range_data_quickly(cli, tmp_path: Path, values: dict[str, float]) -> None:
    started = time.perf_counter()
    folder = _ok(cli, tmp_path, _data(tmp_path, **{"figures.0.data": values}))
    assert time.perf_counter() - started < 10
    assert squash("Figure 1. Output (t)") in squash(pdf_text(folder / "investor.pdf"))


@pytest.mark.parametrize(("change", "words"), [
    ({"figures.0.data": {"A": float("inf")}}, "figures[0].data.A: input should be a valid number"),
    ({"facts.0.quantity.value": 1e16}, "facts[0].quantity.value: must be at most 1e+15"),
    ({"as_of": "0001-01-01"}, "as_of: must be between 1800-01-01 and 2200-12-31"),
    ({"facts.1.date": "9999-12-31"}, "facts[1].date: must be between 1800-01-01 and 2200-12-31"),
    ({"summary": "x" * 5001}, "summary: string should have at most 5000 characters"),
    ({"title": "T" * 301}, "title: string should have at most 300 characters"),
    ({"figures.0.data": {"x" * 201: 1}}, "string should have at most 200 characters"),
    ({"summary": "a\ufffe b [@a]"}, "summary: contains an unprintable character U+FFFE"),
    ({"sources.0.url": "http://" + "a" * 8001}, "sources[0].url: value should have at most 8000 items after validation"),
], ids=["infinite", "huge", "far past", "far future", "long text", "long title", "long label", "non-character", "long url"])
def test_values_beyond_the_limits_are_refused_naming_the_limit(cli, tmp_path: Path, change: dict[str, object], words: str) -> None:
    assert words in _refused(cli, tmp_path, _data(tmp_path, **change))


def test_line_separators_are_line_breaks_and_pasted_urls_are_encoded(cli, tmp_path: Path) -> None:
    data = _data(tmp_path, summary="first\u2028second\u2029third\x85fourth [@a]", **{"sources.0.url": 'https://example.org/a b<c>"d'})
    folder = _ok(cli, tmp_path, data)
    text = docx_text(folder / "investor.docx")
    assert "first" in text and "fourth" in text and "\u2028" not in text
    assert "https://example.org/a%20b%3Cc%3E%22d" in text


def test_a_long_title_is_shortened_only_in_the_document_properties(cli, tmp_path: Path) -> None:
    import docx

    folder = _ok(cli, tmp_path, _data(tmp_path, title="T" * 300))
    document = docx.Document(str(folder / "investor.docx"))
    assert len(document.core_properties.title) == 255 and document.core_properties.title.endswith("…")
    assert "T" * 300 in docx_text(folder / "investor.docx")


def test_repeated_sections_and_unbounded_weights_are_refused_in_a_profile(cli, tmp_path: Path) -> None:
    folder = tmp_path / "house" / "audiences"
    folder.mkdir(parents=True)
    profile = (ROOT / "templates" / "audiences" / "investor.yaml").read_text(encoding="utf-8")
    (folder / "investor.yaml").write_text(profile.replace("sections: [summary,", "sections: [summary, summary,"), encoding="utf-8")
    assert "sections: lists 'summary' more than once" in _refused(cli, tmp_path, _data(tmp_path), "--templates", folder.parent)
    (folder / "investor.yaml").write_text(profile.replace("investment: 4", "investment: 1e300"), encoding="utf-8")
    assert "interests.investment: must be at most 1000" in _refused(cli, tmp_path, _data(tmp_path), "--templates", folder.parent)


def test_margins_that_leave_no_room_are_refused_saying_which_to_change(cli, tmp_path: Path) -> None:
    theme = tmp_path / "theme.yaml"
    theme.write_text("page_size: A5\nmargins: {left: 4, right: 4, top: 2, bottom: 2}\n", encoding="utf-8")
    words = _refused(cli, tmp_path, _data(tmp_path), "--theme", theme, "-f", "pdf")
    assert "theme.yaml:2: margins: margins left and right (4 + 4 cm) leave 6.8 cm" in words and "make them smaller" in words
    theme.write_text("margins: 4.5\n", encoding="utf-8")  # fits A4, not the A5 the command line asks for
    words = _refused(cli, tmp_path, _data(tmp_path), "--theme", theme, "-f", "pdf", "--page-size", "a5")
    assert "leave 5.8 cm" in words


@pytest.mark.parametrize("kind", ["bomb", "truncated", "not an image"])
def test_a_logo_that_is_not_a_usable_image_is_refused_at_its_line(cli, tmp_path: Path, kind: str) -> None:
    logo = tmp_path / "logo.png"
    if kind == "bomb":
        Image.new("1", (6000, 6000)).save(logo)  # 36 megapixels in a few kilobytes
    elif kind == "truncated":
        buffer = io.BytesIO()
        Image.new("RGB", (300, 300), "red").save(buffer, format="PNG")
        logo.write_bytes(buffer.getvalue()[:400])
    else:
        logo.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 40)
    words = _refused(cli, tmp_path, _data(tmp_path, logo="logo.png"))
    assert "fuzz.yaml:" in words and "logo:" in words and "logo.png" in words


@pytest.mark.parametrize("damage", ["no styles part", "half a styles part", "not a package"])
def test_a_damaged_reference_document_is_refused_naming_it(cli, tmp_path: Path, damage: str) -> None:
    source = zipfile.ZipFile(ROOT / "templates" / "styles" / "reference.docx")
    reference = tmp_path / "reference.docx"
    with zipfile.ZipFile(reference, "w") as out:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "word/styles.xml":
                if damage == "no styles part":
                    continue
                data = data[: len(data) // 2]
            if damage == "not a package" and item.filename == "[Content_Types].xml":
                data = b"<x/>"
            out.writestr(item, data)
    words = _refused(cli, tmp_path, _data(tmp_path), "--reference-docx", reference, "-f", "docx")
    assert "reference.docx" in words and "not a Word .docx document briefs can use" in words


def test_paths_that_are_not_what_they_should_be_get_one_line(cli, tmp_path: Path) -> None:
    (tmp_path / "afile").write_text("x", encoding="utf-8")
    assert "afile is a file" in one_error(cli("init", tmp_path / "afile").err)
    assert "cannot write" in one_error(cli("init", tmp_path / "afile" / "sub").err)
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "brief.html.j2").write_bytes(b"\xff\xfe binary")
    result = cli("--data", _data(tmp_path), "--templates", tmp_path / "templates", "--out", tmp_path / "out")
    assert result.code == 1 and "not a UTF-8 text file" in result.err
    assert cli("check", "--max-age-days", "99999999999").code == 2


def test_a_manifest_that_is_a_folder_or_holds_odd_records_is_handled(cli, tmp_path: Path) -> None:
    recipients = tmp_path / "r.csv"
    recipients.write_text("name,audience,email\nAnn,investor,ann@example.org\nZ\ufffeoe,investor,z@example.org\n", encoding="utf-8")
    folder = tmp_path / "out" / "fuzz" / "recipients"
    folder.mkdir(parents=True)
    (folder / "manifest.jsonl").write_text('{"path":"Ann.docx","name":"Ann","line":1e400,"audience":"investor","format":"docx",'
                                           '"key":"k","facts":[],"sources":[],"sha256":"s","size":1e999,"mtime_ns":1}\n')
    result = cli("batch", recipients, "--data", _data(tmp_path), "--out", tmp_path / "out", "-f", "docx")
    assert result.code == 0, result.err  # the odd record is skipped; the U+FFFE in a name is dropped with a warning
    assert sorted(p.name for p in folder.glob("*.docx")) == ["Ann.docx", "Zoe.docx"]
    (folder / "manifest.jsonl").unlink()
    (folder / "manifest.jsonl").mkdir()
    result = cli("batch", recipients, "--data", _data(tmp_path), "--out", tmp_path / "out", "-f", "docx")
    assert result.code == 1 and "cannot read the batch manifest" in one_error(result.err)


def test_every_message_is_one_line_whatever_the_input_holds(cli, tmp_path: Path) -> None:
    data = tmp_path / "fuzz.yaml"
    data.write_text('"key\\nwith a newline": 1\n' + yaml.safe_dump(VALID_DATA, allow_unicode=True), encoding="utf-8")
    words = _refused(cli, tmp_path, data)
    assert "key\\nwith a newline: unknown key" in words
    data.write_text("\x00null\n", encoding="utf-8")
    assert "fuzz.yaml:1: invalid YAML: the character U+0000 is not allowed" in _refused(cli, tmp_path, data)
    data.write_text("# only a comment\n", encoding="utf-8")
    assert "fuzz.yaml:1: the file is empty" in _refused(cli, tmp_path, data)


def test_names_a_terminal_cannot_print_are_escaped_not_fatal(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    environment = {**os.environ, "PYTHONIOENCODING": "ascii"}
    result = subprocess.run([sys.executable, str(ROOT / "generate.py"), "init", str(tmp_path / "日本の雛形")],
                            capture_output=True, text=True, env=environment, check=False)
    assert result.returncode == 0, result.stderr
    assert "\\u65e5\\u672c" in result.stdout and (tmp_path / "日本の雛形" / "README.md").is_file()


def test_a_value_of_the_wrong_type_where_an_id_belongs_is_a_located_error(cli, tmp_path: Path) -> None:
    result = cli("--data", _data(tmp_path, **{"sources.1.id": []}), "--out", tmp_path / "out")
    assert result.code == 1 and not (tmp_path / "out").exists()
    lines = error_lines(result.err)
    assert any("sources[1].id: input should be a valid string" in line for line in lines), result.err
    assert any("facts[1].sources[0]: unknown source 'f'" in line for line in lines), result.err


@pytest.mark.parametrize(("values", "bottom"), [((270_000.0, 31_000.0, 13_000.0), 0.0), ((0.0, 5.0), 0.0), ((-100.0, 40.0), -150.0)])
def test_a_chart_axis_starts_at_zero_for_values_of_zero_and_above(values: tuple[float, ...], bottom: float) -> None:
    """No negative tick under a chart of production figures; a negative bar still gets room for its label below."""
    from briefs.ticks import axis

    assert axis(list(values), 6, headroom=0.1)[0] == bottom
