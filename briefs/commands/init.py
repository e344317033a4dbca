"""`briefs init DIR`: copy the built-in templates, profiles and styles into DIR to start from."""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

from ..config import ConfigError
from ..invocation import program
from ..resources import builtin_templates_dir
from .common import shown

HELP = "copy the built-in templates, audience profiles, theme and reference document into DIR, to customize"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("folder", type=Path, metavar="DIR", help="folder to create or fill (a templates folder for --templates)")
    parser.add_argument("--force", action="store_true", help="overwrite files that already exist")


def run(args: argparse.Namespace) -> int:
    source = builtin_templates_dir()
    files = sorted(path.relative_to(source) for path in source.rglob("*") if path.is_file() and "__pycache__" not in path.parts)
    existing = [args.folder / name for name in files if (args.folder / name).exists()]
    if existing and not args.force:
        more = f" and {len(existing) - 1} more" if len(existing) > 1 else ""
        raise ConfigError(f"{shown(existing[0])}{more} already exist: nothing written; choose another folder, or add --force to overwrite")
    if args.folder.exists() and not args.folder.is_dir():
        raise ConfigError(f"{shown(args.folder)} is a file: name a folder to create or fill")
    for name in files:
        target = args.folder / name
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source / name, target)
        except OSError as exc:
            raise ConfigError(f"{shown(target)}: cannot write ({exc.strerror or exc}): choose another folder") from None
        print(f"wrote {shown(target)}")
    folder = shown(args.folder)
    print(f"\n{len(files)} files in {folder}/: see {folder}/README.md for what each one does.\n"
          f"Edit them, then run: {program()} --templates {folder}")
    return 0
