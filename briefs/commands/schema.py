"""`briefs schema`: print the JSON Schema of data files or profiles, for editors."""

from __future__ import annotations

import argparse

from ..schema import schema_json

HELP = "print the JSON Schema of data files and profiles, for editors"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--kind", choices=("data", "profile"),
                        help="one schema, to save as a file an editor reads (default: both, keyed by kind)")


def run(args: argparse.Namespace) -> int:
    print(schema_json(args.kind))
    return 0
