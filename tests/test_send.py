"""`send`: one message per recipient, their brief attached, to a real SMTP server on loopback (aiosmtpd)."""

from __future__ import annotations

import csv
import email
import email.policy
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from conftest import ROOT

DATA = ROOT / "tests" / "fixtures" / "eu-battery.yaml"


class Mailbox:
    """An SMTP handler that keeps what it receives and refuses addresses at refused.example."""

    def __init__(self) -> None:
        self.messages: list[email.message.EmailMessage] = []
        self.envelopes: list[list[str]] = []
        self.asked: list[str] = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # type: ignore[no-untyped-def]
        self.asked.append(address)
        if address.endswith("@refused.example"):
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # type: ignore[no-untyped-def]
        self.envelopes.append(list(envelope.rcpt_tos))
        self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))  # type: ignore[arg-type]
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def server() -> Iterator[tuple[Mailbox, int]]:
    mailbox, port = Mailbox(), _free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield mailbox, port
    finally:
        controller.stop()


def _list(tmp_path: Path, rows: list[tuple[str, str, str]]) -> Path:
    path = tmp_path / "r.csv"
    path.write_text("name,audience,email\n" + "".join(f"{n},{a},{e}\n" for n, a, e in rows), encoding="utf-8")
    return path


ROWS = [("Ann", "investor", "ann@example.org"), ("Bob", "researcher", "bob@refused.example"), ("Zoë", "policymaker", "zoe@example.org")]


def _send(cli, tmp_path: Path, port: int, *extra: str, data: Path = DATA):  # type: ignore[no-untyped-def]
    return cli("send", _list(tmp_path, ROWS), "--data", data, "--out", tmp_path / "out", "--jobs", "1",
               "--smtp", f"127.0.0.1:{port}", "--from", "Markets Desk <desk@example.org>", *extra)


def test_each_recipient_gets_their_own_brief_and_a_refused_address_fails_alone(cli, tmp_path: Path, server) -> None:
    mailbox, port = server
    result = _send(cli, tmp_path, port)
    assert result.code == 1 and "sent 2, already sent 0, failed 1" in result.out
    assert "r.csv:3: the server refused bob@refused.example: 550" in result.err
    assert mailbox.envelopes == [["ann@example.org"], ["zoe@example.org"]]
    ann = mailbox.messages[0]
    assert ann["To"] == "Ann <ann@example.org>" and ann["From"] == "Markets Desk <desk@example.org>"
    assert ann["Subject"] == "Your brief \u2013 EU Battery Regulation" and ann["Message-ID"].endswith("@example.org>")
    [attachment] = [part for part in ann.iter_attachments()]
    folder = tmp_path / "out" / "eu-battery-regulation" / "recipients"
    assert attachment.get_filename() == "Ann.pdf" and attachment.get_content() == (folder / "Ann.pdf").read_bytes()
    text = ann.get_body(("plain",)).get_content()
    html = ann.get_body(("html",)).get_content()
    assert "Dear Ann," in text and "prepared for investors" in text and "Dear Ann," in html
    assert "Zoë" in mailbox.messages[1]["To"]


def test_a_rerun_sends_nothing_twice_and_a_new_edition_is_sent_again(cli, tmp_path: Path, server) -> None:
    mailbox, port = server
    _send(cli, tmp_path, port)
    again = _send(cli, tmp_path, port)
    assert "sent 0, already sent 2" in again.out and len(mailbox.messages) == 2
    changed = tmp_path / "changed.yaml"
    changed.write_text(DATA.read_text(encoding="utf-8").replace("Map which of your products", "List which of your products")
                       .replace("Track the delegated acts", "Follow the delegated acts"), encoding="utf-8")
    edition = _send(cli, tmp_path, port, data=changed)
    assert "sent 1, already sent 1" in edition.out, edition.out + edition.err  # only the policymaker's brief changed
    assert mailbox.envelopes[-1] == ["zoe@example.org"]


def test_both_formats_can_be_attached_and_the_subject_is_a_template(cli, tmp_path: Path, server) -> None:
    mailbox, port = server
    result = _send(cli, tmp_path, port, "--attach", "both", "--subject", "{{ recipient.name }}: {{ brief.title }} & more")
    assert result.code == 1  # Bob's address is refused
    assert [part.get_filename() for part in mailbox.messages[0].iter_attachments()] == ["Ann.docx", "Ann.pdf"]
    assert mailbox.messages[0]["Subject"] == "Ann: EU Battery Regulation & more"


def test_a_dry_run_writes_one_eml_per_recipient_and_sends_nothing(cli, tmp_path: Path) -> None:
    drafts = tmp_path / "drafts"
    result = cli("send", _list(tmp_path, ROWS), "--data", DATA, "--out", tmp_path / "out", "--jobs", "1",
                 "--from", "desk@example.org", "--dry-run", drafts)
    assert result.code == 0, result.err
    assert sorted(p.name for p in drafts.iterdir()) == ["Ann.eml", "Bob.eml", "Zoë.eml"]
    message = email.message_from_bytes((drafts / "Ann.eml").read_bytes(), policy=email.policy.default)
    assert message["To"] == "Ann <ann@example.org>" and "Date" not in message
    assert not (tmp_path / "out" / "eu-battery-regulation" / "recipients" / "sent.jsonl").exists()
    again = cli("send", _list(tmp_path, ROWS), "--data", DATA, "--out", tmp_path / "out", "--jobs", "1",
                "--from", "desk@example.org", "--dry-run", tmp_path / "drafts2")
    assert again.code == 0 and "written 3" in again.out  # a dry run records nothing as sent
    assert (tmp_path / "drafts2" / "Ann.eml").read_bytes() == (drafts / "Ann.eml").read_bytes()  # deterministic


def test_a_list_without_addresses_or_a_bad_sender_is_refused(cli, tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_text("name,audience\nAnn,investor\n", encoding="utf-8")
    result = cli("send", path, "--data", DATA, "--out", tmp_path / "out", "--from", "desk@example.org", "--dry-run", tmp_path / "d")
    assert result.code == 1 and "no email column" in result.err
    bad = cli("send", path, "--data", DATA, "--from", "not an address", "--dry-run", tmp_path / "d")
    assert bad.code == 2 and "--from" in bad.err
    assert cli("send", path, "--data", DATA, "--from", "a@b.org").code == 2  # neither --smtp nor --dry-run


def test_the_password_comes_from_the_environment_and_is_never_printed(cli, tmp_path: Path, monkeypatch) -> None:
    def check(server, session, envelope, mechanism, data):  # type: ignore[no-untyped-def]
        ok = isinstance(data, LoginPassword) and data.login == b"desk" and data.password == b"s3cret-pw"
        return AuthResult(success=ok, handled=False)  # handled=False: aiosmtpd answers 535 itself

    mailbox, port = Mailbox(), _free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port, authenticator=check, auth_require_tls=False)
    controller.start()
    try:
        monkeypatch.delenv("BRIEFS_SMTP_PASSWORD", raising=False)
        missing = _send(cli, tmp_path, port, "--user", "desk")
        assert missing.code == 1 and "BRIEFS_SMTP_PASSWORD" in missing.err and not mailbox.messages
        monkeypatch.setenv("BRIEFS_SMTP_PASSWORD", "wrong")
        wrong = _send(cli, tmp_path, port, "--user", "desk")
        assert wrong.code == 1 and "refused the login of desk" in wrong.err and "wrong" not in wrong.err + wrong.out
        monkeypatch.setenv("BRIEFS_SMTP_PASSWORD", "s3cret-pw")
        good = _send(cli, tmp_path, port, "--user", "desk")
        assert "sent 2" in good.out and "s3cret" not in good.out + good.err
    finally:
        controller.stop()


def test_an_unreachable_server_is_one_clear_error(cli, tmp_path: Path) -> None:
    result = _send(cli, tmp_path, _free_port())
    assert result.code == 1 and "cannot reach the SMTP server 127.0.0.1:" in result.err and "Traceback" not in result.err


@pytest.mark.slow
def test_killed_mid_send_a_rerun_duplicates_at_most_the_message_in_flight(tmp_path: Path, server) -> None:
    mailbox, port = server
    rows = [(f"P{i}", "investor", f"p{i}@example.org") for i in range(8)]
    command = [sys.executable, str(ROOT / "generate.py"), "send", str(_list(tmp_path, rows)), "--data", str(DATA),
               "--out", str(tmp_path / "out"), "--smtp", f"127.0.0.1:{port}", "--from", "desk@example.org", "--rate", "120/min"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 60
    while len(mailbox.messages) < 3 and time.monotonic() < deadline:
        time.sleep(0.02)
    process.send_signal(signal.SIGKILL)
    process.wait()
    first = len(mailbox.messages)
    assert 3 <= first < 8
    rerun = subprocess.run(command, capture_output=True, text=True, check=False)
    assert rerun.returncode == 0, rerun.stderr
    received = [envelope[0] for envelope in mailbox.envelopes]
    assert sorted(set(received)) == sorted(f"p{i}@example.org" for i in range(8))
    assert len(received) - 8 <= 1  # at most the one message in flight went twice


def test_a_broken_email_template_is_found_by_check_and_stops_send_before_sending(cli, tmp_path: Path, server) -> None:
    mailbox, port = server
    templates = tmp_path / "house"
    templates.mkdir()
    (templates / "email.txt.j2").write_text("Dear {{ recipient.name }\n", encoding="utf-8")
    checked = cli("check", "--data", DATA, "--templates", templates)
    assert checked.code == 1 and "email.txt.j2:1: error:" in checked.out
    result = _send(cli, tmp_path, port, "--templates", str(templates))
    assert result.code == 1 and "email.txt.j2" in result.err and not mailbox.messages


def _write_list(tmp_path: Path, header: list[str], rows: list[list[str]], name: str = "r.csv") -> Path:
    """Write a list with the csv module, so that names holding commas and quotes are quoted as a spreadsheet would."""
    path = tmp_path / name
    with path.open("w", encoding="utf-8", newline="") as stream:
        csv.writer(stream).writerows([header, *rows])
    return path


ATTACK = "Board " + "x" * 60 + " <attacker@evil.example>, Someone"
"""A name the e-mail package once folded without its quotes, so that the To header named the attacker first."""


def _one_recipient(message: email.message.EmailMessage) -> str:
    [address] = message["To"].addresses
    return str(address.addr_spec)


@pytest.mark.parametrize("name", [ATTACK, '"Ann" <spy@evil.example>; Bob: x@evil.example,', "Zoë, \"the\" <boss>@x" * 4])
def test_a_name_holding_an_address_stays_one_recipient(cli, tmp_path: Path, server, name: str) -> None:
    mailbox, port = server
    recipients = _write_list(tmp_path, ["name", "audience", "email"], [[name, "investor", "victim@example.org"]])
    common = ("send", recipients, "--data", DATA, "--out", tmp_path / "out", "--jobs", "1", "--from", "Desk <desk@example.org>")
    assert cli(*common, "--dry-run", tmp_path / "drafts").code == 0  # first: a dry run leaves out what the ledger shows sent
    [draft] = (tmp_path / "drafts").iterdir()
    assert _one_recipient(email.message_from_bytes(draft.read_bytes(), policy=email.policy.default)) == "victim@example.org"
    sent = cli(*common, "--smtp", f"127.0.0.1:{port}")
    assert sent.code == 0, sent.err
    assert mailbox.envelopes == [["victim@example.org"]] and _one_recipient(mailbox.messages[0]) == "victim@example.org"


@pytest.mark.parametrize("sender", ["Desk <desk@example.org>, <spy@evil.example>", "desk@example.org\r\nBcc: spy@evil.example",
                                    "Desk <desk@example.org>\nX-Evil: 1", "Team: desk@example.org, spy@evil.example;",
                                    "Desk\r\nBcc: spy@evil.example <desk@example.org>"])
def test_a_sender_that_is_not_exactly_one_address_on_one_line_is_a_usage_error(cli, tmp_path: Path, sender: str) -> None:
    result = cli("send", _list(tmp_path, ROWS), "--data", DATA, "--out", tmp_path / "out", "--from", sender,
                 "--dry-run", tmp_path / "drafts")
    assert result.code == 2 and "--from" in result.err and "Traceback" not in result.err
    assert not (tmp_path / "drafts").exists()


def _edition(tmp_path: Path, as_of: str, name: str = "d.yaml") -> Path:
    """Write the data file as a new edition: another date, another wording of a fact every audience shows."""
    path = tmp_path / name
    text = DATA.read_text(encoding="utf-8").replace("as_of: 2025-11-15", f"as_of: {as_of}")
    path.write_text(text.replace("Map which of your products", "List which of your products"), encoding="utf-8")
    return path


def test_a_recipient_whose_new_brief_fails_is_not_sent_the_previous_edition(cli, tmp_path: Path, server) -> None:
    mailbox, port = server
    templates = tmp_path / "house"
    templates.mkdir()
    (templates / "brief.html.j2").write_text('{% extends "builtin/brief.html.j2" %}{% block disclaimer %}'
                                             "<p>Share {{ 100 // (recipient.share|int) }}%</p>{% endblock %}\n", encoding="utf-8")

    def send(share: str, data: Path):  # type: ignore[no-untyped-def]
        recipients = _write_list(tmp_path, ["name", "audience", "email", "share"],
                                 [["Cid", "investor", "cid@example.org", "1"], ["Ann", "investor", "ann@example.org", share]])
        return cli("send", recipients, "--data", data, "--templates", templates, "--out", tmp_path / "out", "--jobs", "1",
                   "--smtp", f"127.0.0.1:{port}", "--from", "desk@example.org")

    assert send("1", _edition(tmp_path, "2025-11-30")).code == 0
    failed = send("0", _edition(tmp_path, "2025-12-15"))
    assert failed.code == 1 and "r.csv:3: not sent to ann@example.org" in failed.err
    assert [envelope for envelope in mailbox.envelopes[2:]] == [["cid@example.org"]]  # Ann got no message of the old edition
    retried = send("1", _edition(tmp_path, "2025-12-15"))
    assert retried.code == 0 and mailbox.envelopes[-1] == ["ann@example.org"]


def test_attaching_one_format_after_a_new_edition_keeps_every_format_of_one_edition(cli, tmp_path: Path, server) -> None:
    mailbox, port = server
    recipients = _list(tmp_path, ROWS[:1])

    def send(attach: str, data: Path):  # type: ignore[no-untyped-def]
        return cli("send", recipients, "--data", data, "--out", tmp_path / "out", "--jobs", "1", "--attach", attach,
                   "--smtp", f"127.0.0.1:{port}", "--from", "desk@example.org")

    assert send("both", _edition(tmp_path, "2025-11-30")).code == 0
    assert send("pdf", _edition(tmp_path, "2025-12-15")).code == 0
    with (tmp_path / "out" / "eu-battery-regulation" / "recipients" / "index.csv").open(encoding="utf-8") as stream:
        [ann] = list(csv.DictReader(stream))
    assert ann["edition"] == "2025-12-15" and ann["docx"] == "Ann.docx"  # the DOCX was rewritten with the PDF
    assert [part.get_filename() for part in mailbox.messages[-1].iter_attachments()] == ["Ann.pdf"]


def _smtputf8_server(enable: bool) -> Controller:
    return Controller(Mailbox(), hostname="127.0.0.1", port=_free_port(), enable_SMTPUTF8=enable)


INTERNATIONAL = [("José", "investor", "josé@example.org"), ("Ann", "investor", "ann@example.org"),
                 ("Yui", "investor", "yui@例え.jp")]


def _runs(cli, tmp_path: Path, controller: Controller, rows: list[tuple[str, str, str]], times: int) -> list:  # type: ignore[no-untyped-def, type-arg]
    """Start `controller`, send the list to it `times` times, stop it; return the results."""
    args = ("send", _list(tmp_path, rows), "--data", DATA, "--out", tmp_path / "out", "--jobs", "1",
            "--smtp", f"127.0.0.1:{controller.port}", "--from", "desk@example.org")
    controller.start()
    try:
        return [cli(*args) for _ in range(times)]
    finally:
        controller.stop()


def test_a_non_ascii_local_part_is_sent_with_smtputf8_and_a_domain_in_its_ascii_form(cli, tmp_path: Path) -> None:
    controller = _smtputf8_server(True)
    [result] = _runs(cli, tmp_path, controller, INTERNATIONAL, 1)
    assert result.code == 0, result.err
    assert controller.handler.envelopes == [["josé@example.org"], ["ann@example.org"], ["yui@xn--r8jz45g.jp"]]


def test_a_non_ascii_local_part_fails_alone_without_smtputf8_and_a_rerun_does_not_stop_there(cli, tmp_path: Path) -> None:
    controller = _smtputf8_server(False)
    first, again = _runs(cli, tmp_path, controller, INTERNATIONAL, 2)
    assert first.code == 1 and "r.csv:2:" in first.err and "SMTPUTF8" in first.err and "Traceback" not in first.err
    assert controller.handler.envelopes == [["ann@example.org"], ["yui@xn--r8jz45g.jp"]]
    assert again.code == 1 and "sent 0, already sent 2, failed 1" in again.out


def test_a_dry_run_writes_the_message_to_a_non_ascii_address(cli, tmp_path: Path) -> None:
    result = cli("send", _list(tmp_path, INTERNATIONAL), "--data", DATA, "--out", tmp_path / "out", "--jobs", "1",
                 "--from", "desk@example.org", "--dry-run", tmp_path / "drafts")
    assert result.code == 0, result.err
    draft = email.message_from_string((tmp_path / "drafts" / "José.eml").read_text(encoding="utf-8"), policy=email.policy.default)
    assert _one_recipient(draft) == "josé@example.org"


class Deferring(Mailbox):
    """Answer 451 to the data of one recipient's message the first time, as a busy server does."""

    def __init__(self) -> None:
        super().__init__()
        self.deferred = False

    async def handle_DATA(self, server, session, envelope):  # type: ignore[no-untyped-def]
        if envelope.rcpt_tos == ["bob@example.org"] and not self.deferred:
            self.deferred = True
            return "451 4.3.0 try again later"
        return await super().handle_DATA(server, session, envelope)


def test_a_temporary_failure_fails_that_recipient_alone_and_a_rerun_sends_it(cli, tmp_path: Path) -> None:
    handler = Deferring()
    rows = [("Ann", "investor", "ann@example.org"), ("Bob", "researcher", "bob@example.org"), ("Zoë", "policymaker", "zoe@example.org")]
    first, again = _runs(cli, tmp_path, Controller(handler, hostname="127.0.0.1", port=_free_port()), rows, 2)
    assert first.code == 1 and "r.csv:3:" in first.err and "451" in first.err and "sent 2" in first.out
    assert again.code == 0 and "sent 1, already sent 2" in again.out
    assert handler.envelopes == [["ann@example.org"], ["zoe@example.org"], ["bob@example.org"]]


def test_a_final_refusal_is_recorded_and_not_asked_again(cli, tmp_path: Path, server) -> None:
    mailbox, port = server
    _send(cli, tmp_path, port)
    again = _send(cli, tmp_path, port)
    assert again.code == 1 and "r.csv:3: not sent: the server refused bob@refused.example: 550" in again.err
    assert mailbox.asked.count("bob@refused.example") == 1


def test_a_login_without_tls_to_another_machine_is_refused_before_anything_happens(cli, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("BRIEFS_SMTP_PASSWORD", "s3cret-pw")
    started = time.monotonic()
    result = _send(cli, tmp_path, 25, "--user", "desk", "--smtp", "192.0.2.1")
    assert result.code == 2 and "--insecure-login" in result.err and "in clear" in result.err
    assert time.monotonic() - started < 2 and not (tmp_path / "out").exists()


@pytest.mark.parametrize("subject", ["{{ 1/0 }}", '{{ 1 + "a" }}', "{{ recipient.nowhere }}", "{{ ().__class__ }}",
                                     "{{ 'x' * 10**8 }}", "{{ (10**(10**11)) % 7 }}"])
def test_a_subject_that_fails_stops_send_with_one_line_before_anything_is_sent(cli, tmp_path: Path, server, subject: str) -> None:
    mailbox, port = server
    result = _send(cli, tmp_path, port, "--subject", subject)
    assert result.code == 1 and "Traceback" not in result.err and not mailbox.messages
    [line] = [line for line in result.err.splitlines() if line.startswith("error:")]
    assert "--subject" in line and "<template>" not in line


def test_the_default_subject_adds_no_colon_to_a_title_holding_one(cli, tmp_path: Path) -> None:
    data = tmp_path / "d.yaml"
    data.write_text(DATA.read_text(encoding="utf-8").replace("title: EU Battery Regulation", "title: 'Batteries: the new rules'"),
                    encoding="utf-8")
    result = cli("send", _list(tmp_path, ROWS[:1]), "--data", data, "--out", tmp_path / "out", "--jobs", "1",
                 "--from", "desk@example.org", "--dry-run", tmp_path / "drafts")
    assert result.code == 0, result.err
    subject = email.message_from_bytes((tmp_path / "drafts" / "Ann.eml").read_bytes(), policy=email.policy.default)["Subject"]
    assert "Batteries: the new rules" in subject and subject.count(":") == 1
