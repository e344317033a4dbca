"""The writers, one module per format; each is a function of a Document and a binary stream."""

from __future__ import annotations

from collections.abc import Callable
from typing import BinaryIO

from ..doctree import Document

__all__ = ["FORMATS", "Writer", "get_writer"]

Writer = Callable[[Document, BinaryIO], list[str]]

FORMATS = ("docx", "pdf")
"""Output formats, in the order they are written."""


def get_writer(fmt: str) -> Writer:
    """Return the writer of `fmt`, importing only that format's libraries."""
    if fmt == "docx":
        from .docx import write as write_docx

        return write_docx
    if fmt == "pdf":
        from .pdf import write as write_pdf

        return write_pdf
    raise KeyError(fmt)
