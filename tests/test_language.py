"""The data file's `language` reaches every format: DOCX w:lang, the PDF catalog's /Lang, the HTML lang."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from conftest import DEFAULT_DATA, MINIMAL, one_error
from pypdf import PdfReader

from briefs.languages import east_asian, language_tag


@pytest.mark.parametrize(("given", "tag"), [("en", "en"), ("EN-gb", "en-GB"), ("zh-hant-tw", "zh-Hant-TW"), ("pt_BR", "pt-BR"),
                                            ("es-419", "es-419")])
def test_a_language_tag_is_normalized(given: str, tag: str) -> None:
    assert language_tag(given) == tag


def test_east_asian_text_is_in_the_briefs_own_language_when_it_is_one() -> None:
    assert (east_asian("ja"), east_asian("ko-KR"), east_asian("en-GB")) == ("ja-JP", "ko-KR", "ja-JP")


def test_a_language_that_is_not_a_tag_is_an_error_at_its_line(cli, tmp_path: Path) -> None:
    data = tmp_path / "tiny.yaml"
    data.write_text(MINIMAL.replace("as_of: 2025-11-15\n", "as_of: 2025-11-15\nlanguage: English\n"), encoding="utf-8")
    result = cli("--data", data, "--out", tmp_path / "out")
    assert result.code == 1 and not (tmp_path / "out").exists()
    assert one_error(result.err).startswith(f"{data}:5: language: 'English' is not a language tag"), result.err


def test_every_format_declares_the_data_files_language(cli, tmp_path: Path) -> None:
    data = tmp_path / "tiny.yaml"
    data.write_text(MINIMAL.replace("as_of: 2025-11-15\n", "as_of: 2025-11-15\nlanguage: fr-ca\n"), encoding="utf-8")
    assert cli("--data", data, "--out", tmp_path, "-a", "investor", "-f", "docx", "-f", "pdf", "-f", "html").code == 0
    folder = tmp_path / "tiny"
    with zipfile.ZipFile(folder / "investor.docx") as package:
        styles = package.read("word/styles.xml").decode()
    assert 'w:val="fr-CA"' in styles and 'w:eastAsia="ja-JP"' in styles
    assert PdfReader(str(folder / "investor.pdf")).trailer["/Root"]["/Lang"] == "fr-CA"
    assert '<html lang="fr-CA"' in (folder / "investor.html").read_text(encoding="utf-8")


def test_the_default_data_is_british_english(default_out: Path) -> None:
    with zipfile.ZipFile(default_out / "investor.docx") as package:
        assert 'w:val="en-GB"' in package.read("word/styles.xml").decode()
    assert "language: en-GB" in DEFAULT_DATA.read_text(encoding="utf-8")
