"""Run a planned batch: in this process for a handful of outputs, else on local worker processes.

Workers start from a `forkserver` (a clean, single-threaded process that has already imported
the writers), receive the Setup once, and take recipients in chunks to keep messages few. Each
output is recorded in the manifest journal as its chunk comes back; the journal is compacted at
the end of a run that wrote anything.
"""

from __future__ import annotations

import math
import multiprocessing
import os
import time
from collections.abc import Callable, Generator, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from contextlib import closing
from dataclasses import dataclass

from ..errors import OutputError, located
from ..manifest import Journal, Record, compact
from ..output import sweep_temporary
from .jobs import Done, Task, Worker, run_chunk, start_worker
from .planning import Plan
from .recipients import RowFailure

__all__ = ["IN_PROCESS_BELOW", "Summary", "run_batch", "worker_count"]

IN_PROCESS_BELOW = 16
"""Runs of fewer outputs than this stay in one process: starting workers costs more than it saves."""
CHUNK_MAX = 20
"""Most recipients per message to a worker (a chunk takes ~1-2 s)."""


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
    """Temporary files of a killed run removed."""
    workers: int
    """Worker processes used; 0 when the run stayed in this process."""
    seconds: float

    @property
    def rate(self) -> float:
        """Return outputs written per second."""
        return self.written / self.seconds if self.seconds > 0 else 0.0


def worker_count(plan: Plan, jobs: int | None) -> int:
    """Return how many worker processes `plan` gets: 0 (this process) for a small run or --jobs 1."""
    wanted = jobs if jobs is not None else os.cpu_count() or 1
    if wanted <= 1 or plan.pending < IN_PROCESS_BELOW:
        return 0
    return min(wanted, len(plan.tasks))


def run_batch(plan: Plan, *, jobs: int | None = None, on_done: Callable[[Done], None] | None = None) -> Summary:
    """Write the plan's outputs; call `on_done` as each recipient finishes; return the Summary."""
    started = time.perf_counter()
    try:
        plan.folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"{plan.folder}: cannot create the output folder ({exc.strerror or exc})") from None
    swept = sweep_temporary(plan.folder)
    workers = worker_count(plan, jobs)
    records = dict(plan.records)
    written = failed = 0
    failures = list(plan.failures)
    with Journal(plan.manifest) as journal:
        journal.append(plan.refreshed)
        records.update((record.path, record) for record in plan.refreshed)
        with closing(_pooled(plan, workers) if workers else _in_process(plan)) as results:
            for done in results:
                journal.append(done.records)
                records.update((record.path, record) for record in done.records)
                written += len(done.records)
                if done.error is not None:
                    failed += len(done.task.outputs) - len(done.records)
                    failures.append(RowFailure(done.task.line, done.task.name, done.error))
                if on_done is not None:
                    on_done(done)
    if journal.appended:
        compact(plan.manifest, _existing(plan, records))
    failed += len(plan.failures) * len(plan.formats)
    return Summary(written, plan.skipped, failed, tuple(failures), swept, workers, time.perf_counter() - started)


def _in_process(plan: Plan) -> Generator[Done, None, None]:
    worker = Worker(plan.setup)
    for task in plan.tasks:
        yield worker.run(task)


def _pooled(plan: Plan, workers: int) -> Generator[Done, None, None]:
    size = max(1, min(CHUNK_MAX, math.ceil(len(plan.tasks) / (workers * 4))))
    chunks = [plan.tasks[start:start + size] for start in range(0, len(plan.tasks), size)]
    context = _context(plan.formats)
    lifeline, held = context.Pipe(duplex=False)  # workers get `lifeline`; only this process holds `held`
    with closing(lifeline), closing(held), ProcessPoolExecutor(
        workers, mp_context=context, initializer=start_worker, initargs=(plan.setup, plan.formats, lifeline)
    ) as pool:
        futures = {pool.submit(run_chunk, chunk): chunk for chunk in chunks}
        try:
            for future in as_completed(futures):
                yield from _chunk_results(future.result, futures[future], plan.setup.source)
        except BaseException:  # Ctrl-C, or the caller stopped: workers stop after their current brief, not their chunk
            held.close()
            raise
        finally:
            for future in futures:
                future.cancel()


def _chunk_results(result: Callable[[], list[Done]], chunk: Sequence[Task], source: str) -> list[Done]:
    try:
        return result()
    except BrokenProcessPool:
        return [Done(task, (), (), located(source, task.line, "a worker process died before writing this brief")) for task in chunk]


def _context(formats: Sequence[str]) -> multiprocessing.context.BaseContext:
    """Return a forkserver context preloading the writers (spawn where there is no forkserver).

    Not `fork`: the parent may run threads (the progress display), and forking a threaded
    process can deadlock the child.
    """
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["briefs.batch.jobs", *(f"briefs.writers.{fmt}" for fmt in formats)])
    return context


def _existing(plan: Plan, records: dict[str, Record]) -> dict[str, Record]:
    """Keep the records whose file still exists (a recipient dropped from the CSV keeps theirs while it does)."""
    return {path: record for path, record in records.items() if (plan.folder / path).is_file()}
