"""`briefs new ID [--title TEXT]`: write a commented data file to start a topic from."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
from pathlib import Path

from ..errors import DataError
from ..invocation import program
from ..yamlsource import parse_yaml
from .common import shown

HELP = "start a topic: write DIR/ID.yaml (default data/ID.yaml), a commented data file that works as written (--xlsx: a workbook)"

_SCAFFOLD = Path(__file__).resolve().parent.parent / "scaffold" / "topic.yaml"
_SLUG = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("id", metavar="ID", help="the topic's id: lowercase letters, digits, '-' or '_' (e.g. eu-battery-rules)")
    parser.add_argument("--title", help="the brief's title (default: made from the id)")
    parser.add_argument("--folder", type=Path, default=Path("data"), metavar="DIR", help="where to write it (default: ./data)")
    parser.add_argument("--xlsx", action="store_true", help="write an Excel workbook DIR/ID.xlsx instead: one sheet per kind, "
                        "drop-down lists and a comment on every column")


def run(args: argparse.Namespace) -> int:
    if not _SLUG.match(args.id):
        raise DataError(f"{args.id!r} is not a usable id: use lowercase letters, digits, '-' or '_', starting with a letter "
                        "or digit (e.g. eu-battery-rules)")
    title = (args.title or args.id.replace("-", " ").replace("_", " ").capitalize()).strip()
    if not title or any(ord(c) < 32 for c in title):
        raise DataError("--title: give a title of printable characters on one line")
    path = args.folder / f"{args.id}{'.xlsx' if args.xlsx else '.yaml'}"
    text = _SCAFFOLD.read_text(encoding="utf-8")
    for placeholder, value in (("__ID__", args.id), ("__TITLE__", json.dumps(title, ensure_ascii=False)),
                               ("__AS_OF__", dt.date.today().isoformat()), ("__PROG__", program()),
                               ("__PATH__", shown(path))):
        text = text.replace(placeholder, value)
    if args.xlsx:
        _write_workbook(path, text)
    else:
        _write_text(path, text)
    print(f"wrote {shown(path)}\n\nNext: replace its \"Replace:\" texts, then\n"
          f"  {program()} check --data {shown(path)}\n"
          f"  {program()} --data {shown(path)}")
    return 0


def _write_workbook(path: Path, text: str) -> None:
    """Write the starter data as a workbook (the same values the YAML starter holds)."""
    from ..xlsxdata.converting import starter_workbook

    twin = path.with_suffix(".yaml")
    if path.exists():
        raise DataError(f"{shown(path)} already exists: nothing written; choose another id, or edit that file")
    if twin.exists():
        raise DataError(f"{shown(twin)} already exists: a workbook beside it would hold that topic twice; nothing written")
    starter_workbook(parse_yaml(text).value, path, ())


def _write_text(path: Path, text: str) -> None:
    twin = path.with_suffix(".xlsx")
    if twin.exists():
        raise DataError(f"{shown(twin)} already exists: a YAML file beside it would hold that topic twice; nothing written")
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with path.open("x", encoding="utf-8") as out:  # "x": never overwrite a file
            out.write(text)
    except FileExistsError:
        raise DataError(f"{shown(path)} already exists: nothing written; choose another id, or edit that file") from None
    except OSError as exc:
        raise DataError(f"{shown(path)}: cannot write ({exc.strerror or exc})") from None
