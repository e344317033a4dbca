"""Shared fixtures: the repository's paths, a CLI runner, and small data files to break."""

from __future__ import annotations

import io
import re
import shutil
from collections.abc import Callable
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path

import pytest

from briefs.cli import main

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT / "data" / "us-japan-critical-minerals-2025.yaml"
AUDIENCES = sorted(p.stem for p in (ROOT / "templates" / "audiences").glob("*.yaml"))


@dataclass
class Result:
    code: int
    out: str
    err: str


def run_cli(*args: str | Path) -> Result:
    """Run the command line in-process and capture what it prints."""
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        try:
            code = main([str(a) for a in args])
        except SystemExit as exc:
            code = int(exc.code or 0)
    return Result(code, out.getvalue(), err.getvalue())


@pytest.fixture
def cli() -> Callable[..., Result]:
    return run_cli


MINIMAL = """\
id: tiny
title: A tiny topic
subtitle: For tests
as_of: 2025-11-15
summary: One paragraph.
topics:
  markets: Markets
  supply: Supply
sources:
  - id: src-a
    title: Source A
    publisher: Publisher A
    reliability: B
facts:
  - id: fact-one
    text: The first fact.
    topics: [markets]
    sources: [src-a]
    status: confirmed
"""


@pytest.fixture
def tiny_data(tmp_path: Path) -> Callable[[str], Path]:
    """Return a writer of data files into a temporary folder."""

    def write(text: str = MINIMAL, name: str = "tiny.yaml") -> Path:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return write


@pytest.fixture(scope="session")
def default_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Generate the default data's briefs once per session and return the output folder."""
    out = tmp_path_factory.mktemp("default-out")
    result = run_cli("--data", DEFAULT_DATA, "--out", out)
    assert result.code == 0, result.err
    return out / "us-japan-critical-minerals-2025"


def have(program: str) -> bool:
    return shutil.which(program) is not None


_ERROR_LINE = re.compile(r"^(?P<where>[^\n]+?:\d+|[^\n:]+): error: ")


def one_error(err: str) -> str:
    """Assert that stderr reports exactly one error and return it as `file:line: message`.

    A run stopped by the checks prints each error as `file:line: error: message (hint: ...)` and
    then one summary line saying nothing was written; any other error is one `error: ...` line.
    """
    lines = err.splitlines()
    if len(lines) == 1:
        assert lines[0].startswith("error: "), err
        return lines[0].removeprefix("error: ") + "\n"
    errors = [line for line in lines if _ERROR_LINE.match(line)]
    assert len(errors) == 1 and len(lines) == 2, err
    assert "nothing written" in lines[-1], err
    return _ERROR_LINE.sub(r"\g<where>: ", errors[0]) + "\n"


def error_lines(err: str) -> list[str]:
    """Return the `file:line: error: ...` lines of a run stopped by the checks."""
    return [line for line in err.splitlines() if _ERROR_LINE.match(line)]
