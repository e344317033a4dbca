"""Workbooks as data files: read with the same rules as YAML, errors by sheet and cell, converted both ways losslessly."""

from __future__ import annotations

import copy
import datetime as dt
import io
import re
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path

import pytest
from conftest import DEFAULT_DATA, have
from fuzzing import VALID_DATA, fuzz
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from briefs.preview.watching import Watched
from briefs.xlsxdata.reading import coerce, read_workbook
from briefs.xlsxdata.writing import workbook_bytes
from briefs.yamlsource import parse_yaml, read_yaml

_CELL_ERROR = re.compile(r"^(?P<file>[^\n]+?\.xlsx):(?P<cell>\w+![A-Z]+\d+): error: (?P<message>.*)$")


def _export(cli, source: Path, *more: str | Path) -> Path:
    result = cli("export", source, *more)
    assert result.code == 0, result.err
    return Path(result.out.split("wrote ", 1)[1].strip())


@pytest.fixture
def workbook(cli, tmp_path: Path) -> Path:
    """The default data as a workbook, in a folder of its own."""
    return _export(cli, DEFAULT_DATA, "--to", "xlsx", "-o", tmp_path / "topic.xlsx")


def _with_formula_value(path: Path, cell: str, value: str) -> None:
    """Give the formula at `cell` of the Facts sheet a saved result, as a spreadsheet program saves one (openpyxl saves none)."""
    data = path.read_bytes()
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            body = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet4.xml":  # Settings, Topics, Sources, Facts
                pattern = rf'(<c r="{cell}"[^>]*>)(<f>[^<]*</f>)<v\s*/?>(</v>)?'.encode()
                body, count = re.subn(pattern, rb"\1\2<v>" + value.encode() + b"</v>", body)
                assert count == 1, body[:300]
            target.writestr(info, body)
    path.write_bytes(buffer.getvalue())


def test_the_round_trip_yaml_to_workbook_to_yaml_is_lossless_on_the_default_data(cli, workbook: Path, tmp_path: Path) -> None:
    back = _export(cli, workbook, "--to", "yaml", "-o", tmp_path / "back.yaml")
    original = read_yaml(DEFAULT_DATA).value
    assert read_yaml(back).value == original
    assert read_workbook(workbook).value == original
    assert {"deadline", "quantity", "audiences", "corrects"} <= {key for fact in original["facts"] for key in fact}
    assert original["acknowledged"] and original["figures"][0]["data"]


def test_a_workbook_twin_of_the_default_data_gives_byte_identical_briefs(cli, workbook: Path, tmp_path: Path) -> None:
    for name, data in (("from-yaml", DEFAULT_DATA), ("from-xlsx", workbook)):
        result = cli("--data", data, "--out", tmp_path / name, "-a", "investor")
        assert result.code == 0, result.err
    written = sorted(p.relative_to(tmp_path / "from-yaml") for p in (tmp_path / "from-yaml").rglob("*.*") if p.suffix in (".pdf", ".docx"))
    assert len(written) == 2
    for relative in written:
        assert (tmp_path / "from-xlsx" / relative).read_bytes() == (tmp_path / "from-yaml" / relative).read_bytes(), relative


def test_a_workbook_with_three_mistakes_reports_all_three_by_sheet_and_cell_and_writes_nothing(cli, workbook: Path,
                                                                                               tmp_path: Path) -> None:
    book = load_workbook(workbook)
    facts = book["Facts"]
    header = [cell.value for cell in facts[1]]
    status, sources, priority = (header.index(name) + 1 for name in ("status", "sources", "priority"))
    facts.cell(5, status).value = "confirmd"
    facts.cell(7, sources).value = "wh-framework; wh-framwork"
    facts.cell(9, priority).value = "=1+1"  # saved by openpyxl: a formula with no saved result
    book.save(workbook)
    result = cli("--data", workbook, "--out", tmp_path / "out")
    assert result.code == 1
    found = [match.groupdict() for line in result.err.splitlines() if (match := _CELL_ERROR.match(line))]
    assert [(item["cell"], item["message"].split(":")[0]) for item in found] == [
        (f"Facts!{_letter(status)}5", "facts[3].status"),
        (f"Facts!{_letter(sources)}7", "facts[5].sources[1]"),
        (f"Facts!{_letter(priority)}9", "facts[7].priority"),
    ], result.err
    assert "confirmd" in found[0]["message"] and "wh-framwork" in found[1]["message"] and "formula" in found[2]["message"]
    assert not (tmp_path / "out").exists()


def _letter(column: int) -> str:
    return chr(ord("A") + column - 1)


def test_a_formula_reads_as_its_saved_result(cli, workbook: Path, tmp_path: Path) -> None:
    book = load_workbook(workbook)
    facts = book["Facts"]
    column = [cell.value for cell in facts[1]].index("priority") + 1
    facts.cell(2, column).value = "=40+2"
    book.save(workbook)
    _with_formula_value(workbook, f"{_letter(column)}2", "42")
    assert read_workbook(workbook).value["facts"][0]["priority"] == 42
    assert cli("check", "--data", workbook).code == 0


def test_cells_read_as_a_person_typed_them() -> None:
    assert coerce(dt.datetime(2025, 11, 15), "date") == "2025-11-15"
    assert coerce(3.0, "int") == 3 and coerce("3", "int") == 3 and coerce("2.5", "number") == 2.5
    assert coerce("TRUE", "bool") is True and coerce("false", "bool") is False and coerce(True, "bool") is True
    assert coerce(2025, "text") == "2025" and coerce(1.5, "text") == "1.5" and coerce(dt.datetime(2025, 1, 2), "text") == "2025-01-02"
    assert coerce("supply;  markets ;", "list") == ["supply", "markets"]


def test_typed_dates_numbers_and_booleans_validate(cli, workbook: Path) -> None:
    book = load_workbook(workbook)
    sources = book["Sources"]
    header = [cell.value for cell in sources[1]]
    sources.cell(2, header.index("descriptive_title") + 1).value = "TRUE"
    sources.cell(2, header.index("date") + 1).value = dt.datetime(2025, 10, 27)
    book["Facts"].cell(2, [c.value for c in book["Facts"][1]].index("priority") + 1).value = 2.0
    book.save(workbook)
    value = read_workbook(workbook).value
    assert value["sources"][0]["descriptive_title"] is True and value["sources"][0]["date"] == "2025-10-27"
    assert value["facts"][0]["priority"] == 2 and isinstance(value["facts"][0]["priority"], int)
    assert cli("check", "--data", workbook).code == 0


def test_export_is_deterministic_and_never_overwrites_without_force(cli, tmp_path: Path) -> None:
    first = _export(cli, DEFAULT_DATA, "-o", tmp_path / "a.xlsx")
    again = cli("export", DEFAULT_DATA, "-o", first)
    assert again.code == 1 and "already exists" in again.err and "--force" in again.err
    before = first.read_bytes()
    assert cli("export", DEFAULT_DATA, "-o", first, "--force").code == 0
    assert first.read_bytes() == before


def test_export_writes_beside_its_input_with_the_new_suffix(cli, tmp_path: Path) -> None:
    source = tmp_path / "topic.yaml"
    shutil.copy(DEFAULT_DATA, source)
    assert _export(cli, source) == tmp_path / "topic.xlsx"
    assert (tmp_path / "topic.xlsx").is_file()


def test_export_of_a_broken_data_file_lists_every_error_and_writes_nothing(cli, tmp_path: Path) -> None:
    source = tmp_path / "topic.yaml"
    text = DEFAULT_DATA.read_text(encoding="utf-8").replace("status: confirmed", "status: confirmd", 1)
    source.write_text(text.replace("reliability: A", "reliability: Q", 1), encoding="utf-8")
    result = cli("export", source)
    assert result.code == 1 and "confirmd" in result.err and "'Q'" in result.err and "nothing written" in result.err
    assert not (tmp_path / "topic.xlsx").exists()


def test_a_text_that_would_start_a_formula_is_stored_as_text_and_reads_back_unchanged() -> None:
    value = parse_yaml(DEFAULT_DATA.read_text(encoding="utf-8")).value
    value["facts"][0]["note"] = '=HYPERLINK("https://example.org","x")'
    value["facts"][1]["note"] = "@SUM(A1)"
    data = workbook_bytes(value, ["markets"], ["investor"])
    sheet = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet4.xml")
    assert b"<f>" not in sheet
    book = load_workbook(io.BytesIO(data))
    notes = [cell for row in book["Facts"].iter_rows(min_row=2, max_row=3) for cell in row if str(cell.value).startswith(("=", "@"))]
    assert len(notes) == 2 and all(cell.data_type == "s" and cell.quotePrefix for cell in notes)


def test_a_workbook_and_its_yaml_twin_in_one_data_folder_is_an_error_naming_both(cli, tmp_path: Path,
                                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "data").mkdir()
    shutil.copy(DEFAULT_DATA, tmp_path / "data" / "topic.yaml")
    _export(cli, tmp_path / "data" / "topic.yaml", "-o", tmp_path / "topic.xlsx")
    shutil.move(tmp_path / "topic.xlsx", tmp_path / "data" / "topic.xlsx")
    result = cli("--out", tmp_path / "out")
    assert result.code == 1 and "topic.yaml" in result.err and "topic.xlsx" in result.err and "twice" in result.err
    assert not (tmp_path / "out").exists()


def test_a_spreadsheet_lock_file_beside_a_workbook_is_not_data(cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "data").mkdir()
    _export(cli, DEFAULT_DATA, "-o", tmp_path / "data" / "topic.xlsx")
    (tmp_path / "data" / "~$topic.xlsx").write_bytes(b"\x00locked")
    assert cli("check").code == 0


def test_the_preview_watches_workbooks_but_not_their_lock_files(tmp_path: Path) -> None:
    watch = Watched((tmp_path,), ())
    assert watch.counts(tmp_path / "topic.xlsx") and not watch.counts(tmp_path / "~$topic.xlsx")


def test_the_starter_workbook_passes_check_and_has_drop_down_lists_and_header_comments(cli, tmp_path: Path,
                                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = cli("new", "eu-batteries", "--xlsx")
    assert result.code == 0, result.err
    path = tmp_path / "data" / "eu-batteries.xlsx"
    assert cli("check", "--strict").code == 0
    book = load_workbook(path)
    assert book.sheetnames[:8] == ["Settings", "Topics", "Sources", "Facts", "Takeaways", "FAQs", "Figures", "Points"]
    assert book["Lists"].sheet_state == "hidden"
    for name in ("Settings", "Topics", "Sources", "Facts", "Takeaways", "FAQs", "Figures", "Points", "Acknowledged"):
        headers = [cell for cell in book[name][1] if cell.value]
        assert headers and all(cell.comment is not None and cell.comment.text for cell in headers), name
    lists = {(sheet, str(check.sqref).split(":")[0].rstrip("0123456789")): check.formula1 for sheet in ("Facts", "Sources", "Takeaways")
             for check in book[sheet].data_validations.dataValidation}
    facts = [c.value for c in book["Facts"][1]]
    assert lists[("Facts", _letter(facts.index("status") + 1))].startswith("Lists!")
    assert lists[("Facts", _letter(facts.index("topics") + 1))].startswith("Lists!")
    assert lists[("Sources", _letter([c.value for c in book["Sources"][1]].index("reliability") + 1))].startswith("Lists!")
    assert lists[("Takeaways", "A")].startswith("Lists!")  # audience
    statuses = [book["Lists"].cell(row, 1).value for row in range(2, 7)]
    assert statuses == ["confirmed", "reported", "unverified", "disputed", "corrected"]


def test_a_sheet_over_the_row_limit_is_refused_naming_it(cli, workbook: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    book = load_workbook(workbook, read_only=True)
    limit = max(book[name].max_row - 1 for name in ("Settings", "Topics", "Sources"))
    assert book["Facts"].max_row - 1 > limit
    monkeypatch.setattr("briefs.xlsxdata.reading.MAX_ROWS", limit)
    result = cli("check", "--data", workbook)
    assert result.code == 1 and f"sheet Facts has more than {limit} rows" in result.out + result.err


_TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Co", "Cn", "Zl", "Zp")) | st.sampled_from("=+-@\n\t"),
                min_size=1, max_size=30).filter(lambda text: text.strip() == text and text.strip())


@fuzz(20)
@given(note=_TEXT, title=_TEXT, value=st.integers(-10**14, 10**14).map(lambda n: n / 100) | st.integers(-10**15, 10**15))
def test_the_round_trip_is_lossless_for_generated_data(note: str, title: str, value: float) -> None:
    """Texts of any script with formula starts, tabs and line breaks; numbers up to 15 significant digits (a spreadsheet's)."""
    document = copy.deepcopy(VALID_DATA)
    document["facts"][0]["note"] = note
    document["sources"][0]["title"] = title
    document["facts"][0]["quantity"]["value"] = value
    document["figures"] = [{"id": "fig", "title": title, "source": "a", "data": {title: value, "b": 1}}]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "d.xlsx"
        path.write_bytes(workbook_bytes(document, ["markets"], ["investor"]))
        assert read_workbook(path).value == document


@pytest.mark.slow
@pytest.mark.skipif(not have("soffice"), reason="LibreOffice is not installed")
def test_the_starter_workbook_opens_in_libreoffice(cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert cli("new", "eu-batteries", "--xlsx").code == 0
    run = subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/profile", "--headless", "--convert-to", "csv",
                          "--outdir", str(tmp_path / "csv"), str(tmp_path / "data" / "eu-batteries.xlsx")],
                         capture_output=True, text=True, timeout=240, check=False)
    if "could not be loaded" in run.stdout + run.stderr:
        pytest.skip("LibreOffice Calc is not installed")
    rows = (tmp_path / "csv" / "eu-batteries.csv").read_text(encoding="utf-8").splitlines()
    assert rows[0] == "field,value" and rows[1] == "id,eu-batteries"
