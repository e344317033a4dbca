"""`briefs check`: validate and lint everything a run reads; write nothing."""

from __future__ import annotations

import argparse
import json
from dataclasses import replace
from pathlib import Path

from ..checking import DEFAULT_MAX_AGE_DAYS, Report, check, located_finding
from ..config import ConfigError, Settings
from ..errors import DataError
from ..invocation import program
from ..locations import data_paths
from .common import add_input_options, add_style_options, settings_from

HELP = "validate and lint data files, profiles, the topic scheme, templates and styles; write nothing"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_input_options(parser)
    add_style_options(parser)
    parser.add_argument("--strict", action="store_true",
                        help="exit 1 on warnings too, and list the warnings data files acknowledge, with their reasons")
    parser.add_argument("--format", choices=("text", "json"), default="text", help="output format (default: text; json for CI)")
    parser.add_argument("--max-age-days", type=_days, default=DEFAULT_MAX_AGE_DAYS, metavar="N",
                        help=f"warn about facts dated more than N days before the data file's as_of (default: {DEFAULT_MAX_AGE_DAYS})")


def run(args: argparse.Namespace) -> int:
    # Files are loaded by the check itself, so a file that does not load is a finding, not a stop.
    try:
        settings = settings_from(args)
    except ConfigError as exc:
        # Without settings there is no template search path to check: this one finding is all.
        report = Report((located_finding(exc, "config", "fix the file or the option that names it"),), 0, 0, 0)
    else:
        report = _check(args, settings)
    report = report.relative_to(Path.cwd())
    if args.format == "json":
        print(json.dumps(report.as_json(), ensure_ascii=False, indent=2))
    else:
        _print_text(report, strict=args.strict)
    return report.exit_code(strict=args.strict)


def _check(args: argparse.Namespace, settings: Settings) -> Report:
    """Check everything; data files that cannot be found are one finding, and the rest is still checked."""
    try:
        paths, missing = data_paths(args.data or [], Path.cwd()), None
    except DataError as exc:
        hint = f"name a data file or folder with --data, or start one with `{program()} new ID`"
        paths, missing = [], located_finding(exc, "no-data", hint)
    report = check(paths, settings.template_dirs, theme=settings.theme, reference_docx=settings.reference_docx,
                   max_age_days=args.max_age_days)
    return replace(report, findings=(missing, *report.findings)) if missing else report


def _print_text(report: Report, *, strict: bool) -> None:
    for finding in report.findings:
        print(finding.text())
    if strict:  # acknowledged warnings stay out of sight but for the strictest look
        for finding, reason in report.acknowledged:
            print(finding.acknowledged_text(reason))
    print(report.summary())


def _days(text: str) -> int:
    try:
        days = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number of days: {text!r}") from None
    if not 0 <= days <= 36_500:
        raise argparse.ArgumentTypeError("must be from 0 to 36500 (a hundred years)")
    return days
