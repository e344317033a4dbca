"""Paths the file system cannot take, from every command, option, config key and folder listing:
one line naming the path and where it came from, exit 1, no traceback, nothing written."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import DEFAULT_DATA, Result, run_cli

from briefs.pathguard import check_path, path_problem, printable

LONG_NAME = "x" * 300
UNDECODABLE = os.fsdecode(b"\xff\xfe")
DEEP = "/".join(["d" * 200] * 25)

RECIPIENTS = "name,audience,email\nAda,investor,ada@example.org\n"

BAD_PATHS = {
    "a name longer than 255 bytes": (LONG_NAME, "300 bytes long"),
    "a path longer than PATH_MAX": (DEEP, "the file system allows 4,096"),
    "bytes that are not UTF-8": (UNDECODABLE, "\\xff\\xfe"),
}


def _command(command: str, tmp_path: Path) -> list[str | Path]:
    """Return the command line of `command`, writing (if it writes) into tmp_path/out."""
    out = ["-f", "html", "--out", tmp_path / "out"]
    if command == "batch":
        (tmp_path / "r.csv").write_text(RECIPIENTS, encoding="utf-8")
        return ["batch", tmp_path / "r.csv", *out]
    return [command, *out] if command == "generate" else [command]


def _refused(result: Result, *words: str) -> str:
    assert result.code == 1, (result.code, result.out, result.err)
    assert "Traceback" not in result.err
    lines = result.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.err
    assert all(word in lines[0] for word in words), (words, lines[0])
    return lines[0]


def _nothing_written(tmp_path: Path) -> None:
    written = [p for p in tmp_path.rglob("*") if p.suffix in (".html", ".docx", ".pdf") or p.name == "index.csv"]
    assert not written, written


@pytest.mark.parametrize("kind", BAD_PATHS)
@pytest.mark.parametrize("command", ["generate", "batch"])
def test_an_output_folder_the_file_system_cannot_take_is_one_line_naming_out(command: str, kind: str, tmp_path: Path,
                                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    path, words = BAD_PATHS[kind]
    _refused(run_cli(*_command(command, tmp_path), "--data", DEFAULT_DATA, "--out", path), words, "(--out)")
    _nothing_written(tmp_path)


@pytest.mark.parametrize("kind", BAD_PATHS)
@pytest.mark.parametrize(("command", "option"), [(command, option) for command in ("generate", "batch", "list", "check")
                                                 for option in ("--data", "--templates", "--config", "--theme")
                                                 if (command, option) != ("check", "--theme")])
def test_an_input_path_the_file_system_cannot_take_is_one_line_naming_its_option(command: str, option: str, kind: str,
                                                                                 tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    path, words = BAD_PATHS[kind]
    _refused(run_cli(*_command(command, tmp_path), option, path), words, f"({option})")
    _nothing_written(tmp_path)


def test_a_recipient_list_named_with_bytes_that_are_not_utf8_is_named_escaped(tmp_path: Path) -> None:
    listing = tmp_path / (UNDECODABLE + ".csv")
    listing.write_text(RECIPIENTS, encoding="utf-8")
    _refused(run_cli("batch", listing, "--data", DEFAULT_DATA, "--out", tmp_path / "out"), "\\xff\\xfe.csv", "(RECIPIENTS)")
    _nothing_written(tmp_path)


@pytest.mark.parametrize("command", ["generate", "list", "check"])
def test_a_data_folder_holding_a_file_named_with_bytes_that_are_not_utf8_names_that_file(command: str, tmp_path: Path) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / (UNDECODABLE + ".yaml")).write_bytes(DEFAULT_DATA.read_bytes())
    line = _refused(run_cli(*_command(command, tmp_path), "--data", folder), "\\xff\\xfe.yaml")
    assert str(folder) in line
    _nothing_written(tmp_path)


def test_a_config_file_naming_a_folder_too_long_names_the_config_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "briefs.yaml").write_text(f"templates: [{LONG_NAME}]\n", encoding="utf-8")
    _refused(run_cli("generate", "--data", DEFAULT_DATA, "-f", "html"), "300 bytes long", "templates in config file")
    _nothing_written(tmp_path)


def test_an_output_folder_that_is_a_file_is_one_line_naming_it(tmp_path: Path) -> None:
    taken = tmp_path / "taken"
    taken.write_text("not a folder", encoding="utf-8")
    _refused(run_cli("--data", DEFAULT_DATA, "-f", "html", "--out", taken / "inside"), str(taken))


def test_a_nul_character_in_a_path_is_refused() -> None:
    assert path_problem(Path("a\0b")) == "the path holds a NUL character"


def test_a_path_within_the_limits_is_returned_as_given() -> None:
    assert check_path(Path("out") / "briefs", "--out", room=320) == Path("out/briefs")


def test_undecodable_bytes_are_printed_escaped_on_one_line() -> None:
    assert printable(Path(os.fsdecode(b"a\xff\nb"))) == "a\\xff\\nb"


def test_an_audience_named_with_bytes_that_are_not_utf8_is_shown_as_those_bytes(tmp_path: Path) -> None:
    _refused(run_cli("--data", DEFAULT_DATA, "-a", UNDECODABLE, "--out", tmp_path / "out"), "unknown audience '\\xff\\xfe'")
    _nothing_written(tmp_path)


def test_a_file_system_refusal_no_check_foresaw_is_one_line_naming_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from briefs.commands import list as list_command

    def refused(args: object) -> int:
        raise PermissionError(13, "Permission denied", os.fsdecode(b"/srv/briefs/\xff.yaml"))

    monkeypatch.setattr(list_command, "run", refused)
    _refused(run_cli("list"), "error: /srv/briefs/\\xff.yaml: Permission denied")


def test_a_recipient_named_with_200_japanese_characters_gets_a_brief_within_the_name_limit(tmp_path: Path) -> None:
    listing = tmp_path / "r.csv"
    listing.write_text(f"name,audience,email\n{'山田太郎の長い名前' * 22 + '山田'},investor,y@example.org\n", encoding="utf-8")
    result = run_cli("batch", listing, "--data", DEFAULT_DATA, "-f", "html", "--out", tmp_path / "out")
    assert result.code == 0, result.err
    (brief,) = (tmp_path / "out").rglob("山田*.html")
    assert len(brief.name.encode("utf-8")) <= 255 and brief.stat().st_size > 0


def test_an_output_folder_inside_a_loop_of_symbolic_links_is_one_line_naming_it(tmp_path: Path) -> None:
    (tmp_path / "loop").symlink_to(tmp_path / "back")
    (tmp_path / "back").symlink_to(tmp_path / "loop")
    _refused(run_cli("--data", DEFAULT_DATA, "-f", "html", "--out", tmp_path / "loop" / "out"), str(tmp_path / "loop" / "out"),
             "a loop of symbolic links")
    _nothing_written(tmp_path)
