"""One batch job: lay out one recipient's brief and write it in each format still to write.

The same Worker runs in the parent (small runs) or in each worker process, where
`start_worker` builds it once from a Setup (the already selected Briefs, so every worker renders
exactly the content the keys were computed from) and `run_chunk` runs a list of tasks. A worker
process exits as soon as its parent is gone: `ProcessPoolExecutor` workers otherwise keep running
queued jobs, or wait forever, after the parent is SIGKILLed. The parent hands each worker the
read end of a "lifeline" pipe whose write end only the parent holds: when the parent dies, however
it dies, the pipe reaches end-of-file. (`os.getppid()` does not do: a forkserver's workers are the
forkserver's children, and the forkserver outlives the parent for as long as its children live.)
"""

from __future__ import annotations

import hashlib
import os
import signal
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path

from .. import collector
from ..brief import Brief
from ..compose import compose
from ..doctree import Document
from ..errors import BriefsError, located
from ..manifest import MANIFEST_NAME, Journal, Record, part_path
from ..output import inside, write_atomic
from ..pipeline import render
from ..rendering import Renderer
from ..writers import Style, get_writer

__all__ = ["Done", "Setup", "Task", "Worker", "run_chunk", "start_worker"]


@dataclass(frozen=True)
class Task:
    """One recipient and the outputs of theirs to write."""

    line: int
    name: str
    audience: str
    fields: Mapping[str, str]
    stem: str
    """Safe, unique file name without extension."""
    outputs: tuple[tuple[str, str], ...]
    """(format, key) of each output to write."""
    key: str = ""
    """Who the recipient is (`Recipient.key`), recorded in the manifest."""


@dataclass(frozen=True)
class Done:
    """What a task wrote, and the error that stopped it (the outputs before it stay written)."""

    task: Task
    records: tuple[Record, ...]
    warnings: tuple[str, ...]
    error: str | None


@dataclass(frozen=True)
class Setup:
    """What every worker needs, sent once per worker process."""

    briefs: Mapping[str, Brief]
    """Audience id -> its selected brief (the same for all its recipients)."""
    templates: Mapping[str, str | None]
    """Audience id -> its profile's template, None for the default."""
    template_dirs: tuple[Path, ...]
    styles: Mapping[str, Style]
    """Format -> its style (theme, reference document, logo, page size)."""
    out_dir: Path
    subfolder: str
    """Where the briefs go under `out_dir`: `<data id>/recipients`."""
    page_size: str | None
    source: str
    """The recipients file, for messages."""


class Worker:
    """Render tasks with one renderer; templates are compiled and fonts parsed once, on first use."""

    def __init__(self, setup: Setup) -> None:
        self.setup = setup
        self.renderer = Renderer(setup.template_dirs)
        self._shown = {aud: (tuple(f.id for f in b.selected_facts), tuple(s.id for s in b.sources)) for aud, b in setup.briefs.items()}
        self._part: Journal | None = None

    def run(self, task: Task) -> Done:
        """Compose and write `task`'s outputs; return a Done, never raise for a bad input."""
        records: list[Record] = []
        warnings: list[str] = []
        try:
            document = compose(self.setup.briefs[task.audience], self.renderer, template=self.setup.templates[task.audience],
                               recipient=task.fields, page_size=self.setup.page_size)
            for fmt, key in task.outputs:
                records.append(self._write(task, document, fmt, key, warnings))
        except BriefsError as exc:
            return Done(task, tuple(records), tuple(warnings), located(self.setup.source, task.line, str(exc)))
        except Exception as exc:  # a bug, but one recipient's: the others still get their briefs
            message = f"this recipient's brief could not be written ({exc}); this is a fault in briefs: please report it"
            return Done(task, tuple(records), tuple(warnings), located(self.setup.source, task.line, message))
        return Done(task, tuple(records), tuple(warnings), None)

    def _write(self, task: Task, document: Document, fmt: str, key: str, warnings: list[str]) -> Record:
        data, found = render(document, fmt, self.setup.styles[fmt])
        name = f"{task.stem}.{fmt}"
        target = inside(self.setup.out_dir, self.setup.subfolder, name)
        facts, sources = self._shown[task.audience]
        records: list[Record] = []

        def journal(written: os.stat_result) -> None:
            # Journaled before the rename: a record whose file never arrived is simply rendered again, while a
            # brief in place without its record (a kill between the two steps) would be written twice.
            records.append(Record(
                path=name, recipient=task.key, name=task.name, line=task.line, audience=task.audience, format=fmt, key=key,
                facts=facts, sources=sources, sha256=hashlib.sha256(data).hexdigest(), size=len(data),
                mtime_ns=written.st_mtime_ns, edition=self.setup.briefs[task.audience].as_of.isoformat()))
            self._journal(target.parent).append(records)

        write_atomic(target, data, before_replace=journal)
        warnings += (f"{name}: {warning}" for warning in found)
        return records[0]

    def _journal(self, folder: Path) -> Journal:
        """Return this process's journal part beside the manifest, opened on first use."""
        if self._part is None:
            self._part = Journal(part_path(folder / MANIFEST_NAME))
        return self._part

    def close(self) -> None:
        """Close the journal part (each line is already flushed: closing only releases the file)."""
        if self._part is not None:
            self._part.close()


_worker: Worker | None = None
_lifeline: Connection | None = None
_busy = threading.Lock()
"""Held while a task runs, so that a worker whose parent died exits between files, never inside one."""


def start_worker(setup: Setup, formats: Sequence[str], lifeline: Connection) -> None:
    """Initialize a worker process: build its Worker, import its writers, watch the parent's lifeline."""
    global _worker, _lifeline
    _lifeline = lifeline
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    signal.signal(signal.SIGTERM, _stop_between_files)
    collector.tune()
    _worker = Worker(setup)
    for fmt in formats:
        get_writer(fmt)
    threading.Thread(target=_watch_parent, name="watch-parent", daemon=True).start()


def run_chunk(tasks: Sequence[Task]) -> list[Done]:
    """Run `tasks` in a worker process; exit at once if the parent is gone."""
    assert _worker is not None, "start_worker was not called"
    results = []
    for task in tasks:
        with _busy:
            _exit_if_orphaned()
            results.append(_worker.run(task))
        if _stopping:
            os._exit(1)
    return results


_stopping = False


def _stop_between_files(signum: int, frame: object) -> None:
    """SIGTERM (the pool ends its workers so when one has left): exit now if idle, else after the current brief.

    Python runs this in the main thread, the one that holds `_busy` while a task runs, so the check
    cannot race with a task starting.
    """
    global _stopping
    if not _busy.locked():
        os._exit(1)
    _stopping = True


def _watch_parent() -> None:
    """Exit an idle worker whose parent died (it would otherwise wait for work forever)."""
    assert _lifeline is not None
    _lifeline.poll(None)  # the parent never writes: this returns at end-of-file, when it is gone
    with _busy:
        os._exit(1)


def _exit_if_orphaned() -> None:
    if _lifeline is not None and _lifeline.poll(0):
        os._exit(1)
