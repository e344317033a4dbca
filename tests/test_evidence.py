"""Labels from the evidence, citations that support, and a cited, tailored opening."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from conftest import DEFAULT_DATA, MINIMAL, ROOT
from readback import pdf_text, squash

from briefs.checking import check
from briefs.evidence import confidence
from briefs.loading import load_dataset, load_profile
from briefs.models import Dataset
from briefs.selection import select

GRADES = {"a": "A", "d": "D", "e": "E", "f": "F"}
DATASET = load_dataset(DEFAULT_DATA)


@pytest.mark.parametrize(("status", "sources", "label"), [
    ("confirmed", ["a"], None),
    (None, ["a"], None),
    (None, ["d"], None),
    ("reported", ["a"], "REPORTED"),
    ("confirmed", ["f"], "UNVERIFIED"),
    (None, ["e", "f"], "UNVERIFIED"),
    ("reported", ["f"], "UNVERIFIED"),
    ("confirmed", [], "UNVERIFIED"),
    (None, [], "UNVERIFIED"),
    ("corrected", ["a"], None),
    ("corrected", ["f"], "UNVERIFIED"),
    ("disputed", ["f"], "DISPUTED"),
    ("unverified", ["a"], "UNVERIFIED"),
])
def test_the_label_follows_from_status_and_sources(status: str | None, sources: list[str], label: str | None) -> None:
    assert confidence(status, sources, GRADES).label == label


def _data(**extra: object) -> Dataset:
    base: dict[str, object] = {
        "id": "d", "title": "T", "subtitle": "S", "as_of": "2025-11-15", "summary": "Sum [@good].",
        "sources": [{"id": "good", "title": "Good", "publisher": "P", "reliability": "A"},
                    {"id": "page", "title": "Page", "publisher": "Web", "reliability": "F"}],
        "facts": [{"id": "f", "text": "F.", "topics": ["markets"], "sources": ["good"], "status": "confirmed"}],
    }
    return Dataset.model_validate(base | extra)


def _brief(data: Dataset, audience: str = "investor"):  # type: ignore[no-untyped-def]
    return select(data, load_profile(ROOT / "templates" / "audiences" / f"{audience}.yaml"))


def test_advice_resting_only_on_an_f_source_is_labelled_and_explained() -> None:
    brief = _brief(_data(takeaways=[{"audience": "investor", "text": "Buy shares.", "sources": ["page"]}]))
    assert brief.takeaways[0].label == "UNVERIFIED"
    [caveat] = [c for c in brief.caveats if c.text == "Buy shares."]
    assert "graded F" in caveat.reason


def test_a_reported_claim_is_labelled_and_its_note_is_its_caveat() -> None:
    brief = _brief(DATASET, "policymaker")
    [fact] = [f for f in brief.claims if f.id == "us-import-reliance-china"]
    assert fact.label == "REPORTED"
    [caveat] = [c for c in brief.caveats if c.label == "REPORTED"]
    assert caveat.reason.startswith("A USGS Mineral Commodity Summaries 2025 figure")


def test_a_corrected_fact_cites_as_support_only_what_supports_it(tmp_path: Path, cli) -> None:
    brief = _brief(DATASET, "investor")
    article = next(s.number for s in brief.sources if s.id == "seed-article")
    [fact] = [f for f in brief.facts if f.id == "signing-date"]
    assert fact.label is None and article not in fact.citations
    [correction] = [c for c in brief.corrections if c.text == fact.text]
    assert correction.corrects == (article,) and article not in correction.citations
    assert cli("--data", DEFAULT_DATA, "--out", tmp_path, "-a", "investor", "-f", "pdf").code == 0
    text = squash(pdf_text(tmp_path / DATASET.id / "investor.pdf"))
    assert squash(f"on Monday 27 October, U.S. time; in Tokyo the signing was on Tuesday 28 October. Corrects [{article}].") in text


def _corrected_data() -> Dataset:
    return _data(
        sources=[{"id": "good", "title": "Good", "publisher": "P", "reliability": "A"},
                 {"id": "page", "title": "Page", "publisher": "Web", "reliability": "F"}],
        facts=[{"id": "f", "text": "Signed on 28 October.", "topics": ["markets"], "sources": ["good"], "corrects": ["page"],
                "status": "corrected", "note": "The page says 27 October."},
               {"id": "g", "text": "A fund of 5 billion.", "topics": ["markets"], "sources": ["page"], "status": "unverified",
                "note": "Only the page says so."}],
    )


def test_a_corrected_fact_on_strong_sources_is_the_record_not_a_doubt(tmp_path: Path, cli) -> None:
    brief = _brief(_corrected_data(), "researcher")
    [fact] = brief.facts
    assert fact.label is None and fact.id == "f"
    assert [c.label for c in brief.caveats] == ["UNVERIFIED"]
    assert brief.caveat_counts() == {"UNVERIFIED": 1}
    [correction] = brief.corrections
    assert correction.text == "Signed on 28 October." and correction.note == "The page says 27 October."
    data = tmp_path / "d.yaml"
    data.write_text(yaml.safe_dump(_corrected_data().model_dump(mode="json", exclude_defaults=True)), encoding="utf-8")
    assert cli("--data", data, "--out", tmp_path / "out", "-a", "researcher", "-f", "pdf").code == 0
    text = squash(pdf_text(tmp_path / "out" / "d" / "researcher.pdf"))
    assert "CORRECTED" not in text
    assert squash("1 claim that is not confirmed (1 unverified)") in text
    assert squash("Corrections to the sources") in text and squash("The page says 27 October.") in text
    assert squash("Signed on 28 October. [1] (corrects [2])") in text


def test_unconfirmed_facts_are_claims_in_circulation_not_key_facts() -> None:
    brief = _brief(_corrected_data(), "researcher")
    assert [f.id for f in brief.facts] == ["f"] and [f.id for f in brief.claims] == ["g"]
    assert all(fact.label is None for fact in brief.facts)
    assert brief.sections.index("claims") == brief.sections.index("key_facts") + 1


def test_a_profile_listing_sections_without_claims_gets_them_after_key_facts() -> None:
    profile = load_profile(ROOT / "templates" / "audiences" / "investor.yaml")
    older = profile.model_validate(profile.model_dump() | {"sections": ["summary", "key_facts", "caveats"]})
    assert older.sections == ("summary", "key_facts", "claims", "caveats")
    assert [f.id for f in select(_corrected_data(), older).claims] == ["g"]


def test_the_legend_explains_exactly_the_labels_the_brief_prints() -> None:
    brief = _brief(_corrected_data(), "researcher")
    assert [label for label, _, _ in brief.legend] == ["UNVERIFIED"]
    plain = _brief(_data(), "researcher")
    assert plain.legend == ()
    for audience in ("investor", "manufacturer", "policymaker", "researcher"):
        full = _brief(DATASET, audience)
        printed = {c.label for c in full.caveats} | ({"SOURCES DISAGREE"} if full.conflicts else set())
        assert {label for label, _, _ in full.legend} == printed, audience


def test_the_opening_cites_its_sources_and_can_be_tailored(tmp_path: Path, cli) -> None:
    data = _data(summary={"default": "For all [@good].", "investor": "For investors [@good; @page]."},
                 bottom_line="Short [@page].")
    investor, policymaker = _brief(data, "investor"), _brief(data, "policymaker")
    assert str(investor.summary) == "For investors." and str(policymaker.summary) == "For all."
    # The bottom line is read first: its source is [1].
    assert investor.bottom_line is not None and investor.bottom_line.parts == (("Short", (1,)), (".", ()))
    assert investor.bottom_line.label == "UNVERIFIED"  # it rests only on an F-graded page
    assert investor.summary.citations == (1, 2) and investor.summary.label is None


def test_an_unknown_source_in_a_marker_is_an_error_at_its_line(tiny_data) -> None:
    path = tiny_data(MINIMAL.replace("summary: One paragraph.", "summary: One paragraph [@src-b]."))
    [finding] = [f for f in check([path]).findings if f.severity == "error"]
    assert (finding.line, finding.code) == (5, "unknown-source") and "[@src-b]" in finding.message
    assert "did you mean 'src-a'" in finding.hint


def test_an_uncited_summary_warns_that_briefs_label_it(tiny_data) -> None:
    findings = [f for f in check([tiny_data()]).findings if f.code == "uncited"]
    assert [(f.line, f.message) for f in findings] == [(5, "summary: cites no source, so briefs label it UNVERIFIED")]


def test_a_summary_stating_an_unconfirmed_number_no_brief_shows_warns(tiny_data) -> None:
    text = (MINIMAL.replace("summary: One paragraph.", "summary: It creates 25,000 jobs [@src-a].")
            + "  - id: jobs\n    text: It is said to create 25,000 jobs.\n    topics: [employment]\n    sources: [src-a]\n"
              "    status: unverified\n    note: Only one page says so.\n")
    findings = [f for f in check([tiny_data(text)]).findings if f.code == "unshown-claim"]
    assert findings and all("'25,000'" in f.message and "(jobs)" in f.message for f in findings)


def test_corrects_must_not_also_support_and_wants_a_note(tiny_data) -> None:
    both = MINIMAL.replace("    sources: [src-a]\n    status: confirmed", "    sources: [src-a]\n    corrects: [src-a]\n"
                                                                       "    status: corrected")
    [error] = [f for f in check([tiny_data(both)]).findings if f.severity == "error"]
    assert error.code == "corrects-support" and error.line == 19
    codes = {f.code for f in check([tiny_data(both)]).findings}
    assert "corrects-without-note" in codes


def test_the_default_briefs_state_the_disagreement_on_chinas_output_with_both_sources(tmp_path: Path, cli) -> None:
    assert cli("--data", DEFAULT_DATA, "--out", tmp_path, "-a", "investor", "-f", "pdf").code == 0
    brief = _brief(DATASET, "investor")
    numbers = {s.id: s.number for s in brief.sources}
    text = squash(pdf_text(tmp_path / DATASET.id / "investor.pdf"))
    usgs, site = numbers["usgs-mcs-2025"], numbers["investing-site-140k"]
    disagreement = (f"SOURCES DISAGREE on China's rare-earth mine production in 2024: 270,000 t REO [{usgs}] (grade A, the "
                    f"reference); 140,000 t REO [{site}] (grade F).")
    assert squash(disagreement) in text
    assert squash(f"[{site}] An investing website (name not recorded).") in text


def test_the_default_data_holds_no_advice_from_the_article_and_no_wording_beyond_the_sources() -> None:
    assert DATASET.takeaways and DATASET.facts
    for takeaway in DATASET.takeaways:
        assert "seed-article" not in takeaway.sources
        assert confidence(takeaway.status, takeaway.sources, {s.id: s.reliability for s in DATASET.sources}).label is None
    for fact in DATASET.facts:
        assert not (fact.status == "corrected" and "seed-article" in fact.sources), fact.id
        assert all("fall under broader controls" not in text for text in (fact.text, *fact.audiences.values()))


def test_the_policymaker_brief_favours_commitments_over_ceremony() -> None:
    shown = {f.id for f in _brief(DATASET, "policymaker").facts}
    assert {"six-month-project-support", "permitting", "rapid-response-group", "financing-tools", "ministerial-180-days"} <= shown
    assert not shown & {"signed-tokyo", "takaichi", "official-title"}


def test_label_kinds_and_statuses_come_from_one_table_that_the_theme_colours_whole() -> None:
    from briefs.evidence import KINDS, LABELS
    from briefs.models import LABEL_KINDS, STATUSES
    from briefs.writers.theme import Theme

    shipped = yaml.safe_load((ROOT / "templates" / "styles" / "theme.yaml").read_text(encoding="utf-8"))["colours"]["labels"]
    assert tuple(shipped) == tuple(kind for kind, _ in Theme().label_colours) == LABEL_KINDS
    assert dict(Theme().label_colours) == shipped  # the shipped theme shows the built-in colours
    assert set(LABELS) <= set(STATUSES) and set(LABELS) <= set(LABEL_KINDS) and len(LABELS) == 3
    assert set(KINDS.values()) <= set(LABEL_KINDS)
