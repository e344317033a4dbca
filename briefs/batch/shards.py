"""`batch --shard i/N`: a deterministic share of a recipient list, so that N machines split one batch.

Each shard reads the whole list (file names are chosen over the whole list, so two shards never
give one name to two recipients) and writes the recipients whose rank, in the order of their keys
(who they are, not where their row is), leaves the remainder i-1 when divided by N. The shares
differ by at most one recipient, and a recipient stays in its shard however the rows are sorted.

Shards may run at the same time into one output folder: each journals to part files of its own,
leaves other runs' temporary files alone, and neither compacts the manifest nor prunes; the index
it writes is what every shard had finished when it ended. A final run without `--shard` sees every
brief up to date, merges the journal and writes the complete index.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

__all__ = ["MOST_SHARDS", "Shard", "parse_shard"]

MOST_SHARDS = 10_000
"""More shards than this is a typing mistake, not a cluster."""

_SHARD = re.compile(r"\s*(\d{1,6})\s*/\s*(\d{1,6})\s*")


@dataclass(frozen=True)
class Shard:
    """Share `index` (1-based) of `count`."""

    index: int
    count: int

    def __str__(self) -> str:
        return f"{self.index}/{self.count}"

    def holding(self, keys: Iterable[str]) -> frozenset[str]:
        """Return the keys of `keys` that are this shard's."""
        return frozenset(key for rank, key in enumerate(sorted(set(keys))) if rank % self.count == self.index - 1)


def parse_shard(text: str) -> Shard:
    """Return the Shard `text` ("2/8") names; raise ValueError in the user's words when it names none."""
    match = _SHARD.fullmatch(text)
    if match is None:
        raise ValueError(f"expected i/N, e.g. 2/8 for the second of eight shares, got {text!r}")
    index, count = int(match.group(1)), int(match.group(2))
    if not 1 <= count <= MOST_SHARDS:
        raise ValueError(f"the number of shards must be from 1 to {MOST_SHARDS:,}, got {count}")
    if not 1 <= index <= count:
        raise ValueError(f"the shard must be from 1 to {count}, got {index}")
    return Shard(index, count)
