"""The command line: a thin layer over the pipeline and the commands.

Exit status: 0 success, 1 invalid input or a brief that failed, 2 usage error.
Only this module prints.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from . import __version__
from .errors import BriefsError
from .pipeline import default_data_paths, generate, load_inputs
from .writers import FORMATS

__all__ = ["main"]

COMMANDS = ("generate", "check", "explain", "schema")

_EPILOG = """\
commands:
  (none) / generate   write every audience x DOCX and PDF brief to OUT/<data id>/<audience>.<ext>
  check               validate data files, profiles and templates; write nothing
  explain -a AUD      show why each fact is in or out of that audience's brief
  schema              print the JSON Schema of data files and profiles

examples:
  python generate.py                          all audiences, both formats, data/*.yaml -> out/
  python generate.py -a investor -f pdf       one audience, one format
  python generate.py --data my.yaml --out dist/ --templates my-templates/
  python generate.py check
"""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="briefs",
        description="Generate audience-tailored DOCX and PDF briefs from a YAML data file.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("command", nargs="?", default="generate", choices=COMMANDS, help=argparse.SUPPRESS)
    parser.add_argument("--data", action="append", type=Path, metavar="FILE",
                        help="data file (repeatable; default: ./data/*.yaml, else the built-in data)")
    parser.add_argument("--out", type=Path, default=Path("out"), metavar="DIR", help="output folder (default: ./out)")
    parser.add_argument("-a", "--audience", action="append", default=[], metavar="ID",
                        help="audience profile id (repeatable; default: every audience)")
    parser.add_argument("-f", "--format", action="append", choices=FORMATS, default=[],
                        help="output format (repeatable; default: docx and pdf)")
    parser.add_argument("--templates", action="append", type=Path, default=[], metavar="DIR",
                        help="user templates folder, searched before the built-in ones (repeatable)")
    parser.add_argument("--page-size", choices=("A4", "Letter"), help="page size (default: the data file's, else A4)")
    parser.add_argument("--version", action="version", version=f"briefs {__version__}")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    args = _parser().parse_args(argv)
    try:
        return _run(args)
    except BriefsError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader of our output went away (e.g. `| head`); that is not an error of ours.
        sys.stderr.close()
        return 0


def _run(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    if args.command == "schema":
        from .schema import schema_json

        print(schema_json())
        return 0
    data_paths = args.data or default_data_paths(Path.cwd())
    if not data_paths:
        print("error: no data files found (give --data FILE)", file=sys.stderr)
        return 1
    inputs = load_inputs(data_paths, args.templates)
    if args.command == "check":
        from .checking import check

        return check(inputs, strict=False)
    if args.command == "explain":
        from .explaining import explain

        return explain(inputs, args.audience)
    written = generate(inputs, args.out, audiences=args.audience, formats=args.format or FORMATS, page_size=args.page_size)
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


def main_exit() -> None:
    """Entry point of the `briefs` console script."""
    sys.exit(main())
