"""Options several commands share, and loading the inputs they name."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..pipeline import Inputs, default_data_paths, load_inputs

__all__ = ["add_input_options", "inputs_from"]


def add_input_options(parser: argparse.ArgumentParser) -> None:
    """Add --data and --templates, which every command reading data or templates takes."""
    parser.add_argument("--data", action="append", type=Path, metavar="FILE",
                        help="data file (repeatable; default: ./data/*.yaml, else the built-in data)")
    parser.add_argument("--templates", action="append", type=Path, default=[], metavar="DIR",
                        help="user templates folder, searched before the built-in ones (repeatable)")


def inputs_from(args: argparse.Namespace) -> Inputs:
    """Load and validate the data files and templates the arguments name."""
    return load_inputs(args.data or default_data_paths(Path.cwd()), args.templates)
