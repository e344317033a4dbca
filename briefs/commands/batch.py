"""`briefs batch RECIPIENTS.csv`: one personalized brief per recipient and format, in parallel.

The briefs are written by local worker processes, or with `--executor dask --scheduler ADDRESS`
by the workers of a Dask cluster (then `--out` must be storage every worker shares). Progress
goes to stderr: a rich progress bar with rate and ETA on a terminal, a plain line every few
seconds otherwise (logs, CI). The summary goes to stdout. Exit 1 when any row failed.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from pathlib import Path

from ..batch import EXECUTORS, IN_PROCESS_BELOW, Done, Executor, LocalExecutor, Plan, Summary, connect_dask, plan_batch, run_batch
from ..writers import FORMATS
from .common import add_input_options, add_page_size_option, add_style_options, inputs_from, settings_from, shown

HELP = "write one personalized brief per recipient of a CSV (name,audience,email,...) to OUT/<data id>/<name>.<ext>"

_PLAIN_EVERY = 5.0
"""Seconds between progress lines when stderr is not a terminal."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("recipients", type=Path, metavar="RECIPIENTS.csv",
                        help="UTF-8 CSV with the header name,audience,email; further columns are fields templates may use")
    add_input_options(parser)
    parser.add_argument("--out", type=Path, default=Path("out"), metavar="DIR", help="output folder (default: ./out)")
    parser.add_argument("-f", "--format", action="append", choices=FORMATS, default=[],
                        help="output format (repeatable; default: docx and pdf)")
    add_page_size_option(parser, "page size (default: the config file's, else the data file's, else the PDF theme's or "
                                 "reference document's, else A4)")
    add_style_options(parser)
    parser.add_argument("-j", "--jobs", type=_positive, metavar="N",
                        help=f"worker processes (default: the number of cores; runs under {IN_PROCESS_BELOW} briefs stay in one process)")
    parser.add_argument("--executor", choices=EXECUTORS, default="local",
                        help="where the briefs are written: local worker processes (default), or the workers of a Dask cluster "
                             "(needs briefs[dask], --scheduler, and an --out every worker shares)")
    parser.add_argument("--scheduler", metavar="ADDRESS", help="the Dask scheduler of --executor dask, e.g. tcp://host:8786")
    parser.add_argument("--verify", action="store_true",
                        help="hash every existing brief before skipping it (default: trust an unchanged size and time)")


def run(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    formats = tuple(dict.fromkeys(args.format)) or FORMATS
    with closing(_executor(args)) as executor:
        settings = settings_from(args)
        inputs = inputs_from(args, settings, styles=True, recipients=True)
        plan = plan_batch(args.recipients, inputs, settings.template_dirs, args.out, formats,
                          page_size=settings.page_size, verify=args.verify)
        for warning in plan.warnings:
            print(f"warning: {warning}", file=sys.stderr)
        for failure in plan.failures:
            print(f"error: {failure.message}", file=sys.stderr)
        print(_plan_line(plan, executor.where(plan)), file=sys.stderr)
        with _progress(plan.pending) as on_done:
            summary = run_batch(plan, executor=executor, on_done=on_done)
    print(_summary_line(plan, summary, time.perf_counter() - started))
    return 1 if summary.failed else 0


def _executor(args: argparse.Namespace) -> Executor:
    """Return the executor the options ask for; exit 2 on options that do not go together."""
    if args.executor == "local":
        if args.scheduler:
            _usage("--scheduler goes with --executor dask")
        return LocalExecutor(args.jobs)
    if not args.scheduler:
        _usage("--executor dask needs --scheduler ADDRESS, e.g. tcp://host:8786")
    if args.jobs is not None:
        _usage("--jobs counts local worker processes; with --executor dask the cluster's workers write the briefs")
    return connect_dask(args.scheduler)


def _usage(message: str) -> None:
    print(f"briefs batch: error: {message}", file=sys.stderr)
    raise SystemExit(2)


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, got {text!r}")
    return value


def _plan_line(plan: Plan, where: str) -> str:
    failed = f", {len(plan.failures)} row(s) failed" if plan.failures else ""
    return (f"batch: {plan.recipients} recipient(s) x {len(plan.formats)} format(s): {plan.skipped} up to date, "
            f"{plan.pending} to write ({where}){failed}")


def _summary_line(plan: Plan, summary: Summary, seconds: float) -> str:
    where = shown(plan.folder) + "/"
    if plan.recipients == 0 and summary.failed == 0:
        return f"no recipients in {plan.setup.source}: nothing to write"
    if summary.written == 0 and summary.failed == 0:
        return f"nothing changed: {summary.skipped} brief(s) up to date in {where} ({seconds:.2f} s)"
    rate = summary.written / seconds if seconds > 0 else 0.0
    swept = f", swept {summary.swept} temporary file(s)" if summary.swept else ""
    return (f"written {summary.written}, skipped {summary.skipped}, failed {summary.failed} in {seconds:.1f} s "
            f"({rate:.1f} briefs/s) to {where}{swept}")


@contextmanager
def _progress(total: int) -> Iterator[Callable[[Done], None]]:
    """Yield the callback that shows progress and per-recipient problems as recipients finish."""
    if total and sys.stderr.isatty():
        with _rich_progress(total) as on_done:
            yield on_done
        return
    yield _plain_progress(total)


@contextmanager
def _rich_progress(total: int) -> Iterator[Callable[[Done], None]]:
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, ProgressColumn, TextColumn, TimeElapsedColumn
    from rich.progress import Task as BarTask
    from rich.text import Text

    class RateAndEta(ProgressColumn):
        """Rate and ETA over the whole run: rich's own speed, sampled as chunks land, jumps about."""

        def render(self, task: BarTask) -> Text:
            rate = task.completed / task.elapsed if task.elapsed and task.completed else 0.0
            eta = _duration((task.remaining or 0) / rate) if rate else "-"
            return Text(f"{rate:.1f} briefs/s, ETA {eta}", style="progress.data.speed")

    columns = (TextColumn("briefs"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), RateAndEta())
    with Progress(*columns, console=Console(stderr=True)) as bar:
        task = bar.add_task("briefs", total=total)

        def on_done(done: Done) -> None:
            for line in _problems(done):
                bar.console.print(line, markup=False, highlight=False)
            bar.advance(task, len(done.task.outputs))

        yield on_done


def _plain_progress(total: int) -> Callable[[Done], None]:
    started = last = time.perf_counter()
    finished = 0

    def on_done(done: Done) -> None:
        nonlocal finished, last
        for line in _problems(done):
            print(line, file=sys.stderr)
        finished += len(done.task.outputs)
        now = time.perf_counter()
        if now - last >= _PLAIN_EVERY and finished < total:
            last = now
            rate = finished / (now - started)
            print(f"batch: {finished}/{total} briefs ({finished / total:.0%}), {rate:.1f}/s, "
                  f"about {_duration((total - finished) / rate)} left", file=sys.stderr, flush=True)

    return on_done


def _problems(done: Done) -> list[str]:
    lines = [f"warning: {warning}" for warning in done.warnings]
    return [*lines, f"error: {done.error}"] if done.error else lines


def _duration(seconds: float) -> str:
    minutes, secs = divmod(int(seconds + 0.5), 60)
    return f"{minutes}m{secs:02d}s" if minutes else f"{secs}s"
