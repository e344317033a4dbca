"""Batch production: one personalized brief per recipient of a CSV, and format, in parallel.

    plan = plan_batch(Path("recipients.csv"), [data], [], Path("out"), ("docx", "pdf"))
    summary = run_batch(plan, jobs=2)

Plan, then run. `plan_batch` (planning) loads and checks the data file, profiles, templates and
the CSV header, raising a BriefsError before anything is written; selects once per audience (all
recipients of an audience share one Brief); names each recipient's files (`naming`); and keys each
output (`keys`) to skip those the manifest shows up to date. `run_batch` (running) sweeps a killed
run's temporary files, then composes and writes the rest (`jobs`) on an executor (`executors`): this
process, local worker processes or a Dask cluster, appending each output to the manifest journal (`briefs.manifest`) as it is written.

    recipients.py  read and check the CSV          keys.py       what an output depends on
    planning.py    the Plan                         jobs.py       one recipient's outputs; workers
    running.py     the run loop, the Summary        executors.py  this process, local workers or Dask
"""

from __future__ import annotations

from .executors import EXECUTORS, DaskExecutor, Executor, LocalExecutor, connect_dask
from .jobs import Done
from .planning import Plan, plan_batch
from .recipients import RowFailure
from .running import IN_PROCESS_BELOW, Summary, landed, run_batch, worker_count

__all__ = [
    "EXECUTORS", "IN_PROCESS_BELOW", "DaskExecutor", "Done", "Executor", "LocalExecutor", "Plan", "RowFailure", "Summary", "connect_dask",
    "landed", "plan_batch", "run_batch", "worker_count",
]
