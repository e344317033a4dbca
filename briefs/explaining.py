"""`briefs explain -a AUDIENCE`: why each fact is in or out of an audience's brief."""

from __future__ import annotations

from .errors import ProfileError
from .pipeline import Inputs
from .selection import decide

__all__ = ["explain"]


def explain(inputs: Inputs, audiences: list[str]) -> int:
    """Print one row per fact of each data file for each audience; return the exit status."""
    chosen = audiences or sorted(inputs.profiles)
    for audience in chosen:
        profile = inputs.profiles.get(audience)
        if profile is None:
            raise ProfileError(f"unknown audience {audience!r}; known audiences: {', '.join(sorted(inputs.profiles))}")
        for _path, dataset in inputs.datasets:
            print(f"{dataset.id} for {profile.id} (min_score {profile.min_score:g}, max_facts {profile.max_facts})")
            print(f"{'rank':>4}  {'score':>5}  {'decision':<17} {'fact':<32} topics (weight)")
            for d in decide(dataset.facts, profile):
                topics = ", ".join(f"{t} {w:g}" for t, w in d.matched) or "-"
                if d.priority:
                    topics += f"; priority {d.priority:+d}"
                rank = str(d.rank) if d.rank else "-"
                print(f"{rank:>4}  {d.score:>5g}  {d.reason:<17} {d.fact_id:<32} {topics}")
            print()
    return 0
