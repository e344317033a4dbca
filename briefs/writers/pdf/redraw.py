"""Draw a paragraph once per process, then write the same operators again wherever it is drawn the same way.

Drawing paragraphs (reportlab's `drawPara`: a text operator per fragment, colours, links) is about
half of writing a brief's PDF, and briefs written by one process draw the same paragraphs again:
the audiences of one data file share facts, a batch repeats every paragraph but the recipient's
own lines, and the live preview rebuilds the same brief on each edit. A paragraph is drawn in its
own coordinates (the frame moves the origin first), so what it draws depends only on its lines
(kept across briefs by `linebreaks`), its style, its size, the canvas's text state and the
document's fonts: which code each character has in each font's subsets, and each font's resource
name, both given in the order characters and fonts are first used in the document.

So the first drawing of a paragraph is recorded: the operators it added, each text it encoded with
the codes it got, each font resource name it used, and the calls that add to the document (links,
anchors). Drawing it again, the texts are encoded again in the same order (which gives any new
character its code, exactly as drawing would) and the names looked up again; if every code and
name is the one recorded, the operators are the recorded ones, and the document calls are made
again at the new place (a link's rectangle is relative to the paragraph). If anything differs (a
brief of another audience met the characters in another order), the paragraph is drawn for real:
encoding a text twice gives the same codes, so the document ends up exactly as one drawn without
this. Kept: a few drawings per paragraph (one per order of characters met), least recently used
dropped first.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

__all__ = ["draw", "forget", "paragraph_key"]

_LIMIT = 4096
"""Paragraph keys kept: a few briefs' worth of paragraphs, as `linebreaks` keeps their lines."""
_PER_KEY = 4
"""Drawings kept per paragraph key: one per way its characters' codes came out (the audiences' briefs differ)."""
_DOCUMENT_CALLS = ("linkURL", "linkRect", "linkAbsolute", "bookmarkHorizontal", "bookmarkPage")
"""Canvas methods a paragraph calls that add to the document (annotations, destinations), made again at each drawing."""
_CANVAS_CHANGES = frozenset({"_annotationCount", "_link_target"})
"""Canvas attributes a drawing may leave set to other objects: what the document calls above change (made again). Its
operators are added to the canvas's own list."""
_MISSING = object()


@dataclass(frozen=True, slots=True)
class _Drawing:
    """What drawing one paragraph did: its operators, and everything it asked of the document's fonts and the document."""

    code: tuple[str, ...]
    texts: tuple[tuple[Any, str, list[tuple[int, bytes]]], ...]
    """(font, text, the (subset, codes) runs it was encoded as), in the order encoded."""
    subset_names: tuple[tuple[Any, int, str], ...]
    """(font, subset, the resource name it had), in the order looked up."""
    font_names: tuple[tuple[str, str], ...]
    """(font name, resource name) of fonts without subsets (reportlab's standard ones), each registered before."""
    versions: tuple[tuple[Any, ...], ...]
    """The arguments of each `ensureMinPdfVersion` call (colours with alpha need PDF 1.4)."""
    calls: tuple[tuple[str, tuple[Any, ...], dict[str, Any]], ...]
    """(canvas method, args, keyword args) of each call that adds to the document, in order."""
    by_font: tuple[tuple[Any, str, bytes], ...] | None
    """(font, its texts joined, their codes joined) when every text came out in one run of the font's first subset
    (nearly always), for a quicker check (`_coded_alike`); None otherwise."""


@dataclass
class _Recorder:
    """Collects what a paragraph's drawing asks of the fonts and the document (the fonts report to it: `fonts._Font`)."""

    texts: list[tuple[Any, str, list[tuple[int, bytes]]]] = field(default_factory=list)
    subset_names: list[tuple[Any, int, str]] = field(default_factory=list)
    font_names: list[tuple[str, str]] = field(default_factory=list)
    versions: list[tuple[Any, ...]] = field(default_factory=list)
    calls: list[tuple[str, tuple[Any, ...], dict[str, Any]]] = field(default_factory=list)
    replayable: bool = True
    """False once the drawing did something replaying would not (registered a font without subsets, a new graphics state)."""
    depth: int = 0

    def encoded(self, font: Any, text: Any, runs: list[tuple[int, bytes]]) -> None:
        if isinstance(text, str):
            self.texts.append((font, text, list(runs)))
        else:
            self.replayable = False

    def subset_named(self, font: Any, subset: int, name: str) -> None:
        self.subset_names.append((font, subset, name))


_KEPT: OrderedDict[tuple[Any, ...], list[_Drawing]] = OrderedDict()
"""Paragraph key -> its drawings, oldest first.

Safe to keep: the key holds the paragraph's lines and style objects themselves (not their ids), lines are shared only
by paragraphs with the same markup, style and width (`linebreaks`) and only read after breaking, and PDFs are drawn one
at a time (`pdf._ONE_AT_A_TIME`)."""

replays = 0
"""Paragraphs drawn from a recording since the process started (tests read it, so replaying is seen to happen)."""


def forget() -> None:
    """Drop every recorded drawing."""
    _KEPT.clear()


def draw(key: tuple[Any, ...] | None, canv: Any, drawing: Callable[[], None]) -> None:
    """Draw on `canv` what `drawing()` draws: by replaying an earlier drawing under `key` when that would come out the
    same, otherwise by `drawing()` (recorded for next time). `key` holds everything the drawing depends on besides the
    document's fonts and the canvas's state (`paragraph_key`); None: draw, keep nothing.

    Every drawing kept under one key encoded the same texts in the same order (they come from what is drawn); a
    recording that did not (never seen) replaces the others. A drawing made while another is being recorded (none is
    today: paragraphs and charts are drawn one after another) is replayed or drawn, not recorded, so the outer recording
    takes in what it does and the two never swap the hooks they set."""
    global replays
    if key is None:
        drawing()
        return
    key = (*key, type(canv), canv._fontname, canv._fontsize, canv._leading, tuple(canv._extgstate._d.items()),
           canv._enforceColorSpace)
    kept = _KEPT.get(key)
    if kept is not None:
        _KEPT.move_to_end(key)
        if _replayed(kept, canv):
            replays += 1
            return
    if canv._doc.__dict__.get("drawing_recorder") is not None:
        drawing()
        return
    recorded = _recorded(canv, drawing)
    if recorded is None:
        return
    if kept is None or _texts(kept[-1]) != _texts(recorded):
        kept = _KEPT[key] = []
        if len(_KEPT) > _LIMIT:
            _KEPT.popitem(last=False)
    kept.append(recorded)
    if len(kept) > _PER_KEY:
        del kept[0]


def _texts(drawing: _Drawing) -> list[tuple[Any, str]]:
    return [(font, text) for font, text, _ in drawing.texts]


def paragraph_key(paragraph: Any) -> tuple[Any, ...] | None:
    """Return everything a paragraph's drawing depends on in itself; None if it cannot be kept (a bullet made of
    fragments, right-to-left lines drawn reordered)."""
    attributes = paragraph.__dict__
    lines = attributes.get("blPara")
    bullet = attributes.get("bulletText")
    if lines is None or not (bullet is None or isinstance(bullet, str)) or attributes.get("_bidi_lines") is not None:
        return None
    offsets = attributes.get("_offsets")
    return (lines, paragraph.style, type(paragraph), paragraph.width, paragraph.height, bullet,
            None if offsets is None else tuple(offsets), getattr(paragraph, "autoLeading", None),
            getattr(paragraph, "_JustifyLast", False), paragraph._emboldened)


def _replayed(kept: list[_Drawing], canv: Any) -> bool:
    """Write the drawing among `kept` whose codes and names the document gives again; False if none (drawing's turn)."""
    doc = canv._doc
    drawing = kept[-1]
    if not _coded_alike(drawing, doc):
        runs = [font.splitString(text, doc) for font, text, _ in drawing.texts]  # as drawing would, in its order
        for drawing in reversed(kept):
            if all(now == then[2] for now, then in zip(runs, drawing.texts, strict=True)):
                break
        else:
            return False
    mapping = doc.fontMapping
    if any(mapping.get(name) != internal for name, internal in drawing.font_names):
        return False
    if any(font.getSubsetInternalName(subset, doc) != name for font, subset, name in drawing.subset_names):
        return False
    for version in drawing.versions:
        doc.ensureMinPdfVersion(*version)
    canv._code.extend(drawing.code)
    for method, args, kwargs in drawing.calls:
        getattr(canv, method)(*args, **kwargs)
    return True


def _coded_alike(drawing: _Drawing, doc: Any) -> bool:
    """Whether every character `drawing` encoded already has, in `doc`, the code it had: then encoding its texts again
    would assign nothing, and give what it gave. One check per font (`first_subset_codes`) rather than one per text."""
    if drawing.by_font is None:
        return False
    return all(font.first_subset_codes(doc, text) == codes for font, text, codes in drawing.by_font)


def _recorded(canv: Any, drawing: Callable[[], None]) -> _Drawing | None:
    """Run `drawing()` recording what it does; return the recording, or None if replaying it would not be the same."""
    doc = canv._doc
    recorder = _Recorder()
    before = dict(canv.__dict__)
    graphics_states = len(canv._extgstate._c)
    start = len(canv._code)
    font_name, min_version = doc.getInternalFontName, doc.ensureMinPdfVersion

    def named(name: str) -> str:
        registered = name in doc.fontMapping
        internal: str = font_name(name)
        recorder.font_names.append((name, internal))
        recorder.replayable = recorder.replayable and registered
        return internal

    def versioned(*args: Any) -> Any:
        recorder.versions.append(args)
        return min_version(*args)

    def document_call(method: str) -> Callable[..., Any]:
        bound = getattr(canv, method)

        def call(*args: Any, **kwargs: Any) -> Any:
            if recorder.depth == 0:
                recorder.calls.append((method, args, dict(kwargs)))
            recorder.depth += 1
            try:
                return bound(*args, **kwargs)
            finally:
                recorder.depth -= 1
        return call

    doc.getInternalFontName, doc.ensureMinPdfVersion, doc.drawing_recorder = named, versioned, recorder
    for method in _DOCUMENT_CALLS:
        setattr(canv, method, document_call(method))
    try:
        drawing()
    finally:
        for method in _DOCUMENT_CALLS:
            canv.__dict__.pop(method, None)
        for attribute in ("getInternalFontName", "ensureMinPdfVersion", "drawing_recorder"):
            doc.__dict__.pop(attribute, None)
    changed = {name for name, value in canv.__dict__.items() if before.get(name, _MISSING) is not value}
    if not recorder.replayable or len(canv._extgstate._c) != graphics_states or not changed <= _CANVAS_CHANGES \
            or len(canv.__dict__) != len(before):
        return None
    return _Drawing(tuple(canv._code[start:]), tuple(recorder.texts), tuple(recorder.subset_names),
                    tuple(recorder.font_names), tuple(recorder.versions), tuple(recorder.calls), _by_font(recorder.texts))


def _by_font(texts: list[tuple[Any, str, list[tuple[int, bytes]]]]) -> tuple[tuple[Any, str, bytes], ...] | None:
    joined: dict[Any, tuple[list[str], list[bytes]]] = {}
    for font, text, runs in texts:
        if not hasattr(font, "first_subset_codes") or not (runs == [] if text == "" else len(runs) == 1 and runs[0][0] == 0):
            return None
        pieces = joined.setdefault(font, ([], []))
        pieces[0].append(text)
        pieces[1].extend(codes for _, codes in runs)
    return tuple((font, "".join(chars), b"".join(codes)) for font, (chars, codes) in joined.items())
