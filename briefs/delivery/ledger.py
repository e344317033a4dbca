"""The ledger `recipients/sent.jsonl`: one line per message the SMTP server accepted.

A line is written and flushed the moment the server accepts a message, before the next is sent:
killed mid-send, a rerun repeats at most the one message in flight. A recipient counts as sent
when the ledger holds their key with the digest of the very files attached; a new edition of
their brief (other bytes) is sent again.

    {"recipient": "anna@example.org", "email": "anna@example.org", "digest": "<sha256>",
     "files": ["Anna Müller.pdf"], "message_id": "<...@example.org>"}

A message the server refused for good (a 5xx answer) is recorded too, with `"refused": "<the
answer>"`, so that a rerun reports it without asking the server again; a changed address or a
new edition is tried again, and so is the recipient once that line is deleted.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import IO

__all__ = ["LEDGER_NAME", "Ledger", "Sent"]

LEDGER_NAME = "sent.jsonl"


@dataclass(frozen=True)
class Sent:
    """One accepted message."""

    recipient: str
    email: str
    digest: str
    """sha256 over the attached files' own sha256s, in order."""
    files: tuple[str, ...]
    message_id: str
    refused: str = ""
    """The server's final refusal ('' for a message it accepted)."""


class Ledger:
    """Read the sent messages of a folder, and append new ones; use as a context manager."""

    def __init__(self, folder: Path) -> None:
        self.path = folder / LEDGER_NAME
        self.sent: set[tuple[str, str]] = set()
        self.refused: dict[tuple[str, str], str] = {}
        self._stream: IO[str] | None = None
        try:
            text = self.path.read_text(encoding="utf-8", errors="replace")
        except FileNotFoundError:
            return
        for line in text.splitlines():
            try:
                value = json.loads(line)
                self._remember(str(value["recipient"]), str(value["digest"]), str(value.get("refused") or ""))
            except (ValueError, KeyError, TypeError):
                continue  # a line cut by a kill: that message is the one that may go twice

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self._stream is not None:
            self._stream.close()

    def was_sent(self, recipient: str, digest: str) -> bool:
        """True when the server accepted a message to `recipient` with these very files."""
        return (recipient, digest) in self.sent

    def refusal(self, recipient: str, digest: str) -> str | None:
        """Return the server's final refusal of a message to `recipient` with these very files, or None."""
        return self.refused.get((recipient, digest))

    def _remember(self, recipient: str, digest: str, refused: str) -> None:
        if refused:
            self.refused[(recipient, digest)] = refused
        else:
            self.sent.add((recipient, digest))

    def record(self, sent: Sent) -> None:
        """Append `sent` (accepted, or refused for good) and flush it to the operating system before anything else is sent."""
        if self._stream is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with open(self.path, "ab") as raw:  # end a half line a killed run left
                if raw.tell() and not self.path.read_bytes().endswith(b"\n"):
                    raw.write(b"\n")
            self._stream = open(self.path, "a", encoding="utf-8")  # noqa: SIM115 - closed by __exit__
        self._stream.write(json.dumps(asdict(sent), ensure_ascii=False, separators=(",", ":")) + "\n")
        self._stream.flush()
        self._remember(sent.recipient, sent.digest, sent.refused)
