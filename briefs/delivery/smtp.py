"""The SMTP connection of `send`: plain, STARTTLS or TLS, an optional login, and a rate limit.

The password never comes from the command line (it would show in the process list and the shell
history): it is read from the environment variable BRIEFS_SMTP_PASSWORD, and never printed, and it
is sent only over TLS (--ssl or --starttls), to a server on this machine (with a warning), or
with --insecure-login. The envelope's addresses come from each message's Mailbox, never from a
header. A message the server refuses or defers (a 4xx or 5xx answer to its address or its data),
or one whose address needs SMTPUTF8 that the server lacks, fails that recipient alone (`NotSent`);
a session that fails stops the run (`DeliveryError`): what was sent is in the ledger, and a rerun
goes on.
"""

from __future__ import annotations

import ipaddress
import os
import re
import smtplib
import ssl
import time
from dataclasses import dataclass
from email.utils import formatdate
from typing import Literal

from ..errors import BriefsError
from .messages import Outgoing

__all__ = [
    "PASSWORD_VARIABLE", "Connection", "DeliveryError", "InsecureLogin", "NotSent", "Security", "SmtpSettings", "login_warning",
    "parse_rate", "parse_server",
]

PASSWORD_VARIABLE = "BRIEFS_SMTP_PASSWORD"
Security = Literal["none", "starttls", "ssl"]


class DeliveryError(BriefsError):
    """The SMTP server cannot be reached, or refuses the session: the run stops."""


class InsecureLogin(DeliveryError):
    """--user over a connection without TLS to another machine, without --insecure-login."""


class NotSent(Exception):
    """This one message was not sent: that recipient fails alone, and the run goes on."""

    def __init__(self, message: str, *, permanent: bool) -> None:
        super().__init__(message)
        self.permanent = permanent
        """True for a 5xx answer: the ledger records it and a rerun does not ask again; else a rerun retries."""


@dataclass(frozen=True)
class SmtpSettings:
    """Where and how to send."""

    host: str
    port: int
    security: Security = "none"
    user: str | None = None
    per_minute: float | None = None
    """At most this many messages a minute; None: as fast as the server takes them."""
    timeout: float = 30.0
    insecure_login: bool = False
    """Log in even over a connection without TLS to another machine (the password then crosses the network in clear)."""


def login_warning(settings: SmtpSettings) -> str | None:
    """Return a warning when the password goes in clear to a server on this machine; raise InsecureLogin when it would
    cross the network in clear and --insecure-login does not allow it."""
    if not settings.user or settings.security != "none" or settings.insecure_login:
        return None
    if not _loopback(settings.host):
        raise InsecureLogin(f"--user {settings.user}: {settings.host} is reached without TLS, so the password would cross the "
                            "network in clear: add --starttls or --ssl, or --insecure-login to send it anyway")
    return f"--user {settings.user}: logging in without TLS to {settings.host}, a server on this machine"


def _loopback(host: str) -> bool:
    """Return True for localhost or a loopback address (no name is looked up: what it resolves to may change)."""
    if host.casefold() == "localhost" or host.casefold().endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def parse_server(text: str, security: Security) -> tuple[str, int]:
    """Return (host, port) of `HOST[:PORT]` (default port 465 with TLS, else 587 with STARTTLS, else 25)."""
    host, _, port = text.rpartition(":") if re.search(r":\d+$", text) else (text, "", "")
    default = {"ssl": 465, "starttls": 587, "none": 25}[security]
    return host.strip("[]"), int(port) if port else default


def parse_rate(text: str) -> float:
    """Return messages a minute from `N/min` (or `N/h`, `N/s`, or a bare N a minute); raise ValueError otherwise."""
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*(?:/\s*(s|sec|min|m|h|hour))?\s*", text)
    if not match or float(match.group(1)) <= 0:
        raise ValueError(f"{text!r} is not a rate: write e.g. 30/min")
    per = {"s": 60, "sec": 60, "min": 1, "m": 1, None: 1, "h": 1 / 60, "hour": 1 / 60}[match.group(2)]
    return float(match.group(1)) * per


class Connection:
    """One SMTP session for a run; use as a context manager."""

    def __init__(self, settings: SmtpSettings) -> None:
        self.settings = settings
        self._smtp: smtplib.SMTP | None = None
        self._last = 0.0

    def __enter__(self) -> Connection:
        self._smtp = self._open()
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self._smtp is not None:
            try:
                self._smtp.quit()
            except (smtplib.SMTPException, OSError):
                self._smtp.close()

    def send(self, outgoing: Outgoing) -> None:
        """Send one message to its Mailbox; raise NotSent when the server refuses or defers it, DeliveryError when the session fails."""
        assert self._smtp is not None, "use the Connection as a context manager"
        to = outgoing.to.address
        self._wait()
        if "Date" not in outgoing.message:
            outgoing.message["Date"] = formatdate(localtime=False)
        try:
            self._smtp.sendmail(outgoing.sender.address, [to], outgoing.as_bytes(), mail_options=self._options(outgoing))
        except smtplib.SMTPRecipientsRefused as exc:
            code, reason = next(iter(exc.recipients.values()))
            raise _not_sent(f"the server refused {to}", code, reason) from None
        except smtplib.SMTPDataError as exc:
            raise _not_sent(f"the server refused the message to {to}", exc.smtp_code, exc.smtp_error) from None
        except smtplib.SMTPSenderRefused as exc:
            if outgoing.needs_smtputf8:
                raise _not_sent(f"the server refused the message to {to} (SMTPUTF8)", exc.smtp_code, exc.smtp_error) from None
            raise DeliveryError(f"the server refused the sender {outgoing.sender.address}: {exc.smtp_code} "
                                f"{_text(exc.smtp_error)}") from None
        except (smtplib.SMTPException, OSError) as exc:
            raise DeliveryError(f"the SMTP session ended while sending to {to} ({exc}): rerun to send the rest") from None
        finally:
            self._last = time.monotonic()

    def _options(self, outgoing: Outgoing) -> tuple[str, ...]:
        """Return the MAIL options `outgoing` needs; raise NotSent when it needs SMTPUTF8 and the server lacks it."""
        assert self._smtp is not None
        if not outgoing.needs_smtputf8:
            return ()
        self._smtp.ehlo_or_helo_if_needed()  # what the server offers is known after EHLO
        if not self._smtp.has_extn("smtputf8"):
            raise NotSent(f"{outgoing.to.address} is not ASCII before the @, and the server does not offer SMTPUTF8 to carry "
                          "it: send through a server that does, or give an ASCII address", permanent=False)
        return ("SMTPUTF8", "BODY=8BITMIME") if self._smtp.has_extn("8bitmime") else ("SMTPUTF8",)

    def _wait(self) -> None:
        if self.settings.per_minute and self._last:
            pause = 60.0 / self.settings.per_minute - (time.monotonic() - self._last)
            if pause > 0:
                time.sleep(pause)

    def _login(self, smtp: smtplib.SMTP) -> None:
        """Log in when --user asks to; close the connection if that fails."""
        user = self.settings.user
        if not user:
            return
        try:
            login_warning(self.settings)
            password = os.environ.get(PASSWORD_VARIABLE)
            if password is None:
                raise DeliveryError(f"--user {user} needs the password in the environment variable {PASSWORD_VARIABLE} "
                                    "(never on the command line)")
            smtp.login(user, password)
        except BaseException:
            smtp.close()
            raise

    def _open(self) -> smtplib.SMTP:
        settings = self.settings
        where = f"{settings.host}:{settings.port}"
        try:
            if settings.security == "ssl":
                smtp: smtplib.SMTP = smtplib.SMTP_SSL(settings.host, settings.port, timeout=settings.timeout,
                                                      context=ssl.create_default_context())
            else:
                smtp = smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout)
                if settings.security == "starttls":
                    smtp.starttls(context=ssl.create_default_context())
            self._login(smtp)
        except smtplib.SMTPAuthenticationError as exc:
            raise DeliveryError(f"{where}: the server refused the login of {settings.user}: {exc.smtp_code} "
                                f"{_text(exc.smtp_error)}") from None
        except smtplib.SMTPNotSupportedError:
            raise DeliveryError(f"{where}: the server does not offer {'STARTTLS' if settings.security == 'starttls' else 'AUTH'}: "
                                "try --ssl, or leave out --starttls or --user") from None
        except ssl.SSLError as exc:
            raise DeliveryError(f"{where}: TLS failed ({exc.reason or exc}): check --ssl or --starttls") from None
        except (smtplib.SMTPException, OSError) as exc:
            why = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
            raise DeliveryError(f"cannot reach the SMTP server {where} ({why})") from None
        return smtp


def _not_sent(what: str, code: int, reason: bytes | str) -> NotSent:
    """Return the NotSent of an SMTP answer: 5xx is final, anything else (4xx: try later) is retried by a rerun."""
    if 500 <= code < 600:
        return NotSent(f"{what}: {code} {_text(reason)}", permanent=True)
    return NotSent(f"{what} for now: {code} {_text(reason)}: a rerun tries again", permanent=False)


def _text(reason: bytes | str) -> str:
    return reason.decode("utf-8", "replace") if isinstance(reason, bytes) else str(reason)
