"""Strategies for property-based tests: valid inputs, mutated at one or more places, or damaged as bytes.

Each input kind (data file, profile, theme, recipient list, config file) starts from a small
valid document; a mutation replaces, removes or adds a value at a random path with one of the
values that broke programs before (huge, tiny, negative, non-finite, far dates, very long text,
control characters, non-characters, markup, wrong types, deep nesting). Byte damage truncates
the YAML text or flips bytes in it. `check_run` states what every run must do.
"""

from __future__ import annotations

import copy
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml
from conftest import Result
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

__all__ = ["FUZZ", "PROFILE", "THEME", "VALID_DATA", "check_run", "documents", "fuzz", "recipient_lists"]

_EXAMPLES = int(os.environ.get("BRIEFS_FUZZ_EXAMPLES", "0"))


def fuzz(default: int = 25, *, cost: int = 1) -> settings:
    """Return how hard a property-based test tries: `default` inputs, the same every run; with BRIEFS_FUZZ_EXAMPLES=N,
    N // `cost` fresh ones (`cost`: how many of the cheapest tests' inputs one of this test's costs, so CI stays in time)."""
    return settings(
        max_examples=max(_EXAMPLES // cost, default) if _EXAMPLES else default,
        derandomize=not _EXAMPLES,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
        database=None,
    )


FUZZ = fuzz()
"""How hard most property-based tests try: a few dozen inputs, the same every run; BRIEFS_FUZZ_EXAMPLES=N for N fresh ones."""

VALID_DATA: dict[str, Any] = {
    "id": "fuzz",
    "title": "A fuzzed topic",
    "subtitle": "For tests",
    "as_of": "2025-11-15",
    "summary": "One paragraph [@a].",
    "bottom_line": "One line [@a].",
    "topics": {"own": {"label": "Own", "broader": ["markets"]}},
    "sources": [{"id": "a", "title": "Source A", "publisher": "P", "reliability": "A", "url": "https://example.org/a"},
                {"id": "f", "title": "Page", "publisher": "Web", "reliability": "F"}],
    "facts": [
        {"id": "one", "text": "The first fact.", "topics": ["investment", "own"], "sources": ["a"], "status": "confirmed",
         "quantity": {"value": 10, "unit": "t", "measure": "m", "label": "the amount"}},
        {"id": "two", "text": "The second fact.", "topics": ["markets"], "sources": ["f"], "status": "unverified",
         "note": "Only a page says so.", "date": "2025-01-01", "quantity": {"value": 12, "unit": "t", "measure": "m"}},
    ],
    "takeaways": [{"audience": "investor", "text": "Watch it.", "sources": ["a"]}],
    "faqs": [{"question": "Why?", "answer": "Because.", "topics": ["markets"], "sources": ["a"], "note": "A note."}],
    "figures": [{"id": "fig", "title": "Output", "source": "a", "topics": ["markets"], "unit": "t",
                 "data": {"Alpha": 3, "Beta": 1.5, "Gamma": 0}}],
}

PROFILE: dict[str, Any] = {
    "id": "investor", "label": "Investors", "focus": "Money", "interests": {"investment": 4, "markets": 3},
    "max_facts": 10, "min_score": 1, "sections": ["summary", "key_facts", "figures", "takeaways", "faqs", "caveats", "sources"],
    "disclaimer": "Not advice.", "caveats": "full",
}

THEME: dict[str, Any] = {"page_size": "A4", "margins": 2, "base_font_size": 10.5, "colours": {"headings": "#1f3864"}}

NASTY: list[Any] = [
    None, True, 0, -1, 1e308, -1e308, 1e15, 1e-300, 2**70, float("nan"), float("inf"), "nan", "", " ", "0",
    "0001-01-01", "9999-12-31", "2025-02-30", "1e999", "x" * 6000, "<" * 3000, "word " * 1500, "\x00", "\x1b[31m",
    "\ufffe", "\uffff", "\u2028line\u2029para\x85", "\ud7ff", "R&D <b>bold</b> {{ 7*7 }} {% raw %}", "[@nowhere]",
    "https://example.org/a b<c>\"d", "http://" + "a" * 9000, "javascript:alert(1)", "#F00", "ff0000", "../../etc/passwd",
    "日本語の長いテキスト" * 50, "عربي", "🙂" * 40, [], {}, [1, 2], {"a": {"b": {"c": [None]}}}, "A3", "letter",
    "investor", "INVESTOR", "confirmed", "F", "markets", "own",
]
"""Values that broke a program like this one before, or sit at a documented limit."""


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix]
    if isinstance(value, dict):
        for key, child in value.items():
            found += _paths(child, (*prefix, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            found += _paths(child, (*prefix, index))
    return found


def _mutate(document: Any, path: tuple[Any, ...], action: str, value: Any) -> Any:
    if not path:
        return value if action == "replace" else document
    *head, last = path
    parent = document
    for part in head:
        parent = parent[part]
    if action == "replace":
        parent[last] = value
    elif action == "remove":
        del parent[last]
    elif isinstance(parent, dict):
        parent[str(value)[:40] if not isinstance(value, (dict, list)) else "extra"] = value
    else:
        parent.insert(last, copy.deepcopy(parent[last]))  # a duplicate: duplicate ids, repeated sections
    return document


@st.composite
def documents(draw: st.DrawFn, base: dict[str, Any]) -> str:
    """Return YAML text: `base` mutated at one to four places, sometimes damaged as bytes afterwards."""
    document = copy.deepcopy(base)
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        paths = _paths(document)
        path = draw(st.sampled_from(paths))
        action = draw(st.sampled_from(("replace", "replace", "remove", "add")))
        try:
            document = _mutate(document, path, action, copy.deepcopy(draw(st.sampled_from(NASTY))))
        except (KeyError, IndexError, TypeError):
            continue
    text = yaml.safe_dump(document, allow_unicode=True, sort_keys=False, width=10**9)
    damage = draw(st.sampled_from(("none", "none", "none", "truncate", "flip")))
    if damage == "truncate":
        text = text[: draw(st.integers(min_value=0, max_value=len(text)))]
    elif damage == "flip" and text:
        at = draw(st.integers(min_value=0, max_value=len(text) - 1))
        damage_with = draw(st.sampled_from(("\x00", "\t", "&a", "*a", "!!python/object:os.system", ":", "- ", "{", '"')))
        text = text[:at] + damage_with + text[at + 1:]
    return text


@st.composite
def recipient_lists(draw: st.DrawFn) -> bytes:
    """Return the bytes of a recipients list: a valid CSV with damaged cells, or raw odd bytes."""
    rows = [["name", "audience", "email"], ["Ann", "investor", "ann@example.org"], ["Bob", "researcher", "bob@example.org"]]
    for _ in range(draw(st.integers(min_value=0, max_value=3))):
        row = draw(st.integers(min_value=0, max_value=len(rows) - 1))
        column = draw(st.integers(min_value=0, max_value=2))
        rows[row][column] = str(draw(st.sampled_from(NASTY)))[:2000]
    delimiter = draw(st.sampled_from((",", ";", "\t")))
    text = "\r\n".join(delimiter.join(f'"{cell}"' if delimiter in cell else cell for cell in row) for row in rows)
    data = text.encode("utf-8", errors="surrogatepass")
    damage = draw(st.sampled_from(("none", "none", "bom", "truncate", "bytes")))
    if damage == "bom":
        data = b"\xef\xbb\xbf" + data
    elif damage == "truncate":
        data = data[: draw(st.integers(min_value=0, max_value=len(data)))]
    elif damage == "bytes":
        data = draw(st.binary(min_size=0, max_size=200)) + data[draw(st.integers(min_value=0, max_value=len(data))):]
    return data


_LOCATED_ERROR = re.compile(r"^[^\n]+: error: [^\n]+$|^error: [^\n]+$")


def check_run(result: Result, out: Path, readable: Callable[[Path], bool]) -> None:
    """Assert what every run must do: exit 0 with every brief written and readable, or exit 1 with
    one line per error naming the file, and nothing written. (A crash raises out of the runner.)"""
    assert "Traceback" not in result.err, result.err
    if result.code == 0:
        written = sorted(p for p in out.rglob("*") if p.suffix in (".docx", ".pdf"))
        assert written, result.out + result.err
        assert all(readable(path) for path in written)
        return
    assert result.code == 1, (result.code, result.err)
    lines = [line for line in result.err.splitlines() if line and not line.startswith(("warning:", "check: ", "batch: "))]
    assert lines and all(_LOCATED_ERROR.match(line) for line in lines), result.err
    assert not list(out.rglob("*.docx")) and not list(out.rglob("*.pdf")), "an invalid input wrote briefs"
