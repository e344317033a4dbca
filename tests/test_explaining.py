"""`explain`: one row per fact per audience, agreeing with the selection; `--fact` traces one fact."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import AUDIENCES, DEFAULT_DATA, MINIMAL, ROOT

from briefs.loading import load_dataset, load_profile
from briefs.selection import select

DATASET = load_dataset(DEFAULT_DATA)
PROFILES = {a: load_profile(ROOT / "templates" / "audiences" / f"{a}.yaml") for a in AUDIENCES}


def _tables(out: str) -> dict[str, list[str]]:
    """Split explain's output into {audience: fact id of each row}, reading the fact column by position."""
    tables: dict[str, list[str]] = {}
    for block in out.strip().split("\n\n"):
        title, header, *rows, rule = block.splitlines()
        assert rule.startswith("label: UNVERIFIED when every source is graded E or F")
        audience = title.split(" for ", 1)[1].split(" ", 1)[0]
        start, end = header.index(" fact ") + 1, header.index("topics")
        tables[audience] = [row[start:end].strip() for row in rows]
    return tables


def test_explain_accounts_for_every_fact_exactly_once_per_audience(cli) -> None:
    result = cli("explain", "--data", DEFAULT_DATA)
    assert result.code == 0, result.err
    tables = _tables(result.out)
    assert sorted(tables) == AUDIENCES
    for audience, ids in tables.items():
        assert ids == [fact.id for fact in DATASET.facts], audience


@pytest.mark.parametrize("audience", AUDIENCES)
def test_explain_marks_selected_exactly_the_facts_the_brief_shows(cli, audience: str) -> None:
    result = cli("explain", "--data", DEFAULT_DATA, "-a", audience)
    lines = result.out.splitlines()
    assert lines[0] == f"{DATASET.id} for {audience} (min_score {PROFILES[audience].min_score:g}, max_facts {PROFILES[audience].max_facts})"
    selected = {line.split()[4] for line in lines[2:] if " selected " in line}
    assert selected == {view.id for view in select(DATASET, PROFILES[audience]).selected_facts}


def test_explain_names_why_a_fact_is_out(cli) -> None:
    result = cli("explain", "--data", DEFAULT_DATA, "-a", "investor")
    decisions = {d.fact_id: d for d in select(DATASET, PROFILES["investor"]).decisions}
    rows = result.out.splitlines()[2:-1]
    assert len(rows) == len(decisions)
    for line in rows:
        fact_id = next(word for word in line.split() if word in decisions)
        decision = decisions[fact_id]
        assert f" {decision.reason} " in line
        assert line.split()[0] == (str(decision.rank) if decision.rank else "-")


def test_fact_trace_has_one_row_per_audience_agreeing_with_selection(cli) -> None:
    result = cli("explain", "--data", DEFAULT_DATA, "--fact", "others-joining")
    assert result.code == 0, result.err
    title, header, *rows = result.out.strip().splitlines()
    assert title.startswith(f"others-joining in {DATASET.id}: unverified")
    assert header.split()[:4] == ["audience", "rank", "score", "decision"]
    assert [row.split()[0] for row in rows] == AUDIENCES
    for row in rows:
        audience, rank, score = row.split()[:3]
        decision = next(d for d in select(DATASET, PROFILES[audience]).decisions if d.fact_id == "others-joining")
        assert rank == (str(decision.rank) if decision.rank else "-")
        assert float(score) == decision.score
        assert decision.reason in row
    # The decision column names the setting behind a cut, so the author knows which knob to turn.
    assert "cut by max_facts 10" in next(row for row in rows if row.startswith("investor"))
    assert "below min_score 2" in next(row for row in rows if row.startswith("researcher"))


def test_fact_trace_shows_matched_topics_weights_and_priority(cli) -> None:
    result = cli("explain", "--data", DEFAULT_DATA, "--fact", "signing-date", "-a", "investor")
    rows = result.out.strip().splitlines()[2:]
    assert len(rows) == 1
    assert rows[0].endswith("timeline 2, diplomacy 1; priority +2")


def test_unknown_fact_exits_1_suggesting_close_ids(cli) -> None:
    result = cli("explain", "--data", DEFAULT_DATA, "--fact", "signing-dat")
    assert result.code == 1
    assert "unknown fact 'signing-dat'" in result.err and "'signing-date'" in result.err


def test_unknown_audience_exits_1(cli) -> None:
    result = cli("explain", "--data", DEFAULT_DATA, "-a", "astronaut")
    assert result.code == 1
    assert "unknown audience 'astronaut'" in result.err


def test_long_fact_ids_keep_the_columns_aligned(cli, tiny_data) -> None:
    long_id = "a-fact-with-a-very-long-identifier-that-exceeds-the-old-column"
    path: Path = tiny_data(MINIMAL.replace("id: fact-one", f"id: {long_id}"))
    result = cli("explain", "--data", path, "-a", "investor")
    header, row = result.out.splitlines()[1:3]
    assert header.index("topics") == row.index("markets 3")


def test_explain_shows_each_facts_label_by_the_evidence_rule(cli) -> None:
    result = cli("explain", "--data", DEFAULT_DATA, "-a", "policymaker")
    header, *lines = result.out.splitlines()[1:-1]
    label_at, fact_at, topics_at = header.index("label"), header.index(" fact ") + 1, header.index("topics")
    rows = {line[fact_at:topics_at].strip(): line[label_at:fact_at].strip() for line in lines}
    assert rows["us-import-reliance-china"] == "REPORTED"
    assert rows["signing-date"] == "correction"
    assert rows["joint-fund-size"] == "UNVERIFIED"
    assert rows["six-month-project-support"] == "-"
    traced = cli("explain", "--data", DEFAULT_DATA, "--fact", "us-import-reliance-china")
    assert "labelled REPORTED (A USGS Mineral Commodity Summaries 2025 figure" in traced.out.splitlines()[0]
