"""E-mail addresses: one check of an address, and one way to write a mailbox into a header.

A recipient's name comes from a list anyone may have edited, so it is never trusted to stay one
phrase: a name that is not a plain run of words is written as RFC 2047 encoded words, which hold
no `<`, `,`, `"` or `:` a mail reader could take for another address, and the header is folded
here, between encoded words, because the standard library's folder drops the quotes of a long
quoted name (`"Board <spy@x>, Ann" <ann@x>` came out as two addresses). Line breaks and control
characters in a name become spaces.

A subject goes through `text_header` the same way.

An internationalized domain is written in its ASCII form (IDNA, `xn--...`), which every server
accepts; a local part that is not ASCII (`josé@...`) is kept as written and needs a server
offering SMTPUTF8 (`Mailbox.needs_smtputf8`).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from email.errors import MessageError
from email.header import Header
from email.headerregistry import Address
from email.policy import default as default_policy

from email_validator import EmailNotValidError, validate_email

from .errors import BriefsError

__all__ = ["AddressError", "Mailbox", "address_header", "checked_address", "mailbox", "one_line", "parse_mailbox", "text_header"]

_PLAIN_NAME = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~ -]{1,60}")
"""A name written as it is: RFC 5322 atoms and spaces, short enough to need no folding."""
_WIDTH = 76
"""Longest header line this module writes, before the address (RFC 5322 asks for 78)."""


class AddressError(BriefsError):
    """Not exactly one usable e-mail address."""


@dataclass(frozen=True)
class Mailbox:
    """One name and address, ready for a header and an SMTP envelope."""

    name: str
    """The display name on one line ('' for none)."""
    address: str
    """The address for the envelope and the header: domain in ASCII (IDNA), local part as written."""

    @property
    def needs_smtputf8(self) -> bool:
        """Return True when the local part is not ASCII: only a server offering SMTPUTF8 can take it."""
        return not self.address.isascii()

    @property
    def domain(self) -> str:
        """Return the ASCII domain of the address."""
        return self.address.rsplit("@", 1)[1]


def one_line(text: str) -> str:
    """Return `text` with line breaks, tabs and other control or format characters as single spaces."""
    kept = "".join(" " if unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp") else char for char in text)
    return " ".join(kept.split())


def checked_address(text: str) -> str:
    """Return the address normalized (as a list shows it), or raise AddressError saying why it is not one."""
    try:
        return str(validate_email(text, check_deliverability=False).normalized)
    except EmailNotValidError as exc:
        raise AddressError(f"{text!r} is not an e-mail address ({exc})") from None


def mailbox(name: str, address: str) -> Mailbox:
    """Return the Mailbox of `name` and `address`; raise AddressError when the address is not one."""
    try:
        valid = validate_email(address, check_deliverability=False)
    except EmailNotValidError as exc:
        raise AddressError(f"{address!r} is not an e-mail address ({exc})") from None
    return Mailbox(one_line(name), f"{valid.local_part}@{valid.ascii_domain}")


def parse_mailbox(text: str) -> Mailbox:
    """Return the one mailbox `text` names (`Name <a@b>` or `a@b`); raise AddressError for none, several, or a line break."""
    if any(unicodedata.category(char) in ("Cc", "Zl", "Zp") for char in text):
        raise AddressError(f"{text!r} holds a line break or control character: give one address on one line")
    try:
        header = default_policy.header_factory("From", text)
    except (ValueError, IndexError, TypeError, AttributeError, MessageError) as exc:  # the parser's own errors on odd input
        raise AddressError(f"{text!r} is not an e-mail address ({exc})") from None
    found: tuple[Address, ...] = getattr(header, "addresses", ())
    if len(found) != 1 or any(group.display_name is not None for group in header.groups):  # type: ignore[attr-defined]
        raise AddressError(f"{text!r} is not one address: give exactly one, e.g. \"Desk <desk@example.org>\"")
    return mailbox(found[0].display_name, found[0].addr_spec)


def address_header(box: Mailbox) -> str:
    """Return the header value of `box`, folded with '\\n ' so that no line needs folding again."""
    if not box.name:
        return box.address
    phrase = box.name if _PLAIN_NAME.fullmatch(box.name) and "=?" not in box.name else _encoded(box.name)
    last = phrase.rsplit("\n", 1)[-1]
    joint = " " if len(last) + len(box.address) + 3 <= _WIDTH else "\n "
    return f"{phrase}{joint}<{box.address}>"


def text_header(text: str) -> str:
    """Return the header value of a line of text (a subject): as it is when plain ASCII, else as encoded words, so that
    readers show it as written (a literal `=?utf-8?q?x?=` in it included)."""
    text = one_line(text)
    return _encoded(text) if not text.isascii() or "=?" in text or len(text) > 900 else text


def _encoded(name: str) -> str:
    """Return `name` as RFC 2047 encoded words, several lines when long."""
    return Header(name, "utf-8", maxlinelen=_WIDTH, header_name="To").encode(linesep="\n")
