"""Run a planned batch on an executor (`executors`: this process, local worker processes or a Dask cluster).

The run loop does not know where the tasks run. Each output is journaled by the process that
wrote it, the moment it is in place (`manifest`); this process merges the journal at the end of
the run and writes the index (`index`). Temporary files are swept before the run (a killed run's) and after
it (those of a worker that died mid-file, whose task was run again elsewhere).
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Mapping
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from ..errors import OutputError
from ..manifest import Journal, Record, compact, part_path, read_manifest
from ..output import sweep_temporary
from .executors import IN_PROCESS_BELOW, Executor, LocalExecutor, worker_count
from .index import write_index
from .jobs import Done
from .planning import Plan
from .recipients import RowFailure

__all__ = ["IN_PROCESS_BELOW", "Summary", "landed", "run_batch", "worker_count"]


@dataclass(frozen=True)
class Summary:
    """The outcome of a batch."""

    written: int
    skipped: int
    failed: int
    """Outputs not written: rows that failed, times the formats, and outputs whose writing failed."""
    failures: tuple[RowFailure, ...]
    """One per failed row, in the order found."""
    swept: int
    """Temporary files removed: a killed run's, or a worker's that died mid-file."""
    workers: int
    """Workers used (local processes or Dask workers); 0 when the run stayed in this process."""
    seconds: float
    stale: int = 0
    """Recipients no longer in the list whose briefs are still in the folder (`--prune` removes them)."""
    pruned: int = 0
    """Recipients whose briefs `--prune` removed."""

    @property
    def rate(self) -> float:
        """Return outputs written per second."""
        return self.written / self.seconds if self.seconds > 0 else 0.0


def run_batch(
    plan: Plan, *, jobs: int | None = None, executor: Executor | None = None, on_done: Callable[[Done], None] | None = None,
    prune: bool = False,
) -> Summary:
    """Write the plan's outputs; call `on_done` as each recipient finishes; return the Summary.

    The tasks run on `executor`, by default a LocalExecutor with `jobs` worker processes. Whoever
    writes a brief journals it at once (`manifest`); this process merges the journal at the end,
    marks the briefs of recipients no longer in the list as stale (or, with `prune`, removes them)
    and writes the index. Interrupted (Ctrl-C, SIGTERM), it removes its temporary files and
    re-raises: the journal already holds every brief that was finished. A shard's run (`plan.shard`)
    shares the folder with others: it journals to a part of its own, sweeps, compacts and prunes
    nothing, and writes the index of what all have finished so far.
    """
    started = time.perf_counter()
    made = _missing_folders(plan.folder)
    try:
        plan.folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"{plan.folder}: cannot create the output folder ({exc.strerror or exc})") from None
    shared = plan.shard is not None  # other shards may be writing into this folder right now
    swept = 0 if shared else sweep_temporary(plan.folder)
    executor = executor or LocalExecutor(jobs)
    workers = executor.workers(plan)
    records = dict(plan.records)
    failures = list(plan.failures)
    try:
        with Journal(part_path(plan.manifest) if shared else plan.manifest) as journal:
            journal.append(plan.refreshed)
            records.update((record.path, record) for record in plan.refreshed)
            with closing(executor.results(plan)) as results:
                for done in results:
                    if done.error is not None:
                        failures.append(RowFailure(done.task.line, done.task.name, done.error))
                    if on_done is not None:
                        on_done(done)
    finally:
        swept += 0 if shared else sweep_temporary(plan.folder)
    # The journal, not the workers' replies, says what landed: a worker that died mid-chunk wrote and journaled
    # briefs whose reply never came, and they are in place like any other.
    arrived = landed(plan)
    records.update(arrived)
    written = len(arrived)
    failed = plan.pending - written
    failures = [failure for failure in failures if not _all_landed(plan, failure.line, arrived)]
    if shared:
        _index_so_far(plan)
        return Summary(written, plan.skipped, failed + len(plan.failures) * len(plan.formats), tuple(failures), swept, workers,
                       time.perf_counter() - started)
    pruned = _prune(plan) if prune else 0
    records = _settled(plan, records, pruned=prune)
    if written or journal.appended or pruned or records != plan.records or _has_parts(plan):
        compact(plan.manifest, records)
    if any(record.recipient in plan.current for record in records.values()):
        write_index(plan.folder, plan.current, records, plan.formats)
    else:  # no recipient has a brief: no index of empty cells, and no folders this run made for nothing
        _remove_empty(made)
    failed += len(plan.failures) * len(plan.formats)
    stale = 0 if prune else len({record.recipient for record in plan.stale})
    return Summary(written, plan.skipped, failed, tuple(failures), swept, workers, time.perf_counter() - started, stale, pruned)


def _index_so_far(plan: Plan) -> None:
    """Write the index of what every shard has finished so far: the journal is read anew, not compacted (others append)."""
    records = {path: record for path, record in read_manifest(plan.manifest).items()
               if record.recipient in plan.current and (plan.folder / path).is_file()}
    if records:
        write_index(plan.folder, plan.current, records, plan.formats)


def _missing_folders(folder: Path) -> list[Path]:
    """Return `folder` and those of its parents that do not exist yet, deepest first."""
    missing = []
    while not folder.exists() and folder != folder.parent:
        missing.append(folder)
        folder = folder.parent
    return missing


def _remove_empty(folders: list[Path]) -> None:
    """Remove `folders`, deepest first, while they are empty."""
    for folder in folders:
        try:
            folder.rmdir()
        except OSError:
            return


def landed(plan: Plan) -> dict[str, Record]:
    """Return the records of the briefs this run put in place, by path: journaled anew, and their file there.

    Read after the workers have stopped, this is what is on disk. A record is journaled just
    before its file is renamed into place, so a stop between the two leaves a record without its
    file: that brief is not counted (the next run writes it).
    """
    to_write = {f"{task.stem}.{fmt}" for task in plan.tasks for fmt, _key in task.outputs}
    return {path: record for path, record in read_manifest(plan.manifest).items()
            if path in to_write and plan.records.get(path) != record and _in_place(plan.folder / path, record.size)}


def _in_place(path: Path, size: int) -> bool:
    try:
        return path.stat().st_size == size
    except OSError:
        return False


def _all_landed(plan: Plan, line: int, arrived: Mapping[str, Record]) -> bool:
    """Return whether every output of the recipient on `line` is in place (their failure was only the reply's)."""
    return any(task.line == line and all(f"{task.stem}.{fmt}" in arrived for fmt, _key in task.outputs) for task in plan.tasks)


def _prune(plan: Plan) -> int:
    """Remove the files of recipients no longer in the list; return how many recipients lost theirs."""
    for record in plan.stale:
        (plan.folder / record.path).unlink(missing_ok=True)
    return len({record.recipient for record in plan.stale})


def _settled(plan: Plan, records: dict[str, Record], *, pruned: bool) -> dict[str, Record]:
    """Keep the records whose file still exists; mark those of recipients not in the list as stale."""
    settled = {}
    for path, record in records.items():
        if not (plan.folder / path).is_file():
            continue
        is_stale = record.recipient not in plan.current
        if is_stale and pruned:
            continue
        settled[path] = record if record.stale == is_stale else dataclasses.replace(record, stale=is_stale)
    return settled


def _has_parts(plan: Plan) -> bool:
    return any(plan.folder.glob(f"{plan.manifest.name}.*.part"))
