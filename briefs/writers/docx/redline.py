"""A redline: the new edition's DOCX with its differences from the old one as tracked changes.

Word, LibreOffice and any reviewer's tool show `w:ins` and `w:del` (ECMA-376 Part 1, 17.13.5) as
revisions to accept or reject. python-docx has no API for them, so they are written here with lxml:

    the body's paragraphs and tables of both editions are aligned by their text (difflib);
    a block only in the new edition has every run wrapped in <w:ins> and its paragraph mark inserted;
    a block only in the old one is copied in before its successor, every run wrapped in <w:del>
    (w:t becomes w:delText) and its paragraph mark deleted.

A changed paragraph shows as the old one deleted and the new one inserted. A removed chart is
left out (its picture belongs to the old package); copied paragraphs lose their list numbering and
links, which point into the old package.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import itertools
from collections.abc import Iterator
from difflib import SequenceMatcher
from typing import Any, BinaryIO

import docx
from docx.oxml.ns import qn

from .package import save_deterministic

__all__ = ["AUTHOR", "redline"]

AUTHOR = "briefs"
"""The author of every revision."""


def redline(old: bytes, new: bytes, out: BinaryIO, date: dt.date) -> int:
    """Write the new DOCX with the changes from the old one tracked, dated `date`; return how many blocks changed."""
    old_document, new_document = docx.Document(io.BytesIO(old)), docx.Document(io.BytesIO(new))
    old_blocks, new_blocks = _blocks(old_document), _blocks(new_document)
    body = new_document.element.body
    stamp = dt.datetime.combine(date, dt.time()).strftime("%Y-%m-%dT%H:%M:%SZ")
    ids = itertools.count(1)
    matcher = SequenceMatcher(a=[text for _, text in old_blocks], b=[text for _, text in new_blocks], autojunk=False)
    changed = 0
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        for element, _ in new_blocks[j1:j2]:
            _track(element, "ins", stamp, ids)
            changed += 1
        successor = new_blocks[j1][0] if j1 < len(new_blocks) else body.find(qn("w:sectPr"))
        for element, _ in old_blocks[i1:i2]:
            if element.find(".//" + qn("w:drawing")) is not None:
                continue  # a chart: its picture is a part of the old package
            removed = _portable(copy.deepcopy(element))
            _track(removed, "del", stamp, ids)
            if successor is not None:
                successor.addprevious(removed)
            else:
                body.append(removed)
            changed += 1
    save_deterministic(new_document, out)
    return changed


def _blocks(document: Any) -> list[tuple[Any, str]]:
    """Return the body's paragraphs and tables with their text, in order (the section properties excluded)."""
    blocks = []
    for child in document.element.body.iterchildren():
        if child.tag in (qn("w:p"), qn("w:tbl")):
            blocks.append((child, "".join(node.text or "" for node in child.iter(qn("w:t")))))
    return blocks


def _track(element: Any, kind: str, stamp: str, ids: Iterator[int]) -> None:
    """Mark every run, paragraph mark and table row of `element` as inserted or deleted."""
    for run in list(element.iter(qn("w:r"))):
        wrapper = _revision(kind, stamp, ids)
        run.addprevious(wrapper)
        wrapper.append(run)
        if kind == "del":
            for text in run.iter(qn("w:t")):
                text.tag = qn("w:delText")
            for instruction in run.iter(qn("w:instrText")):
                instruction.tag = qn("w:delInstrText")
    for paragraph in element.iter(qn("w:p")):  # the paragraph mark's revision comes first in its w:rPr (CT_ParaRPr)
        _child(_child(paragraph, "w:pPr", first=True), "w:rPr").insert(0, _revision(kind, stamp, ids))
    for row in element.iter(qn("w:tr")):
        _child(row, "w:trPr", first=True).append(_revision(kind, stamp, ids))


def _portable(element: Any) -> Any:
    """Strip what points into the old package: list numbering and hyperlink relationships (their text stays)."""
    for numbering in list(element.iter(qn("w:numPr"))):
        numbering.getparent().remove(numbering)
    for link in list(element.iter(qn("w:hyperlink"))):
        parent = link.getparent()
        for child in list(link):
            link.addprevious(child)
        parent.remove(link)
    return element


def _revision(kind: str, stamp: str, ids: Iterator[int]) -> Any:
    from docx.oxml import OxmlElement

    revision = OxmlElement(f"w:{kind}")
    revision.set(qn("w:id"), str(next(ids)))
    revision.set(qn("w:author"), AUTHOR)
    revision.set(qn("w:date"), stamp)
    return revision


def _child(parent: Any, tag: str, *, first: bool = False) -> Any:
    """Return `parent`'s child `tag`, creating it (as the first child when `first`)."""
    from docx.oxml import OxmlElement

    found = parent.find(qn(tag))
    if found is None:
        found = OxmlElement(tag)
        if first:
            parent.insert(0, found)
        else:
            parent.append(found)
    return found
