"""`briefs` / `briefs generate`: write every audience x format brief."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from ..pipeline import generate
from ..writers import FORMATS
from .common import add_input_options, add_style_options, inputs_from, settings_from

HELP = "write every audience x DOCX and PDF brief to OUT/<data id>/<audience>.<ext> (the default command)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_input_options(parser)
    parser.add_argument("--out", type=Path, default=Path("out"), metavar="DIR", help="output folder (default: ./out)")
    parser.add_argument("-a", "--audience", action="append", default=[], metavar="ID",
                        help="audience profile id (repeatable; default: every audience)")
    parser.add_argument("-f", "--format", action="append", choices=FORMATS, default=[],
                        help="output format (repeatable; default: docx and pdf)")
    parser.add_argument("--page-size", choices=("A4", "Letter"),
                        help="page size (default: the config file's, else the data file's, else the PDF theme's or "
                             "reference document's, else A4)")
    add_style_options(parser)


def run(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    settings = settings_from(args)
    written = generate(inputs_from(args, settings, styles=True), args.out, audiences=args.audience,
                       formats=args.format or FORMATS, page_size=settings.page_size)
    for item in written:
        for warning in item.warnings:
            print(f"warning: {item.path}: {warning}", file=sys.stderr)
        print(f"wrote {_shown(item.path)} ({item.size / 1024:.0f} KB)")
    print(f"{len(written)} files in {time.perf_counter() - started:.2f} s")
    return 0


def _shown(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)
