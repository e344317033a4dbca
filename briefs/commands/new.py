"""`briefs new ID [--title TEXT]`: write a commented data file to start a topic from."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
from pathlib import Path

from ..errors import DataError
from ..invocation import program
from .common import shown

HELP = "start a topic: write DIR/ID.yaml (default data/ID.yaml), a commented data file that works as written"

_SCAFFOLD = Path(__file__).resolve().parent.parent / "scaffold" / "topic.yaml"
_SLUG = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("id", metavar="ID", help="the topic's id: lowercase letters, digits, '-' or '_' (e.g. eu-battery-rules)")
    parser.add_argument("--title", help="the brief's title (default: made from the id)")
    parser.add_argument("--folder", type=Path, default=Path("data"), metavar="DIR", help="where to write it (default: ./data)")


def run(args: argparse.Namespace) -> int:
    if not _SLUG.match(args.id):
        raise DataError(f"{args.id!r} is not a usable id: use lowercase letters, digits, '-' or '_', starting with a letter "
                        "or digit (e.g. eu-battery-rules)")
    title = (args.title or args.id.replace("-", " ").replace("_", " ").capitalize()).strip()
    if not title or any(ord(c) < 32 for c in title):
        raise DataError("--title: give a title of printable characters on one line")
    path = args.folder / f"{args.id}.yaml"
    text = _SCAFFOLD.read_text(encoding="utf-8")
    for placeholder, value in (("__ID__", args.id), ("__TITLE__", json.dumps(title, ensure_ascii=False)),
                               ("__AS_OF__", dt.date.today().isoformat()), ("__PROG__", program()),
                               ("__PATH__", shown(path))):
        text = text.replace(placeholder, value)
    args.folder.mkdir(parents=True, exist_ok=True)
    try:
        with path.open("x", encoding="utf-8") as out:  # "x": never overwrite a file
            out.write(text)
    except FileExistsError:
        raise DataError(f"{shown(path)} already exists: nothing written; choose another id, or edit that file") from None
    except OSError as exc:
        raise DataError(f"{shown(path)}: cannot write ({exc.strerror or exc})") from None
    print(f"wrote {shown(path)}\n\nNext: replace its \"Replace:\" texts, then\n"
          f"  {program()} check --data {shown(path)}\n"
          f"  {program()} --data {shown(path)}")
    return 0
