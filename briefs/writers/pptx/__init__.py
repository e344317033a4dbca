"""Write a Document as a PowerPoint (PPTX) deck with python-pptx: native, editable text, tables and charts.

    cover       "Title Slide": the title; subtitle, audience and date, bottom line
    sections    "Title and Content": one per level-1 heading, "(continued)" on as many slides as it needs
    tables      native tables, below the text when they fit, their rows continuing with the header repeated
    figures     "Title Only" with a native bar chart (its data in the embedded workbook) and alt text

Every slide's title is its layout's title placeholder; the speaker notes give each cited source in
full and why each claim on the slide is labelled. A reference deck (`Style.reference_pptx`)
supplies masters and layouts by name (`deck.LAYOUTS`) and styles the text; without one, python-pptx's
template is made 16:9 and the theme's fonts and colours are used. Output is byte-identical for
identical input.
"""

from __future__ import annotations

import datetime as dt
from typing import BinaryIO

from pptx.presentation import Presentation as Deck
from pptx.slide import Slide

from ...doctree import Document
from .. import Style
from ..theme import Theme
from .deck import Area, check_reference, content_area, open_deck
from .measure import Measure
from .notes import Notes
from .package import save_deterministic
from .plan import Room, plan
from .slides import INSET, add_cover, add_slide
from .text import Look

__all__ = ["check_reference", "write"]

_BUILTIN_THEME = Theme()


def write(document: Document, out: BinaryIO, style: Style | None = None) -> list[str]:
    """Write `document` as a PPTX deck to the binary stream `out`; return warnings (none so far).

    Raises ThemeError when the reference deck lacks a layout briefs uses.
    """
    style = style or Style()
    theme = style.theme or _BUILTIN_THEME
    reference = style.reference_pptx
    deck = open_deck(reference)
    area = content_area(deck, reference)
    room = _room(theme, area)
    look = Look(theme, document.meta.language, own=reference is None)
    cover, slides = plan(document, room)
    notes = Notes(document)
    _notes(add_cover(deck, cover, look, reference, room, style.logo), notes.for_cover(cover))
    for slide in slides:
        _notes(add_slide(deck, slide, look, reference, room, area), notes.for_slide(slide))
    _properties(deck, document)
    save_deterministic(deck, out, document.meta.date)
    return []


def _room(theme: Theme, area: Area) -> Room:
    """Return the room for text on a content slide, with sizes scaled from the theme's body size (10.5 pt -> 18 pt)."""
    base = theme.base_font_size * 1.7
    sizes = {"body": base, "bullet": base, "number": base, "note": base, "subheading": base, "small": base * 0.75,
             "table": base * 0.75, "caption": base * 0.7}
    return Room(Measure(theme), area.width / 12700 - 2 * INSET, area.height / 12700 - 2 * INSET - 4,
                {kind: round(size, 1) for kind, size in sizes.items()})


def _notes(slide: Slide, text: str) -> None:
    frame = slide.notes_slide.notes_text_frame if text else None
    if frame is not None:
        frame.text = text


def _properties(deck: Deck, document: Document) -> None:
    """Set the core properties from the brief (the template's say "python-pptx" and 2013)."""
    meta = document.meta
    props = deck.core_properties
    stamp = dt.datetime.combine(meta.date, dt.time(0, 0))
    props.title, props.subject, props.author = meta.title[:255], meta.subject[:255], meta.author[:255]
    props.last_modified_by, props.keywords = meta.author[:255], ", ".join(meta.keywords)[:255]
    props.comments, props.category, props.content_status = "", "", ""
    props.created = props.modified = props.last_printed = stamp
    props.revision = 1
    props.language = meta.language

