"""Property-based runs: whatever a user writes into a data file, profile, theme, recipient list or
config file, the program ends with briefs or with located errors and nothing written, never a
traceback and never a hang.

The default run tries a few dozen inputs per kind, the same ones every time; CI runs thousands
(BRIEFS_FUZZ_EXAMPLES=N, fresh each run).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import yaml
from conftest import run_cli
from fuzzing import FUZZ, PROFILE, THEME, VALID_DATA, check_run, documents, fuzz, recipient_lists
from hypothesis import given
from readback import opens


def _valid_data(folder: Path) -> Path:
    """Write the valid data file beside the input under test, which is the only thing that varies."""
    data = folder / "fuzz.yaml"
    data.write_text(yaml.safe_dump(VALID_DATA, allow_unicode=True), encoding="utf-8")
    return data


def _written(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    return path


def _readable(path: Path) -> bool:
    return path.stat().st_size > 0 and (path.suffix != ".docx" or opens(path))


@FUZZ
@given(documents(VALID_DATA))
def test_any_data_file_gives_briefs_or_located_errors(text: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "fuzz.yaml"
        data.write_text(text, encoding="utf-8", errors="surrogatepass")
        out = Path(tmp) / "out"
        check_run(run_cli("--data", data, "--out", out, "-a", "investor"), out, _readable)


@FUZZ
@given(documents(PROFILE))
def test_any_profile_gives_briefs_or_located_errors(text: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        _written(Path(tmp), "house/audiences/investor.yaml", text)
        out = Path(tmp) / "out"
        check_run(run_cli("--data", _valid_data(Path(tmp)), "--templates", Path(tmp) / "house", "--out", out, "-a", "investor"),
                  out, _readable)


@FUZZ
@given(documents(THEME))
def test_any_theme_gives_briefs_or_located_errors(text: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        theme, out = _written(Path(tmp), "theme.yaml", text), Path(tmp) / "out"
        check_run(run_cli("--data", _valid_data(Path(tmp)), "--theme", theme, "--out", out, "-a", "investor", "-f", "pdf"),
                  out, _readable)


@FUZZ
@given(documents({"templates": [], "page_size": "A4"}))
def test_any_config_file_gives_briefs_or_located_errors(text: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        config, out = _written(Path(tmp), "briefs.yaml", text), Path(tmp) / "out"
        check_run(run_cli("--data", _valid_data(Path(tmp)), "--config", config, "--out", out, "-a", "investor", "-f", "docx"),
                  out, _readable)


@fuzz(cost=2)  # each list runs a whole batch of briefs: half as many as the cheapest kinds
@given(recipient_lists())
def test_any_recipient_list_gives_briefs_or_row_errors(content: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        recipients = Path(tmp) / "r.csv"
        recipients.write_bytes(content)
        out = Path(tmp) / "out"
        result = run_cli("batch", recipients, "--data", _valid_data(Path(tmp)), "--out", out, "-f", "docx", "--jobs", "1")
        assert "Traceback" not in result.err and result.code in (0, 1), result.err
        errors = [line for line in result.err.splitlines() if line.startswith("error:")]
        assert all("Error:" not in line and "Exception" not in line for line in errors), result.err  # sentences, not internals
        assert all(_readable(path) for path in out.rglob("*.docx"))
