"""Batch lists as people keep them, recipients known by address, stale briefs, the index, and stops."""

from __future__ import annotations

import csv
import io
import json
import re
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from conftest import AUDIENCES, DEFAULT_DATA, ROOT
from deadline import within
from processes import alive_in_group, wait_until
from readback import briefs_in, docx_text, opens
from workbooks import cell, sheet_xml, workbook_bytes

from briefs.batch.recipients import read_recipients
from briefs.errors import DataError
from briefs.manifest import LEGACY_MANIFEST_NAME, MANIFEST_NAME, read_manifest
from briefs.output import TEMP_PREFIX

TINY = (ROOT / "tests" / "fixtures" / "eu-battery.yaml")
FOLDER = ("out", "eu-battery-regulation", "recipients")


def _csv(path: Path, rows: list[list[str]], header: tuple[str, ...] = ("name", "audience", "email")) -> Path:
    with path.open("w", newline="", encoding="utf-8") as stream:
        writer = csv.writer(stream)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def _batch(cli, tmp_path: Path, recipients: Path, *extra: str):  # type: ignore[no-untyped-def]
    return cli("batch", recipients, "--data", TINY, "--out", tmp_path / "out", "-f", "docx", "--jobs", "1", *extra)


def _folder(tmp_path: Path) -> Path:
    return tmp_path.joinpath(*FOLDER)


def _owner(path: Path) -> str:
    """Return the "Prepared for ...: NAME" line of a brief, which says whose it is."""
    return next(line for line in docx_text(path).splitlines() if "Prepared for" in line)


def test_files_stay_with_their_recipient_whatever_the_row_order(cli, tmp_path: Path) -> None:
    rows = [["Kim Lee", "investor", "kim.b@example.org"], ["Kim Lee", "policymaker", "KIM.A@example.org"]]
    assert _batch(cli, tmp_path, _csv(tmp_path / "r.csv", rows)).code == 0
    folder = _folder(tmp_path)
    before = {path.name: _owner(path) for path in folder.glob("*.docx")}
    assert sorted(before) == ["Kim Lee-2.docx", "Kim Lee.docx"]
    swapped = _batch(cli, tmp_path, _csv(tmp_path / "r.csv", rows[::-1]))
    assert swapped.code == 0 and "nothing changed" in swapped.out  # same people, same files: nothing to redo
    assert {path.name: _owner(path) for path in folder.glob("*.docx")} == before
    # The address is who the recipient is, in any case: kim.a in lower case is the same person, and keeps the file
    # (re-rendered, as the row a template sees changed).
    again = _batch(cli, tmp_path, _csv(tmp_path / "r.csv", [rows[0], ["Kim Lee", "policymaker", "kim.a@EXAMPLE.org"]]))
    assert again.code == 0 and "written 1, skipped 1" in again.out
    assert {path.name: _owner(path) for path in folder.glob("*.docx")} == before


def test_a_second_row_for_the_same_recipient_fails_that_row(cli, tmp_path: Path) -> None:
    rows = [["Ann", "investor", "ann@example.org"], ["Ann Again", "researcher", "ANN@example.org"]]
    result = _batch(cli, tmp_path, _csv(tmp_path / "r.csv", rows))
    assert result.code == 1
    assert "r.csv:3: ANN@example.org is already the recipient of line 2" in result.err
    assert [p.name for p in briefs_in(_folder(tmp_path))] == ["Ann.docx"]


@pytest.mark.parametrize(("address", "audience", "words"), [
    ("not-an-address", "investor", "'not-an-address' is not an e-mail address"),
    ("", "investor", "empty email"),
    ("a@b.org", "Investors", "unknown audience 'Investors'; did you mean 'investor'?"),
])
def test_a_bad_address_or_audience_fails_its_row_alone(cli, tmp_path: Path, address: str, audience: str, words: str) -> None:
    rows = [["Good", "investor", "good@example.org"], ["Bad", audience, address]]
    result = _batch(cli, tmp_path, _csv(tmp_path / "r.csv", rows))
    assert result.code == 1 and f"r.csv:3: {words}" in result.err, result.err
    assert [p.name for p in briefs_in(_folder(tmp_path))] == ["Good.docx"]


def test_a_list_whose_rows_all_fail_writes_nothing_and_says_so(cli, tmp_path: Path) -> None:
    rows = [["Ann", "nobody", "ann@example.org"], ["Bob", "investor", "not-an-address"]]
    result = _batch(cli, tmp_path, _csv(tmp_path / "r.csv", rows))
    assert result.code == 1 and "nothing written: all 2 rows failed" in result.out, result.out + result.err
    assert not (tmp_path / "out").exists()


def test_a_list_whose_briefs_all_fail_to_be_written_leaves_no_index(cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import briefs.batch.jobs
    from briefs.errors import OutputError

    def full_disk(*_: object) -> None:
        raise OutputError("no space left on the device")

    monkeypatch.setattr(briefs.batch.jobs, "render", full_disk)
    rows = [["Ann", "investor", "ann@example.org"], ["Bob", "researcher", "bob@example.org"]]
    result = _batch(cli, tmp_path, _csv(tmp_path / "r.csv", rows))
    assert result.code == 1 and "nothing written: all 2 rows failed" in result.out, result.out + result.err
    assert "r.csv:2: no space left" in result.err and not (tmp_path / "out").exists()


def test_an_audience_in_any_case_is_the_profile(cli, tmp_path: Path) -> None:
    result = _batch(cli, tmp_path, _csv(tmp_path / "r.csv", [["Ann", "INVESTOR", "ann@example.org"]]))
    assert result.code == 0, result.err
    assert "Prepared for Investors: Ann" in _owner(_folder(tmp_path) / "Ann.docx")


def test_a_removed_recipient_is_stale_and_prune_removes_their_briefs(cli, tmp_path: Path) -> None:
    rows = [[f"P{i}", AUDIENCES[i % 4], f"p{i}@example.org"] for i in range(3)]
    assert _batch(cli, tmp_path, _csv(tmp_path / "r.csv", rows)).code == 0
    kept = _batch(cli, tmp_path, _csv(tmp_path / "r.csv", rows[:2]))
    assert kept.code == 0 and "1 recipient no longer in " in kept.err and "r.csv (P2) still has briefs" in kept.err
    assert "--prune" in kept.err
    folder = _folder(tmp_path)
    assert (folder / "P2.docx").is_file() and read_manifest(folder / MANIFEST_NAME)["P2.docx"].stale
    impact = cli("impact", "--source", "reg-2023-1542", "--data", TINY, "--out", tmp_path / "out")
    assert "P0" in impact.out and "P2" not in impact.out  # only recipients of the latest run
    pruned = _batch(cli, tmp_path, _csv(tmp_path / "r.csv", rows[:2]), "--prune")
    assert pruned.code == 0 and "nothing to write" in pruned.out and "removed the briefs of 1 recipient" in pruned.out
    assert [p.name for p in briefs_in(folder)] == ["P0.docx", "P1.docx"]
    assert "P2.docx" not in read_manifest(folder / MANIFEST_NAME)


def test_the_index_says_which_file_is_whose_and_the_manifest_is_json_lines(cli, tmp_path: Path) -> None:
    rows = [["Zoë Ångström", "researcher", "zoe@example.org"], ["Bob", "investor", "bob@example.org"]]
    assert cli("batch", _csv(tmp_path / "r.csv", rows), "--data", TINY, "--out", tmp_path / "out", "--jobs", "1").code == 0
    folder = _folder(tmp_path)
    index = list(csv.DictReader(io.StringIO((folder / "index.csv").read_text(encoding="utf-8"))))
    assert [(row["name"], row["email"], row["audience"], row["docx"], row["pdf"]) for row in index] == [
        ("Zoë Ångström", "zoe@example.org", "researcher", "Zoë Ångström.docx", "Zoë Ångström.pdf"),
        ("Bob", "bob@example.org", "investor", "Bob.docx", "Bob.pdf")]
    import hashlib

    assert index[1]["pdf_sha256"] == hashlib.sha256((folder / "Bob.pdf").read_bytes()).hexdigest()
    lines = (folder / MANIFEST_NAME).read_text(encoding="utf-8").splitlines()
    assert len(lines) == 4 and all(json.loads(line)["recipient"] in ("zoe@example.org", "bob@example.org") for line in lines)
    assert not list(tmp_path.joinpath("out", "eu-battery-regulation").glob("*.docx"))  # apart from the audience briefs


def test_a_name_a_spreadsheet_would_evaluate_reaches_the_index_as_text(cli, tmp_path: Path) -> None:
    names = ['=HYPERLINK("https://attacker.test","Open")', "=cmd|' /C calc'!A0", "@SUM(1+1)", "+1+1", "-2+3"]
    rows = [[name, "investor", f"p{n}@example.org"] for n, name in enumerate(names)]
    assert _batch(cli, tmp_path, _csv(tmp_path / "r.csv", rows)).code == 0
    index = list(csv.reader(io.StringIO((_folder(tmp_path) / "index.csv").read_text(encoding="utf-8"), newline="")))
    cells = [cell for row in index for cell in row]
    assert [row[0] for row in index[1:]] == ["'" + name for name in names]
    assert not [cell for cell in cells if cell[:1] in ("=", "+", "-", "@", "\t", "\r")]


def test_an_old_layouts_manifest_is_read_once_and_its_briefs_moved(cli, tmp_path: Path) -> None:
    rows = [["Ann", "investor", "ann@example.org"]]
    assert _batch(cli, tmp_path, _csv(tmp_path / "r.csv", rows)).code == 0
    folder = _folder(tmp_path)
    old = folder.parent
    (folder / "Ann.docx").replace(old / "Ann.docx")  # as an earlier version laid them out
    (folder / MANIFEST_NAME).replace(old / LEGACY_MANIFEST_NAME)
    again = _batch(cli, tmp_path, _csv(tmp_path / "r.csv", rows))
    assert again.code == 0 and "nothing changed" in again.out, again.out + again.err
    assert (folder / "Ann.docx").is_file() and not (old / LEGACY_MANIFEST_NAME).exists()


def test_an_xlsx_list_is_read_like_a_csv(cli, tmp_path: Path) -> None:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["Name", "Audience", "Email", "Seats"])
    sheet.append(["Ann", "investor", "ann@example.org", 3])
    sheet.append([None, None, None, None])
    sheet.append(["Bob", "researcher", "bob@example.org"])
    workbook.save(tmp_path / "list.xlsx")
    result = _batch(cli, tmp_path, tmp_path / "list.xlsx")
    assert result.code == 0, result.err
    assert [p.name for p in briefs_in(_folder(tmp_path))] == ["Ann.docx", "Bob.docx"]
    index = (_folder(tmp_path) / "index.csv").read_text(encoding="utf-8")
    assert "Bob,bob@example.org,researcher,4," in index  # the sheet's own row number


@pytest.mark.parametrize(("content", "words"), [
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "an Excel 97-2003 .xls file"),
    (b"%PDF-1.7\n", "a PDF"),
    ("name,audience,email\n".encode("utf-16"), "UTF-16"),
])
def test_a_list_of_another_kind_is_named_for_what_it_is(cli, tmp_path: Path, content: bytes, words: str) -> None:
    path = tmp_path / "list.xls"
    path.write_bytes(content)
    result = _batch(cli, tmp_path, path)
    assert result.code == 1 and words in result.err and not (tmp_path / "out").exists()


def test_an_address_column_spelled_as_spreadsheets_spell_it_is_the_email_column(cli, tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_bytes("\ufeffName;Organisation;Audience;E-mail\r\nAnn;Acme;investor;ann@example.org\r\n".encode())
    assert _batch(cli, tmp_path, path).code == 0
    index = (_folder(tmp_path) / "index.csv").read_text(encoding="utf-8")
    assert "Ann,ann@example.org,investor,2," in index


def test_a_list_of_another_kind_is_named_with_its_file(cli, tmp_path: Path) -> None:
    path = tmp_path / "old.csv"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100)
    result = _batch(cli, tmp_path, path)
    assert result.code == 1 and f"{path}: an Excel 97-2003 .xls file" in result.err


def test_tabs_crlf_and_a_list_without_addresses(cli, tmp_path: Path) -> None:
    path = tmp_path / "r.tsv"
    path.write_bytes(b"name\taudience\r\nAnn\tinvestor\r\nAnn\tresearcher\r\n")
    result = _batch(cli, tmp_path, path)
    assert result.code == 0, result.err  # without addresses, name and audience tell two Anns apart
    assert len(briefs_in(_folder(tmp_path))) == 2


def test_a_brief_is_never_in_place_without_its_record(cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A stop between journaling a brief and renaming it into place costs one rerender, never an unrecorded file."""
    rows = [[f"Person {i}", AUDIENCES[i % 4], f"p{i}@example.org"] for i in range(6)]
    recipients = _csv(tmp_path / "r.csv", rows)
    import briefs.output

    real_replace = briefs.output.os.replace
    renamed: list[str] = []

    def stop_at_the_fourth(source: str, target: str | Path) -> None:
        if str(target).endswith(".docx") and len(renamed) == 3:
            raise KeyboardInterrupt  # the moment between the journal line and the rename
        real_replace(source, target)
        renamed.append(str(target))

    monkeypatch.setattr(briefs.output.os, "replace", stop_at_the_fourth)
    stopped = _batch(cli, tmp_path, recipients)
    assert stopped.code == 130
    monkeypatch.setattr(briefs.output.os, "replace", real_replace)
    on_disk = {p.name for p in _folder(tmp_path).glob("*.docx")}
    journaled = set(read_manifest(_folder(tmp_path) / MANIFEST_NAME))
    assert len(on_disk) == 3 and on_disk < journaled  # the fourth is journaled, not in place
    assert _stop_counts(stopped.err) == (3, 3, 6)  # the stop line counts the briefs in place, not the journal
    assert not list(_folder(tmp_path).glob(TEMP_PREFIX + "*"))
    rerun = _batch(cli, tmp_path, recipients)
    assert rerun.code == 0 and "written 3, skipped 3" in rerun.out, rerun.out + rerun.err


def test_progress_off_a_terminal_gives_no_eta_before_the_rate_is_known() -> None:
    from briefs.commands.batch import _eta

    assert _eta((100.0, 10), 101.0, 20, 1000) == ""  # one second of data
    assert _eta((100.0, 10), 110.0, 20, 1000) == ""  # 10 briefs of 1,000: under 5%
    assert _eta((100.0, 10), 110.0, 110, 1000) == ", 10.0 briefs/s, about 1m29s left"


def _stop_counts(err: str) -> tuple[int, ...]:
    """Return the stop line's counts: briefs written in this run, in place now, and of the whole list."""
    found = re.search(r"\(([\d,]+) briefs? written in this run, .*; ([\d,]+) of ([\d,]+) now in place\)", err)
    assert found, err
    return tuple(int(group.replace(",", "")) for group in found.groups())


def _start(command: list[str]) -> subprocess.Popen[str]:
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)


@pytest.mark.slow
@pytest.mark.parametrize(("sig", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143), (signal.SIGKILL, -9)])
def test_a_stopped_batch_keeps_every_finished_brief_and_the_rerun_writes_only_the_rest(tmp_path: Path, sig: int, code: int) -> None:
    rows = [[f"Person {i:04d}", AUDIENCES[i % 4], f"p{i}@example.org"] for i in range(400)]
    recipients = _csv(tmp_path / "r.csv", rows)
    command = [sys.executable, str(ROOT / "generate.py"), "batch", str(recipients), "--data", str(DEFAULT_DATA),
               "--out", str(tmp_path / "out"), "--jobs", "2", "-f", "docx"]
    folder = tmp_path / "out" / "us-japan-critical-minerals-2025" / "recipients"
    process = _start(command)
    deadline = time.monotonic() + 60
    while len(list(folder.glob("*.docx"))) < 30 and time.monotonic() < deadline:
        time.sleep(0.05)
    process.send_signal(sig)
    stopped = time.monotonic()
    _, err = process.communicate(timeout=30)
    assert process.returncode == code, err
    assert time.monotonic() - stopped < 5
    assert "Traceback" not in err
    if sig != signal.SIGKILL:  # (after a SIGKILL, Python's resource tracker cleans up and says so)
        assert "leaked" not in err
        assert "run the same command again" in err
        assert not list(folder.glob(TEMP_PREFIX + "*"))
    on_disk = {p.name for p in folder.glob("*.docx")}
    journaled = set(read_manifest(folder / MANIFEST_NAME))
    assert on_disk <= journaled | set(), on_disk - journaled  # every finished brief is journaled
    if sig != signal.SIGKILL:  # the workers have drained: the line's count is what is on disk, and stays so
        assert _stop_counts(err) == (len(on_disk), len(on_disk), 400), err
        wait_until(lambda: not alive_in_group(process.pid), 10, "worker processes outlived their parent")
        assert {p.name for p in folder.glob("*.docx")} == on_disk  # and none of them wrote after the count
    assert all(opens(folder / name) for name in on_disk)
    rerun = subprocess.run(command, capture_output=True, text=True, check=False)
    assert rerun.returncode == 0, rerun.stderr
    assert f"written {400 - len(on_disk)}, skipped {len(on_disk)}" in rerun.stdout


# --- hostile lists: bounded reading --------------------------------------------------------------


def _readwithin(seconds: int, path: Path) -> str:
    """Return the one-line error reading `path` gives, failing the test when reading takes over `seconds` or succeeds."""
    with within(seconds), pytest.raises(DataError) as caught:
        read_recipients(path, AUDIENCES)
    message = str(caught.value)
    assert "\n" not in message and message.startswith(str(path)), message
    return message


def test_a_workbook_declaring_every_cell_of_a_sheet_is_read_in_a_moment(tmp_path: Path) -> None:
    rows = [(1, [cell("A1", "name"), cell("B1", "audience")]),
            (1_048_576, [cell("A1048576", "Ann"), cell("B1048576", "investor")])]
    path = tmp_path / "wide.xlsx"
    path.write_bytes(workbook_bytes(sheet_xml(rows, dimension="A1:XFD1048576")))
    with within(10):
        read = read_recipients(path, AUDIENCES)
    assert [(row.line, row.name) for row in read.rows] == [(1_048_576, "Ann")]


def test_a_workbook_row_beyond_the_last_row_of_a_sheet_is_refused(tmp_path: Path) -> None:
    rows = [(1, [cell("A1", "name"), cell("B1", "audience")]), (2_000_000_000, [cell("A2000000000", "Ann")])]
    path = tmp_path / "far.xlsx"
    path.write_bytes(workbook_bytes(sheet_xml(rows)))
    assert "1,048,576" in _readwithin(10, path)


def test_a_shared_strings_zip_bomb_is_refused_before_it_is_unpacked(tmp_path: Path) -> None:
    strings = (b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
               b"<si><t>" + b"a" * 60_000_000 + b"</t></si></sst>")
    path = tmp_path / "bomb.xlsx"
    path.write_bytes(workbook_bytes(sheet_xml([(1, [cell("A1", "name"), cell("B1", "audience")])]), shared_strings=strings))
    assert path.stat().st_size < 1_000_000
    message = _readwithin(3, path)
    assert "xl/sharedStrings.xml" in message and "100 to 1" in message


def test_a_workbook_of_too_many_parts_is_refused(tmp_path: Path) -> None:
    sheet = sheet_xml([(1, [cell("A1", "name"), cell("B1", "audience")])])
    path = tmp_path / "parts.xlsx"
    path.write_bytes(workbook_bytes(sheet, extra={f"xl/media/{n}.bin": b"" for n in range(1_001)}))
    assert "1,000 parts" in _readwithin(3, path)


def test_a_zip_whose_directory_alone_is_huge_is_refused_before_it_is_parsed(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        for n in range(25_000):
            archive.writestr(zipfile.ZipInfo(f"{n:0>30}"), b"")
    path = tmp_path / "parts.xlsx"
    path.write_bytes(buffer.getvalue())
    assert "zip directory of 1.9 MB, over the 1 MB limit" in _readwithin(3, path)


def test_a_workbook_cell_longer_than_a_spreadsheet_cell_is_refused(tmp_path: Path) -> None:
    rows = [(1, [cell("A1", "name"), cell("B1", "audience")]), (2, [cell("A2", "x" * 40_000), cell("B2", "investor")])]
    path = tmp_path / "long.xlsx"
    path.write_bytes(workbook_bytes(sheet_xml(rows)))
    message = _readwithin(3, path)
    assert f"{path}:2: " in message and "32,767" in message


@pytest.mark.parametrize(("body", "words"), [
    ("Ann,investor" + "," * 20_000_000 + "\n", "1,000,000 characters"),
    ('"' + "a" * 20_000_000 + '",investor\n', "1,000,000 characters"),
    ('"' + "a\n" * 100_000 + '",investor\n', "32,767"),
    ("Ann,investor" + "," * 20_000 + "\n", "16,384 columns"),
    ("Ann," + "a" * 40_000 + "\n", "32,767"),
])
def test_a_csv_with_a_giant_field_or_row_is_refused_at_once(tmp_path: Path, body: str, words: str) -> None:
    path = tmp_path / "giant.csv"
    path.write_text("name,audience\n" + body + "Bob,investor\n", encoding="utf-8")
    message = _readwithin(3, path)
    assert f"{path}:2: " in message and words in message, message


def test_a_giant_workbook_stops_the_batch_before_anything_is_written(cli, tmp_path: Path) -> None:
    path = tmp_path / "long.xlsx"
    path.write_bytes(workbook_bytes(sheet_xml([(1, [cell("A1", "name"), cell("B1", "audience"), cell("C1", "x" * 40_000)])])))
    result = _batch(cli, tmp_path, path)
    assert result.code == 1 and "Traceback" not in result.err and f"{path}:1: " in result.err
    assert not (tmp_path / "out").exists()
