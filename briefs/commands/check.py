"""`briefs check`: validate data, profiles and templates; write nothing."""

from __future__ import annotations

import argparse

from ..checking import check
from .common import add_input_options, inputs_from

HELP = "validate data files, profiles and templates; write nothing"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_input_options(parser)
    parser.add_argument("--strict", action="store_true", help="exit 1 on warnings too")


def run(args: argparse.Namespace) -> int:
    return check(inputs_from(args), strict=args.strict)
