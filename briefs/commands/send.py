"""`briefs send RECIPIENTS --smtp HOST[:PORT] --from ADDRESS`: e-mail each recipient their own brief.

First the list's briefs are rendered exactly as `batch` renders them (what is up to date is not
redone); then each recipient gets one message with their brief attached, unless the ledger
(`recipients/sent.jsonl`) shows the same files already accepted by the server. `--dry-run DIR`
writes the messages as .eml files instead and sends nothing. Exit 1 when any recipient failed.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Iterator, Mapping
from pathlib import Path

from email_validator import EmailNotValidError, validate_email

from ..batch import Plan
from ..delivery import Connection, Ledger, SmtpSettings, parse_rate
from ..delivery.messages import DEFAULT_SUBJECT, MailTemplates, Outgoing, attachments_digest, build_message
from ..delivery.smtp import PASSWORD_VARIABLE, Refused, Security, parse_server
from ..errors import BriefsError
from ..manifest import Record, read_manifest
from ..naming import safe_stem
from ..output import write_atomic
from ..rendering import Renderer
from ..writers import FORMATS
from .batch import add_list_arguments, render_list
from .common import settings_from, shown

HELP = "e-mail each recipient of a list their own brief (rendering what is missing first, as batch does)"

_ATTACH = {**{fmt: (fmt,) for fmt in FORMATS}, "both": ("docx", "pdf")}
"""--attach: one format, or both DOCX and PDF."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_list_arguments(parser)
    parser.add_argument("--smtp", metavar="HOST[:PORT]", help="the SMTP server (port: 465 with --ssl, 587 with --starttls, else 25)")
    parser.add_argument("--from", dest="sender", metavar="ADDRESS", required=True,
                        help='the sender, e.g. "Markets Desk <desk@example.org>"')
    parser.add_argument("--subject", default=DEFAULT_SUBJECT, metavar="TEMPLATE",
                        help=f"the subject, a one-line Jinja template with recipient and brief (default: {DEFAULT_SUBJECT!r})")
    parser.add_argument("--attach", choices=tuple(_ATTACH), default="pdf", help="which format to attach (default: pdf)")
    security = parser.add_mutually_exclusive_group()
    security.add_argument("--starttls", action="store_true", help="upgrade the connection with STARTTLS")
    security.add_argument("--ssl", action="store_true", help="connect over TLS (SMTPS)")
    parser.add_argument("--user", metavar="NAME", help=f"log in as NAME; the password is read from ${PASSWORD_VARIABLE}")
    parser.add_argument("--rate", type=_rate, metavar="N/min", help="send at most N messages a minute (e.g. 30/min)")
    parser.add_argument("--dry-run", type=Path, metavar="DIR", help="write one .eml per recipient to DIR and send nothing")


def run(args: argparse.Namespace) -> int:
    if not args.smtp and not args.dry_run:
        _usage("give --smtp HOST[:PORT], or --dry-run DIR to write the messages without sending them")
    sender = _sender(args.sender)
    formats = _ATTACH[args.attach]
    started = time.perf_counter()
    plan, rendered = render_list(args, formats)
    if plan.current and not any(row.email for row in plan.current.values()):
        raise BriefsError(f"{shown(args.recipients)}: the list has no email column: add one to send the briefs")
    templates = MailTemplates(Renderer(settings_from(args).template_dirs), args.subject)
    records = read_manifest(plan.manifest)
    outcome = _Outcome()
    with Ledger(plan.folder) as ledger:
        try:
            if args.dry_run:
                _write_drafts(plan, records, formats, templates, sender, ledger, args.dry_run, outcome)
            else:
                security: Security = "ssl" if args.ssl else "starttls" if args.starttls else "none"
                host, port = parse_server(args.smtp, security)
                with Connection(SmtpSettings(host, port, security, args.user, args.rate)) as connection:
                    for outgoing, line in _messages(plan, records, formats, templates, sender, ledger, outcome):
                        try:
                            connection.send(outgoing.message)
                        except Refused as exc:
                            outcome.fail(f"{plan.setup.source}:{line}: {exc}")
                            continue
                        ledger.record(outgoing.sent())
                        outcome.sent += 1
        except KeyboardInterrupt:
            print(f"send: stopped after {outcome.sent} message{'' if outcome.sent == 1 else 's'}: every one the server "
                  "accepted is in the ledger; run the same command again to send the rest", file=sys.stderr)
            raise
    verb = "written" if args.dry_run else "sent"
    print(f"{verb} {outcome.sent}, already sent {outcome.already}, failed {outcome.failed + rendered.failed} "
          f"in {time.perf_counter() - started:.1f} s" + (f" to {shown(args.dry_run)}/" if args.dry_run else ""))
    return 1 if outcome.failed or rendered.failed else 0


class _Outcome:
    def __init__(self) -> None:
        self.sent = self.already = self.failed = 0

    def fail(self, message: str) -> None:
        self.failed += 1
        print(f"error: {message}", file=sys.stderr)


def _messages(plan: Plan, records: Mapping[str, Record], formats: tuple[str, ...], templates: MailTemplates, sender: str,
              ledger: Ledger, outcome: _Outcome) -> Iterator[tuple[Outgoing, int]]:
    """Yield (message, list line) for each recipient whose brief is written and not yet sent, in list order."""
    for row in sorted(plan.current.values(), key=lambda row: row.line):
        stem = plan.stems[row.key]
        files = [f"{stem}.{fmt}" for fmt in formats]
        found = [records.get(name) for name in files]
        if not all(record is not None and (plan.folder / name).is_file() for record, name in zip(found, files, strict=True)):
            continue  # its brief failed to render: already reported
        digests = [record.sha256 for record in found if record is not None]
        if ledger.was_sent(row.key, attachments_digest(digests)):  # checked before building: a rerun reads no brief
            outcome.already += 1
            continue
        yield build_message(templates, sender, row.fields, plan.setup.briefs[row.audience], plan.folder, files, digests), row.line


def _write_drafts(plan: Plan, records: Mapping[str, Record], formats: tuple[str, ...], templates: MailTemplates, sender: str,
                  ledger: Ledger, folder: Path, outcome: _Outcome) -> None:
    for outgoing, _ in _messages(plan, records, formats, templates, sender, ledger, outcome):
        write_atomic(folder / f"{safe_stem(outgoing.files[0].rsplit('.', 1)[0])}.eml", outgoing.message.as_bytes())
        outcome.sent += 1


def _sender(text: str) -> str:
    """Return the --from address as given, after checking the address in it (offline)."""
    address = text.rsplit("<", 1)[-1].rstrip(">").strip() if "<" in text else text.strip()
    try:
        validate_email(address, check_deliverability=False)
    except EmailNotValidError as exc:
        _usage(f"--from {text!r}: not an e-mail address ({exc})")
    return text.strip()


def _rate(text: str) -> float:
    try:
        return parse_rate(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _usage(message: str) -> None:
    print(f"briefs send: error: {message}", file=sys.stderr)
    raise SystemExit(2)
