"""`briefs explain -a AUDIENCE [--fact ID]`: why each fact is in or out of a brief."""

from __future__ import annotations

import argparse

from ..explaining import explain, trace
from .common import add_input_options, add_max_pages_option, inputs_from

HELP = "show why each fact is in or out of an audience's brief"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_input_options(parser)
    parser.add_argument("-a", "--audience", action="append", default=[], metavar="ID",
                        help="audience profile id (repeatable; default: every audience)")
    parser.add_argument("--fact", metavar="ID", help="trace one fact across the audiences instead (one row per audience)")
    add_max_pages_option(parser)


def run(args: argparse.Namespace) -> int:
    inputs = inputs_from(args)
    lines = trace(inputs, args.fact, args.audience) if args.fact else explain(inputs, args.audience, args.max_pages)
    print("\n".join(lines).rstrip("\n"))
    return 0
