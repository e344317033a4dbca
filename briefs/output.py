"""Write files atomically: a temporary name in the target folder, then a rename into place.

A killed run never leaves a truncated file under a final name; stale temporary files (the
`.briefs-tmp-` prefix) are swept by the next run.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from .errors import OutputError

__all__ = ["TEMP_PREFIX", "inside", "sweep_temporary", "write_atomic"]

TEMP_PREFIX = ".briefs-tmp-"


def write_atomic(path: Path, data: bytes, *, before_replace: Callable[[os.stat_result], None] | None = None) -> None:
    """Write `data` to `path` so that `path` holds either its old content or all of `data`.

    `before_replace` gets the new file's status (its size and modification time, which the rename
    keeps) once the data is written and before it takes `path`'s place: a batch journals the brief
    there, so that no brief is ever in place without its record, however the process is killed.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(prefix=TEMP_PREFIX, dir=path.parent)
    except OSError as exc:
        raise OutputError(f"{path.parent}: cannot create the output folder ({exc.strerror or exc})") from None
    try:
        with os.fdopen(fd, "wb") as stream:
            stream.write(data)
        os.chmod(temporary, 0o644)
        if before_replace is not None:
            before_replace(os.stat(temporary))
        os.replace(temporary, path)
    except OSError as exc:
        Path(temporary).unlink(missing_ok=True)
        raise OutputError(f"{path}: cannot write ({exc.strerror or exc})") from None


def sweep_temporary(folder: Path) -> int:
    """Remove temporary files a killed run left in `folder`; return how many."""
    removed = 0
    try:
        for leftover in folder.glob(TEMP_PREFIX + "*") if folder.is_dir() else ():
            leftover.unlink(missing_ok=True)
            removed += 1
    except OSError as exc:  # a folder we may not list or change: writing there fails next, with a clear message
        raise OutputError(f"{folder}: cannot tidy the output folder ({exc.strerror or exc})") from None
    return removed


def inside(root: Path, *parts: str) -> Path:
    """Return root/parts, refusing any result outside `root` (a guard behind safe names)."""
    try:
        path = root.joinpath(*parts).resolve()
        base = root.resolve()
    except (OSError, RuntimeError) as exc:  # Python 3.11 raises RuntimeError for a loop of symbolic links
        reason = exc.strerror if isinstance(exc, OSError) else "a loop of symbolic links"
        raise OutputError(f"{root.joinpath(*parts)}: cannot write there ({reason})") from None
    if path != base and base not in path.parents:
        raise OutputError(f"{path}: refusing to write outside the output folder {base}")
    return path
