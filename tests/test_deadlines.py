"""Deadlines counted from a dated event: printed as calendar dates, listed in Key dates, checked."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from readback import READERS, squash

from briefs.checking import check
from briefs.deadlines import due_date
from briefs.models import Deadline

TOPIC = """\
id: dl
title: Deadlines
subtitle: For tests
as_of: 2025-11-15
summary: The framework was signed [@wh].
sources:
  - {id: wh, title: Text, publisher: White House, reliability: A, url: "https://example.org/wh", date: 2025-10-27}
facts:
  - {id: signing, text: Signed in Tokyo on 28 October 2025., topics: [diplomacy, investment, markets, technology],
     sources: [wh], status: confirmed, date: 2025-10-28}
  - id: six-months
    text: Within six months, measures to support selected projects.
    topics: [investment, markets, technology, diplomacy]
    sources: [wh]
    status: confirmed
    deadline: {within: 6 months, of: signing, event: signing, what: measures to support selected projects}
  - id: ministerial
    text: A ministerial within 180 days.
    topics: [investment, markets, technology, diplomacy]
    sources: [wh]
    status: confirmed
    deadline: {within: 180 days, of: signing, event: signing, what: an investment ministerial}
"""


def _deadline(within: str) -> Deadline:
    return Deadline(within=within, of="e", event="signing", what="x")


@pytest.mark.parametrize(("within", "event", "due"), [
    ("6 months", dt.date(2025, 10, 28), dt.date(2026, 4, 28)),
    ("180 days", dt.date(2025, 10, 28), dt.date(2026, 4, 26)),
    ("2 weeks", dt.date(2025, 12, 25), dt.date(2026, 1, 8)),
    ("6 months", dt.date(2025, 8, 31), dt.date(2026, 2, 28)),  # no 31 February: the month's last day
    ("1 year", dt.date(2024, 2, 29), dt.date(2025, 2, 28)),
    ("1 month", dt.date(2025, 12, 15), dt.date(2026, 1, 15)),
    ("5 years", dt.date(9998, 1, 1), None),  # past the calendar's end: no date, never a crash
])
def test_a_deadline_falls_due_on_the_calendar_date(within: str, event: dt.date, due: dt.date | None) -> None:
    assert due_date(_deadline(within), event) == due


@pytest.mark.parametrize("fmt", ["docx", "pdf", "html"])
def test_the_brief_prints_each_deadline_as_a_date_and_lists_key_dates_in_order(tmp_path: Path, cli, fmt: str) -> None:
    path = tmp_path / "dl.yaml"
    path.write_text(TOPIC, encoding="utf-8")
    assert cli("--data", path, "--out", tmp_path / "out", "-a", "investor", "-f", fmt).code == 0
    text = squash(READERS[fmt](tmp_path / "out" / "dl" / f"investor.{fmt}"))
    assert squash("Within six months, measures to support selected projects. Due by 28 April 2026. [1]") in text
    assert squash("A ministerial within 180 days. Due by 26 April 2026. [1]") in text
    dates = [text.index(squash(line)) for line in ("Date What 28 October 2025 Signing [1]",
                                                     "26 April 2026 An investment ministerial (180 days after signing) [1]",
                                                     "28 April 2026 Measures to support selected projects (6 months after signing) [1]")]
    assert dates == sorted(dates) and dates[-1] < text.index(squash("Key facts"))
    assert text.index(squash("Key dates: the deadlines this brief shows")) < text.index(squash("Key facts"))  # its caption


@pytest.mark.parametrize(("event", "words"), [("nowhere", "unknown fact 'nowhere'"), ("six-months", "has no `date`")])
def test_a_deadline_counted_from_an_unknown_or_undated_fact_is_an_error_at_its_line(tmp_path: Path, event: str, words: str) -> None:
    path = tmp_path / "dl.yaml"
    path.write_text(TOPIC.replace("of: signing, event: signing, what: an", f"of: {event}, event: signing, what: an"), encoding="utf-8")
    [error] = [f for f in check([path]).findings if f.severity == "error"]
    assert words in error.message and error.line == TOPIC.count("\n") and "deadline.of" in error.message


def test_a_deadline_must_say_how_long_in_days_weeks_months_or_years(tmp_path: Path) -> None:
    path = tmp_path / "dl.yaml"
    path.write_text(TOPIC.replace("within: 180 days", "within: soon"), encoding="utf-8")
    [error] = [f for f in check([path]).findings if f.severity == "error"]
    assert "deadline.within" in error.message and error.line == TOPIC.count("\n")
    assert "days, weeks, months or years, e.g. `6 months`" in error.message and "'soon'" in error.message


def test_a_deadline_beside_a_fact_whose_id_is_not_text_is_checked_without_a_crash(tmp_path: Path) -> None:
    path = tmp_path / "dl.yaml"
    path.write_text(TOPIC.replace("  - {id: signing,", "  - {id: [signing],", 1), encoding="utf-8")
    errors = [f for f in check([path]).findings if f.severity == "error"]
    assert errors and any("facts[0].id" in f.message for f in errors)
    assert any("unknown fact 'signing'" in f.message for f in errors)


def test_a_deadlines_duration_is_written_in_the_briefs_language() -> None:
    from briefs.deadlines import rule
    from briefs.models import Deadline
    from briefs.words import catalogue

    deadline = Deadline(within="180 days", of="signed", event="署名", what="閣僚会合")
    assert rule(deadline, catalogue("ja")) == "署名から180日"
    assert rule(deadline.model_copy(update={"within": "1 month", "event": "signing"}), catalogue("en")) == "1 month after signing"
    assert rule(deadline.model_copy(update={"within": "6 months", "event": "der Unterzeichnung"}), catalogue("de")) == (
        "6 Monate nach der Unterzeichnung")
