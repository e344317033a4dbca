"""Property-based runs of editions: whatever an earlier edition holds, and whatever a user gives as
OLD or `--since` (a file, a revision, or something that reads like a git option), `diff` and
`--since` end with a result or one error line naming the earlier edition, never a traceback, and
write no file anywhere but the output folder.

The default run tries a few dozen cases per test, the same ones every time; CI runs thousands
(BRIEFS_FUZZ_EXAMPLES=N, fresh each run).
"""

from __future__ import annotations

import contextlib
import tempfile
from pathlib import Path
from unittest import mock

import pytest
import yaml
from conftest import Result, have, run_cli
from fuzzing import VALID_DATA, documents, fuzz
from gitrepo import repository_with_old_edition
from hypothesis import given
from hypothesis import strategies as st

from briefs import yamlsource
from briefs.errors import one_line

pytestmark = pytest.mark.skipif(not have("git"), reason="needs git")

_NEW = yaml.safe_dump(VALID_DATA, allow_unicode=True)

_LIMIT = 64 * 1024
"""The size limit while fuzzing (the real one is 20 MB): "huge" editions stay quick to make."""

HOSTILE = [
    "--output=x", "--output=../x", "-h", "--help", "-", "--", "--end-of-options", "--exec=touch x", "-ox", "--git-dir=.",
    "HEAD~999", "HEAD~1", "HEAD", ":/x", ":/first", "@{-1}", "HEAD@{1}", "@", "~", "HEAD^{tree}", "HEAD:topic.yaml",
    "HEAD..HEAD~1", "HEAD^@", "refs with spaces", "main branch", "HEAD~1 ", " HEAD", "HEAD~1\n--output=y", "\x1b[31m",
    "x" * 5000, "../topic.yaml", "topic.yaml", "notes.txt", ".", "/", "missing.yaml", "日本語", "HEAD\udcff",
]
"""Values of OLD and `--since` that broke, or could break, a program handing them to git."""

FUZZ_EDITIONS = fuzz(cost=3)  # each input runs git and a whole diff: a third as many as the cheapest tests


@st.composite
def old_editions(draw: st.DrawFn) -> bytes:
    """Return the bytes of an earlier edition: valid data mutated, damaged bytes, not UTF-8, empty or too large."""
    text = draw(documents(VALID_DATA))
    data = text.encode("utf-8", errors="surrogatepass")
    kind = draw(st.sampled_from(("text", "text", "latin-1", "utf-16", "bytes", "empty", "huge")))
    if kind == "latin-1":
        data = text.replace("fuzzed", "caf\xe9").encode("latin-1", errors="replace")
    elif kind == "utf-16":
        data = text.encode("utf-16", errors="surrogatepass")
    elif kind == "bytes":
        at = draw(st.integers(min_value=0, max_value=len(data)))
        data = data[:at] + draw(st.binary(min_size=1, max_size=40)) + data[at:]
    elif kind == "empty":
        data = b""
    elif kind == "huge":
        data += b"#" * (_LIMIT + 1) + b"\n"
    return data


def _files(folder: Path) -> dict[Path, int]:
    """Return every file and folder under `folder`, git's own included, with each file's modification time."""
    return {path: path.stat().st_mtime_ns if path.is_file() else 0 for path in folder.rglob("*")}


def _run_inside(folder: Path, *args: str | Path) -> Result:
    """Run the command line from `folder`, its temporary files in a folder of their own; assert it leaves none and
    writes nothing under `folder` but `folder/out`."""
    scratch = folder / "scratch"
    scratch.mkdir()
    before = _files(folder)
    with contextlib.chdir(folder), mock.patch.object(tempfile, "tempdir", str(scratch)), \
            mock.patch.object(yamlsource, "MAX_BYTES", _LIMIT):
        result = run_cli(*args)
    after = {path: mtime for path, mtime in _files(folder).items() if (folder / "out") not in path.parents and path != folder / "out"}
    assert after == before, f"files written: {sorted(set(after) - set(before))}, changed: " \
                            f"{sorted(p for p in after if p in before and after[p] != before[p])}"
    return result


def _check(result: Result, value: str) -> None:
    """Assert a result, or one error line that names the earlier edition as the user gave it."""
    assert "Traceback" not in result.err, result.err
    lines = [line for line in result.err.splitlines() if not line.startswith("note: ")]
    if result.code == 0:
        return
    assert result.code == 1, (result.code, result.err)
    assert len(lines) == 1 and lines[0].startswith("error: "), result.err
    assert one_line(value) in lines[0] or value.strip() in lines[0], result.err


@FUZZ_EDITIONS
@given(old_editions(), st.sampled_from(("HEAD~1", "HEAD^", ":/first")))
def test_any_old_edition_at_a_revision_gives_changes_or_one_error_naming_it(old: bytes, revision: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        data = repository_with_old_edition(Path(tmp), old, _NEW)
        result = _run_inside(Path(tmp), "diff", revision, data, "-a", "investor")
        _check(result, f"topic.yaml at {revision}")


@FUZZ_EDITIONS
@given(old_editions())
def test_any_old_edition_file_gives_changes_or_one_error_naming_it(old: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        data = repository_with_old_edition(Path(tmp), None, _NEW)
        (Path(tmp) / "old.yaml").write_bytes(old)
        result = _run_inside(Path(tmp), "diff", "old.yaml", data, "-a", "investor")
        _check(result, "old.yaml")


@FUZZ_EDITIONS
@given(st.one_of(st.sampled_from(HOSTILE), st.text(min_size=1, max_size=40).filter(lambda text: "\0" not in text)),
       st.booleans())
def test_any_old_value_gives_changes_or_one_error_and_git_writes_nothing(value: str, since: bool) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        data = repository_with_old_edition(Path(tmp), _NEW.encode(), _NEW)
        args = ("--data", data, f"--since={value}", "--out", Path(tmp) / "out", "-a", "investor", "-f", "html") if since \
            else ("diff", "-a", "investor", "--", value, data)
        result = _run_inside(Path(tmp), *args)
        _check(result, value)
