"""`new ID`: a commented data file that passes check as written and briefs every built-in audience."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from conftest import AUDIENCES


def test_new_writes_a_data_file_that_passes_strict_check_and_briefs_every_audience(cli, tmp_path: Path,
                                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = cli("new", "eu-battery-rules", "--title", "EU Battery Rules: what changes in 2027")
    assert result.code == 0, result.err
    path = tmp_path / "data" / "eu-battery-rules.yaml"
    text = path.read_text(encoding="utf-8")
    assert 'title: "EU Battery Rules: what changes in 2027"' in text
    assert all(word in text for word in ("confirmed", "reported", "unverified", "disputed", "corrected", "broader"))
    strict = cli("check", "--strict")
    assert strict.code == 0, strict.out
    written = cli("--out", tmp_path / "out")
    assert written.code == 0, written.err
    for audience in AUDIENCES:
        document = docx.Document(str(tmp_path / "out" / "eu-battery-rules" / f"{audience}.docx"))
        facts = [p for p in document.paragraphs if p.style.name == "List Bullet"]
        takeaways = [p for p in document.paragraphs if p.style.name == "List Number"]
        assert len(facts) >= 2 and takeaways, (audience, [p.text for p in document.paragraphs])


def test_new_never_overwrites_a_file(cli, tmp_path: Path) -> None:
    folder = tmp_path / "topics"
    assert cli("new", "one", "--folder", folder).code == 0
    (folder / "one.yaml").write_text("mine\n", encoding="utf-8")
    again = cli("new", "one", "--folder", folder)
    assert again.code == 1 and "already exists" in again.err and "nothing written" in again.err
    assert (folder / "one.yaml").read_text(encoding="utf-8") == "mine\n"


@pytest.mark.parametrize("bad", ["My Topic", "../escape", "x" * 70, "_under"])
def test_new_refuses_an_id_that_is_not_a_slug(cli, tmp_path: Path, bad: str) -> None:
    result = cli("new", bad, "--folder", tmp_path)
    assert result.code == 1 and "not a usable id" in result.err
    assert list(tmp_path.iterdir()) == []


def test_a_title_with_yaml_characters_reads_back_as_written(cli, tmp_path: Path) -> None:
    title = 'R&D: "quotes", #hash, {braces} & 日本語'
    assert cli("new", "odd", "--title", title, "--folder", tmp_path).code == 0
    from briefs.loading import load_dataset

    assert load_dataset(tmp_path / "odd.yaml").title == title
