"""`briefs send RECIPIENTS --smtp HOST[:PORT] --from ADDRESS`: e-mail each recipient their own brief.

First the list's briefs are rendered exactly as `batch` renders them (what is up to date is not
redone); then each recipient gets one message with their brief of this edition attached, unless
the ledger (`recipients/sent.jsonl`) shows the same files already accepted by the server. A
recipient whose brief failed, or whose message fails, is reported and the run goes on. `--dry-run
DIR` writes the messages as .eml files instead and sends nothing. Exit 1 when any recipient failed.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

from .. import writers
from ..batch import Plan
from ..brief import Brief
from ..delivery import Connection, Ledger, SmtpSettings, parse_rate
from ..delivery.messages import DEFAULT_SUBJECT, MailTemplates, Outgoing, attachments_digest, build_message
from ..delivery.smtp import PASSWORD_VARIABLE, DeliveryError, InsecureLogin, NotSent, Security, login_warning, parse_server
from ..errors import BriefsError
from ..mailboxes import AddressError, Mailbox, parse_mailbox
from ..manifest import Record, read_manifest
from ..naming import safe_stem
from ..output import write_atomic
from ..rendering import Renderer
from .batch import add_list_arguments, render_list
from .common import argument_type, settings_from, shown

HELP = "e-mail each recipient of a list their own brief (rendering what is missing first, as batch does)"

def _attach() -> dict[str, tuple[str, ...]]:
    """Return --attach's choices: one format, or both formats a run writes by default (DOCX and PDF)."""
    return {**{fmt: (fmt,) for fmt in writers.formats()}, "both": writers.default_formats()}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_list_arguments(parser)
    parser.add_argument("--smtp", metavar="HOST[:PORT]", help="the SMTP server (port: 465 with --ssl, 587 with --starttls, else 25)")
    parser.add_argument("--from", dest="sender", metavar="ADDRESS", required=True,
                        help='the sender, one address, e.g. "Markets Desk <desk@example.org>"')
    parser.add_argument("--subject", default=DEFAULT_SUBJECT, metavar="TEMPLATE",
                        help=f"the subject, a one-line Jinja template with recipient and brief (default: {DEFAULT_SUBJECT!r})")
    parser.add_argument("--attach", choices=tuple(_attach()), default="pdf", help="which format to attach (default: pdf)")
    security = parser.add_mutually_exclusive_group()
    security.add_argument("--starttls", action="store_true", help="upgrade the connection with STARTTLS")
    security.add_argument("--ssl", action="store_true", help="connect over TLS (SMTPS)")
    parser.add_argument("--user", metavar="NAME", help=f"log in as NAME; the password is read from ${PASSWORD_VARIABLE}")
    parser.add_argument("--insecure-login", action="store_true",
                        help="allow --user without --ssl or --starttls to a server on another machine (the password crosses the "
                             "network in clear)")
    parser.add_argument("--rate", type=_rate, metavar="N/min", help="send at most N messages a minute (e.g. 30/min)")
    parser.add_argument("--dry-run", type=Path, metavar="DIR", help="write one .eml per recipient to DIR and send nothing")


@dataclass(frozen=True)
class _Pending:
    """A recipient whose brief of this edition is written and not yet sent."""

    line: int
    fields: Mapping[str, str]
    brief: Brief
    files: tuple[str, ...]
    digests: tuple[str, ...]


def run(args: argparse.Namespace) -> int:
    if not args.smtp and not args.dry_run:
        _usage("give --smtp HOST[:PORT], or --dry-run DIR to write the messages without sending them")
    sender = _sender(args.sender)
    settings = None if args.dry_run else _smtp_settings(args)
    formats = _attach()[args.attach]
    started = time.perf_counter()
    plan, rendered = render_list(args, formats)
    if plan.current and not any(row.email for row in plan.current.values()):
        raise BriefsError(f"{shown(args.recipients)}: the list has no email column: add one to send the briefs")
    templates = MailTemplates(Renderer(settings_from(args).template_dirs), args.subject)
    outcome = _Outcome(plan.setup.source)
    with Ledger(plan.folder) as ledger:
        pending = list(_pending(plan, read_manifest(plan.manifest), formats, ledger, outcome))
        if pending:  # a subject or body that fails for everyone stops here, before anything is sent
            _build(templates, sender, plan, pending[0])
        try:
            with _delivery(settings, args.dry_run) as deliver:
                for item in pending:
                    _send_one(item, lambda: _build(templates, sender, plan, item), deliver,  # noqa: B023 - called at once
                              None if args.dry_run else ledger, outcome)
        except KeyboardInterrupt:
            print(f"send: stopped after {outcome.sent} message{'' if outcome.sent == 1 else 's'}: every one the server "
                  "accepted is in the ledger; run the same command again to send the rest", file=sys.stderr)
            raise
    verb = "written" if args.dry_run else "sent"
    failed = outcome.failed + len(plan.failures)
    print(f"{verb} {outcome.sent}, already sent {outcome.already}, failed {failed} "
          f"in {time.perf_counter() - started:.1f} s" + (f" to {shown(args.dry_run)}/" if args.dry_run else ""))
    return 1 if failed or rendered.failed else 0


class _Outcome:
    def __init__(self, source: str) -> None:
        self.source = source
        self.sent = self.already = self.failed = 0

    def fail(self, line: int, message: str) -> None:
        self.failed += 1
        print(f"error: {self.source}:{line}: {message}", file=sys.stderr)


def _pending(plan: Plan, records: Mapping[str, Record], formats: tuple[str, ...], ledger: Ledger,
             outcome: _Outcome) -> Iterator[_Pending]:
    """Yield each recipient whose brief of this edition is written and not yet sent, in list order; report the others."""
    for row in sorted(plan.current.values(), key=lambda row: row.line):
        files = tuple(f"{plan.stems[row.key]}.{fmt}" for fmt in formats)
        found = [records.get(name) for name in files]
        if not all(record is not None and record.key == plan.keys.get(name) and (plan.folder / name).is_file()
                   for record, name in zip(found, files, strict=True)):
            outcome.fail(row.line, f"not sent to {row.email}: their brief of this edition was not written (see above); "
                                   "a rerun tries again")
            continue
        digests = tuple(record.sha256 for record in found if record is not None)
        digest = attachments_digest(digests)
        if ledger.was_sent(row.key, digest):  # checked before building: a rerun reads no brief
            outcome.already += 1
        elif refused := ledger.refusal(row.key, digest):
            outcome.fail(row.line, f"not sent: {refused} (an earlier run; to try again, correct the address or delete its "
                                   f"line in {shown(ledger.path)})")
        else:
            yield _Pending(row.line, row.fields, plan.setup.briefs[row.audience], files, digests)


def _build(templates: MailTemplates, sender: Mailbox, plan: Plan, item: _Pending) -> Outgoing:
    return build_message(templates, sender, item.fields, item.brief, plan.folder, item.files, item.digests)


def _send_one(item: _Pending, build: Callable[[], Outgoing], deliver: Callable[[Outgoing], None], ledger: Ledger | None,
              outcome: _Outcome) -> None:
    """Build and deliver one message; a problem of this recipient alone is reported and the run goes on."""
    try:
        outgoing = build()
        deliver(outgoing)
    except DeliveryError:
        raise
    except NotSent as exc:
        outcome.fail(item.line, str(exc))
        if exc.permanent and ledger is not None:
            ledger.record(outgoing.sent(refused=str(exc)))
        return
    except BriefsError as exc:
        outcome.fail(item.line, str(exc))
        return
    if ledger is not None:
        ledger.record(outgoing.sent())
    outcome.sent += 1


@contextmanager
def _delivery(settings: SmtpSettings | None, drafts: Path | None) -> Iterator[Callable[[Outgoing], None]]:
    """Yield what delivers one message: the SMTP connection, or (a dry run) writing it as an .eml file."""
    if settings is None:
        assert drafts is not None
        yield lambda outgoing: write_atomic(drafts / f"{safe_stem(outgoing.files[0].rsplit('.', 1)[0])}.eml", outgoing.as_bytes())
        return
    with Connection(settings) as connection:
        yield connection.send


def _smtp_settings(args: argparse.Namespace) -> SmtpSettings:
    """Return the connection settings; exit 2 when --user would send the password in clear over the network."""
    security: Security = "ssl" if args.ssl else "starttls" if args.starttls else "none"
    host, port = parse_server(args.smtp, security)
    settings = SmtpSettings(host, port, security, args.user, args.rate, insecure_login=args.insecure_login)
    try:
        warning = login_warning(settings)
    except InsecureLogin as exc:
        _usage(str(exc))
    if warning:
        print(f"warning: {warning}", file=sys.stderr)
    return settings


def _sender(text: str) -> Mailbox:
    """Return the one mailbox --from names; exit 2 when it names none, several, or holds a line break."""
    try:
        return parse_mailbox(text)
    except AddressError as exc:
        _usage(f"--from: {exc}")


_rate = argument_type(parse_rate)


def _usage(message: str) -> NoReturn:
    print(f"briefs send: error: {message}", file=sys.stderr)
    raise SystemExit(2)
