"""Run a planned batch on an executor (`executors`: this process, local worker processes or a Dask cluster).

The run loop does not know where the tasks run. Each output is recorded in the manifest journal,
by this process alone, as its recipient's outcome comes back; the journal is compacted at the end
of a run that wrote anything. Temporary files are swept before the run (a killed run's) and after
it (those of a worker that died mid-file, whose task was run again elsewhere).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass

from ..errors import OutputError
from ..manifest import Journal, Record, compact
from ..output import sweep_temporary
from .executors import IN_PROCESS_BELOW, Executor, LocalExecutor, worker_count
from .jobs import Done
from .planning import Plan
from .recipients import RowFailure

__all__ = ["IN_PROCESS_BELOW", "Summary", "run_batch", "worker_count"]


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

    @property
    def rate(self) -> float:
        """Return outputs written per second."""
        return self.written / self.seconds if self.seconds > 0 else 0.0


def run_batch(
    plan: Plan, *, jobs: int | None = None, executor: Executor | None = None, on_done: Callable[[Done], None] | None = None
) -> Summary:
    """Write the plan's outputs; call `on_done` as each recipient finishes; return the Summary.

    The tasks run on `executor`, by default a LocalExecutor with `jobs` worker processes.
    """
    started = time.perf_counter()
    try:
        plan.folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"{plan.folder}: cannot create the output folder ({exc.strerror or exc})") from None
    swept = sweep_temporary(plan.folder)
    executor = executor or LocalExecutor(jobs)
    workers = executor.workers(plan)
    records = dict(plan.records)
    written = failed = 0
    failures = list(plan.failures)
    with Journal(plan.manifest) as journal:
        journal.append(plan.refreshed)
        records.update((record.path, record) for record in plan.refreshed)
        with closing(executor.results(plan)) as results:
            for done in results:
                journal.append(done.records)
                records.update((record.path, record) for record in done.records)
                written += len(done.records)
                if done.error is not None:
                    failed += len(done.task.outputs) - len(done.records)
                    failures.append(RowFailure(done.task.line, done.task.name, done.error))
                if on_done is not None:
                    on_done(done)
    swept += sweep_temporary(plan.folder)
    if journal.appended:
        compact(plan.manifest, _existing(plan, records))
    failed += len(plan.failures) * len(plan.formats)
    return Summary(written, plan.skipped, failed, tuple(failures), swept, workers, time.perf_counter() - started)


def _existing(plan: Plan, records: dict[str, Record]) -> dict[str, Record]:
    """Keep the records whose file still exists (a recipient dropped from the CSV keeps theirs while it does)."""
    return {path: record for path, record in records.items() if (plan.folder / path).is_file()}
