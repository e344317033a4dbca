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
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from email.message import EmailMessage
from email.policy import default as default_policy
from pathlib import Path
from types import TracebackType
from typing import Any

import jinja2

from ..brief import Brief
from ..errors import TemplateError, located
from ..mailboxes import Mailbox, address_header, mailbox, one_line, text_header
from ..rendering import Renderer
from ..sandbox import BudgetedEnvironment
from ..writers import WRITERS
from .ledger import Sent

__all__ = [
    "DEFAULT_SUBJECT", "MailTemplates", "Outgoing", "addressed", "attachments_digest", "build_message", "message_id",
    "render_mail_template",
]

DEFAULT_SUBJECT = "{{ t('email.subject', title=brief.title) }}"
"""In the brief's language ("Your brief – <title>": a dash, not a colon, for titles often hold a colon of their own)."""
_MIME = {f".{fmt}": spec.media_type for fmt, spec in WRITERS.items()}
_WIRE = default_policy.clone(max_line_length=998, linesep="\r\n")
"""How a message is written out: address headers are folded by `mailboxes`, within the 998 characters a line may hold."""


@dataclass(frozen=True)
class Outgoing:
    """One message to send, and what the ledger records of it."""

    message: EmailMessage
    recipient: str
    """The recipient's key (their address in lower case)."""
    email: str
    files: tuple[str, ...]
    digest: str
    to: Mailbox
    sender: Mailbox

    @property
    def needs_smtputf8(self) -> bool:
        """Return True when an address is not ASCII before the @: only a server offering SMTPUTF8 takes the message."""
        return self.to.needs_smtputf8 or self.sender.needs_smtputf8

    def as_bytes(self) -> bytes:
        """Return the message as sent (CRLF line ends; headers in UTF-8 only when SMTPUTF8 is needed)."""
        return self.message.as_bytes(policy=_WIRE.clone(utf8=self.needs_smtputf8))

    def sent(self, refused: str = "") -> Sent:
        """Return the ledger's record of this message, once the server has accepted it (or refused it for good)."""
        return Sent(self.recipient, self.email, self.digest, self.files, str(self.message["Message-ID"]), refused)


def attachments_digest(file_digests: Sequence[str]) -> str:
    """Return the digest of a message's attachments (their own sha256s, in order): what the ledger compares."""
    return hashlib.sha256("".join(file_digests).encode()).hexdigest()


def message_id(recipient: str, digest: str, sender: Mailbox) -> str:
    """Return `<hash@domain>` for this recipient and these files, the domain taken from the sender's address."""
    return f"<{hashlib.sha256(f'{recipient}|{digest}'.encode()).hexdigest()[:32]}@{sender.domain}>"


class MailTemplates:
    """The subject and body templates, from the template search path of a run."""

    def __init__(self, renderer: Renderer, subject: str) -> None:
        loader = renderer.env.loader
        self.html = BudgetedEnvironment(loader=loader, autoescape=True, undefined=jinja2.StrictUndefined, keep_trailing_newline=True)
        self.text = BudgetedEnvironment(loader=loader, autoescape=False, undefined=jinja2.StrictUndefined, keep_trailing_newline=True)
        for env in (self.html, self.text):
            env.filters.update(renderer.env.filters)
            env.globals["t"] = renderer.env.globals["t"]  # the words of the brief's language
        try:
            self.subject = self.text.from_string(subject)
        except jinja2.TemplateSyntaxError as exc:
            raise TemplateError(f"--subject: {exc.message}") from None

    def render(self, which: str, context: Mapping[str, Any]) -> str:
        """Render 'subject' (on one line), 'email.txt.j2' or 'email.html.j2'; raise TemplateError naming the template."""
        if which == "subject":
            return one_line(render_mail_template(lambda: self.subject, context, "--subject"))
        env = self.html if which.endswith(".html.j2") else self.text
        return render_mail_template(lambda: env.get_template(which), context, which)


def render_mail_template(load: Callable[[], jinja2.Template], context: Mapping[str, Any], name: str) -> str:
    """Return what the template `load()` gives renders from `context`; turn any failure into a TemplateError naming `name`.

    Every subject and body goes through here: a template is the user's code, so whatever it
    raises (1/0, "a" + 1, a missing name, a sandbox refusal) is their error, not a crash.
    """
    try:
        template = load()
        return str(template.render(context))
    except TemplateError as exc:  # the sandbox's budget: a string template is "<template>" to it, the user's name is ours
        raise type(exc)(str(exc).replace("<template>:1: ", f"{name}: ", 1).replace("<template>", name, 1)) from None
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(located(exc.filename or name, exc.lineno, exc.message or "syntax error")) from None
    except jinja2.TemplateError as exc:
        raise TemplateError(f"{_line(exc.__traceback__, name)}: {exc.message or type(exc).__name__}") from None
    except (ArithmeticError, TypeError, ValueError, LookupError, AttributeError, RecursionError, MemoryError) as exc:
        raise TemplateError(f"{_line(exc.__traceback__, name)}: {type(exc).__name__}: {exc}") from None


def _line(tb: TracebackType | None, name: str) -> str:
    """Return `name:line` of the innermost frame of the template named `name` in a traceback, else `name`."""
    found = name
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith(name):  # a file's template; the subject's is "<template>", one line
            found = f"{Path(filename).name}:{tb.tb_lineno}"
        tb = tb.tb_next
    return found


def addressed(sender: Mailbox, to: Mailbox, subject: str) -> EmailMessage:
    """Return a new message from `sender` to `to` about `subject`, its headers written by `mailboxes` (never folded again)."""
    message = EmailMessage()
    message.set_raw("From", address_header(sender))
    message.set_raw("To", address_header(to))
    message.set_raw("Subject", text_header(subject))
    return message


def build_message(templates: MailTemplates, sender: Mailbox, row: Mapping[str, str], brief: Brief, folder: Path,
                  files: Sequence[str], file_digests: Sequence[str]) -> Outgoing:
    """Return the message to `row`'s address with `files` (in `folder`) attached; raise a BriefsError when a template
    fails or the address is not one."""
    digest = attachments_digest(file_digests)
    email = row["email"]
    to = mailbox(row.get("name", ""), email)
    context = {"recipient": dict(row), "brief": brief, "attachments": list(files)}
    message = addressed(sender, to, templates.render("subject", context))
    message["Message-ID"] = message_id(email.casefold(), digest, sender)
    message.set_content(templates.render("email.txt.j2", context))
    message.add_alternative(templates.render("email.html.j2", context), subtype="html")
    for name in files:
        spec = WRITERS.get(Path(name).suffix.removeprefix("."))
        kind = (spec.media_type if spec else None) or mimetypes.guess_type(name)[0] or "application/octet-stream"
        maintype, subtype = kind.split("/", 1)
        message.add_attachment((folder / name).read_bytes(), maintype=maintype, subtype=subtype, filename=name)
    for number, part in enumerate(part for part in message.walk() if part.is_multipart()):
        part.set_boundary(f"=={digest[:32]}.{number}==")  # not random: the same input gives the same bytes
    return Outgoing(message, email.casefold(), email, tuple(files), digest, to, sender)
