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
