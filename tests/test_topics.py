"""The topic scheme: scheme ids and a data file's own topics, weighed through `broader`."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from conftest import AUDIENCES, MINIMAL, error_lines
from readback import pdf_text, squash

from briefs.checking import check
from briefs.models import Profile, Topic
from briefs.topics import weight

ROOT = Path(__file__).resolve().parent.parent
SECOND_TOPIC = ROOT / "tests" / "fixtures" / "eu-battery.yaml"


def _topics(**broader: list[str]) -> dict[str, Topic]:
    return {topic: Topic(broader=tuple(up)) for topic, up in broader.items()}


def test_a_profile_weight_for_the_topic_itself_wins_over_its_broader_topics() -> None:
    topics = _topics(chem=["technology"], technology=[])
    assert weight({"chem": 1, "technology": 3}, "chem", topics).value == 1


def test_an_unnamed_topic_takes_the_highest_weight_among_its_broader_topics() -> None:
    topics = _topics(recycling=["environment", "processing"], environment=[], processing=["supply"], supply=[])
    found = weight({"environment": 2, "supply": 3}, "recycling", topics)
    assert (found.value, found.via) == (3, "supply")  # through processing, transitively


def test_the_nearest_named_topic_of_a_chain_gives_the_weight() -> None:
    topics = _topics(own=["processing"], processing=["supply"], supply=[])
    assert weight({"processing": 1, "supply": 5}, "own", topics).value == 1


def test_a_topic_nothing_in_its_chain_names_weighs_zero_and_a_cycle_still_ends() -> None:
    topics = _topics(a=["b"], b=["a"])
    found = weight({"markets": 3}, "a", topics)
    assert (found.value, found.via) == (0, None)


def test_a_data_file_may_use_scheme_ids_without_declaring_them(tiny_data, cli) -> None:
    path = tiny_data(MINIMAL.replace("topics:\n  markets: Markets\n  supply: Supply\n", "").replace("[markets]", "[markets, regulation]"))
    assert check([path]).errors == 0
    explained = cli("explain", "--data", path, "-a", "policymaker")
    assert "regulation 3 (via policy)" in explained.out, explained.out


def test_a_broader_cycle_is_an_error_naming_the_line_and_the_cycle(tiny_data, cli, tmp_path: Path) -> None:
    path = tiny_data(MINIMAL.replace("  supply: Supply\n", "  supply: Supply\n  own-a: {label: A, broader: [own-b]}\n"
                                     "  own-b: {label: B, broader: [own-a]}\n"))
    result = cli("--data", path, "--out", tmp_path / "out")
    assert result.code == 1 and not (tmp_path / "out").exists()
    assert any("tiny.yaml:9: error: topics.own-a.broader: broader topics form a cycle: own-a -> own-b -> own-a" in line
               for line in error_lines(result.err)), result.err


def test_an_unknown_broader_topic_is_an_error_with_a_did_you_mean(tiny_data) -> None:
    path = tiny_data(MINIMAL.replace("  supply: Supply\n", "  supply: Supply\n  own: {label: Own, broader: [tecnology]}\n"))
    [finding] = [f for f in check([path]).findings if f.severity == "error"]
    assert (finding.line, finding.code) == (9, "unknown-topic")
    assert "'tecnology'" in finding.message and "did you mean 'technology'" in finding.hint


def test_a_scheme_in_a_templates_folder_replaces_the_builtin_one(tiny_data, tmp_path: Path, cli) -> None:
    folder = tmp_path / "house"
    (folder / "audiences").mkdir(parents=True)
    builtin = (ROOT / "templates" / "topics.yaml").read_text(encoding="utf-8")
    (folder / "topics.yaml").write_text(builtin + "widgets: {label: Widgets, broader: [markets]}\n", encoding="utf-8")
    (folder / "audiences" / "desk.yaml").write_text(
        "id: desk\nlabel: Desk\nfocus: Widgets\ninterests: {markets: 2}\nmax_facts: 5\nsections: [key_facts, sources]\n"
        "disclaimer: Internal.\n", encoding="utf-8")
    path = tiny_data(MINIMAL.replace("[markets]", "[widgets]"))
    explained = cli("explain", "--data", path, "--templates", folder, "-a", "desk")
    assert explained.code == 0 and "widgets 2 (via markets)" in explained.out, explained.out + explained.err
    # A scheme without topics the built-in profiles weigh makes those weights errors.
    (folder / "topics.yaml").write_text("markets: Markets\nwidgets: {label: Widgets, broader: [markets]}\n", encoding="utf-8")
    result = cli("check", "--data", path, "--templates", folder)
    assert result.code == 1 and "investor.yaml:12: error: interests.investment: neither the topic scheme nor a data file" in result.out


def test_a_broken_scheme_is_reported_at_its_line(tmp_path: Path, cli) -> None:
    folder = tmp_path / "house"
    folder.mkdir()
    (folder / "topics.yaml").write_text("markets: Markets\nsupply: {label: Supply, broder: [markets]}\n", encoding="utf-8")
    result = cli("check", "--templates", folder)
    assert result.code == 1
    assert "topics.yaml:2: error: supply.broder: unknown key" in result.out, result.out


@pytest.mark.parametrize("audience", AUDIENCES)
def test_a_second_topic_with_only_its_own_topics_gives_every_builtin_audience_a_full_brief(cli, tmp_path: Path, audience: str) -> None:
    result = cli("--data", SECOND_TOPIC, "--out", tmp_path, "-a", audience)
    assert result.code == 0, result.err
    folder = tmp_path / "eu-battery-regulation"
    headings = [p.text for p in docx.Document(str(folder / f"{audience}.docx")).paragraphs if p.style.name == "Heading 1"]
    assert {"Summary", "Key facts", "Minimum recycled content of new batteries from 2031", "Frequently asked questions",
            "Sources"} <= set(headings), headings  # a single figure's section is headed by its title
    assert any(h.startswith("Takeaways for") for h in headings), headings
    facts = [p for p in docx.Document(str(folder / f"{audience}.docx")).paragraphs if p.style.name == "List Bullet"]
    assert len(facts) >= 3, [p.text for p in facts]
    assert squash("Regulation (EU) 2023/1542 concerning batteries") in squash(pdf_text(folder / f"{audience}.pdf"))


def test_explain_shows_the_broader_topic_a_weight_came_through(cli) -> None:
    result = cli("explain", "--data", SECOND_TOPIC, "-a", "researcher")
    assert "cell-chemistry 3 (via technology)" in result.out, result.out


def test_the_builtin_profiles_weigh_only_scheme_topics() -> None:
    import yaml

    scheme = yaml.safe_load((ROOT / "templates" / "topics.yaml").read_text(encoding="utf-8"))
    assert len(AUDIENCES) >= 4, AUDIENCES
    for audience in AUDIENCES:
        profile = Profile.model_validate(yaml.safe_load((ROOT / "templates" / "audiences" / f"{audience}.yaml").read_text()))
        assert set(profile.interests) <= set(scheme), (audience, set(profile.interests) - set(scheme))
