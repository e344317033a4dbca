"""Deadlines: a time limit counted from a dated event, turned into the calendar date a reader acts on.

"Within six months of the signing" becomes "by 28 April 2026 (6 months after signing)": months and
years are calendar ones (the same day of the month, or the month's last day when it has no such
day), days and weeks are counted exactly.
"""

from __future__ import annotations

import calendar
import datetime as dt

from .models import Deadline
from .words import ENGLISH, Words, catalogue

__all__ = ["due_date", "rule"]


def due_date(deadline: Deadline, event: dt.date) -> dt.date | None:
    """Return the date `deadline` falls due, counting from the event's date; None past the calendar's end (year 9999)."""
    try:
        return _added(deadline, event)
    except (OverflowError, ValueError):
        return None


def _duration(deadline: Deadline) -> tuple[int, str]:
    """Return the deadline's count and unit: (6, "month") for `6 months`."""
    count_text, unit = deadline.within.split()
    return int(count_text), unit.rstrip("s")


def _added(deadline: Deadline, event: dt.date) -> dt.date:
    count, unit = _duration(deadline)
    if unit == "day":
        return event + dt.timedelta(days=count)
    if unit == "week":
        return event + dt.timedelta(weeks=count)
    months = count * (12 if unit == "year" else 1)
    year, month = divmod(event.month - 1 + months, 12)
    year += event.year
    return dt.date(year, month + 1, min(event.day, calendar.monthrange(year, month + 1)[1]))


def rule(deadline: Deadline, words: Words | None = None) -> str:
    """Return the rule as the brief prints it beside the date, in `words` (None: English): `6 months after signing`."""
    words = words or catalogue(ENGLISH)
    count, unit = _duration(deadline)
    return words.text("deadline.rule", within=words.text(f"duration.{unit}", count=count), event=deadline.event)
