"""One rule for suggestions: the closest known values for a typo, else the known values."""

from __future__ import annotations

from briefs.suggest import did_you_mean, known_or_closest


def test_a_typo_gets_the_closest_known_values_in_any_case() -> None:
    assert did_you_mean("Investr", ["investor", "researcher"]) == "did you mean 'investor'?"
    assert did_you_mean("markt", ["markets", "market", "energy"]) == "did you mean 'market' or 'markets'?"
    assert did_you_mean("zzz", ["investor"]) == ""


def test_a_value_like_none_known_lists_what_is_known() -> None:
    assert known_or_closest("zzz", ["b", "a"], "audiences") == "known audiences: a, b"
    assert known_or_closest("zzz", [f"s{n:02}" for n in range(10)], "", shown=2) == "known: s00, s01, ..."
    assert known_or_closest("zzz", [], "sources") == ""


def test_a_mistyped_audience_page_size_or_data_file_on_the_command_line_offers_what_was_meant(cli, tmp_path) -> None:
    from conftest import DEFAULT_DATA

    said = {
        "audience": cli("--data", DEFAULT_DATA, "--out", tmp_path, "-a", "investr", "-f", "html").err,
        "explain": cli("explain", "--data", DEFAULT_DATA, "-a", "polcymaker").err,
        "page size": cli("--data", DEFAULT_DATA, "--out", tmp_path, "--page-size", "lettr").err,
        "data file": cli("--data", DEFAULT_DATA.with_name("us-japan-critical-minerals.yaml"), "--out", tmp_path).err,
    }
    assert "unknown audience 'investr'; did you mean 'investor'?" in said["audience"]
    assert "unknown audience 'polcymaker'; did you mean 'policymaker'?" in said["explain"]
    assert "unknown page size 'lettr': did you mean 'Letter'? use one of A3, A4" in said["page size"]
    assert "did you mean 'us-japan-critical-minerals-2025.yaml'?" in said["data file"]
    assert not list(tmp_path.iterdir())


def test_only_the_suggestion_module_guesses_what_was_meant() -> None:
    """One rule for every hint: no other module computes close matches its own way."""
    from conftest import ROOT

    modules = sorted((ROOT / "briefs").rglob("*.py"))
    assert len(modules) > 50
    guessing = [str(path.relative_to(ROOT)) for path in modules
                if "get_close_matches" in (text := path.read_text(encoding="utf-8")) or "did you mean" in text.lower()]
    assert guessing == ["briefs/suggest.py"]
