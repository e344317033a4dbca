"""`briefs export FILE --to xlsx|yaml`: convert a data file between YAML and an Excel workbook."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..datafiles import is_workbook
from ..xlsxdata.converting import FORMATS, convert, target_of
from .common import settings_from, shown

HELP = "convert a data file between YAML and an Excel workbook (written beside it: topic.yaml <-> topic.xlsx)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", type=Path, metavar="FILE", help="the data file: .yaml, .yml or .xlsx")
    parser.add_argument("--to", choices=sorted(FORMATS), help="what to write (default: the other kind)")
    parser.add_argument("-o", "--output", type=Path, metavar="FILE", help="where to write (default: beside FILE, same name)")
    parser.add_argument("--force", action="store_true", help="replace the output file when it exists")
    parser.add_argument("--templates", action="append", type=Path, default=[], metavar="DIR",
                        help="templates folder whose topic scheme and audiences feed the workbook's drop-down lists")
    parser.add_argument("--config", type=Path, metavar="FILE", help="config file (default: ./briefs.yaml when present)")


def run(args: argparse.Namespace) -> int:
    to = args.to or ("yaml" if is_workbook(args.file) else "xlsx")
    target = target_of(args.file, to, args.output)
    settings = settings_from(args)
    convert(args.file, target, to, settings.template_dirs, force=args.force, shown=shown(args.file))
    print(f"wrote {shown(target)}")
    return 0
