"""Loading: bad data files fail with file, line and field named, exit 1, and no output written."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from conftest import DEFAULT_DATA, MINIMAL

from briefs.errors import DataError, ProfileError
from briefs.loading import load_dataset, load_profile
from briefs.yamlsource import MAX_BYTES


def _error_for(tiny_data, text: str) -> str:
    path = tiny_data(text)
    with pytest.raises(DataError) as caught:
        load_dataset(path)
    return str(caught.value)


BROKEN = [
    # (what is broken, replacement of MINIMAL's text, expected line, expected field, expected words)
    ("bad YAML", ("summary: One paragraph.", "summary: [unclosed"), 6, None, "invalid YAML"),
    ("unknown source id", ("sources: [src-a]", "sources: [src-b]"), 18, "facts[0].sources[0]", "unknown source 'src-b'"),
    ("missing field", ("    text: The first fact.\n", ""), 15, "facts[0].text", "required field is missing"),
    ("unknown key", ("    status: confirmed", "    status: confirmed\n    sttus: x"), 20, "facts[0].sttus", "unknown key"),
    ("wrong type", ("    topics: [markets]", "    topics: markets"), 17, "facts[0].topics", "tuple"),
    ("bad date", ("as_of: 2025-11-15", "as_of: 2025-13-45"), 4, "as_of", "month"),
    ("bad status", ("status: confirmed", "status: rumoured"), 19, "facts[0].status", "'rumoured'"),
    ("duplicate key", ("title: A tiny topic", "title: A tiny topic\ntitle: Again"), 3, None, "duplicate key 'title'"),
    ("unknown topic", ("topics: [markets]", "topics: [marktes]"), 17, "facts[0].topics[0]", "unknown topic 'marktes'"),
    ("control character", ("text: The first fact.", 'text: "bell \\a here"'), 16, "facts[0].text", "U+0007"),
]


@pytest.mark.parametrize(("case", "change", "line", "field", "words"), BROKEN, ids=[b[0] for b in BROKEN])
def test_broken_data_names_file_line_and_field(tiny_data, case, change, line, field, words) -> None:
    message = _error_for(tiny_data, MINIMAL.replace(*change))
    assert f"tiny.yaml:{line}:" in message, message
    if field:
        assert f": {field}:" in message, message
    assert words in message, message
    assert "\n" not in message


def test_broken_data_exits_1_without_traceback_or_output(cli, tiny_data, tmp_path: Path) -> None:
    path = tiny_data(MINIMAL.replace("sources: [src-a]", "sources: [nowhere]"))
    result = cli("--data", path, "--out", tmp_path / "out")
    assert result.code == 1
    assert "Traceback" not in result.err
    assert re.search(r"tiny\.yaml:18: error: facts\[0\]\.sources\[0\]: unknown source 'nowhere'", result.err)
    assert not (tmp_path / "out").exists()


def test_one_broken_file_among_several_writes_nothing(cli, tiny_data, tmp_path: Path) -> None:
    good = tiny_data(MINIMAL, "good.yaml")
    bad = tiny_data(MINIMAL.replace("id: tiny", "id: Not A Slug"), "bad.yaml")
    result = cli("--data", good, "--data", bad, "--out", tmp_path / "out")
    assert result.code == 1
    assert "bad.yaml:1: error: id:" in result.err
    assert not (tmp_path / "out").exists()


def test_yaml_alias_bomb_is_refused_quickly(tiny_data) -> None:
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8)
    )
    started = time.perf_counter()
    message = _error_for(tiny_data, bomb)
    assert time.perf_counter() - started < 1
    assert "tiny.yaml:1: anchors and aliases" in message


def test_deep_nesting_is_refused_without_crashing(tiny_data) -> None:
    message = _error_for(tiny_data, "a: " + "[" * 100_000)
    # Our own limit, or libyaml's where a newer one refuses first: either way a clear refusal, no crash.
    assert ("nesting" in message and "depth" in message) or "deeper than" in message


def test_huge_file_is_refused_before_reading(tiny_data, tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    with path.open("wb") as stream:
        stream.truncate(MAX_BYTES + 1)
    with pytest.raises(DataError, match="limit"):
        load_dataset(path)


def test_yes_and_no_stay_words_not_booleans(tiny_data) -> None:
    dataset = load_dataset(tiny_data(MINIMAL.replace("title: Source A", "title: NO")))
    assert dataset.sources[0].title == "NO"


def test_python_tags_are_refused(tiny_data) -> None:
    message = _error_for(tiny_data, MINIMAL.replace("title: Source A", "title: !!python/object/apply:os.system [ls]"))
    assert "unsupported YAML tag" in message


def test_invented_url_schemes_are_refused(tiny_data) -> None:
    message = _error_for(tiny_data, MINIMAL.replace("    reliability: B", "    reliability: B\n    url: javascript:alert(1)"))
    assert "sources[0].url" in message


def test_default_data_loads_and_every_fact_has_a_source() -> None:
    dataset = load_dataset(DEFAULT_DATA)
    assert all(fact.sources for fact in dataset.facts)
    assert {"confirmed", "unverified", "corrected"} <= {fact.status for fact in dataset.facts}


def test_default_data_never_states_a_corrected_claims_wrong_wording() -> None:
    dataset = load_dataset(DEFAULT_DATA)
    assert any(fact.status == "corrected" for fact in dataset.facts)
    for fact in dataset.facts:
        if fact.status == "corrected":
            assert fact.note, fact.id
            quoted = re.findall(r"[\"“]([^\"”]+)[\"”]", fact.note)
            for wrong in quoted:
                assert wrong not in fact.text, (fact.id, wrong)


def test_default_data_has_no_advertising() -> None:
    text = DEFAULT_DATA.read_text(encoding="utf-8").lower()
    assert "gift card" not in text
    assert "check eligibility" not in text


@pytest.mark.parametrize("text", ["", "\n\n  \n", "# only a comment\n# and another\n", "---\n"])
def test_an_empty_data_file_says_the_file_is_empty_and_what_it_should_hold(cli, tmp_path: Path, text: str) -> None:
    data = tmp_path / "topic.yaml"
    data.write_text(text, encoding="utf-8")
    for command in (["check"], ["generate", "--out", tmp_path / "out"]):
        result = cli(*command, "--data", data)
        assert result.code == 1
        assert "topic.yaml:1: error: the file is empty: a data file holds a topic's id, title, summary, sources and facts" \
            in result.out + result.err, result.out + result.err
    assert not (tmp_path / "out").exists()


def test_an_empty_profile_says_the_file_is_empty(cli, tmp_path: Path) -> None:
    (tmp_path / "house" / "audiences").mkdir(parents=True)
    (tmp_path / "house" / "audiences" / "board.yaml").write_text("# to do\n", encoding="utf-8")
    result = cli("check", "--templates", tmp_path / "house")
    assert result.code == 1
    assert "board.yaml:1: error: the file is empty: a profile holds an audience's id, label, interests" in result.out, result.out
    with pytest.raises(ProfileError, match=r"board.yaml:1: the file is empty: a profile holds"):
        load_profile(tmp_path / "house" / "audiences" / "board.yaml")
