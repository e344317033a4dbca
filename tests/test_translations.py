"""Translations beside a data file: recognised, applied by id, and never silently incomplete or out of date."""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

import pytest
import yaml
from conftest import DEFAULT_DATA
from pypdf import PdfReader

from briefs.checking import check
from briefs.errors import DataError
from briefs.loading import load_dataset
from briefs.locations import data_paths
from briefs.translations import fingerprint, in_language, is_translation

JA = DEFAULT_DATA.with_name(DEFAULT_DATA.stem + ".ja.yaml")
SIGNING = "The framework was signed in Tokyo on Tuesday 28 October 2025 (Japan time)."


@pytest.fixture
def topic(tmp_path: Path) -> Path:
    """A copy of the default data and its Japanese translation, to break."""
    folder = tmp_path / "data"
    folder.mkdir()
    shutil.copy(DEFAULT_DATA, folder)
    shutil.copy(JA, folder)
    return folder / DEFAULT_DATA.name


def _edit_translation(data: Path, change) -> Path:
    path = data.with_name(JA.name)
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(doc)
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def test_a_translation_beside_its_data_file_is_not_read_as_a_data_file(topic: Path) -> None:
    assert is_translation(topic.with_name(JA.name))
    assert not is_translation(topic)
    assert data_paths([topic.parent], Path.cwd()) == [topic]


def test_a_file_named_like_a_translation_without_its_data_file_is_data(tmp_path: Path) -> None:
    lone = tmp_path / "notes.ja.yaml"
    lone.write_text("id: x\n", encoding="utf-8")
    assert not is_translation(lone)


def test_the_shipped_japanese_translation_is_complete_and_current() -> None:
    dataset, untranslated = in_language(DEFAULT_DATA, load_dataset(DEFAULT_DATA), "ja")
    assert untranslated == []
    assert dataset.language == "ja"
    assert dataset.title == "日米重要鉱物・レアアース枠組み"
    assert next(f for f in dataset.facts if f.id == "signed-tokyo").text.startswith("枠組みは")


def test_the_shipped_translation_says_it_is_machine_assisted_and_unchecked() -> None:
    text = JA.read_text(encoding="utf-8")
    assert "MACHINE-ASSISTED" in text
    assert re.search(r"^checked_by: null$", text, re.MULTILINE)


def test_a_missing_translation_is_shown_in_the_original_tagged_and_listed_by_check(topic: Path, cli, tmp_path: Path) -> None:
    path = _edit_translation(topic, lambda doc: doc["facts"].pop("signing-date"))
    findings = [f for f in check([topic]).findings if f.code == "missing-translation"]
    assert [f.file for f in findings] == [str(path)]
    assert "facts.signing-date" in findings[0].message and re.search(r"of: [0-9a-f]{8}", findings[0].hint)
    out = tmp_path / "out"
    result = cli("generate", "--data", topic, "--language", "ja", "--out", out, "-a", "policymaker", "-f", "html", "-f", "docx",
                 "-f", "pdf")
    assert result.code == 0, result.err
    html = (out / "ja" / topic.stem / "policymaker.html").read_text(encoding="utf-8")
    assert '<html lang="ja"' in html
    assert f'<span lang="en-GB">{SIGNING}</span>' in html
    with zipfile.ZipFile(out / "ja" / topic.stem / "policymaker.docx") as docx:
        body = docx.read("word/document.xml").decode()
    run = re.search(r"<w:r>(?:(?!</w:r>).)*on Tuesday 28 October 2025(?:(?!</w:r>).)*</w:r>", body)
    assert run is not None and '<w:lang w:val="en-GB"/>' in run.group(0)
    reader = PdfReader(out / "ja" / topic.stem / "policymaker.pdf")
    assert reader.trailer["/Root"]["/Lang"] == "ja"
    tagged = [element for element in _elements(reader.trailer["/Root"]["/StructTreeRoot"]) if "/Lang" in element]
    assert tagged and all(element["/Lang"] == "en-GB" for element in tagged)


def _elements(node) -> list:
    """Return every structure element under `node`, depth first."""
    node = node.get_object()
    kids = node.get("/K")
    kids = kids if isinstance(kids, list) else [kids] if kids is not None else []
    found = [node]
    for kid in kids:
        if hasattr(kid, "get_object") and isinstance(kid.get_object(), dict) and "/S" in kid.get_object():
            found += _elements(kid)
    return found


def test_a_translation_of_an_older_text_is_flagged_stale_and_not_shown(topic: Path) -> None:
    data = topic.read_text(encoding="utf-8").replace("at the Akasaka Palace", "at Akasaka Palace")
    topic.write_text(data, encoding="utf-8")
    stale = [f for f in check([topic]).findings if f.code == "stale-translation"]
    assert len(stale) == 1 and "facts.signed-tokyo" in stale[0].message
    current = fingerprint("The framework was signed in Tokyo, at Akasaka Palace, after the Japan–U.S. summit meeting.",
                          None, None, None)
    assert f"of: {current}" in stale[0].hint
    assert stale[0].line is not None
    dataset, _ = in_language(topic, load_dataset(topic), "ja")
    shown = next(f for f in dataset.facts if f.id == "signed-tokyo").text
    assert "Akasaka Palace" in shown and shown.language == "en-GB"  # type: ignore[attr-defined]


def test_an_unknown_id_in_a_translation_is_an_error_naming_file_line_and_the_likely_id(topic: Path, cli, tmp_path: Path) -> None:
    path = _edit_translation(topic, lambda doc: doc["facts"].update({"signed-tokio": {"of": "0", "text": "x"}}))
    result = cli("generate", "--data", topic, "--language", "ja", "--out", tmp_path / "out", "-f", "html")
    assert result.code == 1
    assert re.search(rf"{re.escape(path.name)}:\d+: error: facts.signed-tokio: no fact 'signed-tokio' in the data file; "
                     r"did you mean 'signed-tokyo'", result.err), result.err
    assert "Traceback" not in result.err
    assert not (tmp_path / "out").exists()


def test_a_translation_citing_an_unknown_source_is_an_error(topic: Path) -> None:
    def cite_wrongly(doc: dict) -> None:
        doc["summary"]["text"]["default"] += " [@wh-framwork]"
    _edit_translation(topic, cite_wrongly)
    with pytest.raises(DataError, match=r"summary.text.default: cites unknown source 'wh-framwork'; did you mean 'wh-framework'"):
        in_language(topic, load_dataset(topic), "ja")


def test_a_language_without_a_translation_is_a_clear_error(cli, tmp_path: Path) -> None:
    result = cli("generate", "--data", DEFAULT_DATA, "--language", "de", "--out", tmp_path / "out", "-f", "html")
    assert result.code == 1
    assert "no translation of us-japan-critical-minerals-2025.yaml into 'de'" in result.err
    assert "translations found: us-japan-critical-minerals-2025.ja.yaml" in result.err


def test_generate_language_ja_writes_beside_the_default_edition_never_over_it(cli, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert cli("generate", "--data", DEFAULT_DATA, "--out", out, "-a", "investor", "-f", "html").code == 0
    english = (out / DEFAULT_DATA.stem / "investor.html").read_bytes()
    result = cli("generate", "--data", DEFAULT_DATA, "--language", "ja", "--out", out, "-a", "investor", "-f", "html")
    assert result.code == 0, result.err
    assert (out / DEFAULT_DATA.stem / "investor.html").read_bytes() == english
    japanese = (out / "ja" / DEFAULT_DATA.stem / "investor.html").read_text(encoding="utf-8")
    assert '<html lang="ja"' in japanese and "日米重要鉱物・レアアース枠組み" in japanese
    assert "line-break: strict" in japanese


def test_batch_language_ja_writes_its_own_folder_and_refuses_a_row_for_another_language(cli, tmp_path: Path) -> None:
    recipients = tmp_path / "r.csv"
    recipients.write_text("name,audience,language\nAoi Sato,investor,ja\nJo Bloggs,investor,en\n", encoding="utf-8")
    out = tmp_path / "out"
    result = cli("batch", recipients, "--data", DEFAULT_DATA, "--language", "ja", "--out", out, "-f", "html", "--jobs", "1")
    assert result.code == 1
    assert re.search(r"r\.csv:3: language: 'en', but this run writes the 'ja' edition; the language column is reserved", result.err)
    written = sorted(p.name for p in (out / "ja" / DEFAULT_DATA.stem / "recipients").glob("*.html"))
    assert written == ["Aoi Sato.html"]
    assert "日米重要鉱物" in (out / "ja" / DEFAULT_DATA.stem / "recipients" / "Aoi Sato.html").read_text(encoding="utf-8")
    assert not (out / DEFAULT_DATA.stem).exists()


def test_the_preview_shows_the_edition_asked_for(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import argparse

    from briefs.commands import serve
    from briefs.preview import Builder

    (tmp_path / "data").mkdir()
    shutil.copy(DEFAULT_DATA, tmp_path / "data")
    shutil.copy(JA, tmp_path / "data")
    monkeypatch.chdir(tmp_path)
    parser = argparse.ArgumentParser()
    serve.add_arguments(parser)
    build = Builder(serve.request_from(parser.parse_args(["--language", "ja", "-a", "investor"]))).build()
    assert build.inputs is not None, build.errors
    assert [dataset.language for _, dataset in build.inputs.datasets] == ["ja"]


def test_since_in_another_language_lists_only_what_changed(topic: Path, cli, tmp_path: Path) -> None:
    """The earlier edition is compared in the brief's language: an unchanged item reads the same in both editions
    (before, every translated item was listed as removed in English and new in Japanese)."""
    old = tmp_path / "old" / topic.name
    old.parent.mkdir()
    shutil.copy(topic, old)
    investor_wording = "        The framework sets out to build diversified, liquid and fair markets for critical\n"
    data = topic.read_text(encoding="utf-8")
    assert investor_wording in data
    topic.write_text(data.replace(investor_wording, investor_wording.replace("sets out to build", "aims to build")), encoding="utf-8")
    out = tmp_path / "out"
    result = cli("generate", "--data", topic, "--since", old, "--language", "ja", "--out", out, "-a", "investor", "-f", "html")
    assert result.code == 0, result.err
    page = (out / "ja" / topic.stem / "investor.html").read_text(encoding="utf-8")
    changes = page[page.index("以降の変更点"):page.index("概要")]
    assert changes.count("<li") == 1, changes
    assert "表現の変更" in changes and "The framework aims to build diversified" in changes  # the new wording: not yet translated
    assert "重要鉱物とレアアースの多様で流動性が高く公正な市場を築くことを目指す" in changes  # what it was, as the reader read it
    unchanged = cli("generate", "--data", topic, "--since", topic, "--language", "ja", "--out", tmp_path / "same", "-a",
                    "investor", "-f", "html")
    assert unchanged.code == 0, unchanged.err
    assert "このブリーフの内容は" in (tmp_path / "same" / "ja" / topic.stem / "investor.html").read_text(encoding="utf-8")


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_since_a_git_revision_quotes_the_old_wording_in_the_translation_readers_had(topic: Path, cli, tmp_path: Path) -> None:
    """A fact reworded in English and in Japanese in the same commit: the Japanese brief's "what changed" shows the new
    Japanese wording, and the old one as the earlier Japanese brief printed it (the translation file at that revision)."""
    from gitrepo import git

    repo = topic.parent
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "first")
    investor_wording = "        The framework sets out to build diversified, liquid and fair markets for critical\n"
    topic.write_text(topic.read_text(encoding="utf-8").replace(
        investor_wording, investor_wording.replace("sets out to build", "aims to build")), encoding="utf-8")
    [stale] = [f for f in check([topic]).findings if f.code == "stale-translation"]
    new_fingerprint = stale.hint.split("of: ")[1].split()[0].strip("`.,;:()")
    means = "枠組みは、採掘、分離、精製にわたる経済政策手段と協調投資により、"
    old_japanese = means + "重要鉱物とレアアースの多様で流動性が高く公正な市場を築くことを目指す。"
    new_japanese = means + "重要鉱物とレアアースの多様で流動性が高く公正な市場の構築を目標とする。"

    def reword(doc: dict) -> None:
        entry = doc["facts"]["framework-aim"]
        assert entry["audiences"]["investor"] == old_japanese
        entry["of"], entry["audiences"]["investor"] = new_fingerprint, new_japanese

    _edit_translation(topic, reword)
    assert not [f for f in check([topic]).findings if f.code == "stale-translation"]
    git(repo, "commit", "-qam", "second")
    out = tmp_path / "out"
    result = cli("generate", "--data", topic, "--since", "HEAD~1", "--language", "ja", "--out", out, "-a", "investor", "-f", "html")
    assert result.code == 0, result.err
    page = (out / "ja" / topic.stem / "investor.html").read_text(encoding="utf-8")
    changes = page[page.index("以降の変更点"):page.index("概要")]
    assert changes.count("<li") == 1, changes
    assert new_japanese in changes and old_japanese in changes and "The framework" not in changes


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_an_earlier_translation_that_cannot_be_read_is_noted_and_passed_over(topic: Path, cli, tmp_path: Path) -> None:
    from gitrepo import git

    repo = topic.parent
    _edit_translation(topic, lambda doc: doc["facts"].update({"no-such-fact": {"of": "0", "text": "存在しない"}}))
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "a translation naming a fact the data never had")
    _edit_translation(topic, lambda doc: doc["facts"].pop("no-such-fact"))
    git(repo, "commit", "-qam", "mended")
    out = tmp_path / "out"
    result = cli("generate", "--data", topic, "--since", "HEAD~1", "--language", "ja", "--out", out, "-a", "investor", "-f", "html")
    assert result.code == 0, result.err
    assert f"note: {topic.stem}.ja.yaml at HEAD~1:" in result.err and "no-such-fact" in result.err
    assert ".briefs-edition-" not in result.err  # named as the user knows it, not by its copy
    assert "このブリーフの内容は" in (out / "ja" / topic.stem / "investor.html").read_text(encoding="utf-8")
