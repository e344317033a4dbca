"""`briefs explain -a AUDIENCE`: why each fact is in or out of a brief."""

from __future__ import annotations

import argparse

from ..explaining import explain
from .common import add_input_options, inputs_from

HELP = "show why each fact is in or out of an audience's brief"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_input_options(parser)
    parser.add_argument("-a", "--audience", action="append", default=[], metavar="ID",
                        help="audience profile id (repeatable; default: every audience)")


def run(args: argparse.Namespace) -> int:
    return explain(inputs_from(args), args.audience)
