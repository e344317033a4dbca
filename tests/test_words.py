"""The words briefs adds come from one catalogue per language (briefs/words/), overridable per key; dates and numbers by locale."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from babel import Locale
from conftest import AUDIENCES, DEFAULT_DATA, ROOT
from readback import docx_text, html_text, pdf_text

from briefs.numbers import format_number
from briefs.words import ENGLISH, PLURAL_CATEGORIES, catalogue, placeholders, read_catalogue, shipped_languages

WORDS = ROOT / "briefs" / "words"
PSEUDO = "en-XA"
"""The pseudo-language: English words, each message between ⟦ and ⟧ (a tag Babel reads as English)."""
_WORD = re.compile(r"[^\W\d_]+")


def _values(node: Any) -> Iterator[str]:
    """Yield every string value of a YAML document (keys are structure, not text a reader sees)."""
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for value in node.values():
            yield from _values(value)
    elif isinstance(node, list):
        for value in node:
            yield from _values(value)


def _supplied() -> set[str]:
    """Return the words the data file, the audience profiles and the topic scheme supply, lower-cased."""
    files = [DEFAULT_DATA, *(ROOT / "templates" / "audiences").glob("*.yaml"), ROOT / "templates" / "topics.yaml"]
    return {word.lower() for file in files for text in _values(yaml.safe_load(file.read_text(encoding="utf-8")))
            for word in _WORD.findall(text)}


def _bracketed(value: Any) -> Any:
    """Return a message of the English catalogue wrapped in ⟦ ⟧, its placeholders kept (the date pattern quoted, as CLDR wants)."""
    if isinstance(value, dict):
        return {category: _bracketed(text) for category, text in value.items()}
    return "⟦" + value + "⟧"


def _pseudo_folder(tmp_path: Path) -> Path:
    """Write a templates folder whose words/en-XA.yaml brackets every English message."""
    english = yaml.safe_load((WORDS / "en.yaml").read_text(encoding="utf-8"))
    pseudo = {key: _bracketed(value) for key, value in english.items()}
    pseudo["date.long"] = "'⟦'" + english["date.long"] + "'⟧'"
    folder = tmp_path / "templates"
    (folder / "words").mkdir(parents=True)
    (folder / "words" / f"{PSEUDO}.yaml").write_text(yaml.safe_dump(pseudo, allow_unicode=True), encoding="utf-8")
    return folder


def _with_language(tmp_path: Path, language: str) -> Path:
    """Return a copy of the default data file whose briefs are in `language`."""
    text = DEFAULT_DATA.read_text(encoding="utf-8")
    data = tmp_path / DEFAULT_DATA.name
    data.write_text(re.sub(r"(?m)^language: .*$", f"language: {language}", text), encoding="utf-8")
    return data


def _docx_all_text(path: Path) -> str:
    """Return a DOCX's body text and its headers' and footers' text."""
    with zipfile.ZipFile(path) as package:
        parts = [package.read(name).decode() for name in package.namelist() if re.match(r"word/(header|footer)\d*\.xml$", name)]
    return docx_text(path) + "\n" + "\n".join(" ".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", part)) for part in parts)


def _html_all_text(path: Path) -> str:
    """Return an HTML brief's text, chart labels included, each element's text apart (table cells do not run together)."""
    import lxml.html

    tree = lxml.html.fromstring(path.read_bytes())
    for hidden in tree.iter("style", "script", "title"):
        hidden.drop_tree()
    return " ".join(tree.itertext())


def _read(path: Path) -> str:
    return {"html": _html_all_text, "pdf": pdf_text, "docx": _docx_all_text}[path.suffix[1:]](path)


def _unbracketed(text: str, supplied: set[str]) -> set[str]:
    """Return the words of `text` outside ⟦ ⟧ that the data did not supply (addresses, which a PDF breaks across lines, left out)."""
    outside = re.sub(r"https?://\S*(?:\n[^\s⟦⟧]+)*|⟦[^⟧]*⟧", " ", text, flags=re.S)
    return {word for word in _WORD.findall(outside) if word.lower() not in supplied}


@pytest.fixture(scope="module")
def pseudo_briefs(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """Generate every default brief in every format, in the pseudo-language."""
    from conftest import run_cli

    tmp_path = tmp_path_factory.mktemp("pseudo")
    data, templates = _with_language(tmp_path, PSEUDO), _pseudo_folder(tmp_path)
    result = run_cli("--data", data, "--templates", templates, "--out", tmp_path / "out", "-f", "html", "-f", "pdf", "-f", "docx")
    assert result.code == 0, result.err
    return sorted((tmp_path / "out" / "us-japan-critical-minerals-2025").iterdir())


def test_every_word_a_brief_adds_comes_from_the_catalogue_in_every_format(pseudo_briefs: list[Path]) -> None:
    supplied = _supplied()
    assert len(pseudo_briefs) == 3 * len(AUDIENCES)
    for path in pseudo_briefs:
        text = _read(path)
        assert not _unbracketed(text, supplied), f"{path.name}: words outside the catalogue: {sorted(_unbracketed(text, supplied))}"
        assert text.count("⟦") > 20, path.name  # and the catalogue's words are there


def test_the_pseudo_language_check_catches_a_word_written_in_code() -> None:
    assert _unbracketed("⟦Summary⟧ Figure 1 ⟦Page 1 of 4⟧", {"summary"}) == {"Figure"}


@pytest.mark.parametrize("language", [tag for tag in shipped_languages() if tag != ENGLISH])
def test_a_shipped_catalogue_has_exactly_the_english_keys_and_placeholders(language: str) -> None:
    english, own = read_catalogue(WORDS / "en.yaml"), read_catalogue(WORDS / f"{language}.yaml")
    assert set(own) == set(english)
    for key, message in own.items():
        forms = message.values() if isinstance(message, dict) else [message]
        wanted = set().union(*(placeholders(text) for text in (english[key].values() if isinstance(english[key], dict)
                                                                 else [english[key]])))
        for text in forms:
            assert placeholders(text) <= wanted | {"count"}, (language, key)


@pytest.mark.parametrize("language", shipped_languages())
def test_every_plural_message_has_each_category_its_language_needs(language: str) -> None:
    needed = set(Locale.parse(language).plural_form.tags) | {"other"}
    plurals = {key: message for key, message in read_catalogue(WORDS / f"{language}.yaml").items() if isinstance(message, dict)}
    assert plurals
    for key, message in plurals.items():
        assert set(message) == needed, (language, key)
        assert set(message) <= set(PLURAL_CATEGORIES)


def test_the_languages_shipped_include_english_japanese_german_and_french() -> None:
    assert {"en", "ja", "de", "fr"} <= set(shipped_languages())


@pytest.mark.parametrize(("language", "written"), [("en-GB", "28 October 2025"), ("en", "28 October 2025"), ("ja", "2025年10月28日"),
                                                  ("de", "28. Oktober 2025"), ("fr", "28 octobre 2025")])
def test_a_date_is_written_the_way_the_language_writes_it(language: str, written: str) -> None:
    assert catalogue(language).date(dt.date(2025, 10, 28)) == written


@pytest.mark.parametrize(("language", "value", "written"), [("de", 270000, "270.000"), ("de", 1234.567, "1.234,57"),
                                                            ("en-GB", 270000, "270,000"), ("ja", 0.5, "0.5"), ("fr", 2.5, "2,5")])
def test_a_number_has_the_separators_of_the_language(language: str, value: float, written: str) -> None:
    assert catalogue(language).number(value) == written


def test_english_numbers_are_as_before_with_or_without_babel() -> None:
    english = Locale.parse("en")
    for value in (270000, 0.5, 1234.567, -3.456, 12.0, 0.001):
        assert format_number(value, locale=english) == format_number(value)


def test_a_plural_message_picks_the_form_of_its_count() -> None:
    words = catalogue("en")
    assert words.text("corrections.intro", count=1).startswith("This claim is")
    assert words.text("corrections.intro", count=3).startswith("These claims are")


def test_a_language_falls_back_through_its_tag_to_english(tmp_path: Path) -> None:
    folder = tmp_path / "templates"
    (folder / "words").mkdir(parents=True)
    (folder / "words" / "ja.yaml").write_text('summary.heading: "まとめ"\n', encoding="utf-8")
    words = catalogue("ja-JP", [folder])
    assert words.text("summary.heading") == "まとめ"  # ja-JP -> the folder's ja
    assert words.text("key_facts.heading") == "主な事実"  # -> the built-in ja
    assert catalogue("pt-BR").text("key_facts.heading") == "Key facts"  # -> en
    assert "key_facts.heading" in catalogue("pt-BR").missing and not catalogue("ja-JP").missing


def test_a_templates_folder_overrides_one_word_and_only_that_one(cli, tmp_path: Path) -> None:
    folder = tmp_path / "templates"
    (folder / "words").mkdir(parents=True)
    (folder / "words" / "en.yaml").write_text('key_facts.heading: "What we know"\n', encoding="utf-8")
    plain, custom = tmp_path / "plain", tmp_path / "custom"
    assert cli("--data", DEFAULT_DATA, "--out", plain, "-a", "investor", "-f", "html").code == 0
    assert cli("--data", DEFAULT_DATA, "--templates", folder, "--out", custom, "-a", "investor", "-f", "html").code == 0
    before = html_text(next(plain.glob("*/investor.html"))).splitlines()
    after = html_text(next(custom.glob("*/investor.html"))).splitlines()
    changed = [(old, new) for old, new in zip(before, after, strict=True) if old != new]
    assert changed == [("Key facts", "What we know")]


def test_check_names_the_words_a_language_lacks_and_a_key_no_catalogue_has(cli, tmp_path: Path) -> None:
    folder = tmp_path / "templates"
    (folder / "words").mkdir(parents=True)
    (folder / "words" / "pt.yaml").write_text('summary.heading: "Resumo"\nsumary.heading: "typo"\n', encoding="utf-8")
    data = _with_language(tmp_path, "pt")
    result = cli("check", "--data", data, "--templates", folder)
    assert result.code == 0, result.err
    missing = [line for line in result.out.splitlines() if "no translation" in line]
    assert len(missing) == 1 and missing[0].startswith(f"{data}:") and "key_facts.heading" not in missing[0]
    assert "language pt:" in missing[0] and "meta.prepared_for" in missing[0] and "summary.heading" not in missing[0]
    assert any(line.startswith(f"{folder / 'words' / 'pt.yaml'}:2: warning: 'sumary.heading'") for line in result.out.splitlines())


def test_a_words_file_with_a_bad_placeholder_stops_the_run_naming_its_line(cli, tmp_path: Path) -> None:
    folder = tmp_path / "templates"
    (folder / "words").mkdir(parents=True)
    (folder / "words" / "en.yaml").write_text('summary.heading: "Summary"\nsources.heading: "{x.__class__}"\n', encoding="utf-8")
    result = cli("--data", DEFAULT_DATA, "--templates", folder, "--out", tmp_path / "out")
    assert result.code == 1 and not (tmp_path / "out").exists()
    assert f"{folder / 'words' / 'en.yaml'}:2: error: sources.heading: " in result.err and "Traceback" not in result.err


def test_a_japanese_brief_adds_only_japanese_words(cli, tmp_path: Path) -> None:
    data = _with_language(tmp_path, "ja")
    assert cli("--data", data, "--out", tmp_path / "out", "-a", "policymaker", "-f", "html", "-f", "docx").code == 0
    english = {word.lower() for text in _values(yaml.safe_load((WORDS / "en.yaml").read_text(encoding="utf-8")))
               for word in _WORD.findall(text)}
    added = english - _supplied() - {"d", "mmmm", "y"}
    for path in sorted((tmp_path / "out").glob("*/policymaker.*")):
        text = _read(path)
        assert "2025年11月15日現在" in text and "主な事実" in text and "情報源" in text
        assert not {word for word in _WORD.findall(text) if word.lower() in added}, path.name


@pytest.mark.parametrize(("language", "share", "written"), [("en", 0.15, "15%"), ("en-GB", 0.125, "12.5%"), ("de", 0.125, "12,5\u00a0%"),
                                                            ("ja", 0.15, "15%")])
def test_a_share_is_a_percentage_written_the_languages_way(language: str, share: float, written: str) -> None:
    assert catalogue(language).percent(share) == written


@pytest.mark.parametrize(("language", "written"), [("en", "E, F, and A"), ("en-GB", "E, F and A"), ("de", "E, F und A"), ("ja", "E、F、A")])
def test_a_list_is_joined_the_languages_way(language: str, written: str) -> None:
    assert catalogue(language).list(["E", "F", "A"]) == written


def test_the_compact_one_page_layout_takes_every_word_from_the_catalogue_too(tmp_path: Path) -> None:
    from conftest import run_cli

    data, templates = _with_language(tmp_path, PSEUDO), _pseudo_folder(tmp_path)
    result = run_cli("--data", data, "--templates", templates, "--out", tmp_path / "out", "-f", "html", "--max-pages", "2")
    assert result.code == 0, result.err
    pages = sorted((tmp_path / "out" / "us-japan-critical-minerals-2025").glob("*.html"))
    assert len(pages) == len(AUDIENCES)
    supplied = _supplied()
    for path in pages:
        text = _read(path)
        assert not _unbracketed(text, supplied), f"{path.name}: words outside the catalogue: {sorted(_unbracketed(text, supplied))}"
        assert "⟦" in text and "left out to fit" in text


def test_a_since_run_words_its_changes_with_a_templates_folders_overrides(tmp_path: Path) -> None:
    from conftest import DEFAULT_DATA, run_cli

    from briefs.pipeline import load_inputs

    inputs = load_inputs([DEFAULT_DATA])
    shown = next(fact.id for fact in inputs.brief(DEFAULT_DATA, inputs.profiles["investor"]).facts if not fact.label)
    data = yaml.safe_load(DEFAULT_DATA.read_text(encoding="utf-8"))
    for fact in data["facts"]:
        if fact["id"] == shown:  # the earlier edition called it unverified: the brief says it is no longer
            fact["status"] = "unverified"
    old = tmp_path / "old.yaml"
    old.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    folder = tmp_path / "templates"
    (folder / "words").mkdir(parents=True)
    (folder / "words" / "en.yaml").write_text('changes.now_status: "now {status}, per the house rules"\n', encoding="utf-8")
    result = run_cli("--data", DEFAULT_DATA, "--templates", folder, "--since", old, "--out", tmp_path / "out", "-f", "html")
    assert result.code == 0, result.err
    pages = [path.read_text(encoding="utf-8") for path in (tmp_path / "out" / "us-japan-critical-minerals-2025").glob("*.html")]
    assert len(pages) == len(AUDIENCES)
    assert any("per the house rules" in page for page in pages)
    assert not any("resting on sources graded" in page for page in pages)
