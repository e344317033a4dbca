"""Delivery by e-mail: one message per recipient with their own brief attached (`briefs send`).

    messages.py   build one message: To, Subject, text and HTML bodies, attachments, Message-ID
    ledger.py     recipients/sent.jsonl: what the server accepted (or refused for good), so a rerun sends nothing twice
    smtp.py       the connection: TLS, login, a rate limit, and a refused or deferred message failing alone

Addresses are checked, and written into headers, by `briefs.mailboxes` alone. The briefs are
rendered first exactly as `batch` renders them; then each recipient whose brief of this edition
is written, and whom the ledger does not show as sent, gets one message, and the ledger records
it before the next. A recipient's problem (a brief that failed, a template, an address, an answer
of the server) fails that recipient alone; the run goes on.
"""

from __future__ import annotations

from .ledger import LEDGER_NAME, Ledger, Sent
from .messages import Outgoing, build_message, message_id
from .smtp import Connection, SmtpSettings, parse_rate

__all__ = ["LEDGER_NAME", "Connection", "Ledger", "Outgoing", "Sent", "SmtpSettings", "build_message", "message_id", "parse_rate"]
