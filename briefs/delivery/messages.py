"""Build one recipient's message: their brief attached, a text and an HTML body from templates.

The bodies come from `email.txt.j2` and `email.html.j2` on the template search path (a templates
folder may replace them), the subject from `--subject`, a Jinja template of one line. The
Message-ID is made from the recipient and the digest of what is attached, so a message is
recognisable across reruns. No Date header is set here: the connection adds it when it sends,
and a dry run's `.eml` files stay the same for the same input.
"""

from __future__ import annotations

import hashlib
import mimetypes
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from email.headerregistry import Address
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import jinja2

from ..brief import Brief
from ..errors import TemplateError
from ..rendering import Renderer
from ..sandbox import BudgetedEnvironment
from ..writers import WRITERS
from .ledger import Sent

__all__ = ["DEFAULT_SUBJECT", "MailTemplates", "Outgoing", "attachments_digest", "build_message", "message_id"]

DEFAULT_SUBJECT = "{{ brief.title }}: your brief"
_MIME = {f".{fmt}": spec.media_type for fmt, spec in WRITERS.items()}


@dataclass(frozen=True)
class Outgoing:
    """One message to send, and what the ledger records of it."""

    message: EmailMessage
    recipient: str
    """The recipient's key (their address in lower case)."""
    email: str
    files: tuple[str, ...]
    digest: str

    def sent(self) -> Sent:
        """Return the ledger's record of this message, once the server has accepted it."""
        return Sent(self.recipient, self.email, self.digest, self.files, str(self.message["Message-ID"]))


def attachments_digest(file_digests: Sequence[str]) -> str:
    """Return the digest of a message's attachments (their own sha256s, in order): what the ledger compares."""
    return hashlib.sha256("".join(file_digests).encode()).hexdigest()


def message_id(recipient: str, digest: str, sender: str) -> str:
    """Return `<hash@domain>` for this recipient and these files, the domain taken from the sender's address."""
    domain = sender.rsplit("@", 1)[-1].strip(">").strip() or "briefs.invalid"
    return f"<{hashlib.sha256(f'{recipient}|{digest}'.encode()).hexdigest()[:32]}@{domain}>"


class MailTemplates:
    """The subject and body templates, from the template search path of a run."""

    def __init__(self, renderer: Renderer, subject: str) -> None:
        loader = renderer.env.loader
        self.html = BudgetedEnvironment(loader=loader, autoescape=True, undefined=jinja2.StrictUndefined, keep_trailing_newline=True)
        self.text = BudgetedEnvironment(loader=loader, autoescape=False, undefined=jinja2.StrictUndefined, keep_trailing_newline=True)
        for env in (self.html, self.text):
            env.filters.update(renderer.env.filters)
        try:
            self.subject = self.text.from_string(subject)
        except jinja2.TemplateSyntaxError as exc:
            raise TemplateError(f"--subject: {exc.message}") from None

    def render(self, which: str, context: Mapping[str, Any]) -> str:
        """Render 'subject', 'email.txt.j2' or 'email.html.j2'; raise TemplateError naming the template."""
        try:
            if which == "subject":
                return " ".join(self.subject.render(context).split())
            env = self.html if which.endswith(".html.j2") else self.text
            return env.get_template(which).render(context)
        except jinja2.TemplateSyntaxError as exc:
            raise TemplateError(f"{exc.filename or which}:{exc.lineno}: {exc.message}") from None
        except jinja2.TemplateError as exc:
            raise TemplateError(f"{which}: {exc}") from None


def build_message(templates: MailTemplates, sender: str, row: Mapping[str, str], brief: Brief, folder: Path,
                  files: Sequence[str], file_digests: Sequence[str]) -> Outgoing:
    """Return the message to `row`'s address with `files` (in `folder`) attached."""
    digest = attachments_digest(file_digests)
    email = row["email"]
    context = {"recipient": dict(row), "brief": brief, "attachments": list(files)}
    message = EmailMessage()
    message["From"] = sender
    message["To"] = Address(row.get("name", ""), addr_spec=email)
    message["Subject"] = templates.render("subject", context)
    message["Message-ID"] = message_id(email.casefold(), digest, sender)
    message.set_content(templates.render("email.txt.j2", context))
    message.add_alternative(templates.render("email.html.j2", context), subtype="html")
    for name in files:
        kind = _MIME.get(Path(name).suffix) or mimetypes.guess_type(name)[0] or "application/octet-stream"
        maintype, subtype = kind.split("/", 1)
        message.add_attachment((folder / name).read_bytes(), maintype=maintype, subtype=subtype, filename=name)
    for number, part in enumerate(part for part in message.walk() if part.is_multipart()):
        part.set_boundary(f"=={digest[:32]}.{number}==")  # not random: the same input gives the same bytes
    return Outgoing(message, email.casefold(), email, tuple(files), digest)

