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
    rows = [line for line in result.out.splitlines()[2:] if line.strip() and not line.startswith("label:")]
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


def test_schema_describes_every_field_for_editors(cli) -> None:
    import json

    schemas = json.loads(cli("schema").out)
    missing = []
    for kind, schema in schemas.items():
        for owner, definition in [(kind, schema), *schema.get("$defs", {}).items()]:
            for name, field in definition.get("properties", {}).items():
                if not field.get("description"):
                    missing.append(f"{owner}.{name}")
    assert missing == []
    data = schemas["data"]
    assert "broader" in data["properties"]["topics"]["description"]
    assert "corrected" in data["$defs"]["Fact"]["properties"]["status"]["description"]


def test_hints_name_the_command_as_the_user_ran_it(tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, str(ROOT / "generate.py"), "--help"], capture_output=True, text=True, check=True)
    assert "python generate.py new" in result.stdout
    as_console_script = "import sys; sys.argv[0] = '/usr/bin/briefs'; from briefs.cli import main; main(['--help'])"
    console = subprocess.run([sys.executable, "-c", as_console_script], capture_output=True, text=True, check=True)
    assert "briefs new" in console.stdout and "generate.py" not in console.stdout


def test_no_message_or_hint_sends_users_to_files_they_do_not_have() -> None:
    for path in (ROOT / "briefs").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        for line in text.splitlines():
            if ("DESIGN.md" in line or "../shared" in line) and '"' in line:
                raise AssertionError(f"{path}: {line.strip()}")


@pytest.mark.parametrize("size", ["letter", "a3", "LEGAL", "A5"])
def test_page_size_on_the_command_line_takes_every_size_in_any_case(cli, tmp_path: Path, size: str) -> None:
    from pypdf import PdfReader

    from briefs.pages import PAGE_SIZES, page_name

    result = cli("--data", ROOT / "tests" / "fixtures" / "eu-battery.yaml", "--out", tmp_path, "-a", "investor", "-f", "pdf",
                 "--page-size", size)
    assert result.code == 0, result.err
    box = PdfReader(tmp_path / "eu-battery-regulation" / "investor.pdf").pages[0].mediabox
    width, height = PAGE_SIZES[page_name(size)]
    assert (round(float(box.width)), round(float(box.height))) == (round(width), round(height))


def test_an_unknown_page_size_is_a_usage_error_listing_the_sizes(cli) -> None:
    result = cli("--page-size", "B5")
    assert result.code == 2 and "A3, A4, A5, Letter, Legal" in result.err


def test_the_command_tunes_the_cycle_collector_and_the_library_leaves_it_alone() -> None:
    """The command line collects young objects less often (a brief allocates hundreds of thousands); a program that
    only imports briefs keeps Python's own thresholds."""
    import subprocess
    import sys

    script = (
        "import gc, io, contextlib\n"
        "import briefs.pipeline, briefs.writers.pdf, briefs.writers.docx\n"
        "print(gc.get_threshold()[0])\n"
        "from briefs.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    main(['--help'])\n"
        "print(gc.get_threshold()[0])\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, check=True)
    assert result.stdout.split() == ["700", "20000"]
