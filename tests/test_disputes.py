"""Disputed quantities: stated wherever a brief prints one of their values, in every format."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from conftest import ROOT
from readback import READERS, squash

from briefs.disputes import disputes_in_text, find_disputes
from briefs.loading import load_profile
from briefs.models import Dataset
from briefs.selection import select

DATA = {
    "id": "ore", "title": "Ore output", "subtitle": "S", "as_of": "2025-11-15",
    "summary": "Country X mined about 270,000 t in 2024 [@survey].",
    "bottom_line": "Supply is concentrated [@survey].",
    "sources": [{"id": "survey", "title": "Survey", "publisher": "Geological Survey", "reliability": "A"},
                {"id": "blog", "title": "A blog", "publisher": "Blog", "reliability": "F"}],
    "facts": [
        {"id": "survey-output", "text": "Country X mined about 270,000 t in 2024.", "topics": ["markets"], "sources": ["survey"],
         "status": "confirmed", "quantity": {"value": 270000, "unit": "t", "measure": "x-output", "label": "X's output in 2024"}},
        {"id": "blog-output", "text": "A blog gives Country X 140,000 t for 2024.", "topics": ["markets"], "sources": ["blog"],
         "status": "disputed", "note": "The survey gives 270,000 t.",
         "quantity": {"value": 140000, "unit": "t", "measure": "x-output"}},
        {"id": "other", "text": "Demand grew by 270 t.", "topics": ["markets"], "sources": ["survey"], "status": "confirmed"},
    ],
    "takeaways": [{"audience": "researcher", "text": "Use the survey's 270000 t, not a blog's.", "sources": ["survey"]}],
    "faqs": [{"question": "How much?", "answer": "About 270,000 t.", "topics": ["markets"], "sources": ["survey"]}],
    "figures": [{"id": "output", "title": "Output", "kind": "bar", "category": "Country", "source": "survey",
                 "topics": ["markets"], "unit": "t", "data": {"X": 270000, "Y": 45000}}],
}
MARK = "SOURCES DISAGREE on X's output in 2024: 270,000 t [{a}] (grade A, the reference); 140,000 t [{f}] (grade F)."


def _brief(data: dict[str, object] = DATA):  # type: ignore[no-untyped-def]
    return select(Dataset.model_validate(data), load_profile(ROOT / "templates" / "audiences" / "researcher.yaml"))


def test_the_reference_value_is_the_best_graded_sides_whatever_the_order() -> None:
    reversed_facts = DATA | {"facts": [DATA["facts"][1], DATA["facts"][0]]}  # type: ignore[index]
    for data in (DATA, reversed_facts):
        [dispute] = find_disputes(Dataset.model_validate(data)).values()
        assert [side.fact.id for side in dispute.sides] == ["survey-output", "blog-output"]
        assert [side.grade for side in dispute.sides] == ["A", "F"]


def test_a_value_is_found_only_as_a_whole_number_as_written() -> None:
    [dispute] = find_disputes(Dataset.model_validate(DATA)).values()
    for text in ("about 270,000 t", "270000 t", "(270,000)", "140,000."):
        assert disputes_in_text(text, [dispute]) == [dispute], text
    for text in ("1,270,000 t", "270,0001", "2,270,000", "270 t", "27,000", "270,000.5"):
        assert disputes_in_text(text, [dispute]) == [], text


def test_every_item_printing_a_disputed_value_carries_the_disagreement() -> None:
    brief = _brief()
    marked = {
        "summary": brief.summary.disputes,
        "key fact": next(f for f in brief.facts if f.id == "survey-output").disputes,
        "claim": next(f for f in brief.claims if f.id == "blog-output").disputes,
        "figure": brief.figures[0].disputes,
        "takeaway": brief.takeaways[0].disputes,
        "answer": brief.faqs[0].disputes,
    }
    for where, disputes in marked.items():
        assert [c.measure for c in disputes] == ["x-output"], where
        assert [value for _, value, _, _ in disputes[0].values] == [270000, 140000], where
    assert brief.bottom_line is not None and brief.bottom_line.disputes == ()
    assert next(f for f in brief.facts if f.id == "other").disputes == ()
    [conflict] = brief.conflicts
    assert conflict.grades == ("A", "F") and conflict.reference == "Geological Survey"


def test_a_brief_showing_only_a_number_in_its_summary_still_states_the_disagreement() -> None:
    quiet = DATA | {"facts": [DATA["facts"][2], *DATA["facts"][:2]], "faqs": [], "figures": [], "takeaways": []}  # type: ignore[index,operator]
    profile = load_profile(ROOT / "templates" / "audiences" / "researcher.yaml")
    profile = profile.model_copy(update={"max_facts": 1})
    brief = select(Dataset.model_validate(quiet), profile)
    assert [f.id for f in brief.selected_facts] == ["other"]
    assert [c.measure for c in brief.summary.disputes] == ["x-output"]
    assert [c.measure for c in brief.conflicts] == ["x-output"]


@pytest.mark.parametrize("fmt", ["docx", "pdf", "html"])
def test_the_disagreement_is_printed_where_each_value_is_in_every_format(tmp_path: Path, cli, fmt: str) -> None:
    path = tmp_path / "ore.yaml"
    path.write_text(yaml.safe_dump(DATA, allow_unicode=True), encoding="utf-8")
    assert cli("--data", path, "--out", tmp_path / "out", "-a", "researcher", "-f", fmt).code == 0
    text = squash(READERS[fmt](tmp_path / "out" / "ore" / f"researcher.{fmt}"))
    brief = _brief()
    survey, blog = (next(s.number for s in brief.sources if s.id == id_) for id_ in ("survey", "blog"))
    mark = squash(MARK.format(a=survey, f=blog))
    for before in ("Country X mined about 270,000 t in 2024.", "About 270,000 t.", "not a blog's.",
                   "A blog gives Country X 140,000 t for 2024."):
        at = text.index(squash(before))
        assert mark in text[at:at + len(squash(before)) + len(mark) + 20], (fmt, before)
    assert text.count(mark) >= 6  # summary, key fact, claim, table caption, takeaway, answer (and the caveats)
    assert squash("The reference is Geological Survey.") in text


def test_a_value_inside_a_citation_marker_is_not_a_printed_value() -> None:
    """A source id holding a disputed value ([@s140000]) prints as a number in brackets: the brief states no disagreement."""
    import json

    data = json.loads(json.dumps(DATA).replace('"survey"', '"s140000"').replace("[@survey]", "[@s140000]"))
    data |= {"summary": "Supply is concentrated [@s140000].", "takeaways": [], "faqs": [], "figures": [],
             "facts": [fact | {"topics": ["elsewhere"]} for fact in data["facts"]]}
    brief = _brief(data)
    assert str(brief.summary) == "Supply is concentrated." and not brief.facts and not brief.claims
    assert brief.conflicts == ()
    assert len(_brief(data | {"summary": "Output was 140,000 t [@s140000]."}).conflicts) == 1
