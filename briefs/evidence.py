"""How far a claim is established: the label a reader sees, from its status *and* its sources.

The rule, stated once (README "Sources, caveats and checks", `explain`, test_evidence):

    1. a claim whose supporting sources are all graded E or F, or that has none   UNVERIFIED
       (whatever its status says: a weak source cannot confirm anything)
    2. status unverified or disputed                                              that word
    3. status reported (one credible secondary report)                            REPORTED
    4. confirmed, corrected, or no status (advice) resting on a source graded A-D no label

Supporting sources are the claim's `sources`; a source it `corrects` is never support. Every
labelled claim is listed in the brief's "Confidence and caveats" with its reason. A corrected
claim on strong sources is the record, not a doubt: it carries no label and is never counted as
"not confirmed"; the caveats list it apart, under "Corrections to the sources", with its note.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from .models import STATUSES
from .words import ENGLISH, Words, catalogue

__all__ = ["KINDS", "LABELS", "WEAK_GRADES", "Confidence", "confidence"]

LABELS: dict[str, str] = {status: status.upper() for status in STATUSES if status in ("unverified", "disputed", "reported")}
"""Status -> the label printed where the claim appears: the labels of claims not confirmed (the statuses are models.STATUSES)."""

KINDS = {"UNVERIFIED": "unverified", "REPORTED": "reported", "DISPUTED": "disputed", "SOURCES DISAGREE": "disputed"}
"""Label -> its style kind, in the order of the brief's legend ("How to read this brief"); the words
of each label and of what it tells a reader are the catalogue's `label.*` and `meaning.*`."""

WEAK_GRADES = frozenset("EF")
"""Admiralty grades that cannot support a claim on their own: E unreliable, F cannot be judged."""



@dataclass(frozen=True)
class Confidence:
    """The label of one claim (None: no label) and why."""

    label: str | None
    reason: str
    weak: bool = False
    """True when the label comes from the sources (rule 1) rather than the status word."""
    correction: bool = False
    """True for a corrected claim on strong sources: the record, listed under "Corrections to the sources"."""


def confidence(status: str | None, sources: Sequence[str], grades: Mapping[str, str], note: str | None = None,
               words: Words | None = None) -> Confidence:
    """Return the label of a claim with `status` resting on `sources` (ids; `grades` maps id -> A..F).

    The reason is in the words of `words` (None: English).
    """
    said = words or catalogue(ENGLISH)
    if not sources:
        return Confidence("UNVERIFIED", _joined(note, said.text("reason.no_source")), weak=status not in ("unverified",))
    if all(grades.get(source, "F") in WEAK_GRADES for source in sources):
        if status in ("unverified", "disputed"):
            return Confidence(LABELS[status], note or said.text(f"reason.{status}"))
        listed = said.list(sorted({grades.get(source, "F") for source in sources}))
        return Confidence("UNVERIFIED", _joined(note, said.text("reason.weak_sources", grades=listed)), weak=True)
    label = LABELS.get(status or "")
    if label is None:
        return Confidence(None, note or "", correction=status == "corrected")
    return Confidence(label, note or said.text(f"reason.{status}"))


def _joined(note: str | None, reason: str) -> str:
    return f"{note} {reason}" if note else reason
