"""Selection: a pure function from data and profile to a Brief, with a reason for every fact."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import AUDIENCES, DEFAULT_DATA, ROOT

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
    assert decisions[0].matched == (("a", 2), ("b", 1))


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
    assert 0 < len(brief.facts) <= profile.max_facts
    assert all(view.score >= profile.min_score for view in brief.facts)
    assert [f.score for f in brief.facts] == sorted((f.score for f in brief.facts), reverse=True)
    assert len(brief.decisions) == len(dataset.facts)


@pytest.mark.parametrize("audience", AUDIENCES)
def test_citations_are_numbered_in_order_of_first_use(dataset: Dataset, audience: str) -> None:
    brief = select(dataset, load_profile(PROFILES / f"{audience}.yaml"))
    seen: list[int] = []
    items = {"key_facts": brief.facts, "figures": brief.figures, "takeaways": brief.takeaways, "faqs": brief.faqs}
    for section in brief.sections:
        for item in items.get(section, ()):
            seen += [n for n in item.citations if n not in seen]
    assert seen == list(range(1, len(seen) + 1))
    assert [s.number for s in brief.sources] == list(range(1, len(brief.sources) + 1))


def test_investor_and_researcher_briefs_differ_as_their_profiles_say(dataset: Dataset) -> None:
    investor = load_profile(PROFILES / "investor.yaml")
    researcher = load_profile(PROFILES / "researcher.yaml")
    inv, res = select(dataset, investor), select(dataset, researcher)
    assert {f.id for f in inv.facts} != {f.id for f in res.facts}
    by_id = {f.id: f for f in dataset.facts}
    # Each brief's facts lean to its own profile's heaviest topic more than the other brief's do.
    for own, other, profile in ((inv, res, investor), (res, inv, researcher)):
        heaviest = max(profile.interests, key=lambda t: profile.interests[t])
        share = sum(heaviest in by_id[f.id].topics for f in own.facts) / len(own.facts)
        other_share = sum(heaviest in by_id[f.id].topics for f in other.facts) / len(other.facts)
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
    view = next(f for f in select(dataset, forced).facts if f.id == fact.id)
    assert view.text == text


def test_every_unverified_fact_shown_is_labelled_and_cited(dataset: Dataset) -> None:
    for audience in AUDIENCES:
        brief = select(dataset, load_profile(PROFILES / f"{audience}.yaml"))
        for view in brief.facts:
            if view.status in ("unverified", "corrected", "disputed"):
                assert view.label == view.status.upper()
                assert view.citations
                assert any(c.text == view.text for c in brief.caveats)


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
