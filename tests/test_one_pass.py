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
from briefs.disputes import disputes_in_figure, disputes_in_text
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
        elif frame.f_code is disputes_in_text.__code__:
            counter[f"disputes in {frame.f_locals['text']!r}"] += 1
        elif frame.f_code is disputes_in_figure.__code__:
            counter[f"disputes in figure {frame.f_locals['figure'].id}"] += 1

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


def _earlier_edition(tmp_path: Path) -> Path:
    """Write the default data as of two weeks before, with one quantity that has since changed."""
    old = tmp_path / "old.yaml"
    text = DEFAULT_DATA.read_text(encoding="utf-8").replace("as_of: 2025-11-15", "as_of: 2025-11-01")
    assert "value: 550" in text
    old.write_text(text.replace("value: 550", "value: 551", 1), encoding="utf-8")
    return old


def _reads(counted: Counter[str]) -> dict[str, int]:
    return {name.removeprefix("read "): n for name, n in counted.items() if name.startswith("read ")}


def test_a_redline_renders_each_new_docx_once(cli, tmp_path: Path) -> None:
    with calls() as counted:
        result = cli("--data", DEFAULT_DATA, "--out", tmp_path / "out", "-f", "docx", "--since", _earlier_edition(tmp_path),
                     "--redline")
    assert result.code == 0, result.err
    assert counted["docx"] == 4 + 4  # each audience's new DOCX, and its brief of the earlier edition
    assert counted["select"] == 4 + 4  # each brief once, and its earlier edition's once
    assert counted["compose"] == 4 + 4  # each brief with its changes once (checked and written), and its earlier edition's


def test_a_run_since_an_earlier_edition_lays_out_what_check_laid_out_and_reads_each_file_once(cli, tmp_path: Path) -> None:
    with calls() as counted:
        result = cli("--data", DEFAULT_DATA, "--out", tmp_path / "out", "-f", "html", "--since", _earlier_edition(tmp_path))
    assert result.code == 0, result.err
    assert "What changed since 1 November 2025" in (tmp_path / "out" / "us-japan-critical-minerals-2025" / "investor.html").read_text()
    assert (counted["select"], counted["compose"]) == (4 + 4, 4)
    reads = _reads(counted)
    assert {"topics.yaml", "old.yaml", "us-japan-critical-minerals-2025.yaml"} <= set(reads)
    assert all(n == 1 for n in reads.values()), reads


def test_each_brief_looks_for_disagreements_in_each_of_its_texts_and_figures_once(cli, tmp_path: Path) -> None:
    with calls() as counted:
        result = cli("--data", DEFAULT_DATA, "--out", tmp_path, "-f", "html")
    assert result.code == 0, result.err
    searched = {name: n for name, n in counted.items() if name.startswith("disputes in ")}
    assert any("figure" in name for name in searched) and len(searched) > 10
    assert all(n <= 4 for n in searched.values()), {name: n for name, n in searched.items() if n > 4}  # once per audience
