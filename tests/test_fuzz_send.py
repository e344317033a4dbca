"""Property-based runs of what `send` writes into a message: whatever name, address or subject a list
or a user gives, the message names exactly one recipient, the one given, no header holds a line
break, and anything that goes wrong is a BriefsError.

The default run tries a few dozen inputs per kind, the same ones every time; CI runs thousands
(BRIEFS_FUZZ_EXAMPLES=N, fresh each run).
"""

from __future__ import annotations

import email
import email.policy

from email_validator import validate_email
from fuzzing import fuzz
from hypothesis import given
from hypothesis import strategies as st

from briefs.delivery.messages import MailTemplates, Outgoing, addressed
from briefs.errors import TemplateError
from briefs.mailboxes import AddressError, Mailbox, checked_address, mailbox, parse_mailbox
from briefs.rendering import Renderer

FUZZ = fuzz(60)

PIECES = ["<", ">", ",", '"', ";", ":", "@", "\\", "(", ")", "=?utf-8?q?x?=", "\r", "\n", "\r\n", "\t", "\x00", "\u2028", "\x85",
          " ", "Board", "Zoë", "例え", "🙂", "<attacker@evil.example>,", "x" * 70, "Bcc: spy@evil.example"]
"""What broke address headers before: specials, line breaks, encoded-word look-alikes, long runs, other scripts."""

names = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=20)), max_size=12).map("".join)
locals_ = st.one_of(st.sampled_from(["ann", "josé", "a.b+c", "Ünïcödé", "x" * 64, "o'brien"]),
                    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=20))
domains = st.one_of(st.sampled_from(["example.org", "例え.jp", "EXAMPLE.org", "bücher.example", "xn--r8jz45g.jp"]),
                    st.text(min_size=1, max_size=30).map(lambda text: f"{text}.example"))
SENDER = mailbox("Desk", "desk@example.org")


def _outgoing(sender: Mailbox, to: Mailbox, subject: str = "Your brief") -> Outgoing:
    """Return the message `send` would write from `sender` to `to`, without a body."""
    return Outgoing(addressed(sender, to, subject), to.address, to.address, (), "", to, sender)


def _parsed(outgoing: Outgoing) -> email.message.EmailMessage:
    """Return the message as a reader sees it (UTF-8 headers only when SMTPUTF8 is needed)."""
    return email.message_from_string(outgoing.as_bytes().decode("utf-8"), policy=email.policy.default)  # type: ignore[return-value]


def _no_line_breaks(outgoing: Outgoing) -> None:
    head = outgoing.as_bytes().split(b"\r\n\r\n", 1)[0]
    for line in head.split(b"\r\n"):
        assert b"\r" not in line and b"\n" not in line and b"\x00" not in line
    unfolded = head.replace(b"\r\n ", b" ").replace(b"\r\n\t", b"\t")
    assert {line.split(b":", 1)[0] for line in unfolded.split(b"\r\n")} <= {b"From", b"To", b"Subject"}


@FUZZ
@given(names, locals_, domains)
def test_any_name_and_address_give_one_recipient_or_an_address_error(name: str, local: str, domain: str) -> None:
    written = f"{local}@{domain}"
    try:
        to = mailbox(name, written)
    except AddressError:
        return
    valid = validate_email(written, check_deliverability=False)
    assert to.address == f"{valid.local_part}@{valid.ascii_domain}"
    outgoing = _outgoing(SENDER, to)
    [address] = _parsed(outgoing)["To"].addresses
    assert address.addr_spec == to.address and not set(to.name) & set("\r\n\x00")
    _no_line_breaks(outgoing)


@FUZZ
@given(st.one_of(names, names.map(lambda name: f"{name} <desk@example.org>"), names.map(lambda n: f"desk@example.org, {n}")))
def test_any_sender_is_one_mailbox_or_an_address_error(text: str) -> None:
    try:
        sender = parse_mailbox(text)
    except AddressError:
        return
    to = mailbox("Ann", "ann@example.org")
    outgoing = _outgoing(sender, to)
    [address] = _parsed(outgoing)["From"].addresses
    assert address.addr_spec == sender.address
    _no_line_breaks(outgoing)


TEMPLATE_PIECES = ["{{ recipient.name }}", "{{ brief.title }}", "{{ 1/0 }}", '{{ 1 + "a" }}', "{{ nowhere }}", "{%", "{{", "}}",
                   "{% for i in range(3) %}{{ i }}{% endfor %}", "{{ ().__class__ }}", "{{ 'x' * 3 }}", "\r\n", "\n", "é", ":"]


@FUZZ
@given(st.lists(st.one_of(st.sampled_from(TEMPLATE_PIECES), st.text(max_size=10)), max_size=8).map("".join), names)
def test_any_subject_template_gives_a_one_line_subject_or_a_template_error(subject: str, name: str) -> None:
    try:
        templates = MailTemplates(Renderer(), subject)
        text = templates.render("subject", {"recipient": {"name": name}, "brief": {"title": "Batteries: the rules"}})
    except TemplateError:
        return
    to = mailbox("Ann", "ann@example.org")
    outgoing = _outgoing(SENDER, to, text)
    assert _parsed(outgoing)["Subject"] == text
    _no_line_breaks(outgoing)


@FUZZ
@given(locals_, domains)
def test_every_address_a_list_accepts_is_one_send_can_write(local: str, domain: str) -> None:
    try:
        shown = checked_address(f"{local}@{domain}")
    except AddressError:
        return
    to = mailbox("", shown)
    outgoing = _outgoing(SENDER, to)
    assert [address.addr_spec for address in _parsed(outgoing)["To"].addresses] == [to.address]
