"""Property-based runs over paths and names: whatever a user passes as --out, --data or --templates,
and whatever names a recipient list holds, a run ends with briefs or with one line naming the
problem (exit 1 or 2), never a traceback, and never writes outside its output folder.

Paths are built from components that broke programs before: names over 255 bytes (in ASCII and
in 3-byte Japanese), totals over PATH_MAX, random bytes that are not UTF-8, Windows device names,
dots, leading hyphens and spaces. The default run tries a few dozen, the same ones every time;
CI runs thousands (BRIEFS_FUZZ_EXAMPLES=N, fresh each run).
"""

from __future__ import annotations

import csv
import io
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import yaml
from conftest import Result, run_cli
from fuzzing import VALID_DATA, fuzz
from hypothesis import given
from hypothesis import strategies as st

FUZZ = fuzz(10, cost=10)  # each input runs a whole command: a tenth as many as the cheapest tests

_RAW_NAMES = st.binary(min_size=1, max_size=40).map(lambda raw: raw.replace(b"\0", b"").replace(b"/", b"")).filter(
    lambda raw: raw not in (b"", b".", b"..")).map(os.fsdecode)
"""Names as a file system may hold them: any bytes but NUL and '/', often not UTF-8."""

COMPONENTS = st.one_of(
    st.sampled_from(["CON", "nul.txt", "COM1", "aux.yaml", ".", "...", " ", " lead", "trail.", "-rf", ".hidden", "a b"]),
    st.integers(240, 600).map(lambda n: "x" * n),
    st.integers(80, 200).map(lambda n: "日本" * n),
    _RAW_NAMES,
    st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\0/"), min_size=1, max_size=30).filter(
        lambda name: name not in (".", "..")),
)
"""One component of a path; never '..', so a path stays inside the folder the test gives it."""

PATHS = st.one_of(
    st.lists(COMPONENTS, min_size=1, max_size=4).map("/".join),
    st.integers(21, 40).map(lambda n: "/".join(["p" * 200] * n)),  # more than PATH_MAX (4,096 bytes)
)

NAMES = st.one_of(
    COMPONENTS.filter(lambda name: not any("\udc80" <= char <= "\udcff" for char in name)),  # a CSV is UTF-8
    st.sampled_from(["../../etc/passwd", "a/b\\c", "..", "/", "\0", "x\0y", "\r\n", "\u202efdp.exe", "山田" * 150, "con"]),
)
"""Recipient names as a list may hold them."""


@contextmanager
def _sandbox() -> Iterator[Path]:
    """Yield an empty folder holding the valid data file `data.yaml`; run in it as the working directory."""
    cwd = Path.cwd()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "data.yaml").write_text(yaml.safe_dump(VALID_DATA, allow_unicode=True), encoding="utf-8")
        os.chdir(folder)
        try:
            yield folder
        finally:
            os.chdir(cwd)


def _files(folder: Path) -> set[Path]:
    return {path for path in folder.rglob("*") if path.is_file()}


def _made(path: Path, text: str | None = None) -> bool:
    """Create `path` (a file holding `text`, else a folder) when the file system takes it; say whether it did."""
    try:
        if text is None:
            path.mkdir(parents=True, exist_ok=True)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
    except (OSError, ValueError):
        return False
    return True


def _check_outcome(result: Result, sandbox: Path, before: set[Path], out: Path) -> None:
    """Assert briefs, or one error line with exit 1 or 2; and no file written outside `out`."""
    assert "Traceback" not in result.err, result.err
    written = _files(sandbox) - before
    assert all(out.resolve() in path.resolve().parents for path in written), sorted(written)
    if result.code == 0:
        return
    assert result.code in (1, 2), (result.code, result.err)
    lines = [line for line in result.err.splitlines() if not line.startswith(("warning:", "check has "))]
    assert len(lines) == 1 and lines[0].startswith("error: ") and lines[0].isprintable(), result.err
    assert not [path for path in written if path.suffix == ".html"], "a refused run wrote briefs"


@FUZZ
@given(PATHS)
def test_any_output_folder_gives_briefs_inside_it_or_one_line(path: str) -> None:
    with _sandbox() as sandbox:
        out, before = sandbox / "o" / path, _files(sandbox)
        result = run_cli("--data", "data.yaml", "-a", "investor", "-f", "html", "--out", out)
        _check_outcome(result, sandbox, before, out)
        if result.code == 0:
            assert list(out.rglob("investor.html"))


@FUZZ
@given(PATHS)
def test_any_data_path_gives_briefs_or_one_line(path: str) -> None:
    with _sandbox() as sandbox:
        data = sandbox / "d" / (path + ".yaml")
        exists = _made(data, (sandbox / "data.yaml").read_text(encoding="utf-8"))
        out, before = sandbox / "out", _files(sandbox)
        result = run_cli("--data", data, "-a", "investor", "-f", "html", "--out", out)
        _check_outcome(result, sandbox, before, out)
        assert result.code == 1 or exists


@FUZZ
@given(PATHS, st.booleans())
def test_any_templates_folder_gives_briefs_or_one_line(path: str, create: bool) -> None:
    with _sandbox() as sandbox:
        folder = sandbox / "t" / path
        exists = create and _made(folder / "audiences")
        out, before = sandbox / "out", _files(sandbox)
        result = run_cli("--data", "data.yaml", "--templates", folder, "-a", "investor", "-f", "html", "--out", out)
        _check_outcome(result, sandbox, before, out)
        assert result.code == 1 or exists


@FUZZ
@given(st.lists(NAMES, min_size=1, max_size=4))
def test_any_recipient_names_give_briefs_inside_the_output_folder_within_the_name_limit(names: list[str]) -> None:
    with _sandbox() as sandbox:
        text = io.StringIO()
        writer = csv.writer(text)
        writer.writerows([["name", "audience", "email"], *([name, "investor", f"r{i}@example.org"] for i, name in enumerate(names))])
        (sandbox / "r.csv").write_text(text.getvalue(), encoding="utf-8")
        out, before = sandbox / "out", _files(sandbox)
        result = run_cli("batch", "r.csv", "--data", "data.yaml", "-f", "html", "--jobs", "1", "--out", out)
        assert "Traceback" not in result.err and result.code in (0, 1), result.err
        written = _files(sandbox) - before
        assert all((out / "fuzz" / "recipients").resolve() in path.resolve().parents for path in written), sorted(written)
        assert all(len(os.fsencode(path.name)) <= 255 for path in written)
        if result.code == 0:
            assert len([path for path in written if path.suffix == ".html"]) == len(names)
