"""`briefs diff OLD NEW [-a AUDIENCE] [--format json]`: what changed between two editions, per audience."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict
from pathlib import Path

from ..earlier import read_edition
from ..editions import Changes, diff
from ..explaining import choose_profiles
from ..pipeline import load_inputs
from ..topics import load_scheme, scheme_path
from .common import settings_from

HELP = "show what changed between two editions of a data file, per audience (OLD: a data file or a git revision)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("old", metavar="OLD", help="the earlier edition: a data file, or a git revision of NEW (e.g. HEAD~1)")
    parser.add_argument("new", type=Path, metavar="NEW", help="the new edition's data file")
    parser.add_argument("-a", "--audience", action="append", default=[], metavar="ID",
                        help="audience profile id (repeatable; default: every audience)")
    parser.add_argument("--templates", action="append", type=Path, default=[], metavar="DIR",
                        help="user templates folder (profiles and topic scheme), searched before the built-in ones")
    parser.add_argument("--config", type=Path, metavar="FILE", help="config file of default options")
    parser.add_argument("--format", choices=("text", "json"), default="text", help="output format (default: text)")


def run(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    inputs = load_inputs([args.new], settings.template_dirs, recipients=True)
    new = inputs.datasets[0][1]
    edition = read_edition(args.old, args.new, new, load_scheme(scheme_path(settings.template_dirs)), given="OLD")
    if edition.note:
        print(f"note: {edition.note}", file=sys.stderr)
    old = edition.dataset
    found = {profile.id: diff(old, new, profile) for profile in choose_profiles(inputs, args.audience)}
    if args.format == "json":
        print(json.dumps({"since": old.as_of.isoformat(), "as_of": new.as_of.isoformat(), "first_edition": not edition.existed,
                          "audiences": {audience: [asdict(change) for change in changes.items] for audience, changes in found.items()}},
                         ensure_ascii=False, indent=2))
    else:
        print("\n".join(_text(audience, changes) for audience, changes in found.items()))
    return 0


def _text(audience: str, changes: Changes) -> str:
    lines = [f"{audience}: {len(changes.items)} change{'' if len(changes.items) == 1 else 's'} since {changes.since.isoformat()}"]
    for change in changes.items:
        detail = {"reworded": f" (was: {change.before})", "label": f" ({change.before} -> {change.after}: {change.reason})",
                  "sources": f" (withdrawn: {change.before or '-'}; added: {change.after or '-'})",
                  "values": f" ({change.before} -> {change.after})"}.get(change.kind, "")
        lines.append(f"  {change.kind:<9} {change.item}: {change.text}{detail}")
    return "\n".join(lines)
