"""`briefs schema`: print the JSON Schemas of data files and profiles."""

from __future__ import annotations

import argparse

from ..schema import schema_json

HELP = "print the JSON Schema of data files and profiles, for editors"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """No options."""


def run(args: argparse.Namespace) -> int:
    print(schema_json())
    return 0
