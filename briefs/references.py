"""Sources from a reference manager: a BibTeX or CSL JSON file (a Zotero, EndNote or Mendeley export).

A data file names the file, and lists the references it cites under `sources:` by citation key,
with what only an editor can say about them (the grade, a note):

    references: refs.bib          # beside the data file; .bib (BibTeX, BibLaTeX) or .json (CSL JSON)
    sources:
      - id: usgs-mcs-2025         # a key in refs.bib: title, publisher, date and address come from there
        reliability: A

What the entry gives in the data file wins over the reference. Each reference becomes a CSL item
(the form citation styles format, `csl`), kept with its source for the sources list. References
are read within limits (MAX_BYTES, MAX_ENTRIES), and every problem names the file and line.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from .errors import DataError, located, one_line
from .yamlsource import MAX_BYTES, Located

__all__ = ["MAX_ENTRIES", "SUFFIXES", "CslItem", "anchor_style", "read_references", "with_references"]

CslItem = dict[str, Any]
"""One reference as CSL JSON: `{"id": ..., "type": "report", "title": ..., "author": [...], "issued": ...}`."""

MAX_ENTRIES = 20_000
"""More references than a reference manager's largest libraries export for one topic."""

_BIBTEX_TYPES = {
    "article": "article-journal", "book": "book", "inbook": "chapter", "incollection": "chapter", "inproceedings": "paper-conference",
    "conference": "paper-conference", "techreport": "report", "report": "report", "manual": "report", "phdthesis": "thesis",
    "mastersthesis": "thesis", "thesis": "thesis", "online": "webpage", "electronic": "webpage", "www": "webpage",
    "unpublished": "manuscript", "dataset": "dataset", "legislation": "legislation", "legal": "legislation", "jurisdiction": "legal_case",
}
"""BibTeX and BibLaTeX entry types -> CSL types; any other is a `webpage` when it has an address, else a `document`."""

_BIBTEX_FIELDS = {
    "title": "title", "journal": "container-title", "journaltitle": "container-title", "booktitle": "container-title",
    "publisher": "publisher", "institution": "publisher", "organization": "publisher", "school": "publisher",
    "address": "publisher-place", "location": "publisher-place", "volume": "volume", "number": "issue", "pages": "page",
    "edition": "edition", "doi": "DOI", "url": "URL", "isbn": "ISBN", "issn": "ISSN", "note": "note", "abstract": "abstract",
}
"""BibTeX fields -> CSL variables; the first field found for a variable wins (publisher before institution)."""

_MONTHS = {name: number for number, name in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), start=1)}


def read_references(path: Path, *, shown: Path | None = None) -> tuple[dict[str, CslItem], dict[str, int]]:
    """Return the references of `path` as CSL items by id, and the line each starts on; raise DataError naming the file."""
    shown = shown or path
    reader = SUFFIXES.get(path.suffix.lower())
    if reader is None:
        kind = path.suffix or "a file without a suffix"
        raise DataError(located(shown, None, f"references must be a BibTeX (.bib) or CSL JSON (.json) file, not {kind}"))
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise DataError(located(shown, None, f"references file is {size:,} bytes; the limit is {MAX_BYTES:,}"))
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DataError(located(shown, None, f"not UTF-8 text (byte {exc.start}): export the references as UTF-8")) from None
    except OSError as exc:
        raise DataError(located(shown, None, f"cannot read the references ({exc.strerror or exc})")) from None
    items, lines = reader(text, shown)
    if len(items) > MAX_ENTRIES:
        raise DataError(located(shown, None, f"{len(items):,} references; the limit is {MAX_ENTRIES:,}"))
    return items, lines


def with_references(doc: Located, data_path: Path, shown: Path) -> Located:
    """Return the data file `doc` with each source that names a reference completed from the `references:` file.

    (A `.csl` citation style is made absolute here too: like the references, it is relative to the data file.)

    A source entry keeps every field it gives; the reference fills title, publisher, date and url
    where the entry has none, and adds its CSL item as `csl`. The data file names the problem when
    the references file is missing or unreadable (`references:` line).
    """
    doc = anchor_style(doc, data_path.parent)
    value = doc.value
    if not isinstance(value, dict) or not isinstance(value.get("references"), str):
        return doc
    path = data_path.parent / value["references"]
    if not path.is_file():
        raise DataError(located(shown, doc.line_of(("references",)),
                                f"no references file at {path} (the path is relative to the data file)", "references"))
    items, _lines = read_references(path)
    sources = value.get("sources")
    if not isinstance(sources, list):
        return doc
    completed = [_completed(entry, items) for entry in sources]
    return Located({**value, "sources": completed}, doc.lines)


def anchor_style(doc: Located, base: Path) -> Located:
    """Return `doc` with a `.csl` `citation_style` made absolute: it is relative to the file that names it, not to where a run starts."""
    value = doc.value
    style = value.get("citation_style") if isinstance(value, dict) else None
    if not isinstance(style, str) or not style.strip().endswith(".csl"):
        return doc
    return Located({**value, "citation_style": str(base.absolute() / style.strip())}, doc.lines)


def _completed(entry: Any, items: Mapping[str, CslItem]) -> Any:
    if not isinstance(entry, dict) or entry.get("id") not in items:
        return entry
    item = items[entry["id"]]
    found = {"title": item.get("title"), "publisher": _publisher(item), "date": _full_date(item.get("issued")), "url": _address(item)}
    return {**{key: text for key, text in found.items() if text}, **entry, "csl": item}


def _publisher(item: CslItem) -> str | None:
    """Who published it, as the sources list names it: the outlet, else the publisher, else a corporate author."""
    for variable in ("container-title", "publisher", "authority"):
        if isinstance(item.get(variable), str) and item[variable].strip():
            return str(item[variable])
    for name in item.get("author") or ():
        if isinstance(name, dict) and name.get("literal"):
            return str(name["literal"])
    return None


def _full_date(issued: Any) -> dt.date | None:
    """Return the publication date when the reference gives the day; a year or month alone stays in the CSL item."""
    try:
        year, month, day = issued["date-parts"][0][:3]
        return dt.date(int(year), int(month), int(day))
    except (TypeError, KeyError, IndexError, ValueError):
        return None


def _address(item: CslItem) -> str | None:
    if isinstance(item.get("URL"), str):
        return str(item["URL"])
    if isinstance(item.get("DOI"), str):
        return "https://doi.org/" + str(item["DOI"]).removeprefix("https://doi.org/")
    return None


def _read_csl_json(text: str, shown: Path) -> tuple[dict[str, CslItem], dict[str, int]]:
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise DataError(located(shown, exc.lineno, f"invalid JSON: {exc.msg}")) from None
    except RecursionError:
        raise DataError(located(shown, None, "invalid JSON: nested too deeply")) from None
    if isinstance(value, dict) and isinstance(value.get("items"), list):
        value = value["items"]
    if not isinstance(value, list):
        raise DataError(located(shown, 1, "expected a CSL JSON list of references ([{\"id\": ..., \"type\": ..., \"title\": ...}])"))
    items: dict[str, CslItem] = {}
    for index, item in enumerate(value):
        if not isinstance(item, dict) or not isinstance(item.get("id"), str | int):
            raise DataError(located(shown, None, f"reference {index + 1} has no id: every CSL JSON item needs one", f"[{index}].id"))
        key = str(item["id"])
        if key in items:
            raise DataError(located(shown, None, f"two references have the id {key!r}", f"[{index}].id"))
        items[key] = {**item, "id": key, "type": str(item.get("type") or "document")}
    return items, {}


def _read_bibtex(text: str, shown: Path) -> tuple[dict[str, CslItem], dict[str, int]]:
    from bibtexparser.entrypoint import parse_string

    logging.getLogger("bibtexparser").setLevel(logging.CRITICAL)  # failures are reported below, as errors naming the line
    library = parse_string(text)
    if library.failed_blocks:
        block = library.failed_blocks[0]
        raise DataError(located(shown, (block.start_line or 0) + 1, "invalid BibTeX: an entry here does not parse (unbalanced braces, "
                                                             "a missing comma or key)"))
    items: dict[str, CslItem] = {}
    lines: dict[str, int] = {}
    for entry in library.entries:
        line = (entry.start_line or 0) + 1
        if entry.key in items:
            raise DataError(located(shown, line, f"two references have the key {entry.key!r}"))
        items[entry.key] = _bibtex_item(entry.key, entry.entry_type.lower(), {key.lower(): field.value
                                                                              for key, field in entry.fields_dict.items()})
        lines[entry.key] = line
    return items, lines


def _bibtex_item(key: str, kind: str, fields: Mapping[str, Any]) -> CslItem:
    """Return one BibTeX entry as a CSL item: LaTeX decoded, names split, dates as date-parts."""
    item: CslItem = {"id": key}
    for field, variable in _BIBTEX_FIELDS.items():
        if field in fields and variable not in item:
            item[variable] = _latex_text(str(fields[field]))
    item["type"] = _BIBTEX_TYPES.get(kind, "webpage" if "URL" in item else "document")
    for role in ("author", "editor"):
        if role in fields:
            item[role] = [_person(name) for name in _persons(str(fields[role]))]
    issued = _bibtex_date(fields)
    if issued:
        item["issued"] = {"date-parts": [issued]}
    accessed = _iso_date(str(fields.get("urldate", "")))
    if accessed:
        item["accessed"] = {"date-parts": [accessed]}
    return item


def _persons(raw: str) -> list[str]:
    from bibtexparser.middlewares.names import split_multiple_persons_names

    return [name for name in split_multiple_persons_names(raw) if name.strip()]


def _person(raw: str) -> dict[str, str]:
    """A name as CSL gives it: `{U.S. Geological Survey}` (in braces) is an organisation, the rest family and given names."""
    from bibtexparser.middlewares.names import InvalidNameError, parse_single_name_into_parts

    name = raw.strip()
    if name.startswith("{") and name.endswith("}"):
        return {"literal": _latex_text(name)}
    try:
        parts = parse_single_name_into_parts(name)
    except InvalidNameError:
        return {"literal": _latex_text(name)}
    person = {"family": _latex_text(" ".join([*parts.von, *parts.last])), "given": _latex_text(" ".join(parts.first))}
    if parts.jr:
        person["suffix"] = _latex_text(" ".join(parts.jr))
    return {key: text for key, text in person.items() if text}


def _bibtex_date(fields: Mapping[str, Any]) -> list[int]:
    """Return [year, month, day] as far as known, from BibLaTeX's `date` or BibTeX's year, month and day."""
    iso = _iso_date(str(fields.get("date", "")))
    if iso:
        return iso
    year = str(fields.get("year", "")).strip()
    if not re.fullmatch(r"\d{4}", year):
        return []
    parts = [int(year)]
    month = str(fields.get("month", "")).strip().lower()[:3]
    number = _MONTHS.get(month) or (int(month) if month.isdigit() and 1 <= int(month) <= 12 else None)
    if number:
        parts.append(number)
        day = str(fields.get("day", "")).strip()
        if day.isdigit() and 1 <= int(day) <= 31:
            parts.append(int(day))
    return parts


def _iso_date(text: str) -> list[int]:
    match = re.fullmatch(r"\s*(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?\s*", text)
    return [int(part) for part in match.groups() if part] if match else []


def _latex_text(text: str) -> str:
    """Return BibTeX text as plain Unicode (accents decoded, protective braces and commands dropped), on one line."""
    from pylatexenc.latex2text import LatexNodes2Text

    try:
        plain = LatexNodes2Text(strict_latex_spaces=True).latex_to_text(text)
    except Exception:  # pylatexenc gives up on malformed markup: keep the text without its braces
        plain = text.replace("{", "").replace("}", "")
    return one_line(" ".join(plain.split()))


SUFFIXES: dict[str, Callable[[str, Path], tuple[dict[str, CslItem], dict[str, int]]]] = {
    ".bib": _read_bibtex, ".json": _read_csl_json,
}
"""What a references file may be, by suffix."""
