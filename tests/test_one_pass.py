"""One pass: a run reads each input once, selects and lays out each brief once, and renders each DOCX once."""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import CodeType, FrameType
from typing import Any

from conftest import DEFAULT_DATA

from briefs.compose import compose
from briefs.selection import select
from briefs.writers.docx import write as write_docx
from briefs.yamlsource import read_yaml

COUNTED: dict[CodeType, str] = {select.__code__: "select", compose.__code__: "compose", write_docx.__code__: "docx"}


@contextmanager
def calls() -> Iterator[Counter[str]]:
    """Count the calls of the counted functions however they were imported, and the YAML files read, by path."""
    counter: Counter[str] = Counter()

    def profile(frame: FrameType, event: str, arg: Any) -> None:
        if event != "call":
            return
        name = COUNTED.get(frame.f_code)
        if name:
            counter[name] += 1
        elif frame.f_code is read_yaml.__code__:
            counter[f"read {Path(str(frame.f_locals['path'])).name}"] += 1

    previous: Callable[..., Any] | None = sys.getprofile()
    sys.setprofile(profile)
    try:
        yield counter
    finally:
        sys.setprofile(previous)


def test_a_default_run_reads_each_input_once_and_selects_and_lays_out_each_brief_once(cli, tmp_path: Path) -> None:
    with calls() as counted:
        result = cli("--data", DEFAULT_DATA, "--out", tmp_path, "-f", "docx", "-f", "html")
    assert result.code == 0, result.err
    assert (counted["select"], counted["compose"], counted["docx"]) == (4, 4, 4)
    reads = {name: n for name, n in counted.items() if name.startswith("read ")}
    assert reads and all(n == 1 for n in reads.values()), reads
    assert {"read us-japan-critical-minerals-2025.yaml", "read investor.yaml", "read topics.yaml"} <= set(reads)


def test_a_redline_renders_each_new_docx_once(cli, tmp_path: Path) -> None:
    old = tmp_path / "old.yaml"
    old.write_text(DEFAULT_DATA.read_text(encoding="utf-8").replace("as_of: 2025-11-15", "as_of: 2025-11-01"), encoding="utf-8")
    with calls() as counted:
        result = cli("--data", DEFAULT_DATA, "--out", tmp_path / "out", "-f", "docx", "--since", old, "--redline")
    assert result.code == 0, result.err
    assert counted["docx"] == 4 + 4  # each audience's new DOCX, and its brief of the earlier edition
    assert counted["select"] == 4 + 4  # each brief once, and its earlier edition's once
