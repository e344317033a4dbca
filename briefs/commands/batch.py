"""`briefs batch RECIPIENTS`: one personalized brief per recipient and format, in parallel.

The briefs go to OUT/<data id>/recipients/, with `index.csv` (who gets which file) and the
manifest. They are written by local worker processes, or with `--executor dask --scheduler
ADDRESS` by the workers of a Dask cluster (then `--out` must be storage every worker shares).
Progress goes to stderr: a rich progress bar on a terminal, a plain line every few seconds
otherwise (logs, CI), with an ETA only once the rate is known. The summary goes to stdout. Exit 1
when any row failed; on Ctrl-C (130) or SIGTERM (143) the briefs finished so far are kept and
journaled, and a rerun writes only the rest.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from pathlib import Path

from ..batch import (
    EXECUTORS,
    IN_PROCESS_BELOW,
    Done,
    Executor,
    LocalExecutor,
    Plan,
    Summary,
    connect_dask,
    landed,
    plan_batch,
    run_batch,
)
from ..batch.shards import Shard, parse_shard
from ..writers import default_formats
from .common import (
    add_format_option,
    add_input_options,
    add_language_option,
    add_max_pages_option,
    add_page_size_option,
    add_since_option,
    add_style_options,
    argument_type,
    edition_out,
    editions_from,
    inputs_from,
    settings_from,
    shown,
)

HELP = ("write one personalized brief per recipient of a list (CSV or .xlsx: name,audience,email,...) to "
        "OUT/<data id>/recipients/<name>.<ext>, with index.csv")

_PLAIN_EVERY = 5.0
"""Seconds between progress lines when stderr is not a terminal."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_list_arguments(parser)
    add_format_option(parser)
    parser.add_argument("--shard", type=_shard, metavar="I/N",
                        help="write only share I of N of the list (e.g. 2/8), so that N machines split one batch into a shared "
                             "--out; then one run without --shard merges the journal and writes the complete index")


def add_list_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the options of rendering a list's briefs, which `send` shares."""
    parser.add_argument("recipients", type=Path, metavar="RECIPIENTS",
                        help="a CSV (comma, semicolon or tab; UTF-8) or .xlsx list with the header name,audience,email; further "
                             "columns are fields templates may use")
    add_input_options(parser)
    parser.add_argument("--out", type=Path, default=Path("out"), metavar="DIR", help="output folder (default: ./out)")
    add_page_size_option(parser, "page size (default: the config file's, else the data file's, else the theme's or "
                                 "reference document's, else A4)")
    add_style_options(parser)
    add_max_pages_option(parser)
    add_language_option(parser)
    add_since_option(parser)
    parser.add_argument("-j", "--jobs", type=_positive, metavar="N",
                        help=f"worker processes (default: the number of cores; runs under {IN_PROCESS_BELOW} briefs stay in one process)")
    parser.add_argument("--executor", choices=EXECUTORS, default="local",
                        help="where the briefs are written: local worker processes (default), or the workers of a Dask cluster "
                             "(needs briefs[dask], --scheduler, and an --out every worker shares)")
    parser.add_argument("--scheduler", metavar="ADDRESS", help="the Dask scheduler of --executor dask, e.g. tcp://host:8786")
    parser.add_argument("--prune", action="store_true",
                        help="remove the briefs of recipients no longer in the list (by default they are kept and reported as stale)")
    parser.add_argument("--verify", action="store_true",
                        help="hash every existing brief before skipping it (default: trust an unchanged size and time)")


def run(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    plan, summary = render_list(args, tuple(dict.fromkeys(args.format)) or default_formats())
    print(_summary_line(plan, summary, time.perf_counter() - started))
    if plan.shard is not None:
        print(f"batch: shard {plan.shard} done; when every shard is, run the same command once without --shard: it finds "
              "their briefs up to date, merges the journal and writes the complete index", file=sys.stderr)
    return 1 if summary.failed else 0


def render_list(args: argparse.Namespace, formats: tuple[str, ...]) -> tuple[Plan, Summary]:
    """Plan and write the list's briefs in `formats`, printing progress and problems to stderr; return the plan and outcome."""
    shard: Shard | None = getattr(args, "shard", None)
    if shard is not None and args.prune:
        _usage("--prune removes briefs other shards may still be writing: prune in the final run without --shard")
    with closing(_executor(args)) as executor:
        settings = settings_from(args)
        inputs = inputs_from(args, settings, styles=True, recipients=True)
        editions = editions_from(args, inputs, settings)
        plan = plan_batch(args.recipients, inputs, settings.template_dirs, edition_out(args.out, args), formats,
                          page_size=settings.page_size, verify=args.verify, since=next(iter(editions.values()), None),
                          shard=shard, max_pages=args.max_pages)
        for warning in plan.warnings:
            print(f"warning: {warning}", file=sys.stderr)
        for failure in plan.failures:
            print(f"error: {failure.message}", file=sys.stderr)
        print(_plan_line(plan, executor.where(plan)), file=sys.stderr)
        try:
            with _progress(plan.pending) as show:
                summary = run_batch(plan, executor=executor, on_done=show, prune=args.prune)
        except KeyboardInterrupt as exc:  # Ctrl-C, or SIGTERM (cli turns it into Terminated)
            kept = len(landed(plan))
            print(f"batch: stopped: every brief finished is kept ({_plural(kept, 'brief')} written in this run, journaled as each "
                  f"landed; {plan.skipped + kept:,} of {plan.skipped + plan.pending:,} now in place); run the same command again "
                  "to write the rest", file=sys.stderr)
            raise exc
    if summary.stale:
        names = sorted({record.name for record in plan.stale})
        listed = ", ".join(names[:5]) + (f" and {len(names) - 5} more" if len(names) > 5 else "")
        print(f"batch: {_plural(summary.stale, 'recipient')} no longer in {shown(args.recipients)} ({listed}) still "
              f"{'has' if summary.stale == 1 else 'have'} briefs in {shown(plan.folder)}/: add --prune to remove them", file=sys.stderr)
    return plan, summary


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}{'' if n == 1 else 's'}"


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


_shard = argument_type(parse_shard)


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, got {text!r}")
    return value


def _plan_line(plan: Plan, where: str) -> str:
    failed = f", {_plural(len(plan.failures), 'row')} failed" if plan.failures else ""
    moved = f", {_plural(plan.migrated, 'brief')} moved into recipients/" if plan.migrated else ""
    share = f"shard {plan.shard} of the list, " if plan.shard else ""
    return (f"batch: {share}{_plural(plan.recipients, 'recipient')} x {_plural(len(plan.formats), 'format')}: {plan.skipped:,} up to date, "
            f"{plan.pending:,} to write ({where}){failed}{moved}")


def _summary_line(plan: Plan, summary: Summary, seconds: float) -> str:
    where = shown(plan.folder) + "/"
    pruned = f"; removed the briefs of {_plural(summary.pruned, 'recipient')} no longer in the list" if summary.pruned else ""
    if plan.recipients == 0 and summary.failed == 0:
        return f"no recipients in {plan.setup.source}: nothing to write{pruned}"
    if summary.written == 0 and summary.skipped == 0 and summary.failed:
        rows = len(summary.failures)
        return f"nothing written: {'the one row' if rows == 1 else f'all {rows:,} rows'} failed (the errors above say why)"
    if summary.written == 0 and summary.failed == 0 and summary.pruned:
        return f"nothing to write: {_plural(summary.skipped, 'brief')} up to date in {where} ({seconds:.2f} s){pruned}"
    if summary.written == 0 and summary.failed == 0:
        return f"nothing changed: {_plural(summary.skipped, 'brief')} up to date in {where} ({seconds:.2f} s)"
    rate = summary.written / seconds if seconds > 0 else 0.0
    swept = f", swept {_plural(summary.swept, 'temporary file')}" if summary.swept else ""
    return (f"written {summary.written:,}, skipped {summary.skipped:,}, failed {summary.failed:,} in {seconds:.1f} s "
            f"({rate:.1f} briefs/s) to {where}{swept}{pruned}")


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
    """Return a callback printing a line every few seconds: done, rate, and an ETA once it can be honest.

    The rate is measured from the first finished brief, not from the start: the start includes
    starting the workers, and counting it made a 30-second run promise twenty minutes.
    """
    started = last = time.perf_counter()
    first: tuple[float, int] | None = None
    finished = 0

    def on_done(done: Done) -> None:
        nonlocal finished, last, first
        for line in _problems(done):
            print(line, file=sys.stderr)
        finished += len(done.task.outputs)
        now = time.perf_counter()
        if first is None:
            first = (now, finished)
        if now - last >= _PLAIN_EVERY and finished < total:
            last = now
            print(f"batch: {finished:,} of {_plural(total, 'brief')} ({finished / total:.0%}) in {_duration(now - started)}"
                  f"{_eta(first, now, finished, total)}", file=sys.stderr, flush=True)

    return on_done


def _eta(first: tuple[float, int], now: float, finished: int, total: int) -> str:
    """Return ', 12.3 briefs/s, about 2m05s left', or '' while fewer than 5% of the briefs, or 3 s, give a rate."""
    since, at_first = first
    measured, span = finished - at_first, now - since
    if span < 3 or measured < max(1, total // 20):
        return ""
    rate = measured / span
    return f", {rate:.1f} briefs/s, about {_duration((total - finished) / rate)} left"


def _problems(done: Done) -> list[str]:
    lines = [f"warning: {warning}" for warning in done.warnings]
    return [*lines, f"error: {done.error}"] if done.error else lines


def _duration(seconds: float) -> str:
    minutes, secs = divmod(int(seconds + 0.5), 60)
    return f"{minutes}m{secs:02d}s" if minutes else f"{secs}s"
