"""Where a batch's jobs run: in this process, on local worker processes, or on a Dask cluster.

The run loop (`running.run_batch`) asks an Executor for the outcome of every task of a plan, as
each comes back, and does not know where the tasks ran. Both executors send the same chunks of
recipients (`chunks`) to the same `Worker` (`jobs`); the parent alone appends the manifest.

    LocalExecutor(jobs)           this process for a handful of outputs, else a process pool
    connect_dask(address)         a Dask `distributed` cluster (the optional extra briefs[dask])

On a Dask cluster, each task is one chunk. The plan's Setup (tens of kilobytes, pickled once) goes
to every worker as the run starts, and each worker process builds its Worker (renderer, templates,
fonts) from it once per plan, keyed by a fingerprint of the Setup; it also travels as a task every
chunk depends on, for workers that join or restart mid-run. Before building its Worker, a worker
checks that it sees what the client planned with: the output folder (`--out` must be storage every
worker shares, at the same path), and the same code, library versions, templates, fonts and style
files (the keys in the manifest vouch for them); if one does not, nothing is written. A task is
idempotent, since every file is written to a temporary name and renamed into place, so the chunk a
dead worker held is simply run again elsewhere; the scheduler gives up on a chunk after its workers
died a few times (`distributed.scheduler.allowed-failures`), and its recipients fail like any other.
"""

from __future__ import annotations

import dataclasses
import hashlib
import importlib
import math
import multiprocessing
import os
import pickle
import threading
from collections.abc import Callable, Generator, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from contextlib import closing
from pathlib import Path
from typing import Any, Protocol, TypeVar

from ..errors import BriefsError, located
from ..writers import WRITERS
from .jobs import Done, Setup, Task, Worker, run_chunk, start_worker
from .keys import fingerprints
from .planning import Plan

__all__ = [
    "CHUNK_MAX", "CONNECT_TIMEOUT", "EXECUTORS", "INSTALL_DASK", "IN_PROCESS_BELOW", "DaskExecutor", "Executor", "LocalExecutor",
    "WorkerMismatch", "chunks", "connect_dask", "worker_count",
]

EXECUTORS = ("local", "dask")
IN_PROCESS_BELOW = 16
"""Runs of fewer outputs than this stay in one process: starting workers costs more than it saves."""
CHUNK_MAX = 20
"""Most recipients per message to a worker (a chunk takes ~1-2 s)."""
CONNECT_TIMEOUT = 10.0
"""Seconds to wait for a Dask scheduler to answer, and for a cluster without workers to get one."""
_T = TypeVar("_T")
INSTALL_DASK = "--executor dask needs Dask's distributed package: install briefs[dask] (pip install \"briefs[dask]\")"


class Executor(Protocol):
    """Runs a plan's tasks somewhere and yields each recipient's outcome as it comes back."""

    def workers(self, plan: Plan) -> int:
        """Return how many workers run `plan`'s tasks side by side; 0 when they run in this process."""
        ...

    def where(self, plan: Plan) -> str:
        """Describe where `plan`'s tasks run, for the line printed before a batch."""
        ...

    def results(self, plan: Plan) -> Generator[Done, None, None]:
        """Run every task of `plan` and yield its Done, in the order they finish; closing it stops the rest."""
        ...

    def close(self) -> None:
        """Release what the executor holds (a connection); it is not used again."""
        ...


def chunks(tasks: Sequence[Task], workers: int) -> list[tuple[Task, ...]]:
    """Split `tasks` into chunks: about four per worker, so that workers finish together, and at most CHUNK_MAX each."""
    size = max(1, min(CHUNK_MAX, math.ceil(len(tasks) / (max(1, workers) * 4))))
    return [tuple(tasks[start:start + size]) for start in range(0, len(tasks), size)]


def worker_count(plan: Plan, jobs: int | None) -> int:
    """Return how many local worker processes `plan` gets: 0 (this process) for a small run or --jobs 1."""
    wanted = jobs if jobs is not None else os.cpu_count() or 1
    if wanted <= 1 or plan.pending < IN_PROCESS_BELOW:
        return 0
    return min(wanted, len(plan.tasks))


def _failed(chunk: Sequence[Task], source: str, message: str) -> list[Done]:
    return [Done(task, (), (), located(source, task.line, message)) for task in chunk]


# --- this machine ------------------------------------------------------------------------------


class LocalExecutor:
    """Run in this process for a small run or --jobs 1, else on `jobs` worker processes (default: the cores)."""

    def __init__(self, jobs: int | None = None) -> None:
        self.jobs = jobs

    def workers(self, plan: Plan) -> int:
        return worker_count(plan, self.jobs)

    def where(self, plan: Plan) -> str:
        workers = self.workers(plan)
        return f"{workers} worker processes" if workers else "in one process"

    def results(self, plan: Plan) -> Generator[Done, None, None]:
        workers = self.workers(plan)
        return _pooled(plan, workers) if workers else _in_process(plan)

    def close(self) -> None:
        pass


def _in_process(plan: Plan) -> Generator[Done, None, None]:
    worker = Worker(plan.setup)
    try:
        for task in plan.tasks:
            yield worker.run(task)
    finally:
        worker.close()


def _pooled(plan: Plan, workers: int) -> Generator[Done, None, None]:
    context = _context(plan.formats)
    lifeline, held = context.Pipe(duplex=False)  # workers get `lifeline`; only this process holds `held`
    with closing(lifeline), closing(held), ProcessPoolExecutor(
        workers, mp_context=context, initializer=start_worker, initargs=(plan.setup, plan.formats, lifeline)
    ) as pool:
        futures = {pool.submit(run_chunk, chunk): chunk for chunk in chunks(plan.tasks, workers)}
        try:
            for future in as_completed(futures):
                yield from _pool_results(future.result, futures[future], plan.setup.source)
        except BaseException:  # Ctrl-C, or the caller stopped: workers stop after their current brief, not their chunk
            held.close()
            _drain(pool)
            raise


def _drain(pool: ProcessPoolExecutor) -> None:
    """Cancel the chunks not started and wait for each worker to finish the brief in hand and exit.

    Waiting is what makes a stopped run's count true: returning at once left workers writing
    after the caller had counted the briefs on disk. A second Ctrl-C stops the wait. Not
    future.cancel(): the pool, broken by its workers leaving, then sets an exception on every
    future it holds, and one already cancelled makes its management thread print a traceback
    (InvalidStateError); the pool's own cancelling does not race with it.
    """
    try:
        pool.shutdown(wait=True, cancel_futures=True)
    except KeyboardInterrupt:
        pool.shutdown(wait=False, cancel_futures=True)


def _pool_results(result: Callable[[], list[Done]], chunk: Sequence[Task], source: str) -> list[Done]:
    try:
        return result()
    except BrokenProcessPool:
        return _failed(chunk, source, "a worker process died before writing this brief")


def _context(formats: Sequence[str]) -> multiprocessing.context.BaseContext:
    """Return a forkserver context preloading the writers (spawn where there is no forkserver).

    Not `fork`: the parent may run threads (the progress display), and forking a threaded
    process can deadlock the child.
    """
    _workers_import_this_package()
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["briefs.batch.jobs", *(WRITERS[fmt].module for fmt in formats)])
    return context


def _workers_import_this_package() -> None:
    """Put the folder holding this `briefs` first on the path worker processes start with.

    A worker process imports the package afresh, from its own path: the command run from a clone
    (`python generate.py`) while an older copy is installed would otherwise send its tasks to
    workers running the old code, and every brief would fail.
    """
    root = str(Path(__file__).resolve().parent.parent.parent)
    paths = [path for path in os.environ.get("PYTHONPATH", "").split(os.pathsep) if path]
    if paths[:1] != [root]:
        os.environ["PYTHONPATH"] = os.pathsep.join([root, *(path for path in paths if path != root)])


# --- a Dask cluster ----------------------------------------------------------------------------


def connect_dask(address: str, timeout: float | None = None) -> DaskExecutor:
    """Connect to the Dask scheduler at `address`; raise BriefsError when distributed is missing or the scheduler does not answer."""
    distributed = _distributed()
    try:
        client = distributed.Client(address, timeout=CONNECT_TIMEOUT if timeout is None else timeout, set_as_default=False)
    except (OSError, TimeoutError, ValueError) as exc:
        raise BriefsError(f"cannot reach the Dask scheduler at {address} ({exc or type(exc).__name__})") from None
    return DaskExecutor(client, address)


def _distributed() -> Any:
    """Import distributed, typed as Any (its own annotations are partial); raise BriefsError when it is not installed."""
    try:
        return importlib.import_module("distributed")
    except ImportError:
        raise BriefsError(INSTALL_DASK) from None


class DaskExecutor:
    """Send a plan's chunks to the Dask cluster `client` (a distributed.Client) is connected to; the caller closes it."""

    def __init__(self, client: Any, address: str) -> None:
        self.client = client
        self.address = address

    def workers(self, plan: Plan) -> int:
        """Return the number of Dask workers (each runs one chunk at a time, whatever its threads)."""
        return len(self.client.nthreads())

    def where(self, plan: Plan) -> str:
        return f"on the Dask cluster at {self.address}, {self.workers(plan)} workers"

    def results(self, plan: Plan) -> Generator[Done, None, None]:
        distributed = _distributed()
        if not plan.tasks:
            return
        setup = _absolute(plan.setup)
        prints = fingerprints(setup.template_dirs, setup.styles, setup.page_size)
        blob = pickle.dumps((setup, plan.formats, prints), protocol=pickle.HIGHEST_PROTOCOL)
        token = hashlib.sha256(blob).hexdigest()
        self._prepare_workers(token, blob)
        # The Setup also travels as a task every chunk depends on, for workers that join or restart later: each
        # fetches its result once, and the scheduler computes it again should every worker holding it die.
        bundle = self.client.submit(_bundle, token, blob, pure=False)
        groups = {self.client.submit(_dask_chunk, bundle, chunk, pure=False): chunk for chunk in chunks(plan.tasks, self.workers(plan))}
        try:
            problem = bundle.exception()  # waits for the bundle: an error here is the scheduler's, which could not read the tasks
            if problem is not None:
                raise BriefsError(f"the Dask cluster at {self.address} cannot run the batch ({_one_line(problem)}): "
                                  "install briefs, the same version, on the scheduler and every worker")
            for future in distributed.as_completed(groups, loop=self.client.loop):
                yield from self._chunk_results(future, groups[future], setup.source)
        finally:
            self.client.cancel([*groups, bundle])

    def close(self) -> None:
        self.client.close()

    def _prepare_workers(self, token: str, blob: bytes) -> None:
        """Build the plan's Worker on every worker now; raise BriefsError, before anything is written, if one cannot have it."""
        try:
            self.client.wait_for_workers(1, timeout=CONNECT_TIMEOUT)
        except TimeoutError:
            raise BriefsError(f"the Dask cluster at {self.address} has no workers: start some with `dask worker {self.address}`") from None
        found = self.client.run(_prepare, token, blob, on_error="return")
        problems = sorted(f"{address}: {_one_line(result)}" for address, result in found.items() if result is not None)
        if problems:
            raise BriefsError(f"{len(problems)} of the {len(found)} Dask workers cannot write these briefs: {'; '.join(problems)}")

    @staticmethod
    def _chunk_results(future: Any, chunk: Sequence[Task], source: str) -> list[Done]:
        try:
            done: list[Done] = future.result()
        except _distributed().KilledWorker:
            return _failed(chunk, source, "Dask workers died running this brief, and the scheduler gave up on it")
        except Exception as exc:  # a worker that joined and differs from this machine, a lost scheduler
            return _failed(chunk, source, f"on the Dask cluster: {_one_line(exc)}")
        return done


def _one_line(error: object) -> str:
    """Return an exception's message on one line (distributed's run to several), or its type's name."""
    return " ".join(str(error).split()) or type(error).__name__


class WorkerMismatch(BriefsError):
    """A Dask worker does not see what the client planned with."""


_dask_lock = threading.Lock()
_dask_worker: tuple[str, Worker | WorkerMismatch] | None = None
"""The Worker of the last plan this process ran chunks of (or why it cannot have one), by fingerprint."""


def _bundle(token: str, blob: bytes) -> tuple[str, bytes]:
    """Return the plan's pickled Setup and its fingerprint: the result every chunk task depends on."""
    return token, blob


def _prepare(token: str, blob: bytes) -> str | None:
    """Build the plan's Worker in this Dask worker process; return why it cannot be built, or None."""
    with _dask_lock:
        worker = _worker_for(token, blob)
    return str(worker) if isinstance(worker, WorkerMismatch) else None


def _dask_chunk(bundle: tuple[str, bytes], chunk: Sequence[Task]) -> list[Done]:
    """Run one chunk on a Dask worker, with the Worker built for this plan (on the first chunk, if `_prepare` did not).

    Chunks run one at a time in a worker process (the renderer, writers and their caches are not
    made for threads; rendering holds the GIL anyway): give workers one thread and more processes.
    """
    with _dask_lock:
        worker = _worker_for(*bundle)
        if isinstance(worker, WorkerMismatch):
            raise worker
        return [worker.run(task) for task in chunk]


def _worker_for(token: str, blob: bytes) -> Worker | WorkerMismatch:
    """Return this process's Worker for the plan `token` names, building it when the last plan was another."""
    global _dask_worker
    if _dask_worker is None or _dask_worker[0] != token:
        _dask_worker = (token, _build_worker(blob))
    return _dask_worker[1]


def _build_worker(blob: bytes) -> Worker | WorkerMismatch:
    from ..writers import get_writer

    setup, formats, planned = pickle.loads(blob)  # our own client's message, as every Dask task is
    folder = setup.out_dir / setup.subfolder
    host = _host()
    if not folder.is_dir():
        return WorkerMismatch(f"Dask worker {host} does not see the output folder {folder}: --out must be storage every worker "
                              "shares, at the same path (NFS or similar)")
    found = fingerprints(setup.template_dirs, setup.styles, setup.page_size)
    if found != planned:
        differ = ["code, templates or the page size"] if found.run != planned.run else []
        differ += [f"the {fmt} writer's libraries, fonts or style files" for fmt in planned.formats
                   if found.formats.get(fmt) != planned.formats[fmt]]
        return WorkerMismatch(f"Dask worker {host} differs from this machine in {', '.join(differ)}: install the same briefs "
                              "and libraries on every worker and keep templates, themes and fonts on shared storage")
    worker = Worker(setup)
    for fmt in formats:
        get_writer(fmt)
    return worker


def _host() -> str:
    try:
        return os.uname().nodename
    except AttributeError:
        return "?"


def _absolute(setup: Setup) -> Setup:
    """Return `setup` with its template folders and style files absolute: Dask workers run in folders of their own."""
    cwd = Path.cwd()
    styles = {fmt: _absolute_paths(style, cwd) for fmt, style in setup.styles.items()}
    return dataclasses.replace(setup, template_dirs=tuple(cwd / path for path in setup.template_dirs), styles=styles)


def _absolute_paths(value: _T, cwd: Path) -> _T:
    """Return `value` (a style: nested dataclasses, tuples and Paths) with every Path made absolute."""
    made: object = value
    if isinstance(value, Path):
        made = cwd / value
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        made = dataclasses.replace(value, **{item.name: _absolute_paths(getattr(value, item.name), cwd)
                                             for item in dataclasses.fields(value) if item.init})
    elif isinstance(value, tuple) and type(value) is tuple:
        made = tuple(_absolute_paths(item, cwd) for item in value)
    return made  # type: ignore[return-value]
