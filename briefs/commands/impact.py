"""`briefs impact --source ID`: which briefs and claims depend on a source."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..impacting import BriefImpact, Citing, DatasetImpact, Impact, Issued, impact
from ..sentences import end_sentence
from .common import add_input_options, inputs_from

HELP = "list the briefs, and the facts, takeaways, FAQs and figures in them, that cite a source"

_WIDTH = 64
"""Characters of an item's text shown, so that a row fits a terminal."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_input_options(parser)
    parser.add_argument("--source", required=True, metavar="ID", help="source id, as data files cite it")
    parser.add_argument("--out", type=Path, default=Path("out"), metavar="DIR",
                        help="output folder the briefs were written to (default: ./out); where a batch wrote there, its "
                             "manifest names each recipient's brief that cites the source")


def run(args: argparse.Namespace) -> int:
    print("\n".join(_lines(impact(inputs_from(args), args.source, args.out))))
    return 0


def _lines(found: Impact) -> list[str]:
    source = found.source
    lines = [f"{source.id}: {end_sentence(source.publisher)} {end_sentence(source.title)} Reliability {source.reliability}."]
    for data in found.datasets:
        lines += ["", f"{data.dataset_id} ({_shown(data.path)}): cited in {len(data.briefs)} of {data.audiences} briefs"]
        for brief in data.briefs:
            lines += ["", f"{brief.audience}, cited as [{brief.number}]: {_written(brief)}"]
            lines += [_row(item) for item in brief.items]
            lines += [_row(item, " (value quoted in a stated disagreement)") for item in brief.in_disagreement]
        if data.unshown:
            lines += ["", "cited in the data file but shown in no brief:"]
            lines += [_row(item) for item in data.unshown]
        lines += _issued(data)
    return lines


def _written(brief: BriefImpact) -> str:
    """Return the brief's files in the output folder, or say that none is there (nothing to re-issue)."""
    if brief.outputs:
        return ", ".join(str(path) for path in brief.outputs)
    return f"no brief written to {_shown(brief.folder)}"


def _issued(data: DatasetImpact) -> list[str]:
    """Return the lines listing the batch outputs that cite the source, one line per recipient, whatever the formats."""
    if data.manifest is None:
        return []
    recipients: dict[str, list[Issued]] = {}
    for item in data.issued:
        recipients.setdefault(item.recipient, []).append(item)
    lines = ["", f"issued by batch runs ({_shown(data.manifest)}): {len(data.issued)} of {data.recorded} files cite it, "
                 f"for {len(recipients)} recipient{'' if len(recipients) == 1 else 's'}"]
    lines += [_recipient(files) for files in recipients.values()]
    return lines


def _recipient(files: list[Issued]) -> str:
    """Return one recipient's line; a file of another edition or citation number than the first says so."""
    first = files[0]
    made = f", edition of {first.edition}" if first.edition else ""
    paths = ", ".join(str(item.path) + _differs(item, first) for item in files)
    return f"  list line {first.line:<5} {first.name} ({first.audience}{made}), cited as [{first.number}]: {paths}"


def _differs(item: Issued, first: Issued) -> str:
    """Return what sets a recipient's file apart from their first (made from another edition, or numbered apart)."""
    notes = []
    if item.edition != first.edition:
        notes.append(f"edition of {item.edition or 'unknown'}")
    if item.number != first.number:
        notes.append(f"cited as [{item.number}]")
    return f" ({', '.join(notes)})" if notes else ""


def _row(item: Citing, suffix: str = "") -> str:
    label = item.status.upper() if item.status and item.status != "confirmed" else ""
    text = item.text if len(item.text) <= _WIDTH else item.text[: _WIDTH - 1].rstrip() + "…"
    return f"  {item.kind:<8}  {item.key:<28}  {label:<10}  {text}{suffix}"


def _shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError):
        return str(path)
