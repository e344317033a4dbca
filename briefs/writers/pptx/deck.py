"""The deck a brief is written into: a reference deck's masters and layouts, else python-pptx's own made 16:9.

Layouts are chosen by name, so a house deck restyles every slide; a reference deck that lacks one
is refused with its name and the file's, when it is loaded, never halfway through writing.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pptx import Presentation
from pptx.presentation import Presentation as Deck
from pptx.slide import SlideLayout
from pptx.util import Emu, Inches

from ...errors import ThemeError

__all__ = ["LAYOUTS", "Area", "check_reference", "content_area", "layout", "open_deck"]

LAYOUTS = {"cover": "Title Slide", "text": "Title and Content", "title": "Title Only"}
"""What each slide is -> the name of the layout it uses (PowerPoint's and python-pptx's names)."""
_WIDE = (Inches(13.333), Inches(7.5))
"""16:9, PowerPoint's default slide size."""
_BUILTIN_WIDTH = Inches(10)
"""python-pptx's own template is 4:3; its masters and layouts are stretched to 16:9."""


@dataclass(frozen=True)
class Area:
    """A rectangle on a slide, in EMU."""

    left: int
    top: int
    width: int
    height: int


def open_deck(reference: Path | None) -> Deck:
    """Return an empty deck with the reference's masters and layouts (raise ThemeError naming a missing layout)."""
    deck = Presentation(str(reference) if reference else None)
    if reference is None:
        _widen(deck)
    _remove_slides(deck)
    for name in LAYOUTS.values():
        layout(deck, name, reference)
    return deck


def check_reference(reference: Path) -> None:
    """Raise ThemeError naming the file when briefs cannot write a deck with this reference deck."""
    try:
        open_deck(reference)
    except ThemeError:
        raise
    except Exception as exc:  # python-pptx raises many kinds for a file that is not a deck
        raise ThemeError(f"{reference}: not a PowerPoint deck briefs can use ({type(exc).__name__}: {str(exc)[:120]}): "
                         "save it again as .pptx from PowerPoint or Impress") from None


def layout(deck: Deck, name: str, reference: Path | None) -> SlideLayout:
    """Return the deck's layout called `name`; raise ThemeError naming it and the file when there is none."""
    for candidate in deck.slide_layouts:
        if candidate.name == name:
            return candidate
    names = ", ".join(repr(each.name) for each in deck.slide_layouts)
    raise ThemeError(f"{reference}: the reference deck has no slide layout named {name!r} (briefs uses "
                     f"{', '.join(map(repr, LAYOUTS.values()))}; this deck has {names}): add it or rename one in the slide master")


def content_area(deck: Deck, reference: Path | None) -> Area:
    """Return where the body text goes: the "Title and Content" layout's body placeholder, else below its title."""
    chosen = layout(deck, LAYOUTS["text"], reference)
    body = next((ph for ph in list(chosen.placeholders) if ph.placeholder_format.idx == 1), None)
    if body is not None and body.width:
        return Area(int(body.left), int(body.top), int(body.width), int(body.height))
    width, height = int(deck.slide_width or _WIDE[0]), int(deck.slide_height or _WIDE[1])
    return Area(width // 20, height // 4, width - width // 10, height * 2 // 3)


def _widen(deck: Deck) -> None:
    """Make python-pptx's 4:3 template 16:9, stretching every positioned shape of its master and layouts."""
    scale = _WIDE[0] / _BUILTIN_WIDTH
    deck.slide_width, deck.slide_height = Emu(_WIDE[0]), Emu(_WIDE[1])
    master = deck.slide_master
    for shapes in (master.shapes, *(each.shapes for each in master.slide_layouts)):
        for shape in shapes:
            if shape.left is not None and shape._element.xpath("./p:spPr/a:xfrm"):
                shape.left, shape.width = Emu(round(shape.left * scale)), Emu(round(shape.width * scale))


def _remove_slides(deck: Deck) -> None:
    """Drop the slides a reference deck brings (its masters and layouts are what is kept)."""
    slide_ids = deck.slides._sldIdLst
    for slide_id in list(slide_ids):
        deck.part.drop_rel(slide_id.rId)
        slide_ids.remove(slide_id)
