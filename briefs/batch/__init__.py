"""Batch production: one personalized brief per recipient of a CSV, and format, in parallel.

    plan = plan_batch(Path("recipients.csv"), [data], [], Path("out"), ("docx", "pdf"))
    summary = run_batch(plan, jobs=2)

Plan, then run. `plan_batch` (planning) loads and checks the data file, profiles, templates and
the CSV header, raising a BriefsError before anything is written; selects once per audience (all
recipients of an audience share one Brief); names each recipient's files (`naming`); and keys each
output (`keys`) to skip those the manifest shows up to date. `run_batch` (running) sweeps a killed
run's temporary files, then composes and writes the rest (`jobs`), in this process or on worker
processes, appending each output to the manifest journal (`briefs.manifest`) as it is written.

    recipients.py  read and check the CSV          keys.py     what an output depends on
    planning.py    the Plan                         jobs.py     one recipient's outputs; workers
    running.py     in-process or pooled execution, the Summary
"""

from __future__ import annotations

from .jobs import Done
from .planning import Plan, plan_batch
from .recipients import RowFailure
from .running import IN_PROCESS_BELOW, Summary, run_batch, worker_count

__all__ = ["IN_PROCESS_BELOW", "Done", "Plan", "RowFailure", "Summary", "plan_batch", "run_batch", "worker_count"]
