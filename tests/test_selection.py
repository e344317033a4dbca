"""Selection: a pure function from data and profile to a Brief, with a reason for every fact."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import AUDIENCES, DEFAULT_DATA, ROOT

from briefs.brief import Brief
from briefs.loading import load_dataset, load_profile
from briefs.models import Dataset, Fact, Profile
from briefs.selection import decide, select

PROFILES = ROOT / "templates" / "audiences"


def _profile(**changes: object) -> Profile:
    base = {
        "id": "tester",
        "label": "Testers",
        "focus": "Testing",
        "interests": {"a": 2, "b": 1},
        "max_facts": 2,
        "min_score": 2,
        "sections": ["key_facts", "caveats", "sources"],
        "disclaimer": "Test only.",
    }
    return Profile.model_validate(base | changes)


def _fact(fact_id: str, topics: list[str], **extra: object) -> Fact:
    base = {"id": fact_id, "text": f"Fact {fact_id}.", "topics": topics, "sources": ["s"], "status": "confirmed"}
    return Fact.model_validate(base | extra)


def test_score_is_the_sum_of_topic_weights_plus_priority() -> None:
    decisions = decide([_fact("x", ["a", "b", "c"], priority=3)], _profile())
    assert decisions[0].score == 6
    assert [(m.topic, m.weight, m.via) for m in decisions[0].matched] == [("a", 2, None), ("b", 1, None)]


def test_each_fact_gets_exactly_one_reason() -> None:
    facts = [
        _fact("low", ["b"]),
        _fact("top", ["a", "b"]),
        _fact("second", ["a"]),
        _fact("third", ["a"]),
        _fact("excluded", ["a"], status="unverified"),
    ]
    decisions = {d.fact_id: d for d in decide(facts, _profile(exclude_status=["unverified"]))}
    assert decisions["low"].reason == "below min_score" and decisions["low"].rank is None
    assert decisions["top"].reason == "selected" and decisions["top"].rank == 1
    assert decisions["second"].reason == "selected" and decisions["second"].rank == 2
    assert decisions["third"].reason == "cut by max_facts" and decisions["third"].rank == 3
    assert decisions["excluded"].reason == "status excluded"


def test_ties_break_by_priority_then_file_order() -> None:
    facts = [_fact("first", ["a"]), _fact("boosted", ["b"], priority=1), _fact("later", ["a"])]
    ranked = sorted((d for d in decide(facts, _profile(max_facts=3)) if d.rank), key=lambda d: d.rank or 0)
    # All three score 2; the boosted one wins the tie, then the file order decides.
    assert [d.fact_id for d in ranked] == ["boosted", "first", "later"]


@pytest.fixture(scope="module")
def dataset() -> Dataset:
    return load_dataset(DEFAULT_DATA)


@pytest.mark.parametrize("audience", AUDIENCES)
def test_builtin_profiles_select_within_their_limits(dataset: Dataset, audience: str) -> None:
    profile = load_profile(PROFILES / f"{audience}.yaml")
    brief = select(dataset, profile)
    assert 0 < len(brief.selected_facts) <= profile.max_facts
    assert all(view.score >= profile.min_score for view in brief.selected_facts)
    assert [f.score for f in brief.selected_facts] == sorted((f.score for f in brief.selected_facts), reverse=True)
    assert len(brief.decisions) == len(dataset.facts)


@pytest.mark.parametrize("audience", AUDIENCES)
def test_citations_are_numbered_in_order_of_first_use(dataset: Dataset, audience: str) -> None:
    brief = select(dataset, load_profile(PROFILES / f"{audience}.yaml"))
    def disagreements(item: object) -> list[tuple[int, ...]]:  # printed right after the item, each value with its sources
        return [numbers for conflict in getattr(item, "disputes", ()) for *_, numbers in conflict.values]

    read: list[tuple[int, ...]] = [numbers for _, numbers in brief.bottom_line.parts] if brief.bottom_line else []
    read += disagreements(brief.bottom_line)
    items = {"key_facts": brief.facts, "claims": brief.claims, "figures": brief.figures, "takeaways": brief.takeaways,
             "faqs": brief.faqs}
    for section in brief.sections:
        if section == "summary":
            read += [numbers for _, numbers in brief.summary.parts] + disagreements(brief.summary)
            read += [line.citations for line in brief.key_dates]
        elif section == "caveats":
            read += [n for caveat in brief.caveats for n in (caveat.citations, caveat.corrects)]
            read += [n for correction in brief.corrections for n in (correction.citations, correction.corrects)]
            read += [numbers for conflict in brief.conflicts for *_, numbers in conflict.values]
        for item in items.get(section, ()):
            read += [item.citations, getattr(item, "corrects", ())]  # "(corrects [n])" follows an unlabelled correction
            read += disagreements(item)
    seen: list[int] = []
    for numbers in read:
        seen += [n for n in numbers if n not in seen]
    assert seen == list(range(1, len(seen) + 1))
    assert [s.number for s in brief.sources] == list(range(1, len(brief.sources) + 1))


def test_investor_and_researcher_briefs_differ_as_their_profiles_say(dataset: Dataset) -> None:
    investor = load_profile(PROFILES / "investor.yaml")
    researcher = load_profile(PROFILES / "researcher.yaml")
    inv, res = select(dataset, investor), select(dataset, researcher)
    assert {f.id for f in inv.selected_facts} != {f.id for f in res.selected_facts}
    by_id = {f.id: f for f in dataset.facts}
    # Each brief's facts lean to its own profile's heaviest topic more than the other brief's do.
    for own, other, profile in ((inv, res, investor), (res, inv, researcher)):
        heaviest = max(profile.interests, key=lambda t: profile.interests[t])
        share = sum(heaviest in by_id[f.id].topics for f in own.selected_facts) / len(own.selected_facts)
        other_share = sum(heaviest in by_id[f.id].topics for f in other.selected_facts) / len(other.selected_facts)
        assert share > other_share, heaviest
    assert inv.sections.index("key_facts") < inv.sections.index("figures")
    assert res.sections.index("figures") < res.sections.index("key_facts")


def test_audience_phrasing_replaces_the_fact_text(dataset: Dataset) -> None:
    phrased = [f for f in dataset.facts if f.audiences]
    assert phrased, "the default data should phrase some facts per audience"
    fact = phrased[0]
    audience, text = next(iter(fact.audiences.items()))
    profile = load_profile(PROFILES / f"{audience}.yaml")
    forced = profile.model_copy(update={"interests": {t: 10.0 for t in fact.topics}, "max_facts": 100, "min_score": 0})
    view = next(f for f in select(dataset, forced).selected_facts if f.id == fact.id)
    assert view.text == text


def test_every_unverified_fact_shown_is_labelled_and_cited(dataset: Dataset) -> None:
    checked = []
    for audience in AUDIENCES:
        brief = select(dataset, load_profile(PROFILES / f"{audience}.yaml"))
        for view in brief.selected_facts:
            if view.status in ("unverified", "disputed"):
                assert view.label == view.status.upper() and view in brief.claims
                assert view.citations
                assert any(c.text == view.text for c in brief.caveats)
                checked.append(view.status)
            elif view.status == "corrected":  # the record: no label, listed among the corrections
                assert view.label is None and view in brief.facts
                assert any(c.text == view.text for c in brief.corrections)
                checked.append(view.status)
    assert "unverified" in checked, "the default data shows no unverified fact to check"


def test_selection_is_pure_and_repeatable(dataset: Dataset) -> None:
    profile = load_profile(PROFILES / "policymaker.yaml")
    assert select(dataset, profile) == select(dataset, profile)


def test_profile_file_name_must_match_its_id(tmp_path: Path) -> None:
    from briefs.errors import ProfileError

    text = (PROFILES / "investor.yaml").read_text(encoding="utf-8")
    path = tmp_path / "other.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ProfileError, match=r"other\.yaml:\d+: id: id 'investor' must match"):
        load_profile(path)


# --- Sourcing a reader can trust: what the default data's briefs print, in both formats ----------

_HEADINGS_AFTER_CAVEATS = ("Keyfacts", "Takeawaysfor", "Frequentlyaskedquestions", "Figure1.", "Sources[1]")


def _reading(out: Path, audience: str, fmt: str) -> str:
    """Return a brief's body text with whitespace squashed, without the PDF's running header and page numbers."""
    import re

    import docx
    from readback import docx_text, pdf_text, squash

    path = out / f"{audience}.{fmt}"
    if fmt == "docx":
        return squash(docx_text(path))
    header = squash(docx.Document(str(out / f"{audience}.docx")).sections[0].header.paragraphs[0].text)
    return re.sub(r"Page\d+of\d+", "", squash(pdf_text(path)).replace(header, ""))


def _caveats_section(text: str, brief: Brief) -> tuple[int, int]:
    """Return where the 'Confidence and caveats' section starts and ends in squashed text."""
    from readback import squash

    start = text.index("Confidenceandcaveats")
    ends = [text.find(h, start) for h in (*_HEADINGS_AFTER_CAVEATS, squash(brief.disclaimer))]
    return start, min(e for e in ends if e > start)


def _cites(numbers: tuple[int, ...]) -> str:
    return "[" + ",".join(map(str, numbers)) + "]" if numbers else ""


def _builtin(audience: str) -> Brief:
    return select(load_dataset(DEFAULT_DATA), load_profile(PROFILES / f"{audience}.yaml"))


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
@pytest.mark.parametrize("audience", AUDIENCES)
def test_every_unconfirmed_claim_shown_is_labelled_where_it_appears(default_out: Path, audience: str, fmt: str) -> None:
    from readback import squash

    brief, text = _builtin(audience), _reading(default_out, audience, fmt)
    start, end = _caveats_section(text, brief)
    labelled = [(f.label, f.text, f.citations) for f in brief.claims if f.label]
    labelled += [(t.label, t.text, t.citations) for t in brief.takeaways if t.label]
    labelled += [(q.label, q.answer, q.citations) for q in brief.faqs if q.label]
    assert labelled, "the default data's briefs all show unconfirmed claims"
    for label, claim, numbers in labelled:
        shown = squash(f"{label} {claim}") + _cites(numbers)
        assert shown in text[:start] or shown in text[end:], claim[:60]


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
@pytest.mark.parametrize("audience", AUDIENCES)
def test_caveats_list_or_count_every_labelled_claim_as_the_profile_says(default_out: Path, audience: str, fmt: str) -> None:
    from readback import squash

    brief, text = _builtin(audience), _reading(default_out, audience, fmt)
    start, end = _caveats_section(text, brief)
    section = text[start:end]
    assert brief.caveats
    if brief.caveats_mode == "full":
        for caveat in brief.caveats:
            assert squash(f"{caveat.label} {caveat.text}") + _cites(caveat.citations) + squash(caveat.reason) in section
    else:
        counts = ", ".join(f"{n} {label.lower()}" for label, n in brief.caveat_counts().items())
        assert squash(f"This brief shows {len(brief.caveats)} claims that are not confirmed ({counts})") in section
        for caveat in brief.caveats:  # shortened, but each with its label, its sources and its reason
            assert squash(f"{caveat.label} “{caveat.text[:40]}") in section
            assert _cites(caveat.citations) + squash(caveat.short_reason) in section
            assert caveat.short_reason and caveat.reason.startswith(caveat.short_reason)


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
@pytest.mark.parametrize("audience", AUDIENCES)
def test_wrong_wording_of_a_corrected_claim_appears_only_inside_its_caveat(default_out: Path, audience: str, fmt: str) -> None:
    import re

    from readback import squash

    dataset = load_dataset(DEFAULT_DATA)
    brief, text = _builtin(audience), _reading(default_out, audience, fmt)
    start, end = _caveats_section(text, brief)
    outside = text[:start] + text[end:]
    shown = {f.id: f for f in brief.selected_facts}
    corrected = [fact for fact in dataset.facts if fact.status == "corrected"]
    assert corrected
    for fact in corrected:
        assert fact.note
        quotes = re.findall(r"\"([^\"]+)\"", fact.note)
        assert quotes, fact.id
        for wrong in quotes:
            assert squash(wrong) not in outside, (fact.id, wrong)
            if fact.id in shown and brief.caveats_mode == "full":
                view = shown[fact.id]
                caveat = squash(view.text) + _cites(view.citations) + squash(fact.note)
                assert caveat in text[start:end] and squash(wrong) in caveat
            elif fact.id not in shown:
                assert squash(wrong) not in text, (fact.id, wrong)


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
@pytest.mark.parametrize("audience", AUDIENCES)
def test_every_citation_number_resolves_to_a_source_entry(default_out: Path, audience: str, fmt: str) -> None:
    import re

    from readback import squash

    brief, text = _builtin(audience), _reading(default_out, audience, fmt)
    sources_at = text.rindex("Sources[1]")
    printed = {int(n) for group in re.findall(r"\[(\d+(?:,\d+)*)\]", text[:sources_at]) for n in group.split(",")}
    assert printed == {s.number for s in brief.sources}
    for source in brief.sources:
        assert squash(f"[{source.number}] {source.publisher}.") in text[sources_at:], source.id


def test_disagreements_cite_their_sources_in_reading_order() -> None:
    from briefs.models import Dataset

    data = Dataset.model_validate({
        "id": "d", "title": "T", "subtitle": "S", "as_of": "2025-11-15", "summary": "Sum.",
        "topics": {"a": "A", "b": "B"},
        "sources": [{"id": s, "title": s, "publisher": s, "reliability": "B"} for s in ("s1", "s2", "s3")],
        "facts": [
            {"id": "high", "text": "High.", "topics": ["a"], "sources": ["s1"], "status": "confirmed",
             "quantity": {"value": 2, "unit": "t", "measure": "m"}},
            {"id": "low", "text": "Low.", "topics": ["b"], "sources": ["s2"], "status": "confirmed",
             "quantity": {"value": 1, "unit": "t", "measure": "m"}},
        ],
        "figures": [{"id": "fig", "title": "F", "source": "s3", "topics": ["a"], "data": {"x": 1}}],
    })
    profile = _profile(interests={"a": 2}, sections=["key_facts", "caveats", "figures", "sources"])
    brief = select(data, profile)
    # The caveats, read before the figure, state the disagreement and cite s2 there: s2 is [2], s3 [3].
    assert [c.values for c in brief.conflicts] == [(("High.", 2, "t", (1,)), ("Low.", 1, "t", (2,)))]
    assert [s.id for s in brief.sources] == ["s1", "s2", "s3"]


def test_a_figure_whose_data_is_unconfirmed_is_labelled_and_listed_in_the_caveats() -> None:
    from briefs.models import Dataset

    data = Dataset.model_validate({
        "id": "d", "title": "T", "subtitle": "S", "as_of": "2025-11-15", "summary": "Sum.", "topics": {"a": "A"},
        "sources": [{"id": "s", "title": "s", "publisher": "s", "reliability": "F"}],
        "facts": [{"id": "f", "text": "F.", "topics": ["a"], "sources": ["s"], "status": "confirmed"}],
        "figures": [{"id": "fig", "title": "Output", "source": "s", "topics": ["a"], "data": {"x": 1},
                     "status": "unverified", "note": "Only an unattributed page gives these numbers."}],
    })
    brief = select(data, _profile(interests={"a": 2}, sections=["key_facts", "figures", "caveats", "sources"]))
    assert brief.figures[0].label == "UNVERIFIED"
    # The "confirmed" fact rests on the same F-graded source: it is labelled too.
    assert [(c.label, c.text) for c in brief.caveats] == [("UNVERIFIED", "F."), ("UNVERIFIED", "Output")]
    assert brief.caveats[1].reason == "Only an unattributed page gives these numbers."


def _mixed_dataset() -> Dataset:
    return Dataset.model_validate({
        "id": "d", "title": "T", "subtitle": "S", "as_of": "2025-11-15", "summary": "Sum.", "topics": {"a": "A"},
        "sources": [{"id": "s", "title": "s", "publisher": "s", "reliability": "B"}],
        "facts": [{"id": "f", "text": "F.", "topics": ["a"], "sources": ["s"], "status": "confirmed"},
                  {"id": "g", "text": "G.", "topics": ["a"], "sources": ["s"], "status": "unverified"}],
        "takeaways": [{"audience": "tester", "text": "Sure advice.", "sources": ["s"]},
                      {"audience": "tester", "text": "Shaky advice.", "sources": ["s"], "status": "unverified"}],
        "faqs": [{"question": "Sure?", "answer": "Yes.", "topics": ["a"], "sources": ["s"]},
                 {"question": "Shaky?", "answer": "Maybe.", "topics": ["a"], "sources": ["s"], "status": "unverified"}],
        "figures": [{"id": "sure", "title": "Sure", "source": "s", "topics": ["a"], "data": {"x": 1}},
                    {"id": "shaky", "title": "Shaky", "source": "s", "topics": ["a"], "data": {"x": 1}, "status": "unverified"}],
    })


def test_exclude_status_leaves_out_facts_takeaways_faqs_and_figures_alike() -> None:
    sections = ["key_facts", "figures", "takeaways", "faqs", "caveats", "sources"]
    brief = select(_mixed_dataset(), _profile(interests={"a": 2}, sections=sections, exclude_status=["unverified"]))
    assert [f.id for f in brief.facts] == ["f"]
    assert [t.text for t in brief.takeaways] == ["Sure advice."]
    assert [q.question for q in brief.faqs] == ["Sure?"]
    assert [g.id for g in brief.figures] == ["sure"]
    assert brief.caveats == ()
    everything = select(_mixed_dataset(), _profile(interests={"a": 2}, sections=sections))
    assert (len(everything.selected_facts), len(everything.takeaways), len(everything.faqs), len(everything.figures)) == (2, 2, 2, 2)
    assert [f.id for f in everything.claims] == [f.id for f in everything.selected_facts if f.label]


def test_a_profile_weighs_a_topic_it_does_not_name_as_its_broader_topic() -> None:
    data = Dataset.model_validate({
        "id": "d", "title": "T", "subtitle": "S", "as_of": "2025-11-15", "summary": "Sum.",
        "topics": {"own": {"label": "Own", "broader": ["a"]}, "a": "A"},
        "sources": [{"id": "s", "title": "s", "publisher": "s", "reliability": "B"}],
        "facts": [{"id": "f", "text": "F.", "topics": ["own"], "sources": ["s"], "status": "confirmed"}],
        "faqs": [{"question": "Q?", "answer": "A.", "topics": ["own"], "sources": ["s"]}],
    })
    brief = select(data, _profile(interests={"a": 2}, sections=["key_facts", "faqs", "sources"]))
    [decision] = brief.decisions
    assert (decision.score, decision.selected, decision.matched[0].via) == (2, True, "a")
    assert [q.question for q in brief.faqs] == ["Q?"]
