"""The editor's checks: repeated numbers, openings resting on weak sources, notes restating unconfirmed claims."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from briefs.checking import Finding, check
from briefs.checking.editing import numbers_in

BASE: dict[str, object] = {
    "id": "ed", "title": "T", "subtitle": "S", "as_of": "2025-11-15", "summary": "Output rose [@survey].",
    "sources": [{"id": "survey", "title": "Survey", "publisher": "P", "reliability": "A", "url": "https://example.org/s",
                 "date": "2025-01-01"},
                {"id": "blog", "title": "Blog", "publisher": "B", "reliability": "F", "url": "https://example.org/b",
                 "date": "2025-01-01"}],
    "facts": [{"id": f"f{n}", "text": f"Fact {n} on markets.", "topics": ["markets", "investment", "technology", "diplomacy"],
               "sources": ["survey"], "status": "confirmed"} for n in range(4)],
}


def _warnings(tmp_path: Path, code: str, **changes: object) -> list[Finding]:
    path = tmp_path / "ed.yaml"
    path.write_text(yaml.safe_dump(BASE | changes, allow_unicode=True), encoding="utf-8")
    return [f for f in check([path]).findings if f.code == code]


def _facts(*texts: str, **extra: object) -> list[dict[str, object]]:
    facts = [dict(fact) for fact in BASE["facts"]]  # type: ignore[attr-defined]
    for fact, text in zip(facts, texts, strict=False):
        fact["text"] = text
    facts[0].update(extra)
    return facts


def test_a_number_a_brief_prints_more_than_three_times_is_a_warning_naming_the_audiences(tmp_path: Path) -> None:
    texts = [f"China mined 270,000 t ({n})." for n in "abcd"]
    [found] = _warnings(tmp_path, "repeated-number", facts=_facts(*texts))
    assert found.subject == "270,000" and "investor 4 times" in found.message
    assert _warnings(tmp_path, "repeated-number", facts=_facts(*texts[:3])) == []


def test_dates_and_years_are_not_counted_as_repeated_numbers() -> None:
    assert numbers_in("Signed on 28 October 2025, 180 days and 69% later, 1,200.5 t") == ["180", "69%", "1,200.5"]


def test_an_opening_resting_only_on_a_weak_source_warns_unless_it_says_whose_claim_it_is(tmp_path: Path) -> None:
    [found] = _warnings(tmp_path, "weak-opening-citation", summary="Output rose [@survey]; a fund of $5 billion exists [@blog].")
    assert "a fund of $5 billion exists" in found.message and "graded F" in found.message
    assert _warnings(tmp_path, "weak-opening-citation", summary="Output rose [@survey]; a blog says a fund exists [@blog].") == []


@pytest.mark.parametrize(("note", "warns"), [
    ("USGS reports that about 70% of imports came from China.", True),
    ("A reported figure: about 70% of imports came from China (REPORTED).", False),
    ("The article says \"about 70% of imports\".", False),
])
def test_a_note_restating_an_unconfirmed_number_without_its_label_warns(tmp_path: Path, note: str, warns: bool) -> None:
    facts = _facts("About 70% of U.S. imports came from China.", "The deal has no target.",
                   status="reported")
    facts[1]["note"] = note
    found = _warnings(tmp_path, "unlabelled-restatement", facts=facts)
    assert bool(found) is warns
    if warns:
        assert "70%" in found[0].message and "REPORTED" in found[0].message and "facts[1].note" in found[0].message
