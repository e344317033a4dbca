"""The command line: the default run, options, exit codes, help, and running from any folder."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import AUDIENCES, MINIMAL, ROOT


def test_default_run_writes_every_audience_in_both_formats(default_out: Path) -> None:
    written = sorted(p.name for p in default_out.iterdir())
    assert written == sorted(f"{a}.{ext}" for a in AUDIENCES for ext in ("docx", "pdf"))
    assert not list(default_out.glob(".briefs-tmp-*"))


def test_audience_and_format_options_narrow_the_run(cli, tmp_path: Path) -> None:
    result = cli("-a", "investor", "-f", "pdf", "--out", tmp_path)
    assert result.code == 0, result.err
    assert [p.name for p in (tmp_path / "us-japan-critical-minerals-2025").iterdir()] == ["investor.pdf"]
    assert "wrote" in result.out and " s" in result.out.splitlines()[-1]


def test_unknown_audience_exits_1_naming_the_known_ones(cli, tmp_path: Path) -> None:
    result = cli("-a", "astronaut", "--out", tmp_path / "o")
    assert result.code == 1
    assert "unknown audience 'astronaut'" in result.err and "investor" in result.err
    assert not (tmp_path / "o").exists()


def test_usage_error_exits_2(cli) -> None:
    assert cli("-f", "odt").code == 2
    assert cli("--no-such-option").code == 2


def test_help_lists_the_commands(cli) -> None:
    result = cli("--help")
    assert result.code == 0
    for word in ("check", "explain", "--audience", "--format", "--data", "--out", "--templates"):
        assert word in result.out


def test_check_validates_without_writing(cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = cli("check")
    assert result.code == 0, result.err
    assert result.out.splitlines()[-1].startswith("check: 0 errors")
    assert list(tmp_path.iterdir()) == []


def test_check_fails_on_broken_data(cli, tiny_data) -> None:
    result = cli("check", "--data", tiny_data(MINIMAL.replace("reliability: B", "reliability: Z")))
    assert result.code == 1
    assert "tiny.yaml:13: error: sources[0].reliability:" in result.out


def test_explain_accounts_for_every_fact_once(cli) -> None:
    result = cli("explain", "-a", "researcher")
    assert result.code == 0, result.err
    rows = [line for line in result.out.splitlines()[2:] if line.strip()]
    from briefs.loading import load_dataset

    facts = load_dataset(ROOT / "data" / "us-japan-critical-minerals-2025.yaml").facts
    assert len(rows) == len(facts)
    for fact in facts:
        assert sum(f" {fact.id} " in row for row in rows) == 1, fact.id


def test_generate_py_works_from_any_working_directory(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    result = subprocess.run(
        [sys.executable, str(ROOT / "generate.py"), "-a", "researcher", "-f", "docx"],
        cwd=tmp_path, capture_output=True, text=True, env=env, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "out" / "us-japan-critical-minerals-2025" / "researcher.docx").is_file()


def test_schema_prints_json_schemas(cli) -> None:
    import json

    result = cli("schema")
    schemas = json.loads(result.out)
    assert schemas["data"]["additionalProperties"] is False
    assert "interests" in schemas["profile"]["properties"]


def test_schema_of_one_kind_validates_the_default_data_file_shape(cli) -> None:
    import json

    schema = json.loads(cli("schema", "--kind", "data").out)
    assert schema["title"] == "Dataset"
    assert {"id", "title", "facts", "sources"} <= set(schema["required"])
    assert schema["$defs"]["Fact"]["additionalProperties"] is False
