"""`briefs check`: validate data files, profiles and templates without writing anything.

Loading already refuses invalid data and profiles; this also lays every brief out with its
template, so template and markup errors surface too, and reports what it checked.
"""

from __future__ import annotations

from .compose import compose
from .pipeline import Inputs
from .selection import select

__all__ = ["check"]


def check(inputs: Inputs, *, strict: bool = False) -> int:
    """Compose every brief in memory; print a summary; return the exit status."""
    briefs = 0
    for _path, dataset in inputs.datasets:
        for profile in inputs.profiles.values():
            compose(select(dataset, profile), inputs.renderer, template=profile.template)
            briefs += 1
    print(
        f"ok: {len(inputs.datasets)} data file(s), {len(inputs.profiles)} profile(s), "
        f"{briefs} brief(s) laid out without error"
    )
    return 0
