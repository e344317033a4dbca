"""Read a theme file (YAML) into a `Theme`: fonts to embed, sizes, colours, page, logo.

    # theme.yaml: paths are relative to this file; every key is optional
    page_size: A4                   # A3, A4, A5, Letter, Legal; the command line and data file win
    margins: {top: 2, right: 2, bottom: 2, left: 2}   # cm, or one number for all four
    base_font_size: 10.5            # points; every other size scales with it
    sizes: {title: 24, h1: 15}      # points for one role (its spacing follows), in every format
    fonts:
      body: DejaVuSans              # the built-in family, or files to embed:
      headings: {name: House Serif, regular: fonts/HouseSerif.ttf, bold: fonts/HouseSerif-Bold.ttf}
    colours: {headings: "#1f3864", labels: {unverified: "#9c0006"}, ...}
    logo: {image: logo.png, place: left, width_cm: 3}

Every error names the theme file, the line and the key, and says what to do. Font files must be
TrueType with glyf outlines (reportlab cannot embed CFF-based .otf files); each is parsed here,
so a bad font stops the run before anything is written. A family need not cover every script: a
character its face lacks prints in DejaVu Sans or a fallback font (`writers.pdf.fonts`).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, AliasChoices, BaseModel, BeforeValidator, ConfigDict, Field

from .config import check_image
from .errors import ThemeError, located
from .models import LabelKind
from .pages import PAGE_SIZES, PageName, room_problem
from .validation import field_name, read_mapping, validate_model
from .writers import Logo
from .writers.pdf.styles import register_family
from .writers.theme import FontFamily, Theme
from .yamlsource import Located

__all__ = ["BUILTIN_FONT", "ThemeFile", "load_theme"]

BUILTIN_FONT = "DejaVuSans"
"""The name that selects the built-in family (with its fallback chain for other scripts)."""



def _colour(text: str) -> str:
    """Return `#rgb` or `#rrggbb` (any case) as lowercase `#rrggbb`; raise ValueError in the user's words otherwise."""
    value = text.strip()
    digits = value[1:] if value.startswith("#") else ""
    if len(digits) in (3, 6) and all(c in "0123456789abcdefABCDEF" for c in digits):
        return "#" + (digits if len(digits) == 6 else "".join(c * 2 for c in digits)).lower()
    hint = ' (put it in quotes: in YAML a bare # starts a comment)' if not value.startswith("#") else ""
    raise ValueError(f'{text!r} is not a colour: write "#rgb" or "#rrggbb", e.g. "#1f3864"{hint}')


Colour = Annotated[str, AfterValidator(_colour)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _Family(_Model):
    name: str = Field(min_length=1)
    regular: str
    bold: str | None = None
    italic: str | None = None
    bold_italic: str | None = None


class _Fonts(_Model):
    body: Literal["DejaVuSans"] | _Family = "DejaVuSans"
    headings: Literal["DejaVuSans"] | _Family | None = None
    """None: the body font."""


class _Margins(_Model):
    top: float = Field(default=2.0, ge=0.5, le=10)
    right: float = Field(default=2.0, ge=0.5, le=10)
    bottom: float = Field(default=2.0, ge=0.5, le=10)
    left: float = Field(default=2.0, ge=0.5, le=10)


class _Colours(_Model):
    headings: Colour | None = None
    text: Colour | None = None
    muted: Colour | None = None
    links: Colour | None = None
    rules: Colour | None = None
    table_header: Colour | None = None
    table_stripe: Colour | None = None
    note: Colour | None = None
    caveat: Colour | None = None
    caveat_rule: Colour | None = None
    bars: Colour | None = None
    labels: dict[LabelKind, Colour] = {}


_Size = Annotated[float, Field(ge=5, le=72)]


class _Sizes(_Model):
    title: _Size | None = None
    subtitle: _Size | None = None
    meta: _Size | None = None
    h1: _Size | None = None
    h2: _Size | None = None
    h3: _Size | None = None
    question: _Size | None = None
    source: _Size | None = None
    caption: _Size | None = None
    small: _Size | None = None
    label: _Size | None = None
    table: _Size | None = None
    note: _Size | None = None
    disclaimer: _Size | None = None
    header_footer: _Size | None = None


_SIZE_ROLES = {"table": "cell", "note": "callout", "header_footer": "running"}
"""Theme file size key -> role of the type scale (`writers.roles`), where the two names differ."""


class _Logo(_Model):
    image: str
    place: Literal["left", "center", "right"] = "left"
    width_cm: float = Field(default=3.0, gt=0.2, le=20)


def _all_sides(value: object) -> object:
    """Read `margins: 2` as the same margin on all four sides, so a bad number is reported as `margins.top`."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return {"top": value, "right": value, "bottom": value, "left": value}
    return value


class ThemeFile(_Model):
    page_size: PageName | None = None
    margins: Annotated[_Margins, BeforeValidator(_all_sides, json_schema_input_type=float | _Margins)] | None = None
    """cm: one number for all four sides, or {top, right, bottom, left}."""
    base_font_size: float | None = Field(default=None, ge=6, le=24)
    fonts: _Fonts = _Fonts()
    colours: _Colours = Field(default=_Colours(), validation_alias=AliasChoices("colours", "colors"))
    """Colours as "#rgb" or "#rrggbb" (`colors` works too)."""
    logo: _Logo | None = None
    sizes: _Sizes = _Sizes()
    """Points for one role of the type scale; the rest scale with `base_font_size`."""


_COLOUR_FIELDS = {
    "headings": "heading_colour", "text": "text_colour", "muted": "muted_colour", "links": "link_colour",
    "rules": "rule_colour", "table_header": "table_header_fill", "table_stripe": "table_stripe_fill",
    "note": "note_fill", "caveat": "caveat_fill", "caveat_rule": "caveat_rule", "bars": "bar_colour",
}
"""Theme file colour key -> Theme field."""


def load_theme(path: Path) -> Theme:
    """Read, validate and return the theme in `path`; its fonts are parsed and registered (cached by path and mtime)."""
    try:
        stat = path.stat()
    except OSError as exc:
        raise ThemeError(f"{path}: cannot read the theme ({exc.strerror or exc})") from None
    return _load(path.resolve(), stat.st_mtime_ns, stat.st_size, path)


@lru_cache(maxsize=8)
def _load(resolved: Path, _mtime: int, _size: int, shown: Path) -> Theme:
    doc = read_mapping(resolved, ThemeError, shown=shown, empty_ok=True, example="page_size: Letter")
    _refuse_empty_values(doc, shown)
    spec = validate_model(ThemeFile, doc, shown, ThemeError)
    builder = _Builder(shown, shown.parent, doc)
    builder.room(spec)
    return builder.theme(spec)


def _refuse_empty_values(doc: Located, shown: Path, value: Any = None, where: tuple[str | int, ...] = ()) -> None:
    """Refuse a key with no value: most often a colour without quotes, which YAML reads as a comment.

    Left alone, the key would silently keep the built-in value.
    """
    value = doc.value if not where else value
    if not isinstance(value, dict):
        return
    for key, item in value.items():
        path = (*where, str(key))
        if item is None:
            hint = (' (a colour goes in quotes, e.g. "#8b1a1a": in YAML a bare # starts a comment)'
                    if "colours" in path or "colors" in path else "")
            raise ThemeError(located(shown, doc.line_of(path), f"no value{hint}: give one, or remove the key", field_name(path)))
        _refuse_empty_values(doc, shown, item, path)


class _Builder:
    """Turn a validated theme file into a Theme, checking the files it names."""

    def __init__(self, shown: Path, folder: Path, doc: Located) -> None:
        self.shown, self.folder, self.doc = shown, folder, doc

    def room(self, spec: ThemeFile) -> None:
        """Refuse margins that leave too little room for text on the theme's page (A4 when it names none)."""
        if spec.margins is None:
            return
        name = spec.page_size or "A4"
        margins = (spec.margins.top, spec.margins.right, spec.margins.bottom, spec.margins.left)
        problem = room_problem(PAGE_SIZES[name], margins, f"an {name} page")
        if problem:
            raise self.error(("margins",), problem)

    def theme(self, spec: ThemeFile) -> Theme:
        fields: dict[str, Any] = {
            "body_font": self.family(spec.fonts.body, "body"),
            "heading_font": self.family(spec.fonts.headings, "headings"),
            "page_size": spec.page_size,
            "logo": self.logo(spec.logo),
        }
        fields.update((_COLOUR_FIELDS[key], value) for key, value in spec.colours if key in _COLOUR_FIELDS and value)
        if spec.colours.labels:
            labels: dict[str, str] = dict(Theme.label_colours)
            labels.update((str(kind), value) for kind, value in spec.colours.labels.items())
            fields["label_colours"] = tuple(labels.items())
        if spec.base_font_size is not None:
            fields["base_font_size"] = spec.base_font_size
        fields["role_sizes"] = tuple((_SIZE_ROLES.get(key, key), value) for key, value in spec.sizes if value is not None)
        if spec.margins is not None:
            fields["margins_cm"] = (spec.margins.top, spec.margins.right, spec.margins.bottom, spec.margins.left)
        return Theme(**fields)

    def error(self, where: tuple[str | int, ...], message: str) -> ThemeError:
        return ThemeError(located(self.shown, self.doc.line_of(where), message, field_name(where)))

    def file(self, value: str, where: tuple[str | int, ...], what: str) -> Path:
        path = self.folder / value
        if not path.is_file():
            raise self.error(where, f"no {what} at {path} (paths are relative to the theme file): put the file there or fix the path")
        return path

    def family(self, spec: str | _Family | None, role: str) -> FontFamily | None:
        if spec is None or isinstance(spec, str):
            return None
        faces: dict[str, str | None] = {"regular": spec.regular, "bold": spec.bold, "italic": spec.italic, "bold_italic": spec.bold_italic}
        files: dict[str, Path] = {}
        for face, value in faces.items():
            if value:
                files[face] = self.file(value, ("fonts", role, face), "font file")
        for face, path in files.items():
            try:
                register_family(FontFamily(spec.name, path))
            except Exception as exc:  # reportlab raises TTFError, AssertionError, struct.error... for files it cannot use
                raise self.error(("fonts", role, face), f"cannot embed {path.name} ({exc}): use a TrueType .ttf file with "
                                                        "glyf outlines (CFF-based .otf files do not work)") from None
        family = FontFamily(spec.name, files["regular"], files.get("bold"), files.get("italic"), files.get("bold_italic"))
        register_family(family)
        return family

    def logo(self, spec: _Logo | None) -> Logo | None:
        if spec is None:
            return None
        image = self.file(spec.image, ("logo", "image"), "logo image")
        problem = check_image(image)
        if problem:
            raise self.error(("logo", "image"), problem)
        return Logo(image, spec.place, spec.width_cm)
