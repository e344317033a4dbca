"""Open the default briefs with real clients: LibreOffice, pandoc, qpdf, poppler. Slow; run in CI."""

from __future__ import annotations

import datetime
import json
import subprocess
from pathlib import Path

import pytest
import time_machine
from conftest import AUDIENCES, DEFAULT_DATA, have, run_cli

pytestmark = pytest.mark.slow


def _run(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(a) for a in args], capture_output=True, text=True, timeout=300, cwd=cwd)


@pytest.mark.skipif(not have("soffice"), reason="LibreOffice is not installed")
def test_libreoffice_converts_every_docx(default_out: Path, tmp_path: Path) -> None:
    docs = sorted(default_out.glob("*.docx"))
    # A private profile folder: two soffice runs sharing one profile fail (TRAPS.md).
    result = _run("soffice", f"-env:UserInstallation=file://{tmp_path}/profile", "--headless",
                  "--convert-to", "pdf", "--outdir", tmp_path, *docs)
    assert result.returncode == 0, result.stderr
    for doc in docs:
        converted = tmp_path / f"{doc.stem}.pdf"
        assert converted.is_file() and converted.stat().st_size > 10_000, doc.name
        text = _run("pdftotext", converted, "-").stdout if have("pdftotext") else ""
        assert "Page 1 of" in text or not text


def _pandoc_blocks(path: Path) -> list[dict]:
    result = _run("pandoc", "-f", "docx", "-t", "json", path)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)["blocks"]


@pytest.mark.skipif(not have("pandoc"), reason="pandoc is not installed")
@pytest.mark.parametrize("audience", AUDIENCES)
def test_pandoc_reads_headings_as_headings_and_lists_as_lists(default_out: Path, audience: str) -> None:
    blocks = _pandoc_blocks(default_out / f"{audience}.docx")
    kinds = [b["t"] for b in blocks]
    headings = [b for b in blocks if b["t"] == "Header"]
    level1 = [b for b in headings if b["c"][0] == 1]
    assert len(level1) >= 4
    assert "BulletList" in kinds
    assert "OrderedList" in kinds
    ordered = [b for b in blocks if b["t"] == "OrderedList"]
    assert all(b["c"][0][0] == 1 for b in ordered), "every numbered list starts at 1"
    assert "Table" in kinds


@pytest.mark.skipif(not have("qpdf"), reason="qpdf is not installed")
@pytest.mark.parametrize("audience", AUDIENCES)
def test_qpdf_finds_no_problem(default_out: Path, audience: str) -> None:
    result = _run("qpdf", "--check", default_out / f"{audience}.pdf")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No syntax or stream encoding errors" in result.stdout


@pytest.mark.skipif(not have("pdffonts"), reason="poppler-utils is not installed")
@pytest.mark.parametrize("audience", AUDIENCES)
def test_every_pdf_font_is_embedded(default_out: Path, audience: str) -> None:
    lines = _run("pdffonts", default_out / f"{audience}.pdf").stdout.splitlines()[2:]
    assert lines
    for line in lines:
        columns = line.split()
        assert "Helvetica" not in line
        emb = columns[-5]
        assert emb == "yes", line


@pytest.mark.skipif(not have("pdftotext"), reason="poppler-utils is not installed")
def test_pdftotext_gives_back_the_title_and_japanese(default_out: Path) -> None:
    text = _run("pdftotext", default_out / "policymaker.pdf", "-").stdout
    assert "高市早苗" in text
    assert "U.S.–Japan Critical Minerals and Rare Earths Framework" in " ".join(text.split())


def test_two_runs_a_day_apart_give_identical_bytes(tmp_path: Path) -> None:
    """The clock is moved, not waited for: a zip stamps members at 2-second resolution, a date a day apart."""
    first, second = tmp_path / "one", tmp_path / "two"
    with time_machine.travel(datetime.datetime(2030, 1, 1, 12, 0, 0, tzinfo=datetime.UTC), tick=False):
        assert run_cli("--data", DEFAULT_DATA, "--out", first).code == 0
    with time_machine.travel(datetime.datetime(2030, 1, 2, 12, 0, 3, tzinfo=datetime.UTC), tick=False):
        assert run_cli("--data", DEFAULT_DATA, "--out", second).code == 0
    files = sorted(p.relative_to(first) for p in first.rglob("*.*"))
    assert len(files) == 8
    for name in files:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name


@pytest.mark.skipif(not have("briefs"), reason="the briefs console script is not installed")
def test_installed_console_script_works_from_any_folder(tmp_path: Path) -> None:
    """The wheel carries templates, profiles, data and fonts: no checkout needed (run by .ci/run's install)."""
    result = _run("briefs", "-a", "policymaker", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    out = tmp_path / "out" / "us-japan-critical-minerals-2025"
    assert sorted(p.name for p in out.iterdir()) == ["policymaker.docx", "policymaker.pdf"]
    text = _run("pdftotext", out / "policymaker.pdf", "-").stdout if have("pdftotext") else "高市早苗"
    assert "高市早苗" in text
