"""The default data as an editor reads it: each brief says what the sources support, no more and no less."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import AUDIENCES, DEFAULT_DATA, ROOT
from readback import docx_paragraphs, docx_text

from briefs.loading import load_dataset, load_profile
from briefs.selection import select

DATASET = load_dataset(DEFAULT_DATA)


def _brief(audience: str):  # type: ignore[no-untyped-def]
    return select(DATASET, load_profile(ROOT / "templates" / "audiences" / f"{audience}.yaml"))


def _sentences(out: Path, audience: str) -> list[str]:
    text = docx_text(out / f"{audience}.docx")
    return [s for s in re.split(r"(?<=[.;:])\s+|\n", text) if s.strip()]


def _numbers(brief) -> dict[str, int]:  # type: ignore[no-untyped-def]
    return {source.id: source.number for source in brief.sources}


@pytest.mark.parametrize("audience", AUDIENCES)
def test_no_brief_says_the_governments_commit_where_the_text_says_they_intend(default_out: Path, audience: str) -> None:
    text = docx_text(default_out / f"{audience}.docx")
    bound = re.compile(r"\bcommit(s|ted)?\b|\b(both governments|both sides|the two countries|the participants) will\b", re.I)
    assert not bound.search(text), bound.search(text)
    assert "intend" in text


@pytest.mark.parametrize("audience", ["manufacturer", "policymaker"])
def test_the_october_export_controls_read_as_suspended_and_the_april_controls_as_in_force(
        default_out: Path, audience: str) -> None:
    sentences = _sentences(default_out, audience)
    october = [s for s in sentences if re.search(r"export[ -]control", s) and "October 2025" in s]
    assert october and all("suspen" in s for s in october), october
    assert any("10 November 2026" in s for s in october)
    assert any("April 2025" in s and "still applies" in s for s in sentences)


def test_the_suspension_rests_on_the_sources_that_report_it() -> None:
    facts = {fact.id: fact for fact in DATASET.facts}
    for fact_id in ("china-export-controls", "china-april-controls"):
        assert {"rawmaterials-net", "pillsbury", "resilinc"} <= set(facts[fact_id].sources), fact_id
        assert facts[fact_id].status == "confirmed"


def test_the_researcher_brief_reports_geological_mapping_and_never_says_there_is_no_research_provision(
        default_out: Path) -> None:
    text = docx_text(default_out / "researcher.docx")
    assert not re.search(r"\bno (research|environmental)\b[^.]*provision", text, re.I)
    mapping = _brief("researcher")
    [fact] = [fact for fact in mapping.claims if fact.id == "geological-mapping"]
    assert fact.label == "REPORTED" and "joint geological mapping" in text


def test_the_investor_brief_says_the_550_billion_package_is_outside_the_framework_not_that_it_is_not_minerals_money(
        default_out: Path) -> None:
    paragraphs = [text for _, text in docx_paragraphs(default_out / "investor.docx") if "$550 billion" in text]
    assert paragraphs and not any("minerals money" in text for text in paragraphs)
    assert any("not part of" in text for text in paragraphs)


def test_an_faq_cites_the_article_for_what_the_article_says_and_the_record_for_the_rest(default_out: Path) -> None:
    brief = _brief("investor")
    [faq] = [faq for faq in brief.faqs if faq.question == "Which industries benefit most?"]
    numbers = _numbers(brief)
    assert "source article" not in faq.answer and numbers["seed-article"] not in faq.citations
    [printed] = [text for _, text in docx_paragraphs(default_out / "investor.docx") if text.startswith("No source checked ranks")]
    answer, note = printed.split(" Note: ")
    assert answer.endswith(f"[{numbers['dpa-afx']}, {numbers['the-national']}]")
    assert note.startswith("The source article names EV manufacturing") and note.endswith(f"[{numbers['seed-article']}]")


def test_the_researcher_summary_cites_usgs_for_the_reference_and_the_site_for_its_own_figure() -> None:
    brief = _brief("researcher")
    numbers = _numbers(brief)
    cited = {text.strip(): ids for text, ids in brief.summary.parts}
    [reference] = [ids for text, ids in cited.items() if text.endswith("are the reference")]
    assert reference == (numbers["usgs-mcs-2025"],)
    [other] = [ids for text, ids in cited.items() if text.endswith("secondary sites give other figures")]
    assert other == (numbers["investing-site-140k"],)


def test_every_audience_gets_a_bottom_line_written_for_it(default_out: Path) -> None:
    assert set(AUDIENCES) <= set(DATASET.bottom_line)
    lines = {audience: next(text for style, text in docx_paragraphs(default_out / f"{audience}.docx")
                            if text.startswith("Bottom line:")) for audience in AUDIENCES}
    assert len(set(lines.values())) == len(AUDIENCES), lines


@pytest.mark.parametrize("audience", AUDIENCES)
def test_no_brief_repeats_a_deadline_or_a_headline_figure_more_than_three_times(default_out: Path, audience: str) -> None:
    text = docx_text(default_out / f"{audience}.docx")
    for phrase in ("six months", "180 days", "$550 billion", "90%", "69%", "70%"):
        assert text.count(phrase) <= 3, (phrase, text.count(phrase))
