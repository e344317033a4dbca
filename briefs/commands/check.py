"""`briefs check`: validate and lint data files, profiles and templates; write nothing."""

from __future__ import annotations

import argparse
import json
from dataclasses import replace
from pathlib import Path

from ..checking import DEFAULT_MAX_AGE_DAYS, Report, check
from ..pipeline import default_data_paths
from .common import add_input_options, settings_from

HELP = "validate and lint data files, profiles and templates; write nothing"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_input_options(parser)
    parser.add_argument("--strict", action="store_true", help="exit 1 on warnings too")
    parser.add_argument("--format", choices=("text", "json"), default="text", help="output format (default: text; json for CI)")
    parser.add_argument("--max-age-days", type=_days, default=DEFAULT_MAX_AGE_DAYS, metavar="N",
                        help=f"warn about facts dated more than N days before the data file's as_of (default: {DEFAULT_MAX_AGE_DAYS})")


def run(args: argparse.Namespace) -> int:
    # Files are loaded by the check itself, so a file that does not load is a finding, not a stop.
    report = check(args.data or default_data_paths(Path.cwd()), settings_from(args).template_dirs, max_age_days=args.max_age_days)
    report = replace(report, findings=tuple(replace(f, file=_shown(f.file)) for f in report.findings))
    if args.format == "json":
        print(json.dumps(report.as_json(), ensure_ascii=False, indent=2))
    else:
        _print_text(report)
    return report.exit_code(strict=args.strict)


def _print_text(report: Report) -> None:
    for finding in report.findings:
        print(finding.text())
    print(report.summary())


def _days(text: str) -> int:
    try:
        days = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number of days: {text!r}") from None
    if days < 0:
        raise argparse.ArgumentTypeError("must be 0 or more")
    return days


def _shown(file: str) -> str:
    """Return `file` relative to the working directory when it is inside it, as editors expect."""
    try:
        return str(Path(file).resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError):
        return file
