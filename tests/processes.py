"""Wait on what a test can see (files, processes) with a deadline, instead of sleeping for a guessed time."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

__all__ = ["alive_in_group", "wait_until"]


def alive_in_group(group: int) -> list[int]:
    """Return the processes of a process group that have not exited (zombies count as gone), read from /proc."""
    alive = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == group and fields[0] != "Z":
            alive.append(int(stat.parent.name))
    return alive


def wait_until(condition: Callable[[], object], seconds: float, failure: str) -> None:
    """Return as soon as `condition()` is true; fail with `failure` when it is still false after `seconds`."""
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, failure
        time.sleep(0.02)
