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


def _added(deadline: Deadline, event: dt.date) -> dt.date:
    count_text, unit = deadline.within.split()
    count, unit = int(count_text), unit.rstrip("s")
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
    return (words or catalogue(ENGLISH)).text("deadline.rule", within=deadline.within, event=deadline.event)
