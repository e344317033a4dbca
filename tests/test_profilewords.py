"""A profile's label, focus and disclaimer in the brief's language, and the words around them."""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path
from types import SimpleNamespace

import pytest
from conftest import DEFAULT_DATA, run_cli

from briefs.checking import check
from briefs.loading import load_dataset, load_profile
from briefs.locations import profile_paths
from briefs.profilewords import profile_words
from briefs.rendering import Renderer
from briefs.translations import in_language

PROFILES = sorted(profile_paths([]))
JA = DEFAULT_DATA.with_name(DEFAULT_DATA.stem + ".ja.yaml")


@pytest.fixture(scope="module")
def japanese(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Write the Japanese edition of the default data, HTML and DOCX, once."""
    out = tmp_path_factory.mktemp("ja-out")
    result = run_cli("generate", "--data", DEFAULT_DATA, "--language", "ja", "--out", out, "-f", "html", "-f", "docx")
    assert result.code == 0, result.err
    return out / "ja" / DEFAULT_DATA.stem


def _docx_text(path: Path) -> str:
    with zipfile.ZipFile(path) as docx:
        return "".join(docx.read(name).decode() for name in docx.namelist() if name.startswith("word/") and name.endswith(".xml"))


_READ_ATTRIBUTES = {"content", "alt", "title", "descr"}
"""Attributes a reader sees (keywords, alt text); the others (ids, anchors, bookmarks) are names, not words."""


def _readable(markup: str) -> str:
    """Return `markup` without the attributes a reader never sees."""
    return re.sub(r'\s([\w:-]+)="[^"]*"', lambda m: m.group(0) if m.group(1).split(":")[-1] in _READ_ATTRIBUTES else "", markup)


@pytest.mark.parametrize("path", PROFILES, ids=lambda p: p.stem)
def test_the_japanese_briefs_carry_none_of_the_english_words_of_their_profile(path: Path, japanese: Path) -> None:
    profile = load_profile(path)
    said = profile_words(profile, "ja")
    for shown in (japanese / f"{profile.id}.html").read_text(encoding="utf-8"), _docx_text(japanese / f"{profile.id}.docx"):
        text = re.sub(r"https?://[^\s<>\"]+", "", _readable(shown))  # addresses of sources keep their English words
        assert said.label in text and said.disclaimer in text
        for english in (profile.label, profile.focus, profile.disclaimer, *re.findall(r"\w{4,}", profile.focus)):
            assert not re.search(rf"\b{re.escape(english)}\b", text), english


def test_the_builtin_profiles_speak_japanese_german_and_french() -> None:
    assert len(PROFILES) == 4
    for path in PROFILES:
        assert set(load_profile(path).translations) >= {"ja", "de", "fr"}


def test_a_regional_language_takes_the_translation_of_its_language() -> None:
    investor = load_profile(next(p for p in PROFILES if p.stem == "investor"))
    assert profile_words(investor, "ja-JP").label == "投資家"
    assert profile_words(investor, "en-GB").label == "Investors"


def test_a_profile_without_the_briefs_language_is_warned_by_check_and_shown_tagged(tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    (templates / "audiences").mkdir(parents=True)
    source = next(p for p in PROFILES if p.stem == "investor")
    english_only = source.read_text(encoding="utf-8").split("\ntranslations:")[0].rsplit("\n#", 1)[0] + "\n"
    (templates / "audiences" / "investor.yaml").write_text(english_only, encoding="utf-8")
    warned = [f for f in check([DEFAULT_DATA], [templates]).findings if f.code == "missing-profile-translation"]
    assert len(warned) == 1
    assert warned[0].file == str(templates / "audiences" / "investor.yaml") and warned[0].line == 9
    assert "no ja translation" in warned[0].message
    said = profile_words(load_profile(templates / "audiences" / "investor.yaml"), "ja")
    assert said.label == "Investors" and said.label.language == "en"  # type: ignore[attr-defined]
    out = tmp_path / "out"
    result = run_cli("generate", "--data", DEFAULT_DATA, "--templates", templates, "--language", "ja", "--out", out,
                     "-a", "investor", "-f", "html")
    assert result.code == 0, result.err
    html = (out / "ja" / DEFAULT_DATA.stem / "investor.html").read_text(encoding="utf-8")
    assert '<span lang="en">For information only. Not investment advice.</span>' in html


def test_the_stop_filter_ends_a_japanese_sentence_with_a_japanese_full_stop() -> None:
    template = Renderer().env.from_string("{{ text }}{{ text|stop }}")
    assert template.render(text="リスク", brief=SimpleNamespace(language="ja")) == "リスク。"
    assert template.render(text="リスク。", brief=SimpleNamespace(language="ja")) == "リスク。"
    assert template.render(text="risk", brief=SimpleNamespace(language="en-GB")) == "risk."


def test_the_japanese_focus_line_ends_with_a_japanese_full_stop(japanese: Path) -> None:
    html = (japanese / "investor.html").read_text(encoding="utf-8")
    assert "このブリーフの焦点：資本の流れ、市場構造、タイミングとリスク。" in html


def test_a_quantity_label_is_translated_in_the_sources_disagree_line(japanese: Path) -> None:
    dataset, _ = in_language(DEFAULT_DATA, load_dataset(DEFAULT_DATA), "ja")
    fact = next(f for f in dataset.facts if f.id == "china-mine-output-2024")
    assert fact.quantity is not None and fact.quantity.label == "中国の2024年のレアアース鉱山生産量"
    html = (japanese / "investor.html").read_text(encoding="utf-8")
    assert "中国の2024年のレアアース鉱山生産量" in html
    assert "rare-earth mine production" not in html


def test_an_untranslated_quantity_label_is_tagged_and_listed_by_check(tmp_path: Path) -> None:
    data = tmp_path / DEFAULT_DATA.name
    shutil.copy(DEFAULT_DATA, data)
    translation = tmp_path / JA.name
    translation.write_text(JA.read_text(encoding="utf-8").replace("    quantity: 中国の2024年のレアアース鉱山生産量\n", ""),
                           encoding="utf-8")
    missing = [f for f in check([data]).findings if f.code == "missing-translation"]
    assert [f.message.split(":")[0] for f in missing] == ["facts.china-mine-output-2024.quantity"]
    dataset, _ = in_language(data, load_dataset(data), "ja")
    label = next(f for f in dataset.facts if f.id == "china-mine-output-2024").quantity.label  # type: ignore[union-attr]
    assert label == "China's rare-earth mine production in 2024" and label.language == "en-GB"  # type: ignore[union-attr]
