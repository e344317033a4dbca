"""Where data files are found: .yaml and .yml, and a clear error instead of other data."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import MINIMAL


def test_a_yml_data_file_in_the_data_folder_is_used(cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "my-topic.yml").write_text(MINIMAL, encoding="utf-8")
    result = cli("-f", "docx", "-a", "investor")
    assert result.code == 0, result.err
    assert (tmp_path / "out" / "tiny" / "investor.docx").is_file()
    assert not (tmp_path / "out" / "us-japan-critical-minerals-2025").exists()


def test_an_empty_data_folder_is_an_error_saying_where_it_looked(cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "notes.txt").write_text("x", encoding="utf-8")
    for command in ([], ["explain"], ["check"]):
        result = cli(*command)
        assert result.code == 1, command
        assert "data" in (result.err + result.out) and "*.yaml, *.yml and *.xlsx" in (result.err + result.out)
    assert not (tmp_path / "out").exists()


def test_a_data_path_that_does_not_exist_names_the_files_nearby(cli, tmp_path: Path) -> None:
    (tmp_path / "my-topic.yml").write_text(MINIMAL, encoding="utf-8")
    result = cli("--data", tmp_path / "my-topic.yaml", "--out", tmp_path / "out")
    assert result.code == 1 and "no such data file" in result.err and "my-topic.yml" in result.err
    assert not (tmp_path / "out").exists()


def test_a_data_path_of_another_kind_is_refused(cli, tmp_path: Path) -> None:
    (tmp_path / "topic.json").write_text("{}", encoding="utf-8")
    result = cli("--data", tmp_path / "topic.json", "--out", tmp_path / "out")
    assert result.code == 1 and ".yaml or .yml) or Excel workbooks (.xlsx)" in result.err


def test_a_data_folder_given_with_data_reads_every_file_in_it(cli, tmp_path: Path) -> None:
    (tmp_path / "topics").mkdir()
    (tmp_path / "topics" / "a.yaml").write_text(MINIMAL, encoding="utf-8")
    (tmp_path / "topics" / "b.yml").write_text(MINIMAL.replace("id: tiny", "id: tiny-two"), encoding="utf-8")
    result = cli("--data", tmp_path / "topics", "--out", tmp_path / "out", "-f", "docx", "-a", "investor")
    assert result.code == 0, result.err
    assert (tmp_path / "out" / "tiny" / "investor.docx").is_file() and (tmp_path / "out" / "tiny-two" / "investor.docx").is_file()


@pytest.mark.parametrize("command", [["generate", "-f", "html"], ["check"], ["list"], ["explain"]])
def test_every_missing_input_is_named_in_one_run(cli, command: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = cli(*command, "--data", "missing.yaml", "--templates", "missing-dir", "--data", "gone.yaml", "--templates", "nowhere")
    assert result.code == 1 and "Traceback" not in result.err
    lines = result.err.strip().splitlines()
    for name in ("missing.yaml", "gone.yaml", "missing-dir", "nowhere"):
        assert sum(line.startswith(f"error: {name}: no such") for line in lines) == 1, (name, result.err)
    assert lines[-1] == "4 inputs not found: nothing done; fix the paths above and run again"
    assert not (tmp_path / "out").exists()


def test_one_missing_input_stays_one_line(cli, tmp_path: Path) -> None:
    result = cli("--data", tmp_path / "missing.yaml", "--out", tmp_path / "out")
    assert result.code == 1 and len(result.err.strip().splitlines()) == 1 and "missing.yaml: no such data file" in result.err
