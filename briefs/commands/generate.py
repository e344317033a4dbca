"""`briefs` / `briefs generate`: write every audience x format brief."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from ..invocation import program
from ..pipeline import generate
from ..writers import default_formats
from .common import (
    add_format_option,
    add_input_options,
    add_language_option,
    add_max_pages_option,
    add_page_size_option,
    add_since_option,
    add_style_options,
    edition_out,
    editions_from,
    inputs_from,
    settings_from,
)

HELP = "write every audience x format brief (DOCX and PDF unless -f says) to OUT/<data id>/<audience>.<ext> (the default command)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_input_options(parser)
    parser.add_argument("--out", type=Path, default=Path("out"), metavar="DIR", help="output folder (default: ./out)")
    parser.add_argument("-a", "--audience", action="append", default=[], metavar="ID",
                        help="audience profile id (repeatable; default: every audience)")
    add_format_option(parser)
    add_page_size_option(parser, "page size (default: the config file's, else the data file's, else the theme's or "
                                 "reference document's, else A4)")
    add_style_options(parser)
    add_max_pages_option(parser)
    add_language_option(parser)
    add_since_option(parser)
    parser.add_argument("--redline", action="store_true",
                        help="with --since, also write <audience>.redline.docx: the DOCX with the changes as tracked changes")


def run(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    settings = settings_from(args)
    inputs = inputs_from(args, settings, styles=True)
    if args.redline and not args.since:
        print("briefs: error: --redline goes with --since OLD (the edition to compare with)", file=sys.stderr)
        return 2
    formats = tuple(dict.fromkeys(args.format)) or default_formats()
    written = generate(inputs, edition_out(args.out, args), audiences=args.audience, formats=formats, page_size=settings.page_size,
                       editions=editions_from(args, inputs, settings), redline=args.redline, max_pages=args.max_pages)
    for item in written:
        for warning in item.warnings:
            print(f"warning: {item.path}: {warning}", file=sys.stderr)
        print(f"wrote {_shown(item.path)} ({item.size / 1024:.0f} KB)")
    print(f"{len(written)} file{'' if len(written) == 1 else 's'} in {time.perf_counter() - started:.2f} s")
    if inputs.warnings:
        print(f"check has {inputs.warnings} warning{'' if inputs.warnings == 1 else 's'} about the inputs: "
              f"run `{program()} check` to see them", file=sys.stderr)
    return 0


def _shown(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)
