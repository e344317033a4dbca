"""The SMTP connection of `send`: plain, STARTTLS or TLS, an optional login, and a rate limit.

The password never comes from the command line (it would show in the process list and the shell
history): it is read from the environment variable BRIEFS_SMTP_PASSWORD, and never printed. An
address the server refuses fails that recipient alone (`Refused`); any other SMTP or network
error stops the run (`DeliveryError`): what was sent is in the ledger, and a rerun goes on.
"""

from __future__ import annotations

import os
import re
import smtplib
import ssl
import time
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate
from typing import Literal

from ..errors import BriefsError

__all__ = [
    "PASSWORD_VARIABLE", "Connection", "DeliveryError", "Refused", "Security", "SmtpSettings", "parse_rate", "parse_server",
]

PASSWORD_VARIABLE = "BRIEFS_SMTP_PASSWORD"
Security = Literal["none", "starttls", "ssl"]


class DeliveryError(BriefsError):
    """The SMTP server cannot be reached, or refuses the session: the run stops."""


class Refused(Exception):
    """The server refused this one message (an address it does not accept): that recipient fails alone."""


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

    def send(self, message: EmailMessage) -> None:
        """Send one message; raise Refused when the server refuses its address, DeliveryError when the session fails."""
        assert self._smtp is not None, "use the Connection as a context manager"
        self._wait()
        to = str(message["To"])
        if "Date" not in message:
            message["Date"] = formatdate(localtime=False)
        try:
            self._smtp.send_message(message)
        except smtplib.SMTPRecipientsRefused as exc:
            code, reason = next(iter(exc.recipients.values()))
            raise Refused(f"the server refused {to}: {code} {_text(reason)}") from None
        except smtplib.SMTPDataError as exc:
            if 500 <= exc.smtp_code < 600:
                raise Refused(f"the server refused the message to {to}: {exc.smtp_code} {_text(exc.smtp_error)}") from None
            raise DeliveryError(f"the SMTP server failed while sending to {to}: {exc.smtp_code} "
                                f"{_text(exc.smtp_error)}") from None
        except (smtplib.SMTPException, OSError) as exc:
            raise DeliveryError(f"the SMTP session ended while sending to {to} ({exc}): rerun to send the rest") from None
        finally:
            self._last = time.monotonic()

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


def _text(reason: bytes | str) -> str:
    return reason.decode("utf-8", "replace") if isinstance(reason, bytes) else str(reason)
