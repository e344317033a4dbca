"""Ending a sentence: a full stop only where the text does not end one already."""

from __future__ import annotations

import pytest

from briefs.sentences import end_sentence, full_stop


@pytest.mark.parametrize(("text", "ended"), [
    ("Annual report", "Annual report."),
    ("Stop the line!", "Stop the line!"),
    ("Why now?", "Why now?"),
    ("Wait for it…", "Wait for it…"),
    ("Acme Inc.", "Acme Inc."),
    ('He said "no."', 'He said "no."'),
    ("He said “no!”", "He said “no!”"),
    ("(Reuters.)", "(Reuters.)"),
    ("Output (2024)", "Output (2024)."),
    ("経済安全保障。", "経済安全保障。"),
    ("本当か？", "本当か？"),
    ('A "quoted" word', 'A "quoted" word.'),
    ("https://example.org/report", "https://example.org/report."),
])
def test_a_text_ends_a_sentence_with_one_mark(text: str, ended: str) -> None:
    assert end_sentence(text) == ended


def test_an_empty_text_gets_no_lone_full_stop() -> None:
    assert full_stop("") == "" and full_stop("   ") == ""
